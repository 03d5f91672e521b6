/**
 * Encryption at rest (it sits under the data layer: docs/security.md, docs/decisions.md "Encryption at rest"):
 * every row that holds anything about people is sealed with AES-GCM (WebCrypto) on its way into IndexedDB and opened
 * on its way out. Nothing above renderer/data knows.
 *
 * | table           | sealed field | holds, once opened                           | key                    | additional data (after `cgw.sealed.v1`) |
 * | --------------- | ------------ | -------------------------------------------- | ---------------------- | --------------------------------------- |
 * | docUpdates      | `sealed`     | the Yjs update (plain: `update`)             | the community's        | `docUpdates`, docName, seq              |
 * | residentBuckets | `sealed`     | the bucket's rows, JSON (plain: `json`)      | the community's        | `residentBuckets`, docName, bucket      |
 * | residentKeys    | `sealed`     | the bucket's search keys, JSON (plain: `json`) | the community's      | `residentKeys`, docName, bucket         |
 * | recordBuckets   | `sealed`     | the bucket's records, JSON (plain: `json`)   | the community's        | `recordBuckets`, docName, collection, bucket |
 * | projections     | `sealedHead` | the list head, JSON (plain: `head`)          | the community's        | `projections.head`, docName             |
 * | settings        | `sealed`     | the value, JSON (plain: `value`)             | the device key         | `settings`, key                         |
 *
 * Plain, because they say nothing about a person: the settings of `PLAIN_SETTINGS`; the `communities` table (the
 * office's id and name, dates); a projection's state vector, build time and `partial` flag (Yjs client ids and
 * clocks); the keys of every row (document names, bucket numbers, seqs). The legacy `records` table is empty since
 * version 4 (the migration empties it if not).
 *
 * A sealed value is a fresh random 12-byte IV followed by the ciphertext and its 16-byte tag. The community of a row
 * is the first part of its document name (`parseDocName`). The additional data is the row's identity, so a sealed
 * value moved to another row (another document, bucket, seq or setting) does not open: `SealedRowError`, never
 * garbage. It cannot stop a row being deleted or an older sealed value of the *same* row being put back.
 */
import { parseDocName } from '@shared/ydoc/docName';
import type {
  DocUpdateRow,
  ProjectionStateRow,
  RecordBucketRow,
  ResidentBucketRow,
  ResidentKeysRow,
  SettingRow,
  StoredListHead,
} from './db';
import type { KeyRing } from './keyring';
import { openBytes, sealBytes } from './aesGcm';
import { OFF_THREAD_BYTES, pageAesThread, type AesThread } from './aesThread';

export { IV_BYTES, openBytes, sealBytes } from './aesGcm';

const AAD_PREFIX = 'cgw.sealed.v1';

/**
 * Settings kept in clear: they name no person and hold no secret, and are needed before anyone signs in or by code
 * that has no keys (the residents screen's current community). Every other setting is sealed with the device key,
 * also one added later (sealed unless listed here): the acting user (`user`), the registry person of each community
 * (`person:<community>`), the joined sync server (`sync.config`), per document sync state (`sync.doc.<docName>`),
 * changes by others (`sync.away.<community>`), the store's own mark (`storage.sealed`). Language and colour scheme
 * live in localStorage, not here.
 */
export const PLAIN_SETTINGS: ReadonlySet<string> = new Set(['deviceId', 'currentCommunity']);

