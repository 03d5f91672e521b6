/**
 * What a registry document changed after a state it was projected at (the rows of a first sync, shared/sync/
 * rowsSnapshot.ts): the records whose structs came after the state's vector, and those an item of which was deleted
 * since (a delete that adds no struct: a field or a record removed). Read from the document's store, without encoding
 * anything: a device that adopted the server's rows projects only these when the document arrives, instead of
 * rebuilding the projection (docs/sync-client.md, "Rows for a first sync").
 */
import * as Y from 'yjs';
import { collectionMap, REGISTRY_COLLECTIONS, type RegistryCollection } from '@shared/ydoc/registry';

/** Whether the document holds everything of a state vector. */
export function coversState(doc: Y.Doc, stateVector: ReadonlyMap<number, number>): boolean {
  for (const [client, clock] of stateVector) if (Y.getState(doc.store, client) < clock) return false;
  return true;
}

type Ranges = { clock: number; len: number }[];

/** Whether every clock of [from, to) is in the (sorted, merged) ranges. */
function allIn(ranges: Ranges | undefined, from: number, to: number): boolean {
  if (ranges === undefined) return false;
  let at = from;
  for (const range of ranges) {
    if (range.clock + range.len <= at) continue;
    if (range.clock > at) return false;
    at = range.clock + range.len;
    if (at >= to) return true;
  }
  return at >= to;
}

function sortedRanges(ds: Y.Snapshot['ds']): Map<number, Ranges> {
  const out = new Map<number, Ranges>();
  for (const [client, items] of ds.clients) {
    out.set(
      client,
      [...items].sort((a, b) => a.clock - b.clock),
    );
  }
  return out;
}

/**
 * The registry records (by collection) the document changed after `since`; `null` when the document does not hold
 * all of `since` (it cannot be caught up from there: rebuild).
 */
export function changedSince(doc: Y.Doc, since: Y.Snapshot): Map<RegistryCollection, Set<string>> | null {
  if (!coversState(doc, since.sv)) return null;
  const roots = new Map<unknown, RegistryCollection>(
    REGISTRY_COLLECTIONS.map((collection) => [collectionMap(doc, collection), collection]),
  );
  const changed = new Map<RegistryCollection, Set<string>>();
  /** The record an item belongs to: walk up to the child of a collection's map. */
  const touch = (struct: Y.AbstractStruct): void => {
    let item: Y.Item | null = struct instanceof Y.Item ? struct : null;
    while (item !== null) {
      const parent = item.parent as Y.AbstractType<unknown> | null;
      if (parent === null) return;
      const collection = roots.get(parent);
      if (collection !== undefined) {
        if (typeof item.parentSub === 'string') {
          let ids = changed.get(collection);
          if (!ids) changed.set(collection, (ids = new Set()));
          ids.add(item.parentSub);
        }
        return;
      }
      item = parent._item;
    }
  };
  // Structs after the state: new records, new field values.
  for (const [client, structs] of doc.store.clients) {
    const after = since.sv.get(client) ?? 0;
    if (Y.getState(doc.store, client) <= after) continue;
    for (let i = after === 0 ? 0 : Y.findIndexSS(structs, after); i < structs.length; i++) {
      const struct = structs[i];
      if (struct !== undefined) touch(struct);
    }
  }
  // Items deleted since the state (those deleted before it are in its delete set).
  const before = sortedRanges(since.ds);
  const now = Y.createDeleteSetFromStructStore(doc.store);
  for (const [client, ranges] of now.clients) {
    const structs = doc.store.clients.get(client);
    if (structs === undefined) continue;
    const old = before.get(client);
    const stateAfter = since.sv.get(client) ?? 0;
    for (const range of ranges) {
      const end = Math.min(range.clock + range.len, stateAfter);
      // Items created after the state were touched above; deleted before it: nothing changed.
      if (range.clock >= end || allIn(old, range.clock, end)) continue;
      for (let i = Y.findIndexSS(structs, range.clock); i < structs.length; i++) {
        const struct = structs[i];
        if (struct === undefined || struct.id.clock >= end) break;
        const from = Math.max(struct.id.clock, range.clock);
        const to = Math.min(struct.id.clock + struct.length, end);
        if (!allIn(old, from, to)) touch(struct);
      }
    }
  }
  return changed;
}
