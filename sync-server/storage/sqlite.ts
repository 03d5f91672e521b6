/**
 * SQLite storage (better-sqlite3, WAL mode): the embedded default for one district.
 *
 * | table          | holds                                                                          |
 * | -------------- | ------------------------------------------------------------------------------ |
 * | communities    | id, name, created_at                                                           |
 * | tokens         | jti, user, communities (JSON array), role, issued_at, expires_at, revoked_at   |
 * | doc_snapshots  | doc, snapshot (Yjs v1 update of the whole document), seq it covers, updated_at |
 * | doc_updates    | seq, doc, data (one Yjs v1 update), created_at: the log after the snapshot     |
 * | server_status  | one row: the running server's heartbeat, read by `sync-admin stats`            |
 * | doc_history    | seq (that of doc_updates), doc, jti, user, bytes, at: who stored each update    |
 * | guard_attempts | id, doc, jti, user, kind, detail (JSON text), at: what the sync guard undid     |
 * | doc_rows       | doc, format, state_vector, rows (gzipped JSON), updated_at: a registry's rows  |
 *
 * Times are milliseconds since the epoch. The schema only ever grows (`PRAGMA user_version` counts migrations).
 * The server and the admin CLI open the same file from two processes; WAL and a busy timeout make that safe.
 * `compact` deletes doc_updates rows only: the history of a document outlives its log.
 *
 * Opened for writing, the file (and its -wal, -shm) is made mode 0600, and the revocations of the data folder's
 * `revocations.jsonl` are merged in (see revocations.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { startWorker, workerUrl } from '../workerThread';
import { createPrivate, fsyncPath, makePrivate } from './privateFiles';
import type { WriterData, WriterReply, WriterRequest } from './sqliteWriter';
import { MIGRATIONS, verifyDatabaseFile, type DatabaseSummary } from './sqliteSchema';
import { appendRevocations, readRevocations, REVOCATIONS_FILE, type Revocation } from '../revocations';
import type {
  AccessRegistry,
  DocumentStore,
  GuardAttempt,
  ServerStatus,
  StoredDocument,
  StoredRows,
  TokenRecord,
  UpdateStamp,
} from './types';

export type SyncMode = 'full' | 'normal';

export interface CommunityRow {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
}

export interface DocumentStats {
  readonly doc: string;
  readonly snapshotBytes: number;
  readonly logEntries: number;
  readonly logBytes: number;
}

/** One stored update of a document: who stored it, when, how big (`sync-admin history`). */
export interface HistoryRow {
  readonly seq: number;
  readonly doc: string;
  readonly jti: string;
  readonly user: string;
  readonly bytes: number;
  readonly at: number;
}

export interface AttemptRow extends GuardAttempt {
  readonly id: number;
}

/** The newest rows (oldest of them first) and how many there are in all. */
export interface Page<T> {
  readonly rows: readonly T[];
  readonly total: number;
}

/** What a database file holds, as `verifyDatabaseFile` found it. */

export interface SqliteStorageOptions {
  readonly syncMode?: SyncMode;
  readonly readonly?: boolean;
  /** Where a skipped line of revocations.jsonl is reported; default `process.emitWarning`. */
  readonly warn?: (message: string) => void;
  /**
   * `compact` writes in a worker thread with its own connection (sqliteWriter.ts), off the event loop; default: yes
   * for a database file opened for writing (a database in memory has no second connection).
   */
  readonly compactInWorker?: boolean;
}

/** Snapshots of at least this many bytes are written by the compaction writer's thread (`compact`). */
const WORKER_SNAPSHOT_BYTES = 256 * 1024;

/** The compaction writer's worker and the compactions it was asked. */
interface Writer {
  readonly worker: Worker;
  readonly waiting: Map<number, { readonly resolve: () => void; readonly fallback: () => void }>;
  /** The worker has opened its connection; until then compactions wait in `unposted` (and hold nothing back). */
  ready: boolean;
  readonly unposted: (() => void)[];
}

interface TokenRow {
  jti: string;
  user: string;
  communities: string;
  role: string;
  issued_at: number;
  expires_at: number;
  revoked_at: number | null;
}

