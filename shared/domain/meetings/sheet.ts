/**
 * The sign-in sheet of a meeting (应到): computed from the registry when the meeting starts and stored on it
 * (commandsBefore.ts `startMeeting`), so quorum and results never change with later registry edits; before the
 * start, `sheetOf` previews it against the registry as it is now.
 */
import { buildingsUnder, descendants } from '../registry/fiveHeads';
import type { HeadRef, Household } from '../registry/types';
import type { RegistrySnapshot } from '../../ydoc/registry';
import { ruleFor, type MeetingRule } from './ruleTable';
import { attendeeKey, type Attendee, type AttendeeKey, type Meeting, type MeetingScope, type PersonRef } from './types';

// --- expected attendees -------------------------------------------------------------------------------------------

/** A line of the sheet before anyone signs in. */
export type ExpectedAttendee = Pick<Attendee, 'key' | 'name' | 'ref' | 'expected' | 'voting' | 'area'>;

export type MeetingForRules = Pick<Meeting, 'type' | 'rules' | 'scope' | 'invitees'> & {
  readonly attendees: readonly Attendee[];
};

export function nameKey(name: string): AttendeeKey {
  return `name:${name}`;
}

function liveResidentName(registry: RegistrySnapshot, id: string): string | null {
  const resident = registry.residents.get(id);
  return resident === undefined || resident.deletedAt != null ? null : resident.name;
}

function headPerson(registry: RegistrySnapshot, head: HeadRef | null): { name: string; ref: PersonRef } | null {
  if (head === null) return null;
  const name =
    head.kind === 'resident' ? liveResidentName(registry, head.id) : (registry.volunteers.get(head.id)?.name ?? null);
  return name === null ? null : { name, ref: head };
}

function householdsOf(registry: RegistrySnapshot, buildingIds: ReadonlySet<string>) {
  return [...registry.households.values()]
    .filter((h) => buildingIds.has(h.buildingId))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.id < b.id ? -1 : 1));
}

function householdLine(registry: RegistrySnapshot, household: Household, withArea: boolean): ExpectedAttendee {
  const householder = household.householderId === null ? null : liveResidentName(registry, household.householderId);
  const ref: PersonRef = { kind: 'household', id: household.id };
  return {
    key: attendeeKey(ref),
    // The owner is not in the registry; the householder's name (or the address) identifies the household.
    name: householder === null ? household.address : `${householder}（${household.address}）`,
    ref,
    expected: true,
    voting: true,
    area: withArea ? household.floorArea : null,
  };
}

function partyOrgAndBelow(registry: RegistrySnapshot, rootId: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const queue = [rootId];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (seen.has(next) || !registry.partyOrgs.has(next)) continue;
    seen.add(next);
    out.push(next);
    for (const org of registry.partyOrgs.values()) if (org.parentId === next) queue.push(org.id);
  }
  return out;
}

function fromSource(rule: MeetingRule, scope: MeetingScope, registry: RegistrySnapshot): ExpectedAttendee[] {
  const person = (name: string, ref: PersonRef | null, voting = true): ExpectedAttendee => ({
    key: ref === null ? nameKey(name) : attendeeKey(ref),
    name,
    ref,
    expected: true,
    voting,
    area: null,
  });
  switch (rule.expected) {
    case 'listed':
      return scope.kind === 'list'
        ? scope.people.map((p) => person(p.name, p.residentId === null ? null : { kind: 'resident', id: p.residentId }))
        : [];
    case 'owners-committee':
    case 'three-platforms': {
      if (scope.kind !== 'compound') return [];
      const compound = registry.compounds.get(scope.compoundId);
      if (compound === undefined) return [];
      const lines: ExpectedAttendee[] = [];
      if (rule.expected === 'three-platforms') {
        const branch = [...registry.partyOrgs.values()].find(
          (o) => o.kind === 'branch' && o.compoundId === scope.compoundId,
        );
        const secretary = headPerson(registry, branch?.secretary ?? null);
        if (secretary !== null) lines.push(person(secretary.name, secretary.ref));
      }
      for (const member of compound.ownersCommittee) {
        lines.push(
          person(member.name, member.residentId === null ? null : { kind: 'resident', id: member.residentId }),
        );
      }
      return lines;
    }
    case 'owners': {
      if (scope.kind !== 'compound') return [];
      const buildings = new Set(
        [...registry.buildings.values()].filter((b) => b.compoundId === scope.compoundId).map((b) => b.id as string),
      );
      return householdsOf(registry, buildings).map((h) => householdLine(registry, h, true));
    }
    case 'courtyard-households': {
      if (scope.kind !== 'zone' || !registry.zones.has(scope.zoneId)) return [];
      const buildings = new Set(buildingsUnder(registry, scope.zoneId).map((b) => b.id as string));
      return householdsOf(registry, buildings).map((h) => householdLine(registry, h, false));
    }
    case 'zone-heads': {
      if (scope.kind !== 'zone') return [];
      const zone = registry.zones.get(scope.zoneId);
      if (zone === undefined) return [];
      const lines: ExpectedAttendee[] = [];
      for (const id of [scope.zoneId, ...descendants(registry, scope.zoneId)]) {
        const head = headPerson(registry, registry.zones.get(id)?.head ?? null);
        if (head !== null) lines.push(person(head.name, head.ref));
      }
      for (const building of buildingsUnder(registry, scope.zoneId)) {
        const head = headPerson(registry, building.head);
        if (head !== null) lines.push(person(head.name, head.ref));
      }
      return lines;
    }
    case 'party-members': {
      if (scope.kind !== 'party-org') return [];
      const nonVoting = new Set<string>(scope.nonVotingIds);
      const lines: ExpectedAttendee[] = [];
      for (const orgId of partyOrgAndBelow(registry, scope.partyOrgId)) {
        for (const id of registry.partyOrgs.get(orgId)?.memberIds ?? []) {
          const name = liveResidentName(registry, id);
          if (name !== null) lines.push(person(name, { kind: 'resident', id }, !nonVoting.has(id)));
        }
      }
      return lines;
    }
  }
}

/**
 * The expected attendees (应到) of a meeting from the registry as it is now: the type's source for the scope, then
 * the invitees (voting only where the type allows it). One line per person: a head of two zones is expected once.
 */
export function expectedAttendees(
  meeting: Pick<Meeting, 'type' | 'rules' | 'scope' | 'invitees'>,
  registry: RegistrySnapshot,
): ExpectedAttendee[] {
  const rule = ruleFor(meeting.type, meeting.rules);
  const lines = fromSource(rule, meeting.scope, registry);
  for (const invitee of meeting.invitees) {
    const ref: PersonRef | null = invitee.residentId === null ? null : { kind: 'resident', id: invitee.residentId };
    lines.push({
      key: ref === null ? nameKey(invitee.name) : attendeeKey(ref),
      name: invitee.name,
      ref,
      expected: true,
      voting: invitee.voting && rule.votingInvitees,
      area: null,
    });
  }
  const seen = new Set<string>();
  return lines.filter((line) => (seen.has(line.key) ? false : (seen.add(line.key), true)));
}

/** The sheet quorum is computed on: the stored one once the meeting has started, else a preview with nobody in. */
export function sheetOf(meeting: MeetingForRules, registry: RegistrySnapshot): readonly Attendee[] {
  if (meeting.attendees.length > 0) return meeting.attendees;
  return expectedAttendees(meeting, registry).map((line) => ({
    ...line,
    status: 'absent',
    reason: '',
    signedInAt: null,
  }));
}
