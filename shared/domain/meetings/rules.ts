/**
 * The rules of each meeting type, as data: who is expected, the quorum, the threshold a resolution needs, how far
 * ahead the notice goes up, and which of these an office may configure. Every rule names its source; where the
 * source is practice rather than law (docs/domain.md), the rule is configurable per meeting.
 *
 * Counting follows 民法典 art. 1259: "以上" includes the number itself (two thirds of 9 is reached by 6), "过半数" /
 * "超过" do not (half of 10 is not a majority: 6 is). All comparisons are made on integers (areas in hundredths of a
 * square metre), so "exactly two thirds" is never lost to floating point.
 *
 * The sign-in sheet is a snapshot: the expected attendees are computed from the registry when the meeting starts and
 * stored on the meeting (commands.ts `startMeeting`). Quorum and thresholds read that sheet, so a signed meeting's
 * result does not change when a household later moves or an owner's committee is re-elected. Before the start,
 * `quorum` previews against the registry as it is now.
 */
import { domainError, err, ok, type DomainError, type Result } from '../result';
import { buildingsUnder, descendants } from '../registry/fiveHeads';
import type { HeadRef, Household } from '../registry/types';
import type { RegistrySnapshot } from '../../ydoc/registry';
import {
  attendeeKey,
  SPECIAL_SUBJECTS,
  type AgendaItem,
  type Attendee,
  type AttendeeKey,
  type MatterKind,
  type Meeting,
  type MeetingScope,
  type MeetingType,
  type PersonRef,
  type RuleOverrides,
  type Threshold,
  type Vote,
} from './types';

/** Where a type's expected attendees come from. */
export type ExpectedSource =
  | 'listed' // the people named on the meeting (residents' representatives)
  | 'owners-committee' // the compound's owners' committee members
  | 'owners' // one owner per household of the compound, with floor area
  | 'zone-heads' // heads of a zone, its sub-zones and its buildings
  | 'three-platforms' // compound party branch secretary and owners' committee (+ invitees)
  | 'party-members' // members of a party organisation and the organisations below it
  | 'courtyard-households'; // one person per household of the buildings under a zone

export interface PassRule {
  readonly threshold: Threshold;
  /** Count the "for" votes against those present (and voting) or against all expected voters. */
  readonly base: 'present' | 'expected';
  /** Owners' assembly: the floor area must pass the same threshold as the headcount. */
  readonly area: boolean;
}

export interface MeetingRule {
  readonly type: MeetingType;
  /** False for practice meetings (docs/domain.md): no legal quorum. */
  readonly legal: boolean;
  /** The law or practice each number comes from (shown in docs/meetings-model.md). */
  readonly source: string;
  readonly scopeKind: MeetingScope['kind'];
  readonly expected: ExpectedSource;
  /** Share of the expected voters (headcount) that must be present. */
  readonly quorum: Threshold;
  /** Owners' assembly: share of the known floor area that must take part, on top of the headcount. */
  readonly quorumArea: Threshold | null;
  /** True: below quorum nothing can be voted or passed. False: the quorum is advisory and only warns. */
  readonly binding: boolean;
  readonly pass: { readonly ordinary: PassRule; readonly special: PassRule | null };
  /** Minimum days between the notice going up and the meeting; a later notice is a warning, not a refusal. */
  readonly noticeDays: number;
  /** Whether invitees beyond the scope may vote (where membership is fixed by law they attend as 列席). */
  readonly votingInvitees: boolean;
}

const T = (num: number, den: number, comparison: Threshold['comparison']): Threshold => ({ num, den, comparison });
const TWO_THIRDS = T(2, 3, 'at-least');
const THREE_QUARTERS = T(3, 4, 'at-least');
const MAJORITY = T(1, 2, 'more-than');
const HALF_OR_MORE = T(1, 2, 'at-least');

/** Default notice: docs/domain.md "notice published 2-3 days ahead" (practice). */
const DEFAULT_NOTICE_DAYS = 2;

