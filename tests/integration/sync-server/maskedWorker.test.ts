/**
 * A big registry's masked copy brought in line by the registry's answer worker (sync-server/maskedReconcile.ts,
 * masking.ts `linkMasked`; docs/sync-server.md, "Compaction off the event loop"), on both engines: the copy made for
 * the first viewer (its update of megabytes applied in slices), a stored copy that lags the registry and holds a
 * viewer's entry the registry lacks, and a worker that fails (reconciled on the event loop as before). In every case the viewer receives exactly what reconciling on
 * the event loop writes (shared/ydoc/registryMasked.ts `reconcileMasked`), no full ID number nor mobile, and audit
 * entries with their ids as they are. The server runs in this process, so that the test sees its answer pool.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import type { AuditEntry } from '@shared/domain/registry/types';
import { appendAudit, auditArray, listRecords, setFields } from '@shared/ydoc/registry';
import { reconcileMasked } from '@shared/ydoc/registryMasked';
import { AnswerPool } from '../../../sync-server/answers';
import { DB_FILE, loadOrCreateKey } from '../../../sync-server/auth';
import { parseServerConfig } from '../../../sync-server/config';
import { startServer } from '../../../sync-server/server';
import { PostgresStorage } from '../../../sync-server/storage/postgres';
import { SqliteStorage } from '../../../sync-server/storage/sqlite';
import { SERVER_STAMP } from '../../../sync-server/storage/types';
import { enginesMissing, PostgresEngine } from '../cluster/engines';
import { fullValuesIn } from './fullValues';
import { adminInProcess, tempDataDir, waitFor, whenSynced } from './harness';

const missing = enginesMissing();
if (missing !== null) console.warn(`skipping the PostgreSQL half of the masked worker tests: ${missing}`);

/** 3,000 residents: about 1.5 MB stored, over the 1 MiB above which a loaded registry is replicated at once. */
const demo = generateDemoCommunity(17, { residents: 3_000 });
const demoState = Y.encodeStateAsUpdate(demo.doc);
/** An audit entry whose id's last group reads as a mobile: the copy keeps it as it is (not masked). */
const DIGIT_ID = '0b6f3c2e-7d41-4c55-9a0e-013812345678';
const someone = listRecords(demo.doc, 'residents').find((r) => r.phone !== null && r.phone.startsWith('1'))!;

function entry(id: string, action: AuditEntry['action'], fields: AuditEntry['fields']): AuditEntry {
  return {
    id,
    at: '2026-03-02T02:00:00.000Z',
    userId: 'editor',
    userName: 'editor',
    deviceId: 'device-editor',
    action,
    collection: 'residents',
    recordId: someone.id,
    fields,
  };
}

const ids = (doc: Y.Doc): string[] =>
  auditArray(doc)
    .toArray()
    .map((e) => e.id);

/** The registry's content as reconciling on the event loop would write it into a copy holding `copy`. */
function expectedCopy(registry: Y.Doc, copy: readonly Uint8Array[] = []): Y.Doc {
  const target = new Y.Doc();
  for (const update of copy) Y.applyUpdate(target, update);
  reconcileMasked(registry, target, 'test');
  return target;
}

function sameContent(actual: Y.Doc, expected: Y.Doc): void {
  for (const name of ['residents', 'households', 'buildings', 'meta']) {
    expect(actual.getMap(name).toJSON(), name).toEqual(expected.getMap(name).toJSON());
  }
  expect(ids(actual)).toEqual(ids(expected));
  expect(actual.getArray('audit').toJSON()).toEqual(expected.getArray('audit').toJSON());
}

type Case = 'made' | 'stored' | 'failed';

