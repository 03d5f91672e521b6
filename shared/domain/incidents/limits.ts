/**
 * Time limits of a grid event, per stage, in working days (docs/incidents-model.md, "time limits"): 受理 from the
 * day it was reported, 处置 from the day it was accepted (or reopened), 核查 from the day closure was asked. Defaults
 * follow Sichuan's 12345 rules (咨询 3, 求助 / 建议 7, 投诉举报 15 working days); an office may change them. A stage is
 * yellow from 70 % of its limit and red once past it. Days in 挂账 (suspended) do not count.
 */
import { z } from 'zod';
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
export type IncidentLimits = z.output<typeof limitsSchema>;

export const DEFAULT_LIMITS: IncidentLimits = {
  accept: 1,
  handle: { consult: 3, help: 7, suggestion: 7, complaint: 15 },
  urgentHandle: 3,
  criticalHandle: 1,
  verify: 2,
  sendBack: 2,
  fixAfterBadRating: 15,
  warningShare: 0.7,
};

/** The handling limit of an incident of this kind and urgency. */
export function handleLimit(limits: IncidentLimits, kind: RequestKind, urgency: Urgency): number {
  const base = limits.handle[kind];
  if (urgency === 'critical') return Math.min(base, limits.criticalHandle);
  if (urgency === 'urgent') return Math.min(base, limits.urgentHandle);
  return base;
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
