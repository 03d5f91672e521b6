/**
 * Venues (阵地) and their bookings (docs/resources-model.md, "venues").
 *
 * - A venue is a registry record (`venues`): name, capacity, equipment.
 * - A booking is one occasion or a regular service (weekly days over a date range) in the activities document of its
 *   year. Two active bookings of one venue that share a day and overlap in time are a **double booking**: refused when
 *   booked (or moved) on the device, and, when two offline devices each booked the hour, both are kept after the
 *   merge and both read as 冲突 (`bookingConflicts`) until a person moves or cancels one (audited).
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { addDays } from '../dates';
import { defineCommand, plan, refuse, type AuditStamp, type CommandResult, type Plan } from '../kernel';
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
  FEE_KINDS,
  idSchema,
  isoDateSchema,
  nameSchema,
  textSchema,
  timeSchema,
  type Booking,
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

export const venueInputSchema = z.object({
  name: nameSchema,
  capacity: z.number().int().min(1).max(100_000),
  equipment: equipment.default([]),
  note: textSchema.default(''),
});

/** Adds a room or place of the venue (阵地). */
export const createVenue = defineCommand({
  name: 'createVenue',
  permission: 'resources.edit',
  input: venueInputSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => insertPlan(doc, 'venues', ctx.newId(), { ...v }),
});

export const updateVenue = defineCommand({
  name: 'updateVenue',
  permission: 'resources.edit',
  input: venueInputSchema.partial().extend({ id: idSchema }),
  journal: registryJournal,
  plan: (doc, { id, ...changes }) => updateExisting(doc, 'venues', id, changes),
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

export const bookVenueSchema = slotSchema.extend({
  purpose: nameSchema,
  organiser: nameSchema,
  provider: z.string().trim().max(100).default(''),
  residentId: idSchema.nullable().default(null),
  fee: z.enum(FEE_KINDS),
  expected: z.number().int().min(0).max(100_000),
});

type SlotInput = z.output<typeof slotSchema>;

/** Checks a slot: the venue, the hours, the weekly pattern, the capacity, and no clash with another active booking. */
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
  if (slot.repeat !== null) {
    const { until } = slot.repeat;
    // A regular service lives in the document of its first day's year: it runs within that year (renewed for the next).
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

export const cancelBookingSchema = z.object({ id: idSchema, reason: nameSchema });

/** Cancels a booking, with the reason (kept, shown, audited). */
export const cancelBooking = defineCommand({
  name: 'cancelBooking',
  permission: 'resources.edit',
  input: cancelBookingSchema,
  journal: resourceJournal,
  plan: (doc, { id, reason }) => {
    const current = readBooking(doc, id);
    if (current === null) return refuse('not-found', 'id');
    if (current.status !== 'active') return refuse('invalid', 'id', { rule: RULE.bookingCancelled });
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
