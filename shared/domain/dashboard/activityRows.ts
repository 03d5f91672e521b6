/**
 * The figure rows of the party-building and community-resources records (docs/dashboard-model.md, "party building and
 * resources"): of each yearly `activities` document, the few fields of each record the dashboard counts; of each
 * registry, its party members, units, posts, venues, projects and fund entries, reduced the same way. Plain JSON, kept
 * on disk beside the document like the other figure rows (renderer/data/figureRows.ts), so the dashboard counts them
 * without opening the documents.
 *
 * These records are not histories to fold: a party record is written once and never changed (docs/party-model.md), a
 * booking is replaced whole when moved or cancelled, a project's stage and a fund's entries stand as written
 * (docs/resources-model.md). A row is therefore the record as it stands, with the China day it was written (`w`) where
 * the record says when, so that a figure as of a day leaves out what was written after it. A dated record written on
 * or before its own day (nearly all) has no `w`: whenever its day counts, it was already written. A booking always
 * keeps `w` (a plan counts days after the day asked) and, once moved or cancelled, its earlier states (`was`, replayed
 * from its audit), so that it is read as it stood on the day asked (`bookingAsOf`; docs/dashboard-model.md).
 */
import * as Y from 'yjs';
import { addDays, chinaDate } from '../dates';
import { listPartyRecords } from '../../ydoc/party';
import { collectionMap, listCreatedRecords, listRecords, recordField } from '../../ydoc/registry';
import { listAttendance, listBookings, readResourceAudit, type ResourceAuditEntry } from '../../ydoc/resources';
import { type Booking, type OpenHours, type Repeat } from '../resources/types';
import { type ProjectDays } from '../resources/projects';
import { openHoursOf } from '../resources/venues';

/** Bumped whenever what a row holds changes: rows of another format are made again. */
export const ACTIVITY_ROWS_FORMAT = 3;

/** A 双报到 subject as a key: `member:<resident id>` or `unit:<unit id>`. */
export type SubjectKey = string;

export interface ActivityRows {
  readonly format: number;
  readonly collection: 'activities';
  /** 双报到 check-ins: subject, day, day written. */
  readonly checkIns: readonly { readonly s: SubjectKey; readonly on: string; readonly w?: string }[];
  /** Posts claimed: post, claimant, day, day written. */
  readonly claims: readonly {
    readonly post: string;
    readonly s: SubjectKey;
    readonly on: string;
    readonly w?: string;
  }[];
  /** 服务登记卡: subject, day, hours, rating (null: not rated), day written. */
  readonly services: readonly {
    readonly s: SubjectKey;
    readonly on: string;
    readonly hours: number;
    readonly rating: number | null;
    readonly w?: string;
  }[];
  /** 红袖标 patrols: id, the China day it started, its findings, day written. */
  readonly patrols: readonly {
    readonly id: string;
    readonly on: string;
    readonly findings: number;
    readonly w?: string;
  }[];
  /** 红马褂 concerns: id, day, day written. */
  readonly concerns: readonly { readonly id: string; readonly on: string; readonly w?: string }[];
  /** What a record became (`outLinks`): source, record, finding index, target, day written. */
  readonly links: readonly {
    readonly source: string;
    readonly id: string;
    readonly item: number;
    readonly target: string;
    readonly w: string;
  }[];
  /** 小红帽 service: volunteer, day, hours, day written. */
  readonly volunteers: readonly {
    readonly v: string;
    readonly on: string;
    readonly hours: number;
    readonly w?: string;
  }[];
  /** 大讲堂 / 大舞台 / 小茶馆 sessions: id, kind, day, attendees, day written. */
  readonly sessions: readonly {
    readonly id: string;
    readonly kind: string;
    readonly on: string;
    readonly attendees: number;
    readonly w?: string;
  }[];
  /**
   * Venue bookings as they stand (a move or a cancellation replaced them), each with the day it was written and, when
   * it was moved or cancelled, its earlier states (`was`), so that a figure as of a day reads it as it stood then.
   */
  readonly bookings: readonly BookingRow[];
  /** The attendance counted at each occasion of a booking. */
  readonly attendance: readonly { readonly booking: string; readonly date: string; readonly count: number }[];
}