describe.each(['sqlite', 'postgres'] as const)('a big registry masked in its worker (%s)', (engineName) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  let engine: PostgresEngine | null = null;
  const skip = engineName === 'postgres' && missing !== null;

  beforeAll(async () => {
    if (engineName === 'postgres' && missing === null) engine = await PostgresEngine.create();
  }, 60_000);
  afterAll(async () => {
    await engine?.destroy();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function connect(port: number, doc: string, token: string): WebsocketProvider {
    const provider = new WebsocketProvider(`ws://127.0.0.1:${port}`, doc, new Y.Doc(), {
      params: { token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    cleanups.push(() => provider.destroy());
    return provider;
  }

  /**
   * Stores the registry (a snapshot and a log: the demo, then an entry with a digit id), and for `stored` a copy
   * made from the demo alone with a viewer's entry appended to it, then a change of the registry after the copy.
   * Starts a server and returns what the worker was asked.
   */
  async function setUp(kind: Case): Promise<{
    port: number;
    editor: string;
    viewer: string;
    registryName: string;
    maskedName: string;
    registry: Y.Doc;
    storedCopy: Uint8Array[];
    asked: () => number;
    /** Who brought the copy in line, as logged: 'worker' or 'main', and in how many slices it was applied. */
    reconciledBy: () => [string | undefined, number | undefined][];
  }> {
    const data = tempDataDir();
    cleanups.push(data.cleanup);
    const engineArgs = engine === null ? [] : ['--postgres', engine.url];
    const community = `masked-worker-${kind}`;
    const registryName = `${community}/registry`;
    const maskedName = `${community}/registry-masked`;
    await adminInProcess(data.dir, ...engineArgs, 'community', 'add', community, '--name', '西河社区');
    const token = async (user: string, role: string): Promise<string> =>
      (
        await adminInProcess(
          data.dir,
          ...engineArgs,
          'token',
          'issue',
          '--user',
          user,
          '--community',
          community,
          '--role',
          role,
        )
      )
        .trim()
        .split('\n')
        .pop() ?? '';
    const editor = await token('editor', 'editor');
    const viewer = await token('leader', 'viewer');
    const store = engine === null ? new SqliteStorage(join(data.dir, DB_FILE)) : await PostgresStorage.open(engine.url);
    cleanups.push(() => store.close());

    const registry = new Y.Doc();
    Y.applyUpdate(registry, demoState);
    await store.compact(registryName, demoState, await store.append(registryName, demoState, SERVER_STAMP));
    const storedCopy: Uint8Array[] = [];
    if (kind === 'stored') {
      const copy = expectedCopy(registry);
      const viewerDoc = new Y.Doc();
      Y.applyUpdate(viewerDoc, Y.encodeStateAsUpdate(copy));
      const before = Y.encodeStateVector(viewerDoc);
      appendAudit(viewerDoc, [{ ...entry('v-print-1', 'print', { document: 'agreement' }), userId: 'leader' }]);
      storedCopy.push(Y.encodeStateAsUpdate(copy), Y.encodeStateAsUpdate(viewerDoc, before));
      for (const update of storedCopy) await store.append(maskedName, update, SERVER_STAMP);
    }
    const before = Y.encodeStateVector(registry);
    registry.transact(() => {
      setFields(registry, 'residents', someone.id, { phone: '13698765432' });
      appendAudit(registry, [entry(DIGIT_ID, 'update', { phone: '13698765432' })]);
    });
    await store.append(registryName, Y.encodeStateAsUpdate(registry, before), SERVER_STAMP);

    const config = parseServerConfig(
      ['--host', '127.0.0.1', '--port', '0', '--data', data.dir, ...engineArgs, '--compact-after', '1000'],
      {},
    );
    // The server's log, kept: which thread brought the copy in line.
    const lines: { msg?: string; doc?: string; by?: string; slices?: number }[] = [];
    const logger = pino(
      { level: 'info', name: 'sync-server' },
      { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) },
    );
    const answers = new AnswerPool(1, logger);
    let asked = 0;
    const reconcile = answers.reconcileMasked.bind(answers);
    answers.reconcileMasked = (doc, stateVector, masked) => {
      if (doc === registryName) asked++;
      return kind === 'failed'
        ? Promise.reject(new Error('the worker failed (test)'))
        : reconcile(doc, stateVector, masked);
    };
    const server = await startServer(config, {
      store,
      registry: store,
      key: loadOrCreateKey(data.dir),
      log: logger,
      answers,
    });
    cleanups.push(() => server.close());
    return {
      port: server.port,
      editor,
      viewer,
      registryName,
      maskedName,
      registry,
      storedCopy,
      asked: () => asked,
      reconciledBy: () =>
        lines
          .filter((line) => line.msg === 'masked registry brought in line with the registry' && line.doc === maskedName)
          .map((line) => [line.by, line.slices]),
    };
  }

  for (const kind of ['made', 'failed'] as const) {
    it.skipIf(skip)(
      kind === 'made'
        ? 'makes the copy for the first viewer in the worker: what the event loop would write, nothing in full'
        : 'a worker that fails: the copy is made on the event loop, the same',
      async () => {
        const setup = await setUp(kind);
        const viewer = connect(setup.port, setup.maskedName, setup.viewer);
        await whenSynced(viewer, 60_000);
        expect(setup.asked()).toBe(1);
        const [[by, slices] = []] = setup.reconciledBy();
        expect(setup.reconciledBy()).toHaveLength(1);
        expect(by).toBe(kind === 'made' ? 'worker' : 'main');
        // The copy made whole (about 9,000 structs) came in slices; on the event loop, in one transaction.
        if (kind === 'made') expect(slices).toBeGreaterThan(2);
        else expect(slices).toBe(0);
        const expected = expectedCopy(setup.registry);
        sameContent(viewer.doc, expected);
        expect(ids(viewer.doc)).toContain(DIGIT_ID);
        expect(listRecords(viewer.doc, 'residents')).toHaveLength(demo.counts.residents);
        expect(fullValuesIn(Y.encodeStateAsUpdate(viewer.doc))).toEqual({ idNumbers: [], mobiles: [] });
      },
      120_000,
    );
  }

  it.skipIf(skip)(
    "brings a stored copy in line in the worker and carries the viewer's entry into the registry once",
    async () => {
      const setup = await setUp('stored');
      const editor = connect(setup.port, setup.registryName, setup.editor);
      await whenSynced(editor, 60_000);
      expect(setup.asked()).toBe(1);
      // A few changes: one update, applied whole.
      expect(setup.reconciledBy()).toEqual([['worker', 0]]);
      await waitFor(() => ids(editor.doc).includes('v-print-1'), 20_000, "the viewer's entry carried");
      const viewer = connect(setup.port, setup.maskedName, setup.viewer);
      await whenSynced(viewer, 60_000);
      await waitFor(() => ids(viewer.doc).includes(DIGIT_ID), 20_000, 'the copy in line');
      // What the event loop writes into the stored copy, and the viewer's entry carried back once.
      const expected = expectedCopy(setup.registry, setup.storedCopy);
      sameContent(viewer.doc, expected);
      expect(ids(editor.doc).filter((id) => id === 'v-print-1')).toHaveLength(1);
      expect(ids(viewer.doc).filter((id) => id === 'v-print-1')).toHaveLength(1);
      expect(viewer.doc.getMap('residents').toJSON()[someone.id]).toMatchObject({ phone: '136****5432' });
      expect(fullValuesIn(Y.encodeStateAsUpdate(viewer.doc))).toEqual({ idNumbers: [], mobiles: [] });
    },
    120_000,
  );
});