export const MEETING_RULES: Readonly<Record<MeetingType, MeetingRule>> = {
  'residents-representatives': {
    type: 'residents-representatives',
    legal: true,
    // 城市居民委员会组织法 art. 9 sets "过半数出席, 出席人的过半数通过" for the residents' MEETING (居民会议); the
    // representatives' meeting rule of two thirds present (docs/domain.md) follows local 居民代表会议 rules, modelled on
    // 村民委员会组织法 art. 26. Hence legal in spirit but configurable.
    source: '城市居民委员会组织法 art. 9; 居民代表会议议事规则 (two thirds present, cf. 村民委员会组织法 art. 26)',
    scopeKind: 'list',
    expected: 'listed',
    quorum: TWO_THIRDS,
    quorumArea: null,
    binding: true,
    pass: { ordinary: { threshold: MAJORITY, base: 'present', area: false }, special: null },
    noticeDays: DEFAULT_NOTICE_DAYS,
    votingInvitees: true,
  },
  'owners-committee': {
    type: 'owners-committee',
    legal: true,
    // 业主大会和业主委员会指导规则 (住建部 2009): "过半数委员出席, 全体委员半数以上同意"; local 物业管理条例 and each
    // 业主大会议事规则 differ (some: two thirds present, majority of all members), so every number is configurable.
    source: '物业管理条例; 业主大会和业主委员会指导规则; 业主大会议事规则 (configurable)',
    scopeKind: 'compound',
    expected: 'owners-committee',
    quorum: MAJORITY,
    quorumArea: null,
    binding: true,
    pass: { ordinary: { threshold: HALF_OR_MORE, base: 'expected', area: false }, special: null },
    noticeDays: DEFAULT_NOTICE_DAYS,
    votingInvitees: false,
  },
  'owners-assembly': {
    type: 'owners-assembly',
    legal: true,
    // 民法典 art. 278 para. 2: owners holding >= 2/3 of the exclusive-part area AND >= 2/3 of the owners take part;
    // items (六)-(八) need >= 3/4 of the area AND of the owners taking part; other items more than half of both.
    // 物业管理条例 art. 14: the notice goes to all owners 15 days before the meeting.
    // 建筑物区分所有权司法解释 art. 9: owners are counted by exclusive part (one household, one owner).
    source: '民法典 art. 278; 物业管理条例 art. 14; 最高法建筑物区分所有权解释 arts. 8-9',
    scopeKind: 'compound',
    expected: 'owners',
    quorum: TWO_THIRDS,
    quorumArea: TWO_THIRDS,
    binding: true,
    pass: {
      ordinary: { threshold: MAJORITY, base: 'present', area: true },
      special: { threshold: THREE_QUARTERS, base: 'present', area: true },
    },
    noticeDays: 15,
    votingInvitees: false,
  },
  'five-heads': {
    type: 'five-heads',
    legal: false,
    source: 'practice (五长联动): all heads of the zone expected; advisory quorum',
    scopeKind: 'zone',
    expected: 'zone-heads',
    quorum: MAJORITY,
    quorumArea: null,
    binding: false,
    pass: { ordinary: { threshold: MAJORITY, base: 'present', area: false }, special: null },
    noticeDays: DEFAULT_NOTICE_DAYS,
    votingInvitees: true,
  },
  'three-platforms': {
    type: 'three-platforms',
    legal: false,
    source: 'practice (三平台: 小区党支部领导, 管委会、调委会主导): advisory quorum',
    scopeKind: 'compound',
    expected: 'three-platforms',
    quorum: MAJORITY,
    quorumArea: null,
    binding: false,
    pass: { ordinary: { threshold: MAJORITY, base: 'present', area: false }, special: null },
    noticeDays: DEFAULT_NOTICE_DAYS,
    votingInvitees: true,
  },
  party: {
    type: 'party',
    legal: true,
    // 中国共产党支部工作条例（试行）art. 11: a vote needs 半数以上 of the members with a vote present, and passes with
    // more than half of the members with a vote who are EXPECTED (应到会). Practice reads the first half as "more than
    // half" too (双过半). 预备党员 and 列席 have no vote (党章 art. 7).
    source: '中国共产党支部工作条例（试行）art. 11; 党章 art. 7',
    scopeKind: 'party-org',
    expected: 'party-members',
    quorum: MAJORITY,
    quorumArea: null,
    binding: true,
    pass: { ordinary: { threshold: MAJORITY, base: 'expected', area: false }, special: null },
    noticeDays: DEFAULT_NOTICE_DAYS,
    votingInvitees: false,
  },
  courtyard: {
    type: 'courtyard',
    legal: false,
    source: 'practice (坝坝会): one person per household of the courtyard; advisory quorum',
    scopeKind: 'zone',
    expected: 'courtyard-households',
    quorum: MAJORITY,
    quorumArea: null,
    binding: false,
    pass: { ordinary: { threshold: MAJORITY, base: 'present', area: false }, special: null },
    noticeDays: DEFAULT_NOTICE_DAYS,
    votingInvitees: true,
  },
};