/** What a move or a cancellation changes of a booking: the fields a figure reads as of a day. */
export interface BookingState {
  readonly venueId: string;
  readonly date: string;
  readonly start: string;
  readonly end: string;
  readonly repeat: Repeat | null;
  readonly status: 'active' | 'cancelled';
}

/**
 * An earlier state of a booking: as it stood at the end of each day from the day after the previous version's
 * `upto` (or from the day it was written) to `upto`, kept as the fields that differ from the booking as it stands.
 */
export type BookingVersion = { readonly upto: string } & Partial<BookingState>;

export interface BookingRow extends BookingState {
  readonly id: string;
  readonly purpose: string;
  readonly provider: string;
  /** The series it is a part of (a regular service across a year end), when it is one. */
  readonly series?: string;
  /** The China day it was written (booked): before that day it did not exist. */
  readonly w: string;
  /** Its earlier states, by `upto` ascending; absent when it was never moved nor cancelled. */
  readonly was?: readonly BookingVersion[];
}

/** The China day of an instant written by a command (`at`), or the instant's first ten characters if unreadable. */
export function writtenDay(at: string): string {
  const time = Date.parse(at);
  return Number.isNaN(time) ? at.slice(0, 10) : chinaDate(new Date(time));
}

const key = (s: { kind: string; id: string }): SubjectKey => `${s.kind}:${s.id}`;

/** `{ w }` when a record was written after its own day, else nothing (see above). */
function late(on: string, at: string): { w?: string } {
  const w = writtenDay(at);
  return w > on ? { w } : {};
}

/** The rows of an activities document as it stands. */
export function activityRowsOf(doc: Y.Doc): ActivityRows {
  return {
    format: ACTIVITY_ROWS_FORMAT,
    collection: 'activities',
    checkIns: listPartyRecords(doc, 'checkIns').map((r) => ({ s: key(r.subject), on: r.on, ...late(r.on, r.at) })),
    claims: listPartyRecords(doc, 'claims').map((r) => ({
      post: r.postId,
      s: key(r.claimant),
      on: r.on,
      ...late(r.on, r.at),
    })),
    services: listPartyRecords(doc, 'serviceRecords').map((r) => ({
      s: key(r.subject),
      on: r.on,
      hours: r.hours,
      rating: r.rating,
      ...late(r.on, r.at),
    })),
    patrols: listPartyRecords(doc, 'patrols').map((r) => {
      const on = writtenDay(r.startsAt);
      return { id: r.id, on, findings: r.findings.length, ...late(on, r.at) };
    }),
    concerns: listPartyRecords(doc, 'concerns').map((r) => ({ id: r.id, on: r.on, ...late(r.on, r.at) })),
    links: listPartyRecords(doc, 'outLinks').map((r) => ({
      source: r.source,
      id: r.recordId,
      item: r.item,
      target: r.target,
      w: writtenDay(r.at),
    })),
    volunteers: listPartyRecords(doc, 'volunteerHours').map((r) => ({
      v: r.volunteerId,
      on: r.on,
      hours: r.hours,
      ...late(r.on, r.at),
    })),
    sessions: listPartyRecords(doc, 'sessions').map((r) => ({
      id: r.id,
      kind: r.kind,
      on: r.on,
      attendees: r.attendeeIds.length,
      ...late(r.on, r.at),
    })),
    bookings: bookingRowsOf(doc),
    attendance: listAttendance(doc).map((a) => ({ booking: a.bookingId, date: a.date, count: a.count })),
  };
}

const STATE_KEYS = ['venueId', 'date', 'start', 'end', 'repeat', 'status'] as const;

