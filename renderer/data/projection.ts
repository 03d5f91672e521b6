import * as Y from 'yjs';
import {
  REGISTRY_COLLECTIONS,
  collectionMap,
  recordField,
  readRecord,
  listRecords,
  type RegistryCollection,
} from '@shared/ydoc/registry';
import type { RowCodec } from './sealed';
import type { ProjectionStateRow, RecordBucketRow, RecordRow, ResidentRow, WorkstationDb } from './db';
import { yieldToBrowser } from './docs';
import { rowsState, type RowsSnapshot } from '@shared/sync/rowsSnapshot';
import { registryRows } from '@shared/ydoc/registryRows';
import { changedSince, coversState } from './projectionCatchUp';

import {
  PLACE_COLLECTIONS,
  RESIDENT_BUCKETS,
  BUCKETS_PER_STEP,
  EMPTY_STATE_VECTOR,
  bucketOf,
  recordBucketOf,
  parseRecords,
  recordBucketRows,
  type ListHead,
  listHeadOf,
  nextListHead,
  storedHead,
  listHeadFrom,
  keptHead,
  openResidentBuckets,
  readResidentRows,
  sealResidentBucket,
  putResidentBuckets,
  KEYS_COMPLETE,
  RESIDENT_KEYS_FORMAT,
  type SealedBucket,
  sameBytes,
  sameState,
  ProjectionMovedError,
  type KeysOf,
  loadSearchKeys,
  KEYS_RETRY_MS,
  isWholeResident,
  cachedPlaces,
  residentRow,
  recordRow,
} from './projectionRows';

/** Rows of adopted rows sealed so far, of all of them (a progress display). */
export type AdoptProgress = (written: number, total: number) => void;

export interface ProjectionChange {
  docName: string;
  residents: readonly ResidentRow[];
  removedResidents: readonly string[];
  collections: ReadonlySet<RegistryCollection>;
  /** Every resident row of the document after this change, when the projection knows them all (a rebuild, a flush
   * that read every bucket, such as a first sync's). */
  everyone?: readonly ResidentRow[];
}

/**
 * Keeps the Dexie projection tables of one registry document in step with it: rebuilt from scratch when the stored
 * state vector differs from the document's (first open, or another device's changes arrived while the projection
 * was not running), and incrementally on every change after that, batched per task.
 */
export class RegistryProjection {
  private readonly pending = new Map<RegistryCollection, Set<string>>();
  private readonly observers: [Y.Map<Y.Map<unknown>>, (events: Y.YEvent<Y.AbstractType<unknown>>[]) => void][] = [];
  private flushing: Promise<void> = Promise.resolve();
  private scheduled = false;
  /** Stopped (`stop`, or a start that failed): no flush writes any more. */
  private stopped = false;
  private readonly listeners = new Set<(change: ProjectionChange) => void>();
  /**
   * The document state of rows adopted for a first sync (`adoptRows`) while the document has not caught up with it:
   * until it has, the rows are the projection and the document's arriving pieces are not projected.
   */
  private awaiting: Y.Snapshot | null = null;

  constructor(
    private readonly db: WorkstationDb,
    readonly docName: string,
    private readonly doc: Y.Doc,
  ) {}

