// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createBuilding, createCompound, createVolunteer, createZone } from '@shared/domain/registry/commands';
import { toCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { StoreProvider } from '../../../../../../renderer/data/hooks';
import { PlacesPanel } from '../../../../../../renderer/features/registry/places/PlacesPanel';
import { renderUi } from '../../../render';
import { LOAD, useTestStore, value } from '../../../storeFixture';

const getStore = useTestStore();
const community: CommunityId = toCommunityId('test-places');

async function seedTree() {
  const ctx = getStore().commandContext();
  const { doc } = await getStore().registry(community);
  const area = value(createZone(doc, ctx, { level: 'area', name: '东片区' }));
  const street = value(createZone(doc, ctx, { level: 'street', name: '和平街', parentId: area }));
  const lane = value(createZone(doc, ctx, { level: 'lane', name: '和平一巷', parentId: street }));
  const head = value(createVolunteer(doc, ctx, { name: '刘院长', phone: '13900001111' }));
  const courtyard = value(
    createZone(doc, ctx, { level: 'courtyard', name: '1号院', parentId: lane, head: { kind: 'volunteer', id: head } }),
  );
  const compound = value(createCompound(doc, ctx, { name: '北湖老院', kind: 'old' }));
  const building = value(createBuilding(doc, ctx, { compoundId: compound, name: '3栋', zoneId: courtyard }));
  return { area, street, lane, courtyard, building };
}

function renderPanel() {
  return renderUi(
    <StoreProvider store={getStore()}>
      <PlacesPanel community={community} />
    </StoreProvider>,
  );
}

describe('five-heads tree', () => {
  it('adds an area at the top of the tree and a street under it', async () => {
    renderPanel();
    await screen.findByText(/还没有片区/, {}, LOAD);
    fireEvent.change(screen.getByLabelText(/^名称/), { target: { value: '西片区' } });
    fireEvent.click(screen.getByRole('button', { name: '新建' }));
    // The machine is shared with other work: the wait for the first write is the loaded-store one (LOAD).
    const tree = await screen.findByRole('tree', { name: '五长体系' }, LOAD);
    const area = await within(tree).findByRole('treeitem', { name: /西片区/ }, LOAD);
    expect(area.getAttribute('aria-level')).toBe('1');
    // The new area is selected: its details offer the levels below it.
    fireEvent.change(await screen.findByLabelText(/^下级名称/), { target: { value: '幸福街' } });
    fireEvent.click(screen.getByRole('button', { name: '添加下级' }));
    const street = await within(tree).findByRole('treeitem', { name: /幸福街/ }, LOAD);
    expect(street.getAttribute('aria-level')).toBe('2');
    expect(within(street).getAllByText('街').length).toBeGreaterThan(0);
  });

  it('names the compound of each building, so two 3栋 under one lane can be told apart', async () => {
    const { courtyard, building } = await seedTree();
    const ctx = getStore().commandContext();
    const { doc } = await getStore().registry(community);
    const other = value(createCompound(doc, ctx, { name: '南苑小区', kind: 'commercial' }));
    const twin = value(createBuilding(doc, ctx, { compoundId: other, name: '3栋', zoneId: courtyard }));
    renderPanel();
    const tree = await screen.findByRole('tree', { name: '五长体系' }, LOAD);
    expect(await within(tree).findByRole('treeitem', { name: /3栋 北湖老院/ })).toBe(
      within(tree).getByTestId(`building:${building}`),
    );
    expect(within(tree).getByRole('treeitem', { name: /3栋 南苑小区/ })).toBe(
      within(tree).getByTestId(`building:${twin}`),
    );
    expect(within(tree).getByTestId(`building:${twin}:compound`).textContent).toBe('南苑小区');
  });

  it('shows the Chinese refusal when a zone is moved under its own descendant', async () => {
    const { area, street } = await seedTree();
    renderPanel();
    fireEvent.click(await screen.findByTestId(`zone:${area}`, {}, LOAD));
    fireEvent.change(await screen.findByLabelText(/^新的上级/), { target: { value: street } });
    fireEvent.click(screen.getByRole('button', { name: '移动' }));
    expect((await screen.findByRole('alert')).textContent).toContain('不能移到它自己或它的下级之下');
  });

  it('shows the courtyard head stepping in when the building head is empty', async () => {
    const { building } = await seedTree();
    renderPanel();
    const item = await screen.findByTestId(`building:${building}`, {}, LOAD);
    // Keyboard: focus the building's tree item and press Enter to select it.
    item.focus();
    fireEvent.keyDown(item, { key: 'Enter' });
    const chain = await screen.findByTestId('head-chain');
    await waitFor(
      () =>
        expect(within(chain).getByTestId('acting-head').textContent).toContain(
          '楼栋长空缺，由院长（1号院）刘院长 13900001111 代为负责',
        ),
      LOAD,
    );
    const links = within(chain).getAllByRole('listitem');
    expect(links.map((li) => li.textContent)).toEqual([
      expect.stringContaining('楼栋长3栋空缺'),
      expect.stringContaining('院长1号院刘院长'),
      expect.stringContaining('巷长和平一巷空缺'),
      expect.stringContaining('街长和平街空缺'),
      expect.stringContaining('片长东片区空缺'),
    ]);
  });

  it('moves through the tree with the arrow keys', async () => {
    const { area, street } = await seedTree();
    renderPanel();
    const first = await screen.findByTestId(`zone:${area}`, {}, LOAD);
    expect(first.getAttribute('tabindex')).toBe('0');
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByTestId(`zone:${street}`));
    fireEvent.keyDown(screen.getByTestId(`zone:${street}`), { key: 'ArrowLeft' });
    // Left on an open node closes it; its children leave the tree.
    await waitFor(() => expect(screen.getByTestId(`zone:${street}`).getAttribute('aria-expanded')).toBe('false'));
    fireEvent.keyDown(screen.getByTestId(`zone:${street}`), { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(first);
  });
});
