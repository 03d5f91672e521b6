/**
 * `sync-admin --postgres <url> <command>`: the admin commands on the PostgreSQL of several nodes (storage/postgres.ts).
 * The token signing key is still read from (or created in) `--data`: every node and the admin CLI must hold the same
 * `signing.key` (docs/sync-server.md, "Several nodes: PostgreSQL and Redis"). Backups are PostgreSQL's (`pg_dump`),
 * so `backup` and `restore` are refused here with a pointer; `attempts` is not carried over yet.
 */
import { isRole } from '@shared/sync/protocol';
import { isCommunityId, parseDocName, YEARLY_COLLECTIONS } from '@shared/ydoc/docName';
import { loadOrCreateKey, signToken } from '../auth';
import { PostgresStorage } from './postgres';

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

export async function runPostgresAdmin(request: PostgresAdminRequest, out: (line: string) => void): Promise<void> {
  const { command, arg, values, usage } = request;
  if (command === 'backup' || command === 'restore') {
    throw usage(`${command} is PostgreSQL's own with --postgres: use pg_dump / pg_restore (docs/sync-server.md)`);
  }
  const known = ['community add', 'community list', 'token issue', 'token list', 'token revoke', 'history', 'stats'];
  if (!known.includes(command)) throw usage(`"${command}" is not available with --postgres (${known.join(', ')})`);
  const storage = await PostgresStorage.open(request.url, { poolSize: 1 });
  try {
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
        if (!(await storage.revokeToken(arg, Date.now()))) throw usage(`no token with id "${arg}"`);
        out(`revoked token ${arg}; open connections using it are closed within seconds`);
        return;
      }
      case 'history': {
        if (arg === undefined || parseDocName(arg) === null) {
          throw usage(
            `history needs a document name: <community>/registry or <community>/${YEARLY_COLLECTIONS.join('|')}/<year>`,
          );
        }
        const limit = values.limit === undefined ? DEFAULT_LIMIT : Number(values.limit);
        if (!Number.isInteger(limit) || limit <= 0) {
          throw usage(`--limit must be a positive whole number, got "${values.limit ?? ''}"`);
        }
        const { rows, total } = await storage.history(arg, limit);
        out(
          table([
            ['SEQ', 'TIME', 'TOKEN-ID', 'USER', 'BYTES'],
            ...rows.map((r) => [String(r.seq), formatTime(r.at), r.jti, r.user, String(r.bytes)]),
          ]),
        );
        out(`${rows.length} of ${total} stored updates of ${arg}`);
        return;
      }
      case 'stats': {
        const statuses = await storage.readStatuses();
        out(`bytes stored: ${await storage.bytesStored()}`);
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
