import Dexie from 'dexie';
import * as Y from 'yjs';
import { applyPieces, encodeStateAsUpdates, inYjsOrderBytes, PendingHold } from '@shared/sync/chunks';
import { ClientIdSession, profileClientIds, type ClientIdSource } from './clientIds';
import type { DocUpdateRow, WorkstationDb } from './db';
import { typingPause } from './typing';

/** Origin of updates applied while loading a document from disk: they are already stored, so not written again. */
export const LOAD_ORIGIN = Symbol('loaded-from-disk');

/** Above this many stored updates since the last compaction a document's log is merged. */
export const COMPACT_THRESHOLD = 300;

/**
 * Largest row of the update log, roughly. A bigger update (an import, a first sync) is stored as several rows of
 * about this size, and a compaction merges small rows into rows of about this size, never into one big row: loading
 * applies the log row group by row group and lets the browser paint in between, so a 12 MB document never holds the
 * main thread for seconds in one piece.
 */
export const ROW_BYTES = 1024 * 1024;

interface OpenDoc {
  doc: Y.Doc;
  pending: Uint8Array[];
  /** State of the document before the first update of `pending`. */
  pendingSince: Map<number, number> | null;
  /** Some update of `pending` was made on this device (not only received). */
  pendingLocal: boolean;
  writing: Promise<void>;
  /** Disk work scheduled and not finished yet (see `idle`). */
  busy: number;
  storedRows: number;
  /** Rows right after the last compaction (or the load). */
  baseRows: number;
  onUpdate: (update: Uint8Array, origin: unknown, doc: Y.Doc, transaction: Y.Transaction) => void;
}

/**
 * Rows of a received batch written per step (see `LocalDocs.enqueue`): about 2 MiB. Measured (issue 5, session 6):
 * all rows of a 10 MiB first sync in one step made the main thread's work around it slower than steps of two.
 */
export const RECEIVED_ROWS_PER_STEP = 2;

/**
 * Whether a transaction changed the document (what makes Yjs emit `update`), for listeners of `afterTransaction`:
 * they also hear a server's answer, which `update` listeners do not (see `LocalDocs.applyReceived`).
 */
export function changedDoc(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of transaction.afterState) {
    if (transaction.beforeState.get(client) !== clock) return true;
  }
  return false;
}

/** Runs after the browser had a chance to handle input and paint. */
export function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * A row at least this big is a group of its own, never merged with others: it is not an edit but a piece of a server's
 * answer (pieces of about ROW_BYTES, or the slices of a few hundred KiB a server answers a new device with at once:
 * docs/sync-client.md, "Rows on disk"). Merging those two by two cost a first sync of 100,000 residents 3 s of the
 * page's thread and bought nothing: applying them is the same work merged or not.
 */
const ROW_ALONE_BYTES = ROW_BYTES / 4;

/** Bytes of stored rows handed to the crypto worker in one step of a load (about 10 ms of copying). */
const OPEN_STEP_BYTES = 8 * ROW_BYTES;
/** Bytes of stored rows read in one step of a load (made into objects in about 25 ms on the main thread). */
const READ_STEP_BYTES = 4 * ROW_BYTES;

function rowBytes(row: DocUpdateRow): number {
  return (row.sealed ?? row.update)?.byteLength ?? 0;
}

