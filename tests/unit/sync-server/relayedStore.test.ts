import { describe, expect, it } from 'vitest';
import { RelayedStore, runLimited, type RedisRelay } from '../../../sync-server/relay';
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

describe('runLimited: reloading held documents after a relay reset (relay.ts)', () => {
  it('runs a few at a time, retries a failed one, gives up after the attempts, and skips what is no longer held', async () => {
    let running = 0;
    let most = 0;
    const tries = new Map<string, number>();
    const task = (name: string, failures: number, wanted = () => true) => ({
      stillWanted: wanted,
      run: async () => {
        tries.set(name, (tries.get(name) ?? 0) + 1);
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        if ((tries.get(name) ?? 0) <= failures) throw new Error(`${name} timed out`);
      },
    });
    const gaveUp: number[] = [];
    const failed = await runLimited(
      [
        task('a', 0),
        task('b', 2),
        task('c', 0),
        task('d', 9),
        task('e', 0),
        task('f', 0),
        task('gone', 0, () => false),
      ],
      { limit: 3, attempts: 4, pauseMs: () => 1, onGiveUp: (index) => gaveUp.push(index) },
    );
    expect(most).toBe(3);
    expect(Object.fromEntries(tries)).toEqual({ a: 1, b: 3, c: 1, d: 4, e: 1, f: 1 });
    expect(failed).toBe(1);
    expect(gaveUp).toEqual([3]);
  });
});
