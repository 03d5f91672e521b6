/**
 * The rows of the registry's projection (docs/decisions.md, "residents' projection stored in 64 buckets"): which
 * bucket a record goes to, how buckets are opened, the list head kept for the first paint, and how a resident's row
 * is computed from the document. `RegistryProjection` (projection.ts) keeps them in step with the document.
 */
import type * as Y from 'yjs';
import type { residentSearchKeys as residentSearchKeysType } from '@shared/domain/registry/searchKeys';
import { readRecord, type RegistryCollection, type StoredRecord } from '@shared/ydoc/registry';
import type {
  ProjectionStateRow,
  RecordBucketRow,
  RecordRow,
  ResidentBucketRow,
  ResidentRow,
  StoredListHead,
  WorkstationDb,
} from './db';

/** Collections whose change alters residents' rows (their address and place come from them). */
export const PLACE_COLLECTIONS = new Set<RegistryCollection>(['households', 'buildings', 'entrances', 'compounds']);

/** Number of buckets the residents of one community are stored in (see ResidentBucketRow). */
export const RESIDENT_BUCKETS = 64;

/**
 * Buckets written per step when a flush touches more (see `RegistryProjection.flush`): eight of a first sync's 64
 * are about 1.5 MB of JSON, a few tens of milliseconds of the main thread.
 */
export const BUCKETS_PER_STEP = 8;

/** `Y.encodeStateVector` of an empty document: no client. */
export const EMPTY_STATE_VECTOR = new Uint8Array([0]);

/** The bucket of a resident id: FNV-1a over its UTF-16 code units, stable on every device. */
export function bucketOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % RESIDENT_BUCKETS;
}

/** Number of buckets each other registry collection is stored in (see RecordBucketRow). */
const RECORD_BUCKETS = 16;

export function recordBucketOf(id: string): number {
  return bucketOf(id) % RECORD_BUCKETS;
}

/*
 * Every read below opens what it read only after the read is done, and every write seals its rows before its
 * transaction starts: an IndexedDB transaction commits as soon as a task waits on anything but IndexedDB, and
 * WebCrypto (sealed.ts) is asynchronous. In a live query (hooks.tsx `useRecords`) the same order keeps Dexie's
 * observation whole: everything observed is read before the first WebCrypto promise.
 */

export function parseRecords(json: string): Record<string, unknown>[] {
  return JSON.parse(json) as Record<string, unknown>[];
}

/** Record buckets with their records, opened (in parallel). */
function openRecordBuckets(
  db: WorkstationDb,
  buckets: readonly RecordBucketRow[],
): Promise<{ bucket: RecordBucketRow; records: Record<string, unknown>[] }[]> {
  return Promise.all(
    buckets.map(async (bucket) => ({ bucket, records: parseRecords(await db.rows.openRecordBucket(bucket)) })),
  );
}

/** The records of one registry collection, from its buckets. */
export async function readRecords(
  db: WorkstationDb,
  docName: string,
  collection: RegistryCollection,
): Promise<Record<string, unknown>[]> {
  const buckets = await db.recordBuckets.where('[docName+collection]').equals([docName, collection]).toArray();
  return (await openRecordBuckets(db, buckets)).flatMap((opened) => opened.records);
}

/** Every projected record of a document (all collections but residents), as rows. */
export async function readRecordRows(db: WorkstationDb, docName: string): Promise<RecordRow[]> {
  const buckets = await db.recordBuckets.where('docName').equals(docName).toArray();
  return (await openRecordBuckets(db, buckets)).flatMap(({ bucket, records }) =>
    records.map((record) => ({
      docName,
      collection: bucket.collection,
      id: String(record.id),
      record,
    })),
  );
}

/** The record buckets of a document's records, sealed (in parallel). */
export function recordBucketRows(
  db: WorkstationDb,
  docName: string,
  records: readonly RecordRow[],
): Promise<RecordBucketRow[]> {
  const grouped = new Map<string, { collection: string; bucket: number; records: Record<string, unknown>[] }>();
  for (const row of records) {
    const bucket = recordBucketOf(row.id);
    const key = `${row.collection}|${bucket}`;
    let group = grouped.get(key);
    if (!group) grouped.set(key, (group = { collection: row.collection, bucket, records: [] }));
    group.records.push(row.record);
  }
  return Promise.all(
    [...grouped.values()].map((group) =>
      db.rows.recordBucket(docName, group.collection, group.bucket, JSON.stringify(group.records)),
    ),
  );
}

