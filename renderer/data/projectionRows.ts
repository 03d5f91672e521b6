/**
 * The rows of the registry's projection (docs/decisions.md, "residents' projection stored in 64 buckets"): which
 * bucket a record goes to, how buckets are opened, the list head kept for the first paint, and how a resident's row
 * is computed from the document. `RegistryProjection` (projection.ts) keeps them in step with the document.
 */
import type { RegistryCollection } from '@shared/ydoc/registry';
import {
  compareListed,
  insertListed,
  LIST_HEAD_SIZE,
  RESIDENT_BUCKETS,
  recordBucketsOf,
  keyRowsJson,
  parseKeyRows,
  RESIDENT_KEYS_FORMAT,
  type KeysOf,
  type ListHead,
  type ResidentListRow,
} from '@shared/ydoc/registryRows';
import type {
  ProjectionStateRow,
  RecordBucketRow,
  RecordRow,
  ResidentBucketRow,
  ResidentKeysRow,
  ResidentRow,
  StoredListHead,
  WorkstationDb,
} from './db';
import type { RowCodec } from './sealed';

// The pure part (rows, buckets, list order) is shared with the sync server, which makes the rows of a first sync.
export {
  PLACE_COLLECTIONS,
  RESIDENT_BUCKETS,
  RECORD_BUCKETS,
  bucketOf,
  recordBucketOf,
  ADDRESS_ORDER,
  LIST_HEAD_SIZE,
  type ListHead,
  insertListed,
  listHeadOf,
  type KeysOf,
  type ResidentKeyRow,
  type ResidentListRow,
  listRowOf,
  RESIDENT_KEYS_FORMAT,
  keyRowsJson,
  isWholeResident,
  type PlaceReader,
  cachedPlaces,
  residentRow,
  recordRow,
} from '@shared/ydoc/registryRows';

/**
 * Buckets written per step when a flush touches more (see `RegistryProjection.flush`): eight of a first sync's 64
 * are about 1.5 MB of JSON, a few tens of milliseconds of the main thread.
 */
export const BUCKETS_PER_STEP = 8;

/** `Y.encodeStateVector` of an empty document: no client. */
export const EMPTY_STATE_VECTOR = new Uint8Array([0]);

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
  return Promise.all(
    recordBucketsOf(records).map((group) =>
      db.rows.recordBucket(docName, group.collection, group.bucket, JSON.stringify(group.records)),
    ),
  );
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
/**
 * Whether a projection state is of the empty document: a new device projects its registry before the first sync
 * brings anything (rebuilt from nothing), and keeps that projection, a list of nobody with complete keys, until the
 * first sync's rows are written, seconds later at 100,000 residents. An app closed meanwhile found it at the next
 * start and said "共 0 人" for the 14-20 s of the rebuild (docs/bench-scale.md, "The empty list after a first sync").
 * Such a projection is not shown before the document is loaded: the list waits for the rebuild instead.
 */
export function projectsNothing(state: ProjectionStateRow): boolean {
  return sameBytes(state.stateVector, EMPTY_STATE_VECTOR);
}

export async function readListHead(db: WorkstationDb, docName: string): Promise<ListHead | null> {
  const state = await db.projections.get(docName);
  if (!state || state.partial || projectsNothing(state)) return null;
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

/** Buckets read from IndexedDB at a time by `readResidentRows` (about 9 MB at 100,000 residents). */
export const BUCKETS_PER_READ = 8;

/**
 * Every resident row of a document, from its buckets, in bucket order. Read `BUCKETS_PER_READ` buckets at a time,
 * each group opened and parsed while the next is read (the reading and the opening overlap instead of following each
 * other). Each bucket is read whole; a flush between two groups is told to the screens as any flush is.
 */
export async function readResidentRows(db: WorkstationDb, docName: string): Promise<ResidentRow[]> {
  const opened: Promise<ResidentRow[][]>[] = [];
  for (let from = 0; from < RESIDENT_BUCKETS; from += BUCKETS_PER_READ) {
    const keys: [string, number][] = [];
    for (let bucket = from; bucket < Math.min(RESIDENT_BUCKETS, from + BUCKETS_PER_READ); bucket++) {
      keys.push([docName, bucket]);
    }
    const group = openResidentBuckets(db, await db.residentBuckets.bulkGet(keys));
    // Not reported twice: a failure is thrown by the `Promise.all` below.
    group.catch(() => undefined);
    opened.push(group);
  }
  performance.mark('cgw:resident-buckets-read');
  const rows = (await Promise.all(opened)).flat(2);
  performance.mark('cgw:resident-rows-parsed');
  return rows;
}

/** A resident bucket and its search keys, sealed: always written together (`putResidentBuckets`). */
export interface SealedBucket {
  readonly rows: ResidentBucketRow;
  readonly keys: ResidentKeysRow;
}

/** Seals a resident bucket's rows and their search keys (docs/registry-model.md, "Search keys read first"). */
export async function sealResidentBucket(
  codec: RowCodec,
  docName: string,
  bucket: number,
  rows: readonly ResidentRow[],
): Promise<SealedBucket> {
  const [sealedRows, keys] = await Promise.all([
    codec.residentBucket(docName, bucket, JSON.stringify(rows)),
    codec.residentKeys(docName, bucket, keyRowsJson(rows)),
  ]);
  return { rows: sealedRows, keys };
}

/**
 * Puts sealed buckets and their keys: inside the caller's transaction over both tables, or (the steps of a big flush,
 * marked half-written until the last) one after the other.
 */
export async function putResidentBuckets(db: WorkstationDb, buckets: readonly SealedBucket[]): Promise<void> {
  if (buckets.length === 0) return;
  await db.residentBuckets.bulkPut(buckets.map((bucket) => bucket.rows));
  await db.residentKeys.bulkPut(buckets.map((bucket) => bucket.keys));
}

/** The `keysFormat` field of a projection state row whose every bucket has its keys written (a rebuild's, say). */
export const KEYS_COMPLETE = { keysFormat: RESIDENT_KEYS_FORMAT } as const;

/**
 * The search keys of every resident of a document, in the order of its rows (bucket by bucket); `null` when the
 * projection's keys are not all written in the format this build reads (an older projection: read the buckets).
 */
export async function readResidentKeys(db: WorkstationDb, docName: string): Promise<ResidentListRow[] | null> {
  const state = await db.projections.get(docName);
  if (!state || state.partial || state.keysFormat !== RESIDENT_KEYS_FORMAT || projectsNothing(state)) return null;
  const stored = await db.residentKeys.where('docName').equals(docName).toArray();
  performance.mark('cgw:resident-keys-read');
  const opened = await Promise.all(stored.map((row) => db.rows.openResidentKeys(row)));
  const rows = opened.flatMap(parseKeyRows);
  performance.mark('cgw:resident-keys-parsed');
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
