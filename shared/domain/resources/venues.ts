/**
 * Venues (阵地) and their bookings (docs/resources-model.md, "venues").
 *
 * - A venue is a registry record (`venues`): name, capacity, equipment.
 * - A booking is one occasion or a regular service (weekly days over a date range) in the activities document of its
 *   year. A regular service across a year end is a **series**: one part per year, each in its year's document, sharing
 *   a series id (`bookSeries`, `cancelSeries`, `moveSeries`), so that every occasion still lives in the document of its
 *   year and every check on one document stays whole for that year.
 * - A booking falls within its room's opening hours (`openHoursOf`). Two active bookings of one venue that share a day and overlap in time are a **double booking**: refused when
 *   booked (or moved) on the device, and, when two offline devices each booked the hour, both are kept after the
 *   merge and both read as 冲突 (`bookingConflicts`) until a person moves or cancels one (audited).
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { addDays } from '../dates';
import {
  defineCommand,
  parseInput,
  permits,
  plan,
  refuse,
  type AuditStamp,
  type CommandContext,
  type CommandResult,
  type Plan,
} from '../kernel';
import { readRecord } from '../../ydoc/registry';
import {
  appendResourceAudit,
  listBookings,
  putAttendance,
  putBooking,
  readBooking,
  type ResourceAuditNote,
} from '../../ydoc/resources';
import { insertPlan, registryJournal, updateExisting } from '../registry/journal';
import { RULE } from './rules';
import {
  DEFAULT_OPEN_HOURS,
  FEE_KINDS,
  idSchema,
  isoDateSchema,
  nameSchema,
  textSchema,
  timeSchema,
  type Booking,
  type OpenHours,
  type Venue,
} from './types';

// --- occasions and overlaps ------------------------------------------------------------------------------------------

/** Day of the week of an ISO date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The days a booking is held: its date, or every day of its weekly pattern from its date to `until`. */
export function occasions(booking: Pick<Booking, 'date' | 'repeat'>): string[] {
  if (booking.repeat === null) return [booking.date];
  const days = new Set(booking.repeat.weekdays);
  const out: string[] = [];
  for (let d = booking.date; d <= booking.repeat.until; d = addDays(d, 1)) if (days.has(weekdayOf(d))) out.push(d);
  return out;
}

/** True when the booking is held on `date`. */
export function heldOn(booking: Pick<Booking, 'date' | 'repeat'>, date: string): boolean {
  if (booking.repeat === null) return booking.date === date;
  return date >= booking.date && date <= booking.repeat.until && booking.repeat.weekdays.includes(weekdayOf(date));
}

type Slot = Pick<Booking, 'venueId' | 'date' | 'start' | 'end' | 'repeat'>;

/** The first day both bookings are held, or null when they never share one. */
export function sharedDay(a: Slot, b: Slot): string | null {
  if (a.repeat === null) return heldOn(b, a.date) ? a.date : null;
  if (b.repeat === null) return heldOn(a, b.date) ? b.date : null;
  const from = a.date > b.date ? a.date : b.date;
  const to = a.repeat.until < b.repeat.until ? a.repeat.until : b.repeat.until;
  // Within any 7 days every weekday comes once, so at most 7 days are looked at.
  for (let d = from, n = 0; d <= to && n < 7; d = addDays(d, 1), n += 1) if (heldOn(a, d) && heldOn(b, d)) return d;
  return null;
}

/** Same venue, a shared day and overlapping hours (a booking ending at 10:00 and one starting at 10:00 do not clash). */
export function clash(a: Slot, b: Slot): string | null {
  if (a.venueId !== b.venueId) return null;
  if (!(a.start < b.end && b.start < a.end)) return null;
  return sharedDay(a, b);
}

export interface BookingConflict {
  readonly a: Booking;
  readonly b: Booking;
  /** The first day they clash. */
  readonly date: string;
}

/**
 * Every pair of active bookings that clash. The commands refuse a clash, so a pair here came from two devices that
 * booked offline (or a move that crossed one by sync): both stay, both read 冲突, until one is moved or cancelled.
 */
