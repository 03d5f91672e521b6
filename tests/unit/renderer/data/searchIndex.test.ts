import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteResident, updateResident } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { matchPrepared, prepareQuery } from '@shared/domain/registry/search';
import type { CommunityId } from '@shared/ydoc/docName';
import { collectionMap, listRecords } from '@shared/ydoc/registry';
import type { ResidentFilter, WorkstationStore } from '../../../../renderer/data/store';
import { makeCtx } from '../../shared/domain/registry/fixtures';
import { useTestStore } from '../storeFixture';

const EVERYONE = 100_000;

/** What a pass over every resident answers: each match with its kind, and how many (sorted: compared as sets). */
async function scanned(store: WorkstationStore, community: CommunityId, query: string, filter: ResidentFilter = {}) {
  const { hits } = await store.searchResidents(community, '', { ...filter, includeDeleted: true }, EVERYONE);
  const prepared = prepareQuery(query);
  return hits
    .filter((hit) => filter.includeDeleted === true || hit.row.deleted === 0)
    .map((hit) => `${hit.row.id} ${matchPrepared(hit.row.keys, prepared) ?? '-'}`)
    .filter((line) => !line.endsWith(' -'))
    .sort();
}

/** What the store's search answers (through its index), in the same form. */
async function searched(store: WorkstationStore, community: CommunityId, query: string, filter: ResidentFilter = {}) {
  const { hits, total } = await store.searchResidents(community, query, filter, EVERYONE);
  expect(total).toBe(hits.length);
  return hits.map((hit) => `${hit.row.id} ${hit.match ?? '-'}`).sort();
}

/** Another device's edit, arriving by sync (a remote update, not a command of this device). */
function fromAnotherDevice(doc: Y.Doc, edit: (remote: Y.Doc) => void): void {
  const remote = new Y.Doc();
  Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
  edit(remote);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)), 'sync');
}

describe('WorkstationStore search through the resident index', () => {
  const store = useTestStore();

  it('answers as a pass over everyone does, before and after edits, deletions and removals arriving by sync', async () => {
    const { doc: demo } = generateDemoCommunity(22, { residents: 300 });
    const community = await store().addDemoCommunity(Y.encodeStateAsUpdate(demo));
    const { doc } = await store().registry(community);
    await store().flush();
    const residents = listRecords(doc, 'residents').filter((resident) => !resident.deletedAt);
    const [renamed, deleted, removed, moved] = residents;
    if (!renamed || !deleted || !removed || !moved) throw new Error('the demo has residents');
    const household = listRecords(doc, 'households').find((h) => h.id === moved.householdId);
    if (!household) throw new Error('the demo resident has a household');

    const queries = [
      'z',
      'zh',
      'w',
      'wang',
      'zeng',
      'ceng',
      'zyy',
      'cll',
      '曾乐',
      '乐乐',
      '王',
      renamed.name,
      deleted.name,
      removed.name,
      removed.idNumber.slice(-4).toLowerCase(),
      deleted.phone?.slice(-4) ?? '0000',
      '栋',
      '1单元',
      '和平',
      '新址',
      '0',
      '12',
    ];
    const compare = async () => {
      for (const query of queries) {
        expect(await searched(store(), community, query), query).toEqual(await scanned(store(), community, query));
      }
      const filter = { buildingId: household.buildingId };
      expect(await searched(store(), community, 'z', filter)).toEqual(await scanned(store(), community, 'z', filter));
      const all = { includeDeleted: true };
      expect(await searched(store(), community, deleted.name, all)).toEqual(
        await scanned(store(), community, deleted.name, all),
      );
    };
    await compare();

    fromAnotherDevice(doc, (remote) => {
      const ctx = makeCtx({ user: 'laptop', device: 'field' });
      updateResident(remote, ctx, { id: renamed.id, changes: { name: '曾乐乐' } });
      deleteResident(remote, ctx, { id: deleted.id });
      collectionMap(remote, 'residents').delete(removed.id);
      collectionMap(remote, 'households').get(household.id)?.set('address', '和平街新址9号');
    });
    await store().flush();

    const ids = async (query: string) => (await searched(store(), community, query)).map((line) => line.split(' ')[0]);
    expect(await ids('曾乐乐')).toEqual([renamed.id]);
    // 曾 read as a surname (zeng) and 乐 as in 音乐 (yue), and the everyday readings (ceng, le) too.
    expect(await ids('zyy')).toContain(renamed.id);
    expect(await ids('cengle')).toContain(renamed.id);
    expect(await ids(removed.idNumber.slice(-4))).not.toContain(removed.id);
    expect(await ids(deleted.name)).not.toContain(deleted.id);
    expect(await ids('新址9号')).toContain(moved.id);
    await compare();
  });
});
