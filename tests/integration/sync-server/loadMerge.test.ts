/**
 * Loading a big document (docs/sync-server.md, "Compaction off the event loop"): its answer worker's replica is cut
 * into slices the event loop integrates one task at a time (sync-server/docSlices.ts); should that fail, its stored
 * snapshot and log are merged by the worker and the event loop integrates the one update; should that fail too, they
 * are merged on the event loop as before. On both engines (PostgreSQL reads a snapshot over 1 MiB in slices), the first client
 * receives exactly what is stored. The server runs in this process, so that the test sees its answer pool.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { AnswerPool } from '../../../sync-server/answers';
import { DB_FILE, loadOrCreateKey } from '../../../sync-server/auth';
import { parseServerConfig } from '../../../sync-server/config';
import { createLogger } from '../../../sync-server/logger';
import { startServer } from '../../../sync-server/server';
import { PostgresStorage } from '../../../sync-server/storage/postgres';
import { SqliteStorage } from '../../../sync-server/storage/sqlite';
import { SERVER_STAMP } from '../../../sync-server/storage/types';
import { enginesMissing, PostgresEngine } from '../cluster/engines';
import { adminInProcess, tempDataDir, whenSynced } from './harness';

const COMMUNITY = 'shunqing-xihe';
const LOG_ENTRIES = 40;

const missing = enginesMissing();
if (missing !== null) console.warn(`skipping the PostgreSQL half of the load merge tests: ${missing}`);

/**
 * The stored registry: a snapshot of about 2.5 MB and a log after it. `one`: one random string (so nothing compresses
 * it; its slice is bigger than an answer's message may be); `many`: 5,000 entries of 500 characters (slices of well
 * under a MiB, as a registry's).
 */
function storedState(kind: 'one' | 'many'): {
  readonly snapshot: Uint8Array;
  readonly log: Uint8Array[];
  readonly doc: Y.Doc;
} {
  const doc = new Y.Doc();
  if (kind === 'one') doc.getMap('m').set('big', randomBytes(1_250_000).toString('hex'));
  else for (let i = 0; i < 5_000; i++) doc.getMap('m').set(`r${i}`, randomBytes(250).toString('hex'));
  const snapshot = Y.encodeStateAsUpdate(doc);
  const log: Uint8Array[] = [];
  for (let i = 0; i < LOG_ENTRIES; i++) {
    const before = Y.encodeStateVector(doc);
    doc.getMap('m').set(`k${i}`, i);
    log.push(Y.encodeStateAsUpdate(doc, before));
  }
  return { snapshot, log, doc };
}

