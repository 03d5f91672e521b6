/**
 * Fixture generators for meeting tests: small registries written through the registry commands (households with
 * chosen floor areas, an owners' committee, a party branch), sign-in sheets for the pure rule tests, and a meeting
 * driven to a given stage through the meeting commands. Values are generated, never pasted.
 */
import * as Y from 'yjs';
import {
  createBuilding,
  createCompound,
  createHousehold,
  createPartyOrg,
  updateCompound,
} from '@shared/domain/registry/commands';
import type {
  AddAgendaItemInput,
  Attendance,
  Attendee,
  CreateMeetingInput,
  Meeting,
  MeetingId,
  MeetingType,
  RuleOverrides,
} from '@shared/domain/meetings/types';
import type { MeetingForRules } from '@shared/domain/meetings/rules';
import { addAgendaItem, createMeeting, publishNotice, signIn, startMeeting } from '@shared/domain/meetings/commands';
import { readMeeting } from '@shared/ydoc/meetings';
import { snapshotRegistry, type RegistrySnapshot } from '@shared/ydoc/registry';
import { addResident, makeCtx, unwrap, type TestContext } from '../registry/fixtures';

export { makeCtx, unwrap, errorOf } from '../registry/fixtures';

/** Meeting day of the fixtures: 2026-03-10 09:00 in China. */
export const MEETING_AT = '2026-03-10T01:00:00.000Z';

export interface SheetSpec {
  /** Expected voters. */
  readonly expected: number;
  /** How many of them are present (the first ones); `late` more come late. */
  readonly present: number;
  readonly late?: number;
  /** Floor area per expected voter (cycled), null = unknown. Omit outside owners' assemblies. */
  readonly areas?: readonly (number | null)[];
  /** Extra 列席 guests (present, no vote). */
  readonly guests?: number;
  /** Expected but without a vote (预备党员). */
  readonly nonVoting?: number;
}

/** A sign-in sheet: `v0..` voters, the first `present` present, then `late` late, the rest absent with a reason. */
export function sheet(spec: SheetSpec): Attendee[] {
  const lines: Attendee[] = [];
  const late = spec.late ?? 0;
  for (let i = 0; i < spec.expected; i++) {
    const status: Attendance = i < spec.present ? 'present' : i < spec.present + late ? 'late' : 'absent';
    const area = spec.areas === undefined ? null : (spec.areas[i % spec.areas.length] ?? null);
    lines.push({
      key: `name:v${i}`,
      name: `v${i}`,
      ref: null,
      expected: true,
      voting: true,
      area,
      status,
      reason: status === 'absent' ? '出差' : '',
      signedInAt: status === 'absent' ? null : MEETING_AT,
    });
  }
  for (let i = 0; i < (spec.nonVoting ?? 0); i++) {
    lines.push({
      key: `name:p${i}`,
      name: `p${i}`,
      ref: null,
      expected: true,
      voting: false,
      area: null,
      status: 'present',
      reason: '',
      signedInAt: MEETING_AT,
    });
  }
  for (let i = 0; i < (spec.guests ?? 0); i++) {
    lines.push({
      key: `name:g${i}`,
      name: `g${i}`,
      ref: null,
      expected: false,
      voting: false,
      area: null,
      status: 'non-voting',
      reason: '',
      signedInAt: MEETING_AT,
    });
  }
  return lines;
}

/** A meeting for the pure rules, with a stored sheet (so the registry is not consulted). */
export function ruleMeeting(type: MeetingType, attendees: Attendee[], rules: RuleOverrides = {}): MeetingForRules {
  const scope: Meeting['scope'] =
    type === 'residents-representatives'
      ? { kind: 'list', people: [] }
      : type === 'party'
        ? { kind: 'party-org', partyOrgId: 'po' as never, nonVotingIds: [] }
        : type === 'five-heads' || type === 'courtyard'
          ? { kind: 'zone', zoneId: 'z' as never }
          : { kind: 'compound', compoundId: 'c' as never };
  return { type, rules, scope, invitees: [], attendees };
}

