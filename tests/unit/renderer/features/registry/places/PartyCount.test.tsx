/**
 * A community party committee has no members of its own: its members are those of its branches and their groups
 * (issue 18, item 16: it showed 党员 0 人). The tree and the committee's page count them, each person once.
 */
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
import type { ResidentId } from '@shared/domain/registry/types';
import { toCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { StoreProvider } from '../../../../../../renderer/data/hooks';
import { PlacesPanel } from '../../../../../../renderer/features/registry/places/PlacesPanel';
import { renderUi } from '../../../render';
import { LOAD, useTestStore, value } from '../../../storeFixture';

const getStore = useTestStore();
const community: CommunityId = toCommunityId('test-party-count');

async function seed() {
  const ctx = getStore().commandContext();
  const { doc } = await getStore().registry(community);
  const compound = value(createCompound(doc, ctx, { name: '北湖老院', kind: 'old' }));
  const building = value(createBuilding(doc, ctx, { compoundId: compound, name: '3栋' }));
  const household = value(createHousehold(doc, ctx, { buildingId: building, doorNumber: '301' }));
  const [a, b, c, d] = [1, 2, 3, 4].map((n) =>
    value(
      createResident(doc, ctx, {
        name: `党员${n}`,
        idNumber: makeIdNumber('511302', `1970-01-0${n}`, seqForSex(n, 'male')),
        householdId: household,
        tags: ['party-member'],
        partyCheckIn: n <= 2 ? '2025-06-01' : null,
      }),
    ),
  ) as [ResidentId, ResidentId, ResidentId, ResidentId];
  const committee = value(createPartyOrg(doc, ctx, { kind: 'committee', name: '西河社区党委' }));
  const north = value(
    createPartyOrg(doc, ctx, { kind: 'branch', name: '北湖小区党支部', parentId: committee, memberIds: [a, b] }),
  );
  // 党员2 is in the branch and in its group: counted once.
  value(createPartyOrg(doc, ctx, { kind: 'group', name: '3栋党小组', parentId: north, memberIds: [b, c] }));
  value(createPartyOrg(doc, ctx, { kind: 'branch', name: '锦江小区党支部', parentId: committee, memberIds: [d] }));
}

describe('party organisation member counts', () => {
  it("counts a committee's members as those of its branches and groups, each once", async () => {
    await seed();
    renderUi(
      <StoreProvider store={getStore()}>
        <PlacesPanel community={community} />
      </StoreProvider>,
    );
    fireEvent.click(screen.getByText('党组织'));
    const committee = await screen.findByRole('button', { name: /西河社区党委/ }, LOAD);
    expect(within(committee).getByTestId('party-org-count').textContent).toBe('4人');
    expect(
      within(screen.getByRole('button', { name: /北湖小区党支部/ })).getByTestId('party-org-count').textContent,
    ).toBe('3人');
    expect(within(screen.getByRole('button', { name: /3栋党小组/ })).getByTestId('party-org-count').textContent).toBe(
      '2人',
    );

    fireEvent.click(committee);
    const count = await screen.findByTestId('check-in-count', {}, LOAD);
    await waitFor(
      () => expect(count.textContent).toBe('党员 4 人（含下级党组织，直属 0 人）：已双报到 2 人，未报到 2 人'),
      LOAD,
    );

    // A group has nothing under it: its own members, as before.
    fireEvent.click(screen.getByRole('button', { name: /3栋党小组/ }));
    await waitFor(() =>
      expect(screen.getByTestId('check-in-count').textContent).toBe('党员 2 人：已双报到 1 人，未报到 1 人'),
    );
  });
});
