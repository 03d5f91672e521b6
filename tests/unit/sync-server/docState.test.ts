import { gunzipSync } from 'node:zlib';
import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { sliceDoc } from '../../../sync-server/docSlices';
import { FullStateCache, isEmptyStateVector, rebuildDoc } from '../../../sync-server/docState';

/** A snapshot plus a log of `count` single-edit updates, as storage returns them. */
function stored(count: number): { source: Y.Doc; updates: Uint8Array[] } {
  const source = new Y.Doc();
  source.getMap('m').set('before', 0);
  const updates = [Y.encodeStateAsUpdate(source)];
  source.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < count; i++) source.getMap('m').set(`k${i}`, i);
  source.getText('t').insert(0, 'hello');
  source.getText('t').delete(0, 2);
  return { source, updates };
}

/** The update inside a sync-step-2 message. */
function payload(message: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(message);
  expect(decoding.readVarUint(decoder)).toBe(0);
  expect(decoding.readVarUint(decoder)).toBe(1);
  return decoding.readVarUint8Array(decoder);
}

describe('rebuildDoc', () => {
  it('merges snapshot and log into one update and integrates it once', () => {
    const { source, updates } = stored(300);
    const skipped: unknown[] = [];
    const rebuilt = rebuildDoc(updates, (e) => skipped.push(e));
    expect(rebuilt.applied).toBe(1);
    expect(rebuilt.skipped).toBe(0);
    expect(skipped).toEqual([]);
    expect(rebuilt.ydoc.getMap('m').toJSON()).toEqual(source.getMap('m').toJSON());
    expect(rebuilt.ydoc.getText('t').toJSON()).toBe('llo');
    expect(Y.encodeStateVector(rebuilt.ydoc)).toEqual(Y.encodeStateVector(source));
    // The merged update holds exactly what the document holds.
    const fromMerged = new Y.Doc();
    Y.applyUpdate(fromMerged, rebuilt.merged!);
    expect(fromMerged.getMap('m').toJSON()).toEqual(source.getMap('m').toJSON());
    expect(fromMerged.getText('t').toJSON()).toBe('llo');
  });

  it('uses a lone snapshot as it is, and an empty document for nothing stored', () => {
    const { updates } = stored(0);
    const one = rebuildDoc(updates.slice(0, 1), () => undefined);
    expect(one.merged).toBe(updates[0]);
    expect(one.applied).toBe(1);
    const none = rebuildDoc([], () => undefined);
    expect(none.merged).toBeNull();
    expect(none.applied).toBe(0);
    expect(none.ydoc.share.size).toBe(0);
  });

  it('falls back to one update at a time and skips what Yjs cannot read', () => {
    const { source, updates } = stored(5);
    const skipped: unknown[] = [];
    const rebuilt = rebuildDoc([...updates, new Uint8Array([255, 255, 255])], (e) => skipped.push(e));
    expect(rebuilt.merged).toBeNull();
    expect(rebuilt.applied).toBe(updates.length + 1);
    expect(rebuilt.skipped).toBe(1);
    expect(skipped).toHaveLength(1);
    expect(rebuilt.ydoc.getMap('m').toJSON()).toEqual(source.getMap('m').toJSON());
  });
});

describe('isEmptyStateVector', () => {
  it('is true for a client holding nothing only', () => {
    expect(isEmptyStateVector(Y.encodeStateVector(new Y.Doc()))).toBe(true);
    const { source } = stored(1);
    expect(isEmptyStateVector(Y.encodeStateVector(source))).toBe(false);
    expect(() => isEmptyStateVector(new Uint8Array([5]))).toThrow();
  });
});