/** Keys of the voters of a `sheet`, for votes by name. */
export function voterKeys(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `name:v${from + i}`);
}

/** A commercial compound with one household per area (door numbers 101, 102, ...). */
export function ownersRegistry(areas: readonly (number | null)[], ctx: TestContext = makeCtx()) {
  const doc = new Y.Doc();
  const compound = unwrap(createCompound(doc, ctx, { name: '锦江花园', kind: 'commercial', address: '西河路88号' }));
  const building = unwrap(createBuilding(doc, ctx, { compoundId: compound, name: '1栋', floors: 30 }));
  const households = areas.map((floorArea, i) =>
    unwrap(createHousehold(doc, ctx, { buildingId: building, doorNumber: String(101 + i), floorArea })),
  );
  return { doc, ctx, compound, building, households, snapshot: () => snapshotRegistry(doc) };
}

/** A compound whose owners' committee has `members` registered residents. */
export function committeeRegistry(members: number, ctx: TestContext = makeCtx()) {
  const base = ownersRegistry(
    Array.from({ length: members }, () => 80),
    ctx,
  );
  const residents = base.households.map((h, i) => unwrap(addResident(base.doc, ctx, h, { name: `委员${i + 1}` })));
  unwrap(
    updateCompound(base.doc, ctx, {
      id: base.compound,
      changes: { ownersCommittee: residents.map((residentId, i) => ({ name: `委员${i + 1}`, residentId })) },
    }),
  );
  return { ...base, residents };
}

/** A party committee with one branch of `members` party members. */
export function partyRegistry(members: number, ctx: TestContext = makeCtx()) {
  const base = ownersRegistry(
    Array.from({ length: members }, () => 70),
    ctx,
  );
  const residents = base.households.map((h, i) =>
    unwrap(addResident(base.doc, ctx, h, { name: `党员${i + 1}`, tags: ['party-member'] })),
  );
  const committee = unwrap(createPartyOrg(base.doc, ctx, { kind: 'committee', name: '西河社区党委' }));
  const branch = unwrap(
    createPartyOrg(base.doc, ctx, {
      kind: 'branch',
      name: '锦江花园小区党支部',
      parentId: committee,
      compoundId: base.compound,
      memberIds: residents,
    }),
  );
  return { ...base, residents, committee, branch };
}

/** Creates a meeting with one agenda item, publishes the notice 3 days ahead and starts it. */
export function startedMeeting(
  doc: Y.Doc,
  ctx: TestContext,
  registry: RegistrySnapshot,
  input: Pick<CreateMeetingInput, 'type' | 'scope'> & Partial<CreateMeetingInput>,
  item: Partial<AddAgendaItemInput> = {},
) {
  const id = unwrap(
    createMeeting(
      doc,
      ctx,
      {
        title: '测试会议',
        convener: { name: '社区主任' },
        chair: { name: '主持人' },
        recorder: { name: '记录人' },
        startsAt: MEETING_AT,
        place: '社区会议室',
        ...input,
      },
      registry,
    ),
  );
  const itemId = unwrap(
    addAgendaItem(doc, ctx, {
      meetingId: id,
      title: '议题一',
      proposer: { name: '提议人' },
      expectedMinutes: 20,
      ...item,
    }),
  );
  unwrap(publishNotice(doc, ctx, { meetingId: id, publishedOn: '2026-03-07' }));
  // The fixtures' clock is a week before the meeting day: started early, as confirmed.
  unwrap(startMeeting(doc, ctx, { meetingId: id, early: true }, registry));
  return { id, itemId };
}

/** Signs in the first `n` lines of the stored sheet as present. */
export function signInFirst(doc: Y.Doc, ctx: TestContext, meetingId: MeetingId, n: number): string[] {
  const keys = (readMeeting(doc, meetingId)?.attendees ?? []).slice(0, n).map((a) => a.key);
  for (const key of keys) unwrap(signIn(doc, ctx, { meetingId, key, status: 'present' }));
  return keys;
}
