import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { useTestStore } from '../storeFixture';

const ORDER = new Intl.Collator('zh-CN');

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
