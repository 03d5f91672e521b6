/**
 * A big document's state cut into slices that the event loop integrates one task at a time (documents.ts `loadDoc`;
 * docs/sync-server.md, "Compaction off the event loop"). Integrating a 20,000-resident registry as one update held the
 * event loop for 0.8 s and more (and the garbage collector after it); in slices of `SLICE_STRUCTS` structs, with the
 * event loop free between them, no task is that long.
 *
 * Made in the answer worker (answerWorker.ts) from its replica of the document, which holds exactly what the stored
 * updates hold. Each slice is a v1 update of whole structs whose dependencies (the item to their left and right when
 * they were inserted, and the item of the type they belong to) lie in earlier slices or in the same one, so that
 * Yjs integrates each slice whole and nothing waits as pending; the structs of one client keep their order. The
 * delete set comes in the last slice, with whatever the replica itself holds pending. A document whose dependencies
 * could not be ordered (none that Yjs built) is sliced in clock order anyway: Yjs keeps what it cannot integrate
 * pending until the slice it waits for, so the result is the same, only slower.
 */
import * as Y from 'yjs';

/** About 10-40 ms of the event loop per slice for a registry on a loaded machine (measured: docs/sync-server.md). */
export const SLICE_STRUCTS = 2_000;

type Struct = Y.Item | Y.GC;

/** The ids a struct needs integrated before it: its origins and its parent type's item. */
function dependencies(struct: Struct): (Y.ID | null)[] {
  if (!(struct instanceof Y.Item)) return [];
  const parent = struct.parent;
  const parentItem = parent instanceof Y.AbstractType ? (parent._item?.id ?? null) : null;
  return [struct.origin, struct.rightOrigin, parentItem];
}

/**
 * The document's structs in an order every struct's dependencies come before it: runs of consecutive structs of one
 * client, as `[client, from, to)` index ranges of `store.clients.get(client)`.
 */
function orderedRuns(doc: Y.Doc, after: ReadonlyMap<number, number>): [number, number, number][] {
  const clients = [...doc.store.clients.entries()];
  /** Per client, the index of its first struct not placed yet, and the clock up to which its structs are placed. */
  const next = new Map<number, number>();
  const placed = new Map<number, number>();
  for (const [client, structs] of clients) {
    const clock = after.get(client) ?? 0;
    const last = structs[structs.length - 1];
    const end = last === undefined ? 0 : last.id.clock + last.length;
    next.set(client, clock <= 0 ? 0 : clock >= end ? structs.length : Y.findIndexSS(structs, clock));
    placed.set(client, clock);
  }
  const ready = (id: Y.ID | null): boolean => id === null || (placed.get(id.client) ?? 0) > id.clock;
  const runs: [number, number, number][] = [];
  let left = clients.reduce((sum, [client, structs]) => sum + structs.length - (next.get(client) ?? 0), 0);
  while (left > 0) {
    let progress = false;
    for (const [client, structs] of clients) {
      const from = next.get(client) ?? 0;
      let index = from;
      for (; index < structs.length; index++) {
        const struct = structs[index] as Struct;
        if (!dependencies(struct).every(ready)) break;
        placed.set(client, struct.id.clock + struct.length);
      }
      if (index === from) continue;
      runs.push([client, from, index]);
      next.set(client, index);
      left -= index - from;
      progress = true;
    }
    if (!progress) {
      // Not expected of a document Yjs built: the rest in clock order, Yjs keeps what waits pending meanwhile.
      for (const [client, structs] of clients) {
        const from = next.get(client) ?? 0;
        if (from < structs.length) runs.push([client, from, structs.length]);
      }
      break;
    }
  }
  return runs;
}

/** One slice: per client, a range of consecutive structs, encoded as a v1 update with an empty delete set. */
function encodeSlice(doc: Y.Doc, ranges: Map<number, [number, number]>): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoder.writeLen(ranges.size);
  for (const [client, [from, to]] of [...ranges.entries()].sort((a, b) => b[0] - a[0])) {
    const structs = doc.store.clients.get(client) ?? [];
    const first = structs[from] as Struct;
    encoder.writeLen(to - from);
    encoder.writeClient(client);
    encoder.writeLen(first.id.clock);
    for (let index = from; index < to; index++) (structs[index] as Struct).write(encoder, 0);
  }
  encoder.writeLen(0); // no delete set
  return encoder.toUint8Array();
}

/**
 * The document as slices of at most about `maxStructs` structs each (a run is not cut), the last one its delete set
 * (and what it holds pending, if anything). Applied in order to an empty document, they make the same document.
 */
export function sliceDoc(doc: Y.Doc, maxStructs = SLICE_STRUCTS): Uint8Array[] {
  const slices = sliceStructs(doc, maxStructs);
  // No structs after the document's own state vector: its whole delete set.
  slices.push(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)));
  const { pendingStructs, pendingDs } = doc.store;
  if (pendingStructs !== null) slices.push(new Uint8Array(pendingStructs.update));
  if (pendingDs !== null) slices.push(new Uint8Array(pendingDs));
  return slices;
}

/**
 * The document's structs after the state vector `after` (all of them by default; `after` must fall on struct
 * boundaries, as the state of a document does) as slices of at most about `maxStructs` structs, no delete set: a
 * document holding what `after` names integrates them whole, in order.
 */
export function sliceStructs(
  doc: Y.Doc,
  maxStructs = SLICE_STRUCTS,
  after: ReadonlyMap<number, number> = new Map(),
): Uint8Array[] {
  const slices: Uint8Array[] = [];
  let ranges = new Map<number, [number, number]>();
  let count = 0;
  for (const [client, runFrom, runTo] of orderedRuns(doc, after)) {
    let from = runFrom;
    while (from < runTo) {
      const to = Math.min(runTo, from + (maxStructs - count));
      const range = ranges.get(client);
      // A client's runs follow one another in its clock order: one range per client and slice.
      if (range === undefined) ranges.set(client, [from, to]);
      else range[1] = to;
      count += to - from;
      from = to;
      if (count >= maxStructs) {
        slices.push(encodeSlice(doc, ranges));
        ranges = new Map();
        count = 0;
      }
    }
  }
  if (ranges.size > 0) slices.push(encodeSlice(doc, ranges));
  return slices;
}

/** How many structs the document holds after the state vector `after`. */
export function structsAfter(doc: Y.Doc, after: ReadonlyMap<number, number>): number {
  let count = 0;
  for (const [client, structs] of doc.store.clients) {
    const clock = after.get(client) ?? 0;
    const last = structs[structs.length - 1];
    if (last === undefined || last.id.clock + last.length <= clock) continue;
    count += clock <= 0 ? structs.length : structs.length - Y.findIndexSS(structs, clock);
  }
  return count;
}
