/**
 * storage/postgres.ts against a real PostgreSQL: the same semantics as the SQLite store (durable append with its stamp,
 * one commit for concurrent appends, history past compaction, compaction in one transaction), plus what several nodes
 * need: compaction never drops an update the compacting node had not applied, and only one node compacts a document
 * at a time (advisory lock).
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { AnswerPool } from '../../../sync-server/answers';
import { createLogger } from '../../../sync-server/logger';
import { POSTGRES_MIGRATIONS, PostgresStorage, PostgresUnavailableError } from '../../../sync-server/storage/postgres';
import { enginesMissing, type PostgresEngine } from './engines';
import { withPostgresStorage } from './postgresStorage';

const missing = enginesMissing();
if (missing !== null) console.warn(`skipping PostgreSQL storage tests: ${missing}`);

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

const stamp = { jti: 'j1', user: 'wang' };

describe.skipIf(missing !== null)('PostgreSQL storage', () => {
  let engine: PostgresEngine;
  let storage: PostgresStorage;

  withPostgresStorage((started, opened) => {
    engine = started;
    storage = opened;
  });

  it('creates its schema once, even when two nodes open it together', async () => {
    const [a, b] = await Promise.all([PostgresStorage.open(engine.url), PostgresStorage.open(engine.url)]);
    const version = await a.pool.query<{ version: number }>('SELECT version FROM schema_version');
    expect(version.rows).toEqual([{ version: POSTGRES_MIGRATIONS.length }]);
    await Promise.all([a.close(), b.close()]);
  });

  it('appends durably with the stamp, concurrent appends in one transaction, and loads them in order', async () => {
    const doc = 'xihe/registry';
    const updates = [updateOf(1, 'a', '1'), updateOf(2, 'b', '2'), updateOf(3, 'c', '3')];
    const seqs = await Promise.all(updates.map((u) => storage.append(doc, u, stamp)));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    // Rows written by one transaction share its id (xmin): one commit for the three.
    const xmins = await storage.pool.query('SELECT DISTINCT xmin FROM doc_updates WHERE doc = $1', [doc]);
    expect(xmins.rowCount).toBe(1);
    const loaded = await storage.load(doc);
    expect(loaded.lastSeq).toBe(seqs[2]);
    expect(loaded.logLength).toBe(3);
    expect(mapOf(loaded.updates)).toEqual({ a: '1', b: '2', c: '3' });
    const history = await storage.history(doc, 10);
    expect(history.rows.map((r) => [r.seq, r.jti, r.user])).toEqual(seqs.map((s) => [s, 'j1', 'wang']));
  });

  it('loads in one statement what is small, and in slices a snapshot or an entry over a slice, the same either way', async () => {
    const doc = 'slices/meetings/2026';
    // Over SNAPSHOT_SLICE_BYTES (1 MiB) once encoded: text that does not compress into fewer bytes.
    const big = (seed: number) =>
      Array.from({ length: 450_000 }, (_, i) => ((i * 7919 + seed) % 65_536).toString(36)).join('');
    const first = await storage.append(doc, updateOf(40, 'big', big(1)), stamp);
    const whole = new Y.Doc();
    const loadedFirst = await storage.load(doc);
    for (const update of loadedFirst.updates) Y.applyUpdate(whole, update);
    expect(loadedFirst.updates[0]!.length).toBeGreaterThan(1024 * 1024);
    await storage.compact(doc, Y.encodeStateAsUpdate(whole), first);
    const small = await storage.append(doc, updateOf(41, 'small', 's'), stamp);
    const bigEntry = await storage.append(doc, updateOf(42, 'bigger', big(2)), stamp);
    const last = await storage.append(doc, updateOf(43, 'last', 'l'), stamp);
    const loaded = await storage.load(doc);
    expect(loaded.lastSeq).toBe(last);
    expect(loaded.logLength).toBe(3);
    expect(mapOf(loaded.updates)).toEqual({ big: big(1), small: 's', bigger: big(2), last: 'l' });
    expect(small).toBeLessThan(bigEntry);
    expect(bigEntry).toBeLessThan(last);
    // Compacted again, everything small but the snapshot: the same, from the snapshot alone.
    const all = new Y.Doc();
    for (const update of loaded.updates) Y.applyUpdate(all, update);
    await storage.compact(doc, Y.encodeStateAsUpdate(all), last);
    const folded = await storage.load(doc);
    expect(folded.logLength).toBe(0);
    expect(folded.lastSeq).toBe(last);
    expect(mapOf(folded.updates)).toEqual({ big: big(1), small: 's', bigger: big(2), last: 'l' });
    // Small only: one statement, the snapshot first, then the log in order.
    const other = 'slices/meetings/2027';
    const a = await storage.append(other, updateOf(50, 'a', '1'), stamp);
    const onlyA = new Y.Doc();
    Y.applyUpdate(onlyA, updateOf(50, 'a', '1'));
    await storage.compact(other, Y.encodeStateAsUpdate(onlyA), a);
    const b = await storage.append(other, updateOf(51, 'b', '2'), stamp);
    const c = await storage.append(other, updateOf(52, 'c', '3'), stamp);
    const smallDoc = await storage.load(other);
    expect(smallDoc).toMatchObject({ lastSeq: c, logLength: 2 });
    expect(smallDoc.updates).toHaveLength(3);
    expect(mapOf(smallDoc.updates.slice(0, 1))).toEqual({ a: '1' });
    expect(mapOf(smallDoc.updates.slice(1))).toEqual({ b: '2', c: '3' });
    expect(b).toBeLessThan(c);
    expect(await storage.load('slices/nothing')).toEqual({ updates: [], lastSeq: 0, logLength: 0, logSeqs: [] });
  });

  it('compacts in one step, keeps the history, and never drops an update the node had not applied', async () => {
    const doc = 'xihe/cases/2026';
    const mine = updateOf(10, 'mine', 'x');
    const theirs = updateOf(11, 'theirs', 'y');
    await storage.append(doc, mine, stamp);
    const last = await storage.append(doc, theirs, { jti: 'j2', user: 'li' });
    // This node's memory holds only its own update (the other node's is still on its way through the relay).
    const nodeDoc = new Y.Doc();
    Y.applyUpdate(nodeDoc, mine);
    await storage.compact(doc, Y.encodeStateAsUpdate(nodeDoc), last);
    const loaded = await storage.load(doc);
    expect(loaded.logLength).toBe(0);
    expect(loaded.lastSeq).toBe(last);
    expect(mapOf(loaded.updates)).toEqual({ mine: 'x', theirs: 'y' });
    expect((await storage.history(doc, 10)).total).toBe(2);
  });

  it('merges what the node lacked in the fold it is given (an answer worker), and keeps the entries after throughSeq', async () => {
    const doc = 'xihe/tasks/2026';
    const mine = updateOf(30, 'mine', 'x');
    await storage.append(doc, mine, stamp);
    const theirs = await storage.append(doc, updateOf(31, 'theirs', 'y'), { jti: 'j2', user: 'li' });
    // Stored after the snapshot was made: it must stay in the log.
    const later = await storage.append(doc, updateOf(32, 'later', 'z'), stamp);
    const nodeDoc = new Y.Doc();
    Y.applyUpdate(nodeDoc, mine);
    const pool = new AnswerPool(1, createLogger('silent', 'test'));
    const folds: number[] = [];
    try {
      await storage.compact(doc, Y.encodeStateAsUpdate(nodeDoc), theirs, (snapshot, older) => {
        folds.push(older.length);
        return pool.fold(doc, snapshot, older);
      });
    } finally {
      await pool.close();
    }
    // The fold got the stored log up to `theirs` (two entries; no snapshot stored before), and nothing after it.
    expect(folds).toEqual([2]);
    const loaded = await storage.load(doc);
    expect(loaded.logLength).toBe(1);
    expect(loaded.lastSeq).toBe(later);
    expect(mapOf(loaded.updates)).toEqual({ mine: 'x', theirs: 'y', later: 'z' });
    // Read back in binary: the stored snapshot is the fold's bytes, and a second compaction folds it again.
    const again = new Y.Doc();
    for (const u of loaded.updates) Y.applyUpdate(again, u);
    await storage.compact(doc, Y.encodeStateAsUpdate(again), later);
    const folded = await storage.load(doc);
    expect(folded.logLength).toBe(0);
    expect(folded.lastSeq).toBe(later);
    expect(mapOf(folded.updates)).toEqual({ mine: 'x', theirs: 'y', later: 'z' });
  });

  it('lets one node compact a document at a time: a second compaction meanwhile is skipped', async () => {
    const doc = 'xihe/meetings/2026';
    const seq = await storage.append(doc, updateOf(20, 'k', 'v'), stamp);
    const other = new pg.Client(engine.url);
    await other.connect();
    await other.query('BEGIN');
    await other.query("SELECT pg_advisory_xact_lock(hashtextextended('cgw-compact:' || $1, 0))", [doc]);
    await storage.compact(doc, updateOf(20, 'k', 'v'), seq);
    expect((await storage.load(doc)).logLength).toBe(1);
    await other.query('COMMIT');
    await other.end();
    await storage.compact(doc, updateOf(20, 'k', 'v'), seq);
    expect((await storage.load(doc)).logLength).toBe(0);
  });

  it('answers tokens, revocations and communities, and keeps one heartbeat per node', async () => {
    await storage.addCommunity('xihe', '西河社区');
    expect(await storage.communityExists('xihe')).toBe(true);
    expect(await storage.communityExists('nowhere')).toBe(false);
    const token = { jti: 't1', user: 'wang', communities: ['xihe'], role: 'editor', issuedAt: 1, expiresAt: 2 };
    await storage.insertToken(token);
    expect(await storage.getToken('t1')).toEqual({ ...token, revokedAt: null });
    expect(await storage.revokedAmong(['t1'])).toEqual(new Set());
    expect(await storage.revokeToken('t1', 5)).toBe(true);
    expect(await storage.revokeToken('t1', 9)).toBe(true);
    expect((await storage.getToken('t1'))?.revokedAt).toBe(5);
    expect(await storage.revokedAmong(['t1', 'other'])).toEqual(new Set(['t1']));
    const status = { pid: 1, startedAt: 1, updatedAt: 2, connections: 3, documentsLoaded: 4 };
    await storage.writeStatus({ ...status, address: 'a:1' });
    await storage.writeStatus({ ...status, address: 'b:1' });
    await storage.writeStatus({ ...status, address: 'a:1', updatedAt: 3 });
    expect((await storage.readStatuses()).map((s) => [s.address, s.updatedAt])).toEqual([
      ['a:1', 3],
      ['b:1', 2],
    ]);
    expect(await storage.bytesStored()).toBeGreaterThan(0);
  });

  it('stores a batch of appends in one statement: each its own seq (in arrival order), document and stamp', async () => {
    const entries = [
      { doc: 'xihe/batch-a', update: updateOf(40, 'a', '1'), stamp: { jti: 'ja', user: 'wang' } },
      { doc: 'xihe/batch-b', update: updateOf(41, 'b', '2'), stamp: { jti: 'jb', user: 'li' } },
      { doc: 'xihe/batch-a', update: updateOf(42, 'c', '33'), stamp: { jti: 'jc', user: 'zhao' } },
    ];
    const seqs = await Promise.all(entries.map((e) => storage.append(e.doc, e.update, e.stamp)));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const stored = await storage.pool.query<{ seq: number; doc: string; data: Buffer; xmin: string }>(
      'SELECT seq, doc, data, xmin::text AS xmin FROM doc_updates WHERE seq = ANY($1::bigint[]) ORDER BY seq',
      [seqs],
    );
    expect(
      stored.rows.map((r) => [
        r.seq,
        r.doc,
        Buffer.compare(r.data, Buffer.from(entries[seqs.indexOf(r.seq)]?.update ?? [])),
      ]),
    ).toEqual(seqs.map((seq, i) => [seq, entries[i]?.doc, 0]));
    expect(new Set(stored.rows.map((r) => r.xmin)).size).toBe(1);
    const history = await storage.pool.query<{ seq: number; doc: string; jti: string; user: string; bytes: number }>(
      'SELECT seq, doc, jti, "user", bytes FROM doc_history WHERE seq = ANY($1::bigint[]) ORDER BY seq',
      [seqs],
    );
    expect(history.rows).toEqual(
      entries.map((e, i) => ({
        seq: seqs[i],
        doc: e.doc,
        jti: e.stamp.jti,
        user: e.stamp.user,
        bytes: e.update.byteLength,
      })),
    );
  });

  it('stores snapshots uncompressed (STORAGE EXTERNAL: Yjs bytes are compact already)', async () => {
    const column = await storage.pool.query<{ attstorage: string }>(
      "SELECT attstorage FROM pg_attribute WHERE attrelid = 'doc_snapshots'::regclass AND attname = 'snapshot'",
    );
    expect(column.rows).toEqual([{ attstorage: 'e' }]);
    const doc = 'xihe/external';
    const seq = await storage.append(doc, updateOf(50, 'k', 'v'), stamp);
    // Compressible and far over the TOAST threshold: PostgreSQL would compress it under the default (EXTENDED).
    const big = new Y.Doc();
    big.clientID = 50;
    big.getMap('m').set('k', 'v');
    big.getMap('m').set('text', 'abc'.repeat(100_000));
    await storage.compact(doc, Y.encodeStateAsUpdate(big), seq);
    const stored = await storage.pool.query<{ compression: string | null }>(
      'SELECT pg_column_compression(snapshot) AS compression FROM doc_snapshots WHERE doc = $1',
      [doc],
    );
    expect(stored.rows).toEqual([{ compression: null }]);
    expect(mapOf((await storage.load(doc)).updates).text).toBe('abc'.repeat(100_000));
  });

  it('holds no connection while it folds: an append on a pool of one goes through meanwhile', async () => {
    const small = await PostgresStorage.open(engine.url, { poolSize: 1 });
    try {
      const doc = 'xihe/fold-pool';
      const seq = await small.append(doc, updateOf(60, 'a', '1'), stamp);
      let during = 0;
      await small.compact(doc, updateOf(60, 'a', '1'), seq, async (snapshot, older) => {
        // Before the change, the compaction's transaction held the only connection here: this append timed out.
        during = await small.append(doc, updateOf(61, 'b', '2'), stamp);
        return Promise.resolve(Y.mergeUpdates([snapshot, ...older]));
      });
      expect(during).toBeGreaterThan(seq);
      const loaded = await small.load(doc);
      expect(loaded.logLength).toBe(1);
      expect(mapOf(loaded.updates)).toEqual({ a: '1', b: '2' });
    } finally {
      await small.close();
    }
  });

  it('deletes only the log entries it folded: one committed meanwhile with a lower seq stays', async () => {
    const doc = 'xihe/fold-late';
    // A seq drawn now and committed late (as by another node whose commit was slow): below the fold's throughSeq.
    const reserved = Number(
      (await storage.pool.query<{ seq: string }>("SELECT nextval('doc_updates_seq_seq')::text AS seq")).rows[0]?.seq,
    );
    const through = await storage.append(doc, updateOf(70, 'a', '1'), stamp);
    expect(through).toBeGreaterThan(reserved);
    await storage.compact(doc, updateOf(70, 'a', '1'), through, async (snapshot, older) => {
      await storage.pool.query('INSERT INTO doc_updates (seq, doc, data, created_at) VALUES ($1, $2, $3, $4)', [
        reserved,
        doc,
        Buffer.from(updateOf(71, 'late', 'x')),
        Date.now(),
      ]);
      return Promise.resolve(Y.mergeUpdates([snapshot, ...older]));
    });
    const loaded = await storage.load(doc);
    expect(loaded.logLength).toBe(1);
    expect(mapOf(loaded.updates)).toEqual({ a: '1', late: 'x' });
  });

  it('drops its fold when another node stored a snapshot meanwhile, losing nothing', async () => {
    const doc = 'xihe/fold-race';
    const other = await PostgresStorage.open(engine.url);
    try {
      const first = await storage.append(doc, updateOf(80, 'a', '1'), stamp);
      let second = 0;
      await storage.compact(doc, updateOf(80, 'a', '1'), first, async (snapshot, older) => {
        // Meanwhile another node stores an update and folds everything up to it.
        second = await other.append(doc, updateOf(81, 'b', '2'), stamp);
        const both = Y.mergeUpdates([updateOf(80, 'a', '1'), updateOf(81, 'b', '2')]);
        await other.compact(doc, both, second);
        return Promise.resolve(Y.mergeUpdates([snapshot, ...older]));
      });
      const loaded = await storage.load(doc);
      expect(loaded.logLength).toBe(0);
      expect(loaded.lastSeq).toBe(second);
      expect(mapOf(loaded.updates)).toEqual({ a: '1', b: '2' });
    } finally {
      await other.close();
    }
  });

  it('refuses an append while PostgreSQL is down, with PostgresUnavailableError, and works again after', async () => {
    await engine.stop();
    try {
      await expect(storage.append('xihe/tasks/2026', updateOf(30, 'k', 'v'), stamp)).rejects.toBeInstanceOf(
        PostgresUnavailableError,
      );
    } finally {
      await engine.start();
    }
    const seq = await storage.append('xihe/tasks/2026', updateOf(30, 'k', 'v'), stamp);
    expect(seq).toBeGreaterThan(0);
    expect((await storage.load('xihe/tasks/2026')).logLength).toBe(1);
  });
});
