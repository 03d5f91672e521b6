import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { WorkstationStore } from '../../../../renderer/data/store';
import { keysOf, useTestStore } from '../storeFixture';

describe('WorkstationStore reading the resident rows before the registry document', () => {
  const store = useTestStore();

  it('loads the registry document asked for meanwhile (by sync) only once the rows the search answers from are read', async () => {
    const { doc } = generateDemoCommunity(21, { residents: 300 });
    const community = await store().addDemoCommunity(Y.encodeStateAsUpdate(doc));
    await store().registry(community);
    await store().flush();
    const reference = await store().searchResidents(community, 'zh', {}, 200);
    expect(reference.total).toBeGreaterThan(0);

    // A fresh start on the same database: nothing in memory yet.
    const name = store().db.name;
    await store().close();
    const again = await WorkstationStore.open(name, { keys: keysOf(store()) });
    try {
      performance.clearMarks('cgw:resident-rows-parsed');
      const rowsReadWhenDocLoaded: boolean[] = [];
      const docs = (again as unknown as { docs: { get: (name: string) => Promise<Y.Doc> } }).docs;
      const get = docs.get.bind(docs);
      docs.get = (docName: string) => {
        rowsReadWhenDocLoaded.push(performance.getEntriesByName('cgw:resident-rows-parsed').length > 0);
        return get(docName);
      };
      // A search typed at once and the sync manager opening the registry, at the same moment.
      const [searched, registry] = await Promise.all([
        again.searchResidents(community, 'zh', {}, 200),
        again.document(again.registryName(community)),
      ]);
      expect(rowsReadWhenDocLoaded[0]).toBe(true);
      expect(searched.total).toBe(reference.total);
      // The same residents (in the order of the rows on disk, which need not be the document's).
      const ids = (hits: typeof searched.hits) => hits.map((hit) => hit.row.id).sort();
      expect(ids(searched.hits)).toEqual(ids(reference.hits));
      // The document is the registry, whole.
      expect(registry.getMap('residents').size).toBeGreaterThan(0);
      await again.flush();
    } finally {
      await again.close();
    }
  });
});
