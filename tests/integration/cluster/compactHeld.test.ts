/**
 * PostgreSQL compaction folds only what the node is not known to hold (docs/sync-server.md, "Compaction keeps appends
 * moving"): against a real PostgreSQL, a node that loaded a document and applied every stored update since compacts
 * with no fold at all, while what it does not hold (an entry another node stored, a snapshot another node wrote) is
 * still read and folded in: nothing stored is ever dropped. The store's own rule (storage/postgres.ts `compact` with
 * `HeldState`), then the server's bookkeeping of what a document holds (documents.ts, writes.ts) end to end.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { runAdmin } from '../../../sync-server/admin';
import { AnswerPool } from '../../../sync-server/answers';
import { loadOrCreateKey } from '../../../sync-server/auth';
import { parseServerConfig } from '../../../sync-server/config';
import { createLogger } from '../../../sync-server/logger';
import { startServer } from '../../../sync-server/server';
import { PostgresStorage } from '../../../sync-server/storage/postgres';
import type { FoldUpdates, HeldState, StoredDocument } from '../../../sync-server/storage/types';
import { tempDataDir, waitFor, whenSynced } from '../sync-server/harness';
import { enginesMissing, type PostgresEngine } from './engines';
import { withPostgresStorage } from './postgresStorage';

const missing = enginesMissing();
if (missing !== null) console.warn(`skipping PostgreSQL held-compaction tests: ${missing}`);

const stamp = { jti: 'j1', user: 'wang' };

function updateOf(client: number, key: string, value: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = client;
  doc.getMap('m').set(key, value);
  return Y.encodeStateAsUpdate(doc);
}

function mapOf(updates: readonly Uint8Array[]): Record<string, unknown> {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getMap('m').toJSON();
}

/** A node's document loaded from `stored`, and what it holds of it (as documents.ts `loadDoc` notes it). */
function loadNode(stored: StoredDocument): { doc: Y.Doc; held: { snapshotVersion: string | null; seqs: Set<number> } } {
  const doc = new Y.Doc();
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return { doc, held: { snapshotVersion: stored.snapshotVersion ?? null, seqs: new Set(stored.logSeqs ?? []) } };
}

/** A fold that counts what it was given and merges as the default one does. */
function countingFold(): { fold: FoldUpdates; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    fold: (snapshot, older) => {
      calls.push(older.length);
      const whole = Y.mergeUpdates([...older]);
      return Promise.resolve(Y.mergeUpdates([snapshot, Y.diffUpdate(whole, Y.encodeStateVectorFromUpdate(snapshot))]));
    },
  };
}

