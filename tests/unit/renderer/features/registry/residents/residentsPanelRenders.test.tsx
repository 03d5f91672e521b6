/**
 * What a key typed into 查找居民 draws again (renderer/features/registry/residents/ResidentsPanel.tsx): the list and
 * its count, not the filters (楼栋, 标签) nor 新增居民, whose values do not change with the query. At 100,000 residents
 * every Mantine component drawn again per key added to its time (docs/bench-scale.md, "A start's reads on the main
 * thread"). Mantine's Select is wrapped here to count its renders; it is otherwise the real one.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type * as MantineCore from '@mantine/core';
import type { ComponentProps } from 'react';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { StoreProvider } from '../../../../../../renderer/data/hooks';
import { ResidentsPanel } from '../../../../../../renderer/features/registry/residents/ResidentsPanel';
import { renderUi } from '../../../render';
import { LOAD, useTestStore } from '../../../storeFixture';

const selectRenders = vi.hoisted(() => ({ count: 0 }));
vi.mock('@mantine/core', async (importOriginal) => {
  const mantine = await importOriginal<typeof MantineCore>();
  const Select = (props: ComponentProps<typeof mantine.Select>) => {
    selectRenders.count += 1;
    return <mantine.Select {...props} />;
  };
  return { ...mantine, Select };
});

const getStore = useTestStore();

describe('residents list: what a key draws again', () => {
  it('a key typed redraws the list and its count, not the filters', async () => {
    const { doc } = generateDemoCommunity(21, { residents: 300 });
    const community = await getStore().addDemoCommunity(Y.encodeStateAsUpdate(doc));
    const everyone = await getStore().searchResidents(community, '', {}, 10_000);
    const target = everyone.hits[Math.floor(everyone.hits.length / 2)]!.row;
    const name = (target.record as { name: string }).name;
    renderUi(
      <StoreProvider store={getStore()}>
        <ResidentsPanel community={community} />
      </StoreProvider>,
    );
    await waitFor(() => expect(screen.getAllByTestId('resident-row').length).toBe(200), LOAD);
    // The buildings arrive with the registry: wait until the filters have settled (no render for 300 ms).
    let settled = -1;
    while (settled !== selectRenders.count) {
      settled = selectRenders.count;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const before = selectRenders.count;
    expect(before).toBeGreaterThan(0);

    const box = screen.getByRole('searchbox');
    let typed = '';
    for (const char of name) {
      typed += char;
      fireEvent.change(box, { target: { value: typed } });
      await waitFor(async () => {
        const expected = await getStore().searchResidents(community, typed, {}, 200);
        expect(screen.getByTestId('resident-count').textContent).toContain(String(expected.total));
      }, LOAD);
    }
    await waitFor(
      () => expect(screen.getAllByTestId('resident-row').some((row) => row.textContent.includes(name))).toBe(true),
      LOAD,
    );
    // Every key redrew the list; the two Selects were not drawn again.
    expect(selectRenders.count).toBe(before);
  });
});
