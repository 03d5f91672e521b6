// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  createBuilding,
  createCompound,
  createHousehold,
  createPartyOrg,
  createResident,
} from '@shared/domain/registry/commands';
import { makeIdNumber, seqForSex } from '@shared/domain/registry/idNumber';
import { readRecord } from '@shared/ydoc/registry';
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
});
