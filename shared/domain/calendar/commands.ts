/**
 * Editing a working-day calendar layer (docs/tasks-model.md, "working-day calendar", *stored* and *edited*): one
 * date of the district's, the street's or the community's layer, kept in the community's registry document
 * (shared/ydoc/calendarLayers.ts). Each edit writes a new revision of the whole layer under its own key, so the
 * resolved calendar's version id changes and every deadline computed before can be told apart and recomputed.
 *
 * Only an admin edits a calendar: the district's IT enters the State Council's notice into the district layer (and
 * extends the covered years with `lastYear`), a street or a community adds its local days.
 */
import { z } from 'zod';
import { isIsoDate } from '../dates';
import { defineCommand, plan, refuse } from '../kernel';
import { registryJournal } from '../registry/journal';
import { readCalendarLayers, writeCalendarLayer, calendarLayerKey } from '../../ydoc/calendarLayers';
import { readMeta } from '../../ydoc/registry';
import { calendarFor, layersFor } from './calendar';
import {
  calendarDaySchema,
  calendarLayerSchema,
  CALENDAR_SCOPES,
  type CalendarLayer,
  type CalendarPlace,
  type WorkingCalendar,
} from './types';
import type * as Y from 'yjs';

/** Where a community sits for its calendar: its district and street by name (the registry's meta), itself by id. */
export function communityPlace(doc: Y.Doc, communityId: string): CalendarPlace {
  const meta = readMeta(doc);
  const place: { district: string; street?: string; community: string } = {
    district: meta.districtName.trim(),
    community: communityId,
  };
  if (meta.streetName.trim() !== '') place.street = meta.streetName.trim();
  return place;
}

const calendars = new Map<string, WorkingCalendar>();

/**
 * The calendar a community works by: the national seed with the layers its registry holds for its district, street
 * and itself. The same version gives the same object (its working-day index is built once).
 */
export function communityCalendar(doc: Y.Doc, communityId: string): WorkingCalendar {
  const resolved = calendarFor(communityPlace(doc, communityId), readCalendarLayers(doc));
  const known = calendars.get(resolved.version);
  if (known !== undefined) return known;
  if (calendars.size > 64) calendars.clear();
  calendars.set(resolved.version, resolved);
  return resolved;
}

/** The layer of one office as it stands (its highest revision), or null when it has none yet. */
export function currentLayer(doc: Y.Doc, scope: CalendarLayer['scope'], orgId: string): CalendarLayer | null {
  const place = { district: '', [scope]: orgId } as CalendarPlace;
  return layersFor(readCalendarLayers(doc), place).find((l) => l.scope === scope && l.orgId === orgId) ?? null;
}

export const setCalendarDaySchema = z.object({
  scope: z.enum(CALENDAR_SCOPES),
  orgId: z.string().trim().min(1).max(60),
  date: z.string().refine(isIsoDate, { error: 'date' }),
  /**
   * What the date is in this layer: a day off or a 调休 working day (`day`), a plain weekday or weekend whatever the
   * layers above say (`plain`), or whatever the layers above say (`inherit`: the date is taken out of this layer).
   */
  set: z.discriminatedUnion('as', [
    z.object({ as: z.literal('day'), day: calendarDaySchema }),
    z.object({ as: z.literal('plain') }),
    z.object({ as: z.literal('inherit') }),
  ]),
  /** The district's layer only: the last year whose notice it holds (extends the covered years). */
  lastYear: z.number().int().min(2004).max(2100).optional(),
  /**
   * The same office's layer as another registry of this device holds it (a street's device keeps the district's
   * layer in each community's registry): when its revision is at least this registry's, the edit starts from it, so
   * every community of the district the device edits ends on the same layer and revision (docs/tasks-model.md,
   * "edited"). It must be the layer named by `scope` and `orgId`.
   */
  base: calendarLayerSchema.optional(),
});

export type SetCalendarDayInput = z.input<typeof setCalendarDaySchema>;

/** Years a layer may name: those the working-day arithmetic counts (docs/tasks-model.md). */
const FIRST_YEAR = 2004;
const LAST_YEAR = 2100;

export const setCalendarDay = defineCommand({
  name: 'setCalendarDay',
  permission: 'admin',
  input: setCalendarDaySchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    const year = Number(v.date.slice(0, 4));
    if (year < FIRST_YEAR || year > LAST_YEAR) return refuse('date.invalid', 'date');
    if (v.lastYear !== undefined && v.scope !== 'district') return refuse('invalid', 'lastYear');
    if (v.base !== undefined && (v.base.scope !== v.scope || v.base.orgId !== v.orgId))
      return refuse('invalid', 'base');
    const current = currentLayer(doc, v.scope, v.orgId);
    // A base of the same revision wins the tie, so that every registry given the same base ends on the same layer.
    const start = v.base !== undefined && v.base.revision >= (current?.revision ?? 0) ? v.base : current;
    const days: Record<string, CalendarLayer['days'][string]> = Object.fromEntries(
      Object.entries(start?.days ?? {}).filter(([date]) => date !== v.date),
    );
    if (v.set.as === 'day') days[v.date] = { kind: v.set.day.kind, name: v.set.day.name };
    else if (v.set.as === 'plain') days[v.date] = null;
    const lastYear = v.lastYear ?? start?.lastYear;
    const next: CalendarLayer = {
      scope: v.scope,
      orgId: v.orgId,
      revision: Math.max(current?.revision ?? 0, start?.revision ?? 0) + 1,
      ...(lastYear !== undefined && v.scope === 'district' ? { lastYear } : {}),
      days,
    };
    // `null` (plain) and absent (inherit) are different answers: the days are compared with their keys in order.
    const said = (layer: CalendarLayer) =>
      JSON.stringify([
        Object.entries(layer.days).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        layer.scope === 'district' ? (layer.lastYear ?? null) : null,
      ]);
    const unchanged = current !== null && said(current) === said(next);
    if (unchanged) return plan(current, null);
    const id = ctx.newId();
    return plan(next, (audit) => {
      writeCalendarLayer(doc, next, id);
      audit({
        action: 'update',
        collection: 'meta',
        recordId: calendarLayerKey(next, id),
        fields: {
          date: v.date,
          set: v.set,
          revision: next.revision,
          ...(start !== null && start !== current ? { base: start.revision } : {}),
          ...(v.lastYear !== undefined ? { lastYear } : {}),
        },
      });
    });
  },
});
