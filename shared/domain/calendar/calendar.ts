/**
 * Building a calendar: the national seed, then the layers of the place's district, street and community in that
 * order, the lower one winning on a date both set (docs/tasks-model.md, "working-day calendar").
 */
import { SEED_FIRST_YEAR, SEED_LAST_YEAR, SEED_SOURCE, SEED_YEARS } from './seed.generated';
import {
  CALENDAR_SCOPES,
  type CalendarDay,
  type CalendarLayer,
  type CalendarPlace,
  type WorkingCalendar,
} from './types';

function seedDays(): Record<string, CalendarDay> {
  const days: Record<string, CalendarDay> = {};
  for (const [year, holidays] of Object.entries(SEED_YEARS)) {
    for (const [name, off, work] of holidays) {
      for (const md of off.split(' ').filter(Boolean)) days[`${year}-${md}`] = { kind: 'holiday', name };
      for (const md of work.split(' ').filter(Boolean)) days[`${year}-${md}`] = { kind: 'workday', name };
    }
  }
  return days;
}

let seed: WorkingCalendar | null = null;

/** China's national calendar as published (seeded from chinese-days), 2004 through the last announced year. */
export function nationalCalendar(): WorkingCalendar {
  seed ??= {
    version: `cn:${SEED_FIRST_YEAR}-${SEED_LAST_YEAR}@${SEED_SOURCE}`,
    firstYear: SEED_FIRST_YEAR,
    lastYear: SEED_LAST_YEAR,
    days: seedDays(),
  };
  return seed;
}

/**
 * The layers that apply to a place, district first: its district's, its street's, its community's. Should two
 * versions of one office's layer be present (an edit arriving by sync), the higher revision is used.
 */
export function layersFor(layers: readonly CalendarLayer[], place: CalendarPlace): CalendarLayer[] {
  const wanted: Readonly<Record<CalendarLayer['scope'], string | undefined>> = {
    district: place.district,
    street: place.street,
    community: place.community,
  };
  const out: CalendarLayer[] = [];
  for (const scope of CALENDAR_SCOPES) {
    const mine = layers.filter((l) => l.scope === scope && l.orgId === wanted[scope]);
    const latest = mine.reduce<CalendarLayer | null>((a, l) => (a === null || l.revision > a.revision ? l : a), null);
    if (latest !== null) out.push(latest);
  }
  return out;
}

/**
 * Applies layers (already chosen for one place, district first) to a base calendar. The version id names the base
 * and each layer with its revision: `cn:2004-2026@chinese-days@1.5.7+district:x#3+community:y#1`.
 */
export function applyLayers(base: WorkingCalendar, layers: readonly CalendarLayer[]): WorkingCalendar {
  const ordered = [...layers].sort((a, b) => CALENDAR_SCOPES.indexOf(a.scope) - CALENDAR_SCOPES.indexOf(b.scope));
  const days = new Map<string, CalendarDay>(Object.entries(base.days));
  let lastYear = base.lastYear;
  for (const layer of ordered) {
    for (const [date, day] of Object.entries(layer.days)) {
      if (day === null) days.delete(date);
      else days.set(date, { kind: day.kind, name: day.name });
    }
    if (layer.scope === 'district' && layer.lastYear !== undefined) lastYear = Math.max(lastYear, layer.lastYear);
  }
  const version = [base.version, ...ordered.map((l) => `${l.scope}:${l.orgId}#${l.revision}`)].join('+');
  return { version, firstYear: base.firstYear, lastYear, days: Object.fromEntries(days) };
}

/** The calendar an office works by: the national seed with its district's, street's and community's layers. */
export function calendarFor(
  place: CalendarPlace,
  layers: readonly CalendarLayer[],
  base: WorkingCalendar = nationalCalendar(),
): WorkingCalendar {
  return applyLayers(base, layersFor(layers, place));
}
