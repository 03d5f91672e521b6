import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { updateResident } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import type { ResidentId } from '@shared/domain/registry/types';
import { RESIDENT_BUCKETS, readResidentRows } from '../../../../renderer/data/projectionRows';
import { WorkstationStore } from '../../../../renderer/data/store';
import { keysOf, useTestStore } from '../storeFixture';

const ORDER = new Intl.Collator('zh-CN');

/** A demo community with its projection on disk, and the unfiltered list of its first `limit` residents. */
async function projectedCommunity(store: WorkstationStore, seed: number, residents: number, limit: number) {
  const { doc } = generateDemoCommunity(seed, { residents });
  const community = await store.addDemoCommunity(Y.encodeStateAsUpdate(doc));
  await store.registry(community);
  await store.flush();
  return { community, reference: await store.searchResidents(community, '', {}, limit) };
}

describe('WorkstationStore resident list with nothing typed', () => {
  const store = useTestStore();

  it('shows the first residents of the whole community by address, and counts them all', async () => {
    const { doc } = generateDemoCommunity(7, { residents: 400 });
    const community = await store().addDemoCommunity(Y.encodeStateAsUpdate(doc));
    const all = await store().searchResidents(community, '', {}, 10_000);
    expect(all.hits.length).toBe(all.total);
    expect(all.total).toBeGreaterThan(300);
    const addresses = all.hits.map((hit) => hit.row.keys.address);
    const sorted = [...addresses].sort((a, b) => ORDER.compare(a, b));

    const page = await store().searchResidents(community, '', {}, 25);
    expect(page.total).toBe(all.total);
    expect(page.hits.map((hit) => hit.row.keys.address)).toEqual(sorted.slice(0, 25));

    const building = all.hits[all.hits.length - 1]?.row.buildingId ?? '';
    const inBuilding = all.hits.filter((hit) => hit.row.buildingId === building).map((hit) => hit.row.keys.address);
    const filtered = await store().searchResidents(community, '', { buildingId: building }, 5);
    expect(filtered.total).toBe(inBuilding.length);
    expect(filtered.hits.map((hit) => hit.row.keys.address)).toEqual(
      [...inBuilding].sort((a, b) => ORDER.compare(a, b)).slice(0, 5),
    );
  });
});

describe('WorkstationStore first page before the whole community is read', () => {
  const store = useTestStore();

  it('answers the unfiltered list from the list head, then from everyone once they are read', async () => {
    const { community, reference } = await projectedCommunity(store(), 8, 500, 200);

    // A fresh start on the same database: nothing in memory yet.
    const name = store().db.name;
    await store().close();
    const again = await WorkstationStore.open(name, { keys: keysOf(store()) });
    try {
      let told = 0;
      const stop = again.onIndexChange(() => (told += 1));
      const first = await again.searchResidents(community, '', {}, 200);
      expect(told).toBe(0); // answered before anyone was read
      expect(first.total).toBe(reference.total);
      expect(first.hits.map((hit) => hit.row.id)).toEqual(reference.hits.map((hit) => hit.row.id));
      // The whole community is read behind the first page, and the lists are told to ask again.
      await vi.waitFor(() => expect(told).toBeGreaterThan(0), { timeout: 8000 });
      const filtered = await again.searchResidents(community, '', { tag: 'elderly-alone' }, 200);
      expect(filtered.total).toBeLessThan(reference.total);
      const full = await again.searchResidents(community, '', {}, 200);
      expect(full.hits.map((hit) => hit.row.id)).toEqual(reference.hits.map((hit) => hit.row.id));
      stop();
      await again.flush();
    } finally {
      await again.close();
    }
  });
});

describe('WorkstationStore opening on the community shown first', () => {
  const store = useTestStore();

  it('reads its list head while the workstation draws, and the list uses that read', async () => {
    const { community, reference } = await projectedCommunity(store(), 10, 400, 200);
    await store().db.settings.put({ key: 'currentCommunity', value: community });
    const name = store().db.name;
    await store().close();
    const reads = () => performance.getEntriesByName('cgw:list-head-read').length;
    const heads = () => performance.getEntriesByName('cgw:list-head').length;
    performance.clearMarks();
    const again = await WorkstationStore.open(name, { keys: keysOf(store()) });
    try {
      // Nobody has asked for a list yet: the store reads the first page by itself.
      await vi.waitFor(() => expect(heads()).toBe(1), { timeout: 8000 });
      expect(reads()).toBe(1);
      const first = await again.searchResidents(community, '', {}, 200);
      expect(first.total).toBe(reference.total);
      expect(first.hits.map((hit) => hit.row.id)).toEqual(reference.hits.map((hit) => hit.row.id));
      expect(reads()).toBe(1); // the list was answered from the read already made
      await again.flush();
    } finally {
      await again.close();
    }
  });
});