/** Order of residents in lists: by address (one collator: `localeCompare` with a locale looks one up per call). */
export const ADDRESS_ORDER = new Intl.Collator('zh-CN');

/** The list order of residents: by address, then by id, so that every device and every page agree. */
function compareListed(a: ResidentRow, b: ResidentRow): number {
  return ADDRESS_ORDER.compare(a.keys.address, b.keys.address) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Residents in the first page of the list that the projection keeps ready (the residents screen's page). */
export const LIST_HEAD_SIZE = 200;

/**
 * The first page of the residents list with nothing typed or filtered: how many residents there are (not deleted)
 * and the first `LIST_HEAD_SIZE` of them in list order. A few hundred kilobytes, read at start instead of the
 * megabytes of every bucket, so the list shows at once while the whole community (for search) loads behind it.
 */
export interface ListHead {
  readonly total: number;
  readonly rows: readonly ResidentRow[];
}

/** Puts a row into a list in list order that keeps the first `limit` only (one comparison for most rows). */
export function insertListed<T>(list: T[], item: T, rowOf: (item: T) => ResidentRow, limit: number): void {
  const row = rowOf(item);
  const last = list[list.length - 1];
  if (list.length >= limit && (last === undefined || compareListed(row, rowOf(last)) >= 0)) return;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareListed(rowOf(list[middle] as T), row) <= 0) low = middle + 1;
    else high = middle;
  }
  list.splice(low, 0, item);
  if (list.length > limit) list.pop();
}

/** The list head of a whole community's rows. */
export function listHeadOf(rows: Iterable<ResidentRow>): ListHead {
  const head: ResidentRow[] = [];
  let total = 0;
  for (const row of rows) {
    if (row.deleted) continue;
    total += 1;
    insertListed(head, row, (r) => r, LIST_HEAD_SIZE);
  }
  return { total, rows: head };
}

/**
 * The list head after some residents changed, from the head before and the touched residents' rows before and
 * after; `null` when the head cannot be known without reading everyone (a resident left the first page and the next
 * one is not known).
 */
export function nextListHead(
  head: ListHead,
  before: ReadonlyMap<string, ResidentRow>,
  after: readonly ResidentRow[],
  removed: readonly string[],
): ListHead | null {
  let total = head.total;
  for (const row of before.values()) if (!row.deleted) total -= 1;
  for (const row of after) if (!row.deleted) total += 1;
  const touched = new Set([...before.keys(), ...after.map((row) => row.id), ...removed]);
  // Every listed resident up to the head's last row is in the head (all of them when it holds everyone).
  const boundary = head.rows.length >= head.total ? null : (head.rows[head.rows.length - 1] ?? null);
  // Still in list order; the new rows go in one by one (a first sync brings 20,000: no sort of them all).
  const rows = head.rows.filter((row) => !touched.has(row.id));
  for (const row of after) {
    if (!row.deleted && (boundary === null || compareListed(row, boundary) <= 0)) {
      insertListed(rows, row, (r) => r, LIST_HEAD_SIZE);
    }
  }
  return rows.length < Math.min(total, LIST_HEAD_SIZE) ? null : { total, rows };
}

export function storedHead(head: ListHead): StoredListHead {
  return { total: head.total, json: JSON.stringify(head.rows) };
}

export function listHeadFrom(stored: StoredListHead): ListHead {
  return { total: stored.total, rows: JSON.parse(stored.json) as ResidentRow[] };
}

/** The list head kept with a document's projection; `null` when there is none yet. */
export async function readListHead(db: WorkstationDb, docName: string): Promise<ListHead | null> {
  const state = await db.projections.get(docName);
  if (!state || state.partial) return null;
  const stored = await db.rows.openListHead(state);
  return stored && listHeadFrom(stored);
}

/** The list head fields of a state row as they are (sealed to its document, so they stay valid in a new row of it). */
export function keptHead(state: ProjectionStateRow | undefined): Pick<ProjectionStateRow, 'head' | 'sealedHead'> {
  return {
    ...(state?.head ? { head: state.head } : {}),
    ...(state?.sealedHead ? { sealedHead: state.sealedHead } : {}),
  };
}

function parseRows(json: string): ResidentRow[] {
  return JSON.parse(json) as ResidentRow[];
}

