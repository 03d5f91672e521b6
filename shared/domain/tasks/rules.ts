/**
 * Cards raised by rule (docs/tasks-model.md, "cards"). A device of the street runs them (`applyCardRules`) when it
 * opens the tasks and once a day; each rule raises at most one card per deadline, with an id made of the task, the
 * rule and the deadline, so two devices running the rules offline raise the same card once, a cancelled card is not
 * raised again, and a new deadline (after an extension) may raise a new one.
 *
 * | rule            | level  | when                                                                              |
 * | --------------- | ------ | --------------------------------------------------------------------------------- |
 * | `claim-overdue` | 普通   | not claimed after the claim limit                                                 |
 * | `warning`       | 黄牌   | published or claimed, clock running, on or after the warning day (share of limit) |
 * | `overdue`       | 红牌   | published or claimed, clock running, at least `redAfterOverdue` working days past the completion limit |
 */
import type { WorkingCalendar } from '../calendar/types';
import { addWorkdays, workdaysBetween } from '../calendar/workdays';
import type { EventBody } from './machine';
import { clockOf, type TaskState } from './state';

export type CardRule = 'claim-overdue' | 'warning' | 'overdue';

export function ruleCardId(taskId: string, rule: CardRule, deadline: string): string {
  return `${taskId}#${rule}@${deadline}`;
}

/** The cards the rules raise on `today` that the instance does not carry yet. */
export function dueRuleCards(state: TaskState, today: string, calendar: WorkingCalendar): EventBody[] {
  const clock = clockOf(state, today);
  const rules = state.template.cardRules;
  const replyDue = addWorkdays(calendar, today, rules.replyWorkdays);
  const known = new Set(state.cards.map((c) => c.id));
  const out: EventBody[] = [];
  const raise = (rule: CardRule, deadline: string, level: 'normal' | 'yellow' | 'red', reason: string) => {
    const cardId = ruleCardId(state.id, rule, deadline);
    if (!known.has(cardId)) out.push({ type: 'card-raised', cardId, level, reason, replyDue, rule });
  };
  const d = state.deadlines;
  if (clock.claimOverdue) raise('claim-overdue', d.claimDue.date, 'normal', `claim-due:${d.claimDue.date}`);
  if (clock.warning) raise('warning', d.warningOn.date, 'yellow', `warning-on:${d.warningOn.date}`);
  if (clock.overdue && workdaysBetween(calendar, d.completionDue.date, today).days >= rules.redAfterOverdue) {
    raise('overdue', d.completionDue.date, 'red', `completion-due:${d.completionDue.date}`);
  }
  return out;
}
