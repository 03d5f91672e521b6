/**
 * storage/postgres.ts reads a snapshot, a log entry or a registry's rows longer than a slice (1 MiB) in base64 slices
 * instead of one hex-parsed bytea (docs/sync-server.md, "Compaction off the event loop"): against a real PostgreSQL,
 * the bytes read back by `load`, by `compact` (its merge with what the node lacked) and by `loadRows` are exactly
 * those stored, whatever their length against the slice (below, just over, an exact multiple, several slices).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type PostgresStorage } from '../../../sync-server/storage/postgres';
import { SERVER_STAMP } from '../../../sync-server/storage/types';
import { enginesMissing } from '../cluster/engines';
import { withPostgresStorage } from '../cluster/postgresStorage';

const missing = enginesMissing();
if (missing !== null) console.warn(`skipping PostgreSQL snapshot slice tests: ${missing}`);

const MIB = 1024 * 1024;

/** A document holding one string of about `bytes` characters (random, so that nothing compresses it). */
function bigDoc(client: number, bytes: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = client;
  doc.getMap('m').set(
    'big',
    randomBytes(Math.ceil(bytes / 2))
      .toString('hex')
      .slice(0, bytes),
  );
  return doc;
}

describe.skipIf(missing !== null)('PostgreSQL snapshots read in slices', () => {
  let storage: PostgresStorage;

  withPostgresStorage((_engine, opened) => {
    storage = opened;
  });

  it.each([
    ['below one slice', MIB - 1],
    ['exactly one slice', MIB],
    ['just over one slice', MIB + 1],
    ['an exact multiple of the slice', 2 * MIB],
    ['three slices and a bit', 3 * MIB + 777],
  ])('load returns the stored snapshot byte for byte (%s)', async (_label, size) => {
    const name = `slices-${size}/registry`;
    // Any bytes do for `load`, which never parses what it returns.
    const snapshot = new Uint8Array(randomBytes(size));
    const seq = await storage.append(name, new Uint8Array([0, 0]), SERVER_STAMP);
    // The stored log is no update the default fold could parse: a fold that keeps the node's snapshot stands in.
    await storage.compact(name, snapshot, seq, (mine) => Promise.resolve(mine));
    const loaded = await storage.load(name);
    expect(loaded.logLength).toBe(0);
    expect(loaded.updates).toHaveLength(1);
    expect(loaded.updates[0]?.byteLength).toBe(size);
    expect(Buffer.from(loaded.updates[0] ?? new Uint8Array()).equals(Buffer.from(snapshot))).toBe(true);
  });

  it('compaction merges what a big stored snapshot holds beyond the node', async () => {
    const name = 'slices-merge/registry';
    const stored = bigDoc(7, 2 * MIB + 123);
    const storedState = Y.encodeStateAsUpdate(stored);
    const seq = await storage.append(name, storedState, SERVER_STAMP);
    await storage.compact(name, storedState, seq);
    // Another node's memory lacks the big string (it loaded before it was stored) and holds a change of its own.
    const node = new Y.Doc();
    node.clientID = 8;
    node.getMap('m').set('mine', 'from the node');
    const mine = Y.encodeStateAsUpdate(node);
    const seq2 = await storage.append(name, mine, SERVER_STAMP);
    await storage.compact(name, mine, seq2);
    const loaded = await storage.load(name);
    expect(loaded.updates).toHaveLength(1);
    const back = new Y.Doc();
    Y.applyUpdate(back, loaded.updates[0] ?? new Uint8Array());
    expect(back.getMap('m').get('mine')).toBe('from the node');
    expect(back.getMap('m').get('big')).toBe(stored.getMap('m').get('big'));
  });

  it('load and compaction read a log entry over a slice byte for byte, among small ones', async () => {
    const name = 'slices-log/registry';
    // A masked copy made whole at load is one log entry of megabytes until the next compaction.
    const big = new Uint8Array(randomBytes(2 * MIB + 321));
    const entries = [new Uint8Array([1, 2, 3]), big, new Uint8Array(randomBytes(MIB)), new Uint8Array([4])];
    let last = 0;
    for (const entry of entries) last = await storage.append(name, entry, SERVER_STAMP);
    const loaded = await storage.load(name);
    expect(loaded.logLength).toBe(entries.length);
    expect(loaded.updates.map((u) => Buffer.from(u).toString('hex'))).toEqual(
      entries.map((e) => Buffer.from(e).toString('hex')),
    );
    let older: readonly Uint8Array[] = [];
    await storage.compact(name, new Uint8Array([9]), last, (mine, stored) => {
      older = stored;
      return Promise.resolve(mine);
    });
    expect(older.map((u) => Buffer.from(u).toString('hex'))).toEqual(
      entries.map((e) => Buffer.from(e).toString('hex')),
    );
  });

  it.each([
    ['below one slice', MIB - 5],
    ['three slices and a bit', 3 * MIB + 5],
  ])("a registry's rows read back byte for byte (%s)", async (_label, size) => {
    const name = `slices-rows-${size}/registry`;
    const rows = {
      format: 3,
      stateVector: new Uint8Array([1, 2, 3]),
      gzipped: new Uint8Array(randomBytes(size)),
      updatedAt: 1_700_000_000_000,
    };
    await storage.putRows(name, rows);
    const back = await storage.loadRows(name);
    expect(back?.format).toBe(3);
    expect(back?.updatedAt).toBe(rows.updatedAt);
    expect(Buffer.from(back?.stateVector ?? new Uint8Array()).equals(Buffer.from(rows.stateVector))).toBe(true);
    expect(back?.gzipped.byteLength).toBe(size);
    expect(Buffer.from(back?.gzipped ?? new Uint8Array()).equals(Buffer.from(rows.gzipped))).toBe(true);
    expect(await storage.loadRows(`${name}-none`)).toBeUndefined();
  });
});
