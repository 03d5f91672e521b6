/**
 * The rows of a registry's projection, made from the document alone (docs/decisions.md, "residents' projection stored
 * in 64 buckets" and "A registry that scales"): which bucket a record goes to, the resident rows with their search
 * keys, the list head kept for the first paint. Pure: used by the device's projection (renderer/data/projection.ts,
 * which seals and stores them) and by the sync server, which makes them at compaction for devices holding nothing
 * (sync-server/registryRows.ts). No DOM, no Node.
 */
import type * as Y from 'yjs';
import { maskIdNumber, maskPhone } from '../domain/registry/mask';
import type { ResidentSearchKeys } from '../domain/registry/search';
import type { residentSearchKeys as residentSearchKeysType } from '../domain/registry/searchKeys';
import { listRecords, readRecord, REGISTRY_COLLECTIONS, type RegistryCollection, type StoredRecord } from './registry';

/** One resident's row: what the list, its filters and search read (the device stores them by bucket). */
export interface ResidentRow {
  docName: string;
  id: string;
  buildingId: string;
  householdId: string;
  compoundId: string;
  tags: string[];
  /** 1 when soft-deleted (a number, so it can be indexed). */
  deleted: 0 | 1;
  /** Name, pinyin initials and readings, ID and phone tails, address: what search matches against. */
  keys: ResidentSearchKeys;
  /** The resident's fields as stored in the document (lists show masked values made from them). */
  record: Record<string, unknown>;
}

/**
 * What search, filters and list order read of a resident: a row without its record (and document name).
 */
export type ResidentKeyRow = Pick<ResidentRow, 'id' | 'buildingId' | 'compoundId' | 'tags' | 'deleted' | 'keys'>;

/**
 * What the residents list shows of a resident beside its keys: the name as typed, sex, birth date (the age column),
 * and the ID number and phone already masked (shared/domain/registry/mask.ts). Masked here, so that the list never
 * holds more of an ID number than it shows (PIPL art. 28, docs/security.md).
 */
export interface ResidentCard {
  readonly name: string;
  readonly sex: string;
  readonly birthDate: string;
  readonly idMasked: string;
  readonly phoneMasked: string;
}

/**
 * A resident as the residents list and its search read it: its keys and its card, without the record. The device
 * keeps them per bucket apart from the rows (`residentKeys`, renderer/data/db.ts), about a quarter of their size, and
 * reads them first: the list and its search answer from them before everyone's rows are read, and read no bucket
 * (docs/registry-model.md, "Search keys read first").
 */
export type ResidentListRow = ResidentKeyRow & { readonly card: ResidentCard };

/** The card of a resident's record (the list's columns, masked). */
export function cardOf(record: Record<string, unknown>): ResidentCard {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const phone = text(record.phone);
  return {
    name: text(record.name),
    sex: text(record.sex),
    birthDate: text(record.birthDate),
    idMasked: maskIdNumber(text(record.idNumber)),
    phoneMasked: phone === '' ? '' : maskPhone(phone),
  };
}

/** The list row of a full row (its record made into a card). */
export function listRowOf({ id, buildingId, compoundId, tags, deleted, keys, record }: ResidentRow): ResidentListRow {
  return { id, buildingId, compoundId, tags, deleted, keys, card: cardOf(record) };
}

/**
 * The stored format of a bucket's key rows (`RESIDENT_KEYS_FORMAT`): JSON `{ "p": places, "r": rows }`, where `places`
 * lists each distinct `[buildingId, compoundId]` of the bucket once and each row is a tuple in the bucket's row order,
 * `[id, deleted, place index, tags, name, initials, fullPinyin, altPinyin, idTail4, phoneTail4, address, shown name,
 * sex, birthDate, idMasked, phoneMasked]`, the shown name `""` when it is the search name (tuples and the places
 * table: field names and two UUIDs per row would be half the bytes). A new field or order is a new format number; a
 * device finding another number reads the buckets instead, and writes the keys again in its own format.
 *
 * Format 1 (2026-12-03) had no card: the list then read the buckets of the rows it showed.
 */
export const RESIDENT_KEYS_FORMAT = 2;

type KeyTuple = [
  string,
  0 | 1,
  number,
  string[],
  string,
  string,
  string,
  string[],
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];

const KEY_TUPLE_LENGTH = 16;

interface StoredKeys {
  readonly p: readonly (readonly [string, string])[];
  readonly r: readonly KeyTuple[];
}

/** The key rows of a bucket's rows, as stored (format `RESIDENT_KEYS_FORMAT`). */
export function keyRowsJson(rows: readonly ResidentRow[]): string {
  const places: [string, string][] = [];
  const placeIndex = new Map<string, number>();
  const tuples = rows.map(({ id, deleted, buildingId, compoundId, tags, keys: k, record }): KeyTuple => {
    const place = `${buildingId}\u0000${compoundId}`;
    let index = placeIndex.get(place);
    if (index === undefined) {
      index = places.length;
      places.push([buildingId, compoundId]);
      placeIndex.set(place, index);
    }
    const card = cardOf(record);
    return [
      id,
      deleted,
      index,
      tags,
      k.name,
      k.initials,
      k.fullPinyin,
      [...k.altPinyin],
      k.idTail4,
      k.phoneTail4,
      k.address,
      card.name === k.name ? '' : card.name,
      card.sex,
      card.birthDate,
      card.idMasked,
      card.phoneMasked,
    ];
  });
  const stored: StoredKeys = { p: places, r: tuples };
  return JSON.stringify(stored);
}

