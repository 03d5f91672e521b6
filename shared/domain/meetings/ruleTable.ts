/**
 * The rules of each meeting type, as data (docs/meetings-model.md): who is expected, the quorum, the threshold a
 * resolution needs, how far ahead the notice goes up, and which of these an office may configure; then the integer
 * threshold arithmetic every count uses (民法典 art. 1259: "以上" includes the number, "过半数" does not).
 */
import { domainError, type DomainError } from '../result';
import {
  SPECIAL_SUBJECTS,
  type AgendaItem,
  type MatterKind,
  type MeetingScope,
  type MeetingType,
  type RuleOverrides,
  type Threshold,
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

export function fromCenti(centi: number): number {
  return centi / 100;
}
