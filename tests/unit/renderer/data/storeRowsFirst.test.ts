import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { docName } from '@shared/ydoc/docName';
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

  it('opens a yearly document asked for meanwhile (by sync) only once the registry’s search keys are read', async () => {
    const { doc } = generateDemoCommunity(22, { residents: 300 });
    const community = await store().addDemoCommunity(Y.encodeStateAsUpdate(doc));
    await store().registry(community);
    await store().document(docName({ community, collection: 'cases', year: 2026 }));
    await store().flush();

    const name = store().db.name;
    await store().close();
    const again = await WorkstationStore.open(name, { keys: keysOf(store()) });
    try {
      performance.clearMarks('cgw:resident-keys-parsed');
      const keysReadWhenLoaded = new Map<string, boolean>();
      const docs = (again as unknown as { docs: { get: (name: string) => Promise<Y.Doc> } }).docs;
      const get = docs.get.bind(docs);
      docs.get = (docName: string) => {
        keysReadWhenLoaded.set(docName, performance.getEntriesByName('cgw:resident-keys-parsed').length > 0);
        return get(docName);
      };
      const cases = docName({ community, collection: 'cases', year: 2026 });
      // The list asks (its keys are read first), and the sync manager opens the year's cases at the same moment.
      const [listed, opened] = await Promise.all([
        again.listResidents(community, 'zh', {}, 200),
        again.document(cases),
      ]);
      expect(listed.total).toBeGreaterThan(0);
      expect(opened).toBeInstanceOf(Y.Doc);
      expect(keysReadWhenLoaded.get(cases)).toBe(true);
      await again.flush();
    } finally {
      await again.close();
    }
  });
});
