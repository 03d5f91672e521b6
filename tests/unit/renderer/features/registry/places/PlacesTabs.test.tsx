// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  createBuilding,
  createCompound,
  createGrid,
  createHousehold,
  createPartyOrg,
  createResident,
} from '@shared/domain/registry/commands';
import { makeIdNumber, seqForSex } from '@shared/domain/registry/idNumber';
import { listRecords, readRecord } from '@shared/ydoc/registry';
import { toCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { StoreProvider } from '../../../../../../renderer/data/hooks';
import { PlacesPanel } from '../../../../../../renderer/features/registry/places/PlacesPanel';
import { renderUi } from '../../../render';
import { LOAD, useTestStore, value } from '../../../storeFixture';

const getStore = useTestStore();
const community: CommunityId = toCommunityId('test-places-tabs');

async function seed() {
  const ctx = getStore().commandContext();
  const { doc } = await getStore().registry(community);
  const compound = value(createCompound(doc, ctx, { name: '北湖老院', kind: 'old' }));
  const building = value(createBuilding(doc, ctx, { compoundId: compound, name: '3栋' }));
  const household = value(createHousehold(doc, ctx, { buildingId: building, doorNumber: '301' }));
  const members = [1, 2, 3].map((n) =>
    value(
      createResident(doc, ctx, {
        name: `党员${n}`,
        idNumber: makeIdNumber('511302', '1970-01-0' + String(n), seqForSex(n, 'male')),
        householdId: household,
        tags: ['party-member'],
        partyCheckIn: n === 1 ? '2025-06-01' : null,
      }),
    ),
  );
  const committee = value(createPartyOrg(doc, ctx, { kind: 'committee', name: '社区党委', memberIds: members }));
  return { doc, household, committee, members };
}

function renderPanel() {
  return renderUi(
    <StoreProvider store={getStore()}>
      <PlacesPanel community={community} />
    </StoreProvider>,
  );
}

describe('places tabs', () => {
  it('edits a household floor area, and leaves it empty when cleared', async () => {
    const { doc, household } = await seed();
    renderPanel();
    fireEvent.click(screen.getByText('小区与楼栋'));
    fireEvent.click(await screen.findByRole('button', { name: /北湖老院/ }, LOAD));
    fireEvent.click(await screen.findByRole('button', { name: '3栋' }));
    const area = await screen.findByLabelText('301的建筑面积');
    fireEvent.change(area, { target: { value: '68.5' } });
    fireEvent.click(within(area.closest('form')!).getByRole('button', { name: '保存' }));
    await waitFor(() => expect(readRecord(doc, 'households', household)?.floorArea).toBe(68.5));
    fireEvent.change(area, { target: { value: '' } });
    fireEvent.click(within(area.closest('form')!).getByRole('button', { name: '保存' }));
    await waitFor(() => expect(readRecord(doc, 'households', household)?.floorArea).toBeNull());
  });

  it('counts members checked in and not, and records a check-in', async () => {
    const { doc, members } = await seed();
    renderPanel();
    fireEvent.click(screen.getByText('党组织'));
    fireEvent.click(await screen.findByRole('button', { name: /社区党委/ }, LOAD));
    const count = await screen.findByTestId('check-in-count', {}, LOAD);
    await waitFor(() => expect(count.textContent).toBe('党员 3 人：已双报到 1 人，未报到 2 人'), LOAD);
    fireEvent.change(screen.getByLabelText('党员2的报到日期'), { target: { value: '2026-01-05' } });
    const row = screen.getByLabelText('党员2的报到日期').closest('tr')!;
    fireEvent.click(within(row).getByRole('button', { name: '登记报到' }));
    await waitFor(() => expect(readRecord(doc, 'residents', members[1]!)?.partyCheckIn).toBe('2026-01-05'));
    await waitFor(() => expect(count.textContent).toBe('党员 3 人：已双报到 2 人，未报到 1 人'));
  });
  it('lists grids and buildings in natural Chinese order: 第一 before 第二, 2栋 before 10栋', async () => {
    const ctx = getStore().commandContext();
    const { doc } = await getStore().registry(community);
    for (const name of ['第二网格', '第十一网格', '第三网格', '第一网格', '第十网格'])
      value(createGrid(doc, ctx, { name }));
    const compound = value(createCompound(doc, ctx, { name: '安居苑', kind: 'commercial' }));
    for (const name of ['10栋', '2栋', '1栋', '十二栋'])
      value(createBuilding(doc, ctx, { compoundId: compound, name }));
    renderPanel();
    fireEvent.click(screen.getByText('网格'));
    const grids = await screen.findByRole('group', { name: '网格' }, LOAD);
    await waitFor(() => expect(within(grids).getAllByRole('button')).toHaveLength(5), LOAD);
    expect(
      within(grids)
        .getAllByRole('button')
        .map((b) => b.textContent.match(/^第.+网格/)?.[0]),
    ).toEqual(['第一网格', '第二网格', '第三网格', '第十网格', '第十一网格']);
    fireEvent.click(screen.getByText('小区与楼栋'));
    fireEvent.click(await screen.findByRole('button', { name: /安居苑/ }, LOAD));
    await screen.findByRole('button', { name: '10栋' }, LOAD);
    const names = screen
      .getAllByRole('button')
      .map((b) => b.textContent)
      .filter((text) => /^(\d+|十二)栋$/.test(text));
    expect(names).toEqual(['1栋', '2栋', '10栋', '十二栋']);
  });
  it('creates 1-12栋 with 3 entrances of 6 floors, 2 doors a floor, after a preview, in one batch', async () => {
    const ctx = getStore().commandContext();
    const { doc } = await getStore().registry(community);
    const compound = value(createCompound(doc, ctx, { name: '安居苑', kind: 'commercial' }));
    value(createBuilding(doc, ctx, { compoundId: compound, name: '7号楼' }));
    renderPanel();
    fireEvent.click(screen.getByText('小区与楼栋'));
    fireEvent.click(await screen.findByRole('button', { name: /安居苑/ }, LOAD));
    fireEvent.click(await screen.findByRole('button', { name: '批量新建楼栋…' }, LOAD));
    const form = screen.getByRole('form', { name: '批量新建楼栋' });
    fireEvent.change(within(form).getByLabelText('按描述填写'), {
      target: { value: '1-12栋，每栋 6 层 3 单元，每层 2 户' },
    });
    expect(within(form).getByLabelText('结束楼号')).toHaveProperty('value', '12');
    fireEvent.click(within(form).getByRole('button', { name: '预览' }));
    const preview = await within(form).findByTestId('batch-preview', {}, LOAD);
    await waitFor(() => expect(within(preview).getAllByRole('listitem')).toHaveLength(12), LOAD);
    expect(preview.textContent).toContain('将新建 12 栋楼（1栋–12栋）、36 个单元、432 户。');
    expect(preview.textContent).toContain('每个单元的门牌：101、102 … 602（共 12 户）');
    // 7栋 is the compound's 7号楼: the preview says so and nothing can be created.
    expect(within(preview).getByRole('alert').textContent).toContain('本小区已有：7栋');
    expect(within(form).getByRole('button', { name: '确认新建' })).toHaveProperty('disabled', true);
    expect(listRecords(doc, 'buildings').filter((b) => b.compoundId === compound)).toHaveLength(1);

    // From 8 to 12 instead: preview, then create.
    fireEvent.change(within(form).getByLabelText('起始楼号'), { target: { value: '8' } });
    fireEvent.click(within(form).getByRole('button', { name: '预览' }));
    const again = await within(form).findByTestId('batch-preview', {}, LOAD);
    await waitFor(() => expect(again.textContent).toContain('将新建 5 栋楼（8栋–12栋）、15 个单元、180 户。'), LOAD);
    fireEvent.click(within(form).getByRole('button', { name: '确认新建' }));
    expect((await screen.findByTestId('batch-done', {}, LOAD)).textContent).toBe('已新建 5 栋楼、15 个单元、180 户。');
    const created = listRecords(doc, 'buildings').filter((b) => b.compoundId === compound);
    expect(created.map((b) => b.name).sort()).toEqual(['10栋', '11栋', '12栋', '7号楼', '8栋', '9栋']);
    const ids = new Set(created.map((b) => b.id));
    expect(listRecords(doc, 'households').filter((h) => ids.has(h.buildingId))).toHaveLength(180);
    // The new buildings are listed at once, in natural order.
    await screen.findByRole('button', { name: '12栋' }, LOAD);
  });
  it('says in the preview that a batch of more than 10,000 households is refused, and offers no confirm', async () => {
    const ctx = getStore().commandContext();
    const { doc } = await getStore().registry(community);
    const compound = value(createCompound(doc, ctx, { name: '安居苑', kind: 'commercial' }));
    renderPanel();
    fireEvent.click(screen.getByText('小区与楼栋'));
    fireEvent.click(await screen.findByRole('button', { name: /安居苑/ }, LOAD));
    fireEvent.click(await screen.findByRole('button', { name: '批量新建楼栋…' }, LOAD));
    const form = screen.getByRole('form', { name: '批量新建楼栋' });
    // 60 buildings × 3 entrances × 30 floors × 2 doors = 10,800 households.
    fireEvent.change(within(form).getByLabelText('按描述填写'), {
      target: { value: '1-60栋，每栋 30 层 3 单元，每层 2 户' },
    });
    fireEvent.click(within(form).getByRole('button', { name: '预览' }));
    const preview = await within(form).findByTestId('batch-preview', {}, LOAD);
    await waitFor(() => expect(preview.textContent).toContain('10800 户'), LOAD);
    expect((await within(preview).findByRole('alert', {}, LOAD)).textContent).toBe(
      '一次最多新建 10000 户，请分几批创建',
    );
    expect(within(form).getByRole('button', { name: '确认新建' })).toHaveProperty('disabled', true);
    expect(listRecords(doc, 'buildings').filter((b) => b.compoundId === compound)).toHaveLength(0);
  });
});
