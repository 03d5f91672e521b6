/**
 * PostgreSQL storage (`pg`): the city-wide mode, several sync-server nodes on one database (docs/sync-server.md,
 * "Several nodes: PostgreSQL and Redis"). Same tables and semantics as sqlite.ts:
 *
 * | table          | holds                                                                              |
 * | -------------- | ---------------------------------------------------------------------------------- |
 * | schema_version | one row: how many of `MIGRATIONS` ran (the schema only ever grows)                 |
 * | communities    | id, name, created_at                                                               |
 * | tokens         | jti, user, communities (JSON array as text), role, issued_at, expires_at, revoked_at |
 * | doc_snapshots  | doc, snapshot (Yjs v1 update of the whole document), seq it covers, updated_at     |
 * | doc_updates    | seq (one sequence for all documents), doc, data (one Yjs v1 update), created_at    |
 * | doc_history    | seq (that of doc_updates), doc, jti, user, bytes, at: who stored each update        |
 * | guard_attempts | id, doc, jti, user, kind, detail (JSON text), at: what the sync guard undid         |
 * | server_status  | one row per running node (its address and pid): the heartbeat                     |
 * | doc_rows       | doc, format, state_vector, rows (gzipped JSON), updated_at: a registry's rows      |
 *
 * - `append` resolves once the transaction holding the update and its stamp has committed (PostgreSQL's default
 *   `synchronous_commit = on`: in the WAL, flushed). Appends issued while a commit is in flight are committed together
 *   in the next transaction (group commit), so a burst costs one commit, not one per update.
 * - `compact` runs in one transaction under `pg_try_advisory_xact_lock` on the document: one node compacts a document
 *   at a time, another that tries meanwhile skips (its log is folded next time). With several nodes a node's memory may
 *   lack updates another node stored a moment ago (still on their way through the relay), so the snapshot written is
 *   the node's snapshot merged with whatever of the stored snapshot and log up to `throughSeq` it is not known to hold
 *   (what it loaded and applied since is skipped: `HeldState`): compaction never drops a stored update, whatever the
 *   node had applied.
 * - The schema is created and migrated at open, under an advisory lock, so nodes starting together do not race.
 * Times are milliseconds since the epoch (BIGINT), as in SQLite; sequence numbers fit a JavaScript number.
 */
import pg from 'pg';
import { foldMissing } from '../docState';
import type { Revocation } from '../revocations';
import type {
  AccessRegistry,
  DocumentStore,
  CompactResult,
  FoldUpdates,
  GuardAttempt,
  HeldState,
  ServerStatus,
  StoredDocument,
  StoredRows,
  TokenRecord,
  UpdateStamp,
} from './types';