/** What an office may change per meeting type: only numbers that come from practice or local rules. */
export const CONFIGURABLE: Readonly<Record<MeetingType, readonly (keyof RuleOverrides)[]>> = {
  'residents-representatives': ['quorum', 'pass', 'noticeDays'],
  'owners-committee': ['quorum', 'pass', 'passBase', 'noticeDays'],
  // 民法典 art. 278 fixes the numbers; an office may only give more notice than 物业管理条例 art. 14 asks.
  'owners-assembly': ['noticeDays'],
  'five-heads': ['quorum', 'binding', 'pass', 'noticeDays'],
  'three-platforms': ['quorum', 'binding', 'pass', 'noticeDays'],
  party: ['noticeDays'],
  courtyard: ['quorum', 'binding', 'pass', 'noticeDays'],
};

/** `meeting.rule-fixed` for an override the type does not allow, or a notice shorter than the law's minimum. */
export function checkOverrides(type: MeetingType, overrides: RuleOverrides): DomainError | null {
  const allowed = CONFIGURABLE[type];
  for (const key of Object.keys(overrides) as (keyof RuleOverrides)[]) {
    if (overrides[key] !== undefined && !allowed.includes(key))
      return domainError('meeting.rule-fixed', `rules.${key}`);
  }
  const base = MEETING_RULES[type];
  if (base.legal && overrides.noticeDays !== undefined && overrides.noticeDays < base.noticeDays) {
    return domainError('meeting.rule-fixed', 'rules.noticeDays');
  }
  return null;
}

/** The rule a meeting runs under: the type's table row with the meeting's permitted overrides applied. */
export function ruleFor(type: MeetingType, overrides: RuleOverrides = {}): MeetingRule {
  const base = MEETING_RULES[type];
  const allowed = new Set(CONFIGURABLE[type]);
  const pick = <K extends keyof RuleOverrides>(key: K): RuleOverrides[K] =>
    allowed.has(key) ? overrides[key] : undefined;
  const ordinary = base.pass.ordinary;
  return {
    ...base,
    quorum: pick('quorum') ?? base.quorum,
    binding: pick('binding') ?? base.binding,
    noticeDays: pick('noticeDays') ?? base.noticeDays,
    pass: {
      ...base.pass,
      ordinary: {
        ...ordinary,
        threshold: pick('pass') ?? ordinary.threshold,
        base: pick('passBase') ?? ordinary.base,
      },
    },
  };
}

/** The matter an agenda item is decided as: 民法典 art. 278 items (六)-(八) are always special. */
export function matterOf(item: Pick<AgendaItem, 'matter' | 'subject'>): MatterKind {
  if (item.subject !== null && (SPECIAL_SUBJECTS as readonly string[]).includes(item.subject)) return 'special';
  return item.matter;
}

// --- threshold arithmetic ---------------------------------------------------------------------------------------

/** Whether `part` of `whole` meets a threshold. An empty whole never does (no division, no vacuous quorum). */
export function meets(part: number, whole: number, t: Threshold): boolean {
  if (whole <= 0) return false;
  return t.comparison === 'at-least' ? part * t.den >= t.num * whole : part * t.den > t.num * whole;
}

/** The smallest integer part that meets the threshold (for "needed: 6 of 9" on screen). */
export function needed(whole: number, t: Threshold): number {
  if (whole <= 0) return t.comparison === 'at-least' ? 0 : 1;
  const floor = Math.floor((t.num * whole) / t.den);
  if (t.comparison === 'more-than') return floor + 1;
  return floor * t.den === t.num * whole ? floor : floor + 1;
}

/** Areas are compared in hundredths of a m² (registry areas have at most two decimals). */
export function toCenti(area: number): number {
  return Math.round(area * 100);
}

function fromCenti(centi: number): number {
  return centi / 100;
}

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

// --- quorum -------------------------------------------------------------------------------------------------------

export type QuorumReason =
  'reached' | 'no-expected-attendees' | 'headcount-short' | 'area-short' | 'headcount-and-area-short' | 'no-known-area';

/** Something the user should see but that refuses nothing. */
export interface MeetingWarning {
  readonly code: 'households-without-area' | 'quorum-advisory' | 'notice-late';
  readonly params?: Readonly<Record<string, number>>;
}

export interface QuorumResult {
  readonly reached: boolean;
  /** False for an advisory quorum: votes may go ahead below it, with a warning. */
  readonly binding: boolean;
  readonly reason: QuorumReason;
  readonly detail: {
    readonly headcount: { readonly present: number; readonly expected: number; readonly needed: number };
    /** Owners' assembly, in m². `total` counts only known areas. */
    readonly area?: { readonly present: number; readonly total: number; readonly needed: number };
  };
  readonly warnings: readonly MeetingWarning[];
}

