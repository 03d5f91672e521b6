/**
 * Politeness under overload (docs/sync-server.md, "Close codes", 4529): while the event loop is behind by more than
 * `--busy-lag-ms`, or `--max-loading-documents` documents are loading (a restart storm), a new connection is opened
 * and closed at once with 4529 and a retry hint, instead of waiting on a stalled server; connections to documents in
 * memory, and every connection once the server has caught up, are served. The server runs in this process, so that
 * the test can stall its event loop and hold a document's load.
 */
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DB_FILE, loadOrCreateKey } from '../../../sync-server/auth';
import { parseServerConfig } from '../../../sync-server/config';
import { createLogger } from '../../../sync-server/logger';
import { startServer, type RunningServer } from '../../../sync-server/server';
import { SqliteStorage } from '../../../sync-server/storage/sqlite';
import type { DocumentStore } from '../../../sync-server/storage/types';
import { adminInProcess, issueToken, tempDataDir } from './harness';

const COMMUNITY = 'shunqing-xihe';

/** What became of a websocket: closed by the server (code, reason) or still open after `waitMs`. */
function attempt(url: string, waitMs = 500): Promise<{ open: boolean; code?: number; reason?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    let opened = false;
    const timer = setTimeout(() => {
      ws.removeAllListeners('close');
      ws.on('close', () => undefined);
      ws.close();
      resolve({ open: opened });
    }, waitMs);
    ws.on('open', () => (opened = true));
    ws.on('error', () => undefined);
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ open: false, code, reason: reason.toString() });
    });
  });
}

describe('a busy server refuses new connections with 4529 and a retry hint', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(
    args: string[],
    wrap: (store: SqliteStorage) => DocumentStore = (store) => store,
    log: Logger = createLogger('silent', 'sync-server'),
  ): Promise<{ server: RunningServer; url: (doc: string) => string }> {
    const data = tempDataDir();
    cleanups.push(data.cleanup);
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    const { token } = await issueToken(data.dir, 'li', COMMUNITY, 'editor');
    const sqlite = new SqliteStorage(join(data.dir, DB_FILE));
    const config = parseServerConfig(['--host', '127.0.0.1', '--port', '0', '--data', data.dir, ...args], {});
    const server = await startServer(config, {
      store: wrap(sqlite),
      registry: sqlite,
      key: loadOrCreateKey(data.dir),
      log,
    });
    cleanups.push(() => sqlite.close());
    cleanups.push(() => server.close());
    return { server, url: (doc) => `ws://127.0.0.1:${server.port}/${doc}?token=${token}` };
  }

  it('while the event loop is behind, then serves again once it has caught up', async () => {
    const { server, url } = await start(['--busy-lag-ms', '1000']);
    const doc = `${COMMUNITY}/cases/2026`;
    expect((await attempt(url(doc))).open).toBe(true);
    // A stall of 1.5 s (the loop of this process is the server's).
    const until = performance.now() + 1_500;
    while (performance.now() < until) {
      // busy
    }
    const refused = await attempt(url(doc));
    expect(refused.code).toBe(4529);
    expect(refused.reason).toMatch(/^server busy \(event loop \d+ ms behind\); retry in \d+ s$/);
    expect(server.metrics.authFailures.get('server-busy')).toBe(1);
    // Two whole seconds later the stall is out of the window.
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect((await attempt(url(doc))).open).toBe(true);
  });

  it('writes one warn line for a burst of refusals, with how many were refused since the last one', async () => {
    const lines: { level: number; msg: string; refusedSinceLastLine?: number }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line.trim() !== '') lines.push(JSON.parse(line) as (typeof lines)[number]);
        }
        done();
      },
    });
    const { server, url } = await start(['--busy-lag-ms', '1000'], undefined, pino({ level: 'warn' }, sink));
    const doc = `${COMMUNITY}/cases/2026`;
    expect((await attempt(url(doc))).open).toBe(true);
    const until = performance.now() + 1_500;
    while (performance.now() < until) {
      // busy
    }
    const refused = await Promise.all(Array.from({ length: 5 }, () => attempt(url(doc))));
    expect(refused.map((r) => r.code)).toEqual([4529, 4529, 4529, 4529, 4529]);
    expect(server.metrics.authFailures.get('server-busy')).toBe(5);
    const busyLines = lines.filter((line) => line.msg === 'connection refused: server busy');
    expect(busyLines).toHaveLength(1);
    expect(busyLines[0]?.refusedSinceLastLine).toBe(0);
  });

  it('while too many documents load at once, except for a document already loading or loaded', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = `${COMMUNITY}/meetings/2026`;
    const { url } = await start(['--max-loading-documents', '1'], (store) => {
      const wrapped: DocumentStore = Object.create(store) as DocumentStore;
      wrapped.load = async (name) => {
        if (name === slow) await held;
        return store.load(name);
      };
      return wrapped;
    });
    const first = attempt(url(slow), 3_000); // its load is held: one document loading
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await attempt(url(`${COMMUNITY}/tasks/2026`));
    expect(refused.code).toBe(4529);
    expect(refused.reason).toMatch(/^server busy \(1 documents loading\); retry in \d+ s$/);
    // Another device asking for the document being loaded waits for that same load: it is let in.
    const second = attempt(url(slow), 1_500);
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    expect((await first).open).toBe(true);
    expect((await second).open).toBe(true);
    expect((await attempt(url(`${COMMUNITY}/tasks/2026`))).open).toBe(true);
  });
});
