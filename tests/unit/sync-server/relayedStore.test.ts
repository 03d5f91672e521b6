import { describe, expect, it } from 'vitest';
import { RelayedStore, type RedisRelay } from '../../../sync-server/relay';
import type { PostgresStorage } from '../../../sync-server/storage/postgres';
import type { StoredDocument } from '../../../sync-server/storage/types';

/** A PostgreSQL stand-in whose load the test finishes by hand (what a load read, and when it returns). */
function slowInner(): { inner: PostgresStorage; finish: (lastSeq: number) => void } {
  let finish: (lastSeq: number) => void = () => undefined;
  const inner = {
    load: () =>
      new Promise<StoredDocument>((resolve) => {
        finish = (lastSeq) => resolve({ updates: [], lastSeq } as unknown as StoredDocument);
      }),
  } as unknown as PostgresStorage;
  return { inner, finish: (lastSeq) => finish(lastSeq) };
}

/** Loading and noting never touch Redis. */
const noRelay = Object.create(null) as RedisRelay;

describe('RelayedStore: what a node holds of a document (reconciliation, docs/sync-server.md)', () => {
  it('counts an update relayed while the document loads, committed after the load read, as held', async () => {
    const { inner, finish } = slowInner();
    const store = new RelayedStore(inner, noRelay);
    const loading = store.load('c/tasks/2026');
    // Relayed during the load: 12 was read by the load, 14 was committed after its read.
    store.note('c/tasks/2026', 12);
    store.note('c/tasks/2026', 14);
    finish(13);
    await loading;
    const known = store.known.get('c/tasks/2026');
    expect(known?.floor).toBe(13);
    expect([...(known?.seqs ?? [])]).toEqual([14]);
  });

  it('ignores updates of documents it does not hold, and those at or below the floor', async () => {
    const { inner, finish } = slowInner();
    const store = new RelayedStore(inner, noRelay);
    store.note('c/other/2026', 5);
    expect(store.known.has('c/other/2026')).toBe(false);
    const loading = store.load('c/tasks/2026');
    finish(20);
    await loading;
    store.note('c/tasks/2026', 20);
    store.note('c/tasks/2026', 21);
    expect([...(store.known.get('c/tasks/2026')?.seqs ?? [])]).toEqual([21]);
  });
});