export function bookingConflicts(bookings: readonly Booking[]): BookingConflict[] {
  const active = bookings.filter((b) => b.status === 'active');
  const byVenue = new Map<string, Booking[]>();
  for (const b of active) byVenue.set(b.venueId, [...(byVenue.get(b.venueId) ?? []), b]);
  const out: BookingConflict[] = [];
  for (const list of byVenue.values()) {
    for (let i = 0; i < list.length; i += 1) {
      for (let j = i + 1; j < list.length; j += 1) {
        const a = list[i] as Booking;
        const b = list[j] as Booking;
        const date = clash(a, b);
        if (date !== null) out.push(a.id < b.id ? { a, b, date } : { a: b, b: a, date });
      }
    }
  }
  return out;
}

/** The ids of the bookings in a conflict, each with the ids it clashes with. */
export function conflictedIds(conflicts: readonly BookingConflict[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { a, b } of conflicts) {
    out.set(a.id, [...(out.get(a.id) ?? []), b.id]);
    out.set(b.id, [...(out.get(b.id) ?? []), a.id]);
  }
  return out;
}

// --- venue commands (registry) ---------------------------------------------------------------------------------------

const equipment = z.array(z.string().trim().min(1).max(50)).max(50);

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** A room's opening hours as stored, or the default (08:00-20:00) when it keeps none or they do not read as hours. */
export function openHoursOf(venue: Pick<Venue, 'openHours'> | Readonly<Record<string, unknown>>): OpenHours {
  const hours = (venue as { openHours?: unknown }).openHours;
  if (typeof hours !== 'object' || hours === null) return DEFAULT_OPEN_HOURS;
  const { start, end } = hours as { start?: unknown; end?: unknown };
  if (typeof start !== 'string' || typeof end !== 'string' || !TIME.test(start) || !TIME.test(end) || end <= start)
    return DEFAULT_OPEN_HOURS;
  return { start, end };
}

const openHoursSchema = z.object({ start: timeSchema, end: timeSchema });

export const venueInputSchema = z.object({
  name: nameSchema,
  capacity: z.number().int().min(1).max(100_000),
  equipment: equipment.default([]),
  note: textSchema.default(''),
  /** One daily span; left out, the room keeps the default (08:00-20:00). */
  openHours: openHoursSchema.optional(),
});

function checkOpenHours(hours: OpenHours | undefined): CommandResult<never> | null {
  if (hours !== undefined && hours.end <= hours.start)
    return refuse('invalid', 'openHours.end', { rule: RULE.endBeforeStart });
  return null;
}

/** Adds a room or place of the venue (阵地). */
export const createVenue = defineCommand({
  name: 'createVenue',
  permission: 'resources.edit',
  input: venueInputSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    const problem = checkOpenHours(v.openHours);
    if (problem) return problem;
    const { openHours, ...rest } = v;
    return insertPlan(doc, 'venues', ctx.newId(), openHours === undefined ? rest : { ...rest, openHours });
  },
});

/** Changes a room (its opening hours included: bookings already made stand; new ones are checked against them). */
export const updateVenue = defineCommand({
  name: 'updateVenue',
  permission: 'resources.edit',
  input: venueInputSchema.partial().extend({ id: idSchema }),
  journal: registryJournal,
  plan: (doc, { id, ...changes }) => {
    const problem = checkOpenHours(changes.openHours);
    if (problem) return problem;
    return updateExisting(doc, 'venues', id, changes);
  },
});

// --- booking commands (activities document) ---------------------------------------------------------------------

/** What a booking command reads from the registry: the venues, to check the room exists and its capacity. */
export interface VenuesEnv {
  readonly venues: ReadonlyMap<string, Venue>;
}

/** The venues of a registry document, for `VenuesEnv`. */
export function venuesEnv(registry: Y.Doc): VenuesEnv {
  const venues = new Map<string, Venue>();
  registry.getMap('venues').forEach((_, id) => {
    const venue = readRecord(registry, 'venues', id);
    if (venue) venues.set(id, venue);
  });
  return { venues };
}

const resourceJournal = (doc: Y.Doc, entries: readonly (AuditStamp & ResourceAuditNote)[]) =>
  appendResourceAudit(doc, entries);

const repeatSchema = z.object({
  weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  until: isoDateSchema,
});

const slotSchema = z.object({
  venueId: idSchema,
  date: isoDateSchema,
  start: timeSchema,
  end: timeSchema,
  repeat: repeatSchema.nullable().default(null),
});

const bookingFields = {
  purpose: nameSchema,
  organiser: nameSchema,
  provider: z.string().trim().max(100).default(''),
  residentId: idSchema.nullable().default(null),
  fee: z.enum(FEE_KINDS),
  expected: z.number().int().min(0).max(100_000),
};