function toRecord(row: TokenRow): TokenRecord {
  return {
    jti: row.jti,
    user: row.user,
    communities: JSON.parse(row.communities) as string[],
    role: row.role,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

const toBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

const isMemory = (file: string): boolean => file === '' || file === ':memory:';

export { verifyDatabaseFile, type DatabaseSummary };

/**
 * One SQLite file holding documents, tokens and communities. The async methods implement the narrow interfaces the
 * protocol code uses; the synchronous ones serve the admin CLI.
 */
export class SqliteStorage implements DocumentStore, AccessRegistry {
  readonly db: Database.Database;
  private readonly stmts;
  /** How many tokens revocations.jsonl revoked when this storage opened (0 when read-only). */
  readonly revocationsMerged: number = 0;
  private pending: {
    doc: string;
    data: Buffer;
    stamp: UpdateStamp;
    resolve: (seq: number) => void;
    reject: (error: unknown) => void;
  }[] = [];
  /** Set once this storage wrote the heartbeat: `close` then removes it (the server stopped). */
  private wroteStatus = false;
  private readonly file: string;
  private readonly syncMode: SyncMode;
  private readonly compactInWorker: boolean;
  /** Started on the first compaction (the admin CLI never starts it). */
  private writer: Writer | null = null;
  private nextWriteId = 1;
  /**
   * Compactions being written by the worker. Meanwhile this connection holds its own writes back (`held`, in order):
   * it never waits for the worker's lock with the event loop blocked (better-sqlite3's busy wait is synchronous).
   */
  private workerWrites = 0;
  private held: (() => void)[] = [];

  constructor(file: string, options: SqliteStorageOptions = {}) {
    const writable = options.readonly !== true;
    const onDisk = !isMemory(file);
    // Before SQLite opens it: -wal and -shm take the mode of the database file when SQLite creates them.
    if (writable && onDisk) {
      if (existsSync(file)) makePrivate(file);
      else {
        try {
          createPrivate(file);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
      }
    }
    this.file = file;
    this.syncMode = options.syncMode ?? 'full';
    this.compactInWorker = writable && onDisk && options.compactInWorker !== false;
    this.db = new Database(file, { readonly: !writable, fileMustExist: !writable });
    this.db.pragma('busy_timeout = 5000');
    if (writable) {
      this.db.pragma('journal_mode = WAL');
      // FULL: a commit is on disk before the update is relayed, even across a power cut. NORMAL survives a crash of
      // the process (kill -9) but not of the machine.
      this.db.pragma(`synchronous = ${options.syncMode === 'normal' ? 'NORMAL' : 'FULL'}`);
      this.migrate();
      if (onDisk) {
        // -wal and -shm of an older install may still be 0644.
        makePrivate(`${file}-wal`);
        makePrivate(`${file}-shm`);
      }
    }
    const db = this.db;
    this.stmts = {
      snapshot: db.prepare<[string], { snapshot: Buffer; seq: number }>(
        'SELECT snapshot, seq FROM doc_snapshots WHERE doc = ?',
      ),
      log: db.prepare<[string], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM doc_updates WHERE doc = ? ORDER BY seq',
      ),
      append: db.prepare<[string, Buffer, number]>('INSERT INTO doc_updates (doc, data, created_at) VALUES (?, ?, ?)'),
      stamp: db.prepare<[number, string, string, string, number, number]>(
        'INSERT INTO doc_history (seq, doc, jti, user, bytes, at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      upsertSnapshot: db.prepare<[string, Buffer, number, number]>(
        `INSERT INTO doc_snapshots (doc, snapshot, seq, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (doc) DO UPDATE SET snapshot = excluded.snapshot, seq = excluded.seq, updated_at = excluded.updated_at`,
      ),
      deleteLog: db.prepare<[string, number]>('DELETE FROM doc_updates WHERE doc = ? AND seq <= ?'),
      token: db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE jti = ?'),
      revoked: db.prepare<[], { jti: string }>('SELECT jti FROM tokens WHERE revoked_at IS NOT NULL'),
      community: db.prepare<[string], { id: string }>('SELECT id FROM communities WHERE id = ?'),
      status: db.prepare<[number, string, number, number, number, number]>(
        `INSERT INTO server_status (id, pid, address, started_at, updated_at, connections, documents_loaded)
         VALUES (1, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, address = excluded.address, started_at = excluded.started_at,
           updated_at = excluded.updated_at, connections = excluded.connections, documents_loaded = excluded.documents_loaded`,
      ),
      bytes: db.prepare<[], { bytes: number | null }>(
        `SELECT (SELECT coalesce(sum(length(snapshot)), 0) FROM doc_snapshots)
              + (SELECT coalesce(sum(length(data)), 0) FROM doc_updates) AS bytes`,
      ),
    };
    if (writable && onDisk) {
      const warn = options.warn ?? ((message: string) => process.emitWarning(message, 'SyncStorageWarning'));
      const revocationsFile = join(dirname(file), REVOCATIONS_FILE);
      if (existsSync(revocationsFile)) {
        this.revocationsMerged = this.mergeRevocations(readRevocations(revocationsFile, warn));
      } else {
        // An install older than the file: start it with what the database knows, so a backup older than those
        // revocations, put back later, keeps them too.
        const revoked = this.revocations();
        if (revoked.length > 0) appendRevocations(dirname(file), revoked);
      }
    }
  }

  /**
   * Runs the migrations the file lacks, each in a write transaction that reads the version itself (BEGIN IMMEDIATE):
   * two processes opening a new data folder at once (the server and `sync-admin`, or two servers) take turns, and the
   * second finds the first one's migration done. Read before the transaction, both saw version 0 and the second
   * failed with "table … already exists".
   */
  private migrate(): void {
    const step = this.db.transaction((): boolean => {
      const version = this.db.pragma('user_version', { simple: true }) as number;
      const sql = MIGRATIONS[version];
      if (sql === undefined) return false;
      this.db.exec(sql);
      this.db.pragma(`user_version = ${version + 1}`);
      return true;
    });
    while (step.immediate()) {
      // one migration per transaction, until none is left
    }
  }

  // --- DocumentStore ------------------------------------------------------------------------------------------------

  loadSync(doc: string): StoredDocument {
    const read = this.db.transaction(() => {
      const snapshot = this.stmts.snapshot.get(doc);
      const log = this.stmts.log.all(doc);
      return { snapshot, log };
    });
    const { snapshot, log } = read();
    const updates: Uint8Array[] = [];
    if (snapshot !== undefined) updates.push(toBytes(snapshot.snapshot));
    for (const row of log) updates.push(toBytes(row.data));
    const last = log[log.length - 1];
    return { updates, lastSeq: last?.seq ?? snapshot?.seq ?? 0, logLength: log.length };
  }

  load(doc: string): Promise<StoredDocument> {
    return Promise.resolve(this.loadSync(doc));
  }

  /**
   * Group commit: appends made in the same turn of the event loop share one transaction, hence one fsync, and all
   * resolve once it has committed. Under load the batch grows instead of the queue.
   */
  append(doc: string, update: Uint8Array, stamp: UpdateStamp): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({
        doc,
        data: Buffer.from(update.buffer, update.byteOffset, update.byteLength),
        stamp: { jti: stamp.jti, user: stamp.user },
        resolve,
        reject,
      });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    if (this.workerWrites > 0) {
      // Appended once the worker's compaction has committed: the batch grows meanwhile (one flush is held at most:
      // `append` schedules one only when the batch was empty).
      this.held.push(() => this.flush());
      return;
    }
    const batch = this.pending;
    this.pending = [];
    const now = Date.now();
    let seqs: number[];
    try {
      // The update and its stamp commit together or not at all.
      seqs = this.db.transaction(() =>
        batch.map((entry) => {
          const seq = Number(this.stmts.append.run(entry.doc, entry.data, now).lastInsertRowid);
          this.stmts.stamp.run(seq, entry.doc, entry.stamp.jti, entry.stamp.user, entry.data.byteLength, now);
          return seq;
        }),
      )();
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, i) => entry.resolve(seqs[i] ?? 0));
  }

  /**
   * The snapshot and the deletion of the log it covers, in one transaction. A snapshot of 256 KiB or more is written
   * by the worker (sqliteWriter.ts) once it has started, unless `compactInWorker` is off; a smaller one here. Should
   * the worker exit before it answers, written here (the same transaction: writing it twice changes nothing). This
   * connection's own writes wait while the worker writes (`held`).
   */
  compact(doc: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    const at = Date.now();
    const here = (): void => this.compactHere(doc, snapshot, throughSeq, at);
    // A small snapshot costs the event loop a few milliseconds: written here, as is any while the worker is starting.
    const small = snapshot.byteLength < WORKER_SNAPSHOT_BYTES;
    if (!this.compactInWorker || !this.db.open || small || this.writer?.ready !== true) {
      if (this.compactInWorker && !small) this.startWriter();
      return this.whenWritable(here);
    }
    const writer = this.startWriter();
    const id = this.nextWriteId++;
    // Kept alive while it owes a compaction (an idle writer does not keep the process running).
    writer.worker.ref();
    // A copy of its own, moved to the worker (not cloned).
    const moved = new Uint8Array(snapshot);
    let posted = false;
    return new Promise<void>((resolve, reject) => {
      writer.waiting.set(id, {
        resolve,
        fallback: () => {
          try {
            here();
            resolve();
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
      });
      // The worker's errors (SQLite's) reject; a worker that exits falls back to this connection.
      const onReply = (reply: WriterReply): void => {
        if ('ready' in reply || reply.id !== id) return;
        writer.worker.off('message', onReply);
        writer.waiting.delete(id);
        if (reply.ok) resolve();
        else reject(new Error(reply.error));
      };
      writer.worker.on('message', onReply);
      const post = (): void => {
        if (!writer.waiting.has(id)) return; // the worker failed before it started: written here already
        posted = true;
        this.workerWrites++;
        writer.worker.postMessage({ id, doc, snapshot: moved, throughSeq, at } satisfies WriterRequest, [moved.buffer]);
      };
      if (writer.ready) post();
      else writer.unposted.push(post);
    }).finally(() => {
      if (writer.waiting.size === 0) writer.worker.unref();
      if (!posted) return;
      this.workerWrites--;
      if (this.workerWrites === 0) for (const write of this.held.splice(0)) write();
    });
  }

  private compactHere(doc: string, snapshot: Uint8Array, throughSeq: number, at: number): void {
    this.db.transaction(() => {
      this.stmts.upsertSnapshot.run(
        doc,
        Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength),
        throughSeq,
        at,
      );
      this.stmts.deleteLog.run(doc, throughSeq);
    })();
  }

  /**
   * Starts the compaction writer's thread ahead of the first compaction (the server does; the CLI never). Resolves
   * once it has opened its connection (at once without one).
   */
  startCompactionWriter(): Promise<void> {
    if (!this.compactInWorker) return Promise.resolve();
    const writer = this.startWriter();
    if (writer.ready) return Promise.resolve();
    return new Promise((resolve) => writer.unposted.push(resolve));
  }

  private startWriter(): Writer {
    if (this.writer !== null) return this.writer;
    const worker = startWorker(workerUrl('sqliteWriter', import.meta.url), {
      workerData: { file: this.file, syncMode: this.syncMode } satisfies WriterData,
    });
    const writer: Writer = { worker, waiting: new Map(), ready: false, unposted: [] };
    worker.on('message', (reply: WriterReply) => {
      if (!('ready' in reply)) return;
      writer.ready = true;
      for (const post of writer.unposted.splice(0)) post();
    });
    const failed = (): void => {
      if (this.writer === writer) this.writer = null;
      const waiting = [...writer.waiting.values()];
      writer.waiting.clear();
      // The held writes of this connection run after these (the `finally` above), in order.
      for (const one of waiting) one.fallback();
    };
    worker.on('error', (error) => {
      process.emitWarning(`SQLite compaction writer failed: ${error.message}`, 'SyncStorageWarning');
    });
    worker.on('exit', failed);
    worker.unref();
    this.writer = writer;
    return writer;
  }

  /** Runs one of this connection's writes now, or once the worker's compaction has committed. */
  private whenWritable(write: () => void): Promise<void> {
    if (this.workerWrites === 0) {
      try {
        write();
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    return new Promise((resolve, reject) => {
      this.held.push(() => {
        try {
          write();
          resolve();
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
  }

  bytesStored(): Promise<number> {
    return Promise.resolve(this.stmts.bytes.get()?.bytes ?? 0);
  }

  /** A registry's rows for first syncs (prepared when used: a file opened read-only may predate the table). */
  putRows(doc: string, rows: StoredRows): Promise<void> {
    return this.whenWritable(() => {
      this.db
        .prepare<[string, number, Buffer, Buffer, number]>(
          `INSERT INTO doc_rows (doc, format, state_vector, rows, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (doc) DO UPDATE SET format = excluded.format, state_vector = excluded.state_vector,
             rows = excluded.rows, updated_at = excluded.updated_at`,
        )
        .run(doc, rows.format, Buffer.from(rows.stateVector), Buffer.from(rows.gzipped), rows.updatedAt);
    });
  }

  loadRows(doc: string): Promise<StoredRows | undefined> {
    const row = this.db
      .prepare<[string], { format: number; state_vector: Buffer; rows: Buffer; updated_at: number }>(
        'SELECT format, state_vector, rows, updated_at FROM doc_rows WHERE doc = ?',
      )
      .get(doc);
    return Promise.resolve(
      row && {
        format: row.format,
        stateVector: toBytes(row.state_vector),
        gzipped: toBytes(row.rows),
        updatedAt: row.updated_at,
      },
    );
  }

  recordAttempt(attempt: GuardAttempt): Promise<void> {
    return this.whenWritable(() => {
      this.db
        .prepare('INSERT INTO guard_attempts (doc, jti, user, kind, detail, at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(attempt.doc, attempt.jti, attempt.user, attempt.kind, attempt.detail, attempt.at);
    });
  }

  // --- AccessRegistry -----------------------------------------------------------------------------------------------

  getToken(jti: string): Promise<TokenRecord | undefined> {
    const row = this.stmts.token.get(jti);
    return Promise.resolve(row === undefined ? undefined : toRecord(row));
  }

  revokedAmong(jtis: readonly string[]): Promise<Set<string>> {
    const wanted = new Set(jtis);
    const revoked = new Set<string>();
    if (wanted.size === 0) return Promise.resolve(revoked);
    for (const { jti } of this.stmts.revoked.iterate()) if (wanted.has(jti)) revoked.add(jti);
    return Promise.resolve(revoked);
  }

  communityExists(id: string): Promise<boolean> {
    return Promise.resolve(this.stmts.community.get(id) !== undefined);
  }

  writeStatus(status: ServerStatus): Promise<void> {
    this.wroteStatus = true;
    return this.whenWritable(() => {
      this.stmts.status.run(
        status.pid,
        status.address,
        status.startedAt,
        status.updatedAt,
        status.connections,
        status.documentsLoaded,
      );
    });
  }

  // --- admin (synchronous, used by the CLI) -------------------------------------------------------------------------

  addCommunity(id: string, name: string): void {
    this.db.prepare('INSERT INTO communities (id, name, created_at) VALUES (?, ?, ?)').run(id, name, Date.now());
  }

  listCommunities(): CommunityRow[] {
    return this.db
      .prepare<[], { id: string; name: string; created_at: number }>('SELECT * FROM communities ORDER BY id')
      .all()
      .map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at }));
  }

  insertToken(token: Omit<TokenRecord, 'revokedAt'>): void {
    this.db
      .prepare('INSERT INTO tokens (jti, user, communities, role, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(token.jti, token.user, JSON.stringify(token.communities), token.role, token.issuedAt, token.expiresAt);
  }

  listTokens(): TokenRecord[] {
    return this.db.prepare<[], TokenRow>('SELECT * FROM tokens ORDER BY issued_at, jti').all().map(toRecord);
  }

  /** Marks a token revoked; returns false when no such token exists. Revoking twice keeps the first time. */
  revokeToken(jti: string, at: number): boolean {
    const info = this.db.prepare('UPDATE tokens SET revoked_at = coalesce(revoked_at, ?) WHERE jti = ?').run(at, jti);
    return info.changes > 0;
  }

  /**
   * Applies revocations kept outside the database (revocations.jsonl) in one transaction: a token revoked already
   * keeps its first time, an unknown token id is ignored. Returns how many tokens this revoked.
   */
  mergeRevocations(revocations: readonly Revocation[]): number {
    if (revocations.length === 0) return 0;
    const revoke = this.db.prepare<[number, string]>(
      'UPDATE tokens SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL',
    );
    return this.db.transaction(() => revocations.reduce((n, r) => n + revoke.run(r.revokedAt, r.jti).changes, 0))();
  }

  /** Every revoked token with its revocation time. */
  revocations(): Revocation[] {
    return this.db
      .prepare<[], Revocation>(
        'SELECT jti, revoked_at AS revokedAt FROM tokens WHERE revoked_at IS NOT NULL ORDER BY revoked_at, jti',
      )
      .all();
  }

  /** The newest `limit` stamped updates of a document, oldest of them first, and how many it has in all. */
  history(doc: string, limit: number): Page<HistoryRow> {
    const rows = this.db
      .prepare<[string, number], HistoryRow>(
        `SELECT * FROM (SELECT seq, doc, jti, user, bytes, at FROM doc_history WHERE doc = ? ORDER BY seq DESC LIMIT ?)
         ORDER BY seq`,
      )
      .all(doc, limit);
    const total =
      this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM doc_history WHERE doc = ?').get(doc)?.n ?? 0;
    return { rows, total };
  }

  /** The newest `limit` guard attempts (of one document, or of all when `doc` is null), oldest of them first. */
  attempts(doc: string | null, limit: number): Page<AttemptRow> {
    const where = doc === null ? '' : 'WHERE doc = ?';
    const params = doc === null ? [] : [doc];
    const rows = this.db
      .prepare<unknown[], AttemptRow>(
        `SELECT * FROM (SELECT id, doc, jti, user, kind, detail, at FROM guard_attempts ${where}
           ORDER BY id DESC LIMIT ?) ORDER BY id`,
      )
      .all(...params, limit);
    const total =
      this.db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM guard_attempts ${where}`).get(...params)
        ?.n ?? 0;
    return { rows, total };
  }

  documentStats(): DocumentStats[] {
    return this.db
      .prepare<[], { doc: string; snapshot_bytes: number; log_entries: number; log_bytes: number }>(
        `WITH docs AS (SELECT doc FROM doc_snapshots UNION SELECT doc FROM doc_updates)
         SELECT docs.doc AS doc,
           coalesce((SELECT length(snapshot) FROM doc_snapshots s WHERE s.doc = docs.doc), 0) AS snapshot_bytes,
           (SELECT count(*) FROM doc_updates u WHERE u.doc = docs.doc) AS log_entries,
           coalesce((SELECT sum(length(data)) FROM doc_updates u WHERE u.doc = docs.doc), 0) AS log_bytes
         FROM docs ORDER BY docs.doc`,
      )
      .all()
      .map((row) => ({
        doc: row.doc,
        snapshotBytes: row.snapshot_bytes,
        logEntries: row.log_entries,
        logBytes: row.log_bytes,
      }));
  }

  readStatus(): ServerStatus | undefined {
    const row = this.db
      .prepare<
        [],
        {
          pid: number;
          address: string;
          started_at: number;
          updated_at: number;
          connections: number;
          documents_loaded: number;
        }
      >('SELECT * FROM server_status WHERE id = 1')
      .get();
    if (row === undefined) return undefined;
    return {
      pid: row.pid,
      address: row.address,
      startedAt: row.started_at,
      updatedAt: row.updated_at,
      connections: row.connections,
      documentsLoaded: row.documents_loaded,
    };
  }

  /**
   * A consistent copy of the whole database while the server runs: `VACUUM INTO` reads one snapshot in one step, so
   * the server's commits meanwhile neither restart nor block it (SQLite's online backup restarts on every commit of
   * another connection and never finishes on a busy server). It writes into `<target>.partial-<random>` (created
   * 0600 before SQLite fills it), fsyncs it and only then gives it the final name, refusing an existing target; on
   * failure the partial file is deleted. A process killed meanwhile leaves at most the `.partial-` file.
   */
  backup(target: string): void {
    if (existsSync(target)) throw new Error(`${target} already exists`);
    const partial = `${target}.partial-${randomBytes(6).toString('hex')}`;
    try {
      createPrivate(partial);
      this.db.prepare('VACUUM INTO ?').run(partial);
      makePrivate(partial);
      fsyncPath(partial);
      try {
        // A hard link fails if the target appeared meanwhile, where a rename would replace it.
        linkSync(partial, target);
        unlinkSync(partial);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new Error(`${target} already exists`, { cause: error });
        // A file system without hard links: rename, having checked above that the target does not exist.
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
        renameSync(partial, target);
      }
      fsyncPath(dirname(target));
    } finally {
      rmSync(partial, { force: true });
      rmSync(`${partial}-journal`, { force: true });
    }
  }

  /** Folds the WAL into the main file (on shutdown, so a copied data folder is complete). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Closes the database; a server closing it removes its heartbeat, so `stats` and `restore` see it stopped. */
  close(): void {
    // The writer closes its connection and ends (a compaction under way was awaited by the server before).
    if (this.writer !== null) {
      this.writer.worker.postMessage('close');
      this.writer = null;
    }
    if (this.wroteStatus && this.db.open) {
      this.db.prepare('DELETE FROM server_status WHERE pid = ?').run(process.pid);
    }
    this.db.close();
  }
}
