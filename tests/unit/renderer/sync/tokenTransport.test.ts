/**
 * The token never rides in a URL (proxies write URLs to their access logs): the websockets offer it in the
 * `Sec-WebSocket-Protocol` header (`tokenSubprotocols`), the token check sends it as `Authorization`. Checked against
 * a scripted websocket server, with `ws` as the WebSocket as in the sync-client tests.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { SYNC_SUBPROTOCOL, tokenSubprotocols } from '@shared/sync/protocol';
import { ROWS_PATH } from '@shared/sync/rowsSnapshot';
import { DocSync } from '../../../../renderer/sync/docSync';
import { SyncManager, type SecretStore } from '../../../../renderer/sync/manager';
import { docSyncHost, syncFrame, waitFor } from '../../../integration/sync-server/harness';
import { useTestStore } from '../storeFixture';

/** A JWT-shaped token; its signature part is long and recognisable, so it would show in any URL it leaked into. */
function jwt(payload: object): string {
  const part = (value: object) =>
    btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}.SECRET-signature_0123456789`;
}
const TOKEN = jwt({ jti: 'j1', sub: 'li', com: ['xihe'], role: 'editor', exp: 4e9, iat: 1 });

interface Upgrade {
  readonly url: string;
  readonly offered: string | undefined;
  readonly selected: string;
}

let wss: WebSocketServer | null = null;

afterEach(async () => {
  await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
  wss = null;
});

/** A server that records each upgrade and sends its (empty) sync-step-1, as the real one does on connect. */
async function recordingServer(): Promise<{ url: string; upgrades: Upgrade[] }> {
  const upgrades: Upgrade[] = [];
  // `ws` selects the first protocol offered unless told otherwise: here SYNC_SUBPROTOCOL, as the real server does.
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws, req: IncomingMessage) => {
    upgrades.push({ url: req.url ?? '', offered: req.headers['sec-websocket-protocol'], selected: ws.protocol });
    ws.send(syncFrame(0, Y.encodeStateVector(new Y.Doc())));
  });
  await new Promise((resolve) => wss?.once('listening', resolve));
  return { url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`, upgrades };
}

/** `ws` as the app's WebSocket, recording what each socket was opened with. */
function recordingWebSocket(opened: { url: string; protocols: unknown }[]): typeof globalThis.WebSocket {
  class Recording extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      opened.push({ url, protocols });
    }
  }
  return Recording as unknown as typeof globalThis.WebSocket;
}

describe('the sync token on the wire', () => {
  it('a document offers it as a subprotocol after SYNC_SUBPROTOCOL, and its URL does not hold it', async () => {
    const { url, upgrades } = await recordingServer();
    const opened: { url: string; protocols: unknown }[] = [];
    const host = docSyncHost(url, TOKEN, { WebSocketImpl: recordingWebSocket(opened) });
    const sync = new DocSync('xihe/registry', new Y.Doc(), { markers: {}, serverState: {}, lastFullSync: null }, host);
    sync.start();
    await waitFor(() => upgrades.length === 1, 5_000, 'the upgrade');
    await sync.stop();
    expect(opened).toHaveLength(1);
    expect(opened[0]?.protocols).toEqual(tokenSubprotocols(TOKEN));
    const [upgrade] = upgrades;
    expect(upgrade?.offered?.split(/,\s*/)).toEqual(tokenSubprotocols(TOKEN));
    expect(upgrade?.selected).toBe(SYNC_SUBPROTOCOL);
    expect(upgrade?.url).toBe('/xihe/registry?answer=gzip'); // the gzip answer param stays, the token is gone
    expect(opened[0]?.url).not.toContain(TOKEN.split('.')[2]);
  });

  const getStore = useTestStore();

  it('joining and syncing a community opens no URL that holds it; the check and the rows request send it as Authorization', async () => {
    const { url, upgrades } = await recordingServer();
    const opened: { url: string; protocols: unknown }[] = [];
    const fetched: { url: string; authorization: string | null }[] = [];
    const fetchImpl = vi.fn<typeof fetch>((input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      fetched.push({ url, authorization: new Headers(init?.headers).get('authorization') });
      const body = { role: 'editor', communities: ['xihe'], user: 'li' };
      return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
    });
    const secrets = new Map<string, string>();
    const secretStore: SecretStore = {
      storeSecret: (name, value) => Promise.resolve(void secrets.set(name, value)),
      loadSecret: (name) => Promise.resolve(secrets.get(name) ?? null),
      deleteSecret: (name) => Promise.resolve(void secrets.delete(name)),
    };
    const manager = new SyncManager(getStore(), secretStore, {
      WebSocketImpl: recordingWebSocket(opened),
      fetchImpl,
      isOnline: () => true,
      onOnlineChange: () => () => undefined,
      years: () => [2026],
    });
    await manager.start();
    expect(await manager.join(url, TOKEN)).toEqual({ ok: true, reload: false });
    // registry, cases/2026, meetings/2027, meetings/2026, tasks/2026
    await waitFor(() => upgrades.length >= 5, 5_000, 'every document connected');
    await manager.stop();

    const signature = TOKEN.split('.')[2] ?? TOKEN;
    // The token check when joining, and the registry's rows for its first sync (renderer/sync/firstRows.ts).
    expect(fetched.map((request) => new URL(request.url).pathname).sort()).toEqual(['/auth/check', ROWS_PATH].sort());
    for (const request of fetched) expect(request.authorization).toBe(`Bearer ${TOKEN}`);
    for (const { url: opening } of [...fetched, ...opened, ...upgrades]) {
      expect(opening).not.toContain(signature);
      expect(opening).not.toContain('token');
    }
    expect(opened.length).toBeGreaterThanOrEqual(5);
    for (const socket of opened) expect(socket.protocols).toEqual(tokenSubprotocols(TOKEN));
    for (const upgrade of upgrades) expect(upgrade.selected).toBe(SYNC_SUBPROTOCOL);
  });
});
