/**
 * The keepalive (sync-server/server.ts, docs/sync-server.md "Keepalive"): a stock y-websocket client closes a socket
 * that received nothing for 30 s, so a viewer (the server relays it no awareness) or a client that keeps no presence
 * reconnected every 30 s to a quiet document. A connection quiet for `--keepalive-ms` now gets an empty awareness
 * message: the client counts it as received, and it changes nobody's presence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { adminInProcess, connectProvider, issueToken, ServerProcess, tempDataDir, whenSynced } from './harness';

const COMMUNITY = 'shunqing-xihe';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Quiet sockets of a viewer and of an editor without presence, synced; closes counted. */
async function quietClients(server: ServerProcess, dataDir: string) {
  const viewerToken = (await issueToken(dataDir, 'leader', COMMUNITY, 'viewer')).token;
  const editorToken = (await issueToken(dataDir, 'editor', COMMUNITY, 'editor')).token;
  const viewer = connectProvider(server, `${COMMUNITY}/tasks-masked/2026`, viewerToken);
  const editor = connectProvider(server, `${COMMUNITY}/meetings/2026`, editorToken);
  editor.awareness.setLocalState(null);
  await Promise.all([whenSynced(viewer), whenSynced(editor)]);
  const closes = { count: 0 };
  for (const provider of [viewer, editor]) provider.on('connection-close', () => closes.count++);
  return { providers: [viewer, editor], closes };
}

function release(providers: readonly WebsocketProvider[]): void {
  for (const provider of providers) {
    provider.destroy();
    provider.doc.destroy();
  }
}

describe('keepalive of quiet connections', () => {
  const data = tempDataDir();
  let fast: ServerProcess;
  let off: ServerProcess;

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    [fast, off] = await Promise.all([
      ServerProcess.start(data.dir, ['--keepalive-ms', '200']),
      ServerProcess.start(data.dir, ['--keepalive-ms', '0']),
    ]);
  });

  afterAll(async () => {
    await Promise.all([fast.stop(), off.stop()]);
    data.cleanup();
  });

  it('a quiet viewer and a quiet editor keep hearing from the server, and nobody’s presence changes', async () => {
    const { providers, closes } = await quietClients(fast, data.dir);
    try {
      const before = providers.map((provider) => provider.wsLastMessageReceived);
      const presence = providers.map((provider) => [...provider.awareness.getStates().keys()]);
      await sleep(1_000);
      providers.forEach((provider, i) => {
        expect(provider.wsLastMessageReceived).toBeGreaterThan(before[i]!);
        expect(provider.wsconnected).toBe(true);
        expect([...provider.awareness.getStates().keys()]).toEqual(presence[i]);
      });
      expect(closes.count).toBe(0);
    } finally {
      release(providers);
    }
  });

  it('with --keepalive-ms 0 a quiet connection hears nothing (what made clients reconnect every 30 s)', async () => {
    const { providers } = await quietClients(off, data.dir);
    try {
      const before = providers.map((provider) => provider.wsLastMessageReceived);
      await sleep(1_000);
      providers.forEach((provider, i) => expect(provider.wsLastMessageReceived).toBe(before[i]));
    } finally {
      release(providers);
    }
  });
});