/** The rows of resident buckets (absent ones: none), opened in parallel. */
export function openResidentBuckets(
  db: WorkstationDb,
  buckets: readonly (ResidentBucketRow | undefined)[],
): Promise<ResidentRow[][]> {
  return Promise.all(
    buckets.map(async (bucket) => (bucket === undefined ? [] : parseRows(await db.rows.openResidentBucket(bucket)))),
  );
}

/** Every resident row of a document, from its buckets. */
export async function readResidentRows(db: WorkstationDb, docName: string): Promise<ResidentRow[]> {
  const buckets = await db.residentBuckets.where('docName').equals(docName).toArray();
  performance.mark('cgw:resident-buckets-read');
  const rows = (await openResidentBuckets(db, buckets)).flat();
  performance.mark('cgw:resident-rows-parsed');
  return rows;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

/** Whether a projection's state row is still the one read before (no other writer came between). */
export function sameState(now: ProjectionStateRow | undefined, read: ProjectionStateRow | undefined): boolean {
  if (now === undefined || read === undefined) return now === read;
  return now.builtAt === read.builtAt && now.partial === read.partial && sameBytes(now.stateVector, read.stateVector);
}

/**
 * The projection on disk changed between a flush's read and its write: only another window of the same database
 * writes it meanwhile (flushes of one projection run one after another). The flush writes nothing; the projection
 * is rebuilt from the document.
 */
export class ProjectionMovedError extends Error {
  constructor(docName: string) {
    super(`the projection of ${docName} changed while it was being updated`);
    this.name = 'ProjectionMovedError';
  }
}

/** `residentSearchKeys`, loaded on first use (see `loadSearchKeys`). */
export type KeysOf = typeof residentSearchKeysType;

let searchKeys: Promise<KeysOf> | null = null;

/**
 * The search-key function and pinyin-pro with it, loaded when residents are first projected rather than with the
 * app: the list shows from the projection on disk and does not need it (a tenth of the start bundle).
 */
export function loadSearchKeys(): Promise<KeysOf> {
  searchKeys ??= import('@shared/domain/registry/searchKeys').then(
    (module) => module.residentSearchKeys,
    (error: unknown) => {
      // Not remembered: in the browser an offline moment fails the fetch, and the next call tries again.
      searchKeys = null;
      throw error;
    },
  );
  return searchKeys;
}

/** How long a projection waits before trying again when the search-key code could not be loaded. */
export const KEYS_RETRY_MS = 5_000;

/**
 * Whether a resident's record has arrived whole. A stock client or a relay may deliver a big update in pieces, and
 * a piece can end inside a record: such a resident is projected when the rest arrives (its keys change then).
 */
export function isWholeResident(resident: Partial<StoredRecord<'residents'>>): resident is StoredRecord<'residents'> {
  return (
    typeof resident.id === 'string' &&
    typeof resident.name === 'string' &&
    typeof resident.idNumber === 'string' &&
    typeof resident.householdId === 'string' &&
    Array.isArray(resident.tags)
  );
}

/** Reads households and buildings for resident rows; one reader per batch reads each place once. */
type PlaceReader = <C extends 'households' | 'buildings'>(collection: C, id: string) => StoredRecord<C> | null;

/** A PlaceReader that remembers what it read (for one batch of rows: 20,000 residents live in 7,000 households). */
export function cachedPlaces(doc: Y.Doc): PlaceReader {
  const read = new Map<string, unknown>();
  return <C extends 'households' | 'buildings'>(collection: C, id: string): StoredRecord<C> | null => {
    const key = `${collection}|${id}`;
    if (!read.has(key)) read.set(key, readRecord(doc, collection, id));
    return read.get(key) as StoredRecord<C> | null;
  };
}

/** The projection row of one resident, from the document. Pure apart from reading the doc. */
export function residentRow(
  doc: Y.Doc,
  docName: string,
  resident: StoredRecord<'residents'>,
  residentSearchKeys: KeysOf,
  places: PlaceReader = (collection, id) => readRecord(doc, collection, id),
): ResidentRow {
  const household = places('households', resident.householdId);
  const building = household ? places('buildings', household.buildingId) : null;
  return {
    docName,
    id: resident.id,
    householdId: resident.householdId,
    buildingId: household?.buildingId ?? '',
    compoundId: building?.compoundId ?? '',
    tags: [...resident.tags],
    deleted: resident.deletedAt ? 1 : 0,
    keys: residentSearchKeys(resident, household, building),
    record: { ...resident },
  };
}

export function recordRow(docName: string, collection: RegistryCollection, record: { id: string }): RecordRow {
  return { docName, collection, id: record.id, record: { ...record } };
}
