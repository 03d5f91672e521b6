/**
 * The time limit of a mediation case (docs/domain.md): one month from registration by default, extendable when both sides
 * agree; lists and the dashboard show yellow once 70 % of the limit is used and red when it is overdue.
 *
 * Dates are `YYYY-MM-DD` calendar days in China time (shared/domain/dates.ts), compared as strings.
 */
import { addDays, chinaDate, daysBetween } from '../dates';
import type { MediationCase } from './types';

export const DEFAULT_LIMIT_MONTHS = 1;
/** Share of the limit after which a case shows yellow (预警), as for tasks and grid events. */
export const WARNING_SHARE = 0.7;

/** Same day of the month `months` later, clamped to the month's last day (01-31 + 1 month = 02-28 or 02-29). */
export function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, last))).toISOString().slice(0, 10);
}

/** The due day of the default limit for a case registered on `startDate`. */
export function defaultDueDate(startDate: string): string {
  return addMonths(startDate, DEFAULT_LIMIT_MONTHS);
}

type DeadlineView = Pick<MediationCase, 'startDate' | 'dueDate' | 'extensions'>;

/** The due day with every agreed extension added. */
export function effectiveDueDate(c: DeadlineView): string {
  return addDays(
    c.dueDate,
    c.extensions.reduce((sum, e) => sum + e.days, 0),
  );
}

export type DeadlineState = 'ok' | 'yellow' | 'red';

/** Whether the time limit still runs: until the outcome (agreed, no agreement, referred). */
export function deadlineRunning(c: Pick<MediationCase, 'outcome'>): boolean {
  return c.outcome === null;
}

/**
 * Where a case stands against its limit on `today`. The limit stops at the outcome: a case with an outcome (or later)
 * is `ok` here; whether it finished in time is `finishedInTime`.
 */
export function deadlineState(c: DeadlineView & Pick<MediationCase, 'outcome'>, today: string): DeadlineState {
  if (!deadlineRunning(c)) return 'ok';
  const due = effectiveDueDate(c);
  if (today > due) return 'red';
  const limit = daysBetween(c.startDate, due);
  const used = daysBetween(c.startDate, today);
  return limit > 0 && used >= WARNING_SHARE * limit ? 'yellow' : 'ok';
}

/** True when the outcome came on or before the (extended) due day; null while there is no outcome. */
export function finishedInTime(c: DeadlineView & Pick<MediationCase, 'outcome'>): boolean | null {
  if (c.outcome === null) return null;
  return chinaDate(new Date(c.outcome.at)) <= effectiveDueDate(c);
}
