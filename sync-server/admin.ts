/**
 * `npm run sync-admin -- --data <dir> <command>`: district IT's tool. It opens the same SQLite file as the running
 * server (WAL; safe from two processes). Errors print one line to stderr and exit non-zero.
 *
 *   community add <id> --name <name>     register a community
 *   community list
 *   token issue --user <name> --community <id>[,<id>...] --role editor|viewer|admin [--days N]
 *                                        prints the token alone on the last line of stdout
 *   token list
 *   token revoke <token-id>              refused at once, also on open sockets (the server polls)
 *   backup <file>                        consistent copy while the server runs
 *   stats                                documents, sizes, connections
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isRole } from '@shared/sync/protocol';
import { isCommunityId } from '@shared/ydoc/docName';
import { DB_FILE, loadOrCreateKey, signToken } from './auth';
import { SqliteStorage } from './storage/sqlite';

class UsageError extends Error {}

const USAGE = `usage: sync-admin [--data <dir>] <command>
  community add <id> --name <name>
  community list
  token issue --user <name> --community <id>[,<id>...] --role editor|viewer|admin [--days N]
  token list
  token revoke <token-id>
  backup <file>
  stats`;

const DEFAULT_DAYS = 365;

function formatTime(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
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
      name: { type: 'string' },
      user: { type: 'string' },
      community: { type: 'string' },
      role: { type: 'string' },
      days: { type: 'string' },
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

  const open = (): SqliteStorage => {
    // Creating the key here too: whichever of server and admin CLI runs first makes it (mode 0600).
    loadOrCreateKey(dataDir);
    return new SqliteStorage(join(dataDir, DB_FILE));
  };

  const key = command === 'backup' || command === 'stats' ? command : `${command ?? ''} ${sub ?? ''}`.trim();
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
        if (!storage.revokeToken(arg, Date.now())) throw new UsageError(`no token with id "${arg}"`);
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
      if (!existsSync(join(dataDir, DB_FILE))) throw new UsageError(`no database in ${dataDir}`);
      const storage = new SqliteStorage(join(dataDir, DB_FILE));
      try {
        await storage.backup(sub);
      } finally {
        storage.close();
      }
      out(`backup written to ${sub} (keep ${join(dataDir, 'signing.key')} safe too; it never changes)`);
      return;
    }
    case 'stats': {
      extra(1);
      if (!existsSync(join(dataDir, DB_FILE))) throw new UsageError(`no database in ${dataDir}`);
      const storage = new SqliteStorage(join(dataDir, DB_FILE));
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
        const status = storage.readStatus();
        // The server writes its heartbeat every few seconds; an old one means it is not running.
        if (status !== undefined && Date.now() - status.updatedAt < 30_000) {
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

const isEntry = process.argv[1] !== undefined && /admin\.[cm]?[jt]s$/.test(process.argv[1]);
if (isEntry) {
  runAdmin(process.argv.slice(2), (line) => console.log(line)).catch((error: unknown) => {
    // One line: node's own parse errors run over several.
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    console.error(`sync-admin: ${message}`);
    process.exit(error instanceof UsageError || error instanceof TypeError ? 2 : 1);
  });
}
