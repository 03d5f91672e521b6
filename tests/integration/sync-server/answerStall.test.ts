/**
 * A device is never stalled by its answers (docs/sync-server.md, "Answers that do not come"): an answer worker that
 * hangs is terminated after `--answer-timeout-ms` and started again, the answer it owed is asked of the new worker,
 * and the token's other connections, parked behind that answer (one in flight per token), are answered afterwards.
 * The server runs in this process, so that the test can make its worker hang (`AnswerPool`'s test hook).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { isSavedOnServer } from '@shared/sync/protocol';
import { AnswerPool } from '../../../sync-server/answers';
import { DB_FILE, loadOrCreateKey } from '../../../sync-server/auth';
import { parseServerConfig } from '../../../sync-server/config';
import { rebuildDoc } from '../../../sync-server/docState';
import { createLogger } from '../../../sync-server/logger';
import { startServer, type RunningServer } from '../../../sync-server/server';
import { SqliteStorage } from '../../../sync-server/storage/sqlite';
import { SERVER_STAMP } from '../../../sync-server/storage/types';
import { adminInProcess, issueToken, tempDataDir, waitFor, whenSynced } from './harness';

const COMMUNITY = 'shunqing-xihe';
/** A device's documents: 15 yearly meeting documents (any names the server accepts would do). */
const DOCS = Array.from({ length: 15 }, (_, i) => `${COMMUNITY}/meetings/${2010 + i}`);
/** More structs than the server answers on its event loop (answering.ts, CHEAP_ANSWER_STRUCTS): a worker answers. */
const STRUCTS = 2_500;
/**
 * `--answer-timeout-ms` where a worker is made to hang: short, yet far above what answering 2,500 structs takes even
 * on this loaded machine. Elsewhere the default (30 s) is kept.
 */
const STALL_TIMEOUT_MS = 4_000;

interface Running {
  readonly server: RunningServer;
  readonly store: SqliteStorage;
  readonly answers: AnswerPool;
  readonly tokens: { readonly b: string; readonly a: string };
}