/** Present and entitled to vote: present or late (counted from the moment they sign in), and holding a vote. */
export function isVotingPresent(a: Attendee): boolean {
  return a.voting && (a.status === 'present' || a.status === 'late');
}

interface Counts {
  readonly expected: number;
  readonly present: number;
  readonly totalCenti: number;
  readonly presentCenti: number;
  readonly withoutArea: number;
}

function countSheet(sheet: readonly Attendee[]): Counts {
  let expected = 0;
  let present = 0;
  let totalCenti = 0;
  let presentCenti = 0;
  let withoutArea = 0;
  for (const a of sheet) {
    // The base is the expected voters: marking an expected owner 列席 does not shrink it (no quorum by exclusion).
    if (!a.expected || !a.voting) continue;
    expected++;
    const centi = a.area === null ? 0 : toCenti(a.area);
    if (a.area === null) withoutArea++;
    totalCenti += centi;
    if (isVotingPresent(a)) {
      present++;
      presentCenti += centi;
    }
  }
  return { expected, present, totalCenti, presentCenti, withoutArea };
}

/**
 * Quorum by the meeting type's rule. Owners' assembly: both the headcount and the floor area (民法典 art. 278).
 * Households without a known area count in the headcount with no area, and the area total is the sum of the known
 * areas only (counting them as zero in the total would make the share unreachable); the UI shows how many households
 * lack an area (`households-without-area`) so the office can complete the registry before a binding vote.
 */
export function quorum(meeting: MeetingForRules, registry: RegistrySnapshot): QuorumResult {
  const rule = ruleFor(meeting.type, meeting.rules);
  const c = countSheet(sheetOf(meeting, registry));
  const headOk = meets(c.present, c.expected, rule.quorum);
  const warnings: MeetingWarning[] = [];
  const headcount = { present: c.present, expected: c.expected, needed: needed(c.expected, rule.quorum) };
  let area: QuorumResult['detail']['area'];
  let areaOk = true;
  if (rule.quorumArea !== null) {
    areaOk = meets(c.presentCenti, c.totalCenti, rule.quorumArea);
    area = {
      present: fromCenti(c.presentCenti),
      total: fromCenti(c.totalCenti),
      needed: fromCenti(needed(c.totalCenti, rule.quorumArea)),
    };
    if (c.withoutArea > 0) warnings.push({ code: 'households-without-area', params: { count: c.withoutArea } });
  }
  let reason: QuorumReason;
  if (c.expected === 0) reason = 'no-expected-attendees';
  else if (rule.quorumArea !== null && c.totalCenti === 0) reason = 'no-known-area';
  else if (!headOk && !areaOk) reason = 'headcount-and-area-short';
  else if (!headOk) reason = 'headcount-short';
  else if (!areaOk) reason = 'area-short';
  else reason = 'reached';
  const reached = reason === 'reached';
  if (!reached && !rule.binding) warnings.push({ code: 'quorum-advisory' });
  return {
    reached,
    binding: rule.binding,
    reason,
    detail: area === undefined ? { headcount } : { headcount, area },
    warnings,
  };
}

/** Whether votes may be recorded: quorum reached, or an advisory quorum. */
export function mayVote(q: QuorumResult): boolean {
  return q.reached || !q.binding;
}

// --- votes and resolutions -------------------------------------------------------------------------------------------

export interface Tally {
  readonly for: number;
  readonly against: number;
  readonly abstain: number;
  /** Hundredths of m²; zero outside owners' assemblies. */
  readonly forCenti: number;
  readonly castCenti: number;
}

/**
 * Checks a vote against the sheet and counts it. By name: each ballot belongs to a voting attendee who is present
 * (or late); 列席, absent and unknown people cannot vote. By count: no more votes (or area) than voting people present.
 * Owners' assemblies need the area behind a counted vote (民法典 art. 278 counts area and heads).
 */