/** A row that does not open: sealed with another key, altered, moved from another row, or in clear where it may not be. */
export class SealedRowError extends Error {
  constructor(
    readonly table: string,
    readonly row: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${table} row ${row} ${reason}`, options);
    this.name = 'SealedRowError';
  }
}

/**
 * How rows meet the disk. The app's is always `SealedRows`. The only one that does not seal is for tests and
 * benchmarks and lives under tests/ (tests/unit/renderer/data/plainRows.ts), which renderer/ may not import (lint).
 */
export interface RowCodec {
  /** `false` only for the plain rows of tests and benchmarks. */
  readonly seals: boolean;
  updateRow(docName: string, seq: number, update: Uint8Array, at: number): Promise<DocUpdateRow>;
  openUpdate(row: DocUpdateRow): Promise<Uint8Array>;
  residentBucket(docName: string, bucket: number, json: string): Promise<ResidentBucketRow>;
  openResidentBucket(row: ResidentBucketRow): Promise<string>;
  /** The search keys of a resident bucket (`ResidentKeyRow`s as JSON, shared/ydoc/registryRows.ts). */
  residentKeys(docName: string, bucket: number, json: string): Promise<ResidentKeysRow>;
  openResidentKeys(row: ResidentKeysRow): Promise<string>;
  recordBucket(docName: string, collection: string, bucket: number, json: string): Promise<RecordBucketRow>;
  openRecordBucket(row: RecordBucketRow): Promise<string>;
  /** The fields of a projection state row that hold the list head. */
  listHead(docName: string, head: StoredListHead): Promise<Pick<ProjectionStateRow, 'head' | 'sealedHead'>>;
  /** The list head of a projection state row; `null` when it has none. */
  openListHead(row: ProjectionStateRow): Promise<StoredListHead | null>;
  setting(key: string, value: unknown): Promise<SettingRow>;
  /** A setting's value; `undefined` when the row holds none. */
  openSetting(row: SettingRow): Promise<unknown>;
}

/** The community whose key seals a document's rows: the first part of its name. */
export function communityOf(docName: string): string {
  const parsed = parseDocName(docName);
  if (parsed) return parsed.community;
  // Not a well-formed name (tests give LocalDocs names such as 'a/registry'): still the part before the first '/'.
  const first = docName.split('/')[0] ?? '';
  if (first === '') throw new Error(`no community in the document name "${docName}"`);
  return first;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The additional data binding a sealed value to its row. Names cannot hold NUL, so the join is unambiguous. */
export function rowAad(table: string, ...identity: readonly (string | number)[]): Uint8Array<ArrayBuffer> {
  return encoder.encode([AAD_PREFIX, table, ...identity.map(String)].join('\u0000'));
}

type KeyOf = { readonly community: string } | 'device';

/**
 * Rows sealed with the keys of a `KeyRing`. Rows in clear (a store written before version 5, not yet sealed in place)
 * are read as they are until the store is marked sealed (`refusePlainRows`, see migrateToSealed.ts); from then on a
 * row in clear was not written by this app, and is refused.
 */
export class SealedRows implements RowCodec {
  readonly seals = true;
  private refusePlain = false;
  /** Keys the key ring has given, by the promise it gave them with. */
  private readonly resolved = new WeakMap<Promise<CryptoKey>, CryptoKey>();

  /**
   * `thread`: where big values are sealed and opened (aesThread.ts); the page's crypto worker unless given, `null`
   * for the calling thread.
   */
  constructor(
    private readonly keys: KeyRing,
    private readonly thread: AesThread | null = pageAesThread(),
  ) {}

  /** Called once every row of the store is sealed: a row found in clear after that is refused. */
  refusePlainRows(): void {
    this.refusePlain = true;
  }

  get refusesPlainRows(): boolean {
    return this.refusePlain;
  }

  /**
   * Asks the key ring for a community's key now, without waiting: the first rows of a session are then opened
   * without waiting for the vault to read and unwrap it (the list head, first thing a start opens).
   */
  prefetch(community: string): void {
    try {
      const pending = this.keys.keyFor(community);
      pending.then(
        (key) => this.resolved.set(pending, key),
        () => undefined,
      );
    } catch {
      // Signed out meanwhile: the row that needs the key says so.
    }
  }

  async updateRow(docName: string, seq: number, update: Uint8Array, at: number): Promise<DocUpdateRow> {
    const sealed = await this.seal({ community: communityOf(docName) }, rowAad('docUpdates', docName, seq), update);
    return { seq, docName, sealed, at };
  }

  async openUpdate(row: DocUpdateRow): Promise<Uint8Array> {
    const id = `${row.docName}#${String(row.seq)}`;
    if (row.sealed !== undefined) {
      if (row.seq === undefined) throw new SealedRowError('docUpdates', id, 'has no seq to open it with');
      return this.open(
        { community: communityOf(row.docName) },
        rowAad('docUpdates', row.docName, row.seq),
        row.sealed,
        ['docUpdates', id],
      );
    }
    if (row.update !== undefined) return this.plain('docUpdates', id, row.update);
    throw new SealedRowError('docUpdates', id, 'holds no update');
  }

