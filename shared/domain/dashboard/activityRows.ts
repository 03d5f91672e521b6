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
 * or before its own day (nearly all) has no `w`: whenever its day counts, it was already written.
 */
import type * as Y from 'yjs';
import { chinaDate } from '../dates';
import { listPartyRecords } from '../../ydoc/party';
import { listCreatedRecords, listRecords } from '../../ydoc/registry';
import { listAttendance, listBookings } from '../../ydoc/resources';
import type { Repeat } from '../resources/types';

/** Bumped whenever what a row holds changes: rows of another format are made again. */
export const ACTIVITY_ROWS_FORMAT = 2;

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
  /** Venue bookings as they stand (a move or a cancellation replaced them). */
  readonly bookings: readonly BookingRow[];
  /** The attendance counted at each occasion of a booking. */
  readonly attendance: readonly { readonly booking: string; readonly date: string; readonly count: number }[];
}

export interface BookingRow {
  readonly id: string;
  readonly venueId: string;
  readonly date: string;
  readonly start: string;
  readonly end: string;
  readonly repeat: Repeat | null;
  readonly status: 'active' | 'cancelled';
  readonly purpose: string;
  readonly provider: string;
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
    bookings: listBookings(doc).map((b) => ({
      id: b.id,
      venueId: b.venueId,
      date: b.date,
      start: b.start,
      end: b.end,
      repeat: b.repeat,
      status: b.status,
      purpose: b.purpose,
      provider: b.provider,
    })),
    attendance: listAttendance(doc).map((a) => ({ booking: a.bookingId, date: a.date, count: a.count })),
  };
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
  readonly venues: readonly { readonly id: string; readonly name: string; readonly capacity: number }[];
  /** Projects as they stand, with each resident's rating (1-5, the last one counting). */
  readonly projects: readonly {
    readonly id: string;
    readonly title: string;
    readonly status: string;
    readonly publishedOn: string;
    readonly decidedOn: string | null;
    readonly ratings: readonly number[];
  }[];
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

export const REGISTRY_FIGURE_ROWS_FORMAT = 1;

const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

/** One resident's rating per key `rating.<residentId>` (docs/resources-model.md), read without the projects' module. */
function ratingsOf(record: Readonly<Record<string, unknown>>): number[] {
  const out: number[] = [];
  for (const [k, v] of Object.entries(record)) {
    if (!k.startsWith('rating.') || typeof v !== 'object' || v === null) continue;
    const { score, residentId } = v as { score?: unknown; residentId?: unknown };
    if (residentId !== k.slice('rating.'.length)) continue;
    if (typeof score === 'number' && Number.isInteger(score) && score >= 1 && score <= 5) out.push(score);
  }
  return out;
}

/** A field as stored: any device may have written anything (readers leave out what does not fit). */
function field(record: object, key: string): unknown {
  return (record as Readonly<Record<string, unknown>>)[key];
}

/** The registry's rows as it stands. */
export function registryFigureRowsOf(doc: Y.Doc): RegistryFigureRows {
  const members = listRecords(doc, 'residents')
    .filter((r) => !r.deletedAt && Array.isArray(r.tags) && r.tags.includes('party-member'))
    .map((r) => ({ id: r.id, first: isDay(r.partyCheckIn) ? r.partyCheckIn : null }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
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
  }));
  const projects = listRecords(doc, 'projects').map((p) => ({
    id: p.id,
    title: typeof p.title === 'string' ? p.title : p.id,
    status: p.status,
    publishedOn: isDay(p.publishedOn) ? p.publishedOn : '',
    decidedOn: isDay(p.decidedOn) ? p.decidedOn : null,
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