export function tallyVote(vote: Vote, sheet: readonly Attendee[], withArea: boolean): Result<Tally, DomainError> {
  const byKey = new Map(sheet.map((a) => [a.key, a]));
  if (vote.mode === 'by-name') {
    const t = { for: 0, against: 0, abstain: 0, forCenti: 0, castCenti: 0 };
    for (const [key, ballot] of Object.entries(vote.ballots)) {
      const attendee = byKey.get(key);
      if (attendee === undefined) return err(domainError('meeting.not-expected', `ballots.${key}`));
      if (!isVotingPresent(attendee)) return err(domainError('meeting.vote-not-voting', `ballots.${key}`));
      t[ballot]++;
      const centi = withArea && attendee.area !== null ? toCenti(attendee.area) : 0;
      t.castCenti += centi;
      if (ballot === 'for') t.forCenti += centi;
    }
    return ok(t);
  }
  const present = sheet.filter(isVotingPresent);
  if (vote.for + vote.against + vote.abstain > present.length) {
    return err(domainError('meeting.vote-exceeds-present', 'vote', { present: present.length }));
  }
  if (!withArea) return ok({ for: vote.for, against: vote.against, abstain: vote.abstain, forCenti: 0, castCenti: 0 });
  if (vote.area === undefined) return err(domainError('meeting.vote-area-required', 'vote.area'));
  const presentCenti = present.reduce((sum, a) => sum + (a.area === null ? 0 : toCenti(a.area)), 0);
  const forCenti = toCenti(vote.area.for);
  const castCenti = forCenti + toCenti(vote.area.against) + toCenti(vote.area.abstain);
  if (castCenti > presentCenti) {
    return err(domainError('meeting.vote-exceeds-present', 'vote.area', { present: fromCenti(presentCenti) }));
  }
  return ok({ for: vote.for, against: vote.against, abstain: vote.abstain, forCenti, castCenti });
}

export type ResolutionReason =
  'passed' | 'quorum-not-reached' | 'no-vote' | 'invalid-vote' | 'votes-short' | 'area-short' | 'votes-and-area-short';

export interface ResolutionResult {
  readonly passed: boolean;
  readonly reason: ResolutionReason;
  readonly matter: MatterKind;
  /** The threshold and base that applied, for the minutes ("经到会人员过半数同意"). */
  readonly rule: PassRule;
  readonly tally: {
    readonly for: number;
    readonly against: number;
    readonly abstain: number;
    readonly base: number;
    readonly needed: number;
  };
  readonly area?: { readonly for: number; readonly base: number; readonly needed: number };
  readonly quorum: QuorumResult;
  readonly error?: DomainError;
  readonly warnings: readonly MeetingWarning[];
}

/**
 * Whether an agenda item's resolution passed, by the threshold that applies to it (for owners' assemblies, ordinary
 * or special by `matterOf`). Abstentions count in the base (they took part) and not for. A meeting whose binding
 * quorum is not reached passes nothing; below an advisory quorum the result stands with a `quorum-advisory` warning.
 */
export function resolutionPassed(
  item: Pick<AgendaItem, 'matter' | 'subject'>,
  vote: Vote | null,
  meeting: MeetingForRules,
  registry: RegistrySnapshot,
): ResolutionResult {
  const rule = ruleFor(meeting.type, meeting.rules);
  const matter = rule.pass.special === null ? 'ordinary' : matterOf(item);
  const pass = matter === 'special' && rule.pass.special !== null ? rule.pass.special : rule.pass.ordinary;
  const q = quorum(meeting, registry);
  const sheet = sheetOf(meeting, registry);
  const c = countSheet(sheet);
  const base = pass.base === 'present' ? c.present : c.expected;
  const baseCenti = pass.base === 'present' ? c.presentCenti : c.totalCenti;
  const empty = { for: 0, against: 0, abstain: 0, base, needed: needed(base, pass.threshold) };
  const result = (
    reason: ResolutionReason,
    tally: ResolutionResult['tally'] = empty,
    extra: Partial<ResolutionResult> = {},
  ): ResolutionResult => ({
    passed: reason === 'passed',
    reason,
    matter,
    rule: pass,
    tally,
    quorum: q,
    warnings: q.warnings,
    ...extra,
  });
  if (!mayVote(q)) return result('quorum-not-reached');
  if (vote === null) return result('no-vote');
  const counted = tallyVote(vote, sheet, pass.area);
  if (!counted.ok) return result('invalid-vote', empty, { error: counted.error });
  const t = counted.value;
  const tally = { for: t.for, against: t.against, abstain: t.abstain, base, needed: needed(base, pass.threshold) };
  const votesOk = meets(t.for, base, pass.threshold);
  if (!pass.area) return result(votesOk ? 'passed' : 'votes-short', tally);
  const areaOk = meets(t.forCenti, baseCenti, pass.threshold);
  const area = {
    for: fromCenti(t.forCenti),
    base: fromCenti(baseCenti),
    needed: fromCenti(needed(baseCenti, pass.threshold)),
  };
  const reason =
    votesOk && areaOk
      ? 'passed'
      : !votesOk && !areaOk
        ? 'votes-and-area-short'
        : votesOk
          ? 'area-short'
          : 'votes-short';
  return result(reason, tally, { area });
}
