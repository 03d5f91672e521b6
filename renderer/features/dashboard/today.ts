/**
 * What is due today, for the 工作台 (docs/mediation-model.md, "Dashboard"): follow-up visits (回访) whose day has come,
 * open cases near or past their time limit, and the person's open meeting action items (落实事项). Pure functions
 * over what the screens already read; the time limit is the domain's (`deadlineState`, `effectiveDueDate`).
 */
import { chinaDate } from '@shared/domain/dates';
import { deadlineState, effectiveDueDate } from '@shared/domain/mediation/deadline';
import { OPEN_STATUSES, type Agreement, type MediationCase } from '@shared/domain/mediation/types';

/** Statuses after an agreement and before the first follow-up visit (`recordFollowUp` moves a case on). */
const AWAITING_FOLLOW_UP: ReadonlySet<string> = new Set(['agreed', 'performing']);
const OPEN: ReadonlySet<string> = new Set(OPEN_STATUSES);

export interface FollowUpDue {
  readonly case: MediationCase;
  /** `YYYY-MM-DD`: the day the follow-up was due. */
  readonly due: string;
}

export interface DeadlineDue {
  readonly case: MediationCase;
  readonly state: 'yellow' | 'red';
  /** `YYYY-MM-DD`: the due day with every agreed extension. */
  readonly due: string;
}

/** The agreement in force: the outcome's, or the corrected version that replaced it. */
function agreementOf(c: MediationCase): Agreement | null {
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
 * follow-up, on the agreement's performance deadline (履行期限), or at once when it has none (the visit then checks
 * how it is being performed).
 */
export function followUpDay(c: MediationCase): string | null {
  if (!AWAITING_FOLLOW_UP.has(c.status) || c.outcome?.kind !== 'agreement') return null;
  return agreementOf(c)?.performanceDeadline ?? chinaDate(new Date(c.outcome.at));
}

/** Follow-ups whose day has come, the longest waiting first. */
export function followUpsDue(cases: readonly MediationCase[], today: string): FollowUpDue[] {
  return cases
    .flatMap((c) => {
      const due = followUpDay(c);
      return due !== null && due <= today ? [{ case: c, due }] : [];
    })
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
}

/** Open cases past their time limit (red) or near it (yellow, 70 % used), overdue first, then by due day. */
export function casesNearDeadline(cases: readonly MediationCase[], today: string): DeadlineDue[] {
  return cases
    .flatMap((c): DeadlineDue[] => {
      if (!OPEN.has(c.status)) return [];
      const state = deadlineState(c, today);
      return state === 'ok' ? [] : [{ case: c, state, due: effectiveDueDate(c) }];
    })
    .sort((a, b) => (a.state !== b.state ? (a.state === 'red' ? -1 : 1) : a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
}