export const bookVenueSchema = slotSchema.extend({
  ...bookingFields,
  /** The series this booking is a part of (`bookSeries` sets it); null for a booking of its own. */
  series: idSchema.nullable().default(null),
});

type SlotInput = z.output<typeof slotSchema>;

/**
 * Checks a slot: the venue, the hours (within the room's opening hours), the weekly pattern, the capacity, and no
 * clash with another active booking of the document (each booking's days lie in its document's year, a series' parts
 * included, so the document of the slot's year holds every booking it can clash with).
 */
function checkSlot(
  doc: Y.Doc,
  env: VenuesEnv,
  slot: SlotInput,
  expected: number,
  except: string | null,
): CommandResult<never> | null {
  const venue = env.venues.get(slot.venueId);
  if (venue === undefined) return refuse('not-found', 'venueId');
  if (slot.end <= slot.start) return refuse('invalid', 'end', { rule: RULE.endBeforeStart });
  const open = openHoursOf(venue);
  if (slot.start < open.start || slot.end > open.end)
    return refuse('invalid', slot.start < open.start ? 'start' : 'end', {
      rule: RULE.outsideHours,
      start: open.start,
      end: open.end,
    });
  if (slot.repeat !== null) {
    const { until } = slot.repeat;
    // A booking lives in the document of its first day's year: it runs within that year. A service across a year end
    // is a series of one booking per year (`bookSeries`).
    if (until < slot.date || until.slice(0, 4) !== slot.date.slice(0, 4))
      return refuse('invalid', 'repeat.until', { rule: RULE.repeatRange });
    if (occasions(slot).length === 0) return refuse('invalid', 'repeat.weekdays', { rule: RULE.repeatEmpty });
  }
  if (expected > venue.capacity)
    return refuse('invalid', 'expected', { rule: RULE.overCapacity, capacity: venue.capacity });
  for (const other of listBookings(doc)) {
    if (other.id === except || other.status !== 'active') continue;
    const day = clash(slot, other);
    if (day !== null)
      return refuse('invalid', 'start', {
        rule: RULE.doubleBooked,
        date: day,
        start: other.start,
        end: other.end,
        purpose: other.purpose,
      });
  }
  return null;
}

/**
 * Books a venue: one occasion, or a regular service (`repeat`: weekly days until a date). Refused when it clashes with
 * an active booking this device holds (docs/resources-model.md, "double booking").
 */
export const bookVenue = defineCommand({
  name: 'bookVenue',
  permission: 'resources.edit',
  input: bookVenueSchema,
  journal: resourceJournal,
  plan: (doc, v, ctx, env: VenuesEnv): CommandResult<Plan<string, ResourceAuditNote>> => {
    const problem = checkSlot(doc, env, v, v.expected, null);
    if (problem) return problem;
    const id = ctx.newId();
    return plan(id, (audit, at) => {
      const booking: Booking = {
        id,
        ...v,
        status: 'active',
        cancelReason: '',
        createdAt: at,
        createdBy: ctx.actor.userName,
        updatedAt: at,
      };
      putBooking(doc, booking);
      audit({ action: 'bookVenue', recordId: id, fields: { ...v } });
    });
  },
});

export const moveBookingSchema = slotSchema.extend({ id: idSchema, note: textSchema.default('') });

/**
 * Moves a booking to another day, hours or room (the way out of a conflict): checked like a new booking against every
 * other active booking. The day stays in the booking's year (its document).
 */
export const moveBooking = defineCommand({
  name: 'moveBooking',
  permission: 'resources.edit',
  input: moveBookingSchema,
  journal: resourceJournal,
  plan: (doc, { id, note, ...slot }, _ctx, env: VenuesEnv): CommandResult<Plan<string, ResourceAuditNote>> => {
    const current = readBooking(doc, id);
    if (current === null) return refuse('not-found', 'id');
    if (current.status !== 'active') return refuse('invalid', 'id', { rule: RULE.bookingCancelled });
    if (slot.date.slice(0, 4) !== current.date.slice(0, 4))
      return refuse('invalid', 'date', { rule: RULE.otherYear, year: current.date.slice(0, 4) });
    const problem = checkSlot(doc, env, slot, current.expected, id);
    if (problem) return problem;
    return plan(id, (audit, at) => {
      putBooking(doc, { ...current, ...slot, updatedAt: at });
      audit({
        action: 'moveBooking',
        recordId: id,
        fields: {
          from: { venueId: current.venueId, date: current.date, start: current.start, end: current.end },
          to: slot,
          note,
        },
      });
    });
  },
});

