/**
 * Counting on the sign-in sheet: quorum by the meeting type's rule, checking and tallying a vote, and whether a
 * resolution passed. All comparisons are on integers (areas in hundredths of a square metre), so "exactly two
 * thirds" is never lost to floating point.
 */
import { domainError, err, ok, type DomainError, type Result } from '../result';
import type { RegistrySnapshot } from '../../ydoc/registry';
import { fromCenti, matterOf, meets, needed, ruleFor, toCenti, type PassRule } from './ruleTable';
import { sheetOf, type MeetingForRules } from './sheet';
import type { AgendaItem, Attendee, MatterKind, Vote } from './types';

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
