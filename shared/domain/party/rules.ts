/**
 * What the party-building records mean (docs/party-model.md, "rules"): when a member's half-yearly re-check-in falls
 * due, the year-end input to 民主评议, the 小红帽's hours per volunteer, the 三清单 and the quarterly feedback sheet.
 * Pure functions of the records read from the registry and the activities documents.
 */
import type { CheckIn, Claim, ServicePost, ServiceRecord, Subject, Unit, VolunteerHours } from './types';
import { subjectKey } from './types';

/** The day `months` calendar months after `date` (the 31st becomes the month's last day). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** 半年复报到: a member or unit checks in again within six months of the last check-in. */
export const RECHECK_MONTHS = 6;

export interface CheckInState {
  /** The first check-in known (the registry's 报到 day, else the earliest record). */
  readonly first: string | null;
  readonly last: string | null;
  /** The day the next re-check-in is due (six months after the last); null before any check-in. */
  readonly due: string | null;
  /** `never`: no check-in at all; `due`: the re-check-in day has come; `ok`. */
  readonly status: 'never' | 'due' | 'ok';
}

/**
 * Where a member or unit stands on `today`: `first` from the registry (a resident's `partyCheckIn`, a unit's
 * `checkedInOn`) or the records, the last check-in, and the re-check-in due six months after it.
 */
export function checkInState(registryFirst: string | null, records: readonly CheckIn[], today: string): CheckInState {
  const days = records.map((r) => r.on).filter((d) => d <= today);
  if (registryFirst !== null && registryFirst <= today) days.push(registryFirst);
  if (days.length === 0) return { first: null, last: null, due: null, status: 'never' };
  days.sort();
  const last = days[days.length - 1] as string;
  const due = addMonths(last, RECHECK_MONTHS);
  return { first: days[0] as string, last, due, status: today >= due ? 'due' : 'ok' };
}

/** The check-ins of one subject. */
export function checkInsOf(records: readonly CheckIn[], subject: Subject): CheckIn[] {
  const key = subjectKey(subject);
  return records.filter((r) => subjectKey(r.subject) === key);
}

export interface AppraisalRow {
  readonly memberId: string;
  /** The year's check-ins, by day. */
  readonly checkIns: readonly string[];
  readonly services: number;
  readonly hours: number;
  /** Average rating of the rated service records (null: none rated). */
  readonly rating: number | null;
  /**
   * No check-in in the year: such a member cannot be rated 合格 in the year-end 民主评议 (docs/party-model.md: the
   * 佛山 rule, "未报到的党员不能评为合格").
   */
  readonly neverCheckedIn: boolean;
  /**
   * Checked in, but the half-yearly re-check-in fell due within the year (six months after the year's last check-in,
   * by `asOf` or the year's end) and was not made.
   */
  readonly missedHalf: boolean;
}

/**
 * The year-end input to 民主评议: for each party member, the year's check-ins, services, hours and ratings; a member
 * who never checked in that year is flagged. `members` are the party members of the registry; the rows follow their
 * order. `asOf` (a day of the year): a re-check-in falling due after it is not missed yet.
 */
export function appraisalRows(
  year: number,
  members: readonly string[],
  checkIns: readonly CheckIn[],
  services: readonly ServiceRecord[],
  asOf: string,
): AppraisalRow[] {
  const inYear = (day: string) => day.startsWith(`${year}-`);
  const end = asOf < `${year}-12-31` ? asOf : `${year}-12-31`;
  return members.map((memberId) => {
    const subject: Subject = { kind: 'member', id: memberId };
    const days = checkInsOf(checkIns, subject)
      .map((c) => c.on)
      .filter(inYear)
      .sort();
    const mine = services.filter((s) => s.subject.kind === 'member' && s.subject.id === memberId && inYear(s.on));
    const rated = mine.filter((s) => s.rating !== null);
    const hours = mine.reduce((sum, s) => sum + s.hours, 0);
    const last = days.at(-1);
    return {
      memberId,
      checkIns: days,
      services: mine.length,
      hours,
      rating: rated.length === 0 ? null : rated.reduce((sum, s) => sum + (s.rating ?? 0), 0) / rated.length,
      neverCheckedIn: days.length === 0,
      missedHalf: last !== undefined && addMonths(last, RECHECK_MONTHS) <= end,
    };
  });
}

