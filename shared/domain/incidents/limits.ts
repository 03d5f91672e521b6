/**
 * Time limits of a grid event, per stage, in working days (docs/incidents-model.md, "time limits"): 受理 from the
 * day it was reported, 处置 from the day it was accepted (or reopened), 核查 from the day closure was asked. Defaults
 * follow Sichuan's 12345 rules (咨询 3, 求助 / 建议 7, 投诉举报 15 working days); an office may change them. A stage is
 * yellow from 70 % of its limit and red once past it. Days in 挂账 (suspended) do not count.
 *
 * An office's own limits are versions, each in force from its day (docs/incidents-model.md, "an office's own
 * limits"): a stage is judged by the version in force on the day it started (`limitsOn`), so a change never moves a
 * deadline already running and figures of the past stay as they were.
 */
import { z } from 'zod';
import { isIsoDate } from '../dates';
import type { DueDate, WorkingCalendar } from '../calendar/types';
import { addWorkdays, warningOffset } from '../calendar/workdays';
import { REQUEST_KINDS, type RequestKind, type Urgency } from './types';

const workdays = z.number().int().min(1).max(365);

export const limitsSchema = z.object({
  accept: workdays,
  handle: z.object(Object.fromEntries(REQUEST_KINDS.map((k) => [k, workdays])) as Record<RequestKind, typeof workdays>),
  /** An urgent or critical incident is handled within at most this many working days, whatever its kind. */
  urgentHandle: workdays,
  criticalHandle: workdays,
  verify: workdays,
  /** The assignee may send a wrongly routed incident back within this many working days of the assignment. */
  sendBack: workdays,
  /** A bad rating reopens the incident, to be fixed within this many working days (政务服务好差评: 15). */
  fixAfterBadRating: workdays,
  /** Share of a limit at which the stage turns yellow. */
  warningShare: z.number().gt(0).max(1),
});
/** One set of limits: what a version of the office's limits holds. */
export type LimitSet = z.output<typeof limitsSchema>;

/** The Sichuan 12345 defaults: the limits of an office that has set none, and those in force before its first version. */
export const DEFAULT_LIMITS: LimitSet = {
  accept: 1,
  handle: { consult: 3, help: 7, suggestion: 7, complaint: 15 },
  urgentHandle: 3,
  criticalHandle: 1,
  verify: 2,
  sendBack: 2,
  fixAfterBadRating: 15,
  warningShare: 0.7,
};

/**
 * One version of an office's limits: in force from `effectiveFrom` (a China day) until the next version's day.
 * `revision` goes up with every edit (over all versions of the office), so that of two versions for the same day (two
 * devices offline) every device takes the same one: the higher revision.
 */
export const limitsVersionSchema = z.object({
  effectiveFrom: z.string().refine(isIsoDate, { error: 'date' }),
  revision: z.number().int().min(1),
  limits: limitsSchema,
});
export type LimitsVersion = z.output<typeof limitsVersionSchema>;

/** An office's limits over time: one version per effective day, in day order. */
export interface LimitsSchedule {
  readonly versions: readonly LimitsVersion[];
}

/**
 * The limits events are judged by: one set for every day (the defaults, a test's), or an office's versions. Every
 * reader resolves a stage's limits with `limitsOn(limits, the day the stage started)`.
 */
export type IncidentLimits = LimitSet | LimitsSchedule;

export function isSchedule(limits: IncidentLimits): limits is LimitsSchedule {
  return 'versions' in limits;
}

/** The version of each effective day (the highest revision, the first on a tie), in day order. */
export function scheduleOf(versions: readonly LimitsVersion[]): LimitsSchedule {
  const byDay = new Map<string, LimitsVersion>();
  for (const v of versions) {
    const known = byDay.get(v.effectiveFrom);
    if (known === undefined || v.revision > known.revision) byDay.set(v.effectiveFrom, v);
  }
  return { versions: [...byDay.values()].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1)) };
}

/** The version in force on `day` (null before the first one: the defaults are in force then). */
export function versionOn(schedule: LimitsSchedule, day: string): LimitsVersion | null {
  let found: LimitsVersion | null = null;
  for (const v of schedule.versions) {
    if (v.effectiveFrom > day) break;
    found = v;
  }
  return found;
}

/** The limits in force on `day`: a stage started that day is judged by them, whatever is set later. */
export function limitsOn(limits: IncidentLimits, day: string): LimitSet {
  if (!isSchedule(limits)) return limits;
  return versionOn(limits, day)?.limits ?? DEFAULT_LIMITS;
}

/** The handling limit of an incident of this kind and urgency. */
export function handleLimit(limits: LimitSet, kind: RequestKind, urgency: Urgency): number {
  const base = limits.handle[kind];
  if (urgency === 'critical') return Math.min(base, limits.criticalHandle);
  if (urgency === 'urgent') return Math.min(base, limits.urgentHandle);
  return base;
}

/**
 * The handling limit an incident's state holds (`IncidentState.handleDays`), from the fields of the state that fix it:
 * the fix limit after a bad rating (`reopened`, counted from the visit that reopened it, `handleFrom`), else the kind's
 * and urgency's limit in force on the day it was accepted (`handleFrom`), or on its report day while not accepted yet.
 * The fold (shared/domain/incidents/state.ts) sets it step by step to exactly this; the dashboard's figure rows keep
 * the states without it, so that they hold no limits, and set it with each community's own versions when they are
 * read (shared/domain/dashboard/rows.ts; docs/dashboard-model.md, "figure rows").
 */
export function handleDaysOf(
  state: {
    readonly base: { readonly kind: RequestKind; readonly urgency: Urgency; readonly reportedOn: string };
    readonly handleFrom: string | null;
    readonly reopened: number;
  },
  limits: IncidentLimits,
): number {
  if (state.reopened > 0 && state.handleFrom !== null) return limitsOn(limits, state.handleFrom).fixAfterBadRating;
  return handleLimit(limitsOn(limits, state.handleFrom ?? state.base.reportedOn), state.base.kind, state.base.urgency);
}

export type Light = 'green' | 'yellow' | 'red';

/** A stage's clock: when it started, its limit, and the days it ends and turns yellow. */
export interface StageClock {
  readonly stage: 'accept' | 'handle' | 'verify';
  readonly start: string;
  readonly limit: number;
  readonly due: DueDate;
  readonly warnFrom: DueDate;
}

/** The clock of a stage started on `start` with `limit` working days, `paused` more for the days suspended. */
export function stageClock(
  calendar: WorkingCalendar,
  stage: StageClock['stage'],
  start: string,
  limit: number,
  paused: number,
  share: number,
): StageClock {
  return {
    stage,
    start,
    limit,
    due: addWorkdays(calendar, start, limit + paused),
    warnFrom: addWorkdays(calendar, start, warningOffset(limit, share) + paused),
  };
}

/** Green before the warning day, yellow from it up to the due day, red after it. */
export function lightOn(clock: StageClock, today: string): Light {
  if (today > clock.due.date) return 'red';
  return today >= clock.warnFrom.date ? 'yellow' : 'green';
}

/**
 * 越级 (skip-level) by rule: the category × urgency pairs an office sends straight to the street or district instead of
 * up the five-heads chain (a critical emergency or security matter).
 */
export function skipsLevel(category: string, urgency: Urgency): boolean {
  if (urgency === 'normal') return false;
  return category === 'emergency' || (category === 'security' && urgency === 'critical');
}