describe.skipIf(missing !== null)('PostgreSQL compaction of what the node holds', () => {
  let engine: PostgresEngine;
  let storage: PostgresStorage;

  withPostgresStorage((started, opened) => {
    engine = started;
    storage = opened;
  });

  it('load says which snapshot and log entries it read, in one statement and in slices alike', async () => {
    const doc = 'held/load';
    const first = await storage.append(doc, updateOf(1, 'a', '1'), stamp);
    expect((await storage.load(doc)).snapshotVersion).toBeUndefined();
    const written = await storage.compact(doc, updateOf(1, 'a', '1'), first);
    expect(written).toMatchObject({ written: true, read: [first] });
    const b = await storage.append(doc, updateOf(2, 'b', '2'), stamp);
    const c = await storage.append(doc, updateOf(3, 'c', '3'), stamp);
    const loaded = await storage.load(doc);
    expect(loaded.snapshotVersion).toBe(written.version);
    expect(loaded.logSeqs).toEqual([b, c]);
    // An entry over a slice (1 MiB): the sliced path, in its transaction, says the same.
    const big = Array.from({ length: 450_000 }, (_, i) => ((i * 7919) % 65_536).toString(36)).join('');
    const d = await storage.append(doc, updateOf(4, 'big', big), stamp);
    const sliced = await storage.load(doc);
    expect(sliced.snapshotVersion).toBe(written.version);
    expect(sliced.logSeqs).toEqual([b, c, d]);
  });

  it('folds nothing when the node applied every stored update, and the result loads back the same', async () => {
    const doc = 'held/all';
    const first = await storage.append(doc, updateOf(10, 'a', '1'), stamp);
    await storage.compact(doc, updateOf(10, 'a', '1'), first);
    await storage.append(doc, updateOf(11, 'b', '2'), stamp);
    const node = loadNode(await storage.load(doc));
    // The node stores and applies one more itself.
    const mine = updateOf(12, 'c', '3');
    const third = await storage.append(doc, mine, stamp);
    Y.applyUpdate(node.doc, mine);
    node.held.seqs.add(third);
    const { fold, calls } = countingFold();
    const result = await storage.compact(doc, Y.encodeStateAsUpdate(node.doc), third, fold, node.held);
    expect(calls).toEqual([]);
    expect(result).toMatchObject({ written: true, folded: 0 });
    const back = await storage.load(doc);
    expect(back.logLength).toBe(0);
    expect(back.lastSeq).toBe(third);
    expect(mapOf(back.updates)).toEqual({ a: '1', b: '2', c: '3' });
  });

  it('folds in an entry another node stored that this node never applied: a fresh load holds it', async () => {
    const doc = 'held/theirs';
    await storage.append(doc, updateOf(20, 'a', '1'), stamp);
    const node = loadNode(await storage.load(doc));
    // Another node's update: stored, not (yet) applied here.
    const theirs = await storage.append(doc, updateOf(21, 'theirs', 'y'), { jti: 'j2', user: 'li' });
    const { fold, calls } = countingFold();
    await storage.compact(doc, Y.encodeStateAsUpdate(node.doc), theirs, fold, node.held);
    // Folded (only their entry: the node holds the one it loaded), and kept.
    expect(calls).toHaveLength(1);
    const back = await storage.load(doc);
    expect(back.logLength).toBe(0);
    expect(mapOf(back.updates)).toEqual({ a: '1', theirs: 'y' });
  });

  it('reads and folds a snapshot another node wrote since the load', async () => {
    const doc = 'held/their-snapshot';
    const first = await storage.append(doc, updateOf(30, 'a', '1'), stamp);
    await storage.compact(doc, updateOf(30, 'a', '1'), first);
    const node = loadNode(await storage.load(doc));
    // Another node stores an update and compacts it into a snapshot of its own (the log entry is gone).
    const other = await PostgresStorage.open(engine.url);
    try {
      const theirs = await other.append(doc, updateOf(31, 'theirs', 'y'), stamp);
      const both = Y.mergeUpdates([updateOf(30, 'a', '1'), updateOf(31, 'theirs', 'y')]);
      await other.compact(doc, both, theirs);
    } finally {
      await other.close();
    }
    const mine = await storage.append(doc, updateOf(32, 'mine', 'x'), stamp);
    Y.applyUpdate(node.doc, updateOf(32, 'mine', 'x'));
    node.held.seqs.add(mine);
    const { fold, calls } = countingFold();
    await storage.compact(doc, Y.encodeStateAsUpdate(node.doc), mine, fold, node.held);
    // Their snapshot (a version the node does not hold) is read and folded in.
    expect(calls).toHaveLength(1);
    const back = await storage.load(doc);
    expect(back.logLength).toBe(0);
    expect(mapOf(back.updates)).toEqual({ a: '1', theirs: 'y', mine: 'x' });
  });

  it('skips the snapshot it wrote itself at the next compaction too (the version it returned is the one stored)', async () => {
    const doc = 'held/again';
    const node = new Y.Doc();
    let held: HeldState = { snapshotVersion: null, seqs: new Set() };
    const { fold, calls } = countingFold();
    for (let round = 0; round < 3; round++) {
      const update = updateOf(40 + round, `k${round}`, String(round));
      const seq = await storage.append(doc, update, stamp);
      Y.applyUpdate(node, update);
      const seqs = new Set(held.seqs).add(seq);
      const result = await storage.compact(doc, Y.encodeStateAsUpdate(node), seq, fold, { ...held, seqs });
      expect(result).toMatchObject({ written: true, folded: 0, read: [seq] });
      // As documents.ts notes it: the stored snapshot is the node's own now, the entry folded into it is gone.
      held = { snapshotVersion: result.version ?? null, seqs: new Set() };
    }
    expect(calls).toEqual([]);
    expect(held.snapshotVersion).toBe((await storage.load(doc)).snapshotVersion);
    expect(mapOf((await storage.load(doc)).updates)).toEqual({ k0: '0', k1: '1', k2: '2' });
  });

  it('keeps an entry committed late with a lower seq, and never deletes what it neither holds nor folded', async () => {
    const doc = 'held/late';
    const reserved = Number(
      (await storage.pool.query<{ seq: string }>("SELECT nextval('doc_updates_seq_seq')::text AS seq")).rows[0]?.seq,
    );
    await storage.append(doc, updateOf(50, 'a', '1'), stamp);
    const node = loadNode(await storage.load(doc));
    // The node claims the reserved seq too (wrongly: nothing was stored under it): it must not delete it for that.
    node.held.seqs.add(reserved);
    const theirs = await storage.append(doc, updateOf(51, 'theirs', 'y'), { jti: 'j2', user: 'li' });
    const { fold } = countingFold();
    await storage.compact(
      doc,
      Y.encodeStateAsUpdate(node.doc),
      theirs,
      async (snapshot, older) => {
        // Committed after the compaction's read, below its throughSeq (another node's slow commit).
        await storage.pool.query('INSERT INTO doc_updates (seq, doc, data, created_at) VALUES ($1, $2, $3, $4)', [
          reserved,
          doc,
          Buffer.from(updateOf(52, 'late', 'x')),
          Date.now(),
        ]);
        return fold(snapshot, older);
      },
      node.held,
    );
    const back = await storage.load(doc);
    expect(back.logLength).toBe(1);
    expect(back.lastSeq).toBe(theirs);
    expect(mapOf(back.updates)).toEqual({ a: '1', theirs: 'y', late: 'x' });
  });

  describe('a server on PostgreSQL', () => {
    const COMMUNITY = 'held-xihe';
    let community = 0;

    /**
     * A server in this process on `engine`, its store's `compact` counting the folds it is asked for, and a client of
     * a fresh registry holding `seed` (stored before the server loads it: a snapshot and a log entry).
     */
    async function start(seed: (store: PostgresStorage, registry: string) => Promise<void>) {
      const data = tempDataDir();
      const name = `${COMMUNITY}-${++community}`;
      const registry = `${name}/registry`;
      const admin = async (...args: string[]): Promise<string> => {
        const lines: string[] = [];
        await runAdmin(['--data', data.dir, '--postgres', engine.url, ...args], (line) => lines.push(line));
        return lines.join('\n');
      };
      await admin('community', 'add', name, '--name', '西河社区');
      const token = (await admin('token', 'issue', '--user', 'li', '--community', name, '--role', 'editor'))
        .trim()
        .split('\n')
        .pop();
      const store = await PostgresStorage.open(engine.url);
      await seed(store, registry);
      const folds: number[] = [];
      const compact = store.compact.bind(store);
      store.compact = (doc, snapshot, throughSeq, fold, held) =>
        compact(
          doc,
          snapshot,
          throughSeq,
          fold === undefined
            ? undefined
            : (mine, older) => {
                folds.push(older.length);
                return fold(mine, older);
              },
          held,
        );
      const log = createLogger('warn', 'sync-server');
      const answers = new AnswerPool(1, log);
      const config = parseServerConfig(
        ['--host', '127.0.0.1', '--port', '0', '--data', data.dir, '--compact-after', '4'],
        {},
      );
      const server = await startServer(config, {
        store,
        registry: store,
        key: loadOrCreateKey(data.dir),
        log,
        answers,
      });
      const provider = new WebsocketProvider(`ws://127.0.0.1:${server.port}`, registry, new Y.Doc(), {
        params: { token: token ?? '' },
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      });
      const stop = async (): Promise<void> => {
        provider.destroy();
        await server.close();
        await store.close();
        data.cleanup();
      };
      try {
        await whenSynced(provider);
      } catch (error) {
        await stop();
        throw error;
      }
      const notes = provider.doc.getMap<number>('heldNotes');
      /** `count` notes, each its own update. */
      const write = async (from: number, count: number): Promise<void> => {
        for (let i = from; i < from + count; i++) {
          notes.set(`n${i}`, i);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      /** What storage holds, once it holds `notes` notes (and `extra` applied after it). */
      const stored = (count: number, extra: readonly Uint8Array[] = []) =>
        waitFor(
          async () => {
            const doc = new Y.Doc();
            for (const u of [...(await store.load(registry)).updates, ...extra]) Y.applyUpdate(doc, u);
            return doc.getMap('heldNotes').size === count ? doc : undefined;
          },
          10_000,
          'every note stored',
        );
      return { server, store, provider, registry, folds, write, stored, stop };
    }

    it('compacts what its clients wrote with no fold, and folds in what another node stored', async () => {
      const running = await start(async (store, registry) => {
        const first = await store.append(registry, updateOf(60, 'snapshot', 's'), stamp);
        await store.compact(registry, updateOf(60, 'snapshot', 's'), first);
        await store.append(registry, updateOf(61, 'logged', 'l'), stamp);
      });
      const { server, store, registry, folds, write } = running;
      try {
        await write(0, 10);
        await waitFor(() => server.metrics.compactions.get() >= 2, 20_000, 'compactions');
        // Everything the server compacted it held (loaded, or its clients' updates it stored and applied).
        expect(folds).toEqual([]);
        expect(server.metrics.compactionFolds.get('folded')).toBe(0);
        expect(server.metrics.compactionFolds.get('skipped')).toBeGreaterThanOrEqual(2);
        // Another node's update: stored, never relayed to this one (no relay here).
        await store.append(registry, updateOf(62, 'theirs', 'y'), { jti: 'j2', user: 'zhao' });
        const before = server.metrics.compactions.get();
        await write(10, 10);
        await waitFor(() => server.metrics.compactions.get() >= before + 2, 20_000, 'more compactions');
        // Folded in: their entry alone at the first compaction after it.
        expect(folds[0]).toBe(1);
        // Nothing lost: what was stored before the load, their entry, every note.
        const back = await running.stored(20);
        expect(back.getMap('m').toJSON()).toEqual({ snapshot: 's', logged: 'l', theirs: 'y' });
      } finally {
        await running.stop();
      }
    }, 60_000);

    it("keeps an update whose structs stay pending: the worker's snapshot holds it, folded or not", async () => {
      // Over 1,000 structs: compaction's snapshot is encoded by the answer worker (documents.ts `requestSnapshot`).
      const running = await start(async (store, registry) => {
        const big = new Y.Doc();
        big.clientID = 70;
        big.transact(() => {
          for (let i = 0; i < 1_500; i++) big.getMap('m').set(`k${i}`, i);
        });
        await store.append(registry, Y.encodeStateAsUpdate(big), stamp);
      });
      const { server, provider, write } = running;
      try {
        // A first compaction replicates the document into the answer worker: from now on the replica follows the
        // updates the document emits, and a pending one emits none.
        await write(0, 4);
        await waitFor(() => server.metrics.compactions.get() >= 1, 20_000, 'a first compaction');
        // A device's two updates, the second sent alone: its structs wait for the first (pending in Yjs).
        const device = new Y.Doc();
        device.clientID = 71;
        device.getMap('m').set('first', 1);
        const first = Y.encodeStateAsUpdate(device);
        const vector = Y.encodeStateVector(device);
        device.getMap('m').set('second', 2);
        const second = Y.encodeStateAsUpdate(device, vector);
        const message = encoding.createEncoder();
        encoding.writeVarUint(message, 0);
        syncProtocol.writeUpdate(message, second);
        provider.ws?.send(encoding.toUint8Array(message));
        await write(4, 8);
        await waitFor(() => server.metrics.compactions.get() >= 3, 20_000, 'compactions');
        expect(server.metrics.compactionEncodes.get('worker')).toBeGreaterThan(0);
        // Held (stored and applied without an error), so not folded in from the log: the snapshot alone keeps it.
        expect(running.folds).toEqual([]);
        // The pending update's log entry is compacted away; its structs are in the snapshot (applied after `first`).
        const back = await running.stored(12, [first]);
        expect(back.getMap('m').get('second')).toBe(2);
        expect(back.getMap('m').get('k1499')).toBe(1_499);
      } finally {
        await running.stop();
      }
    }, 60_000);
  });
});

describe('a replica that skipped a stored update at load', () => {
  it('is not cut into slices: the load rebuilds the document itself, knows it skipped one and holds nothing', async () => {
    const pool = new AnswerPool(1, createLogger('silent', 'test'));
    try {
      // Not an update Yjs can apply (a stored entry of a broken client): skipped by the replica's rebuild.
      pool.load('skipped/registry', [updateOf(1, 'a', '1'), new Uint8Array([1, 2, 3, 4, 5])]);
      await expect(pool.slices('skipped/registry', 100)).rejects.toThrow(/skipped/);
      pool.load('whole/registry', [updateOf(1, 'a', '1'), updateOf(2, 'b', '2')]);
      const { slices } = await pool.slices('whole/registry', 100);
      expect(mapOf(slices)).toEqual({ a: '1', b: '2' });
    } finally {
      await pool.close();
    }
  });
});