/** Consecutive small rows in groups of at most ROW_BYTES; a row of ROW_ALONE_BYTES or more is a group of its own. */
function groupRows<R extends { update: Uint8Array }>(rows: readonly R[]): R[][] {
  const groups: R[][] = [];
  let current: R[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (row.update.length >= ROW_ALONE_BYTES) {
      if (current.length > 0) groups.push(current);
      groups.push([row]);
      current = [];
      bytes = 0;
      continue;
    }
    if (current.length > 0 && bytes + row.update.length > ROW_BYTES) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += row.update.length;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * A group's rows as one update. Rows an older app stored (its pieces named their clients smallest first) are written
 * in Yjs's order before `Y.mergeUpdates`, which given the other order may lose structs (shared/sync/chunks.ts,
 * `inYjsOrder`); a group of several rows is small rows (about ROW_BYTES in all), so their check is cheap.
 */
function mergeGroup(group: readonly { update: Uint8Array }[]): Uint8Array {
  const [only] = group;
  return group.length === 1 && only ? only.update : Y.mergeUpdates(group.map((row) => inYjsOrderBytes(row.update)));
}

/** Attempts at writing rows whose seqs another window took meanwhile (each with new seqs, sealed again). */
const SEQ_ATTEMPTS = 5;

/** Whether a write failed only because a row's primary key was taken (another window of the same database). */
function keyTaken(error: unknown): boolean {
  if (error instanceof Dexie.BulkError) {
    return Object.values(error.failuresByPos).every((failure) => failure.name === 'ConstraintError');
  }
  return error instanceof Error && error.name === 'ConstraintError';
}

/**
 * Keeps the Yjs documents of this device in Dexie. Every update of an open document is appended to `docUpdates` at
 * once (batched per microtask), so nothing typed is lost if the app is killed a moment later; the log is merged into
 * one update when it grows past COMPACT_THRESHOLD rows, in one transaction so a crash mid-way loses nothing.
 *
 * Rows are sealed (renderer/data/sealed.ts) before their transaction starts and opened after they are read: an
 * IndexedDB transaction commits as soon as a task waits on anything else, WebCrypto included. A sealed row is bound
 * to its seq, so seqs are given here (the last one on disk, then counting up) rather than by IndexedDB when adding.
 */
export class LocalDocs {
  private readonly open = new Map<string, Promise<OpenDoc>>();
  /** The documents of `open` that have finished loading. */
  private readonly loaded = new Map<string, OpenDoc>();
  private readonly listeners = new Set<(error: unknown) => void>();
  /** The next seq to give; `null` until the last one on disk is read. */
  private nextSeq: number | null = null;
  private lastSeqRead: Promise<void> | null = null;
  /** This window's client ids (renderer/data/clientIds.ts), from the first document loaded until `closeAll`. */
  private session: Promise<ClientIdSession> | null = null;
  /** `session` once it is there (a closing window ends it synchronously). */
  private current: ClientIdSession | null = null;
  /** A write failed during the current session (see `schedule`). */
  private writeFailed = false;
  private readonly ids: ClientIdSource;
  private readonly onPageHide = (): void => {
    if (this.current !== null) this.endSession(this.current);
  };

  /**
   * `ids`: where client ids come from; by default the slots of this database's profile (docs/sync-client.md,
   * "Client ids"), fresh ids where the platform has no Web Locks.
   */
  constructor(
    private readonly db: WorkstationDb,
    ids?: ClientIdSource,
  ) {
    this.ids = ids ?? profileClientIds(db);
  }

  /** The document with this name, loaded from disk on first use and kept open until `close`. */
  async get(name: string): Promise<Y.Doc> {
    return (await this.entry(name)).doc;
  }

  /**
   * Applies updates that arrived together (the pieces of a sync server's answer) in one transaction, so that
   * observers (projections, the guards of signed records) see the whole answer at once and never half a record, and
   * stores the pieces as they came. No `update` listener hears this transaction: Yjs would encode the whole answer
   * again for them (half a second for a 12 MiB registry) only for it to be thrown away; screens follow
   * `afterTransaction` instead (see `changedDoc`), and what the server sent is not sent back. A piece that cannot be
   * applied ends the transaction there; what was applied is then cut from the document and stored, and the error is
   * thrown.
   */
  applyReceived(name: string, doc: Y.Doc, updates: readonly Uint8Array[], origin: unknown): void {
    const entry = this.loaded.get(name);
    const outcome: { failure: Error | null; transaction: Y.Transaction | null } = { failure: null, transaction: null };
    const listeners = doc._observers.get('update');
    doc._observers.delete('update');
    try {
      // Not a local transaction (as Y.applyUpdate's is not): the guards of signed records check what comes from
      // elsewhere.
      Y.transact(
        doc,
        (transaction) => {
          outcome.transaction = transaction;
          try {
            // What a piece leaves pending is applied once at the end, not tried again at every later piece.
            applyPieces(doc, updates, origin);
          } catch (error) {
            outcome.failure = error instanceof Error ? error : new Error('unreadable update', { cause: error });
            return;
          }
          // The observers of the transaction (screens, projections, guards) run after this point.
          if (updates.length > 1) performance.mark(`cgw:sync-integrated ${name}`);
        },
        origin,
        false,
      );
    } finally {
      if (listeners) doc._observers.set('update', listeners);
    }
    const { transaction, failure } = outcome;
    if (entry?.doc === doc && transaction !== null && changedDoc(transaction)) {
      // A piece may be a view into a bigger buffer (a decompressed answer holds all of them): IndexedDB would store
      // the whole buffer with each row, so each gets its own.
      const stored =
        failure === null
          ? updates.map((update) => (update.byteLength === update.buffer.byteLength ? update : update.slice()))
          : encodeStateAsUpdates(doc, transaction.beforeState, ROW_BYTES);
      for (const update of stored) this.enqueue(name, entry, update, transaction);
    }
    if (failure !== null) throw failure;
  }

  isOpen(name: string): boolean {
    return this.open.has(name);
  }

  /** Is told when writing to disk fails (quota exceeded, storage gone), so the UI can warn. */
  onWriteError(listener: (error: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private entry(name: string): Promise<OpenDoc> {
    let entry = this.open.get(name);
    if (!entry) {
      entry = this.load(name);
      this.open.set(name, entry);
      entry.catch(() => this.open.delete(name));
    }
    return entry;
  }

  /** The session giving this window's documents their ids: claimed (on disk) before the first one is handed out. */
  private idSession(): Promise<ClientIdSession> {
    if (this.session === null) {
      this.writeFailed = false;
      const session = this.ids().catch((error: unknown) => {
        console.warn('client ids: no id slot; this window uses fresh ids', error);
        return ClientIdSession.unslotted();
      });
      this.session = session;
      void session.then((started) => {
        if (this.session === session) this.current = started;
      });
      // A window closing ends the session: clean (ids kept for the next one) only if nothing is being written.
      if (typeof window !== 'undefined') window.addEventListener('pagehide', this.onPageHide);
    }
    return this.session;
  }

  private endSession(session: ClientIdSession): boolean {
    if (typeof window !== 'undefined') window.removeEventListener('pagehide', this.onPageHide);
    if (this.writeFailed) session.failed();
    return session.end({
      openDocs: () => [...this.loaded].map(([name, entry]) => [name, entry.doc] as const),
      idle: () => !this.writeFailed && this.idle(),
    });
  }

  /** Every update of every loaded document is on disk and nothing is being written. */
  idle(): boolean {
    for (const entry of this.loaded.values()) if (entry.pending.length > 0 || entry.busy > 0) return false;
    return true;
  }

  private async load(name: string): Promise<OpenDoc> {
    const session = this.idSession();
    // A big document is read, opened and applied in steps, yielding to the browser between them instead of blocking
    // it for seconds, and waiting while a person types (typing.ts: a group of rows holds the main thread for 100-300
    // ms at 100,000 residents). Row groups of about ROW_BYTES are applied one after another (merging small rows first
    // is cheaper than applying each).
    const pause = typingPause();
    const rows = await this.readRows(name, pause);
    performance.mark(`cgw:doc-read ${name}`, { detail: rows.length });
    const updates = await this.openRows(rows, pause);
    performance.mark(`cgw:doc-opened ${name}`);
    const doc = new Y.Doc({ gc: true });
    const groups = groupRows(updates.map((update) => ({ update })));
    // Nobody sees the document before it is loaded: what a group leaves pending (rows of a first sync whose other
    // devices' edits come before the structs they refer to) is applied once at the end, not at every later group.
    // (A row that fails ends the load with its error, the document unused: nothing held to put back.)
    const hold = new PendingHold(doc);
    for (const [index, group] of groups.entries()) {
      if (index > 0) await pause();
      hold.apply(mergeGroup(group), LOAD_ORIGIN);
    }
    hold.release(LOAD_ORIGIN);
    // The id is set after the stored updates are in (Yjs would replace an id whose content a non-local transaction
    // brings) and before anyone can make a local transaction.
    const { id, reused } = (await session).choose(name, doc);
    performance.mark(`cgw:client-id ${name}`, { detail: { id, reused } });
    const entry: OpenDoc = {
      doc,
      pending: [],
      pendingSince: null,
      pendingLocal: false,
      writing: Promise.resolve(),
      busy: 0,
      storedRows: rows.length,
      baseRows: groups.length,
      onUpdate: (update, origin, _doc, transaction) => {
        if (origin === LOAD_ORIGIN) return;
        this.enqueue(name, entry, update, transaction);
      },
    };
    this.loaded.set(name, entry);
    doc.on('update', entry.onUpdate);
    if (rows.length > groups.length + COMPACT_THRESHOLD) this.schedule(entry, () => this.compact(name, entry));
    return entry;
  }

  private enqueue(name: string, entry: OpenDoc, update: Uint8Array, transaction: Y.Transaction): void {
    const first = entry.pending.length === 0;
    entry.pending.push(update);
    if (transaction.local) entry.pendingLocal = true;
    if (!first) return;
    entry.pendingSince = new Map(transaction.beforeState);
    this.schedule(entry, async () => {
      const batch = entry.pending.splice(0);
      const local = entry.pendingLocal;
      entry.pendingLocal = false;
      const since = entry.pendingSince ?? new Map<number, number>();
      entry.pendingSince = null;
      if (batch.length === 0) return;
      const bytes = batch.reduce((sum, update) => sum + update.length, 0);
      const big = bytes > 2 * ROW_BYTES;
      if (big) performance.mark(`cgw:persist-start ${name}`);
      // Updates are stored as they came, runs of small ones merged into rows of about ROW_BYTES: edits, and a first
      // sync that the server sent in pieces of about a MiB (no second encoding of 12 MiB on the main thread). One
      // update bigger than that (an import, the whole-document answer of an older server) is cut from the document
      // into rows instead, so that loading never applies it in one piece.
      const updates = batch.some((update) => update.length > 2 * ROW_BYTES)
        ? encodeStateAsUpdates(entry.doc, since, ROW_BYTES)
        : groupRows(batch.map((update) => ({ update }))).map(mergeGroup);
      if (big) performance.mark(`cgw:persist-encoded ${name}`);
      const at = Date.now();
      // What came from the server is written a few rows at a time, with the browser's other tasks in between (the
      // server holds all of it, and every row is an update of its own: a crash half-way loses nothing the next sync
      // does not bring again). Local work is written in one transaction: all of it or, after a crash, none.
      const step = local ? updates.length : RECEIVED_ROWS_PER_STEP;
      // Every row is sealed at once (in parallel); each step waits only for its own rows.
      const sealing = this.sealRows(name, updates, await this.takeSeqs(updates.length), at);
      // A failed step leaves the later rows unawaited: their failures are the same one, reported once.
      for (const row of sealing) row.catch(() => undefined);
      for (let from = 0; from < updates.length; from += step) {
        if (from > 0) await yieldToBrowser();
        const rows = await Promise.all(sealing.slice(from, from + step));
        await this.addRows(name, updates.slice(from, from + step), rows, at);
      }
      if (big) performance.mark(`cgw:persist-end ${name}`);
      entry.storedRows += updates.length;
      if (entry.storedRows > entry.baseRows + COMPACT_THRESHOLD) await this.compact(name, entry);
    });
  }

  /** Runs disk work for one document strictly in order; a failure is reported and the chain goes on. */
  private schedule(entry: OpenDoc, work: () => Promise<void>): void {
    entry.busy += 1;
    entry.writing = entry.writing
      .then(() => new Promise<void>((resolve) => queueMicrotask(resolve)))
      .then(work)
      .catch((error: unknown) => {
        // What failed to be written may have left the device already: this session's ids are not reused.
        this.writeFailed = true;
        for (const listener of this.listeners) listener(error);
      })
      .finally(() => {
        entry.busy -= 1;
      });
  }

  /** The first of `count` new seqs, above every row on disk (read once) and every seq given before. */
  private async takeSeqs(count: number): Promise<number> {
    if (this.nextSeq === null) await (this.lastSeqRead ??= this.readLastSeq());
    const first = this.nextSeq ?? 1;
    this.nextSeq = first + count;
    return first;
  }

  /** The rows of `updates`, seqs from `first` on, each sealed on its own (WebCrypto runs them in parallel). */
  private sealRows(name: string, updates: readonly Uint8Array[], first: number, at: number): Promise<DocUpdateRow>[] {
    return updates.map((update, index) => this.db.rows.updateRow(name, first + index, update, at));
  }

  private async readLastSeq(): Promise<void> {
    const last = await this.db.docUpdates.toCollection().lastKey();
    this.nextSeq = Math.max(this.nextSeq ?? 1, (typeof last === 'number' ? last : 0) + 1);
  }

  /**
   * A document's stored rows in seq order, read a few megabytes at a time with `pause` between: one request for all
   * of them (`toArray`), or one transaction of a request per row, made the 60 MB of a 100,000-resident registry into
   * objects in one stretch of 0.14-0.4 s on the main thread, and a key pressed meanwhile waited for it
   * (docs/bench-scale.md, "Keys that waited behind background work"). Each step is a transaction of its own: a row
   * gone meanwhile (another window merged the log) means the log changed under the read, and it is read again in one
   * transaction.
   */
  private async readRows(name: string, pause: () => Promise<void>): Promise<DocUpdateRow[]> {
    const seqs = await this.db.docUpdates.where('docName').equals(name).primaryKeys();
    const rows: DocUpdateRow[] = [];
    let step = 4;
    for (let at = 0; at < seqs.length;) {
      if (at > 0) await pause();
      const batch = await this.db.docUpdates.bulkGet(seqs.slice(at, at + step));
      at += batch.length;
      let bytes = 0;
      for (const row of batch) {
        if (row === undefined) return this.readRowsAtOnce(name);
        rows.push(row);
        bytes += rowBytes(row);
      }
      // Rows of about ROW_BYTES (a merged log) or of a few hundred bytes (edits): the step follows what it meets.
      if (bytes < READ_STEP_BYTES / 2) step = Math.min(step * 2, 1024);
      else if (bytes > READ_STEP_BYTES * 2) step = Math.max(1, Math.floor(step / 2));
    }
    return rows;
  }

  private readRowsAtOnce(name: string): Promise<DocUpdateRow[]> {
    return this.db.transaction('r', this.db.docUpdates, async () => {
      const seqs = await this.db.docUpdates.where('docName').equals(name).primaryKeys();
      const rows = await this.db.docUpdates.bulkGet(seqs);
      // Nothing is deleted under a read transaction; the rows come in the order asked (seq: the index's order).
      return rows.filter((row): row is DocUpdateRow => row !== undefined);
    });
  }

  /**
   * Opens rows in the crypto worker, all in flight at once (WebCrypto works on them in parallel, off the main thread
   * in Chromium), handed over OPEN_STEP_BYTES at a time with `pause` between: copying 60 MB to the worker in one go
   * held the main thread 80 ms.
   */
  private async openRows(rows: readonly DocUpdateRow[], pause: () => Promise<void>): Promise<Uint8Array[]> {
    const opening: Promise<Uint8Array>[] = [];
    let posted = 0;
    for (const row of rows) {
      if (posted >= OPEN_STEP_BYTES) {
        await pause();
        posted = 0;
      }
      const opened = this.db.rows.openUpdate(row);
      // Heard by `Promise.all` below; until then (a pause) a failure is not an unhandled rejection.
      opened.catch(() => undefined);
      opening.push(opened);
      posted += rowBytes(row);
    }
    return Promise.all(opening);
  }

  /**
   * Adds sealed rows in one transaction. Another window of the same database (web mode: two tabs) may have taken
   * their seqs meanwhile: then nothing was written, and the rows are sealed again with new seqs and added.
   */
  private async addRows(name: string, updates: readonly Uint8Array[], rows: DocUpdateRow[], at: number) {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.transaction('rw', this.db.docUpdates, () => this.db.docUpdates.bulkAdd(rows));
        return;
      } catch (error) {
        if (attempt >= SEQ_ATTEMPTS || !keyTaken(error)) throw error;
        await this.readLastSeq();
        rows = await Promise.all(this.sealRows(name, updates, await this.takeSeqs(updates.length), at));
      }
    }
  }

  /**
   * Merges runs of small rows into rows of about ROW_BYTES. The rows are read and opened, merged and sealed first,
   * then swapped in one transaction (a crash mid-way loses nothing) if every row merged is still there; otherwise
   * (another window compacted the same log meanwhile) nothing is written, and the next write tries again.
   */
  private async compact(name: string, entry: OpenDoc): Promise<void> {
    const rows = await this.db.docUpdates.where('docName').equals(name).sortBy('seq');
    const updates = await Promise.all(rows.map((row) => this.db.rows.openUpdate(row)));
    const groups = groupRows(updates.map((update) => ({ update })));
    if (groups.length === rows.length) {
      entry.storedRows = entry.baseRows = rows.length;
      return;
    }
    const at = Date.now();
    const merged = groups.map(mergeGroup);
    const sealed = await Promise.all(this.sealRows(name, merged, await this.takeSeqs(merged.length), at));
    const read = rows.flatMap((row) => (row.seq === undefined ? [] : [row.seq]));
    const swapped = await this.db.transaction('rw', this.db.docUpdates, async () => {
      const still = await this.db.docUpdates.bulkGet(read);
      if (still.some((row) => row === undefined)) return false;
      await this.db.docUpdates.bulkDelete(read);
      await this.db.docUpdates.bulkAdd(sealed);
      return true;
    });
    if (swapped) entry.storedRows = entry.baseRows = merged.length;
  }

  /** Resolves when every update made so far is on disk. */
  async flush(name?: string): Promise<void> {
    const names = name === undefined ? [...this.open.keys()] : [name];
    for (const docName of names) {
      const entry = await this.open.get(docName);
      if (!entry) continue;
      // New work may be chained while we wait; wait until the chain is quiet.
      let seen: Promise<void> | undefined;
      while (seen !== entry.writing) {
        seen = entry.writing;
        await seen;
      }
    }
  }

  /** Writes out what is pending and forgets the document. */
  async close(name: string): Promise<void> {
    const entry = await this.open.get(name);
    if (!entry) return;
    await this.flush(name);
    if (this.loaded.get(name) === entry) (await this.session)?.closed(name, entry.doc);
    entry.doc.off('update', entry.onUpdate);
    entry.doc.destroy();
    this.open.delete(name);
    this.loaded.delete(name);
  }

  /**
   * Writes out and closes every document and ends this window's id session (clean if every write succeeded); a
   * later `get` starts a new one.
   */
  async closeAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((name) => this.close(name)));
    const session = this.session;
    this.session = null;
    this.current = null;
    if (session !== null) this.endSession(await session);
  }

  /** Number of rows a document occupies in the update log (for the store benchmark and tests). */
  storedRowCount(name: string): Promise<number> {
    return this.db.docUpdates.where('docName').equals(name).count();
  }
}
