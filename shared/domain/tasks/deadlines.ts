/**
 * An instance's deadlines (docs/tasks-model.md, "time rules"), all counted in working days from the day it was
 * published, each stamped with the calendar version used:
 * - claim due: `claimLimit` working days;
 * - completion due: `completionLimit + granted + paused` working days (granted extensions, and the working days an
 *   extension request stood pending: the clock stops while a request waits);
 * - warning: `floor((completionLimit + granted) × warningShare) + paused` working days.
 */
import type { DeadlineSpec } from '../calendar/recompute';
import type { WorkingCalendar } from '../calendar/types';
import { addWorkdays, warningOffset } from '../calendar/workdays';
import type { TaskBase, TaskDeadlines } from './types';

/** Working days from the publishing day to each deadline. */
export function deadlineOffsets(
  base: TaskBase,
  granted: number,
  paused: number,
): Readonly<Record<keyof TaskDeadlines, number>> {
  const t = base.template;
  return {
    claimDue: t.claimLimit,
    completionDue: t.completionLimit + granted + paused,
    warningOn: warningOffset(t.completionLimit + granted, t.cardRules.warningShare) + paused,
  };
}

export function deadlinesFor(
  base: TaskBase,
  granted: number,
  paused: number,
  calendar: WorkingCalendar,
): TaskDeadlines {
  const offsets = deadlineOffsets(base, granted, paused);
  return {
    claimDue: addWorkdays(calendar, base.publishedOn, offsets.claimDue),
    completionDue: addWorkdays(calendar, base.publishedOn, offsets.completionDue),
    warningOn: addWorkdays(calendar, base.publishedOn, offsets.warningOn),
  };
}

/** The deadlines of an instance as recompute.ts takes them. */
export function deadlineSpecs(
  base: TaskBase,
  granted: number,
  paused: number,
  recorded: TaskDeadlines | null,
): DeadlineSpec[] {
  const offsets = deadlineOffsets(base, granted, paused);
  return (['claimDue', 'completionDue', 'warningOn'] as const).map((field) => ({
    recordId: base.id,
    field,
    start: base.publishedOn,
    workdays: offsets[field],
    recorded: recorded?.[field] ?? null,
  }));
}