const stateOf = (b: BookingState): BookingState => ({
  venueId: b.venueId,
  date: b.date,
  start: b.start,
  end: b.end,
  repeat: b.repeat,
  status: b.status,
});

const isText = (v: unknown): v is string => typeof v === 'string';
const isRepeat = (v: unknown): v is Repeat | null =>
  v === null ||
  (typeof v === 'object' &&
    Array.isArray((v as { weekdays?: unknown }).weekdays) &&
    isText((v as { until?: unknown }).until));

/**
 * One step of a booking replayed from its audit entry (docs/resources-model.md: every command on a booking writes one,
 * in the same transaction): booked (the whole slot), moved (`to`), cancelled, or cut from a day on (`until`). Null
 * when the entry does not read as one (any device may append anything): the replay stops there.
 */
function step(state: BookingState | null, entry: ResourceAuditEntry): BookingState | null {
  const f = entry.fields;
  if (entry.action === 'bookVenue') {
    const { venueId, date, start, end, repeat } = f;
    if (!isText(venueId) || !isText(date) || !isText(start) || !isText(end) || !isRepeat(repeat)) return null;
    return { venueId, date, start, end, repeat, status: 'active' };
  }
  if (state === null) return null;
  if (entry.action === 'moveBooking') {
    const to = f.to as Record<string, unknown> | null | undefined;
    if (typeof to !== 'object' || to === null) return null;
    const { venueId, date, start, end, repeat } = to;
    if (!isText(venueId) || !isText(date) || !isText(start) || !isText(end) || !isRepeat(repeat)) return null;
    return { ...state, venueId, date, start, end, repeat };
  }
  if (entry.action === 'cancelBooking') {
    if (isText(f.until) && state.repeat !== null) return { ...state, repeat: { ...state.repeat, until: f.until } };
    return { ...state, status: 'cancelled' };
  }
  return state;
}

/** The fields of `state` that differ from `now`. */
function differing(state: BookingState, now: BookingState): Partial<BookingState> {
  const out: Record<string, unknown> = {};
  for (const k of STATE_KEYS) if (JSON.stringify(state[k]) !== JSON.stringify(now[k])) out[k] = state[k];
  return out;
}

/**
 * A booking's earlier states from its audit: replayed step by step in the order written, the state at the end of each
 * day a step was written, up to the day before the next such day (the last one is the booking as it stands: the map
 * keeps the last write, which after two devices' offline moves may be either; from the last step day on the row is
 * the booking as it stands). None when its booking step is not in the audit.
 */
function versionsOf(booking: Booking, entries: readonly ResourceAuditEntry[]): BookingVersion[] {
  const byDay: [string, BookingState][] = [];
  let state: BookingState | null = null;
  for (const entry of [...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))) {
    state = step(state, entry);
    if (state === null) return [];
    const day = writtenDay(entry.at);
    const last = byDay.at(-1);
    if (last !== undefined && last[0] === day) last[1] = state;
    else byDay.push([day, state]);
  }
  const now = stateOf(booking);
  const out: BookingVersion[] = [];
  for (let i = 0; i + 1 < byDay.length; i += 1) {
    const [, s] = byDay[i] as [string, BookingState];
    out.push({ upto: addDays((byDay[i + 1] as [string, BookingState])[0], -1), ...differing(s, now) });
  }
  // Trailing versions equal to the booking as it stands say nothing.
  while (out.length > 0 && Object.keys(out.at(-1) as object).length === 1) out.pop();
  return out;
}

const BOOKING_STEPS: ReadonlySet<string> = new Set(['bookVenue', 'moveBooking', 'cancelBooking']);

