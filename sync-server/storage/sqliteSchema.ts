/**
 * The schema of the sync server's SQLite file: its migrations (the schema only ever grows; `PRAGMA user_version`
 * counts them) and the check a backup or a file to restore must pass. The table list is in sqlite.ts's header.
 */
import Database from 'better-sqlite3';

export interface DatabaseSummary {
  readonly communities: number;
  readonly tokens: number;
  readonly documents: number;
}

export const MIGRATIONS: readonly string[] = [
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
  // Who stored what, and what the guard undid. Updates stored before this migration get the stamp '-'.
  `CREATE TABLE doc_history (
     seq INTEGER PRIMARY KEY, doc TEXT NOT NULL, jti TEXT NOT NULL, user TEXT NOT NULL, bytes INTEGER NOT NULL,
     at INTEGER NOT NULL);
   CREATE INDEX doc_history_doc ON doc_history (doc, seq);
   INSERT INTO doc_history (seq, doc, jti, user, bytes, at)
     SELECT seq, doc, '-', '-', length(data), created_at FROM doc_updates;
   CREATE TABLE guard_attempts (
     id INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL, jti TEXT NOT NULL, user TEXT NOT NULL, kind TEXT NOT NULL,
     detail TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE INDEX guard_attempts_doc ON guard_attempts (doc, id);`,
  // The rows of a registry for first syncs, made at compaction (shared/sync/rowsSnapshot.ts): gzipped JSON.
  `CREATE TABLE doc_rows (
     doc TEXT PRIMARY KEY, format INTEGER NOT NULL, state_vector BLOB NOT NULL, rows BLOB NOT NULL,
     updated_at INTEGER NOT NULL);`,
];

/** The tables a database of this schema has from its first migration on (what `verifyDatabaseFile` checks). */
const REQUIRED_TABLES = ['communities', 'tokens', 'doc_snapshots', 'doc_updates', 'server_status'] as const;

/**
 * Checks that `file` is a sound SQLite database of this schema (quick_check, the tables of the first migration, a
 * schema version this code knows) and counts what it holds. Throws an Error saying what is wrong.
 */
export function verifyDatabaseFile(file: string): DatabaseSummary {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new Error(`cannot open ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    let check: unknown;
    try {
      check = db.pragma('quick_check', { simple: true });
    } catch (error) {
      throw new Error(`${file} is not a readable SQLite database: ${(error as Error).message}`, { cause: error });
    }
    if (check !== 'ok') throw new Error(`${file} fails SQLite's quick_check: ${String(check)}`);
    const tables = new Set(
      db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((row) => row.name),
    );
    const missing = REQUIRED_TABLES.filter((table) => !tables.has(table));
    if (missing.length > 0) {
      throw new Error(`${file} is not a sync-server database (no table ${missing.join(', ')})`);
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new Error(`${file} has schema version ${version}, newer than this sync-server (${MIGRATIONS.length})`);
    }
    const count = (sql: string): number => db.prepare<[], { n: number }>(sql).get()?.n ?? 0;
    return {
      communities: count('SELECT count(*) AS n FROM communities'),
      tokens: count('SELECT count(*) AS n FROM tokens'),
      documents: count('SELECT count(*) AS n FROM (SELECT doc FROM doc_snapshots UNION SELECT doc FROM doc_updates)'),
    };
  } finally {
    db.close();
  }
}
