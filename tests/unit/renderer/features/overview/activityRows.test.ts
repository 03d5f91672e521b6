/**
 * The party-building and resources figure rows on disk (renderer/data/figureRows.ts, docs/dashboard-model.md "party
 * building and resources"): an activities document's rows and its registry's are written sealed beside them and read
 * back by a store opened later without opening either document; a change is told to the listeners and read again.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { activityRowsOf, registryFigureRowsOf } from '@shared/domain/dashboard/activityRows';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { insertPartyRecord } from '@shared/ydoc/party';
import { figureRows, FIGURE_ROWS_COLLECTION } from '../../../../../renderer/data/figureRows';
import { WorkstationStore } from '../../../../../renderer/data/store';
import { keysOf, useTestStore } from '../../storeFixture';
import { fixtureActivities, fixtureRegistry } from '../../../shared/domain/dashboard/partyFixture';

const getStore = useTestStore();
const A = toCommunityId('xihe-a');
const NAME = docName({ community: A, collection: 'activities', year: 2026 });
const REGISTRY = docName({ community: A, collection: 'registry' });

describe('party and resources rows on disk', () => {
  it('are written sealed beside the documents and read back later without opening them', async () => {
    const store = getStore();
    await store.createCommunity({ id: A, name: '西河A社区' });
    const { doc: registry } = await store.registry(A);
    Y.applyUpdate(registry, Y.encodeStateAsUpdate(fixtureRegistry()), 'test');
    const doc = await store.document(NAME);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(fixtureActivities()[2026]), 'test');
    const keeper = figureRows(store);
    // Read while open: made from the documents as they stand.
    expect(await keeper.activityRows(NAME)).toEqual(activityRowsOf(doc));
    expect((await keeper.registryFigures(A)).members.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4']);
    await store.flush();
    const row = await store.db.recordBuckets.get([NAME, FIGURE_ROWS_COLLECTION, 0]);
    expect(row?.sealed).toBeInstanceOf(Uint8Array);
    expect(row?.json).toBeUndefined();
    const expected = JSON.parse(JSON.stringify(activityRowsOf(doc))) as unknown;
    const expectedRegistry = JSON.parse(JSON.stringify(registryFigureRowsOf(registry))) as unknown;
    const dbName = store.db.name;
    const keys = keysOf(store);
    await store.close();

    const again = await WorkstationStore.open(dbName, { keys });
    try {
      const rows = await figureRows(again).activityRows(NAME);
      expect(rows).toEqual(expected);
      expect(rows.patrols).toHaveLength(3);
      expect(await figureRows(again).registryFigures(A)).toEqual(expectedRegistry);
      expect(again.docs.isOpen(NAME)).toBe(false);
      expect(again.docs.isOpen(REGISTRY)).toBe(false);
    } finally {
      await again.close();
    }
  });

  it('follow a change, tell the listeners, and read a year never written as empty', async () => {
    const store = getStore();
    await store.createCommunity({ id: A, name: '西河A社区' });
    const keeper = figureRows(store);
    const empty = await keeper.activityRows(docName({ community: A, collection: 'activities', year: 2024 }));
    expect(empty.checkIns).toEqual([]);
    expect(empty.bookings).toEqual([]);
    const doc = await store.document(NAME);
    expect((await keeper.activityRows(NAME)).concerns).toEqual([]);
    const told: string[] = [];
    keeper.onChange((name) => told.push(name));
    insertPartyRecord(doc, 'concerns', 'c1', {
      id: 'c1',
      at: '2026-11-17T02:00:00.000Z',
      by: { userId: 'u-office', userName: '党建专干 刘芳' },
      on: '2026-11-17',
      collectorId: 'm1',
      residentId: null,
      place: '',
      content: '井盖松动',
    });
    expect(told).toEqual([NAME]);
    expect((await keeper.activityRows(NAME)).concerns).toEqual([{ id: 'c1', on: '2026-11-17' }]);
  });
});
