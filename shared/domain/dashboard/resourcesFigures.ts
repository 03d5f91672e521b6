/**
 * The dashboard's figures of the community's resources (docs/dashboard-model.md, "party building and resources"):
 * venues (bookings held, booked hours against open hours per room, attendance, conflicts still to resolve, regular
 * services), projects (by stage, residents' rating) and the three funds (balance, income and spending of the period),
 * for one community or a street's, over a period as of a day. Computed from the figure rows (activityRows.ts).
 *
 * A booking is read as it stood at the end of the day asked (`bookingAsOf`: its row keeps its earlier states, replayed
 * from its audit), so a move or a cancellation after that day changes no figure as of it. Projects are kept as they
 * stand (a project's stage is a field). Fund entries are dated and never edited, so a balance as of a day is exact.
 * Each room is open its own hours (`open` of its row; 08:00-20:00 for a room that keeps none).
 */
import { daysBetween } from '../dates';
import { projectStageAsOf } from '../resources/projects';
import { DEFAULT_OPEN_HOURS, FUNDS, PROJECT_STATUSES, type Fund, type ProjectStatus } from '../resources/types';
import { clash } from '../resources/venues';
import { bookingAsOf, type BookingRow } from './activityRows';
import { periodEnd, type CommunityActivity, type FigurePeriod } from './partyFigures';

/** A room's open hours each day when it keeps none of its own: 08:00 to 20:00. */
export { DEFAULT_OPEN_HOURS };

export interface ResourceOptions {
  /** Every room's hours instead of its own (a what-if; the screen leaves it out). */
  readonly openHours?: { readonly start: string; readonly end: string };
}

export interface RoomFigures {
  /** `<community>/<venue id>` (a street's rooms of several communities). */
  readonly key: string;
  readonly community: string;
  readonly venueId: string;
  readonly name: string;
  /** Occasions of active bookings held in the period (a regular service: each of its days). */
  readonly occasions: number;
  /** Hours booked in the period: on each day the union of the active bookings' hours (a conflict counts once). */
  readonly bookedHours: number;
  /** The period's days × the room's open hours of a day. */
  readonly openHours: number;
  /** bookedHours ÷ openHours (null when the room has no open hours). */
  readonly occupancy: number | null;
  /** People counted at its occasions from the period's first day to the day asked. */
  readonly attendance: number;
}

export interface RegularService {
  readonly community: string;
  /** The booking (a series across a year end: its first part read). */
  readonly bookingId: string;
  /** The series' key (`seriesKey`): a service across a year end is one service, its parts' days added up. */
  readonly series: string;
  readonly venueId: string;
  readonly purpose: string;
  readonly provider: string;
  /** Its days in the period. */
  readonly occasions: number;
  readonly attendance: number;
}

export interface FundFigures {
  readonly fund: Fund;
  /** Incomes less spendings dated on or before the day asked, every year. */
  readonly balance: number;
  /** Income and spending dated in the period: a reversal (冲正) counts against the kind of the entry it reverses. */
  readonly income: number;
  readonly spending: number;
}

export interface ResourcesFigures {
  readonly rooms: readonly RoomFigures[];
  readonly venues: {
    readonly rooms: number;
    readonly occasions: number;
    readonly bookedHours: number;
    readonly openHours: number;
    readonly occupancy: number | null;
    readonly attendance: number;
    /** Pairs of active bookings of one room that clash (two offline devices booked the hour), still to resolve. */
    readonly conflicts: number;
  };
  readonly regular: readonly RegularService[];
  readonly projects: {
    /** Projects by the stage each stood at on the as-of day (`projectStageAsOf`; not yet published: left out). */
    readonly byStatus: Readonly<Record<ProjectStatus, number>>;
    /** Needs published in the period. */
    readonly publishedInPeriod: number;
    /** Residents' ratings of every project given by the as-of day (one per resident and project), and their average. */
    readonly ratings: number;
    readonly ratingAverage: number | null;
  };
  readonly funds: readonly FundFigures[];
}

function minutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Minutes covered by some intervals (start, end in minutes), overlaps counted once. */
function unionMinutes(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let start = -1;
  let end = -1;
  for (const [s, e] of sorted) {
    if (s > end) {
      total += end - start;
      start = s;
      end = e;
    } else if (e > end) end = e;
  }
  return total + (end - start);
}