describe.each(['sqlite', 'postgres'] as const)('loading a big document (%s)', (engineName) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  let engine: PostgresEngine | null = null;

  beforeAll(async () => {
    if (engineName === 'postgres' && missing === null) engine = await PostgresEngine.create();
  }, 60_000);
  afterAll(async () => {
    await engine?.destroy();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function loadThroughServer(
    failSlices: boolean,
    failMerge: boolean,
    kind: 'one' | 'many' = 'one',
  ): Promise<{
    slices: number;
    merges: number;
    answered: number;
    client: Y.Doc;
    expected: Y.Doc;
    join: () => Promise<Y.Doc>;
  }> {
    const data = tempDataDir();
    cleanups.push(data.cleanup);
    const engineArgs = engine === null ? [] : ['--postgres', engine.url];
    // Each test its own community in the shared PostgreSQL.
    const community = `${COMMUNITY}-${failSlices ? 'fail' : 'ok'}-${failMerge ? 'fail' : 'ok'}-${kind}`;
    const registry = `${community}/registry`;
    await adminInProcess(data.dir, ...engineArgs, 'community', 'add', community, '--name', '西河社区');
    const issued = await adminInProcess(
      data.dir,
      ...engineArgs,
      'token',
      'issue',
      '--user',
      'li',
      '--community',
      community,
      '--role',
      'editor',
    );
    const token = issued.trim().split('\n').pop() ?? '';
    const store = engine === null ? new SqliteStorage(join(data.dir, DB_FILE)) : await PostgresStorage.open(engine.url);
    cleanups.push(() => store.close());
    const { snapshot, log: entries, doc: expected } = storedState(kind);
    await store.compact(registry, snapshot, await store.append(registry, snapshot, SERVER_STAMP));
    for (const entry of entries) await store.append(registry, entry, SERVER_STAMP);
    const config = parseServerConfig(
      ['--host', '127.0.0.1', '--port', '0', '--data', data.dir, ...engineArgs, '--compact-after', '1000'],
      {},
    );
    const logger = createLogger('error', 'sync-server');
    const answers = new AnswerPool(1, logger);
    let merges = 0;
    let slices = 0;
    const slice = answers.slices.bind(answers);
    answers.slices = (doc, maxStructs) => {
      if (doc === registry) slices++;
      return failSlices ? Promise.reject(new Error('the worker failed (test)')) : slice(doc, maxStructs);
    };
    let answered = 0;
    const answer = answers.answer.bind(answers);
    answers.answer = (doc, stateVector, maxBytes) => {
      if (doc === registry) answered++;
      return answer(doc, stateVector, maxBytes);
    };
    const merge = answers.merge.bind(answers);
    answers.merge = (doc, updates) => {
      if (doc === registry) merges++;
      return failMerge ? Promise.reject(new Error('the worker failed (test)')) : merge(doc, updates);
    };
    const server = await startServer(config, {
      store,
      registry: store,
      key: loadOrCreateKey(data.dir),
      log: logger,
      answers,
    });
    cleanups.push(() => server.close());
    const joinClient = async (): Promise<Y.Doc> => {
      const provider = new WebsocketProvider(`ws://127.0.0.1:${server.port}`, registry, new Y.Doc(), {
        params: { token },
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      });
      cleanups.push(() => provider.destroy());
      await whenSynced(provider, 60_000);
      return provider.doc;
    };
    const client = await joinClient();
    return {
      slices,
      merges,
      // Read when asked: joiners after the first may add to it.
      get answered() {
        return answered;
      },
      client,
      expected,
      join: joinClient,
    };
  }

  it.skipIf(engineName === 'postgres' && missing !== null)(
    'the worker slices its replica, the event loop integrates the slices; the client gets all of it',
    async () => {
      const { slices, merges, client, expected } = await loadThroughServer(false, false);
      expect([slices, merges]).toEqual([1, 0]);
      expect(Y.encodeStateVector(client)).toEqual(Y.encodeStateVector(expected));
      expect(client.getMap('m').toJSON()).toEqual(expected.getMap('m').toJSON());
    },
    120_000,
  );

  it.skipIf(engineName === 'postgres' && missing !== null)(
    'a worker that fails to slice: it merges the snapshot and log; the client gets all of it',
    async () => {
      const { slices, merges, client, expected } = await loadThroughServer(true, false);
      expect([slices, merges]).toEqual([1, 1]);
      expect(Y.encodeStateVector(client)).toEqual(Y.encodeStateVector(expected));
      expect(client.getMap('m').toJSON()).toEqual(expected.getMap('m').toJSON());
    },
    120_000,
  );

  it.skipIf(engineName === 'postgres' && missing !== null)(
    'a worker that fails to slice and to merge: merged on the event loop, the client gets all of it',
    async () => {
      const { slices, merges, client, expected } = await loadThroughServer(true, true);
      expect([slices, merges]).toEqual([1, 1]);
      expect(Y.encodeStateVector(client)).toEqual(Y.encodeStateVector(expected));
      expect(client.getMap('m').toJSON()).toEqual(expected.getMap('m').toJSON());
    },
    120_000,
  );

  it.skipIf(engineName === 'postgres' && missing !== null)(
    "the first device joining with nothing is answered with the load's slices, no encoding; after a change, as before",
    async () => {
      const loaded = await loadThroughServer(false, false, 'many');
      expect([loaded.slices, loaded.merges, loaded.answered]).toEqual([1, 0, 0]);
      expect(Y.encodeStateVector(loaded.client)).toEqual(Y.encodeStateVector(loaded.expected));
      expect(loaded.client.getMap('m').toJSON()).toEqual(loaded.expected.getMap('m').toJSON());
      // A second joiner before any change: the same answer.
      const second = await loaded.join();
      expect(loaded.answered).toBe(0);
      expect(second.getMap('m').size).toBe(5_000 + LOG_ENTRIES);
      // A change: the next joiner gets it (the slices are dropped at the change, not served stale).
      loaded.client.getMap('m').set('after-load', 'new');
      const deadline = Date.now() + 20_000;
      for (;;) {
        const third = await loaded.join();
        if (third.getMap('m').get('after-load') === 'new') {
          expect(Y.encodeStateVector(third)).toEqual(Y.encodeStateVector(loaded.client));
          break;
        }
        // The change may not have reached the server yet when this joiner asked: ask again.
        if (Date.now() > deadline) throw new Error('a joiner after the change never received it');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    120_000,
  );
});
