/**
 * A document cut into slices (sync-server/docSlices.ts) makes the same document when they are applied in order to an
 * empty one, nothing left pending between them: several clients editing one list and nested maps concurrently,
 * deletions (garbage-collected and kept), and the demo registry.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { sliceDoc, sliceStructs, structsAfter } from '../../../sync-server/docSlices';

/** Applies the slices one by one; returns the document and how many slices left something pending. */
function rebuilt(slices: readonly Uint8Array[]): { doc: Y.Doc; pendingAfter: number } {
  const doc = new Y.Doc();
  let pendingAfter = 0;
  for (const slice of slices) {
    Y.applyUpdate(doc, slice);
    if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) pendingAfter++;
  }
  return { doc, pendingAfter };
}

/** The same structs, the same deletions, the same content under each of `roots` (name and kind). */
function expectSame(
  actual: Y.Doc,
  expected: Y.Doc,
  roots: readonly (readonly [string, 'map' | 'array' | 'text'])[],
): void {
  expect(Y.encodeStateVector(actual)).toEqual(Y.encodeStateVector(expected));
  expect(Y.equalSnapshots(Y.snapshot(actual), Y.snapshot(expected))).toBe(true);
  for (const [name, kind] of roots) {
    const read = (doc: Y.Doc): unknown =>
      kind === 'map'
        ? doc.getMap(name).toJSON()
        : kind === 'array'
          ? doc.getArray(name).toJSON()
          : doc.getText(name).toJSON();
    expect(read(actual), name).toEqual(read(expected));
  }
}

const CONCURRENT_ROOTS = [
  ['list', 'array'],
  ['records', 'map'],
  ['text', 'text'],
] as const;
const REGISTRY_ROOTS = [
  ['residents', 'map'],
  ['households', 'map'],
  ['buildings', 'map'],
  ['meta', 'map'],
  ['audit', 'array'],
] as const;

/** Three clients taking turns: inserting into one array before and after each other's items, nested maps, deletes. */
function concurrentDoc(gc: boolean): Y.Doc {
  const peers = [1, 2, 3].map((client) => {
    const doc = new Y.Doc({ gc });
    doc.clientID = client * 1_000;
    return doc;
  });
  const sync = (): void => {
    for (const a of peers)
      for (const b of peers) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  };
  for (let round = 0; round < 60; round++) {
    peers.forEach((doc, p) => {
      const list = doc.getArray<unknown>('list');
      list.insert(round % 3 === p ? 0 : list.length, [`${p}-${round}`]);
      if (list.length > 4 && round % 4 === p) list.delete(1, 2);
      const records = doc.getMap<Y.Map<unknown>>('records');
      let record = records.get(`r${round % 7}`);
      if (record === undefined) records.set(`r${round % 7}`, (record = new Y.Map<unknown>()));
      record.set(`f${p}`, round);
      doc.getText('text').insert(Math.min(round, doc.getText('text').length), `${p}`);
    });
    if (round % 3 === 2) sync(); // edits between syncs are concurrent: origins cross clients both ways
  }
  sync();
  const [first] = peers;
  return first!;
}

describe('sliceDoc', () => {
  for (const gc of [true, false]) {
    it(`rebuilds concurrent edits of three clients in slices of one struct and of a few (gc ${gc})`, () => {
      const doc = concurrentDoc(gc);
      for (const size of [1, 7, 100_000]) {
        const slices = sliceDoc(doc, size);
        const { doc: again, pendingAfter } = rebuilt(slices);
        expect(pendingAfter, `slices of ${size}`).toBe(0);
        expectSame(again, doc, CONCURRENT_ROOTS);
      }
      expect(sliceDoc(doc, 7).length).toBeGreaterThan(10);
    });
  }

  it('rebuilds the demo registry from slices of 500 structs, each of at most 500', () => {
    const demo = generateDemoCommunity(3, { residents: 400 });
    // Stored and loaded, as the server's replica is built.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(demo.doc));
    const slices = sliceDoc(doc, 500);
    expect(slices.length).toBeGreaterThan(2);
    for (const slice of slices) {
      const structs = Y.decodeUpdate(slice).structs.length;
      expect(structs).toBeLessThanOrEqual(500);
    }
    const { doc: again, pendingAfter } = rebuilt(slices);
    expect(pendingAfter).toBe(0);
    expectSame(again, doc, REGISTRY_ROOTS);
  });

  it('slices only what lies after a state vector, for a document that holds it (a masked copy made at load)', () => {
    const doc = concurrentDoc(true);
    const holder = new Y.Doc();
    Y.applyUpdate(holder, Y.encodeStateAsUpdate(doc));
    const before = Y.encodeStateVector(doc);
    // A new client writes over what is there: new structs, and deletions of old ones.
    const writer = new Y.Doc();
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(doc));
    writer.transact(() => {
      const list = writer.getArray<unknown>('list');
      list.delete(0, 3);
      for (let i = 0; i < 40; i++) list.insert(i % 5, [`new-${i}`]);
      writer.getMap<Y.Map<unknown>>('records').get('r1')?.set('f0', 'changed');
    });
    const update = Y.encodeStateAsUpdate(writer, before);
    Y.applyUpdate(doc, update);
    const after = Y.decodeStateVector(before);
    expect(structsAfter(doc, after)).toBeGreaterThan(3);
    const slices = [...sliceStructs(doc, 3, after), Y.diffUpdate(update, Y.encodeStateVector(doc))];
    expect(slices.length).toBeGreaterThan(3);
    for (const slice of slices) {
      Y.applyUpdate(holder, slice);
      expect(holder.store.pendingStructs).toBeNull();
    }
    expectSame(holder, doc, CONCURRENT_ROOTS);
  });

  it('carries what the document holds pending into its last slices', () => {
    const source = new Y.Doc();
    source.getMap('m').set('a', 1);
    const first = Y.encodeStateAsUpdate(source);
    source.getMap('m').set('b', 2);
    const holder = new Y.Doc();
    // Only the second half: it waits for the first.
    Y.applyUpdate(holder, Y.diffUpdate(Y.encodeStateAsUpdate(source), Y.encodeStateVectorFromUpdate(first)));
    expect(holder.store.pendingStructs).not.toBeNull();
    const { doc: again } = rebuilt(sliceDoc(holder, 10));
    expect(again.store.pendingStructs).not.toBeNull();
    Y.applyUpdate(again, first);
    expect(again.getMap('m').toJSON()).toEqual({ a: 1, b: 2 });
  });
});
