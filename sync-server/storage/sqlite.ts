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
 *
 * Times are milliseconds since the epoch. The schema only ever grows (`PRAGMA user_version` counts migrations).
 * The server and the admin CLI open the same file from two processes; WAL and a busy timeout make that safe.
 */
import Database from 'better-sqlite3';
import type { AccessRegistry, DocumentStore, ServerStatus, StoredDocument, TokenRecord } from './types';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE communities (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL);
   CREATE TABLE tokens (
     jti TEXT PRIMARY KEY, user TEXT NOT NULL, communities TEXT NOT NULL, role TEXT NOT NULL,
     issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER);
   CREATE INDEX tokens_revoked ON tokens (revoked_at) WHERE revoked_at IS NOT NULL;
   CREATE TABLE doc_snapshots (doc TEXT PRIMARY KEY, snapshot BLOB NOT NULL, seq INTEGER NOT NULL, updated_at INTEGER NOT NULL);
   CREATE TABLE doc_updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL, data BLOB NOT NULL, created_at INTEGER NOT NULL);
   CREATE INDEX doc_updates_doc ON doc_updates (doc, seq);
   CREATE TABLE server_status (
     id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, address TEXT NOT NULL, started_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL, connections INTEGER NOT NULL, documents_loaded INTEGER NOT NULL);`,
];

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

/**
 * One SQLite file holding documents, tokens and communities. The async methods implement the narrow interfaces the
 * protocol code uses; the synchronous ones serve the admin CLI.
 */
export class SqliteStorage implements DocumentStore, AccessRegistry {
  readonly db: Database.Database;
  private readonly stmts;
  private pending: {
    doc: string;
    data: Buffer;
    resolve: (seq: number) => void;
    reject: (error: unknown) => void;
  }[] = [];

  constructor(file: string, options: { readonly syncMode?: SyncMode; readonly readonly?: boolean } = {}) {
    this.db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    this.db.pragma('busy_timeout = 5000');
    if (options.readonly !== true) {
      this.db.pragma('journal_mode = WAL');
      // FULL: a commit is on disk before the update is relayed, even across a power cut. NORMAL survives a crash of
      // the process (kill -9) but not of the machine.
      this.db.pragma(`synchronous = ${options.syncMode === 'normal' ? 'NORMAL' : 'FULL'}`);
      this.migrate();
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
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let i = version; i < MIGRATIONS.length; i++) {
      const sql = MIGRATIONS[i];
      if (sql === undefined) break;
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.pragma(`user_version = ${i + 1}`);
      })();
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
  append(doc: string, update: Uint8Array): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({
        doc,
        data: Buffer.from(update.buffer, update.byteOffset, update.byteLength),
        resolve,
        reject,
      });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const now = Date.now();
    let seqs: number[];
    try {
      seqs = this.db.transaction(() =>
        batch.map((entry) => Number(this.stmts.append.run(entry.doc, entry.data, now).lastInsertRowid)),
      )();
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, i) => entry.resolve(seqs[i] ?? 0));
  }

  compact(doc: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    this.db.transaction(() => {
      this.stmts.upsertSnapshot.run(
        doc,
        Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength),
        throughSeq,
        Date.now(),
      );
      this.stmts.deleteLog.run(doc, throughSeq);
    })();
    return Promise.resolve();
  }

  bytesStored(): Promise<number> {
    return Promise.resolve(this.stmts.bytes.get()?.bytes ?? 0);
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
    this.stmts.status.run(
      status.pid,
      status.address,
      status.startedAt,
      status.updatedAt,
      status.connections,
      status.documentsLoaded,
    );
    return Promise.resolve();
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

  /** A consistent copy of the whole database while the server runs (SQLite's online backup). */
  async backup(file: string): Promise<void> {
    await this.db.backup(file);
  }

  /** Folds the WAL into the main file (on shutdown, so a copied data folder is complete). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  close(): void {
    this.db.close();
  }
}