/** The key rows stored by `keyRowsJson`. Throws on anything else (a device then reads the buckets). */
export function parseKeyRows(json: string): ResidentListRow[] {
  const stored = JSON.parse(json) as Partial<StoredKeys> | null;
  if (!Array.isArray(stored?.p) || !Array.isArray(stored.r)) throw new Error('resident keys: not a bucket of keys');
  const places: StoredKeys['p'] = stored.p;
  const tuples: readonly unknown[] = stored.r;
  return tuples.map((tuple: unknown): ResidentListRow => {
    if (!Array.isArray(tuple) || tuple.length !== KEY_TUPLE_LENGTH) throw new Error('resident keys: not a key row');
    const [
      id,
      deleted,
      index,
      tags,
      name,
      initials,
      fullPinyin,
      altPinyin,
      idTail4,
      phoneTail4,
      address,
      shownName,
      sex,
      birthDate,
      idMasked,
      phoneMasked,
    ] = tuple as KeyTuple;
    const place: readonly [string, string] | undefined = places[index];
    if (place === undefined) throw new Error('resident keys: a row of no place');
    return {
      id,
      deleted,
      buildingId: place[0],
      compoundId: place[1],
      tags,
      keys: { name, initials, fullPinyin, altPinyin, idTail4, phoneTail4, address },
      card: { name: shownName === '' ? name : shownName, sex, birthDate, idMasked, phoneMasked },
    };
  });
}

/** One record of another registry collection, as the projection keeps it. */
export interface RecordRow {
  docName: string;
  collection: string;
  id: string;
  record: Record<string, unknown>;
}

/** Collections whose change alters residents' rows (their address and place come from them). */
export const PLACE_COLLECTIONS = new Set<RegistryCollection>(['households', 'buildings', 'entrances', 'compounds']);

/** Number of buckets the residents of one community are stored in. */
export const RESIDENT_BUCKETS = 64;

/** Number of buckets each other registry collection is stored in. */
export const RECORD_BUCKETS = 16;

/** The bucket of a resident id: FNV-1a over its UTF-16 code units, stable on every device. */
export function bucketOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % RESIDENT_BUCKETS;
}

export function recordBucketOf(id: string): number {
  return bucketOf(id) % RECORD_BUCKETS;
}

/** What list order reads of a row: its address key and id (a full row and a `ResidentKeyRow` alike). */
export type ListedRow = Pick<ResidentRow, 'id' | 'keys'>;

/** Order of residents in lists: by address (one collator: `localeCompare` with a locale looks one up per call). */
export const ADDRESS_ORDER = new Intl.Collator('zh-CN');

/** The list order of residents: by address, then by id, so that every device and every page agree. */
export function compareListed(a: ListedRow, b: ListedRow): number {
  return ADDRESS_ORDER.compare(a.keys.address, b.keys.address) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Residents in the first page of the list that the projection keeps ready (the residents screen's page). */
export const LIST_HEAD_SIZE = 200;

/**
 * The first page of the residents list with nothing typed or filtered: how many residents there are (not deleted)
 * and the first `LIST_HEAD_SIZE` of them in list order.
 */
export interface ListHead {
  readonly total: number;
  readonly rows: readonly ResidentRow[];
}

/** Puts a row into a list in list order that keeps the first `limit` only (one comparison for most rows). */
export function insertListed<T>(list: T[], item: T, rowOf: (item: T) => ListedRow, limit: number): void {
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

/** `residentSearchKeys` (shared/domain/registry/searchKeys.ts), passed in: the device loads it lazily (pinyin-pro). */
export type KeysOf = typeof residentSearchKeysType;

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
export type PlaceReader = <C extends 'households' | 'buildings'>(collection: C, id: string) => StoredRecord<C> | null;

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

/** Every row of a document's projection, as a rebuild makes them. */
export interface RegistryRows {
  /** Every whole resident's row, in the document's order. */
  readonly residents: ResidentRow[];
  /** The residents by bucket (`RESIDENT_BUCKETS` arrays, some possibly empty). */
  readonly residentBuckets: ResidentRow[][];
  /** Every record of the other collections. */
  readonly records: RecordRow[];
  readonly head: ListHead;
}

/** The whole projection of a registry document (or its masked copy: same layout), from the document. */
export function registryRows(doc: Y.Doc, docName: string, keysOf: KeysOf): RegistryRows {
  const places = cachedPlaces(doc);
  const residents = listRecords(doc, 'residents')
    .filter(isWholeResident)
    .map((resident) => residentRow(doc, docName, resident, keysOf, places));
  const records = REGISTRY_COLLECTIONS.filter((collection) => collection !== 'residents').flatMap((collection) =>
    listRecords(doc, collection).map((record) => recordRow(docName, collection, record)),
  );
  const residentBuckets = Array.from({ length: RESIDENT_BUCKETS }, () => [] as ResidentRow[]);
  for (const row of residents) residentBuckets[bucketOf(row.id)]?.push(row);
  return { residents, residentBuckets, records, head: listHeadOf(residents) };
}

/** The records of each (collection, bucket) as the device stores them: `RecordRow['record'][]` per bucket. */
export function recordBucketsOf(
  records: readonly RecordRow[],
): { collection: string; bucket: number; records: Record<string, unknown>[] }[] {
  const grouped = new Map<string, { collection: string; bucket: number; records: Record<string, unknown>[] }>();
  for (const row of records) {
    const bucket = recordBucketOf(row.id);
    const key = `${row.collection}|${bucket}`;
    let group = grouped.get(key);
    if (!group) grouped.set(key, (group = { collection: row.collection, bucket, records: [] }));
    group.records.push(row.record);
  }
  return [...grouped.values()];
}