describe('FullStateCache', () => {
  it('encodes the whole document once for any number of joiners, until it is invalidated', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('a', 1);
    const cache = new FullStateCache(doc);
    expect(cache.cached).toBe(false);
    const first = cache.get();
    expect(cache.get()).toBe(first);
    expect(first).toHaveLength(1);
    const joiner = new Y.Doc();
    Y.applyUpdate(joiner, payload(first[0]!));
    expect(joiner.getMap('m').toJSON()).toEqual({ a: 1 });

    cache.invalidate();
    doc.getMap('m').set('b', 2);
    const second = cache.get();
    expect(second).not.toBe(first);
    const late = new Y.Doc();
    Y.applyUpdate(late, payload(second[0]!));
    expect(late.getMap('m').toJSON()).toEqual({ a: 1, b: 2 });
  });

  it('gzips a big answer once, holding exactly its messages, and again after a change', async () => {
    const { ydoc } = rebuildDoc(stored(2000).updates, () => undefined);
    const cache = new FullStateCache(ydoc, 4096);
    const messages = cache.get();
    const first = cache.gzipped();
    expect(cache.gzipped()).toBe(first);
    expect(gunzipSync(await first).equals(Buffer.concat(messages))).toBe(true);
    cache.invalidate();
    ydoc.getMap('m').set('later', 1);
    const again = await cache.gzipped();
    expect(gunzipSync(again).equals(Buffer.concat(cache.get()))).toBe(true);
    expect(gunzipSync(again).equals(Buffer.concat(messages))).toBe(false);
  });

  it('is seeded with the stored update itself', () => {
    const { updates } = stored(3);
    const { ydoc, merged } = rebuildDoc(updates, () => undefined);
    const cache = new FullStateCache(ydoc);
    cache.seed([merged!]);
    expect(cache.cached).toBe(true);
    expect(payload(cache.get()[0]!)).toEqual(merged);
  });

  it('cuts a big document into update messages and a last sync-step-2, and is not seeded with it whole', () => {
    const { source, updates } = stored(2000);
    const { ydoc, merged } = rebuildDoc(updates, () => undefined);
    const cache = new FullStateCache(ydoc, 4096);
    cache.seed([merged!]);
    expect(cache.cached).toBe(false);
    const messages = cache.get();
    expect(messages.length).toBeGreaterThan(3);
    const joiner = new Y.Doc();
    messages.forEach((message, index) => {
      const decoder = decoding.createDecoder(message);
      expect(decoding.readVarUint(decoder)).toBe(0);
      // update (2) for every piece but the last, which is the sync-step-2 (1)
      expect(decoding.readVarUint(decoder)).toBe(index === messages.length - 1 ? 1 : 2);
      const update = decoding.readVarUint8Array(decoder);
      expect(message.length).toBeLessThanOrEqual(4096);
      Y.applyUpdate(joiner, update);
    });
    expect(joiner.getMap('m').toJSON()).toEqual(source.getMap('m').toJSON());
    expect(joiner.getText('t').toJSON()).toBe('llo');
    expect(Y.encodeStateVector(joiner)).toEqual(Y.encodeStateVector(source));
  });

  describe('seeded with the slices a big document was loaded from', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** A document of many small structs and its slices of 100 structs (as the load's, docSlices.ts). */
    function sliced(): { ydoc: Y.Doc; slices: Uint8Array[] } {
      const { updates } = stored(2000);
      const { ydoc } = rebuildDoc(updates, () => undefined);
      return { ydoc, slices: sliceDoc(ydoc, 100) };
    }

    it('answers a joiner with them, one update message each and a last sync-step-2', () => {
      const { ydoc, slices } = sliced();
      expect(slices.length).toBeGreaterThan(10);
      const cache = new FullStateCache(ydoc, 4096);
      cache.seed(slices);
      const messages = cache.peek();
      expect(messages).toHaveLength(slices.length);
      const joiner = new Y.Doc();
      messages!.forEach((message, index) => {
        const decoder = decoding.createDecoder(message);
        expect(decoding.readVarUint(decoder)).toBe(0);
        expect(decoding.readVarUint(decoder)).toBe(index === messages!.length - 1 ? 1 : 2);
        const update = decoding.readVarUint8Array(decoder);
        expect(update).toEqual(slices[index]);
        Y.applyUpdate(joiner, update);
      });
      expect(joiner.store.pendingStructs).toBeNull();
      expect(Y.encodeStateVector(joiner)).toEqual(Y.encodeStateVector(ydoc));
      expect(joiner.getMap('m').toJSON()).toEqual(ydoc.getMap('m').toJSON());
      expect(joiner.getText('t').toJSON()).toBe('llo');
    });

    it('is not seeded when a slice is bigger than a message may be: the answer is cut as before', () => {
      const { ydoc, slices } = sliced();
      const cache = new FullStateCache(ydoc, Math.max(...slices.map((slice) => slice.length)) - 1);
      cache.seed(slices);
      expect(cache.cached).toBe(false);
      expect(cache.peek()).toBeNull();
    });

    it('drops them when their time is up unless a joiner asked before, and at the next change', () => {
      vi.useFakeTimers();
      const { ydoc, slices } = sliced();
      const unasked = new FullStateCache(ydoc, 4096);
      unasked.seed(slices, 60_000);
      expect(unasked.cached).toBe(true);
      vi.advanceTimersByTime(60_001);
      expect(unasked.cached).toBe(false);

      const asked = new FullStateCache(ydoc, 4096);
      asked.seed(slices, 60_000);
      const answer = asked.peek();
      expect(answer).not.toBeNull();
      vi.advanceTimersByTime(60_001);
      expect(asked.peek()).toBe(answer);
      asked.invalidate();
      expect(asked.cached).toBe(false);

      const changed = new FullStateCache(ydoc, 4096);
      changed.seed(slices, 60_000);
      changed.invalidate();
      ydoc.getMap('m').set('later', 1);
      const encoded = changed.get();
      vi.advanceTimersByTime(60_001);
      // What was encoded after the change is not dropped by the slices' timer.
      expect(changed.peek()).toBe(encoded);
    });
  });
});
