/**
 * Stored logs read back in Yjs's order. A server older than 2026-12-04 stored an older app's pieces as they came,
 * their clients smallest id first; merging such a log when the document loads (`Y.mergeUpdates`, every load path)
 * could lose structs without an error (shared/sync/chunks.ts, `inYjsOrder`; docs/sync-server.md, "Updates in
 * another order"). Every log entry read is checked (the snapshot is the server's own encoding, in order already) and
 * one in another order is handed on written again; the next compaction replaces the log with a snapshot. Costs a
 * decode of the log (about 20 ms per MiB), not of the snapshot.
 */
import { inYjsOrderBytes } from '@shared/sync/chunks';
import type { DocumentStore, StoredDocument } from './types';

function inYjsOrderLogs(stored: StoredDocument): { stored: StoredDocument; rewritten: number } {
  const firstLog = stored.updates.length - stored.logLength;
  let rewritten = 0;
  const updates = stored.updates.map((update, index) => {
    if (index < firstLog) return update;
    const again = inYjsOrderBytes(update);
    if (again !== update) rewritten++;
    return again;
  });
  return { stored: rewritten === 0 ? stored : { ...stored, updates }, rewritten };
}

/** `store`, its `load` giving logs in Yjs's order; `onRewritten` hears of each load that needed it. */
export function withLogsInYjsOrder(
  store: DocumentStore,
  onRewritten: (doc: string, entries: number) => void,
): DocumentStore {
  const load = async (doc: string): Promise<StoredDocument> => {
    const { stored, rewritten } = inYjsOrderLogs(await store.load(doc));
    if (rewritten > 0) onRewritten(doc, rewritten);
    return stored;
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'load') return load;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
