/**
 * An older app's pieces (clients smallest first, shared/sync/chunks.ts `inYjsOrder`) sent to the server: stored in
 * Yjs's order, so that the log's merge when the document loads again loses nothing (docs/sync-server.md, "Updates in
 * another order"). The server is killed (no compaction at exit) so that the next start merges the log itself.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { encodeStateAsUpdates } from '@shared/sync/chunks';
import { DB_FILE } from '../../../sync-server/auth';
import { SqliteStorage } from '../../../sync-server/storage/sqlite';
import { SERVER_STAMP } from '../../../sync-server/storage/types';
import { inOldOrder, threeDevices } from '../../fixtures/sync/oldOrder';
import {
  adminInProcess,
  connectProvider,
  docUrl,
  issueToken,
  RawClient,
  ServerProcess,
  syncFrame,
  tempDataDir,
  waitFor,
  whenSynced,
} from './harness';

const COMMUNITY = 'shunqing-xihe';
/** y-protocols' update message. */
const SYNC_UPDATE = 2;

describe('updates in another order than Yjs writes them', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let token: string;
  const providers: WebsocketProvider[] = [];

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    token = (await issueToken(data.dir, 'editor', COMMUNITY, 'editor')).token;
    server = await ServerProcess.start(data.dir, ['--compact-after', '1000', '--log-level', 'debug']);
  });

  afterAll(async () => {
    for (const provider of providers) provider.destroy();
    await server.stop('SIGKILL');
    data.cleanup();
  });

  it("are stored in Yjs's order, and the document loads whole after a kill", async () => {
    const docName = `${COMMUNITY}/meetings/2026`;
    const source = threeDevices();
    const pieces = encodeStateAsUpdates(source, new Map(), 2_000).map(inOldOrder);
    expect(pieces.length).toBeGreaterThan(2);
    const raw = await RawClient.open(docUrl(server, docName, token));
    for (const piece of pieces) raw.send(syncFrame(SYNC_UPDATE, piece));
    const reader = connectProvider(server, docName, token);
    providers.push(reader);
    await whenSynced(reader);
    await waitFor(
      () => JSON.stringify(reader.doc.getMap('m').toJSON()) === JSON.stringify(source.getMap('m').toJSON()),
    );
    await waitFor(() => server.logs.some((line) => line.msg === 'update written again in Yjs order'));
    raw.ws.close();
    reader.destroy();

    await server.stop('SIGKILL');
    server = await ServerProcess.start(data.dir, ['--compact-after', '1000']);
    const fresh = connectProvider(server, docName, token);
    providers.push(fresh);
    await whenSynced(fresh);
    expect(fresh.doc.getMap('m').toJSON()).toEqual(source.getMap('m').toJSON());
    expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(source));
  });

  it('a log an older server stored in the old order loads whole', async () => {
    const docName = `${COMMUNITY}/meetings/2025`;
    const source = threeDevices();
    await server.stop('SIGKILL');
    const storage = new SqliteStorage(join(data.dir, DB_FILE));
    for (const piece of encodeStateAsUpdates(source, new Map(), 2_000).map(inOldOrder))
      await storage.append(docName, piece, SERVER_STAMP);
    storage.close();
    server = await ServerProcess.start(data.dir, ['--compact-after', '1000']);
    const fresh = connectProvider(server, docName, token);
    providers.push(fresh);
    await whenSynced(fresh);
    expect(fresh.doc.getMap('m').toJSON()).toEqual(source.getMap('m').toJSON());
    expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(source));
    // The server's warning (its stdout may come after the answer).
    await waitFor(() => server.logs.some((line) => line.msg.startsWith('stored log entries read in another order')));
  });
});
