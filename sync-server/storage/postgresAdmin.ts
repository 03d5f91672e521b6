/**
 * `sync-admin --postgres <url> <command>`: the admin commands on the PostgreSQL of several nodes (storage/postgres.ts).
 * The token signing key is still read from (or created in) `--data`: every node and the admin CLI must hold the same
 * `signing.key` (docs/sync-server.md, "Several nodes: PostgreSQL and Redis"). Backups are PostgreSQL's (`pg_dump`),
 * so `backup` and `restore` are refused here with a pointer.
 *
 * Revocations are kept outside the database as on SQLite: `token revoke` appends to `--data`'s `revocations.jsonl`
 * (revocations.ts) before it updates PostgreSQL, and every command re-applies that file when it connects, so a
 * database put back with `pg_restore` from before a revocation gets it again at the next `sync-admin --postgres`
 * command (run one before starting the nodes). Where the file does not exist yet, the first command writes the
 * database's revocations into it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isRole } from '@shared/sync/protocol';
import { isCommunityId, parseDocName, YEARLY_COLLECTIONS } from '@shared/ydoc/docName';
import { loadOrCreateKey, signToken } from '../auth';
import { appendRevocation, appendRevocations, readRevocations, REVOCATIONS_FILE } from '../revocations';
import { PostgresStorage, type AttemptRow } from './postgres';

export interface PostgresAdminRequest {
  readonly url: string;
  readonly dataDir: string;
  readonly command: string;
  readonly arg: string | undefined;
  readonly values: {
    readonly name?: string;
    readonly user?: string;
    readonly community?: string;
    readonly role?: string;
    readonly days?: string;
    readonly limit?: string;
  };
  /** Makes the error the CLI reports as wrong usage (exit code 2). */
  readonly usage: (message: string) => Error;
}

const DEFAULT_DAYS = 365;
const DEFAULT_LIMIT = 100;

const formatTime = (ms: number | null): string =>
  ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

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

function attemptTable(rows: readonly AttemptRow[], withDoc: boolean): string {
  return table([
    ['TIME', ...(withDoc ? ['DOCUMENT'] : []), 'TOKEN-ID', 'USER', 'KIND', 'DETAIL'],
    ...rows.map((a) => [new Date(a.at).toISOString(), ...(withDoc ? [a.doc] : []), a.jti, a.user, a.kind, a.detail]),
  ]);
}

const warn = (message: string): void => console.error(`sync-admin: warning: ${message}`);

/**
 * Re-applies `<dataDir>/revocations.jsonl` to PostgreSQL (a database restored from before a revocation gets it
 * again), or, where the file does not exist yet but the data folder does, starts it with the database's revocations.
 */
async function keepRevocations(
  storage: PostgresStorage,
  dataDir: string,
  out: (line: string) => void,
  onWarning: (message: string) => void,
): Promise<void> {
  const file = join(dataDir, REVOCATIONS_FILE);
  if (existsSync(file)) {
    const reapplied = await storage.mergeRevocations(readRevocations(file, onWarning));
    if (reapplied > 0) out(`re-applied ${reapplied} revocations from ${file} that the database lacked`);
    return;
  }
  if (!existsSync(dataDir)) return;
  const revoked = await storage.revocations();
  if (revoked.length > 0) appendRevocations(dataDir, revoked);
}

