/**
 * The one Dexie database of the workstation (docs/conventions.md, habit 7). Tables, by schema version:
 *
 * | table        | since | primary key                | indexes                                   | holds |
 * | ------------ | ----- | -------------------------- | ----------------------------------------- | ----- |
 * | docUpdates   | 1     | ++seq                      | docName                                   | Yjs updates (v1 encoding, as y-websocket speaks) of every synced document, appended as they happen and compacted into one now and then; since 5 sealed (`sealed` instead of `update`) |
 * | communities  | 1     | id                         | lastOpenedAt                              | the communities held on this device, with name and last opening |
 * | settings     | 1     | key                        |                                           | device id, acting user, current community, sync state; since 5 all but PLAIN_SETTINGS sealed (`sealed` instead of `value`) |
 * | residentBuckets | 2  | [docName+bucket]           | docName                                   | projection of residents for lists, filters and search (search keys: name, pinyin initials, ID and phone tails, address), 64 buckets of rows per community, loaded into memory; since 3 each bucket's rows are one JSON string; since 5 sealed |
 * | records      | 2     | [docName+collection+id]    | [docName+collection]                      | projection of the other registry collections, one row per record (emptied and unused since 4) |
 * | recordBuckets | 4    | [docName+collection+bucket] | [docName+collection], docName           | projection of the other registry collections: 16 buckets of records per collection, each a JSON string; since 5 sealed |
 * | projections  | 2     | docName                    |                                           | state vector of each document when its projections were last brought up to date, with the list head (since 5 sealed: `sealedHead`) |
 * | residentKeys | 6     | [docName+bucket]           | docName                                   | the search keys of each resident bucket (id, filters, name, readings, ID and phone tails, address: about a fifth of the rows), written with their bucket and read before the buckets, so that search answers before everyone is read (docs/registry-model.md, "Search keys read first"); sealed |
 *
 * Schema changes only add (docs/conventions.md, habit 8): every `version(n)` stays, with its upgrade, and has a test in
 * tests/unit/renderer/data/migrations.test.ts that opens the previous version's data and upgrades it.
 *
 * Encryption at rest (renderer/data/sealed.ts, docs/decisions.md): rows that hold anything about people are sealed
 * with AES-GCM on their way in and opened on their way out, by the `RowCodec` the database is made with. Row shapes
 * keep their plain field (optional since 5) beside the sealed one: a store written before 5 is read as it is and
 * sealed in place by `migrateToSealed` (renderer/data/migrateToSealed.ts), batch by batch.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { RowCodec } from './sealed';
import { SealedSettings } from './settings';

export interface DocUpdateRow {
  seq?: number;
  docName: string;
  /** The update in clear: rows written before version 5 (until `migrateToSealed`), and tests' plain rows. */
  update?: Uint8Array;
  /** Since version 5: the update sealed (IV, then AES-GCM ciphertext and tag; see sealed.ts). */
  sealed?: Uint8Array;
  /** Milliseconds since the epoch when it was stored; a compacted row carries the time of the compaction. */
  at: number;
}

export interface CommunityRow {
  id: string;
  name: string;
  addedAt: number;
  lastOpenedAt: number;
}

export interface SettingRow {
  key: string;
  /** The value in clear: the settings of PLAIN_SETTINGS (sealed.ts), and any setting written before version 5. */
  value?: unknown;
  /** Since version 5: the value as JSON, sealed with the device key. */
  sealed?: Uint8Array;
}

/** One resident's row (the list, its filters, search): made by shared/ydoc/registryRows.ts, on the device and the server. */
export type { ResidentRow } from '@shared/ydoc/registryRows';

/**
 * Residents' projection rows, stored by bucket (a hash of the resident id) rather than one IndexedDB record per
 * resident: the whole community is loaded into memory for search anyway, and IndexedDB's cost is per record, so
 * 64 records of a few hundred rows write and read many times faster than 20,000 records of one row.
 *
 * Since version 3 a bucket holds its rows as one JSON string (`ResidentRow[]`): reading 20,000 rows as structured
 * clones of nested objects cost seconds of main-thread time in Chromium, a string and `JSON.parse` a fraction of it.
 */
export interface ResidentBucketRow {
  docName: string;
  bucket: number;
  /** The rows in clear (before version 5, until sealed in place). */
  json?: string;
  /** Since version 5: the JSON sealed with the community's key. */
  sealed?: Uint8Array;
}

/**
 * Since version 6: the search keys of one resident bucket (`ResidentKeyRow`s, shared/ydoc/registryRows.ts), sealed
 * like the bucket; same shape. Complete for a document only while its projection state says `keysFormat`.
 */
export type ResidentKeysRow = ResidentBucketRow;

export interface RecordRow {
  docName: string;
  collection: string;
  id: string;
  record: Record<string, unknown>;
}

/**
 * The other registry collections' projection, by bucket like the residents (version 4): rebuilding a projection
 * wrote ~7,000 household rows one IndexedDB record each, the larger part of a rebuild's time.
 */
export interface RecordBucketRow {
  docName: string;
  collection: string;
  bucket: number;
  /** `RecordRow['record'][]` as JSON, in clear (before version 5, until sealed in place). */
  json?: string;
  /** Since version 5: the JSON sealed with the community's key. */
  sealed?: Uint8Array;
}

