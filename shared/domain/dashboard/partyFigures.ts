/**
 * The dashboard's figures of party building (docs/dashboard-model.md, "party building and resources"): 双报到 (members
 * and units checked in, due and overdue for the half-yearly re-check-in, members never checked in this year, posts
 * claimed against their capacity, service hours and ratings) and 三红三百 (patrols, concerns and the grid events they
 * became, 小红帽 hours, sessions and their attendance), for one community or a street's, over a period as of a day.
 *
 * Computed from the figure rows (activityRows.ts), never from a stored counter. A dated record counts in the period
 * when its day falls from the period's first day to the day asked (or the period's last day, if earlier) and it was
 * written on or before the day asked.
 */
import { addMonths, RECHECK_MONTHS } from '../party/rules';
import { SESSION_KINDS, type SessionKind } from '../party/types';
import type { ActivityRows, RegistryFigureRows } from './activityRows';

/** One community's rows: its registry's and those of the activities documents read (the period's year and the one before). */
export interface CommunityActivity {
  readonly id: string;
  readonly registry: RegistryFigureRows;
  readonly activities: readonly ActivityRows[];
}

export interface FigurePeriod {
  readonly from: string;
  readonly to: string;
  /** The figures' day (a period running now: today). */
  readonly asOf: string;
}

export interface CheckInFigures {
  /** Party members (living residents tagged 党员) or units in the registry. */
  readonly total: number;
  /** Checked in at least once by the day asked (the registry's 报到 day or a check-in record). */
  readonly checkedIn: number;
  /** Checked in (first or again) within the period. */
  readonly checkedInPeriod: number;
  /** Whose next re-check-in (six months after the last check-in by the day asked) falls within the period. */
  readonly dueInPeriod: number;
  /** Whose re-check-in day has come by the day asked without a new check-in. */
  readonly overdue: number;
}

export interface MemberFigures extends CheckInFigures {
  /** Members with no check-in record in the period's year by the day asked: flagged for 民主评议 (cannot be 合格). */
  readonly neverThisYear: number;
}

export interface PartyFigures {
  readonly members: MemberFigures;
  readonly units: CheckInFigures;
  readonly posts: {
    /** Posts not withdrawn. */
    readonly active: number;
    /** Their capacity (拟认领数) added up. */
    readonly capacity: number;
    /** Claims of those posts made in the period's year by the day asked. */
    readonly claimed: number;
    /** Posts whose claims reach their capacity. */
    readonly full: number;
  };
  readonly service: {
    /** Service records of members and units in the period. */
    readonly records: number;
    readonly hours: number;
    /** Members with a service record in the period, and the median of their hours. */
    readonly members: number;
    readonly memberMedianHours: number | null;
    /** Rated records, and their average rating (1-5). */
    readonly rated: number;
    readonly ratingAverage: number | null;
  };
  readonly sanhong: {
    readonly patrols: number;
    readonly findings: number;
    /** Findings of the period's patrols made into a grid event by the day asked. */
    readonly findingsToEvents: number;
    readonly concerns: number;
    readonly concernsToEvents: number;
    /** 小红帽: hours, distinct volunteers and records. */
    readonly volunteerHours: number;
    readonly volunteers: number;
    readonly volunteerRecords: number;
    /** Per kind of session: how many and their attendance (attendees named, added up). */
    readonly sessions: Readonly<Record<SessionKind, { readonly count: number; readonly attendance: number }>>;
    /** 小茶馆 sessions of the period made into a mediation case. */
    readonly teahouseToCases: number;
  };
}

/** The last day of the period counted: the day asked, or the period's last day if earlier. */
export function periodEnd(p: FigurePeriod): string {
  return p.asOf < p.to ? p.asOf : p.to;
}

/** The median of some numbers (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Check-in figures of some subjects (`first`: the registry's day) from the check-in days read, added to `into`. */
function addCheckIns(
  into: { -readonly [K in keyof CheckInFigures]: CheckInFigures[K] },
  subjects: readonly { readonly key: string; readonly first: string | null }[],
  checkIns: ReadonlyMap<string, readonly string[]>,
  p: FigurePeriod,
): void {
  const end = periodEnd(p);
  into.total += subjects.length;
  for (const s of subjects) {
    const days = checkIns.get(s.key) ?? [];
    let last: string | null = s.first !== null && s.first <= p.asOf ? s.first : null;
    let inPeriod = false;
    for (const day of days) {
      if (last === null || day > last) last = day;
      if (day >= p.from && day <= end) inPeriod = true;
    }
    if (inPeriod) into.checkedInPeriod++;
    if (last === null) continue;
    into.checkedIn++;
    const due = addMonths(last, RECHECK_MONTHS);
    if (due >= p.from && due <= p.to) into.dueInPeriod++;
    if (due <= p.asOf) into.overdue++;
  }
}

const noCheckIns = () => ({ total: 0, checkedIn: 0, checkedInPeriod: 0, dueInPeriod: 0, overdue: 0 });

/**
 * The party-building figures of the communities (one, or a street's) over the period as of its day. Each community is
 * counted with its own maps (the same id in two communities is two records); medians are taken over all of them.
 */