describe('WorkstationStore screens opening with everyone in memory', () => {
  const store = useTestStore();

  it('reads no list head from disk when everyone is in memory (a first sync or an earlier screen told them)', async () => {
    const { community, reference } = await projectedCommunity(store(), 9, 300, 50);
    const heads = vi.spyOn(store().db.projections, 'get');
    store().openLater(community); // what every registry screen does when it opens
    const listed = await store().searchResidents(community, '', {}, 50);
    expect(listed.hits.map((hit) => hit.row.id)).toEqual(reference.hits.map((hit) => hit.row.id));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heads).not.toHaveBeenCalled();
    heads.mockRestore();
  });
});

describe('WorkstationStore after a close in the middle of a big projection write', () => {
  const store = useTestStore();

  it('shows neither the half-written buckets nor the old head, but everyone once rebuilt', async () => {
    const { community, reference } = await projectedCommunity(store(), 9, 400, 10_000);
    const name = store().db.name;
    const registry = `${community}/registry`;
    // As a big flush leaves it when the window closes half-way: the state vector of before, marked partial, and
    // half of the buckets emptied (they held other rows before it began).
    const state = await store().db.projections.get(registry);
    await store().db.projections.put({
      docName: registry,
      stateVector: new Uint8Array([0]),
      builtAt: 1,
      partial: true,
    });
    const buckets = await store().db.residentBuckets.where('docName').equals(registry).toArray();
    await store().db.residentBuckets.bulkPut(
      await Promise.all(
        buckets.slice(0, 32).map((bucket) => store().db.rows.residentBucket(registry, bucket.bucket, '[]')),
      ),
    );
    expect(state?.partial).toBeUndefined();
    await store().close();

    const again = await WorkstationStore.open(name, { keys: keysOf(store()) });
    try {
      const first = await again.searchResidents(community, '', {}, 10_000);
      expect(first.total).toBe(reference.total);
      expect((await again.db.projections.get(registry))?.partial).toBeUndefined();
    } finally {
      await again.close();
    }
  });
});

describe('WorkstationStore reading everyone while the projection writes a change', () => {
  const store = useTestStore();

  it('applies a change told while everyone’s rows were read, even when the read came before its write', async () => {
    const { community, reference } = await projectedCommunity(store(), 11, 300, 10_000);
    const target = reference.hits[5]!.row;
    const name = store().db.name;
    await store().close();
    const again = await WorkstationStore.open(name, { keys: keysOf(store()) });
    try {
      // The registry (and its projection) is open before anyone's rows are read, as after a screen that edits.
      await again.registry(community);
      // The read of everyone's rows reaches the disk first (all its buckets as they are now); the edit is told and
      // written before that read returns.
      const registry = again.registryName(community);
      const bulkGet = again.db.residentBuckets.bulkGet.bind(again.db.residentBuckets);
      let stale: Awaited<ReturnType<typeof bulkGet>> | null = null;
      let editing = false;
      const reads = vi.spyOn(again.db.residentBuckets, 'bulkGet').mockImplementation((async (
        keys: [string, number][],
      ) => {
        if (editing || keys.some(([doc]) => doc !== registry)) return bulkGet(keys);
        if (stale === null) {
          stale = await bulkGet(Array.from({ length: RESIDENT_BUCKETS }, (_, bucket) => [registry, bucket]));
          editing = true;
          const edited = await again.run(community, updateResident, {
            id: target.id as ResidentId,
            changes: { note: '读取期间的修改' },
          });
          expect(edited.ok).toBe(true);
          await again.flush();
          editing = false;
        }
        const read = stale;
        return keys.map(([, bucket]) => read[bucket]);
      }) as unknown as typeof bulkGet);
      const everyone = await again.searchResidents(community, '', {}, 10_000);
      expect(everyone.total).toBe(reference.total);
      expect(stale).not.toBeNull();
      reads.mockRestore();
      expect((await again.residentRow(community, target.id))?.record.note).toBe('读取期间的修改');
      // And on disk, for the next start.
      expect((await readResidentRows(again.db, registry)).find((row) => row.id === target.id)?.record.note).toBe(
        '读取期间的修改',
      );
      await again.flush();
    } finally {
      await again.close();
    }
  });
});
