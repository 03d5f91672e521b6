/**
 * What a mediation case asks of the worker on a given day (docs/mediation-model.md, "Dashboard"): the follow-up visit
 * (回访) once its day has come, and the time limit once it is near or past (`deadlineState`). Pure functions over
 * cases, for 工作台's 今天要办 and the mediation dashboard card.
 */
import { chinaDate } from '../dates';
import { deadlineState, effectiveDueDate, type DeadlineState } from './deadline';
import { OPEN_STATUSES, type Agreement, type MediationCase } from './types';

/** Statuses after an agreement and before the first follow-up visit (`recordFollowUp` moves a case on). */
const AWAITING_FOLLOW_UP: ReadonlySet<string> = new Set(['agreed', 'performing']);
const OPEN: ReadonlySet<string> = new Set(OPEN_STATUSES);
const RANK: Readonly<Record<DeadlineState, number>> = { red: 0, yellow: 1, ok: 2 };

type DueCase = Pick<MediationCase, 'status' | 'outcome' | 'agreements'>;
type LimitCase = Pick<MediationCase, 'status' | 'outcome' | 'startDate' | 'dueDate' | 'extensions'>;

export interface FollowUpDue<C extends DueCase = MediationCase> {
  readonly case: C;
  /** `YYYY-MM-DD`: the day the follow-up was due. */
  readonly due: string;
}

export interface DeadlineDue<C extends LimitCase = MediationCase, S extends DeadlineState = 'yellow' | 'red'> {
  readonly case: C;
  readonly state: S;
  /** `YYYY-MM-DD`: the due day with every agreed extension. */
  readonly due: string;
}

const byDay = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The agreement in force: the outcome's, or the corrected version that replaced it (a broken chain stops). */
export function agreementInForce(c: Pick<MediationCase, 'outcome' | 'agreements'>): Agreement | null {
  if (c.outcome?.kind !== 'agreement') return null;
  let agreement = c.agreements[c.outcome.agreementId];
  const seen = new Set<string>();
  while (agreement?.supersededBy && !seen.has(agreement.id)) {
    seen.add(agreement.id);
    agreement = c.agreements[agreement.supersededBy] ?? agreement;
  }
  return agreement ?? null;
}

/**
 * The day a case's follow-up visit is due, or `null` when none is awaited: after an agreement and before the first
 * follow-up, on the performance deadline (履行期限) of the agreement in force, or from the day the agreement was
 * reached when it sets none (the visit then checks how it is being performed).
 */
export function followUpDay(c: DueCase): string | null {
  if (!AWAITING_FOLLOW_UP.has(c.status) || c.outcome?.kind !== 'agreement') return null;
  return agreementInForce(c)?.performanceDeadline ?? chinaDate(new Date(c.outcome.at));
}

/** Follow-ups whose day has come by `today`, the longest waiting first. */
export function followUpsDue<C extends DueCase>(cases: readonly C[], today: string): FollowUpDue<C>[] {
  return cases
    .flatMap((c) => {
      const due = followUpDay(c);
      return due !== null && due <= today ? [{ case: c, due }] : [];
    })
    .sort((a, b) => byDay(a.due, b.due));
}

/** Every open case with where it stands against its time limit: overdue (red) first, then yellow, then ok; by due day. */
export function openCasesByDeadline<C extends LimitCase>(
  cases: readonly C[],
  today: string,
): DeadlineDue<C, DeadlineState>[] {
  return cases
    .filter((c) => OPEN.has(c.status))
    .map((c) => ({ case: c, state: deadlineState(c, today), due: effectiveDueDate(c) }))
    .sort((a, b) => RANK[a.state] - RANK[b.state] || byDay(a.due, b.due));
}

/** Open cases past their time limit (red) or near it (yellow, 70 % used), overdue first, then by due day. */
export function casesNearDeadline<C extends LimitCase>(cases: readonly C[], today: string): DeadlineDue<C>[] {
  return openCasesByDeadline(cases, today).filter((d): d is DeadlineDue<C> => d.state !== 'ok');
}