export function partyFigures(communities: readonly CommunityActivity[], p: FigurePeriod): PartyFigures {
  const end = periodEnd(p);
  const year = p.from.slice(0, 4);
  const yearStart = `${year}-01-01`;
  const yearEnd = `${year}-12-31` < p.asOf ? `${year}-12-31` : p.asOf;
  const asOf = p.asOf;
  const from = p.from;

  const members = { ...noCheckIns(), neverThisYear: 0 };
  const units = noCheckIns();
  let activePosts = 0;
  let capacity = 0;
  let claimed = 0;
  let full = 0;
  let records = 0;
  let hours = 0;
  const memberTotals: number[] = [];
  let rated = 0;
  let ratingSum = 0;
  let patrols = 0;
  let findings = 0;
  let findingsToEvents = 0;
  let concerns = 0;
  let concernsToEvents = 0;
  let volunteerHours = 0;
  let volunteers = 0;
  let volunteerRecords = 0;
  const sessions = Object.fromEntries(SESSION_KINDS.map((k) => [k, { count: 0, attendance: 0 }])) as Record<
    SessionKind,
    { count: number; attendance: number }
  >;
  let teahouseToCases = 0;

  for (const c of communities) {
    // Check-in days by subject (`member:<id>`, `unit:<id>`), known by the day asked.
    const checkIns = new Map<string, string[]>();
    const checkedThisYear = new Set<string>();
    const claims = new Map<string, number>();
    const memberHours = new Map<string, number>();
    const volunteerIds = new Set<string>();
    const patrolIds = new Set<string>();
    const concernIds = new Set<string>();
    const teahouseIds = new Set<string>();
    for (const doc of c.activities) {
      for (const r of doc.checkIns) {
        if (r.on > asOf || (r.w !== undefined && r.w > asOf)) continue;
        const list = checkIns.get(r.s);
        if (list === undefined) checkIns.set(r.s, [r.on]);
        else list.push(r.on);
        if (r.on >= yearStart && r.on <= yearEnd) checkedThisYear.add(r.s);
      }
      for (const r of doc.claims) {
        if ((r.w === undefined || r.w <= asOf) && r.on >= yearStart && r.on <= yearEnd)
          claims.set(r.post, (claims.get(r.post) ?? 0) + 1);
      }
      for (const r of doc.services) {
        if (r.on < from || r.on > end || (r.w !== undefined && r.w > asOf)) continue;
        records++;
        hours += r.hours;
        if (r.s.startsWith('member:')) memberHours.set(r.s, (memberHours.get(r.s) ?? 0) + r.hours);
        if (r.rating !== null) {
          rated++;
          ratingSum += r.rating;
        }
      }
      for (const r of doc.patrols) {
        if (r.on < from || r.on > end || (r.w !== undefined && r.w > asOf)) continue;
        patrols++;
        findings += r.findings;
        patrolIds.add(r.id);
      }
      for (const r of doc.concerns) {
        if (r.on < from || r.on > end || (r.w !== undefined && r.w > asOf)) continue;
        concerns++;
        concernIds.add(r.id);
      }
      for (const r of doc.volunteers) {
        if (r.on < from || r.on > end || (r.w !== undefined && r.w > asOf)) continue;
        volunteerRecords++;
        volunteerHours += r.hours;
        volunteerIds.add(r.v);
      }
      for (const r of doc.sessions) {
        if (
          r.on < from ||
          r.on > end ||
          (r.w !== undefined && r.w > asOf) ||
          !(SESSION_KINDS as readonly string[]).includes(r.kind)
        )
          continue;
        const kind = r.kind as SessionKind;
        sessions[kind].count++;
        sessions[kind].attendance += r.attendees;
        if (kind === 'teahouse') teahouseIds.add(r.id);
      }
    }
    // A link is written in the document of its record's year: read them after every record is known.
    for (const doc of c.activities) {
      for (const l of doc.links) {
        if (l.w > asOf) continue;
        if (l.source === 'patrol' && l.target === 'incident' && patrolIds.has(l.id)) findingsToEvents++;
        if (l.source === 'concern' && l.target === 'incident' && concernIds.has(l.id)) concernsToEvents++;
        if (l.source === 'session' && l.target === 'case' && teahouseIds.has(l.id)) teahouseToCases++;
      }
    }
    const memberList = c.registry.members.map((m) => ({ key: `member:${m.id}`, first: m.first }));
    addCheckIns(members, memberList, checkIns, p);
    for (const m of memberList) if (!checkedThisYear.has(m.key)) members.neverThisYear++;
    addCheckIns(
      units,
      c.registry.units.map((u) => ({ key: `unit:${u.id}`, first: u.first })),
      checkIns,
      p,
    );
    for (const post of c.registry.posts) {
      if (post.withdrawn) continue;
      activePosts++;
      capacity += post.capacity;
      const n = claims.get(post.id) ?? 0;
      claimed += n;
      if (n >= post.capacity) full++;
    }
    for (const h of memberHours.values()) memberTotals.push(h);
    volunteers += volunteerIds.size;
  }

  return {
    members,
    units,
    posts: { active: activePosts, capacity, claimed, full },
    service: {
      records,
      hours,
      members: memberTotals.length,
      memberMedianHours: median(memberTotals),
      rated,
      ratingAverage: rated === 0 ? null : ratingSum / rated,
    },
    sanhong: {
      patrols,
      findings,
      findingsToEvents,
      concerns,
      concernsToEvents,
      volunteerHours,
      volunteers,
      volunteerRecords,
      sessions,
      teahouseToCases,
    },
  };
}