export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE communities (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL);
   CREATE TABLE tokens (
     jti TEXT PRIMARY KEY, "user" TEXT NOT NULL, communities TEXT NOT NULL, role TEXT NOT NULL,
     issued_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, revoked_at BIGINT);
   CREATE INDEX tokens_revoked ON tokens (revoked_at) WHERE revoked_at IS NOT NULL;
   CREATE TABLE doc_snapshots (doc TEXT PRIMARY KEY, snapshot BYTEA NOT NULL, seq BIGINT NOT NULL, updated_at BIGINT NOT NULL);
   CREATE TABLE doc_updates (seq BIGSERIAL PRIMARY KEY, doc TEXT NOT NULL, data BYTEA NOT NULL, created_at BIGINT NOT NULL);
   CREATE INDEX doc_updates_doc ON doc_updates (doc, seq);
   CREATE TABLE doc_history (
     seq BIGINT PRIMARY KEY, doc TEXT NOT NULL, jti TEXT NOT NULL, "user" TEXT NOT NULL, bytes INTEGER NOT NULL,
     at BIGINT NOT NULL);
   CREATE INDEX doc_history_doc ON doc_history (doc, seq);
   CREATE TABLE guard_attempts (
     id BIGSERIAL PRIMARY KEY, doc TEXT NOT NULL, jti TEXT NOT NULL, "user" TEXT NOT NULL, kind TEXT NOT NULL,
     detail TEXT NOT NULL, at BIGINT NOT NULL);
   CREATE INDEX guard_attempts_doc ON guard_attempts (doc, id);
   CREATE TABLE server_status (
     address TEXT NOT NULL, pid INTEGER NOT NULL, started_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
     connections INTEGER NOT NULL, documents_loaded INTEGER NOT NULL, PRIMARY KEY (address, pid));`,
  // The rows of a registry for first syncs, made at compaction (shared/sync/rowsSnapshot.ts): gzipped JSON.
  `CREATE TABLE doc_rows (
     doc TEXT PRIMARY KEY, format INTEGER NOT NULL, state_vector BYTEA NOT NULL, rows BYTEA NOT NULL,
     updated_at BIGINT NOT NULL);`,
  // A snapshot is Yjs' compact encoding: stored out of line as it is, not pglz-compressed (seconds of a backend's CPU
  // for a 10 MB registry at each compaction; docs/sync-server.md, "Compaction keeps appends moving"). Applies to
  // snapshots written from now on.
  `ALTER TABLE doc_snapshots ALTER COLUMN snapshot SET STORAGE EXTERNAL;`,
];

/** The node's snapshot merged with what it lacked of the stored state, on the calling thread (no worker given). */
const foldHere: FoldUpdates = (snapshot, older) => Promise.resolve(foldMissing(snapshot, older));

/** Advisory lock keys: the migration (a constant), compaction (per document, from its name). */
const MIGRATION_LOCK = 0x63677773; // 'cgws'

/** Thrown when PostgreSQL cannot be reached or refuses a write; `closeReason` is what the clients are told. */
export class PostgresUnavailableError extends Error {
  readonly closeReason = 'storage error: PostgreSQL unreachable, nothing stored';
}

/**
 * A connection failure as PostgresUnavailableError: SQLSTATE class 08 (connection), 57 (operator intervention:
 * shutdown), or no code at all (socket closed). Any other error as it is.
 */
function unavailable(error: unknown, what: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || code.startsWith('08') || code.startsWith('57')) {
    return new PostgresUnavailableError(`${what}: ${(error as Error).message}`, { cause: error });
  }
  return error;
}

export interface PostgresStorageOptions {
  /** Connections in the pool (appends use one at a time; loads, compactions and the heartbeat the others). */
  readonly poolSize?: number;
  /** Where connection errors of idle pool clients are reported. */
  readonly onError?: (error: Error) => void;
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
const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * A stored snapshot longer than this is read in slices of this many bytes, each as base64 text. `pg` receives every
 * column as text and parses a bytea from hex: for a 10 MB registry that is a 20 MB string decoded and parsed in one
 * go on the event loop (0.7-1.6 s measured at a load of 11, docs/bench-cluster.md); a slice of base64 is a 1.4 MB
 * string that Node decodes natively, and the event loop serves others between slices.
 */
const SNAPSHOT_SLICE_BYTES = 1024 * 1024;

/**
 * The snapshot of `doc` and the seq it covers, or undefined when none is stored; a big one read in slices (above).
 * Inside a transaction that keeps the row from changing between its reads (REPEATABLE READ, or `forUpdate`).
 */
async function readSnapshot(
  client: pg.PoolClient,
  doc: string,
  forUpdate: boolean,
): Promise<{ readonly snapshot: Uint8Array; readonly seq: number } | undefined> {
  const row = (
    await client.query<{ seq: number; length: number; snapshot: Buffer | null }>(
      `SELECT seq, octet_length(snapshot) AS length,
         CASE WHEN octet_length(snapshot) <= $2 THEN snapshot END AS snapshot
       FROM doc_snapshots WHERE doc = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [doc, SNAPSHOT_SLICE_BYTES],
    )
  ).rows[0];
  if (row === undefined) return undefined;
  if (row.snapshot !== null) return { snapshot: toBytes(row.snapshot), seq: row.seq };
  const snapshot = await readSlices(client, 'snapshot', 'doc_snapshots WHERE doc = $1', [doc], row.length, doc);
  return { snapshot, seq: row.seq };
}

/**
 * A bytea of `length` bytes (`column` of the one row `from` names, `$1`... its `values`) read in slices of
 * `SNAPSHOT_SLICE_BYTES` as base64 text (above). Inside a transaction that keeps the row from changing meanwhile.
 */
async function readSlices(
  client: pg.PoolClient,
  column: 'snapshot' | 'data' | 'rows',
  from: string,
  values: readonly unknown[],
  length: number,
  doc: string,
): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  const next = values.length + 1;
  for (let offset = 0; offset < length; offset += SNAPSHOT_SLICE_BYTES) {
    const part = (
      await client.query<{ part: string }>(
        // encode() breaks its base64 into lines of 76 characters: removed, so that Node decodes on its fast path.
        `SELECT translate(encode(substring(${column} FROM $${next} FOR $${next + 1}), 'base64'), chr(10), '') AS part
         FROM ${from}`,
        [...values, offset + 1, SNAPSHOT_SLICE_BYTES],
      )
    ).rows[0]?.part;
    if (part === undefined) throw new Error(`the ${column} of ${doc} went away while it was read`);
    const slice = Buffer.from(part, 'base64');
    if (offset + slice.byteLength > length) throw new Error(`the ${column} of ${doc} grew while it was read`);
    bytes.set(slice, offset);
  }
  return bytes;
}