/** The bookings' rows of an activities document: as they stand, with the day written and their earlier states. */
function bookingRowsOf(doc: Y.Doc): BookingRow[] {
  const steps = new Map<string, ResourceAuditEntry[]>();
  for (const entry of readResourceAudit(doc)) {
    // Any device may append anything to the audit: an entry without fields is no step.
    const fields: unknown = entry.fields;
    if (!BOOKING_STEPS.has(entry.action) || typeof fields !== 'object' || fields === null) continue;
    const list = steps.get(entry.recordId) ?? [];
    list.push(entry);
    steps.set(entry.recordId, list);
  }
  return listBookings(doc).map((b) => {
    const was = versionsOf(b, steps.get(b.id) ?? []);
    return {
      id: b.id,
      ...stateOf(b),
      purpose: b.purpose,
      provider: b.provider,
      ...(typeof b.series === 'string' ? { series: b.series } : {}),
      w: writtenDay(b.createdAt),
      ...(was.length > 0 ? { was } : {}),
    };
  });
}

/**
 * A booking as it stood at the end of `day` (docs/dashboard-model.md, "party building and resources"): null before
 * the day it was written, else the earliest earlier state whose `upto` is on or after the day, else as it stands.
 */
export function bookingAsOf(row: BookingRow, day: string): BookingRow | null {
  if (day < row.w) return null;
  const version = row.was?.find((v) => day <= v.upto);
  if (version === undefined) return row;
  const { upto: _upto, ...fields } = version;
  return { ...row, ...fields };
}

/** Whether stored activity rows can be used (else they are made again). */
export function usableActivityRows(rows: unknown): rows is ActivityRows {
  return (
    typeof rows === 'object' &&
    rows !== null &&
    (rows as { collection?: unknown }).collection === 'activities' &&
    (rows as { format?: unknown }).format === ACTIVITY_ROWS_FORMAT
  );
}

/** What the dashboard counts of a community's registry: party members, units, posts, venues, projects, funds. */
export interface RegistryFigureRows {
  readonly format: number;
  /** Living residents tagged 党员, with the registry's 报到 day (`partyCheckIn`). */
  readonly members: readonly { readonly id: string; readonly first: string | null }[];
  /** 驻区单位 with their first check-in (`checkedInOn`). */
  readonly units: readonly { readonly id: string; readonly first: string | null }[];
  readonly posts: readonly { readonly id: string; readonly capacity: number; readonly withdrawn: boolean }[];
  /** Rooms with their opening hours (`open`; the default for a room that keeps none). */
  readonly venues: readonly {
    readonly id: string;
    readonly name: string;
    readonly capacity: number;
    readonly open: OpenHours;
  }[];
  /**
   * Projects with the days of their steps (so a stage can be read as of a day: `projectStageAsOf`), and each
   * resident's rating (1-5, the last one counting) with the China day it was given.
   */
  readonly projects: readonly (ProjectDays & {
    readonly id: string;
    readonly title: string;
    readonly ratings: readonly { readonly score: number; readonly on: string }[];
  })[];
  /** Entries of the three funds' ledgers, every year (amounts in fen). */
  readonly fundEntries: readonly {
    readonly id: string;
    readonly fund: string;
    readonly kind: 'income' | 'spending';
    readonly amount: number;
    readonly date: string;
    readonly reverses: string | null;
  }[];
}

export const REGISTRY_FIGURE_ROWS_FORMAT = 3;

const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

/** One resident's rating per key `rating.<residentId>` (docs/resources-model.md), read without the projects' module. */
function ratingsOf(record: Readonly<Record<string, unknown>>): { score: number; on: string }[] {
  const out: { score: number; on: string }[] = [];
  for (const [k, v] of Object.entries(record)) {
    if (!k.startsWith('rating.') || typeof v !== 'object' || v === null) continue;
    const { score, residentId, at } = v as { score?: unknown; residentId?: unknown; at?: unknown };
    if (residentId !== k.slice('rating.'.length)) continue;
    if (typeof score !== 'number' || !Number.isInteger(score) || score < 1 || score > 5) continue;
    // A rating without a readable time counts from the first day (as it stands): never left out.
    out.push({ score, on: dayOfInstant(at) ?? '0000-01-01' });
  }
  return out;
}

/** The China day of an ISO instant (`writtenDay`); null when it is not one. */
function dayOfInstant(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const day = writtenDay(value);
  return isDay(day) && !Number.isNaN(Date.parse(value)) ? day : null;
}