const DAY_MS = 86_400_000;

/**
 * The days from `from` to `to` a booking is held: its day, or each day of its weekly pattern from its day to `until`
 * (the rule of `occasions`, docs/resources-model.md), walking only the days of the period.
 */
export function daysHeld(b: Pick<BookingRow, 'date' | 'repeat'>, from: string, to: string): string[] {
  if (b.repeat === null) return b.date >= from && b.date <= to ? [b.date] : [];
  const first = b.date > from ? b.date : from;
  const last = b.repeat.until < to ? b.repeat.until : to;
  if (first > last) return [];
  const weekdays = new Set(b.repeat.weekdays);
  const out: string[] = [];
  const end = Date.parse(`${last}T00:00:00Z`);
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= end; t += DAY_MS) {
    const day = new Date(t);
    const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
    if (weekdays.has(weekday)) out.push(day.toISOString().slice(0, 10));
  }
  return out;
}

/**
 * Every clashing pair of active bookings (`clash`, docs/resources-model.md), each booking once whatever the documents
 * it was read from. Only pairs that can share a day are compared: single bookings of one room and day, and each regular
 * service against every booking of its room.
 */
function conflictCount(bookings: readonly BookingRow[]): number {
  const singles = new Map<string, BookingRow[]>();
  const regular = new Map<string, BookingRow[]>();
  const all = new Map<string, BookingRow[]>();
  for (const b of bookings) {
    if (b.status !== 'active') continue;
    const list = all.get(b.venueId) ?? [];
    list.push(b);
    all.set(b.venueId, list);
    const target = b.repeat === null ? singles : regular;
    const key = b.repeat === null ? `${b.venueId}@${b.date}` : b.venueId;
    const same = target.get(key) ?? [];
    same.push(b);
    target.set(key, same);
  }
  let n = 0;
  // Two series clashing in both years are one conflict to resolve (moved or cancelled as a series): a pair of series
  // is counted once. Bookings of their own are their own series, so other pairs count as before.
  const seriesPairs = new Set<string>();
  const count = (a: BookingRow, b: BookingRow) => {
    if (a.series === undefined && b.series === undefined) {
      n++;
      return;
    }
    const ka = a.series ?? a.id;
    const kb = b.series ?? b.id;
    const pair = ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
    if (!seriesPairs.has(pair)) {
      seriesPairs.add(pair);
      n++;
    }
  };
  for (const list of singles.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i] as BookingRow;
        const b = list[j] as BookingRow;
        if (clash(a, b) !== null) count(a, b);
      }
    }
  }
  for (const [venue, list] of regular) {
    for (const r of list) {
      for (const other of all.get(venue) ?? []) {
        // A pair of regular services is met twice: counted once, from the one with the smaller id.
        if (other === r || (other.repeat !== null && other.id < r.id)) continue;
        if (clash(r, other) !== null) count(r, other);
      }
    }
  }
  return n;
}