export const cancelBookingSchema = z.object({
  id: idSchema,
  reason: nameSchema,
  /**
   * A regular service's occasions from this day on only: the days before it stay (with their attendance) and the
   * booking ends on the day before (`repeat.until`, audited as `until`). Null or on or before its first day: the
   * whole booking.
   */
  from: isoDateSchema.nullable().default(null),
});

/** Cancels a booking (or a regular service from a day on), with the reason (kept, shown, audited). */
export const cancelBooking = defineCommand({
  name: 'cancelBooking',
  permission: 'resources.edit',
  input: cancelBookingSchema,
  journal: resourceJournal,
  plan: (doc, { id, reason, from }) => {
    const current = readBooking(doc, id);
    if (current === null) return refuse('not-found', 'id');
    if (current.status !== 'active') return refuse('invalid', 'id', { rule: RULE.bookingCancelled });
    const kept = from === null ? [] : occasions(current).filter((d) => d < from);
    if (current.repeat !== null && kept.length > 0) {
      const until = addDays(from as string, -1);
      if (until >= current.repeat.until) return plan(id, null);
      const repeat = { ...current.repeat, until };
      return plan(id, (audit, at) => {
        putBooking(doc, { ...current, repeat, updatedAt: at });
        audit({ action: 'cancelBooking', recordId: id, fields: { reason, from, until } });
      });
    }
    return plan(id, (audit, at) => {
      putBooking(doc, { ...current, status: 'cancelled', cancelReason: reason, updatedAt: at });
      audit({ action: 'cancelBooking', recordId: id, fields: { reason } });
    });
  },
});

export const recordAttendanceSchema = z.object({
  bookingId: idSchema,
  date: isoDateSchema,
  count: z.number().int().min(0).max(100_000),
});

/** Records how many came to one occasion of a booking (the last count of an occasion wins; the audit keeps each). */
export const recordAttendance = defineCommand({
  name: 'recordAttendance',
  permission: 'resources.edit',
  input: recordAttendanceSchema,
  journal: resourceJournal,
  plan: (doc, v, ctx) => {
    const booking = readBooking(doc, v.bookingId);
    if (booking === null) return refuse('not-found', 'bookingId');
    if (!heldOn(booking, v.date)) return refuse('invalid', 'date', { rule: RULE.notHeld });
    return plan(v.count, (audit, at) => {
      putAttendance(doc, { ...v, recordedAt: at, recordedBy: ctx.actor.userName });
      audit({ action: 'recordAttendance', recordId: v.bookingId, fields: { date: v.date, count: v.count } });
    });
  },
});

/** The key of an occasion: a booking on a day. */
export function occasionDays(booking: Booking, from: string, to: string): string[] {
  return occasions(booking).filter((d) => d >= from && d <= to);
}

// --- series: a regular service across a year end ---------------------------------------------------------------------

/** The key of a booking's series: its `series`, or its own id for a booking of its own (a series of one). */
export function seriesKey(b: Pick<Booking, 'id' | 'series'>): string {
  return b.series ?? b.id;
}

/** The yearly activities documents a series command reads and writes, by year (those the device holds). */
export type YearDocs = ReadonlyMap<number, Y.Doc>;

/** A regular service runs at most into the year after its first day's: the school year, the care season. */
const MAX_SERIES_YEARS = 2;

export interface SeriesPart {
  readonly year: number;
  /** The part's first day: the series' first occasion in that year. */
  readonly date: string;
  /** The part's last day: the series' `until`, or 31 December of a year it runs past. */
  readonly until: string;
}

/**
 * The parts of a regular service from `date` to `until` on `weekdays`: one per year it has an occasion in, each from
 * its first occasion of the year to the series' end or the year's. A year without an occasion has no part.
 */
export function seriesParts(date: string, weekdays: readonly number[], until: string): SeriesPart[] {
  const out: SeriesPart[] = [];
  for (let year = Number(date.slice(0, 4)); year <= Number(until.slice(0, 4)); year += 1) {
    const from = year === Number(date.slice(0, 4)) ? date : `${year}-01-01`;
    const to = `${year}-12-31` < until ? `${year}-12-31` : until;
    const first = occasions({ date: from, repeat: { weekdays, until: to } })[0];
    if (first !== undefined) out.push({ year, date: first, until: to });
  }
  return out;
}

