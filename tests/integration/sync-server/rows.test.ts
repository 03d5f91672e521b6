/**
 * A registry's rows for first syncs (docs/sync-server.md, "Rows for a first sync"), against the real server on both
 * engines: made at compaction (here: the compaction of an idle unload), served by `GET /rows` behind the websocket's
 * token check (another community's token 403, no token or a revoked one 401, a viewer only the masked copy's rows, in
 * which ID numbers and phones are masked), and equal to the rows a device projects from the document.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { updateResident } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { residentSearchKeys } from '@shared/domain/registry/searchKeys';
import {
  makeRowsSnapshot,
  parseRowsSnapshot,
  ROWS_FORMAT,
  rowsState,
  type RowsSnapshot,
} from '@shared/sync/rowsSnapshot';
import { listRecords } from '@shared/ydoc/registry';
import { runAdmin } from '../../../sync-server/admin';
import { enginesMissing, PostgresEngine } from '../cluster/engines';
import { makeCtx } from '../../unit/shared/domain/registry/fixtures';
import { connectProvider, ServerProcess, tempDataDir, waitFor, whenSynced } from './harness';

const COMMUNITY = 'shunqing-xihe';
const OTHER = 'shunqing-beihu';
const REGISTRY = `${COMMUNITY}/registry`;
const MASKED = `${COMMUNITY}/registry-masked`;

interface Engine {
  readonly server: ServerProcess;
  issue(user: string, role: 'viewer' | 'editor', community?: string): Promise<{ token: string; jti: string }>;
  revoke(jti: string): Promise<void>;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server process on SQLite, or on a private PostgreSQL, with the two communities; the registry is folded when idle. */
async function startEngine(kind: 'sqlite' | 'postgres'): Promise<Engine> {
  const data = tempDataDir();
  cleanups.push(data.cleanup);
  let extra: string[] = [];
  if (kind === 'postgres') {
    const postgres = await PostgresEngine.create();
    cleanups.push(() => postgres.destroy());
    extra = ['--postgres', postgres.url];
  }
  const admin = async (...args: string[]): Promise<string> => {
    const lines: string[] = [];
    await runAdmin(['--data', data.dir, ...extra, ...args], (line) => lines.push(line));
    return lines.join('\n');
  };
  await admin('community', 'add', COMMUNITY, '--name', '西河社区');
  await admin('community', 'add', OTHER, '--name', '北湖社区');
  const server = await ServerProcess.start(data.dir, [...extra, '--idle-unload-ms', '300']);
  cleanups.push(() => server.stop('SIGKILL'));
  return {
    server,
    async issue(user, role, community = COMMUNITY) {
      const out = await admin('token', 'issue', '--user', user, '--community', community, '--role', role);
      const jti = /issued token (\S+)/.exec(out)?.[1] ?? '';
      return { token: out.trim().split('\n').pop() ?? '', jti };
    },
    async revoke(jti) {
      await admin('token', 'revoke', jti);
    },
  };
}

function rowsUrl(server: ServerProcess, doc: string): string {
  return `http://127.0.0.1:${server.port}/rows?doc=${encodeURIComponent(doc)}`;
}

async function getRows(server: ServerProcess, doc: string, token: string | null): Promise<Response> {
  return fetch(rowsUrl(server, doc), token === null ? {} : { headers: { Authorization: `Bearer ${token}` } });
}

/** The rows once they cover `doc`'s state (the compaction of the idle unload has run and the rows are made). */
async function rowsCovering(server: ServerProcess, name: string, token: string, doc: Y.Doc): Promise<RowsSnapshot> {
  const wanted = Y.decodeStateVector(Y.encodeStateVector(doc));
  return waitFor(
    async () => {
      const response = await getRows(server, name, token);
      if (response.status !== 200) return undefined;
      expect(response.headers.get('x-rows-format')).toBe(String(ROWS_FORMAT));
      const rows = parseRowsSnapshot(await response.text(), name);
      if (rows === null) throw new Error('rows of another format or document');
      const have = rowsState(rows).snapshot.sv;
      return [...wanted].every(([client, clock]) => have.get(client) === clock) ? rows : undefined;
    },
    60_000,
    `rows of ${name}`,
  );
}

const sortById = <T extends { id: string }>(rows: readonly T[]): T[] =>
  [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));

