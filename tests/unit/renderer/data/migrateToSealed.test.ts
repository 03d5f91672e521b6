import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { updateResident } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import type { ResidentId } from '@shared/domain/registry/types';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { listRecords } from '@shared/ydoc/registry';
import { MemoryKeyRing } from '../../../../renderer/data/keyring';
import { MIGRATION_BATCH } from '../../../../renderer/data/migrateToSealed';
import { readListHead, readRecordRows, RESIDENT_BUCKETS } from '../../../../renderer/data/projectionRows';
import { WorkstationStore } from '../../../../renderer/data/store';
import { addAwayChanges, loadAwayChanges, loadSyncConfig, saveSyncConfig } from '../../../../renderer/data/syncState';
import { PlainRows } from './plainRows';
import { findPersonalData, personalDataOf, rawRows, rowsInClear } from './rawRows';

const community = toCommunityId('c1');
const registry = docName({ community, collection: 'registry' });
const names: string[] = [];

afterEach(async () => {
  for (const name of names.splice(0)) await Dexie.delete(name);
});

/** What the store holds, read through it: equal before and after the migration, and at any point of it. */
async function contents(store: WorkstationStore) {
  const { doc } = await store.registry(community);
  return {
    stateVector: Y.encodeStateVector(doc),
    residents: listRecords(doc, 'residents').map((r) => [r.id, r.idNumber, r.phone, r.note]),
    listed: (await store.searchResidents(community, '', {}, 10_000)).hits.map((hit) => hit.row.id),
    found: (await store.searchResidents(community, 'zh')).total,
    head: await readListHead(store.db, registry),
    records: await readRecordRows(store.db, registry),
    person: await store.personIn(community),
    config: await loadSyncConfig(store),
    away: await loadAwayChanges(store, community),
  };
}

/**
 * A store as a build before encryption at rest left it (every row in clear): a generated community, a log of several
 * batches (an edit per row), projections and the settings about people.
 */
async function storeFromBefore() {
  const name = `migrate-${Math.random().toString(36).slice(2)}`;
  names.push(name);
  const store = await WorkstationStore.open(name, { rows: new PlainRows() });
  const { doc } = generateDemoCommunity(31, { residents: 300, buildings: 6 });
  await store.addDemoCommunity(Y.encodeStateAsUpdate(doc), community);
  await store.registry(community);
  const ids = listRecords(doc, 'residents').map((resident) => resident.id);
  for (let i = 0; i < 3 * MIGRATION_BATCH.docUpdates; i++) {
    expect((await store.run(community, updateResident, { id: ids[i]!, changes: { note: `走访 ${i}` } })).ok).toBe(true);
    await store.flush();
  }
  await store.setPersonIn(community, { kind: 'resident', id: ids[0] as ResidentId });
  await saveSyncConfig(store, {
    server: 'wss://sync.example',
    user: '王小明',
    role: 'editor',
    communities: ['c1'],
    tokenId: 't-1',
    expiresAt: 2_000_000_000,
    joinedAt: 1,
  });
  await addAwayChanges(store, community, [
    {
      docName: registry,
      collection: 'residents',
      recordId: ids[1]!,
      action: 'update',
      userName: '李四',
      deviceId: 'laptop',
      at: '2026-11-01T08:00:00.000Z',
      fields: ['phone'],
      receivedAt: 1,
    },
  ]);
  await store.flush();
  const reference = await contents(store);
  await store.close();
  expect(rowsInClear(await rawRows(name)).length).toBeGreaterThan(RESIDENT_BUCKETS);
  return { name, reference, ...personalDataOf(doc) };
}

