// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteResident } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import type { ResidentId } from '@shared/domain/registry/types';
import { StoreProvider } from '../../../../../../renderer/data/hooks';
import { ResidentsPanel } from '../../../../../../renderer/features/registry/residents/ResidentsPanel';
import { renderUi } from '../../../render';
import { LOAD, useTestStore, value } from '../../../storeFixture';

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
  it('pages through the whole list past 200, by keyboard, with the count of everyone and the rows shown', async () => {
    const { doc } = generateDemoCommunity(12, { residents: 460 });
    const community = await getStore().addDemoCommunity(Y.encodeStateAsUpdate(doc));
    const all = await getStore().searchResidents(community, '', {}, 10_000);
    expect(all.total).toBeGreaterThan(400);
    const nameOf = (hit: (typeof all.hits)[number]) => (hit.row.record as { name: string }).name;
    const shownNames = () => screen.getAllByTestId('resident-row').map((row) => row.querySelector('td')?.textContent);
    renderUi(
      <StoreProvider store={getStore()}>
        <ResidentsPanel community={community} />
      </StoreProvider>,
    );
    await waitFor(() => expect(screen.getAllByTestId('resident-row')).toHaveLength(200), LOAD);
    expect(screen.getByTestId('resident-count').textContent).toBe(`共 ${all.total} 人，显示第 1–200 人`);
    expect(shownNames()).toEqual(all.hits.slice(0, 200).map(nameOf));

    // The next page is a button: Enter on it (a native button) moves on.
    const next = screen.getByRole('button', { name: '下一页' });
    next.focus();
    fireEvent.click(next);
    await waitFor(() => expect(shownNames()).toEqual(all.hits.slice(200, 400).map(nameOf)), LOAD);
    expect(screen.getByTestId('resident-count').textContent).toBe(`共 ${all.total} 人，显示第 201–400 人`);
    fireEvent.click(screen.getByRole('button', { name: '最后一页' }));
    await waitFor(() => expect(shownNames()).toEqual(all.hits.slice(400).map(nameOf)), LOAD);
    expect(screen.getByTestId('resident-count').textContent).toBe(`共 ${all.total} 人，显示第 401–${all.total} 人`);
    // A new search starts again from its first page.
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: '1' } });
    await waitFor(
      () => expect(screen.getByTestId('resident-count').textContent).toMatch(/显示第 1–|^共 \d+ 人$/),
      LOAD,
    );
    // Its rows are the search's first ones, not the third page's place in them.
    const searched = await getStore().searchResidents(community, '1', {}, 200);
    expect(searched.hits.length).toBeGreaterThan(0);
    await waitFor(() => expect(shownNames()).toEqual(searched.hits.map(nameOf)), LOAD);
  }, 60_000);
  it('shows the last page when residents removed leave the chosen page past the end', async () => {
    const { doc } = generateDemoCommunity(13, { residents: 460 });
    const community = await getStore().addDemoCommunity(Y.encodeStateAsUpdate(doc));
    const all = await getStore().searchResidents(community, '', {}, 10_000);
    const nameOf = (hit: (typeof all.hits)[number]) => (hit.row.record as { name: string }).name;
    renderUi(
      <StoreProvider store={getStore()}>
        <ResidentsPanel community={community} />
      </StoreProvider>,
    );
    await waitFor(() => expect(screen.getAllByTestId('resident-row')).toHaveLength(200), LOAD);
    fireEvent.click(screen.getByRole('button', { name: '最后一页' }));
    await waitFor(() => expect(screen.getByTestId('resident-count').textContent).toContain('显示第 401–'), LOAD);
    // Everyone past the 400th is removed: page 3 no longer exists.
    const { doc: registry } = await getStore().registry(community);
    const ctx = getStore().commandContext();
    for (const hit of all.hits.slice(400)) value(deleteResident(registry, ctx, { id: hit.row.id as ResidentId }));
    await waitFor(
      () => expect(screen.getByTestId('resident-count').textContent).toBe('共 400 人，显示第 201–400 人'),
      LOAD,
    );
    const left = await getStore().searchResidents(community, '', {}, 400);
    await waitFor(
      () =>
        expect(screen.getAllByTestId('resident-row').map((row) => row.querySelector('td')?.textContent)).toEqual(
          left.hits.slice(200).map(nameOf),
        ),
      LOAD,
    );
  }, 60_000);
  it('is used by keyboard: arrows move between rows, Enter opens the drawer; the table says the whole list size', async () => {
    const { doc } = generateDemoCommunity(14, { residents: 460 });
    const community = await getStore().addDemoCommunity(Y.encodeStateAsUpdate(doc));
    const all = await getStore().searchResidents(community, '', {}, 400);
    const nameOf = (hit: (typeof all.hits)[number]) => (hit.row.record as { name: string }).name;
    renderUi(
      <StoreProvider store={getStore()}>
        <ResidentsPanel community={community} />
      </StoreProvider>,
    );
    await waitFor(() => expect(screen.getAllByTestId('resident-row')).toHaveLength(200), LOAD);
    // Screen readers hear the whole list (everyone, plus the header row) and each row's place in it, not the page's.
    const table = screen.getByRole('table', { name: '查找结果' });
    expect(table.getAttribute('aria-rowcount')).toBe(String(all.total + 1));
    const rows = () => screen.getAllByTestId('resident-row');
    expect(rows()[0]!.getAttribute('aria-rowindex')).toBe('2');
    expect(rows()[199]!.getAttribute('aria-rowindex')).toBe('201');

    rows()[0]!.focus();
    fireEvent.keyDown(rows()[0]!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows()[1]);
    fireEvent.keyDown(rows()[1]!, { key: 'ArrowDown' });
    fireEvent.keyDown(rows()[2]!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(rows()[1]);
    fireEvent.keyDown(rows()[1]!, { key: 'End' });
    expect(document.activeElement).toBe(rows()[199]);
    // The last row stays where it is on ArrowDown (the next page is the pagination's).
    fireEvent.keyDown(rows()[199]!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows()[199]);
    fireEvent.keyDown(rows()[199]!, { key: 'Home' });
    expect(document.activeElement).toBe(rows()[0]);
    fireEvent.keyDown(rows()[0]!, { key: 'ArrowDown' });

    // Enter on the focused row opens that resident's drawer.
    fireEvent.keyDown(rows()[1]!, { key: 'Enter' });
    const drawer = await screen.findByRole('dialog', {}, LOAD);
    await waitFor(() => expect(drawer.textContent).toContain(nameOf(all.hits[1]!)), LOAD);

    // The second page's rows are numbered on from the first's.
    fireEvent.click(screen.getByRole('button', { name: '下一页' }));
    await waitFor(() => expect(rows()[0]!.getAttribute('aria-rowindex')).toBe('202'), LOAD);
    expect(rows()[0]!.querySelector('td')?.textContent).toBe(nameOf(all.hits[200]!));
  }, 60_000);
  it('answers what is typed, key by key, with the rows the store finds', async () => {
    const { doc } = generateDemoCommunity(15, { residents: 300 });
    const community = await getStore().addDemoCommunity(Y.encodeStateAsUpdate(doc));
    renderUi(
      <StoreProvider store={getStore()}>
        <ResidentsPanel community={community} />
      </StoreProvider>,
    );
    await waitFor(() => expect(screen.getAllByTestId('resident-row').length).toBeGreaterThan(0), LOAD);
    const box = screen.getByRole('searchbox');
    const shownNames = () => screen.queryAllByTestId('resident-row').map((row) => row.querySelector('td')?.textContent);
    for (const typed of ['z', 'zh', 'zha']) {
      fireEvent.change(box, { target: { value: typed } });
      expect((box as HTMLInputElement).value).toBe(typed);
      const expected = await getStore().searchResidents(community, typed, {}, 200);
      await waitFor(
        () => expect(screen.getByTestId('resident-count').textContent).toBe(`共 ${expected.total} 人`),
        LOAD,
      );
      await waitFor(
        () => expect(shownNames()).toEqual(expected.hits.map((hit) => (hit.row.record as { name: string }).name)),
        LOAD,
      );
    }
  }, 60_000);
});
