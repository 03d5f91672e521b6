import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { WorkstationDb } from '../../../../renderer/data/db';
import { MemoryKeyRing } from '../../../../renderer/data/keyring';
import { SealedRows } from '../../../../renderer/data/sealed';
import {
  changedDoc,
  COMPACT_THRESHOLD,
  LocalDocs,
  RECEIVED_ROWS_PER_STEP,
  ROW_BYTES,
} from '../../../../renderer/data/docs';
import { encodeStateAsUpdates } from '@shared/sync/chunks';
import { TYPING_QUIET_MS } from '../../../../renderer/data/typing';
import { inOldOrder, threeDevices } from '../../../fixtures/sync/oldOrder';

let counter = 0;
const opened: WorkstationDb[] = [];
/** One key ring for the file: a database opened again (the app after a restart) opens with the same keys. */
const keys = new MemoryKeyRing();
function freshDbName(): string {
  counter += 1;
  return `docs-test-${counter}-${Math.random().toString(36).slice(2)}`;
}
function openDb(name: string): WorkstationDb {
  const db = new WorkstationDb(name, new SealedRows(keys));
  opened.push(db);
  return db;
}

/** The stored rows of a document, opened (the updates as they were given to the disk). */
async function storedRows(db: WorkstationDb, docName: string): Promise<{ update: Uint8Array }[]> {
  const rows = await db.docUpdates.where('docName').equals(docName).sortBy('seq');
  return Promise.all(rows.map(async (row) => ({ update: await db.rows.openUpdate(row) })));
}

/** Another device's document of 30,000 residents: its whole state is one update of several ROW_BYTES. */
function bigRemoteDoc(): Y.Doc {
  const remote = new Y.Doc();
  remote.transact(() => {
    for (let i = 0; i < 30_000; i++) remote.getMap<string>('residents').set(`r${i}`, `居民${i}-${'x'.repeat(60)}`);
  });
  return remote;
}

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

