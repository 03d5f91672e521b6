/**
 * `npm run sync-admin -- --data <dir> <command>`: district IT's tool. It opens the same SQLite file as the running
 * server (WAL; safe from two processes). Errors print one line to stderr and exit non-zero.
 *
 *   community add <id> --name <name>     register a community
 *   community list
 *   token issue --user <name> --community <id>[,<id>...] --role editor|viewer|admin [--days N]
 *                                        prints the token alone on the last line of stdout
 *   token list
 *   token revoke <token-id>              refused at once, also on open sockets (the server polls); also kept in
 *                                        revocations.jsonl, so that a restored backup keeps it
 *   backup <file>                        consistent copy while the server runs (VACUUM INTO; mode 0600)
 *   restore <file>                       server stopped: puts a backup in place, keeps later revocations
 *   history <document> [--limit N]       who stored each update of a document, then what the guard undid
 *   attempts [<document>] [--limit N]    what the sync guard undid (all documents or one)
 *   stats                                documents, sizes, connections
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isRole } from '@shared/sync/protocol';
import { isCommunityId, parseDocName, YEARLY_COLLECTIONS } from '@shared/ydoc/docName';
import { DB_FILE, KEY_FILE, loadOrCreateKey, signToken } from './auth';
import { appendRevocation, REVOCATIONS_FILE, type Revocation } from './revocations';
import { createPrivate, fsyncPath } from './storage/privateFiles';
import { runPostgresAdmin } from './storage/postgresAdmin';
import { SqliteStorage, verifyDatabaseFile } from './storage/sqlite';
import type { ServerStatus } from './storage/types';

class UsageError extends Error {}

const USAGE = `usage: sync-admin [--data <dir>] [--postgres <url>] <command>
  community add <id> --name <name>
  community list
  token issue --user <name> --community <id>[,<id>...] --role editor|viewer|admin [--days N]
  token list
  token revoke <token-id>
  backup <file>
  restore <file>
  history <document> [--limit N]
  attempts [<document>] [--limit N]
  stats`;

const DEFAULT_DAYS = 365;
const DEFAULT_LIMIT = 100;
/** The server writes its heartbeat every few seconds (and removes it when it stops): an older one means not running. */
const HEARTBEAT_FRESH_MS = 30_000;