export interface ProjectionStateRow {
  docName: string;
  stateVector: Uint8Array;
  builtAt: number;
  /**
   * The first page of the residents list (see `ListHead` in projection.ts), kept with the projection in the same
   * transaction, so the list can show before the whole community is read. Absent in rows written before it existed.
   * In clear: rows written before version 5 (until sealed in place).
   */
  head?: StoredListHead;
  /** Since version 5: the list head (`StoredListHead` as JSON) sealed with the community's key. */
  sealedHead?: Uint8Array;
  /**
   * Set while a big flush writes its buckets in steps (see RegistryProjection.flush), with the state vector of
   * before: found at a start, the buckets are half old, half new, and neither they nor the head are shown until the
   * projection is rebuilt from the document.
   */
  partial?: true;
  /**
   * Since version 6: every bucket of this projection has its search keys in `residentKeys`, in this format
   * (`RESIDENT_KEYS_FORMAT`). Absent in a projection written before (its buckets are read as they are, and the keys are
   * written once everyone has been read) or by a build that wrote buckets without keys.
   */
  keysFormat?: number;
}

/** The list head as stored: the count, and the first rows as JSON. */
export interface StoredListHead {
  total: number;
  json: string;
}

export const DB_NAME = 'community-workstation';

export class WorkstationDb extends Dexie {
  docUpdates!: EntityTable<DocUpdateRow, 'seq'>;
  communities!: EntityTable<CommunityRow, 'id'>;
  settings!: EntityTable<SettingRow, 'key'>;
  residentBuckets!: Dexie.Table<ResidentBucketRow, [string, number]>;
  records!: Dexie.Table<RecordRow, [string, string, string]>;
  recordBuckets!: Dexie.Table<RecordBucketRow, [string, string, number]>;
  projections!: EntityTable<ProjectionStateRow, 'docName'>;
  residentKeys!: Dexie.Table<ResidentKeysRow, [string, number]>;
  /** The settings with their values opened and sealed (settings.ts): every setting about a person goes through it. */
  readonly sealedSettings: SealedSettings;
  /** Whether this opening created the database (nothing was on this device before): it is born sealed. */
  created = false;

  /**
   * @param rows how rows meet the disk: in the app always `SealedRows` (sealed.ts); plain rows exist only for tests
   *   and benchmarks (tests/unit/renderer/data/plainRows.ts, which renderer/ cannot import).
   */
  constructor(
    name: string,
    readonly rows: RowCodec,
    options?: ConstructorParameters<typeof Dexie>[1],
  ) {
    super(name, options);
    defineSchema(this);
    this.sealedSettings = new SealedSettings(this);
    this.on('populate', () => {
      this.created = true;
    });
  }
}

/** Version 1: the synced truth and the device's own settings. */
export const SCHEMA_V1 = {
  docUpdates: '++seq, docName',
  communities: 'id, lastOpenedAt',
  settings: 'key',
};

/** Version 2 adds the projection tables; they are derived, so the upgrade leaves them empty to be built on open. */
export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  // Search and filters run over the in-memory index (renderer/data/store.ts), so the table needs no index beyond the
  // one that loads a community.
  residentBuckets: '[docName+bucket], docName',
  records: '[docName+collection+id], [docName+collection]',
  projections: 'docName',
};

/**
 * Version 3 changes the shape of `residentBuckets` rows (`rows: ResidentRow[]` → `json: string`), not the indexes.
 * Projections are derived: the upgrade empties the buckets and the projection states, and each registry's projection
 * is rebuilt from its document when it is next opened.
 */
export const SCHEMA_V3 = SCHEMA_V2;

/**
 * Version 4 adds `recordBuckets` and stops using `records`; the upgrade empties `records` and the projection states,
 * so each registry's projection is rebuilt into the buckets when it is next opened.
 */
export const SCHEMA_V4 = {
  ...SCHEMA_V3,
  recordBuckets: '[docName+collection+bucket], [docName+collection], docName',
};

/**
 * Version 5: rows that hold anything about people are sealed (a `sealed` field, and `sealedHead` in `projections`,
 * instead of the plain one). Nothing to index, so it only adds the version, with no upgrade: the rows cannot be
 * sealed inside an upgrade transaction (WebCrypto is asynchronous, and an IndexedDB transaction commits when a task
 * waits on anything else), so they are sealed in place after opening, by `migrateToSealed`. The version still matters:
 * a build before it cannot open the database (VersionError) rather than read sealed rows as missing and write plain
 * ones among them.
 */
export const SCHEMA_V5 = SCHEMA_V4;

/**
 * Version 6 adds `residentKeys`, the search keys of each resident bucket. Nothing to upgrade: they are derived, and a
 * projection whose state row has no `keysFormat` is read from its buckets as before and gets its keys written after
 * (renderer/data/store.ts). A build before 6 cannot open the database, so it never rewrites buckets and leaves their
 * keys behind.
 */
export const SCHEMA_V6 = {
  ...SCHEMA_V5,
  residentKeys: '[docName+bucket], docName',
};

export function defineSchema(db: Dexie): void {
  db.version(1).stores(SCHEMA_V1);
  db.version(2).stores(SCHEMA_V2);
  db.version(3)
    .stores(SCHEMA_V3)
    .upgrade(async (tx) => {
      await tx.table('residentBuckets').clear();
      await tx.table('projections').clear();
    });
  db.version(4)
    .stores(SCHEMA_V4)
    .upgrade(async (tx) => {
      await tx.table('records').clear();
      await tx.table('projections').clear();
    });
  db.version(5).stores(SCHEMA_V5);
  db.version(6).stores(SCHEMA_V6);
}