export const bookSeriesSchema = bookVenueSchema.omit({ series: true });

export interface BookedSeries {
  /** The series id; null when the service fits in one year (one booking of its own). */
  readonly series: string | null;
  /** The bookings written, one per year. */
  readonly ids: readonly string[];
}

function yearDoc(docs: YearDocs, year: number): CommandResult<Y.Doc> {
  const doc = docs.get(year);
  return doc === undefined ? refuse('not-found', 'date', { year }) : { ok: true, value: doc };
}

/**
 * Books a venue, a regular service across a year end included, as one action: a single booking or a service within
 * one year is `bookVenue` on its year's document; a service into the next year is one part per year (`seriesParts`),
 * each booked in its year's document with a shared series id. Every part is checked first (hours, capacity, no clash
 * with the active bookings of its year's document), so a refusal leaves nothing behind; then each part is one
 * `bookVenue` transaction on its document (docs/resources-model.md, "venues").
 */
export function bookSeries(
  docs: YearDocs,
  ctx: CommandContext,
  input: z.input<typeof bookSeriesSchema>,
  env: VenuesEnv,
): CommandResult<BookedSeries> {
  if (!permits(bookVenue.permission, ctx.permissions)) return refuse('permission-denied');
  const parsed = parseInput(bookSeriesSchema, input);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  const firstYear = Number(v.date.slice(0, 4));
  const single = v.repeat === null || v.repeat.until.slice(0, 4) === v.date.slice(0, 4);
  if (single) {
    const doc = yearDoc(docs, firstYear);
    if (!doc.ok) return doc;
    const id = bookVenue(doc.value, ctx, { ...v, series: null }, env);
    return id.ok ? { ok: true, value: { series: null, ids: [id.value] } } : id;
  }
  const { weekdays, until } = v.repeat as NonNullable<typeof v.repeat>;
  if (until < v.date || Number(until.slice(0, 4)) >= firstYear + MAX_SERIES_YEARS)
    return refuse('invalid', 'repeat.until', { rule: RULE.repeatRange });
  const parts = seriesParts(v.date, weekdays, until);
  if (parts.length === 0) return refuse('invalid', 'repeat.weekdays', { rule: RULE.repeatEmpty });
  const planned: { doc: Y.Doc; part: SeriesPart }[] = [];
  for (const part of parts) {
    const doc = yearDoc(docs, part.year);
    if (!doc.ok) return doc;
    const problem = checkSlot(
      doc.value,
      env,
      { ...v, date: part.date, repeat: { weekdays, until: part.until } },
      v.expected,
      null,
    );
    if (problem) return problem;
    planned.push({ doc: doc.value, part });
  }
  const series = ctx.newId();
  const ids: string[] = [];
  for (const { doc, part } of planned) {
    const id = bookVenue(doc, ctx, { ...v, date: part.date, repeat: { weekdays, until: part.until }, series }, env);
    // Checked above on the same documents in the same turn: a refusal here would be a bug, reported as such.
    if (!id.ok) return id;
    ids.push(id.value);
  }
  return { ok: true, value: { series, ids } };
}

/** The parts of a series (or the booking of its own `key` names) in the documents given, by year. */
export function seriesBookings(docs: YearDocs, key: string): { year: number; doc: Y.Doc; booking: Booking }[] {
  const out: { year: number; doc: Y.Doc; booking: Booking }[] = [];
  for (const [year, doc] of [...docs].sort((a, b) => a[0] - b[0])) {
    for (const booking of listBookings(doc)) if (seriesKey(booking) === key) out.push({ year, doc, booking });
  }
  return out;
}

export const cancelSeriesSchema = z.object({
  series: idSchema,
  reason: nameSchema,
  from: isoDateSchema.nullable().default(null),
});

/**
 * Cancels a whole series (every active part in the documents given), or its occasions from a day on: parts before the
 * day stay, the part the day falls in ends the day before (`cancelBooking` with `from`), later parts are cancelled.
 * Each part is one `cancelBooking` on its document. Returns the ids of the parts changed.
 */
