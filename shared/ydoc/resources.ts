/**
 * Yjs layout of the resources' part of a community's yearly `activities` document (`<community>/activities/<year>`,
 * name built by `docName`; docs/resources-model.md). The document is shared with the party-building records
 * (docs/party-model.md), which keep their own top-level names; the resources own `bookings`, `attendance` and every
 * name starting with `venue`, `project` or `fund`.
 *
 * | top-level name | Yjs type                          | holds                                                          |
 * | -------------- | --------------------------------- | -------------------------------------------------------------- |
 * | `bookings`     | `Y.Map<id, Booking>`              | each booking of a venue whose (first) day falls in the year, as plain JSON; a move or a cancellation replaces it whole; a regular service across a year end is one part per year, each in its year's document, sharing `series` |
 * | `attendance`   | `Y.Map<bookingId@date, Attendance>` | the attendance counted at one occasion (the last count wins)  |
 * | `fundFiles`    | `Y.Map<id, FundFile>`             | receipts (photos) of fund entries dated in the year: small data URLs, written once |
 * | `venueAudit`   | `Y.Array<ResourceAuditEntry>`     | one entry per command write on this document, in the same transaction |
 *
 * Why bookings are whole values in a map and not append-only steps: a booking has one owner at a time and is changed
 * rarely (moved, cancelled); the map keeps one value per id, and the audit keeps every version with who and when. Two
 * devices booking the same hour offline write two different ids: both survive the merge, and the reader sees the
 * overlap (`bookingConflicts`, shared/domain/resources/venues.ts) instead of losing one.
 *
 * Readers leave out, without throwing, anything that does not fit its shape (any device holding a token may write).
 * Only shared/domain/resources writes through the helpers marked "write".
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { checker } from './checker';
import { FEE_KINDS, type Attendance, type Booking } from '../domain/resources/types';

export interface ResourceAuditNote {
  readonly action: string;
  readonly recordId: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface ResourceAuditEntry extends ResourceAuditNote {
  readonly id: string;
  readonly at: string;
  readonly userId: string;
  readonly userName: string;
  readonly deviceId: string;
}

export interface FundFile {
  readonly id: string;
  readonly name: string;
  /** MIME type, e.g. image/jpeg. */
  readonly type: string;
  /** `data:<type>;base64,...` */
  readonly data: string;
  readonly addedAt: string;
  readonly addedBy: string;
}

/** Largest stored receipt, as data-URL characters (about 300 kB), the bound of a case's and a task's files. */
export const MAX_FUND_FILE_CHARS = 400_000;

const bookingsMap = (doc: Y.Doc) => doc.getMap<Booking>('bookings');
const attendanceMap = (doc: Y.Doc) => doc.getMap<Attendance>('attendance');
const fundFilesMap = (doc: Y.Doc) => doc.getMap<FundFile>('fundFiles');
export const VENUE_AUDIT_ARRAY = 'venueAudit';
const auditArray = (doc: Y.Doc) => doc.getArray<ResourceAuditEntry>(VENUE_AUDIT_ARRAY);

const short = z.string().max(1000);
const isBooking = checker<Booking>(
  z.object({
    id: z.string().min(1).max(200),
    venueId: z.string().min(1).max(200),
    date: z.string().length(10),
    start: z.string().length(5),
    end: z.string().length(5),
    repeat: z.object({ weekdays: z.array(z.number().int().min(1).max(7)), until: z.string().length(10) }).nullable(),
    purpose: short,
    organiser: short,
    provider: short,
    residentId: z.string().max(200).nullable(),
    fee: z.enum(FEE_KINDS),
    expected: z.number().int().min(0),
    status: z.enum(['active', 'cancelled']),
    cancelReason: short,
    // Absent on bookings written before series existed (docs/resources-model.md, "venues").
    series: z.string().min(1).max(200).nullable().optional(),
    createdAt: short,
    createdBy: short,
    updatedAt: short,
  }),
);
const isAttendance = checker<Attendance>(
  z.object({
    bookingId: z.string().min(1).max(200),
    date: z.string().length(10),
    count: z.number().int().min(0),
    recordedAt: short,
    recordedBy: short,
  }),
);
const isFundFile = checker<FundFile>(
  z.object({
    id: z.string().min(1).max(200),
    name: z.string().min(1).max(200),
    type: z.string().min(1).max(100),
    data: z.string().startsWith('data:').max(MAX_FUND_FILE_CHARS),
    addedAt: short,
    addedBy: short,
  }),
);

// --- read ----------------------------------------------------------------------------------------------------------

export function readBooking(doc: Y.Doc, id: string): Booking | null {
  const value: unknown = bookingsMap(doc).get(id);
  return isBooking(value) && value.id === id ? value : null;
}

/** Every booking of the year (cancelled ones included), by day then start. */
export function listBookings(doc: Y.Doc): Booking[] {
  const out: Booking[] = [];
  bookingsMap(doc).forEach((value: unknown, id) => {
    if (isBooking(value) && value.id === id) out.push(value);
  });
  return out.sort((a, b) =>
    a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.start !== b.start ? (a.start < b.start ? -1 : 1) : 0,
  );
}

export function attendanceKey(bookingId: string, date: string): string {
  return `${bookingId}@${date}`;
}

/** The attendance counted at every occasion of the year. */
export function listAttendance(doc: Y.Doc): Attendance[] {
  const out: Attendance[] = [];
  attendanceMap(doc).forEach((value: unknown, key) => {
    if (isAttendance(value) && key === attendanceKey(value.bookingId, value.date)) out.push(value);
  });
  return out;
}

const FILE_REF = /^file:(.+)$/;

export function fundFileRef(id: string): string {
  return `file:${id}`;
}

/** The receipt a `file:<id>` reference names, when it is here and well formed; null otherwise (or not synced yet). */
export function readFundFile(doc: Y.Doc, ref: string): FundFile | null {
  const id = FILE_REF.exec(ref)?.[1];
  if (id === undefined) return null;
  const value: unknown = fundFilesMap(doc).get(id);
  return isFundFile(value) && value.id === id ? value : null;
}

export function readResourceAudit(doc: Y.Doc): ResourceAuditEntry[] {
  return auditArray(doc).toArray();
}

// --- write (shared/domain/resources only; call inside a transaction) -----------------------------------------------

/** Write: stores a booking (replaces the earlier value of the same id). */
export function putBooking(doc: Y.Doc, booking: Booking): void {
  bookingsMap(doc).set(booking.id, booking);
}

/** Write: stores the attendance of one occasion. */
export function putAttendance(doc: Y.Doc, attendance: Attendance): void {
  attendanceMap(doc).set(attendanceKey(attendance.bookingId, attendance.date), attendance);
}

/** Write: stores a receipt (once). */
export function putFundFile(doc: Y.Doc, file: FundFile): void {
  fundFilesMap(doc).set(file.id, file);
}

/** Write: appends audit entries. */
export function appendResourceAudit(doc: Y.Doc, entries: readonly ResourceAuditEntry[]): void {
  auditArray(doc).push([...entries]);
}