describe('LocalDocs', () => {
  it('keeps every edit on disk: a fresh start of the app finds it', async () => {
    const name = freshDbName();
    const docs = new LocalDocs(openDb(name));
    const doc = await docs.get('demo/registry');
    doc.getMap('residents').set('r1', 'first');
    doc.getMap('residents').set('r2', 'second');
    await docs.flush();

    // A second database connection stands in for the app after a restart (nothing kept in memory).
    const again = new LocalDocs(openDb(name));
    const reloaded = await again.get('demo/registry');
    expect(reloaded.getMap('residents').toJSON()).toEqual({ r1: 'first', r2: 'second' });
  });

  it('keeps documents apart by name', async () => {
    const name = freshDbName();
    const docs = new LocalDocs(openDb(name));
    (await docs.get('a/registry')).getMap('m').set('k', 'a');
    (await docs.get('b/registry')).getMap('m').set('k', 'b');
    await docs.flush();
    const again = new LocalDocs(openDb(name));
    expect((await again.get('a/registry')).getMap('m').get('k')).toBe('a');
    expect((await again.get('b/registry')).getMap('m').get('k')).toBe('b');
  });

  it('compacts a long update log into one row with identical content', async () => {
    const name = freshDbName();
    const docs = new LocalDocs(openDb(name));
    const doc = await docs.get('demo/registry');
    const text = doc.getText('minutes');
    for (let i = 0; i < COMPACT_THRESHOLD + 20; i++) {
      text.insert(text.length, `${i},`);
      // One update per task, as a person types: each lands in its own row until the log is compacted.
      await docs.flush();
    }
    const expected = text.toJSON();
    expect(await docs.storedRowCount('demo/registry')).toBeLessThan(COMPACT_THRESHOLD);

    const again = new LocalDocs(openDb(name));
    expect((await again.get('demo/registry')).getText('minutes').toJSON()).toBe(expected);
  });

  it('does not write back what it loaded from disk', async () => {
    const name = freshDbName();
    const docs = new LocalDocs(openDb(name));
    (await docs.get('demo/registry')).getMap('m').set('k', 1);
    await docs.flush();
    const db = openDb(name);
    const again = new LocalDocs(db);
    await again.get('demo/registry');
    await again.flush();
    expect(await again.storedRowCount('demo/registry')).toBe(1);
  });

  it('reports a failed write instead of losing it silently', async () => {
    const db = openDb(freshDbName());
    const docs = new LocalDocs(db);
    const errors: unknown[] = [];
    docs.onWriteError((error) => errors.push(error));
    const doc = await docs.get('demo/registry');
    db.close(); // storage gone (e.g. the disk was removed)
    doc.getMap('m').set('k', 1);
    await docs.flush();
    expect(errors).toHaveLength(1);
  });

  it('applies updates made by another device, and stores them too', async () => {
    const name = freshDbName();
    const docs = new LocalDocs(openDb(name));
    const doc = await docs.get('demo/registry');
    const remote = new Y.Doc();
    remote.getMap('m').set('from', 'laptop');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote), 'sync');
    await docs.flush();
    const again = new LocalDocs(openDb(name));
    expect((await again.get('demo/registry')).getMap('m').get('from')).toBe('laptop');
  });

  it('stores a big update (an import, a first sync) as rows of about ROW_BYTES, and loads them back whole', async () => {
    const name = freshDbName();
    const db = openDb(name);
    const docs = new LocalDocs(db);
    const doc = await docs.get('demo/registry');
    const remote = bigRemoteDoc();
    const update = Y.encodeStateAsUpdate(remote);
    expect(update.length).toBeGreaterThan(2 * ROW_BYTES);
    Y.applyUpdate(doc, update, 'sync');
    doc.getMap('meta').set('after', 'edit');
    await docs.flush();
    const rows = await storedRows(db, 'demo/registry');
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) expect(row.update.length).toBeLessThanOrEqual(ROW_BYTES);

    const again = new LocalDocs(openDb(name));
    const reloaded = await again.get('demo/registry');
    expect(reloaded.getMap('residents').size).toBe(30_000);
    expect(reloaded.getMap('meta').get('after')).toBe('edit');
    expect(Y.encodeStateVector(reloaded)).toEqual(Y.encodeStateVector(doc));
  });

  it('loads a big document between the keys a person types: its row groups wait for a quiet second', async () => {
    const name = freshDbName();
    const db = openDb(name);
    const docs = new LocalDocs(db);
    Y.applyUpdate(await docs.get('demo/registry'), Y.encodeStateAsUpdate(bigRemoteDoc()), 'sync');
    await docs.flush();
    expect((await storedRows(db, 'demo/registry')).length).toBeGreaterThan(2);

    // Someone types a key every 150 ms for 1.5 s while the app opens the document (renderer/data/typing.ts).
    const typing = setInterval(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' })), 150);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    let lastKey = performance.now();
    const stop = setTimeout(() => {
      clearInterval(typing);
      lastKey = performance.now();
    }, 1_500);
    const started = performance.now();
    const reloaded = await new LocalDocs(openDb(name)).get('demo/registry');
    const loadedAt = performance.now();
    clearInterval(typing);
    clearTimeout(stop);
    // The groups after the first waited: the load ended only once a second had passed without a key.
    expect(loadedAt - started).toBeGreaterThanOrEqual(1_500);
    expect(loadedAt - lastKey).toBeGreaterThanOrEqual(TYPING_QUIET_MS - 200);
    expect(reloaded.getMap('residents').size).toBe(30_000);
  });

  it('reads a log of many rows in steps, and reads it again whole when another window merged it meanwhile', async () => {
    const name = freshDbName();
    const db = openDb(name);
    const docs = new LocalDocs(db);
    const doc = await docs.get('demo/registry');
    for (let i = 0; i < 40; i++) {
      doc.getMap('residents').set(`r${i}`, `居民${i}`);
      await docs.flush();
    }
    const seqs = await db.docUpdates.where('docName').equals('demo/registry').primaryKeys();
    expect(seqs.length).toBe(40);

    // Read in steps: more than one read of the rows.
    const stepped = openDb(name);
    const steps = vi.spyOn(stepped.docUpdates, 'bulkGet');
    expect((await new LocalDocs(stepped).get('demo/registry')).getMap('residents').size).toBe(40);
    expect(steps.mock.calls.length).toBeGreaterThan(1);
    expect(steps.mock.calls.flatMap(([keys]) => keys)).toEqual(seqs);

    // Another window merges the log into one row after the first step: the rest of the rows are gone.
    const merged = openDb(name);
    const realBulkGet = merged.docUpdates.bulkGet.bind(merged.docUpdates);
    let calls = 0;
    const mergeAfterFirst = async (keys: (number | undefined)[]) => {
      calls += 1;
      const rows = await realBulkGet(keys);
      if (calls === 1) {
        const other = openDb(name);
        const whole = Y.encodeStateAsUpdate(doc);
        const row = await other.rows.updateRow('demo/registry', (seqs.at(-1) as number) + 1, whole, Date.now());
        await other.transaction('rw', other.docUpdates, async () => {
          await other.docUpdates.bulkDelete(seqs);
          await other.docUpdates.add(row);
        });
      }
      return rows;
    };
    vi.spyOn(merged.docUpdates, 'bulkGet').mockImplementation((keys) => Dexie.Promise.resolve(mergeAfterFirst(keys)));
    const reloaded = await new LocalDocs(merged).get('demo/registry');
    expect(calls).toBeGreaterThan(1);
    expect(reloaded.getMap('residents').toJSON()).toEqual(doc.getMap('residents').toJSON());
    expect(Y.encodeStateVector(reloaded)).toEqual(Y.encodeStateVector(doc));
  });

  it('applies the pieces of a server answer in one transaction and stores them as they came', async () => {
    const db = openDb(freshDbName());
    const docs = new LocalDocs(db);
    const doc = await docs.get('demo/registry');
    // The server's answer to a device holding nothing (sync-server encodeSyncAnswer), here in pieces of 3/4 of a row:
    // cut again from the document they would be rows of ROW_BYTES, fewer and different.
    const pieces = encodeStateAsUpdates(bigRemoteDoc(), new Map(), (ROW_BYTES * 3) / 4);
    expect(pieces.length).toBeGreaterThan(2);
    const transactions: [unknown, boolean, boolean][] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) =>
      transactions.push([transaction.origin, transaction.local, changedDoc(transaction)]),
    );
    const encoded: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => encoded.push(origin));
    docs.applyReceived('demo/registry', doc, pieces, 'server');
    // One transaction from elsewhere (not local: the guards of signed records look at those), that changed the
    // document; not encoded again for `update` listeners.
    expect(transactions).toEqual([['server', false, true]]);
    expect(encoded).toEqual([]);
    expect(doc.getMap('residents').size).toBe(30_000);
    await docs.flush();
    const rows = await storedRows(db, 'demo/registry');
    expect(rows).toHaveLength(pieces.length);
    rows.forEach((row, index) => expect(Buffer.from(row.update).equals(Buffer.from(pieces[index]!))).toBe(true));
    // `update` listeners hear local edits again, and the edit is stored.
    doc.getMap('meta').set('after', 'edit');
    expect(encoded).toEqual([null]);
    await docs.flush();
    const again = new LocalDocs(openDb(db.name));
    const reloaded = await again.get('demo/registry');
    expect(reloaded.getMap('residents').size).toBe(30_000);
    expect(reloaded.getMap('meta').get('after')).toBe('edit');
  });

  it("stores a new device's answer in slices of a few hundred KiB as they came, one row each, not merged", async () => {
    const db = openDb(freshDbName());
    const docs = new LocalDocs(db);
    const doc = await docs.get('demo/registry');
    // A server answers a new device with the slices its load made (sync-server/docSlices.ts), about 450 KB each at
    // 100,000 residents: merged two by two they cost seconds and bought nothing.
    const pieces = encodeStateAsUpdates(bigRemoteDoc(), new Map(), ROW_BYTES * 0.45);
    expect(pieces.length).toBeGreaterThan(3);
    const small = Array.from({ length: 3 }, (_, i) => {
      const edit = new Y.Doc();
      edit.getMap('meta').set(`k${i}`, i);
      return Y.encodeStateAsUpdate(edit);
    });
    docs.applyReceived('demo/registry', doc, [...pieces, ...small], 'server');
    await docs.flush();
    const rows = await storedRows(db, 'demo/registry');
    // Each slice a row of its own; the small updates after them merged into one.
    expect(rows).toHaveLength(pieces.length + 1);
    pieces.forEach((piece, index) => expect(Buffer.from(rows[index]!.update).equals(Buffer.from(piece))).toBe(true));
    const reloaded = await new LocalDocs(openDb(db.name)).get('demo/registry');
    expect(reloaded.getMap('residents').size).toBe(30_000);
    expect(reloaded.getMap('meta').toJSON()).toEqual({ k0: 0, k1: 1, k2: 2 });
    expect(Y.encodeStateVector(reloaded)).toEqual(Y.encodeStateVector(doc));
  });

  it('stores and loads whole an answer whose pieces name their clients in the old order (an older server)', async () => {
    const db = openDb(freshDbName());
    const docs = new LocalDocs(db);
    const doc = await docs.get('demo/meetings');
    const source = threeDevices();
    // Small pieces: written to disk merged into one row (Y.mergeUpdates), where the old order lost structs.
    const pieces = encodeStateAsUpdates(source, new Map(), 2_000).map(inOldOrder);
    expect(pieces.length).toBeGreaterThan(2);
    docs.applyReceived('demo/meetings', doc, pieces, 'server');
    expect(doc.getMap('m').toJSON()).toEqual(source.getMap('m').toJSON());
    await docs.flush();
    const reloaded = await new LocalDocs(openDb(db.name)).get('demo/meetings');
    expect(reloaded.getMap('m').toJSON()).toEqual(source.getMap('m').toJSON());
    expect(Y.encodeStateVector(reloaded)).toEqual(Y.encodeStateVector(source));
  });

  it('stores each piece of an answer on its own, also when the pieces are views into one buffer', async () => {
    const db = openDb(freshDbName());
    const docs = new LocalDocs(db);
    const doc = await docs.get('demo/registry');
    const pieces = encodeStateAsUpdates(bigRemoteDoc(), new Map(), ROW_BYTES);
    // As a decompressed answer holds them: one buffer, the pieces views into it.
    const whole = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
    let at = 0;
    const views = pieces.map((piece) => {
      whole.set(piece, at);
      at += piece.length;
      return whole.subarray(at - piece.length, at);
    });
    docs.applyReceived('demo/registry', doc, views, 'server');
    await docs.flush();
    const rows = await storedRows(db, 'demo/registry');
    expect(rows.map((row) => row.update.buffer.byteLength)).toEqual(pieces.map((piece) => piece.length));
    rows.forEach((row, index) => expect(Buffer.from(row.update).equals(Buffer.from(pieces[index]!))).toBe(true));
  });

  it('stores what was applied of an answer with a piece it cannot read, and says so', async () => {
    const db = openDb(freshDbName());
    const docs = new LocalDocs(db);
    const doc = await docs.get('demo/registry');
    const good = new Y.Doc();
    good.getMap('m').set('kept', 'yes');
    const garbled = new Uint8Array([200, 1, 2, 3, 4, 5]);
    expect(() => docs.applyReceived('demo/registry', doc, [Y.encodeStateAsUpdate(good), garbled], 'server')).toThrow();
    await docs.flush();
    const rows = await storedRows(db, 'demo/registry');
    expect(rows.some((row) => Buffer.from(row.update).equals(Buffer.from(garbled)))).toBe(false);
    const again = new LocalDocs(openDb(db.name));
    expect((await again.get('demo/registry')).getMap('m').get('kept')).toBe('yes');
  });

  it('writes what the server sent a few rows at a time, and local work in one transaction', async () => {
    const db = openDb(freshDbName());
    const docs = new LocalDocs(db);
    const writes = vi.spyOn(db.docUpdates, 'bulkAdd');
    const rowsPerWrite = () => writes.mock.calls.map(([rows]) => (rows as unknown[]).length);
    const received = await docs.get('demo/registry');
    const pieces = encodeStateAsUpdates(bigRemoteDoc(), new Map(), ROW_BYTES);
    expect(pieces.length).toBeGreaterThan(RECEIVED_ROWS_PER_STEP);
    docs.applyReceived('demo/registry', received, pieces, 'server');
    await docs.flush();
    expect(rowsPerWrite().length).toBeGreaterThan(1);
    expect(rowsPerWrite().every((rows) => rows <= RECEIVED_ROWS_PER_STEP)).toBe(true);
    expect(rowsPerWrite().reduce((sum, rows) => sum + rows, 0)).toBe(pieces.length);

    // An import made here: all of it on disk or, after a crash, none of it.
    writes.mockClear();
    const local = await docs.get('demo/other');
    local.transact(() => {
      for (let i = 0; i < 30_000; i++) local.getMap<string>('residents').set(`r${i}`, `居民${i}-${'x'.repeat(60)}`);
    });
    await docs.flush();
    expect(rowsPerWrite()).toHaveLength(1);
    expect(rowsPerWrite()[0]).toBeGreaterThan(RECEIVED_ROWS_PER_STEP);

    const again = new LocalDocs(openDb(db.name));
    expect((await again.get('demo/registry')).getMap('residents').size).toBe(30_000);
    expect((await again.get('demo/other')).getMap('residents').size).toBe(30_000);
  });

  it('writes a big received update by itself, with no local change to carry it', async () => {
    const db = openDb(freshDbName());
    const docs = new LocalDocs(db);
    const doc = await docs.get('demo/registry');
    const remote = bigRemoteDoc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote), 'sync');
    await docs.flush();
    const again = new LocalDocs(openDb(db.name));
    expect((await again.get('demo/registry')).getMap('residents').size).toBe(30_000);
  });

  it('compaction merges small rows but never makes one big row of a big document', async () => {
    const name = freshDbName();
    const db = openDb(name);
    const docs = new LocalDocs(db);
    const doc = await docs.get('demo/registry');
    const remote = bigRemoteDoc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote), 'sync');
    await docs.flush();
    const bigRows = await docs.storedRowCount('demo/registry');
    for (let i = 0; i < COMPACT_THRESHOLD + 10; i++) {
      doc.getMap<number>('edits').set(`k${i % 7}`, i);
      await docs.flush();
    }
    const rows = await storedRows(db, 'demo/registry');
    expect(rows.length).toBeLessThan(bigRows + 20); // compacted (300 rows of edits merged)
    for (const row of rows) expect(row.update.length).toBeLessThanOrEqual(ROW_BYTES);
    const again = new LocalDocs(openDb(name));
    const reloaded = await again.get('demo/registry');
    expect(reloaded.getMap('residents').size).toBe(30_000);
    expect(reloaded.getMap('edits').toJSON()).toEqual(doc.getMap('edits').toJSON());
  });
});
