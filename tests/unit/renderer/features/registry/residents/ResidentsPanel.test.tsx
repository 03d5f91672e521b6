// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { StoreProvider } from '../../../../../../renderer/data/hooks';
import { ResidentsPanel } from '../../../../../../renderer/features/registry/residents/ResidentsPanel';
import { renderUi } from '../../../render';
import { LOAD, useTestStore } from '../../../storeFixture';

const getStore = useTestStore();

describe('residents list', () => {
  it('shows the whole first page in address order with the count of everyone', async () => {
    const { doc } = generateDemoCommunity(11, { residents: 150 });
    const community = await getStore().addDemoCommunity(Y.encodeStateAsUpdate(doc));
    const expected = await getStore().searchResidents(community, '', {}, 200);
    expect(expected.total).toBeGreaterThan(100);
    renderUi(
      <StoreProvider store={getStore()}>
        <ResidentsPanel community={community} />
      </StoreProvider>,
    );
    await waitFor(() => expect(screen.getAllByTestId('resident-row').length).toBeGreaterThan(0), LOAD);
    await waitFor(() => expect(screen.getAllByTestId('resident-row')).toHaveLength(expected.total), LOAD);
    expect(screen.getByTestId('resident-count').textContent).toContain(String(expected.total));
    const names = screen.getAllByTestId('resident-row').map((row) => row.querySelector('td')?.textContent);
    expect(names).toEqual(expected.hits.map((hit) => (hit.row.record as { name: string }).name));
  });
});