export function cancelSeries(
  docs: YearDocs,
  ctx: CommandContext,
  input: z.input<typeof cancelSeriesSchema>,
): CommandResult<string[]> {
  if (!permits(cancelBooking.permission, ctx.permissions)) return refuse('permission-denied');
  const parsed = parseInput(cancelSeriesSchema, input);
  if (!parsed.ok) return parsed;
  const { series, reason, from } = parsed.value;
  const parts = seriesBookings(docs, series).filter(({ booking }) => booking.status === 'active');
  const touched = parts.filter(({ booking }) => from === null || occasions(booking).some((d) => d >= from));
  if (touched.length === 0)
    return seriesBookings(docs, series).length === 0
      ? refuse('not-found', 'series')
      : refuse('invalid', 'series', { rule: RULE.bookingCancelled });
  const ids: string[] = [];
  for (const { doc, booking } of touched) {
    const done = cancelBooking(doc, ctx, { id: booking.id, reason, from });
    if (!done.ok) return done;
    ids.push(done.value);
  }
  return { ok: true, value: ids };
}

export const moveSeriesSchema = z.object({
  series: idSchema,
  venueId: idSchema,
  start: timeSchema,
  end: timeSchema,
  /** From this day on only: the occasions before it stay where they were. Null: the whole series. */
  from: isoDateSchema.nullable().default(null),
  note: textSchema.default(''),
});

/**
 * Moves a series (or a regular service of its own) to another room or hours, whole or from a day on. A part wholly on
 * or after the day (every part, without one) keeps its days and gets the new room and hours (`moveBooking`); a part
 * wholly before it stays; the part the day falls in is split: it ends the day before (`cancelBooking` with `from`,
 * its earlier days and their attendance kept) and a new part of the series runs from the day on in the new room and
 * hours (`bookVenue`, in the same year's document). Everything is checked first, each part like a new booking against
 * the other bookings of its year's document, so a refusal leaves every part as it was. Returns the ids of the parts
 * moved or made.
 */
export function moveSeries(
  docs: YearDocs,
  ctx: CommandContext,
  input: z.input<typeof moveSeriesSchema>,
  env: VenuesEnv,
): CommandResult<string[]> {
  if (!permits(moveBooking.permission, ctx.permissions) || !permits(bookVenue.permission, ctx.permissions))
    return refuse('permission-denied');
  const parsed = parseInput(moveSeriesSchema, input);
  if (!parsed.ok) return parsed;
  const { series, note, from, ...slot } = parsed.value;
  const parts = seriesBookings(docs, series).filter(({ booking }) => booking.status === 'active');
  if (parts.length === 0) return refuse('not-found', 'series');
  const repeatOf = (b: Booking) =>
    b.repeat === null ? null : { weekdays: [...b.repeat.weekdays], until: b.repeat.until };
  type Step =
    { kind: 'move'; doc: Y.Doc; booking: Booking } | { kind: 'split'; doc: Y.Doc; booking: Booking; date: string };
  const steps: Step[] = [];
  for (const { doc, booking } of parts) {
    const days = occasions(booking);
    const later = from === null ? days : days.filter((d) => d >= from);
    const first = later[0];
    if (first === undefined) continue;
    const whole = later.length === days.length;
    const date = whole ? booking.date : first;
    const problem = checkSlot(doc, env, { ...slot, date, repeat: repeatOf(booking) }, booking.expected, booking.id);
    if (problem) return problem;
    steps.push(whole ? { kind: 'move', doc, booking } : { kind: 'split', doc, booking, date });
  }
  if (steps.length === 0) return refuse('invalid', 'from', { rule: RULE.notHeld });
  const ids: string[] = [];
  for (const step of steps) {
    const { doc, booking } = step;
    if (step.kind === 'move') {
      const moved = moveBooking(
        doc,
        ctx,
        { id: booking.id, ...slot, date: booking.date, repeat: repeatOf(booking), note },
        env,
      );
      if (!moved.ok) return moved;
      ids.push(moved.value);
      continue;
    }
    // The part the day falls in: its days before the day stay; from the day on, a new part of the same series.
    const cut = cancelBooking(doc, ctx, { id: booking.id, reason: note === '' ? `→ ${step.date}` : note, from });
    if (!cut.ok) return cut;
    const made = bookVenue(
      doc,
      ctx,
      {
        ...slot,
        date: step.date,
        repeat: repeatOf(booking),
        purpose: booking.purpose,
        organiser: booking.organiser,
        provider: booking.provider,
        residentId: booking.residentId,
        fee: booking.fee,
        expected: booking.expected,
        series: seriesKey(booking),
      },
      env,
    );
    if (!made.ok) return made;
    ids.push(made.value);
  }
  return { ok: true, value: ids };
}