function formatTime(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The server's heartbeat if it is fresh, i.e. the server runs. */
function runningServer(storage: SqliteStorage): ServerStatus | undefined {
  const status = storage.readStatus();
  return status !== undefined && Date.now() - status.updatedAt < HEARTBEAT_FRESH_MS ? status : undefined;
}

function checkDocName(doc: string | undefined, command: string): string {
  if (doc === undefined) throw new UsageError(`${command} needs a document name, e.g. shunqing-xihe/registry`);
  if (parseDocName(doc) === null) {
    throw new UsageError(
      `invalid document name "${doc}": use <community>/registry or <community>/${YEARLY_COLLECTIONS.join('|')}/<year>`,
    );
  }
  return doc;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export async function runAdmin(argv: readonly string[], out: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      data: { type: 'string' },
      postgres: { type: 'string' },
      name: { type: 'string' },
      user: { type: 'string' },
      community: { type: 'string' },
      role: { type: 'string' },
      days: { type: 'string' },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true || positionals.length === 0) {
    if (values.help === true) {
      out(USAGE);
      return;
    }
    throw new UsageError('no command given; run with --help for the list');
  }
  const dataDir = values.data ?? process.env.SYNC_DATA ?? './data/sync';
  const [command, sub, arg] = positionals;
  const extra = (allowed: number): void => {
    const unexpected = positionals.slice(allowed);
    if (unexpected.length > 0) throw new UsageError(`unexpected argument "${unexpected.join(' ')}"`);
  };

  const postgres = values.postgres ?? process.env.SYNC_POSTGRES;
  if (postgres !== undefined && postgres !== '') {
    const single = ['backup', 'restore', 'history', 'attempts', 'stats'].includes(command ?? '');
    const allowed = single ? 2 : 3;
    extra(allowed);
    await runPostgresAdmin(
      {
        url: postgres,
        dataDir,
        command: single ? (command ?? '') : `${command ?? ''} ${sub ?? ''}`.trim(),
        arg: single ? sub : arg,
        values,
        usage: (message) => new UsageError(message),
      },
      out,
    );
    return;
  }

  const dbFile = join(dataDir, DB_FILE);
  const warn = (message: string): void => console.error(`sync-admin: warning: ${message}`);
  const open = (): SqliteStorage => {
    // Creating the key here too: whichever of server and admin CLI runs first makes it (mode 0600).
    loadOrCreateKey(dataDir);
    return new SqliteStorage(dbFile, { warn });
  };
  const openExisting = (): SqliteStorage => {
    if (!existsSync(dbFile)) throw new UsageError(`no database in ${dataDir}`);
    return new SqliteStorage(dbFile, { warn });
  };
  const limit = (): number => {
    if (values.limit === undefined) return DEFAULT_LIMIT;
    const n = Number(values.limit);
    if (!Number.isInteger(n) || n <= 0)
      throw new UsageError(`--limit must be a positive whole number, got "${values.limit}"`);
    return n;
  };

  const single = ['backup', 'restore', 'history', 'attempts', 'stats'];
  const key = single.includes(command ?? '') ? (command ?? '') : `${command ?? ''} ${sub ?? ''}`.trim();
  switch (key) {
    case 'community add': {
      extra(3);
      if (arg === undefined) throw new UsageError('community add needs an id: community add <id> --name <name>');
      if (!isCommunityId(arg)) {
        throw new UsageError(`invalid community id "${arg}": use 2-40 lower-case letters, digits and dashes`);
      }
      const name = values.name?.trim();
      if (name === undefined || name === '') throw new UsageError('community add needs --name <name>');
      const storage = open();
      try {
        if (storage.listCommunities().some((c) => c.id === arg))
          throw new UsageError(`community "${arg}" already exists`);
        storage.addCommunity(arg, name);
      } finally {
        storage.close();
      }
      out(`added community ${arg} (${name})`);
      return;
    }
    case 'community list': {
      extra(2);
      const storage = open();
      try {
        const rows = storage.listCommunities();
        out(table([['ID', 'NAME', 'CREATED'], ...rows.map((c) => [c.id, c.name, formatTime(c.createdAt)])]));
        out(`${rows.length} communities`);
        return;
      } finally {
        storage.close();
      }
    }
    case 'token issue': {
      extra(2);
      const user = values.user?.trim();
      if (user === undefined || user === '') throw new UsageError('token issue needs --user <name>');
      const communities = (values.community ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== '');
      if (communities.length === 0) throw new UsageError('token issue needs --community <id>[,<id>...]');
      const role = values.role ?? '';
      if (!isRole(role)) throw new UsageError(`--role must be editor, viewer or admin, got "${role}"`);
      const days = values.days === undefined ? DEFAULT_DAYS : Number(values.days);
      if (!Number.isFinite(days) || days <= 0)
        throw new UsageError(`--days must be a positive number, got "${values.days ?? ''}"`);
      const storage = open();
      try {
        const known = new Set(storage.listCommunities().map((c) => c.id));
        const unknown = communities.filter((c) => !known.has(c));
        if (unknown.length > 0) {
          throw new UsageError(
            `unknown community ${unknown.map((c) => `"${c}"`).join(', ')}; add it with "community add" first`,
          );
        }
        const key = loadOrCreateKey(dataDir);
        const issuedAt = Math.floor(Date.now() / 1000);
        const expiresAt = issuedAt + Math.max(1, Math.ceil(days * 86_400));
        const { token, jti } = await signToken(key, { user, communities, role, issuedAt, expiresAt });
        storage.insertToken({ jti, user, communities, role, issuedAt: issuedAt * 1000, expiresAt: expiresAt * 1000 });
        out(
          `issued token ${jti} to ${user}: ${role} of ${communities.join(',')}, expires ${formatTime(expiresAt * 1000)}`,
        );
        out(token);
        return;
      } finally {
        storage.close();
      }
    }
    case 'token list': {
      extra(2);
      const storage = open();
      try {
        const now = Date.now();
        const rows = storage
          .listTokens()
          .map((t) => [
            t.jti,
            t.user,
            t.role,
            t.communities.join(','),
            formatTime(t.issuedAt),
            formatTime(t.expiresAt),
            t.revokedAt !== null ? `revoked ${formatTime(t.revokedAt)}` : t.expiresAt <= now ? 'expired' : 'active',
          ]);
        out(table([['TOKEN-ID', 'USER', 'ROLE', 'COMMUNITIES', 'ISSUED', 'EXPIRES', 'STATUS'], ...rows]));
        out(`${rows.length} tokens`);
        return;
      } finally {
        storage.close();
      }
    }
    case 'token revoke': {
      extra(3);
      if (arg === undefined) throw new UsageError('token revoke needs a token id (see "token list")');
      const storage = open();
      try {
        if ((await storage.getToken(arg)) === undefined) throw new UsageError(`no token with id "${arg}"`);
        const revokedAt = Date.now();
        // The file first: should the database update fail, the next open of the database merges it.
        appendRevocation(dataDir, { jti: arg, revokedAt });
        storage.revokeToken(arg, revokedAt);
      } finally {
        storage.close();
      }
      out(`revoked token ${arg}; open connections using it are closed within seconds`);
      return;
    }
    case 'backup': {
      // `sub` is the file here.
      extra(2);
      if (sub === undefined) throw new UsageError('backup needs a target file: backup <file>');
      if (existsSync(sub)) throw new UsageError(`${sub} already exists; choose a new file`);
      const storage = openExisting();
      const started = Date.now();
      try {
        storage.backup(sub);
      } finally {
        storage.close();
      }
      const mib = (statSync(sub).size / 2 ** 20).toFixed(1);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      out(
        `backup written to ${sub}: ${mib} MiB in ${seconds} s (keep ${join(dataDir, KEY_FILE)} safe too; it never changes)`,
      );
      return;
    }
    case 'restore': {
      extra(2);
      if (sub === undefined) throw new UsageError('restore needs a backup file: restore <file>');
      if (!existsSync(sub)) throw new UsageError(`${sub} does not exist`);
      restore(sub, dataDir, out, warn);
      return;
    }
    case 'history': {
      extra(2);
      const doc = checkDocName(sub, 'history');
      const n = limit();
      const storage = openExisting();
      try {
        const history = storage.history(doc, n);
        out(
          table([
            ['SEQ', 'TIME', 'TOKEN-ID', 'USER', 'BYTES'],
            ...history.rows.map((h) => [String(h.seq), new Date(h.at).toISOString(), h.jti, h.user, String(h.bytes)]),
          ]),
        );
        out(`${history.rows.length} of ${history.total} stored updates of ${doc}`);
        const attempts = storage.attempts(doc, n);
        if (attempts.total > 0) {
          out('');
          out(attemptTable(attempts.rows, false));
          out(`${attempts.rows.length} of ${attempts.total} guard attempts on ${doc}`);
        }
        return;
      } finally {
        storage.close();
      }
    }
    case 'attempts': {
      extra(2);
      const doc = sub === undefined ? null : checkDocName(sub, 'attempts');
      const n = limit();
      const storage = openExisting();
      try {
        const attempts = storage.attempts(doc, n);
        out(attemptTable(attempts.rows, doc === null));
        out(`${attempts.rows.length} of ${attempts.total} guard attempts${doc === null ? '' : ` on ${doc}`}`);
        return;
      } finally {
        storage.close();
      }
    }
    case 'stats': {
      extra(1);
      const storage = openExisting();
      try {
        const docs = storage.documentStats();
        out(
          table([
            ['DOCUMENT', 'SNAPSHOT-BYTES', 'LOG-ENTRIES', 'LOG-BYTES'],
            ...docs.map((d) => [d.doc, String(d.snapshotBytes), String(d.logEntries), String(d.logBytes)]),
          ]),
        );
        const total = docs.reduce((sum, d) => sum + d.snapshotBytes + d.logBytes, 0);
        out(`documents: ${docs.length}, bytes stored: ${total}`);
        const status = runningServer(storage);
        if (status !== undefined) {
          out(
            `server: running at ${status.address} (pid ${status.pid}), connections: ${status.connections}, documents loaded: ${status.documentsLoaded}`,
          );
          return;
        }
        out('server: not running (no heartbeat in the last 30 s), connections: 0');
        return;
      } finally {
        storage.close();
      }
    }
    default:
      throw new UsageError(`unknown command "${positionals.join(' ')}"; run with --help for the list`);
  }
}

function attemptTable(
  rows: readonly { at: number; doc: string; jti: string; user: string; kind: string; detail: string }[],
  withDoc: boolean,
): string {
  return table([
    ['TIME', ...(withDoc ? ['DOCUMENT'] : []), 'TOKEN-ID', 'USER', 'KIND', 'DETAIL'],
    ...rows.map((a) => [new Date(a.at).toISOString(), ...(withDoc ? [a.doc] : []), a.jti, a.user, a.kind, a.detail]),
  ]);
}

/** `YYYYMMDDTHHMMSSZ` (ISO 8601 basic): no colons, which tar and scp would read as a host name. */
function fileTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * Puts a backup in place of the data folder's database. Refused while the server runs. The backup is copied next to
 * sync.db (mode 0600) and checked there; only then is the current database (with its -wal, -shm) moved aside to
 * `sync.db.before-restore-<time>` and the copy renamed to sync.db. Opening it merges revocations.jsonl, which
 * re-applies every revocation made after the backup was taken.
 */
function restore(backup: string, dataDir: string, out: (line: string) => void, warn: (message: string) => void): void {
  const dbFile = join(dataDir, DB_FILE);
  // The revocations of the database being replaced are re-applied too (revocations.jsonl holds them as well, unless
  // they were made before it existed).
  let currentRevocations: Revocation[] = [];
  if (existsSync(dbFile)) {
    let status: ServerStatus | undefined;
    let current: SqliteStorage | undefined;
    try {
      current = new SqliteStorage(dbFile, { readonly: true });
      status = runningServer(current);
      currentRevocations = current.revocations();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) {
        throw new Error(`${dbFile} is in use by another process; stop the server first`, { cause: error });
      }
      // A database that cannot be read is what a restore is for; no running server can be using it either.
      warn(`the current database cannot be read (${(error as Error).message.split('\n')[0] ?? ''}); restoring anyway`);
    } finally {
      current?.close();
    }
    if (status !== undefined) {
      const seconds = Math.round((Date.now() - status.updatedAt) / 1000);
      throw new UsageError(
        `the server is running (pid ${status.pid} at ${status.address}, heartbeat ${seconds} s ago): stop it first; ` +
          `a killed server's heartbeat counts for ${HEARTBEAT_FRESH_MS / 1000} s`,
      );
    }
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const partial = `${dbFile}.partial-${randomBytes(6).toString('hex')}`;
  const moved: [string, string][] = [];
  try {
    // Created 0600 before the bytes go in; copyFile keeps the mode of a file that exists.
    createPrivate(partial);
    copyFileSync(backup, partial);
    fsyncPath(partial);
    let summary;
    try {
      summary = verifyDatabaseFile(partial);
    } catch (error) {
      throw new UsageError(`${backup}: ${(error as Error).message.replaceAll(partial, 'the copy')}`, { cause: error });
    }
    const aside = `${dbFile}.before-restore-${fileTime(Date.now())}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (!existsSync(dbFile + suffix)) continue;
      if (existsSync(aside + suffix)) throw new Error(`${aside + suffix} already exists; try again in a second`);
      renameSync(dbFile + suffix, aside + suffix);
      moved.push([dbFile + suffix, aside + suffix]);
    }
    renameSync(partial, dbFile);
    fsyncPath(dataDir);
    if (moved.length > 0) out(`moved the previous database aside to ${aside}`);
    out(
      `restored ${backup} into ${dbFile}: ${summary.communities} communities, ${summary.tokens} tokens, ` +
        `${summary.documents} documents`,
    );
  } catch (error) {
    // Put back whatever was moved aside, so a failed restore leaves the folder as it was.
    if (!existsSync(dbFile)) for (const [from, to] of moved.reverse()) renameSync(to, from);
    throw error;
  } finally {
    // Checking a copy of a WAL-mode file (sync.db copied by hand) leaves an empty -wal and a -shm beside it.
    for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  }
  const storage = new SqliteStorage(dbFile, { warn });
  try {
    const reapplied = storage.revocationsMerged + storage.mergeRevocations(currentRevocations);
    out(
      `re-applied ${reapplied} revocations made after the backup (from ${REVOCATIONS_FILE} and the previous database)`,
    );
  } finally {
    storage.close();
  }
  if (!existsSync(join(dataDir, KEY_FILE))) {
    out(`no ${KEY_FILE} in ${dataDir}: put the original back before starting the server (it signed every token)`);
  }
}

const isEntry = process.argv[1] !== undefined && /admin\.[cm]?[jt]s$/.test(process.argv[1]);
if (isEntry) {
  runAdmin(process.argv.slice(2), (line) => console.log(line)).catch((error: unknown) => {
    // One line: node's own parse errors run over several.
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    console.error(`sync-admin: ${message}`);
    process.exit(error instanceof UsageError || error instanceof TypeError ? 2 : 1);
  });
}