/**
 * A stored snapshot's version, as SQL over a doc_snapshots row: its row version (`xmin`, the transaction that wrote
 * it) and the time it was written. `xmin` alone would do for the check that no other node wrote meanwhile; a node
 * also keeps the version it holds for as long as the document stays loaded (documents.ts `compact` skips reading a
 * snapshot of that version), and the time makes an `xmin` that wrapped around (32 bits) or a restored database unable
 * to pass another snapshot off as the one held.
 */
const VERSION_SQL = "xmin::text || '@' || updated_at::text";

/** The stored snapshot's version (`VERSION_SQL`) and seq, `undefined` without one; `lock` holds the row until the commit. */
async function snapshotHead(
  client: pg.PoolClient,
  doc: string,
  lock: boolean,
): Promise<{ readonly version: string; readonly seq: number } | undefined> {
  const result = await client.query<{ version: string; seq: number }>(
    `SELECT ${VERSION_SQL} AS version, seq FROM doc_snapshots WHERE doc = $1${lock ? ' FOR UPDATE' : ''}`,
    [doc],
  );
  return result.rows[0];
}

/** The stored snapshot's version (`VERSION_SQL`), `undefined` without one; `lock` holds the row until the commit. */
async function snapshotVersion(client: pg.PoolClient, doc: string, lock: boolean): Promise<string | undefined> {
  return (await snapshotHead(client, doc, lock))?.version;
}

/**
 * The log of `doc` in seq order, an entry over `SNAPSHOT_SLICE_BYTES` read in slices (a masked copy made whole at
 * load is one entry of megabytes until the next compaction). Inside the same kind of transaction.
 */
async function readLog(
  client: pg.PoolClient,
  doc: string,
  throughSeq = Number.MAX_SAFE_INTEGER,
): Promise<{ seq: number; data: Uint8Array }[]> {
  const rows = (
    await client.query<{ seq: number; length: number; data: Buffer | null }>(
      `SELECT seq, octet_length(data) AS length, CASE WHEN octet_length(data) <= $2 THEN data END AS data
       FROM doc_updates WHERE doc = $1 AND seq <= $3 ORDER BY seq`,
      [doc, SNAPSHOT_SLICE_BYTES, throughSeq],
    )
  ).rows;
  const log: { seq: number; data: Uint8Array }[] = [];
  for (const row of rows) {
    log.push({
      seq: row.seq,
      data:
        row.data !== null
          ? toBytes(row.data)
          : await readSlices(
              client,
              'data',
              'doc_updates WHERE doc = $1 AND seq = $2',
              [doc, row.seq],
              row.length,
              doc,
            ),
    });
  }
  return log;
}

/** BIGINT (int8) as a number: sequence numbers and millisecond times stay far below 2^53. */
const TYPES = new pg.TypeOverrides();
TYPES.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

interface PendingAppend {
  readonly doc: string;
  readonly data: Buffer;
  readonly stamp: UpdateStamp;
  /** When `append` was called (performance.now()). */
  readonly at: number;
  readonly resolve: (stored: { seq: number; timing: AppendTiming }) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Where an append's time went, in ms (docs/bench-cluster.md, "Appends during compaction"): waiting for the batch
 * before it to commit, for a pool connection, for its batch's statement (the INSERTs and their commit).
 */
export interface AppendTiming {
  readonly queuedMs: number;
  readonly connectMs: number;
  readonly writeMs: number;
  /** Appends committed in the same transaction. */
  readonly batch: number;
}

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

export interface DocumentStatsRow {
  readonly doc: string;
  readonly snapshotBytes: number;
  readonly logEntries: number;
  readonly logBytes: number;
}

export class PostgresStorage implements DocumentStore, AccessRegistry {
  private pending: PendingAppend[] = [];
  private flushing = false;
  private readonly statusKeys = new Set<string>();

  private constructor(readonly pool: pg.Pool) {}