function sameRows(served: RowsSnapshot, expected: RowsSnapshot): void {
  expect(served.total).toBe(expected.total);
  expect(served.head.map((row) => row.id)).toEqual(expected.head.map((row) => row.id));
  expect(served.residentBuckets.map(sortById)).toEqual(expected.residentBuckets.map(sortById));
  const key = (group: { collection: string; bucket: number }) => `${group.collection}|${group.bucket}`;
  const groups = (rows: RowsSnapshot) =>
    new Map(rows.recordBuckets.map((group) => [key(group), sortById(group.records as { id: string }[])]));
  expect(groups(served)).toEqual(groups(expected));
}

const missing = enginesMissing();

describe.each([
  ['sqlite', false],
  ['postgres', missing !== null],
] as const)('rows for first syncs (%s)', (kind, skip) => {
  it.skipIf(skip)(
    'are made at compaction, equal the projection of the document, and are served only as the socket would be',
    async () => {
      const engine = await startEngine(kind);
      const { server } = engine;
      const editor = await engine.issue('li', 'editor');
      const viewer = await engine.issue('zhao', 'viewer');
      const stranger = await engine.issue('wu', 'editor', OTHER);

      // Nothing compacted yet: no rows (the device syncs the document as before).
      expect((await getRows(server, REGISTRY, editor.token)).status).toBe(404);

      // A viewer first, so that the masked copy exists and follows the registry.
      const viewerDoc = new Y.Doc();
      const watching = connectProvider(server, MASKED, viewer.token, viewerDoc);
      await whenSynced(watching);
      const { doc } = generateDemoCommunity(17, { residents: 260, buildings: 5 });
      const provider = connectProvider(server, REGISTRY, editor.token, doc);
      await whenSynced(provider);
      const ctx = makeCtx({ user: 'li', device: 'desk', idPrefix: 'rows-' });
      const residents = listRecords(doc, 'residents');
      updateResident(doc, ctx, { id: residents[2]!.id, changes: { phone: '13900000002' } });
      updateResident(doc, ctx, { id: residents[5]!.id, changes: { householdId: residents[200]!.householdId } });
      await waitFor(() => listRecords(viewerDoc, 'residents').length === residents.length, 20_000, 'masked copy');
      await new Promise((resolve) => setTimeout(resolve, 300));
      provider.destroy();
      watching.destroy();

      // Made at the idle unload's compaction, covering every edit, as the device's projection of the document.
      const rows = await rowsCovering(server, REGISTRY, editor.token, doc);
      sameRows(rows, makeRowsSnapshot(doc, REGISTRY, residentSearchKeys));
      expect(rows.residentBuckets.flat().find((row) => row.id === residents[2]!.id)?.record.phone).toBe('13900000002');

      // The same check as the socket: another community's token, no token, a viewer asking for the full rows.
      const refused = async (doc: string, token: string | null) => {
        const response = await getRows(server, doc, token);
        const body = (await response.json()) as { reason: string };
        return [response.status, body.reason];
      };
      expect(await refused(REGISTRY, stranger.token)).toEqual([403, 'community-not-allowed']);
      expect(await refused(REGISTRY, null)).toEqual([401, 'no-token']);
      expect(await refused(REGISTRY, viewer.token)).toEqual([403, 'registry-masked-only']);
      expect(await refused(`${COMMUNITY}/cases/2026`, editor.token)).toEqual([404, 'no-rows-for-document']);

      // The viewer's rows are the masked copy's: the same residents, every ID number and phone masked.
      const masked = await rowsCovering(server, MASKED, viewer.token, viewerDoc);
      sameRows(masked, makeRowsSnapshot(viewerDoc, MASKED, residentSearchKeys));
      const maskedResidents = masked.residentBuckets.flat();
      expect(maskedResidents).toHaveLength(residents.length);
      for (const row of maskedResidents) {
        expect(String(row.record.idNumber)).toContain('*');
        if (typeof row.record.phone === 'string' && row.record.phone !== '') expect(row.record.phone).toContain('*');
      }
      // Nothing of the rows' values in the server's log.
      const logText = JSON.stringify(server.logs);
      expect(logText).not.toContain(residents[2]!.idNumber);
      expect(logText).not.toContain('13900000002');

      // A revoked token is refused.
      await engine.revoke(editor.jti);
      expect(await refused(REGISTRY, editor.token)).toEqual([401, 'token-revoked']);
    },
    180_000,
  );
});
