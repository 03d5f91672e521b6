/**
 * A busy server's 4529 names when to come back (`retry in N s`, sync-server/upgrade.ts): the document follows that
 * wait, not its backoff step (which grows to 8-16 s while the servers are down, docs/bench-cluster.md). Checked
 * against a scripted websocket server, with `ws` as the WebSocket as in the sync-client tests.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { CLOSE_CODES } from '@shared/sync/protocol';
import { BUSY_RETRY_MAX_MS, backoffDelay, busyRetryDelay } from '../../../../renderer/sync/backoff';
import { DocSync } from '../../../../renderer/sync/docSync';
import { docSyncHost, syncFrame, waitFor } from '../../../integration/sync-server/harness';

let wss: WebSocketServer | null = null;

afterEach(async () => {
  await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
  wss = null;
});

/** A server that refuses the first `busy` connections with 4529 and `reason`, then serves (its sync-step-1). */
async function busyServer(busy: number, reason: string): Promise<{ url: string; attempts: number[] }> {
  const attempts: number[] = [];
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws) => {
    attempts.push(performance.now());
    if (attempts.length <= busy) ws.close(CLOSE_CODES.SERVER_BUSY, reason);
    else ws.send(syncFrame(0, Y.encodeStateVector(new Y.Doc())));
  });
  await new Promise((resolve) => wss?.once('listening', resolve));
  return { url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`, attempts };
}

describe('busyRetryDelay', () => {
  it('reads the wait of the server’s reason, spread over up to a second, and nothing from other reasons', () => {
    expect(busyRetryDelay('server busy (restart storm); retry in 7 s', () => 0)).toBe(7_000);
    expect(busyRetryDelay('server busy (event loop behind); retry in 2 s', () => 0.5)).toBe(2_500);
    expect(busyRetryDelay('server busy (restart storm); retry in 99999 s', () => 0)).toBe(BUSY_RETRY_MAX_MS);
    expect(busyRetryDelay('answer not ready in time')).toBeNull();
    expect(busyRetryDelay('')).toBeNull();
  });
});

describe('a document refused by a busy server', () => {
  it('comes back after the wait the server named, though its backoff step is far longer', async () => {
    const { url, attempts } = await busyServer(2, 'server busy (restart storm); retry in 1 s');
    // A backoff step of 5 s or more: only the hint (1 s) can bring the document back twice within the wait below.
    const host = docSyncHost(url, 't', { backoffBaseMs: 120_000 });
    expect(backoffDelay(0, host.random, host.backoffBaseMs)).toBeGreaterThanOrEqual(5_000);
    const sync = new DocSync('xihe/registry', new Y.Doc(), { markers: {}, serverState: {}, lastFullSync: null }, host);
    sync.start();
    try {
      await waitFor(() => attempts.length === 3, 4_000, 'the third attempt');
      // Not sooner than the server asked, either.
      for (let i = 1; i < attempts.length; i++) {
        expect(attempts[i]! - attempts[i - 1]!).toBeGreaterThanOrEqual(950);
      }
      await waitFor(
        () => sync.status().connection === 'synced' || sync.status().connection === 'syncing',
        5_000,
        'connected',
      );
    } finally {
      await sync.stop();
    }
  });

  it('without a wait in the reason, goes on with its backoff', async () => {
    const { url, attempts } = await busyServer(1, 'answer not ready in time');
    const host = docSyncHost(url, 't', { backoffBaseMs: 120_000 });
    const sync = new DocSync('xihe/registry', new Y.Doc(), { markers: {}, serverState: {}, lastFullSync: null }, host);
    sync.start();
    try {
      await waitFor(() => attempts.length === 1, 5_000, 'the first attempt');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(attempts).toHaveLength(1);
      expect(sync.status().connection).toBe('connecting');
    } finally {
      await sync.stop();
    }
  });
});

/** A server that closes each document's first `failing` connections (1011: no hint), then answers it whole. */
async function failingServer(failing: number): Promise<{ url: string; attempts: Map<string, number[]> }> {
  const attempts = new Map<string, number[]>();
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws, req) => {
    const doc = new URL(req.url ?? '/', 'ws://x').pathname.slice(1);
    const times = attempts.get(doc) ?? [];
    times.push(performance.now());
    attempts.set(doc, times);
    if (times.length <= failing) ws.close(1011, 'restarting');
    else {
      ws.send(syncFrame(0, Y.encodeStateVector(new Y.Doc())));
      ws.send(syncFrame(1, Y.encodeStateAsUpdate(new Y.Doc())));
    }
  });
  await new Promise((resolve) => wss?.once('listening', resolve));
  return { url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`, attempts };
}

describe('a device whose server comes back', () => {
  it('retries its other documents within a second once one has synced again, not after their backoff steps', async () => {
    const { url, attempts } = await failingServer(1);
    const syncs = new Map<string, DocSync>();
    const serverReached = (name: string): void => {
      for (const [other, sync] of syncs) if (other !== name) sync.serverBack();
    };
    // The registry retries at once; the cases' backoff step is 5 s or more: only the nudge brings them back within
    // the wait below.
    const quick = docSyncHost(url, 't', { backoffBaseMs: 50, serverReached });
    const slow = docSyncHost(url, 't', { backoffBaseMs: 120_000, serverReached });
    const registry = new DocSync(
      'xihe/registry',
      new Y.Doc(),
      { markers: {}, serverState: {}, lastFullSync: null },
      quick,
    );
    const cases = new DocSync(
      'xihe/cases-2026',
      new Y.Doc(),
      { markers: {}, serverState: {}, lastFullSync: null },
      slow,
    );
    syncs.set('xihe/registry', registry);
    syncs.set('xihe/cases-2026', cases);
    try {
      for (const sync of syncs.values()) sync.start();
      await waitFor(() => registry.status().connection === 'synced', 5_000, 'the registry synced');
      await waitFor(() => cases.status().connection === 'synced', 2_500, 'the cases synced after the nudge');
      expect(attempts.get('xihe/registry')).toHaveLength(2);
      expect(attempts.get('xihe/cases-2026')).toHaveLength(2);
    } finally {
      for (const sync of syncs.values()) await sync.stop();
    }
  });

  it('keeps the wait a busy server named', async () => {
    const { url, attempts } = await busyServer(1, 'server busy (restart storm); retry in 3 s');
    const host = docSyncHost(url, 't', { backoffBaseMs: 120_000 });
    const sync = new DocSync('xihe/registry', new Y.Doc(), { markers: {}, serverState: {}, lastFullSync: null }, host);
    sync.start();
    try {
      await waitFor(() => attempts.length === 1, 5_000, 'the first attempt');
      await waitFor(() => sync.status().connection === 'connecting');
      sync.serverBack();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(attempts).toHaveLength(1);
      await waitFor(() => attempts.length === 2, 5_000, 'the attempt after the named wait');
      expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(2_950);
    } finally {
      await sync.stop();
    }
  });
});