/** An update adding `count` entries to the map `seed` (one struct each: distinct keys never merge). */
function structs(prefix: string, count: number): Uint8Array {
  const doc = new Y.Doc();
  const map = doc.getMap<number>('seed');
  doc.transact(() => {
    for (let i = 0; i < count; i++) map.set(`${prefix}${i}`, i);
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

describe('answers that do not come', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(timeoutMs?: number): Promise<Running> {
    const data = tempDataDir();
    cleanups.push(data.cleanup);
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    const b = await issueToken(data.dir, 'yi', COMMUNITY, 'editor');
    const a = await issueToken(data.dir, 'jia', COMMUNITY, 'editor');
    const store = new SqliteStorage(join(data.dir, DB_FILE), { syncMode: 'normal' });
    for (const name of DOCS) await store.append(name, structs(`${name}:`, STRUCTS), SERVER_STAMP);
    const timeout = timeoutMs === undefined ? [] : ['--answer-timeout-ms', String(timeoutMs)];
    const config = parseServerConfig(['--host', '127.0.0.1', '--port', '0', '--data', data.dir, ...timeout], {});
    const log = createLogger('error', 'sync-server');
    const answers = new AnswerPool(1, log, { timeoutMs: config.answerTimeoutMs, testHooks: true });
    const server = await startServer(config, { store, registry: store, key: loadOrCreateKey(data.dir), log, answers });
    cleanups.push(() => store.close());
    cleanups.push(() => server.close());
    return { server, store, answers, tokens: { b: b.token, a: a.token } };
  }

  function connect(running: Running, name: string, token: string, doc: Y.Doc): WebsocketProvider {
    const provider = new WebsocketProvider(`ws://127.0.0.1:${running.server.port}`, name, doc, {
      params: { token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 200,
    });
    cleanups.push(() => provider.destroy());
    return provider;
  }

  /** A device's document holding an edit of its own (so its sync-step-1 names a client: no cached answer). */
  function withEdit(key: string): Y.Doc {
    const doc = new Y.Doc();
    doc.getMap<string>('edits').set(key, 'pending');
    return doc;
  }

  /** What storage holds for a document, as a document. */
  function stored(running: Running, name: string): Y.Doc {
    return rebuildDoc(running.store.loadSync(name).updates, () => undefined).ydoc;
  }

  /** Every edit of the device is stored, and the device holds all that the server held when it answered. */
  function expectSaved(running: Running, name: string, local: Y.Doc, structsFromServer: number): void {
    const server = stored(running, name);
    expect(
      isSavedOnServer(
        Y.decodeStateVector(Y.encodeStateVector(local)),
        Y.decodeStateVector(Y.encodeStateVector(server)),
      ),
    ).toBe(true);
    expect(server.getMap('edits').toJSON()).toEqual(local.getMap('edits').toJSON());
    expect(local.getMap('seed').size).toBe(structsFromServer);
    server.destroy();
  }

  it('restarts a worker that hangs, answers its answer again, then the device’s other documents', async () => {
    const running = await start(STALL_TIMEOUT_MS);
    // The worker hangs (for two minutes: longer than the test) before any document reaches it.
    running.answers.stallForTest(120_000);
    const devices = DOCS.map((name) => {
      const local = withEdit(`b:${name}`);
      return { name, local, provider: connect(running, name, running.tokens.b, local) };
    });
    // One answer of the token goes to the hung worker; the other 14 wait behind it. All are answered.
    await Promise.all(devices.map(({ provider }) => whenSynced(provider, 60_000)));
    for (const { name, local } of devices) {
      await waitFor(() => stored(running, name).getMap('edits').size === 1, 10_000, `edit of ${name} stored`);
      expectSaved(running, name, local, STRUCTS);
    }
    const metrics = running.server.metrics;
    // The hung worker's request timed out (once, unless the loaded machine made a restarted worker slow too).
    expect(running.answers.timeouts).toBeGreaterThanOrEqual(1);
    expect(metrics.answerTimeouts.get()).toBe(running.answers.timeouts);
    // The answer the hung worker owed was asked of the restarted one and answered.
    expect(metrics.answerRetries.get('answered')).toBeGreaterThanOrEqual(1);
    expect(metrics.closes.get('4500')).toBe(0);
  }, 120_000);

  it('answers and acknowledges a reconnect of 15 documents under one token, each with edits pending', async () => {
    const running = await start();
    const devices = DOCS.map((name) => {
      const local = withEdit(`b:${name}:before`);
      return { name, local, provider: connect(running, name, running.tokens.b, local) };
    });
    await Promise.all(devices.map(({ provider }) => whenSynced(provider, 60_000)));
    // Device B goes offline and writes on each document; device A writes more than a cheap answer on each.
    for (const device of devices) device.provider.disconnect();
    for (const { name, local } of devices) {
      local.getMap<string>('edits').set(`b:${name}:offline`, 'pending');
      local.getMap<string>('edits').set(`b:${name}:offline-2`, 'pending');
    }
    await Promise.all(
      DOCS.map(async (name) => {
        const other = new Y.Doc();
        const provider = connect(running, name, running.tokens.a, other);
        await whenSynced(provider, 60_000);
        other.transact(() => {
          for (let i = 0; i < STRUCTS; i++) other.getMap<number>('seed').set(`a:${i}`, i);
        });
        await waitFor(() => stored(running, name).getMap('seed').size === 2 * STRUCTS, 30_000, `A's edits of ${name}`);
        provider.destroy();
      }),
    );
    // Back online: 15 sockets of one token at once, each owed an answer of 2,500 structs from the worker.
    for (const device of devices) device.provider.connect();
    await Promise.all(devices.map(({ provider }) => whenSynced(provider, 60_000)));
    for (const { name, local } of devices) {
      await waitFor(() => stored(running, name).getMap('edits').size === 3, 10_000, `B's edits of ${name} stored`);
      expectSaved(running, name, local, 2 * STRUCTS);
    }
    expect(running.server.metrics.answerTimeouts.get()).toBe(0);
    expect(running.server.metrics.closes.get('4529')).toBe(0);
  }, 180_000);
});
