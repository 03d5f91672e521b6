import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { intakeCase } from '@shared/domain/mediation/commands';
import type { IntakeInput } from '@shared/domain/mediation/inputs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { docName, toCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { MemoryKeyRing } from '../../../../renderer/data/keyring';
import { isCommunitySetting, removeCommunityData } from '../../../../renderer/data/removeCommunity';
import { keepTokenRole } from '../../../../renderer/data/roles';
import type { WorkstationStore } from '../../../../renderer/data/store';
import { addAwayChanges, saveDocSyncState, saveSyncConfig } from '../../../../renderer/data/syncState';
import { useTestStore } from '../storeFixture';

const XIHE = toCommunityId('xihe');
const DONGHU = toCommunityId('donghu');
const YEAR = 2026;

/** Rows of one community in every table (IndexedDB counted, not the store's memory). */
async function rowsOf(store: WorkstationStore, community: string) {
  const db = store.db;
  const prefix = `${community}/`;
  const settings = (await db.settings.toCollection().primaryKeys()).filter((key) => isCommunitySetting(key, community));
  return {
    docUpdates: await db.docUpdates.where('docName').startsWith(prefix).count(),
    residentBuckets: await db.residentBuckets.where('docName').startsWith(prefix).count(),
    residentKeys: await db.residentKeys.where('docName').startsWith(prefix).count(),
    recordBuckets: await db.recordBuckets.where('docName').startsWith(prefix).count(),
    records: await db.records.filter((row) => row.docName.startsWith(prefix)).count(),
    projections: await db.projections.where('docName').startsWith(prefix).count(),
    settings: settings.length,
    communities: await db.communities.where('id').equals(community).count(),
  };
}

/** A community as a synced device holds it: registry with its projection, a year of cases, sync state, a role. */
async function seed(store: WorkstationStore, community: CommunityId, seed: number): Promise<void> {
  const { doc } = generateDemoCommunity(seed, { residents: 30 });
  await store.addDemoCommunity(Y.encodeStateAsUpdate(doc), community);
  await store.registry(community);
  const cases = docName({ community, collection: 'cases', year: YEAR });
  await store.runOn(cases, (d, ctx, input: IntakeInput) => intakeCase(d, ctx, input, null), {
    place: { buildingId: null, householdId: null, address: '北湖路1号' },
    source: 'resident-request',
    category: 'water-leak',
    risk: 'yellow',
    parties: [{ role: 'applicant', name: '申请人', phone: '13911112222', address: '3栋201' }],
    facts: '漏水',
  });
  await store.flush();
  const state = { markers: {}, serverState: { '1': 3 }, lastFullSync: Date.now() };
  await saveDocSyncState(store, docName({ community, collection: 'registry' }), state);
  await saveDocSyncState(store, cases, state);
  await addAwayChanges(store, community, [
    {
      docName: docName({ community, collection: 'registry' }),
      collection: 'residents',
      recordId: 'r-1',
      action: 'update',
      userName: '他人',
      deviceId: 'd-2',
      at: new Date().toISOString(),
      fields: ['note'],
      receivedAt: Date.now(),
    },
  ]);
  await store.setPersonIn(community, { kind: 'volunteer', id: 'v-1' } as never);
  await keepTokenRole(store, [community], 'viewer');
  await store.db.records.put({
    docName: docName({ community, collection: 'registry' }),
    collection: 'zones',
    id: 'z',
    record: {},
  });
}

describe('removing a community from this computer', () => {
  const store = useTestStore();

  it('removes every row of the community in every table and forgets its key, leaving the other community whole', async () => {
    await seed(store(), XIHE, 1);
    await seed(store(), DONGHU, 2);
    await saveSyncConfig(store(), null);
    // Removing the community the screens show.
    await store().setCurrentCommunity(XIHE);
    const before = { xihe: await rowsOf(store(), XIHE), donghu: await rowsOf(store(), DONGHU) };
    const tables = [
      'docUpdates',
      'residentBuckets',
      'residentKeys',
      'recordBuckets',
      'records',
      'projections',
    ] as const;
    for (const table of tables) {
      expect(before.xihe[table], table).toBeGreaterThan(0);
    }
    // sync.doc of the registry and the cases, sync.away, person, role.
    expect(before.xihe.settings).toBe(5);
    expect(before.xihe.communities).toBe(1);

    const keys = new MemoryKeyRing();
    const forget = vi.spyOn(keys, 'forget');
    const removed = await removeCommunityData(store(), XIHE, keys);

    expect(forget).toHaveBeenCalledWith(XIHE);
    expect(await rowsOf(store(), XIHE)).toEqual({
      docUpdates: 0,
      residentBuckets: 0,
      residentKeys: 0,
      recordBuckets: 0,
      records: 0,
      projections: 0,
      settings: 0,
      communities: 0,
    });
    expect(removed).toEqual(before.xihe);
    expect(await rowsOf(store(), DONGHU)).toEqual(before.donghu);
    // The kept role went with it; the device's own settings stayed.
    expect(store().roleIn(XIHE)).toBeNull();
    expect(store().roleIn(DONGHU)).toBe('viewer');
    expect(await store().db.settings.get('deviceId')).toBeDefined();
    // The screens go on with the community that is left.
    expect((await store().db.settings.get('currentCommunity'))?.value).toBe(DONGHU);
    // Nothing in memory writes a row of it again.
    await store().flush();
    expect((await rowsOf(store(), XIHE)).docUpdates).toBe(0);
    expect((await store().searchResidents(DONGHU, '', {}, 5)).total).toBeGreaterThan(0);
  });

  it('tells the settings of a community from the device’s own, whatever the community is called', () => {
    expect(isCommunitySetting('sync.doc.xihe/registry', 'xihe')).toBe(true);
    expect(isCommunitySetting('sync.doc.xihe/cases/2026', 'xihe')).toBe(true);
    expect(isCommunitySetting('sync.away.xihe', 'xihe')).toBe(true);
    expect(isCommunitySetting('person:xihe', 'xihe')).toBe(true);
    expect(isCommunitySetting('person:xihe:acct-1', 'xihe')).toBe(true);
    expect(isCommunitySetting('role.xihe', 'xihe')).toBe(true);
    expect(isCommunitySetting('sync.doc.xihe-2/registry', 'xihe')).toBe(false);
    expect(isCommunitySetting('sync.away.xihe-2', 'xihe')).toBe(false);
    expect(isCommunitySetting('person:donghu:xihe-acct', 'xihe')).toBe(false);
    // Communities named after a device setting's last word do not take it with them.
    expect(isCommunitySetting('sync.config', 'config')).toBe(false);
    expect(isCommunitySetting('storage.sealed', 'sealed')).toBe(false);
    expect(isCommunitySetting('sync.doc.donghu/registry', 'registry')).toBe(false);
  });
});