  /** Connects, creates or migrates the schema, and returns the storage. Throws when PostgreSQL cannot be reached. */
  static async open(url: string, options: PostgresStorageOptions = {}): Promise<PostgresStorage> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 6,
      connectionTimeoutMillis: 3_000,
      idleTimeoutMillis: 30_000,
      // A query that hangs (a database that froze) fails instead of holding a document's write queue forever.
      query_timeout: 15_000,
      types: TYPES,
    });
    // An idle client whose connection dies emits on the pool; unhandled, that would stop the process.
    pool.on('error', (error) => options.onError?.(error));
    const storage = new PostgresStorage(pool);
    try {
      await storage.migrate();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return storage;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      const row = (await client.query<{ version: number }>('SELECT version FROM schema_version')).rows[0];
      let version = row?.version ?? 0;
      if (row === undefined) await client.query('INSERT INTO schema_version (version) VALUES (0)');
      if (version > POSTGRES_MIGRATIONS.length) {
        throw new Error(
          `the database has schema version ${version}, newer than this sync-server (${POSTGRES_MIGRATIONS.length})`,
        );
      }
      for (; version < POSTGRES_MIGRATIONS.length; version++) {
        await client.query('BEGIN');
        await client.query(POSTGRES_MIGRATIONS[version] ?? '');
        await client.query('UPDATE schema_version SET version = $1', [version + 1]);
        await client.query('COMMIT');
      }
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  }

  /** A pooled connection; failing to get one is PostgresUnavailableError. */
  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw new PostgresUnavailableError(`PostgreSQL cannot be reached: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /**
   * Runs `work` on one pooled connection. Connection failures become PostgresUnavailableError; a connection whose work
   * failed is not given back to the pool (it may be dead).
   */
  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let broken: Error | undefined;
    try {
      return await work(client);
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      throw unavailable(error, 'PostgreSQL failed');
    } finally {
      client.release(broken);
    }
  }

  /** Runs `work` in one transaction on one pooled connection (`withClient`). */
  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>, isolation = ''): Promise<T> {
    return this.withClient(async (client) => {
      await client.query(`BEGIN${isolation}`);
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  // --- DocumentStore ------------------------------------------------------------------------------------------------

  async load(doc: string): Promise<StoredDocument> {
    // The common case in one statement (its own snapshot of the database, one round trip): the snapshot and the log
    // together. A restart storm loads thousands of small documents, and the four round trips of a transaction (BEGIN,
    // two reads, COMMIT) were the nodes' biggest cost (docs/bench-cluster.md, "Where a restart storm's time goes").
    const rows = await this.withClient(
      async (client) =>
        (
          await client.query<{ kind: number; seq: number; data: Buffer | null; version: string | null }>(
            `SELECT 0 AS kind, seq, CASE WHEN octet_length(snapshot) <= $2 THEN snapshot END AS data,
                 ${VERSION_SQL} AS version
               FROM doc_snapshots WHERE doc = $1
             UNION ALL
             SELECT 1 AS kind, seq, CASE WHEN octet_length(data) <= $2 THEN data END AS data, NULL AS version
               FROM doc_updates WHERE doc = $1
             ORDER BY kind, seq`,
            [doc, SNAPSHOT_SLICE_BYTES],
          )
        ).rows,
    );
    if (rows.every((row) => row.data !== null)) {
      const updates = rows.map((row) => toBytes(row.data as Buffer));
      const snapshot = rows[0]?.kind === 0 ? rows[0] : undefined;
      const log = snapshot === undefined ? rows : rows.slice(1);
      return {
        updates,
        lastSeq: Math.max(log[log.length - 1]?.seq ?? 0, snapshot?.seq ?? 0),
        logLength: log.length,
        ...(snapshot?.version == null ? {} : { snapshotVersion: snapshot.version }),
        logSeqs: log.map((row) => row.seq),
      };
    }
    // A snapshot or an entry over a slice: read again in slices, in one transaction (one snapshot of the database for
    // every read: a compaction committing between them cannot hide an update).
    return this.transaction(async (client) => {
      const version = await snapshotVersion(client, doc, false);
      const snapshot = await readSnapshot(client, doc, false);
      const log = await readLog(client, doc);
      const updates: Uint8Array[] = [];
      if (snapshot !== undefined) updates.push(snapshot.snapshot);
      for (const row of log) updates.push(row.data);
      const last = log[log.length - 1];
      return {
        updates,
        lastSeq: Math.max(last?.seq ?? 0, snapshot?.seq ?? 0),
        logLength: log.length,
        ...(version === undefined ? {} : { snapshotVersion: version }),
        logSeqs: log.map((row) => row.seq),
      };
    }, ' ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async append(doc: string, update: Uint8Array, stamp: UpdateStamp): Promise<number> {
    return (await this.appendTimed(doc, update, stamp)).seq;
  }

  /** `append`, with where its time went. */
  appendTimed(doc: string, update: Uint8Array, stamp: UpdateStamp): Promise<{ seq: number; timing: AppendTiming }> {
    return new Promise((resolve, reject) => {
      const data = Buffer.from(toBuffer(update));
      this.pending.push({ doc, data, stamp: { ...stamp }, at: performance.now(), resolve, reject });
      if (!this.flushing && this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  /**
   * Commits every pending append in one statement (so in one transaction, and one round trip however many there are:
   * docs/sync-server.md, "Compaction keeps appends moving"); appends arriving meanwhile wait for the next. Each
   * update's sequence number is drawn in arrival order and stored with its stamp: both or neither.
   */
  private async flush(): Promise<void> {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    const batch = this.pending;
    this.pending = [];
    const now = Date.now();
    const started = performance.now();
    try {
      let connected = started;
      // One statement: its own transaction (`withClient`, not `transaction`: no BEGIN and COMMIT round trips).
      const rows = await this.withClient(async (client) => {
        connected = performance.now();
        return (
          await client.query<{ seq: number; ord: number }>(
            `WITH input AS MATERIALIZED (
               SELECT nextval('doc_updates_seq_seq') AS seq, t.*
               FROM (SELECT * FROM unnest($1::text[], $2::bytea[], $3::text[], $4::text[], $5::integer[])
                       WITH ORDINALITY AS u(doc, data, jti, who, bytes, ord) ORDER BY ord) t),
             stored AS (INSERT INTO doc_updates (seq, doc, data, created_at) SELECT seq, doc, data, $6 FROM input),
             stamped AS (INSERT INTO doc_history (seq, doc, jti, "user", bytes, at)
               SELECT seq, doc, jti, who, bytes, $6 FROM input)
             SELECT seq, ord::integer AS ord FROM input`,
            [
              batch.map((entry) => entry.doc),
              batch.map((entry) => entry.data),
              batch.map((entry) => entry.stamp.jti),
              batch.map((entry) => entry.stamp.user),
              batch.map((entry) => entry.data.byteLength),
              now,
            ],
          )
        ).rows;
      });
      const committed = performance.now();
      const seqs = new Map(rows.map((row) => [row.ord, row.seq]));
      const parts = { connectMs: connected - started, writeMs: committed - connected, batch: batch.length };
      batch.forEach((entry, i) => {
        const seq = seqs.get(i + 1);
        if (seq === undefined) entry.reject(new Error('PostgreSQL did not answer the sequence number of an append'));
        else entry.resolve({ seq, timing: { queuedMs: started - entry.at, ...parts } });
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    } finally {
      this.flushing = false;
      if (this.pending.length > 0) setImmediate(() => void this.flush());
    }
  }

  /**
   * Folds the log of `doc` up to `throughSeq` into `snapshot` (docs/sync-server.md, "Compaction keeps appends
   * moving"). Three steps, so that no transaction lasts while megabytes are merged:
   * 1. read the stored snapshot's version (`VERSION_SQL`) and, unless it is the one `held` says the node holds, the
   *    snapshot itself; and the log up to `throughSeq`; in one read-only snapshot of the database;
   * 2. merge into `snapshot` what of it the node is not known to hold (`held`: the stored snapshot of that version,
   *    the log entries it applied): seconds of CPU for a 20k registry (`fold`, a worker), with no connection held.
   *    Nothing to merge (a node that applied every stored update, the usual case): no fold at all, `snapshot` is
   *    written as it is;
   * 3. in a short transaction under `pg_try_advisory_xact_lock`: if the stored snapshot is still the one read (same
   *    version, or still none), write the merged one and delete exactly the log entries read in 1 (an entry
   *    committed since, even with a lower seq, stays in the log). Otherwise another node compacted meanwhile, and
   *    this fold is dropped (the log is folded next time).
   * A log entry is deleted only when the snapshot written holds it: folded in, or held by the node (then `snapshot`
   * holds it). The write commits without waiting for its WAL flush (`synchronous_commit = off`, this transaction
   * only): if it is lost in a crash, the old snapshot and the log entries it would have deleted are still there, all
   * or nothing.
   */
  async compact(
    doc: string,
    snapshot: Uint8Array,
    throughSeq: number,
    fold?: FoldUpdates,
    held?: HeldState,
  ): Promise<CompactResult> {
    const read = await this.transaction(async (client) => {
      const head = await snapshotHead(client, doc, false);
      // The node holds this very snapshot (it loaded it, or wrote it from its own document): not even read.
      const snapshotHeld = head !== undefined && held !== undefined && head.version === held.snapshotVersion;
      const stored = head === undefined || snapshotHeld ? undefined : await readSnapshot(client, doc, false);
      if (head !== undefined && !snapshotHeld && stored === undefined)
        throw new Error(`the snapshot of ${doc} went away while it was read`);
      const log = await readLog(client, doc, throughSeq);
      return { version: head?.version, storedSeq: head?.seq ?? 0, stored, log };
    }, ' ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { version, storedSeq, stored, log } = read;
    const older = [
      ...(stored === undefined ? [] : [stored.snapshot]),
      ...log.filter((row) => held?.seqs.has(row.seq) !== true).map((row) => row.data),
    ];
    // What the stored state holds beyond the node's snapshot (nothing, usually): its structs the node lacks and its
    // delete set, merged into the node's snapshot. Parsing megabytes of updates: in a worker when one is given.
    const merged = older.length === 0 ? snapshot : await (fold ?? foldHere)(snapshot, older);
    const seq = Math.max(throughSeq, storedSeq);
    const deleted = log.map((row) => row.seq);
    const written = await this.transaction(async (client): Promise<string | undefined> => {
      const locked = (
        await client.query<{ locked: boolean }>(
          "SELECT pg_try_advisory_xact_lock(hashtextextended('cgw-compact:' || $1, 0)) AS locked",
          [doc],
        )
      ).rows[0]?.locked;
      // Another node is compacting this document right now: its snapshot will do; ours waits for the next time.
      if (locked !== true) return undefined;
      const now = await snapshotVersion(client, doc, true);
      // Another node stored a snapshot since step 1 (and may have deleted log entries this fold did not see).
      if (now !== version) return undefined;
      await client.query('SET LOCAL synchronous_commit = off');
      const row = (
        await client.query<{ version: string }>(
          `INSERT INTO doc_snapshots (doc, snapshot, seq, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (doc) DO UPDATE SET snapshot = excluded.snapshot, seq = excluded.seq, updated_at = excluded.updated_at
           RETURNING ${VERSION_SQL} AS version`,
          [doc, toBuffer(merged), seq, Date.now()],
        )
      ).rows[0];
      await client.query('DELETE FROM doc_updates WHERE doc = $1 AND seq = ANY($2::bigint[])', [doc, deleted]);
      if (row === undefined) throw new Error(`PostgreSQL did not answer the version of the snapshot of ${doc}`);
      return row.version;
    });
    return written === undefined
      ? { written: false, folded: older.length, read: deleted }
      : { written: true, version: written, folded: older.length, read: deleted };
  }

  async bytesStored(): Promise<number> {
    const row = (
      await this.pool.query<{ bytes: number }>(
        `SELECT (pg_total_relation_size('doc_updates') + pg_total_relation_size('doc_snapshots'))::bigint AS bytes`,
      )
    ).rows[0];
    return row?.bytes ?? 0;
  }

  /** A registry's rows for first syncs: the node that compacted last writes them (any rows are a whole state). */
  async putRows(doc: string, rows: StoredRows): Promise<void> {
    await this.pool.query(
      `INSERT INTO doc_rows (doc, format, state_vector, rows, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (doc) DO UPDATE SET format = excluded.format, state_vector = excluded.state_vector,
         rows = excluded.rows, updated_at = excluded.updated_at`,
      [doc, rows.format, toBuffer(rows.stateVector), toBuffer(rows.gzipped), rows.updatedAt],
    );
  }

  /** A registry's rows; rows over `SNAPSHOT_SLICE_BYTES` (a 100,000-resident registry's) read in slices. */
  async loadRows(doc: string): Promise<StoredRows | undefined> {
    return this.transaction(async (client) => {
      const row = (
        await client.query<{
          format: number;
          state_vector: Buffer;
          length: number;
          rows: Buffer | null;
          updated_at: number;
        }>(
          `SELECT format, state_vector, octet_length(rows) AS length,
             CASE WHEN octet_length(rows) <= $2 THEN rows END AS rows, updated_at
           FROM doc_rows WHERE doc = $1`,
          [doc, SNAPSHOT_SLICE_BYTES],
        )
      ).rows[0];
      if (row === undefined) return undefined;
      return {
        format: row.format,
        stateVector: toBytes(row.state_vector),
        gzipped:
          row.rows !== null
            ? toBytes(row.rows)
            : await readSlices(client, 'rows', 'doc_rows WHERE doc = $1', [doc], row.length, doc),
        updatedAt: row.updated_at,
      };
    }, ' ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async recordAttempt(attempt: GuardAttempt): Promise<void> {
    await this.pool.query(
      'INSERT INTO guard_attempts (doc, jti, "user", kind, detail, at) VALUES ($1, $2, $3, $4, $5, $6)',
      [attempt.doc, attempt.jti, attempt.user, attempt.kind, attempt.detail, attempt.at],
    );
  }

  /**
   * The stamped sequence numbers of each document above its floor, stamped before `before` (ms): what a node compares
   * with what it holds (relay.ts, reconciliation). Uses the (doc, seq) index of doc_history.
   */
  async storedSince(
    docs: readonly string[],
    floors: readonly number[],
    before: number,
  ): Promise<{ doc: string; seq: number; at: number }[]> {
    if (docs.length === 0) return [];
    return (
      await this.pool.query<{ doc: string; seq: number; at: number }>(
        `SELECT h.doc, h.seq, h.at FROM unnest($1::text[], $2::bigint[]) AS f(doc, floor)
         JOIN doc_history h ON h.doc = f.doc AND h.seq > f.floor WHERE h.at < $3 ORDER BY h.seq`,
        [[...docs], [...floors], before],
      )
    ).rows;
  }

  /** The log entries of a document with these sequence numbers (those compacted away are missing from the answer). */
  async updatesBySeq(doc: string, seqs: readonly number[]): Promise<{ seq: number; data: Uint8Array }[]> {
    const rows = (
      await this.pool.query<{ seq: number; data: Buffer }>(
        'SELECT seq, data FROM doc_updates WHERE doc = $1 AND seq = ANY($2::bigint[]) ORDER BY seq',
        [doc, [...seqs]],
      )
    ).rows;
    return rows.map((row) => ({ seq: row.seq, data: toBytes(row.data) }));
  }

  // --- AccessRegistry -----------------------------------------------------------------------------------------------

  async getToken(jti: string): Promise<TokenRecord | undefined> {
    const row = (await this.pool.query<TokenRow>('SELECT * FROM tokens WHERE jti = $1', [jti])).rows[0];
    return row === undefined ? undefined : toRecord(row);
  }

  async revokedAmong(jtis: readonly string[]): Promise<Set<string>> {
    if (jtis.length === 0) return new Set();
    const rows = (
      await this.pool.query<{ jti: string }>(
        'SELECT jti FROM tokens WHERE revoked_at IS NOT NULL AND jti = ANY($1::text[])',
        [[...jtis]],
      )
    ).rows;
    return new Set(rows.map((row) => row.jti));
  }

  async communityExists(id: string): Promise<boolean> {
    return (await this.pool.query('SELECT 1 FROM communities WHERE id = $1', [id])).rowCount === 1;
  }

  async writeStatus(status: ServerStatus): Promise<void> {
    this.statusKeys.add(`${status.address}\n${status.pid}`);
    await this.pool.query(
      `INSERT INTO server_status (address, pid, started_at, updated_at, connections, documents_loaded)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (address, pid) DO UPDATE SET started_at = excluded.started_at, updated_at = excluded.updated_at,
         connections = excluded.connections, documents_loaded = excluded.documents_loaded`,
      [status.address, status.pid, status.startedAt, status.updatedAt, status.connections, status.documentsLoaded],
    );
  }

  // --- admin (sync-admin --postgres) --------------------------------------------------------------------------------

  async addCommunity(id: string, name: string): Promise<void> {
    await this.pool.query('INSERT INTO communities (id, name, created_at) VALUES ($1, $2, $3)', [id, name, Date.now()]);
  }

  async listCommunities(): Promise<{ id: string; name: string; createdAt: number }[]> {
    const rows = (
      await this.pool.query<{ id: string; name: string; created_at: number }>('SELECT * FROM communities ORDER BY id')
    ).rows;
    return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at }));
  }

  async insertToken(token: Omit<TokenRecord, 'revokedAt'>): Promise<void> {
    await this.pool.query(
      'INSERT INTO tokens (jti, "user", communities, role, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [token.jti, token.user, JSON.stringify(token.communities), token.role, token.issuedAt, token.expiresAt],
    );
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (await this.pool.query<TokenRow>('SELECT * FROM tokens ORDER BY issued_at, jti')).rows.map(toRecord);
  }

  /** Marks a token revoked; false when no such token exists. Revoking twice keeps the first time. */
  async revokeToken(jti: string, at: number): Promise<boolean> {
    const result = await this.pool.query('UPDATE tokens SET revoked_at = coalesce(revoked_at, $1) WHERE jti = $2', [
      at,
      jti,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  /** The newest `limit` stamped updates of a document, oldest of them first, and how many it has in all. */
  async history(doc: string, limit: number): Promise<{ rows: HistoryRow[]; total: number }> {
    const rows = (
      await this.pool.query<HistoryRow>(
        `SELECT * FROM (SELECT seq, doc, jti, "user", bytes, at FROM doc_history WHERE doc = $1 ORDER BY seq DESC
         LIMIT $2) newest ORDER BY seq`,
        [doc, limit],
      )
    ).rows;
    const total = (
      await this.pool.query<{ n: number }>('SELECT count(*)::bigint AS n FROM doc_history WHERE doc = $1', [doc])
    ).rows[0]?.n;
    return { rows, total: total ?? 0 };
  }

  /** The newest `limit` guard attempts (of one document, or of all when `doc` is null), oldest of them first. */
  async attempts(doc: string | null, limit: number): Promise<{ rows: AttemptRow[]; total: number }> {
    const where = doc === null ? '' : 'WHERE doc = $2';
    const params: unknown[] = doc === null ? [limit] : [limit, doc];
    const rows = (
      await this.pool.query<AttemptRow>(
        `SELECT * FROM (SELECT id, doc, jti, "user", kind, detail, at FROM guard_attempts ${where}
         ORDER BY id DESC LIMIT $1) newest ORDER BY id`,
        params,
      )
    ).rows;
    const total = (
      await this.pool.query<{ n: number }>(
        `SELECT count(*)::bigint AS n FROM guard_attempts ${doc === null ? '' : 'WHERE doc = $1'}`,
        doc === null ? [] : [doc],
      )
    ).rows[0]?.n;
    return { rows, total: total ?? 0 };
  }

  /** Every stored document: snapshot size, log entries and log bytes (`sync-admin stats`). */
  async documentStats(): Promise<DocumentStatsRow[]> {
    const rows = (
      await this.pool.query<{ doc: string; snapshot_bytes: number; log_entries: number; log_bytes: number }>(
        `WITH logs AS (SELECT doc, count(*)::bigint AS entries, sum(octet_length(data))::bigint AS bytes
                       FROM doc_updates GROUP BY doc)
         SELECT coalesce(s.doc, l.doc) AS doc, coalesce(octet_length(s.snapshot), 0)::bigint AS snapshot_bytes,
                coalesce(l.entries, 0) AS log_entries, coalesce(l.bytes, 0) AS log_bytes
         FROM doc_snapshots s FULL JOIN logs l ON l.doc = s.doc ORDER BY 1`,
      )
    ).rows;
    return rows.map((row) => ({
      doc: row.doc,
      snapshotBytes: row.snapshot_bytes,
      logEntries: row.log_entries,
      logBytes: row.log_bytes,
    }));
  }

  /**
   * Applies revocations kept outside the database (the admin's `revocations.jsonl`, revocations.ts) in one
   * statement: a token revoked already keeps its first time, an unknown token id is ignored. Returns how many tokens
   * this revoked.
   */
  async mergeRevocations(revocations: readonly Revocation[]): Promise<number> {
    if (revocations.length === 0) return 0;
    const result = await this.pool.query(
      `UPDATE tokens t SET revoked_at = r.at FROM unnest($1::text[], $2::bigint[]) AS r(jti, at)
       WHERE t.jti = r.jti AND t.revoked_at IS NULL`,
      [revocations.map((r) => r.jti), revocations.map((r) => r.revokedAt)],
    );
    return result.rowCount ?? 0;
  }

  /** Every revoked token with its revocation time. */
  async revocations(): Promise<Revocation[]> {
    return (
      await this.pool.query<Revocation>(
        'SELECT jti, revoked_at AS "revokedAt" FROM tokens WHERE revoked_at IS NOT NULL ORDER BY revoked_at, jti',
      )
    ).rows;
  }

  /** Running nodes' heartbeats, newest first. */
  async readStatuses(): Promise<ServerStatus[]> {
    const rows = (
      await this.pool.query<{
        address: string;
        pid: number;
        started_at: number;
        updated_at: number;
        connections: number;
        documents_loaded: number;
      }>('SELECT * FROM server_status ORDER BY updated_at DESC')
    ).rows;
    return rows.map((row) => ({
      pid: row.pid,
      address: row.address,
      startedAt: row.started_at,
      updatedAt: row.updated_at,
      connections: row.connections,
      documentsLoaded: row.documents_loaded,
    }));
  }

  /** Removes this node's heartbeat and closes the pool. */
  async close(): Promise<void> {
    for (const key of this.statusKeys) {
      const [address, pid] = key.split('\n');
      await this.pool
        .query('DELETE FROM server_status WHERE address = $1 AND pid = $2', [address, Number(pid)])
        .catch(() => undefined);
    }
    await this.pool.end();
  }
}