  residentBucket(docName: string, bucket: number, json: string): Promise<ResidentBucketRow> {
    return this.sealBucketRow('residentBuckets', docName, bucket, json);
  }

  openResidentBucket(row: ResidentBucketRow): Promise<string> {
    return this.openBucketRow('residentBuckets', row, 'holds no rows');
  }

  residentKeys(docName: string, bucket: number, json: string): Promise<ResidentKeysRow> {
    return this.sealBucketRow('residentKeys', docName, bucket, json);
  }

  /**
   * Opened on the calling thread, not in the crypto worker: the keys are what a search waits for after a start, and
   * a start's keys opened in the worker made the search answer 0.4-0.5 s later at 100,000 residents
   * (docs/bench-scale.md, "A start's reads on the main thread").
   */
  openResidentKeys(row: ResidentKeysRow): Promise<string> {
    return this.openBucketRow('residentKeys', row, 'holds no keys', { here: true });
  }

  /** A row of a table keyed by document and bucket (`residentBuckets`, `residentKeys`), sealed. */
  private async sealBucketRow(
    table: 'residentBuckets' | 'residentKeys',
    docName: string,
    bucket: number,
    json: string,
  ): Promise<ResidentBucketRow> {
    const sealed = await this.seal({ community: communityOf(docName) }, rowAad(table, docName, bucket), json);
    return { docName, bucket, sealed };
  }

  private async openBucketRow(
    table: 'residentBuckets' | 'residentKeys',
    row: ResidentBucketRow,
    empty: string,
    { here = false }: { here?: boolean } = {},
  ): Promise<string> {
    const id = `${row.docName}#${row.bucket}`;
    if (row.sealed !== undefined) {
      const aad = rowAad(table, row.docName, row.bucket);
      return this.open({ community: communityOf(row.docName) }, aad, row.sealed, [table, id], { text: true, here });
    }
    if (row.json !== undefined) return this.plain(table, id, row.json);
    throw new SealedRowError(table, id, empty);
  }

  async recordBucket(docName: string, collection: string, bucket: number, json: string): Promise<RecordBucketRow> {
    const sealed = await this.seal(
      { community: communityOf(docName) },
      rowAad('recordBuckets', docName, collection, bucket),
      json,
    );
    return { docName, collection, bucket, sealed };
  }

  async openRecordBucket(row: RecordBucketRow): Promise<string> {
    const id = `${row.docName}#${row.collection}#${row.bucket}`;
    if (row.sealed !== undefined) {
      const aad = rowAad('recordBuckets', row.docName, row.collection, row.bucket);
      return this.open({ community: communityOf(row.docName) }, aad, row.sealed, ['recordBuckets', id], { text: true });
    }
    if (row.json !== undefined) return this.plain('recordBuckets', id, row.json);
    throw new SealedRowError('recordBuckets', id, 'holds no records');
  }

  async listHead(docName: string, head: StoredListHead): Promise<Pick<ProjectionStateRow, 'head' | 'sealedHead'>> {
    const sealedHead = await this.seal(
      { community: communityOf(docName) },
      rowAad('projections.head', docName),
      encoder.encode(JSON.stringify(head)),
    );
    return { sealedHead };
  }

  /** Opened on the calling thread, as the keys are: the first list of a start waits for it. */
  async openListHead(row: ProjectionStateRow): Promise<StoredListHead | null> {
    if (row.sealedHead !== undefined) {
      const aad = rowAad('projections.head', row.docName);
      const bytes = await this.open(
        { community: communityOf(row.docName) },
        aad,
        row.sealedHead,
        ['projections', row.docName],
        { here: true },
      );
      return JSON.parse(decoder.decode(bytes)) as StoredListHead;
    }
    if (row.head !== undefined) return this.plain('projections', row.docName, row.head);
    return null;
  }