  /** Called after each batch of projected changes (the in-memory search index follows it). */
  onChange(listener: (change: ProjectionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts following the document; rebuilds first if the stored projection is not of this document state. */
  async start(): Promise<void> {
    // Fetched now, while the network is surely there (web mode): offline edits later must not wait for it.
    loadSearchKeys().catch(() => undefined);
    for (const collection of REGISTRY_COLLECTIONS) {
      const map = collectionMap(this.doc, collection);
      const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
        const ids = this.pendingOf(collection);
        for (const event of events) {
          if (event.target === map && event instanceof Y.YMapEvent) {
            for (const key of event.keysChanged as Set<string>) ids.add(key);
          } else if (typeof event.path[0] === 'string') ids.add(event.path[0]);
        }
        this.schedule();
      };
      map.observeDeep(observer);
      this.observers.push([map, observer]);
    }
    // In the chain of flushes: a flush writing in steps must not meet a rebuild half-way.
    const started = this.flushing.then(async () => {
      const stored = await this.db.projections.get(this.docName);
      if (!stored || !sameBytes(stored.stateVector, Y.encodeStateVector(this.doc))) await this.rebuild();
      else if (!stored.head && !stored.sealedHead) await this.writeListHead();
    });
    this.flushing = started.catch(() => undefined);
    try {
      await started;
    } catch (error) {
      // A start whose rebuild failed (web mode, reloaded offline: the search-key code cannot be fetched) stops
      // following the document: a flush of the changes it heard meanwhile would write the document's state vector over
      // the stale projection and hide the changes before them from every later start. The next opening starts a new
      // projection, which rebuilds (docs/registry-model.md, "A projection that could not start").
      this.stop();
      throw error;
    }
  }

  /** Writes the list head of a projection made before heads were kept (read everyone once). */
  private async writeListHead(): Promise<void> {
    const state = await this.db.projections.get(this.docName);
    if (!state || state.head || state.sealedHead) return;
    const head = listHeadOf(await readResidentRows(this.db, this.docName));
    const fields = await this.db.rows.listHead(this.docName, storedHead(head));
    await this.db.transaction('rw', this.db.projections, async () => {
      // Only over the projection it was computed from (its buckets change with its state row).
      if (!sameState(await this.db.projections.get(this.docName), state)) return;
      await this.db.projections.put({ ...state, ...fields });
    });
  }

  stop(): void {
    this.stopped = true;
    for (const [map, observer] of this.observers.splice(0)) map.unobserveDeep(observer);
  }

  /** Throws away this document's projection rows and builds them again from the document. */
  async rebuild(): Promise<void> {
    // User Timing marks of its three parts (read by `npm run bench:scale`, visible in DevTools).
    performance.mark(`cgw:rebuild-start ${this.docName}`);
    const keysOf = await loadSearchKeys();
    this.pending.clear();
    this.awaiting = null;
    const {
      residents,
      residentBuckets: grouped,
      records,
      head: listHead,
    } = registryRows(this.doc, this.docName, keysOf);
    const stateVector = Y.encodeStateVector(this.doc);
    performance.mark(`cgw:rebuild-rows ${this.docName}`);
    // Every row sealed before the transaction, a bucket's JSON made in a task of its own (`sealEachInATask`).
    const [buckets, recordBuckets, head] = await Promise.all([
      sealEachInATask(this.db.rows, this.docName, grouped),
      recordBucketRows(this.db, this.docName, records),
      this.db.rows.listHead(this.docName, storedHead(listHead)),
    ]);
    performance.mark(`cgw:rebuild-sealed ${this.docName}`);
    await this.writeWhole(buckets, recordBuckets, { docName: this.docName, stateVector, builtAt: Date.now(), ...head });
    performance.mark(`cgw:rebuild-written ${this.docName}`);
    this.emit({
      docName: this.docName,
      residents,
      removedResidents: [],
      collections: new Set(REGISTRY_COLLECTIONS),
      everyone: residents,
    });
  }

  /**
   * A first sync's rows made by the server (shared/sync/rowsSnapshot.ts), told to the screens at once and written as
   * this projection (sealed like a rebuild's) while the document is still on its way. When the document
   * holds the rows' state, only what changed after it is projected (`catchUp`); `settle` rebuilds if it never does.
   * Refused (false) for rows of another document, or a document that already holds their state (nothing to gain).
   */
  adoptRows(rows: RowsSnapshot, onWritten?: AdoptProgress): Promise<boolean> {
    const job = this.flushing.then(async () => {
      if (rows.docName !== this.docName) return false;
      const { stateVector, snapshot } = rowsState(rows);
      // The document's answer came first (or this device had it): the rows would only be projected over again.
      if (coversState(this.doc, snapshot.sv)) return false;
      const residents = rows.residentBuckets.flat();
      // The screens and search hear of the rows before they are sealed and written (seconds at 20,000 residents, while
      // the document's answer is applied on the same thread), as a flush tells them before it writes. If the write
      // fails, the document's changes stay pending and its flush tells them again.
      this.emit({
        docName: this.docName,
        residents,
        removedResidents: [],
        collections: new Set(REGISTRY_COLLECTIONS),
        everyone: residents,
      });
      let written = 0;
      onWritten?.(0, residents.length);
      // A bucket's JSON made in a task of its own: the list just told draws first, and stays usable while 100,000
      // residents are sealed (7.5 s of the main thread in one go before; docs/bench-scale.md, "A first list that
      // waited for its rows' sealing").
      const [buckets, recordBuckets, head] = await Promise.all([
        sealEachInATask(this.db.rows, this.docName, rows.residentBuckets, (bucketRows) => {
          written += bucketRows.length;
          onWritten?.(written, residents.length);
        }),
        Promise.all(
          rows.recordBuckets.map((group) =>
            this.db.rows.recordBucket(this.docName, group.collection, group.bucket, JSON.stringify(group.records)),
          ),
        ),
        this.db.rows.listHead(this.docName, storedHead({ total: rows.total, rows: rows.head })),
      ]);
      await this.writeWhole(buckets, recordBuckets, {
        docName: this.docName,
        stateVector,
        builtAt: Date.now(),
        ...head,
      });
      // What arrived of the document meanwhile is projected by the catch-up, from the rows' state.
      this.pending.clear();
      this.awaiting = snapshot;
      return true;
    });
    this.flushing = job.then(
      () => undefined,
      () => undefined,
    );
    return job;
  }

  /** Whether adopted rows still wait for the document to catch up with them. */
  get awaitingDocument(): boolean {
    return this.awaiting !== null;
  }

  /**
   * The document's first answer has been applied: adopted rows it does not cover (the server's document was reset,
   * or the answer failed) are replaced by a rebuild from the document.
   */
  settle(): Promise<void> {
    const job = this.flushing.then(async () => {
      if (this.awaiting === null || coversState(this.doc, this.awaiting.sv)) {
        if (this.awaiting !== null) this.schedule();
        return;
      }
      this.awaiting = null;
      await this.rebuild();
    });
    this.flushing = job.catch(() => undefined);
    return job;
  }

  /**
   * Adopted rows and a document that now holds their state: the pending changes become what the document changed
   * after it. False while the document has not caught up (nothing is projected meanwhile).
   */
  private catchUp(): boolean {
    const since = this.awaiting;
    if (since === null) return true;
    const changed = changedSince(this.doc, since);
    this.pending.clear();
    if (changed === null) return false;
    this.awaiting = null;
    for (const [collection, ids] of changed) for (const id of ids) this.pendingOf(collection).add(id);
    return true;
  }

  /** Resolves when every change seen so far is in the projection tables. */
  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.flushing || this.scheduled) {
      seen = this.flushing;
      await seen;
      if (this.scheduled) await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  private pendingOf(collection: RegistryCollection): Set<string> {
    let ids = this.pending.get(collection);
    if (!ids) {
      ids = new Set();
      this.pending.set(collection, ids);
    }
    return ids;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.flushing = this.flushing
        .then(() => this.flush())
        .catch((error: unknown) => {
          console.error('Projection update failed; rebuilding', error);
          return this.rebuild();
        })
        // A failed rebuild must not stop the next flushes from running.
        .catch((error: unknown) => console.error('Projection rebuild failed', error));
    }, 0);
  }

  private affectedResidents(): Set<string> {
    const residentIds = new Set(this.pending.get('residents') ?? []);
    const touchedPlaces = [...PLACE_COLLECTIONS].some((collection) => (this.pending.get(collection)?.size ?? 0) > 0);
    if (!touchedPlaces) return residentIds;
    // A renamed building or compound, or a household moved, changes the address of everyone living there.
    const households = new Set(this.pending.get('households') ?? []);
    const buildings = new Set(this.pending.get('buildings') ?? []);
    const compounds = this.pending.get('compounds') ?? new Set<string>();
    for (const entranceId of this.pending.get('entrances') ?? []) {
      const entrance = readRecord(this.doc, 'entrances', entranceId);
      if (entrance) buildings.add(entrance.buildingId);
    }
    if (compounds.size > 0) {
      for (const building of listRecords(this.doc, 'buildings')) {
        if (compounds.has(building.compoundId)) buildings.add(building.id);
      }
    }
    if (buildings.size > 0) {
      for (const household of listRecords(this.doc, 'households')) {
        if (buildings.has(household.buildingId)) households.add(household.id);
      }
    }
    collectionMap(this.doc, 'residents').forEach((map, id) => {
      const householdId = recordField(map, 'householdId');
      if (typeof householdId === 'string' && households.has(householdId)) residentIds.add(id);
    });
    return residentIds;
  }

  /** The rows of the residents and records a flush projects, and those removed from the document. */
  private rowsOf(residentIds: Iterable<string>, others: [RegistryCollection, Set<string>][], keysOf: KeysOf) {
    const residents: ResidentRow[] = [];
    const removedResidents: string[] = [];
    const places = cachedPlaces(this.doc);
    for (const id of residentIds) {
      const record = readRecord(this.doc, 'residents', id);
      if (!record) removedResidents.push(id);
      else if (isWholeResident(record)) residents.push(residentRow(this.doc, this.docName, record, keysOf, places));
    }
    const records: RecordRow[] = [];
    const removedRecords: [string, string, string][] = [];
    for (const [collection, ids] of others) {
      for (const id of ids) {
        const record = readRecord(this.doc, collection, id);
        if (record) records.push(recordRow(this.docName, collection, record));
        else removedRecords.push([this.docName, collection, id]);
      }
    }
    return { residents, removedResidents, records, removedRecords };
  }

  /** Projects the pending changes. */
  private async flush(): Promise<void> {
    if (this.stopped) return;
    let keysOf: KeysOf;
    try {
      keysOf = await loadSearchKeys();
    } catch (error) {
      // The changes stay pending (nothing is lost: the document holds them) and are projected on the next try.
      console.error('Search keys could not be loaded; the projection tries again shortly', error);
      setTimeout(() => this.schedule(), KEYS_RETRY_MS);
      return;
    }
    const awaited = this.awaiting !== null;
    if (!this.catchUp()) return;
    if (this.pending.size === 0) {
      // Caught up with adopted rows and nothing changed after them: the projection is of the document's state now.
      if (awaited) await this.markCurrent();
      return;
    }
    const residentIds = this.affectedResidents();
    // User Timing marks of big projections (a first sync, an import) for the benches and DevTools.
    const big = residentIds.size >= 1000;
    if (big) performance.mark('cgw:project-start');
    const collections = new Set(this.pending.keys());
    const others = [...this.pending].filter(([collection]) => collection !== 'residents');
    this.pending.clear();

    const { residents, removedResidents, records, removedRecords } = this.rowsOf(residentIds, others, keysOf);
    if (big) performance.mark('cgw:project-rows');
    const stateVector = Y.encodeStateVector(this.doc);
    // Grouped once: a first sync changes 20,000 residents in every bucket.
    const changedByBucket = new Map<number, ResidentRow[]>();
    for (const row of residents) {
      const bucket = bucketOf(row.id);
      const rows = changedByBucket.get(bucket);
      if (rows) rows.push(row);
      else changedByBucket.set(bucket, [row]);
    }
    const touched = new Set([...changedByBucket.keys(), ...removedResidents.map(bucketOf)]);
    // The screens hear of the change as soon as the rows are known, before they are written (the document is the
    // truth; a failed write rebuilds the projection, which tells them again).
    // An object: a `let` set inside the closure reads as always false to the type checker.
    const screens = { told: false };
    const tell = (everyone: ResidentRow[] | null) => {
      screens.told = true;
      if (big) performance.mark('cgw:project-told');
      this.emit({ docName: this.docName, residents, removedResidents, collections, ...(everyone ? { everyone } : {}) });
    };
    // A small change is written in one transaction. A big one (a first sync, an import: every bucket) is written in
    // steps of a few buckets, with the browser's other tasks (input, the screen the person opens) between them, and
    // the projection's state vector last: a crash half-way leaves an old state vector, so the next start rebuilds
    // (flushes run one after another, so no other writer of these buckets comes between the steps).
    // Everything the change rewrites is read and opened first, and everything it writes sealed, before a transaction
    // starts (an IndexedDB transaction commits when a task waits on WebCrypto). The writes check that the projection
    // on disk is still the one read; otherwise (another window wrote it) they fail, and the projection is rebuilt.
    const inSteps = touched.size > BUCKETS_PER_STEP;
    const codec = this.db.rows;
    const state = await this.db.projections.get(this.docName);
    const keys = [...touched].map((bucket) => [this.docName, bucket] as [string, number]);
    let bucketWrites: Promise<SealedBucket>[] = [];
    let headWrite: Promise<Pick<ProjectionStateRow, 'head' | 'sealedHead'>> = Promise.resolve(keptHead(state));
    if (touched.size > 0) {
      const [stored, storedHeadRow] = await Promise.all([
        inSteps
          ? openInTurn(this.db, keys)
          : this.db.residentBuckets.bulkGet(keys).then((buckets) => openResidentBuckets(this.db, buckets)),
        state ? codec.openListHead(state) : null,
      ]);
      let head: ListHead | null = storedHeadRow && listHeadFrom(storedHeadRow);
      const changed = new Map(residents.map((row) => [row.id, row]));
      const removed = new Set(removedResidents);
      const before = new Map<string, ResidentRow>();
      // With every bucket read, the flush knows the whole community: the store takes it as its index.
      const everyone: ResidentRow[] | null = touched.size === RESIDENT_BUCKETS ? [] : null;
      const nextRows = keys.map(([, bucket], index): ResidentRow[] => {
        const rows: ResidentRow[] = [];
        for (const row of stored[index] ?? []) {
          if (changed.has(row.id) || removed.has(row.id)) before.set(row.id, row);
          else rows.push(row);
        }
        for (const row of changedByBucket.get(bucket) ?? []) rows.push(row);
        if (everyone) everyone.push(...rows);
        return rows;
      });
      tell(everyone);
      // A big change (a first sync, an import, another device's hundreds of edits after days offline: every bucket)
      // is serialized and sealed one bucket per task: in one task, 64 buckets' JSON held the main thread for seconds
      // at 100,000 residents, and the other documents' sync waited for it (docs/bench-scale.md, "Reconnects of 11-27
      // s"). A small one in this task.
      bucketWrites = inSteps
        ? sealInTurn(codec, keys, nextRows)
        : keys.map(([docName, bucket], index) => sealResidentBucket(codec, docName, bucket, nextRows[index] ?? []));
      head = head && nextListHead(head, before, residents, removedResidents);
      // Not known from the page alone (or never written): everyone, as known here or read once.
      head ??= listHeadOf(everyone ?? (await this.everyoneWith(keys, nextRows)));
      headWrite = codec.listHead(this.docName, storedHead(head));
    }
    const recordWrites =
      records.length > 0 || removedRecords.length > 0 ? await this.nextRecordBuckets(records, removedRecords) : [];
    // If a write fails, the sealing of the rows not waited for yet fails the same way, or not at all: not reported twice.
    for (const pending of [...bucketWrites, ...recordWrites, headWrite]) pending.catch(() => undefined);
    // The search keys stay complete if they were, and become so when every bucket is rewritten (with its keys).
    const keysField =
      touched.size === RESIDENT_BUCKETS || state?.keysFormat === RESIDENT_KEYS_FORMAT ? KEYS_COMPLETE : {};
    if (inSteps) {
      // Every bucket sealed (seconds at 100,000 residents, one bucket per task) before the projection on disk is
      // touched: closed meanwhile, the app leaves the whole projection of before, which the next start shows at once
      // and brings up to date. Only the puts below leave it half-written, and they are marked so (docs/bench-scale.md,
      // "The half-written window"). Readers of this page meanwhile apply the change told above (store.ts).
      const sealed = await Promise.all(bucketWrites);
      await this.markPartial(state);
      for (let from = 0; from < keys.length; from += BUCKETS_PER_STEP) {
        if (from > 0) await yieldToBrowser();
        // Buckets and keys in a transaction each: the projection is marked half-written until the last step.
        await putResidentBuckets(this.db, sealed.slice(from, from + BUCKETS_PER_STEP));
      }
      if (recordWrites.length > 0) await this.db.recordBuckets.bulkPut(await Promise.all(recordWrites));
      await this.db.projections.put({
        docName: this.docName,
        stateVector,
        builtAt: Date.now(),
        ...(await headWrite),
        ...keysField,
      });
    } else {
      const [buckets, recordBuckets, head] = await Promise.all([
        Promise.all(bucketWrites),
        Promise.all(recordWrites),
        headWrite,
      ]);
      const tables = [this.db.residentBuckets, this.db.residentKeys, this.db.recordBuckets, this.db.projections];
      await this.db.transaction('rw', tables, async () => {
        if (!sameState(await this.db.projections.get(this.docName), state))
          throw new ProjectionMovedError(this.docName);
        await putResidentBuckets(this.db, buckets);
        if (recordBuckets.length > 0) await this.db.recordBuckets.bulkPut(recordBuckets);
        await this.db.projections.put({
          docName: this.docName,
          stateVector,
          builtAt: Date.now(),
          ...head,
          ...keysField,
        });
      });
    }
    if (big) performance.mark('cgw:project-end');
    if (!screens.told) tell(null);
  }

  /**
   * Writes a whole projection (a rebuild, adopted rows): every resident bucket with its keys, the record buckets in
   * place of the old ones, and the state row saying its keys are complete. One transaction.
   */
  private async writeWhole(
    buckets: readonly SealedBucket[],
    recordBuckets: readonly RecordBucketRow[],
    state: ProjectionStateRow,
  ): Promise<void> {
    const tables = [this.db.residentBuckets, this.db.residentKeys, this.db.recordBuckets, this.db.projections];
    await this.db.transaction('rw', tables, async () => {
      await this.db.recordBuckets.where('docName').equals(this.docName).delete();
      await putResidentBuckets(this.db, buckets);
      await this.db.recordBuckets.bulkPut(recordBuckets);
      await this.db.projections.put({ ...state, ...KEYS_COMPLETE });
    });
  }

  /** The stored projection, unchanged, stamped with the document's state vector (it projects exactly that). */
  private async markCurrent(): Promise<void> {
    const stateVector = Y.encodeStateVector(this.doc);
    await this.db.transaction('rw', this.db.projections, async () => {
      const state = await this.db.projections.get(this.docName);
      if (state) await this.db.projections.put({ ...state, stateVector });
    });
  }

  /**
   * Marks the projection half-written (the state vector of before, `partial`), if it is still the one read. Starts
   * its transaction before returning, so that reads started after it see the mark.
   */
  private markPartial(state: ProjectionStateRow | undefined): Promise<void> {
    return this.db.transaction('rw', this.db.projections, async () => {
      if (!sameState(await this.db.projections.get(this.docName), state)) throw new ProjectionMovedError(this.docName);
      await this.db.projections.put({
        docName: this.docName,
        stateVector: state?.stateVector ?? EMPTY_STATE_VECTOR,
        builtAt: state?.builtAt ?? Date.now(),
        partial: true,
      });
    });
  }

  /** Every resident after a flush: the rows of the buckets it rewrites, and the others read from disk. */
  private async everyoneWith(keys: readonly [string, number][], nextRows: readonly ResidentRow[][]) {
    const rewritten = new Set(keys.map(([, bucket]) => bucket));
    const buckets = await this.db.residentBuckets.where('docName').equals(this.docName).toArray();
    const others = await openResidentBuckets(
      this.db,
      buckets.filter((bucket) => !rewritten.has(bucket.bucket)),
    );
    return [...nextRows.flat(), ...others.flat()];
  }

  /**
   * The record buckets holding changed or removed records, read and opened now, rewritten, and being sealed (in
   * parallel) when this returns.
   */
  private async nextRecordBuckets(
    records: readonly RecordRow[],
    removed: readonly [string, string, string][],
  ): Promise<Promise<RecordBucketRow>[]> {
    const keys = new Map<string, [string, string, number]>();
    for (const { collection, id } of records) {
      keys.set(`${collection}|${recordBucketOf(id)}`, [this.docName, collection, recordBucketOf(id)]);
    }
    for (const [, collection, id] of removed) {
      keys.set(`${collection}|${recordBucketOf(id)}`, [this.docName, collection, recordBucketOf(id)]);
    }
    const list = [...keys.values()];
    const stored = await this.db.recordBuckets.bulkGet(list);
    const opened = await Promise.all(
      stored.map(async (bucket) =>
        bucket === undefined ? [] : parseRecords(await this.db.rows.openRecordBucket(bucket)),
      ),
    );
    const changed = new Map(records.map((row) => [`${row.collection}|${row.id}`, row.record]));
    const gone = new Set(removed.map(([, collection, id]) => `${collection}|${id}`));
    const added = new Map<string, Record<string, unknown>[]>();
    for (const row of records) {
      const key = `${row.collection}|${recordBucketOf(row.id)}`;
      const rows = added.get(key);
      if (rows) rows.push(row.record);
      else added.set(key, [row.record]);
    }
    return list.map(([docName, collection, bucket], index) => {
      const kept = (opened[index] ?? []).filter(
        (record) =>
          !changed.has(`${collection}|${String(record.id)}`) && !gone.has(`${collection}|${String(record.id)}`),
      );
      kept.push(...(added.get(`${collection}|${bucket}`) ?? []));
      return this.db.rows.recordBucket(docName, collection, bucket, JSON.stringify(kept));
    });
  }

  private emit(change: ProjectionChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/**
 * The rows of many buckets (a flush touching more than a step of them), read a step at a time and opened one bucket
 * per task: opening is WebCrypto's `decrypt` called, the bytes decoded and parsed, about 50 ms of the main thread per
 * bucket at 100,000 residents. All 64 in one task held the page for 3-4 s while other documents' sockets waited
 * (docs/bench-scale.md, "The reconnect's long task: opening every bucket at once").
 */
async function openInTurn(db: WorkstationDb, keys: readonly [string, number][]): Promise<ResidentRow[][]> {
  const opened: ResidentRow[][] = [];
  for (let from = 0; from < keys.length; from += BUCKETS_PER_STEP) {
    const buckets = await db.residentBuckets.bulkGet(keys.slice(from, from + BUCKETS_PER_STEP));
    for (const bucket of buckets) {
      await yieldToBrowser();
      opened.push(...(await openResidentBuckets(db, [bucket])));
    }
  }
  return opened;
}

/**
 * Every bucket of a whole projection sealed, each bucket's JSON made (and handed to the crypto worker) in a task of
 * its own, without waiting for the bucket before it to be sealed: the worker seals one while the page makes the next,
 * and the browser draws and handles input between two. `sealed` is told of each bucket once sealed.
 */
async function sealEachInATask(
  codec: RowCodec,
  docName: string,
  grouped: readonly (readonly ResidentRow[])[],
  sealed?: (rows: readonly ResidentRow[]) => void,
): Promise<SealedBucket[]> {
  const pending: Promise<SealedBucket>[] = [];
  for (const [bucket, rows] of grouped.entries()) {
    await yieldToBrowser();
    const one = sealResidentBucket(codec, docName, bucket, rows).then((done) => {
      sealed?.(rows);
      return done;
    });
    // Awaited below with the others: a failure is reported once, by Promise.all.
    one.catch(() => undefined);
    pending.push(one);
  }
  return Promise.all(pending);
}

/**
 * Buckets sealed one after another, each in a task of its own (the browser handles input, paints and reads its
 * sockets between them); the sealing of one is started once the one before it is sealed.
 */
function sealInTurn(
  codec: RowCodec,
  keys: readonly (readonly [string, number])[],
  rows: readonly (readonly ResidentRow[])[],
): Promise<SealedBucket>[] {
  let turn: Promise<unknown> = Promise.resolve();
  return keys.map(([docName, bucket], index) => {
    const sealed = turn.then(async () => {
      await yieldToBrowser();
      return sealResidentBucket(codec, docName, bucket, rows[index] ?? []);
    });
    // A failure is the caller's to report (it awaits every one); the next bucket goes on.
    turn = sealed.catch(() => undefined);
    return sealed;
  });
}