describe('migrateToSealed', () => {
  it('seals a store from before in place, batch by batch, with its progress, and loses nothing', async () => {
    const { name, reference, idNumbers, mobiles } = await storeFromBefore();
    const keys = new MemoryKeyRing();
    const store = await WorkstationStore.open(name, { keys });
    expect(store.sealed).toBe(false);
    const progress: [number, number][] = [];
    await store.migrateToSealed((done, total) => progress.push([done, total]));
    expect(store.sealed).toBe(true);
    const total = progress[0]![1];
    expect(progress[0]).toEqual([0, total]);
    expect(progress.at(-1)).toEqual([total, total]);
    expect(progress.every(([done], index) => index === 0 || done > progress[index - 1]![0])).toBe(true);
    // One batch per call after the first: the log, 64 resident buckets, the record buckets, projections, settings.
    expect(progress.length).toBeGreaterThan(1 + RESIDENT_BUCKETS / MIGRATION_BATCH.residentBuckets);
    expect(await contents(store)).toEqual(reference);
    await store.close();

    const rows = await rawRows(name);
    expect(rowsInClear(rows)).toEqual([]);
    expect(findPersonalData(rows, mobiles, idNumbers)).toEqual([]);
    // The next start finds the store marked sealed, and the migration has nothing to do.
    const again = await WorkstationStore.open(name, { keys });
    expect(again.sealed).toBe(true);
    const later: unknown[] = [];
    await again.migrateToSealed((done, total) => later.push([done, total]));
    expect(later).toEqual([]);
    expect(await contents(again)).toEqual(reference);
    await again.close();
  });

  it('is killed after some batches: nothing lost, both kinds of rows read, and the next start finishes', async () => {
    const { name, reference, idNumbers, mobiles } = await storeFromBefore();
    const keys = new MemoryKeyRing();
    const first = await WorkstationStore.open(name, { keys });
    let calls = 0;
    // The app is killed right after the fifth batch is written.
    const killed = first.migrateToSealed(() => {
      calls += 1;
      if (calls === 6) throw new Error('killed');
    });
    await expect(killed).rejects.toThrow('killed');
    await first.close();
    const halfway = await rawRows(name);
    expect(rowsInClear(halfway).length).toBeGreaterThan(0);
    expect(halfway.filter((row) => row.row.sealed !== undefined).length).toBeGreaterThanOrEqual(5);

    const second = await WorkstationStore.open(name, { keys });
    expect(second.sealed).toBe(false);
    expect(await contents(second)).toEqual(reference);
    await second.migrateToSealed();
    expect(second.sealed).toBe(true);
    expect(await contents(second)).toEqual(reference);
    await second.close();
    const rows = await rawRows(name);
    expect(rowsInClear(rows)).toEqual([]);
    expect(findPersonalData(rows, mobiles, idNumbers)).toEqual([]);
  });

  it('a batch whose transaction fails half-way is left whole and in clear; the next run seals it', async () => {
    const { name, reference } = await storeFromBefore();
    const keys = new MemoryKeyRing();
    const first = await WorkstationStore.open(name, { keys });
    const put = first.db.residentBuckets.bulkPut.bind(first.db.residentBuckets);
    let writes = 0;
    // The second batch of resident buckets fails inside its transaction (storage gone, the tab closed...).
    vi.spyOn(first.db.residentBuckets, 'bulkPut').mockImplementation((rows: Parameters<typeof put>[0]) => {
      writes += 1;
      if (writes === 2) throw new Error('disk gone');
      return put(rows);
    });
    await expect(first.migrateToSealed()).rejects.toThrow('disk gone');
    vi.restoreAllMocks();
    await first.close();
    const inClear = rowsInClear(await rawRows(name)).filter((row) => row.startsWith('residentBuckets'));
    expect(inClear).toHaveLength(RESIDENT_BUCKETS - MIGRATION_BATCH.residentBuckets);

    const second = await WorkstationStore.open(name, { keys });
    expect(await contents(second)).toEqual(reference);
    await second.migrateToSealed();
    expect(await contents(second)).toEqual(reference);
    await second.close();
    expect(rowsInClear(await rawRows(name))).toEqual([]);
  });

  it('refuses rows in clear once the store is sealed, and cannot run on a store of rows in clear (tests only)', async () => {
    const { name } = await storeFromBefore();
    const plain = await WorkstationStore.open(name, { rows: new PlainRows() });
    await expect(plain.migrateToSealed()).rejects.toThrow(/in clear/);
    await plain.close();
    const keys = new MemoryKeyRing();
    const store = await WorkstationStore.open(name, { keys });
    await store.migrateToSealed();
    await store.db.settings.put({ key: 'sync.config', value: { server: 'wss://elsewhere', communities: [] } });
    await expect(loadSyncConfig(store)).rejects.toThrow(/in clear in a sealed store/);
    await store.close();
  });
});