  async setting(key: string, value: unknown): Promise<SettingRow> {
    if (PLAIN_SETTINGS.has(key)) return { key, value };
    const sealed = await this.seal('device', rowAad('settings', key), encoder.encode(JSON.stringify(value ?? null)));
    return { key, sealed };
  }

  async openSetting(row: SettingRow): Promise<unknown> {
    if (PLAIN_SETTINGS.has(row.key)) return row.value;
    if (row.sealed !== undefined) {
      const bytes = await this.open('device', rowAad('settings', row.key), row.sealed, ['settings', row.key]);
      return JSON.parse(decoder.decode(bytes)) as unknown;
    }
    return row.value === undefined ? undefined : this.plain('settings', row.key, row.value);
  }

  private key(of: KeyOf): Promise<CryptoKey> {
    return of === 'device' ? this.keys.deviceKey() : this.keys.keyFor(of.community);
  }

  /**
   * Seals without waiting for the key when it is known already (the key ring's same promise is the same key; it
   * keeps one per community until it forgets it): WebCrypto then starts on a row as soon as it is encoded, while the
   * main thread encodes the next (a rebuild seals 64 buckets of JSON one after another).
   */
  private seal(of: KeyOf, aad: Uint8Array<ArrayBuffer>, plain: Uint8Array | string): Promise<Uint8Array> {
    const pending = this.key(of);
    const known = this.resolved.get(pending);
    if (known !== undefined) return this.sealWith(known, aad, plain);
    return pending.then((key) => {
      this.resolved.set(pending, key);
      return this.sealWith(key, aad, plain);
    });
  }

  /** Big values in the crypto worker (aesThread.ts), small ones here. */
  private sealWith(key: CryptoKey, aad: Uint8Array<ArrayBuffer>, plain: Uint8Array | string): Promise<Uint8Array> {
    if (this.thread !== null && plain.length >= OFF_THREAD_BYTES) return this.thread.seal(key, aad, plain);
    return sealBytes(key, aad, typeof plain === 'string' ? encoder.encode(plain) : plain);
  }

  /**
   * The row's value, opened (`text`: and decoded as UTF-8); a `SealedRowError` naming the row if it does not open.
   * `here`: on the calling thread whatever its size (what a person waits for right now), not in the crypto worker.
   */
  private open(
    of: KeyOf,
    aad: Uint8Array<ArrayBuffer>,
    sealed: Uint8Array,
    row: [string, string],
    how?: { text?: false; here?: boolean },
  ): Promise<Uint8Array>;
  private open(
    of: KeyOf,
    aad: Uint8Array<ArrayBuffer>,
    sealed: Uint8Array,
    row: [string, string],
    how: { text: true; here?: boolean },
  ): Promise<string>;
  private async open(
    of: KeyOf,
    aad: Uint8Array<ArrayBuffer>,
    sealed: Uint8Array,
    [table, id]: [string, string],
    { text = false, here = false }: { text?: boolean; here?: boolean } = {},
  ): Promise<Uint8Array | string> {
    const pending = this.key(of);
    const key = this.resolved.get(pending) ?? (await pending);
    try {
      if (!here && this.thread !== null && sealed.length >= OFF_THREAD_BYTES) {
        return await (text ? this.thread.openText(key, aad, sealed) : this.thread.open(key, aad, sealed));
      }
      const opened = await openBytes(key, aad, sealed);
      return text ? decoder.decode(opened) : opened;
    } catch (error) {
      throw new SealedRowError(
        table,
        id,
        'does not open: sealed with another key, altered, or moved from another row',
        { cause: error },
      );
    }
  }

  private plain<T>(table: string, id: string, value: T): T {
    if (this.refusePlain) {
      throw new SealedRowError(table, id, 'is in clear in a sealed store: refused (this app did not write it)');
    }
    return value;
  }
}