/** A field holding a day, or null. */
function dayField(record: object, key: string): string | null {
  const value = field(record, key);
  return isDay(value) ? value : null;
}

/** The contract's day signed, when the record holds a contract with one. */
function signedOnOf(record: Readonly<Record<string, unknown>>): string | null {
  const contract = field(record, 'contract');
  if (typeof contract !== 'object' || contract === null) return null;
  const signed = (contract as { signedOn?: unknown }).signedOn;
  return isDay(signed) ? signed : null;
}

/** A field as stored: any device may have written anything (readers leave out what does not fit). */
function field(record: object, key: string): unknown {
  return (record as Readonly<Record<string, unknown>>)[key];
}

/** The registry's rows as it stands. */
export function registryFigureRowsOf(doc: Y.Doc): RegistryFigureRows {
  // Three fields of each resident, read where they are: a plain copy of every one of 100,000 residents took 0.3 s of
  // one task after every registry change (docs/bench-scale.md, "The figure rows' write after a registry change").
  const members: { id: string; first: string | null }[] = [];
  collectionMap(doc, 'residents').forEach((map) => {
    if (!(map instanceof Y.Map) || recordField(map, 'deletedAt')) return;
    const tags = recordField(map, 'tags');
    if (!Array.isArray(tags) || !tags.includes('party-member')) return;
    const checkIn = recordField(map, 'partyCheckIn');
    members.push({ id: recordField(map, 'id') as string, first: isDay(checkIn) ? checkIn : null });
  });
  members.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const units = listRecords(doc, 'units').map((u) => ({
    id: u.id,
    first: isDay(u.checkedInOn) ? u.checkedInOn : null,
  }));
  const posts = listRecords(doc, 'posts').map((p) => ({
    id: p.id,
    capacity: typeof p.capacity === 'number' ? p.capacity : 0,
    withdrawn: field(p, 'withdrawn') === true,
  }));
  const venues = listRecords(doc, 'venues').map((v) => ({
    id: v.id,
    name: typeof v.name === 'string' ? v.name : v.id,
    capacity: typeof v.capacity === 'number' ? v.capacity : 0,
    open: openHoursOf(v),
  }));
  const projects = listRecords(doc, 'projects').map((p) => ({
    id: p.id,
    title: typeof p.title === 'string' ? p.title : p.id,
    status: p.status,
    publishedOn: isDay(p.publishedOn) ? p.publishedOn : '',
    decidedOn: isDay(p.decidedOn) ? p.decidedOn : null,
    signedOn: signedOnOf(p),
    closedOn: dayField(p, 'closedOn'),
    updatedOn: dayOfInstant(p.updatedAt),
    ratings: ratingsOf(p),
  }));
  // As created: a ledger entry is never edited, and a key written later must not shadow it (funds.ts, listFundEntries).
  const fundEntries = listCreatedRecords(doc, 'fundEntries')
    .filter(
      (e) =>
        (field(e, 'kind') === 'income' || field(e, 'kind') === 'spending') &&
        Number.isInteger(e.amount) &&
        e.amount > 0 &&
        isDay(e.date) &&
        typeof e.fund === 'string',
    )
    .map((e) => ({
      id: e.id,
      fund: e.fund,
      kind: e.kind,
      amount: e.amount,
      date: e.date,
      reverses: typeof e.reverses === 'string' && e.reverses !== '' ? e.reverses : null,
    }));
  return { format: REGISTRY_FIGURE_ROWS_FORMAT, members, units, posts, venues, projects, fundEntries };
}

/** An empty registry's rows (a community whose registry holds none of these yet). */
export function emptyRegistryFigureRows(): RegistryFigureRows {
  return {
    format: REGISTRY_FIGURE_ROWS_FORMAT,
    members: [],
    units: [],
    posts: [],
    venues: [],
    projects: [],
    fundEntries: [],
  };
}