export async function runPostgresAdmin(request: PostgresAdminRequest, out: (line: string) => void): Promise<void> {
  const { command, arg, values, usage } = request;
  if (command === 'backup' || command === 'restore') {
    throw usage(`${command} is PostgreSQL's own with --postgres: use pg_dump / pg_restore (docs/sync-server.md)`);
  }
  const known = [
    'community add',
    'community list',
    'token issue',
    'token list',
    'token revoke',
    'history',
    'attempts',
    'stats',
  ];
  if (!known.includes(command)) throw usage(`"${command}" is not available with --postgres (${known.join(', ')})`);
  const limit = (): number => {
    const n = values.limit === undefined ? DEFAULT_LIMIT : Number(values.limit);
    if (!Number.isInteger(n) || n <= 0)
      throw usage(`--limit must be a positive whole number, got "${values.limit ?? ''}"`);
    return n;
  };
  const storage = await PostgresStorage.open(request.url, { poolSize: 1 });
  try {
    await keepRevocations(storage, request.dataDir, out, warn);
    switch (command) {
      case 'community add': {
        if (arg === undefined) throw usage('community add needs an id: community add <id> --name <name>');
        if (!isCommunityId(arg)) {
          throw usage(`invalid community id "${arg}": use 2-40 lower-case letters, digits and dashes`);
        }
        const name = values.name?.trim();
        if (name === undefined || name === '') throw usage('community add needs --name <name>');
        if ((await storage.listCommunities()).some((c) => c.id === arg)) {
          throw usage(`community "${arg}" already exists`);
        }
        await storage.addCommunity(arg, name);
        out(`added community ${arg} (${name})`);
        return;
      }
      case 'community list': {
        const rows = await storage.listCommunities();
        out(table([['ID', 'NAME', 'CREATED'], ...rows.map((c) => [c.id, c.name, formatTime(c.createdAt)])]));
        out(`${rows.length} communities`);
        return;
      }
      case 'token issue': {
        const user = values.user?.trim();
        if (user === undefined || user === '') throw usage('token issue needs --user <name>');
        const communities = (values.community ?? '')
          .split(',')
          .map((c) => c.trim())
          .filter((c) => c !== '');
        if (communities.length === 0) throw usage('token issue needs --community <id>[,<id>...]');
        const role = values.role ?? '';
        if (!isRole(role)) throw usage(`--role must be editor, viewer or admin, got "${role}"`);
        const days = values.days === undefined ? DEFAULT_DAYS : Number(values.days);
        if (!Number.isFinite(days) || days <= 0) {
          throw usage(`--days must be a positive number, got "${values.days ?? ''}"`);
        }
        const registered = new Set((await storage.listCommunities()).map((c) => c.id));
        const unknown = communities.filter((c) => !registered.has(c));
        if (unknown.length > 0) {
          throw usage(
            `unknown community ${unknown.map((c) => `"${c}"`).join(', ')}; add it with "community add" first`,
          );
        }
        const key = loadOrCreateKey(request.dataDir);
        const issuedAt = Math.floor(Date.now() / 1000);
        const expiresAt = issuedAt + Math.max(1, Math.ceil(days * 86_400));
        const { token, jti } = await signToken(key, { user, communities, role, issuedAt, expiresAt });
        await storage.insertToken({
          jti,
          user,
          communities,
          role,
          issuedAt: issuedAt * 1000,
          expiresAt: expiresAt * 1000,
        });
        out(
          `issued token ${jti} to ${user}: ${role} of ${communities.join(',')}, expires ${formatTime(expiresAt * 1000)}`,
        );
        out(token);
        return;
      }
      case 'token list': {
        const now = Date.now();
        const rows = (await storage.listTokens()).map((t) => [
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
      }
      case 'token revoke': {
        if (arg === undefined) throw usage('token revoke needs a token id (see "token list")');
        if ((await storage.getToken(arg)) === undefined) throw usage(`no token with id "${arg}"`);
        const revokedAt = Date.now();
        // The file first, as on SQLite: should the database update fail, the next command re-applies it.
        mkdirSync(request.dataDir, { recursive: true, mode: 0o700 });
        appendRevocation(request.dataDir, { jti: arg, revokedAt });
        await storage.revokeToken(arg, revokedAt);
        out(`revoked token ${arg}; open connections using it are closed within seconds`);
        return;
      }
      case 'history': {
        if (arg === undefined || parseDocName(arg) === null) {
          throw usage(
            `history needs a document name: <community>/registry or <community>/${YEARLY_COLLECTIONS.join('|')}/<year>`,
          );
        }
        const n = limit();
        const { rows, total } = await storage.history(arg, n);
        out(
          table([
            ['SEQ', 'TIME', 'TOKEN-ID', 'USER', 'BYTES'],
            ...rows.map((r) => [String(r.seq), formatTime(r.at), r.jti, r.user, String(r.bytes)]),
          ]),
        );
        out(`${rows.length} of ${total} stored updates of ${arg}`);
        const attempts = await storage.attempts(arg, n);
        if (attempts.total > 0) {
          out('');
          out(attemptTable(attempts.rows, false));
          out(`${attempts.rows.length} of ${attempts.total} guard attempts on ${arg}`);
        }
        return;
      }
      case 'attempts': {
        if (arg !== undefined && parseDocName(arg) === null) {
          throw usage(
            `invalid document name "${arg}": use <community>/registry or <community>/${YEARLY_COLLECTIONS.join('|')}/<year>`,
          );
        }
        const doc = arg ?? null;
        const attempts = await storage.attempts(doc, limit());
        out(attemptTable(attempts.rows, doc === null));
        out(`${attempts.rows.length} of ${attempts.total} guard attempts${doc === null ? '' : ` on ${doc}`}`);
        return;
      }
      case 'stats': {
        const docs = await storage.documentStats();
        out(
          table([
            ['DOCUMENT', 'SNAPSHOT-BYTES', 'LOG-ENTRIES', 'LOG-BYTES'],
            ...docs.map((d) => [d.doc, String(d.snapshotBytes), String(d.logEntries), String(d.logBytes)]),
          ]),
        );
        const total = docs.reduce((sum, d) => sum + d.snapshotBytes + d.logBytes, 0);
        out(`documents: ${docs.length}, bytes stored: ${total} (on disk with indexes: ${await storage.bytesStored()})`);
        const statuses = await storage.readStatuses();
        out(
          table([
            ['NODE', 'PID', 'STARTED', 'HEARTBEAT', 'CONNECTIONS', 'DOCUMENTS'],
            ...statuses.map((s) => [
              s.address,
              String(s.pid),
              formatTime(s.startedAt),
              formatTime(s.updatedAt),
              String(s.connections),
              String(s.documentsLoaded),
            ]),
          ]),
        );
        out(`${statuses.length} nodes have written a heartbeat`);
        return;
      }
    }
  } finally {
    await storage.close();
  }
}