/** The resources' figures of the communities (one, or a street's) over the period as of its day. */
export function resourcesFigures(
  communities: readonly CommunityActivity[],
  p: FigurePeriod,
  options: ResourceOptions = {},
): ResourcesFigures {
  const end = periodEnd(p);
  const dayHours = (open: { readonly start: string; readonly end: string }) =>
    Math.max(0, minutes(open.end) - minutes(open.start)) / 60;
  const periodDays = daysBetween(p.from, p.to) + 1;
  const rooms: RoomFigures[] = [];
  const regular: RegularService[] = [];
  let conflicts = 0;
  const byStatus = Object.fromEntries(PROJECT_STATUSES.map((s) => [s, 0])) as Record<ProjectStatus, number>;
  let publishedInPeriod = 0;
  let ratings = 0;
  let ratingSum = 0;
  const funds = new Map<Fund, { balance: number; income: number; spending: number }>(
    FUNDS.map((f) => [f, { balance: 0, income: 0, spending: 0 }]),
  );

  for (const c of communities) {
    const bookings = new Map<string, BookingRow>();
    for (const doc of c.activities) {
      for (const row of doc.bookings) {
        const b = bookingAsOf(row, p.asOf);
        if (b !== null) bookings.set(b.id, b);
      }
    }
    const attendance = new Map<string, number>();
    for (const doc of c.activities) {
      for (const a of doc.attendance) {
        if (a.date < p.from || a.date > end) continue;
        attendance.set(`${a.booking}@${a.date}`, a.count);
      }
    }
    const attendedAt = (booking: string, days: readonly string[]) =>
      days.reduce((sum, day) => sum + (day <= end ? (attendance.get(`${booking}@${day}`) ?? 0) : 0), 0);
    const active = [...bookings.values()].filter((b) => b.status === 'active');
    conflicts += conflictCount(active);
    for (const venue of c.registry.venues) {
      const held = new Map<string, [number, number][]>();
      let n = 0;
      let attended = 0;
      for (const b of active) {
        if (b.venueId !== venue.id) continue;
        const days = daysHeld(b, p.from, p.to);
        n += days.length;
        attended += attendedAt(b.id, days);
        for (const day of days) {
          const list = held.get(day) ?? [];
          list.push([minutes(b.start), minutes(b.end)]);
          held.set(day, list);
        }
      }
      let bookedMinutes = 0;
      for (const list of held.values()) bookedMinutes += unionMinutes(list);
      const openHours = periodDays * dayHours(options.openHours ?? venue.open);
      rooms.push({
        key: `${c.id}/${venue.id}`,
        community: c.id,
        venueId: venue.id,
        name: venue.name,
        occasions: n,
        bookedHours: bookedMinutes / 60,
        openHours,
        occupancy: openHours === 0 ? null : bookedMinutes / 60 / openHours,
        attendance: attended,
      });
    }
    const services = new Map<string, RegularService>();
    for (const b of [...active].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0))) {
      if (b.repeat === null) continue;
      const days = daysHeld(b, p.from, p.to);
      if (days.length === 0) continue;
      const series = b.series ?? b.id;
      const before = services.get(series);
      services.set(series, {
        community: c.id,
        bookingId: before?.bookingId ?? b.id,
        series,
        venueId: b.venueId,
        purpose: b.purpose,
        provider: b.provider,
        occasions: (before?.occasions ?? 0) + days.length,
        attendance: (before?.attendance ?? 0) + attendedAt(b.id, days),
      });
    }
    regular.push(...services.values());
    for (const project of c.registry.projects) {
      const stage = projectStageAsOf(project, p.asOf);
      if (stage !== null) byStatus[stage]++;
      if (project.publishedOn >= p.from && project.publishedOn <= end) publishedInPeriod++;
      for (const rating of project.ratings) {
        if (rating.on > p.asOf) continue;
        ratings++;
        ratingSum += rating.score;
      }
    }
    const entries = new Map(c.registry.fundEntries.map((e) => [e.id, e]));
    for (const e of c.registry.fundEntries) {
      const f = funds.get(e.fund as Fund);
      if (f === undefined || e.date > p.asOf) continue;
      f.balance += e.kind === 'income' ? e.amount : -e.amount;
      if (e.date < p.from || e.date > end) continue;
      const original = e.reverses === null ? undefined : entries.get(e.reverses);
      const kind = original?.kind ?? e.kind;
      const amount = original === undefined ? e.amount : -e.amount;
      if (kind === 'income') f.income += amount;
      else f.spending += amount;
    }
  }

  const sum = (pick: (r: RoomFigures) => number) => rooms.reduce((s, r) => s + pick(r), 0);
  const openHours = sum((r) => r.openHours);
  return {
    rooms,
    venues: {
      rooms: rooms.length,
      occasions: sum((r) => r.occasions),
      bookedHours: sum((r) => r.bookedHours),
      openHours,
      occupancy: openHours === 0 ? null : sum((r) => r.bookedHours) / openHours,
      attendance: sum((r) => r.attendance),
      conflicts,
    },
    regular: regular.sort((a, b) => b.occasions - a.occasions || a.purpose.localeCompare(b.purpose, 'zh-CN')),
    projects: {
      byStatus,
      publishedInPeriod,
      ratings,
      ratingAverage: ratings === 0 ? null : ratingSum / ratings,
    },
    funds: FUNDS.map((fund) => ({
      fund,
      ...(funds.get(fund) as { balance: number; income: number; spending: number }),
    })),
  };
}
