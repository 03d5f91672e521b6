/** A party organisation's members with those of the organisations under it (shared/domain/registry/partyMembers.ts). */
import { describe, expect, it } from 'vitest';
import { hasOrgsBelow, membersWithBelow, type PartyOrgLink } from '@shared/domain/registry/partyMembers';
import type { ResidentId } from '@shared/domain/registry/types';

const r = (n: number) => `resident-${n}` as ResidentId;
const org = (id: string, parentId: string | null, members: number[]): PartyOrgLink => ({
  id,
  parentId,
  memberIds: members.map(r),
});

describe('membersWithBelow', () => {
  const orgs = [
    org('committee', null, []),
    org('north', 'committee', [1, 2]),
    org('group', 'north', [2, 3]),
    org('south', 'committee', [4]),
    org('other', null, [5]),
  ];

  it('counts a committee as its branches and their groups, each member once', () => {
    expect(membersWithBelow(orgs, 'committee').sort()).toEqual([r(1), r(2), r(3), r(4)]);
    expect(membersWithBelow(orgs, 'north').sort()).toEqual([r(1), r(2), r(3)]);
    expect(membersWithBelow(orgs, 'group').sort()).toEqual([r(2), r(3)]);
    expect(membersWithBelow(orgs, 'nowhere')).toEqual([]);
  });

  it('ends on a parent loop that a sync brought in', () => {
    const loop = [org('a', 'b', [1]), org('b', 'a', [2])];
    expect(membersWithBelow(loop, 'a').sort()).toEqual([r(1), r(2)]);
  });

  it('tells which organisations have others under them', () => {
    expect(hasOrgsBelow(orgs, 'committee')).toBe(true);
    expect(hasOrgsBelow(orgs, 'group')).toBe(false);
  });
});
