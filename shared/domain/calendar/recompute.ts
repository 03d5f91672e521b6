/**
 * Recomputing deadlines when the calendar changes (the State Council's notice each November, a local closure): every
 * deadline records the calendar version it was computed with; given the deadlines of open records and a new
 * calendar, list those whose date or coverage changes, before and after (docs/tasks-model.md, "recomputation").
 */
import type { DueDate, WorkingCalendar } from './types';
import { addWorkdays } from './workdays';

/** One deadline as a record keeps it: where it is counted from, how many working days, and what was recorded. */
export interface DeadlineSpec {
  /** The record (a task id). */
  readonly recordId: string;
  /** Which of its deadlines (`claimDue`, `completionDue`, `warningOn`). */
  readonly field: string;
  readonly start: string;
  readonly workdays: number;
  readonly recorded: DueDate | null;
}

export interface DeadlineChange {
  readonly recordId: string;
  readonly field: string;
  readonly before: DueDate | null;
  readonly after: DueDate;
}

export interface Recomputation {
  /** Deadlines whose date or `uncovered` flag changes. */
  readonly changed: readonly DeadlineChange[];
  /** Deadlines whose date stays but which were computed with another version (only the stamp changes). */
  readonly restamped: readonly DeadlineChange[];
}

export function recompute(specs: readonly DeadlineSpec[], calendar: WorkingCalendar): Recomputation {
  const changed: DeadlineChange[] = [];
  const restamped: DeadlineChange[] = [];
  for (const spec of specs) {
    const after = addWorkdays(calendar, spec.start, spec.workdays);
    const before = spec.recorded;
    const change = { recordId: spec.recordId, field: spec.field, before, after };
    if (before === null || before.date !== after.date || before.uncovered !== after.uncovered) changed.push(change);
    else if (before.calendarVersion !== after.calendarVersion) restamped.push(change);
  }
  return { changed, restamped };
}