/** 小红帽: each volunteer's hours in the year (a total per volunteer per year), most hours first. */
export function volunteerTotals(
  records: readonly VolunteerHours[],
  year: number,
): { volunteerId: string; hours: number; times: number }[] {
  const totals = new Map<string, { hours: number; times: number }>();
  for (const r of records) {
    if (!r.on.startsWith(`${year}-`)) continue;
    const t = totals.get(r.volunteerId) ?? { hours: 0, times: 0 };
    totals.set(r.volunteerId, { hours: t.hours + r.hours, times: t.times + 1 });
  }
  return [...totals]
    .map(([volunteerId, t]) => ({ volunteerId, ...t }))
    .sort((a, b) => b.hours - a.hours || (a.volunteerId < b.volunteerId ? -1 : 1));
}

export interface ListedPost {
  readonly post: ServicePost;
  readonly claims: readonly Claim[];
}

/**
 * The 三清单 (石泉 practice): 需求清单, the community's needs (posts of kind `need`); 供给清单, the standing posts members
 * and units fill (kind `post`) with who claimed them; 共建清单, the units with a 共建协议 in force on `today`.
 */
export function threeLists(
  posts: readonly ServicePost[],
  claims: readonly Claim[],
  units: readonly Unit[],
  today: string,
): { needs: ListedPost[]; supply: ListedPost[]; cooperation: Unit[] } {
  const listed = (kind: ServicePost['kind']) =>
    posts
      .filter((p) => p.kind === kind && !p.withdrawn)
      .map((post) => ({ post, claims: claims.filter((c) => c.postId === post.id) }));
  return {
    needs: listed('need'),
    supply: listed('post'),
    cooperation: units.filter(
      (u) => u.agreement !== null && u.agreement.signedOn <= today && u.agreement.until >= today,
    ),
  };
}

/** The quarter (1-4) of a day. */
export function quarterOf(day: string): number {
  return Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1;
}

export interface FeedbackSheet {
  readonly memberId: string;
  readonly year: number;
  readonly quarter: number;
  /** The workplace named at the member's latest check-in up to the quarter's end ('' when none named). */
  readonly workplace: string;
  readonly checkIns: readonly string[];
  readonly services: readonly ServiceRecord[];
  readonly hours: number;
  readonly rating: number | null;
  readonly postIds: readonly string[];
}

/** 服务登记卡 of a quarter, fed back to the member's employer (中江 practice: 一卡, every quarter). */
export function feedbackSheet(
  memberId: string,
  year: number,
  quarter: number,
  checkIns: readonly CheckIn[],
  services: readonly ServiceRecord[],
  claims: readonly Claim[],
): FeedbackSheet {
  const inQuarter = (day: string) => day.startsWith(`${year}-`) && quarterOf(day) === quarter;
  const end = `${year}-${String(quarter * 3).padStart(2, '0')}-31`;
  const mine = checkInsOf(checkIns, { kind: 'member', id: memberId });
  const latest = mine.filter((c) => c.on <= end && c.workplace !== '').sort((a, b) => (a.on < b.on ? -1 : 1));
  const done = services.filter((s) => s.subject.kind === 'member' && s.subject.id === memberId && inQuarter(s.on));
  const rated = done.filter((s) => s.rating !== null);
  return {
    memberId,
    year,
    quarter,
    workplace: latest.at(-1)?.workplace ?? '',
    checkIns: mine.map((c) => c.on).filter(inQuarter),
    services: done,
    hours: done.reduce((sum, s) => sum + s.hours, 0),
    rating: rated.length === 0 ? null : rated.reduce((sum, s) => sum + (s.rating ?? 0), 0) / rated.length,
    postIds: claims
      .filter((c) => c.claimant.kind === 'member' && c.claimant.id === memberId && c.on <= end)
      .map((c) => c.postId),
  };
}
