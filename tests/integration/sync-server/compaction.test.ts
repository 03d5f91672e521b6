/**
 * Compaction off the event loop (docs/sync-server.md, "Compaction off the event loop"): the snapshot of a big
 * document is encoded by its answer worker's replica as of the last stored update, while updates keep arriving; none
 * is lost, and a worker that dies is replaced by an encoding on the event loop. The server runs in this process, so
 * that the test measures its event loop (`monitorEventLoopDelay`) and can stop its worker.
 */
import { join } from 'node:path';
import * as encoding from 'lib0/encoding';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
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
const REGISTRY = `${COMMUNITY}/registry`;
/** 10,000 residents: 5 MB as one update, a few hundred milliseconds to encode on a loaded 2-core machine. */
const RESIDENTS = 10_000;

interface Running {
  readonly server: RunningServer;
  readonly store: SqliteStorage;
  readonly answers: AnswerPool;
  readonly token: string;
  readonly dir: string;
}

describe('compaction of a big document', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A server in this process on a fresh data folder holding a generated registry of `RESIDENTS`. */
  async function start(compactAfter: number): Promise<Running> {
    const data = tempDataDir();
    cleanups.push(data.cleanup);
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    const { token } = await issueToken(data.dir, 'li', COMMUNITY, 'editor');
    const store = new SqliteStorage(join(data.dir, DB_FILE), { syncMode: 'normal' });
    const generated = generateDemoCommunity(7, { residents: RESIDENTS });
    await store.append(REGISTRY, Y.encodeStateAsUpdate(generated.doc), SERVER_STAMP);
    generated.doc.destroy();
    const config = parseServerConfig(
      ['--host', '127.0.0.1', '--port', '0', '--data', data.dir, '--compact-after', String(compactAfter)],
      {},
    );
    const log = createLogger('warn', 'sync-server');
    const answers = new AnswerPool(1, log);
    const server = await startServer(config, { store, registry: store, key: loadOrCreateKey(data.dir), log, answers });
    cleanups.push(() => store.close());
    cleanups.push(() => server.close());
    return { server, store, answers, token, dir: data.dir };
  }

  function connect(running: Running): WebsocketProvider {
    const provider = new WebsocketProvider(`ws://127.0.0.1:${running.server.port}`, REGISTRY, new Y.Doc(), {
      params: { token: running.token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    cleanups.push(() => provider.destroy());
    return provider;
  }

  /** What storage holds for the registry, as a document. */
  function stored(running: Running): Y.Doc {
    return rebuildDoc(running.store.loadSync(REGISTRY).updates, () => undefined).ydoc;
  }

  /**
   * The event loop's delay while `work` runs, printed (not asserted: the machine is shared): the test's own client
   * shares the loop, so this is an upper bound of the server's.
   */
  async function measureLoop(what: string, work: () => Promise<void>): Promise<void> {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    await work();
    delay.disable();
    const ms = (ns: number): number => Math.round(ns / 1e5) / 10;
    console.log(
      `${what}: event loop delay p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, ` +
        `max ${ms(delay.max)} ms`,
    );
  }

  /** Writes `count` small changes, one per turn of the event loop (each its own update), waiting `gapMs` between. */
  async function write(provider: WebsocketProvider, from: number, count: number, gapMs: number): Promise<void> {
    const notes = provider.doc.getMap<number>('compactionNotes');
    for (let i = from; i < from + count; i++) {
      notes.set(`n${i}`, i);
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  }

  function expectSameContent(client: Y.Doc, server: Y.Doc): void {
    // Same state vector and the same content: every update the client made (and the generated registry) is stored.
    expect(Y.encodeStateVector(server)).toEqual(Y.encodeStateVector(client));
    expect(server.getMap('compactionNotes').toJSON()).toEqual(client.getMap('compactionNotes').toJSON());
    expect(server.getMap('residents').size).toBe(client.getMap('residents').size);
    expect(client.getMap('residents').size).toBeGreaterThan(0);
  }

  it('encodes the snapshot in the worker while updates keep arriving, and loses none of them', async () => {
    const running = await start(40);
    const provider = connect(running);
    await whenSynced(provider, 60_000);
    const total = 200;
    await measureLoop(`${RESIDENTS}-resident registry, compactions encoded by the worker`, async () => {
      // 200 updates at about one per 5 ms: the log passes 40 five times, each fold encoding the whole registry while
      // the next updates are stored and applied.
      await write(provider, 0, total, 5);
      await waitFor(() => running.server.metrics.compactions.get() >= 4, 30_000, 'compactions');
    });
    await waitFor(() => stored(running).getMap('compactionNotes').size === total, 30_000, 'every note stored');
    // Every fold of this document was encoded by the worker, none on the event loop.
    expect(running.server.metrics.compactionEncodes.get('worker')).toBe(running.server.metrics.compactions.get());
    expect(running.server.metrics.compactionEncodes.get('main')).toBe(0);
    // The log was folded: what is left is what came after the last fold.
    expect(running.store.loadSync(REGISTRY).logLength).toBeLessThan(total);
    const server = stored(running);
    expectSameContent(provider.doc, server);
    server.destroy();
  }, 180_000);

  it('keeps an update whose structs stay pending: the worker encodes them into the snapshot the log is folded into', async () => {
    // SQLite folds nothing at compaction: the snapshot alone must hold every update of the log it replaces. Yjs keeps
    // pending structs in its v2 encoding; merged by the worker as v1 they were dropped without an error, and the
    // compaction deleted their log entry (found 2026-12-05; docs/sync-server.md, "Compaction off the event loop").
    const running = await start(40);
    const provider = connect(running);
    await whenSynced(provider, 60_000);
    // A first compaction replicates the registry into the answer worker: later snapshots are the worker's.
    await write(provider, 0, 45, 2);
    await waitFor(() => running.server.metrics.compactions.get() >= 1, 30_000, 'a first compaction');
    // A device's two updates, the second sent alone: its structs wait in Yjs for the first, which never comes.
    const device = new Y.Doc();
    device.getMap('pendingNotes').set('first', 1);
    const first = Y.encodeStateAsUpdate(device);
    const vector = Y.encodeStateVector(device);
    device.getMap('pendingNotes').set('second', 2);
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, 0);
    syncProtocol.writeUpdate(message, Y.encodeStateAsUpdate(device, vector));
    provider.ws?.send(encoding.toUint8Array(message));
    const before = running.server.metrics.compactions.get();
    await write(provider, 45, 90, 2);
    await waitFor(() => running.server.metrics.compactions.get() >= before + 2, 30_000, 'more compactions');
    expect(running.server.metrics.compactionEncodes.get('worker')).toBeGreaterThan(0);
    const server = stored(running);
    // The pending update's log entry was folded away; its structs are in the snapshot (they apply after `first`).
    Y.applyUpdate(server, first);
    expect(server.getMap('pendingNotes').toJSON()).toEqual({ first: 1, second: 2 });
    server.destroy();
  }, 180_000);

  it('encodes on the event loop when the worker dies during a compaction, and loses nothing', async () => {
    const running = await start(30);
    const provider = connect(running);
    await whenSynced(provider, 60_000);
    // The worker is terminated right after each snapshot is asked of it, before it can answer.
    const snapshot = running.answers.snapshot.bind(running.answers);
    let killed = 0;
    running.answers.snapshot = (doc, pending) => {
      const asked = snapshot(doc, pending);
      killed++;
      void running.answers.restartWorkers();
      return asked;
    };
    await measureLoop(`${RESIDENTS}-resident registry, compactions encoded on the event loop`, async () => {
      await write(provider, 0, 100, 5);
      await waitFor(() => running.server.metrics.compactions.get() >= 2, 60_000, 'compactions');
    });
    await waitFor(() => stored(running).getMap('compactionNotes').size === 100, 30_000, 'every note stored');
    expect(killed).toBeGreaterThan(0);
    expect(running.server.metrics.compactionEncodes.get('main')).toBe(running.server.metrics.compactions.get());
    expect(running.server.metrics.compactionEncodes.get('worker')).toBe(0);
    // The worker was started again: new devices still get their answers (a state vector naming an unknown client
    // forces a whole-document answer, which only a worker encodes).
    running.answers.snapshot = snapshot;
    const late = connect(running);
    await whenSynced(late, 60_000);
    expect(late.doc.getMap('compactionNotes').size).toBe(100);
    const server = stored(running);
    expectSameContent(provider.doc, server);
    server.destroy();
  }, 180_000);
});
