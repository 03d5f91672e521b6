/**
 * An application's state, read from its steps in time order (docs/services-model.md, "states"); a copy of a step
 * counts once, and a step that does not fit the state reached so far is kept in `ignored`, never lost.
 *
 *   accepted ─done─▶ done ─rated ≥ 3─▶ (rated)
 *      │                └─rated ≤ 2─▶ rectifying ─rectified + called-back─▶ done (fixed)
 *      ├─refused
 *      └─transferred
 */
import type { WorkingCalendar } from '../calendar/types';
import { addWorkdays } from '../calendar/workdays';
import { inTimeOrder, writtenBy } from '../history';
import type { DueDate } from '../calendar/types';
import type { ApplicationBase, ApplicationStatus, ApplicationStep } from './types';

/** A bad rating (差评) is fixed within this many working days (政务服务好差评). */
export const FIX_WORKDAYS = 15;
/** At or below this grade a rating is a 差评. */
export const BAD_AT_MOST = 2;

export interface ApplicationState {
  readonly base: ApplicationBase;
  readonly status: ApplicationStatus;
  readonly done: { readonly on: string; readonly workdaysTaken: number } | null;
  /** Every rating, in order (a resident may rate again after the fix); the first counts for 差评 figures. */
  readonly ratings: readonly { readonly on: string; readonly rating: number; readonly comment: string }[];
  /** The current 差评's fix: when rated, when fixed, when called back. */
  readonly fix: {
    readonly ratedOn: string;
    readonly fixedOn: string | null;
    readonly calledBackOn: string | null;
  } | null;
  readonly history: readonly ApplicationStep[];
  readonly ignored: readonly ApplicationStep[];
}

type Fold = {
  -readonly [K in keyof ApplicationState]: ApplicationState[K];
} & {
  ratings: { on: string; rating: number; comment: string }[];
  history: ApplicationStep[];
  ignored: ApplicationStep[];
  fix: { ratedOn: string; fixedOn: string | null; calledBackOn: string | null } | null;
};

function apply(s: Fold, e: ApplicationStep): boolean {
  switch (e.type) {
    case 'done':
      if (s.status !== 'accepted') return false;
      s.status = 'done';
      s.done = { on: e.on, workdaysTaken: e.workdaysTaken };
      return true;
    case 'refused':
    case 'transferred':
      if (s.status !== 'accepted') return false;
      s.status = e.type;
      return true;
    case 'rated':
      // Rated once after it is done, and once more after a fix.
      if (s.status !== 'done' || (s.ratings.length > 0 && s.fix === null) || s.ratings.length >= 2) return false;
      s.ratings.push({ on: e.on, rating: e.rating, comment: e.comment });
      if (e.rating <= BAD_AT_MOST && s.fix === null) {
        s.status = 'rectifying';
        s.fix = { ratedOn: e.on, fixedOn: null, calledBackOn: null };
      }
      return true;
    case 'rectified':
      if (s.status !== 'rectifying' || s.fix === null || s.fix.fixedOn !== null) return false;
      s.fix.fixedOn = e.on;
      return true;
    case 'called-back':
      if (s.status !== 'rectifying' || s.fix === null || s.fix.fixedOn === null) return false;
      s.fix.calledBackOn = e.on;
      s.status = 'done';
      return true;
  }
}

export function applicationState(base: ApplicationBase, steps: readonly ApplicationStep[]): ApplicationState {
  const ordered = inTimeOrder(steps);
  const s: Fold = { base, status: 'accepted', done: null, ratings: [], fix: null, history: [], ignored: [] };
  for (const e of ordered) (apply(s, e) ? s.history : s.ignored).push(e);
  return s;
}

/** An application as it stood at the end of `day`: read again from the steps written on or before it. */
export function applicationAsOf(state: ApplicationState, day: string): ApplicationState {
  const steps = writtenBy(state, day);
  return steps === null ? state : applicationState(state.base, steps);
}

/** The day the application is due (承诺时限 from acceptance). */
export function promiseDue(state: ApplicationState, calendar: WorkingCalendar): DueDate {
  return addWorkdays(calendar, state.base.acceptedOn, state.base.promiseDays);
}

/** The day a 差评 must be fixed by, when there is one. */
export function fixDue(state: ApplicationState, calendar: WorkingCalendar): DueDate | null {
  return state.fix === null ? null : addWorkdays(calendar, state.fix.ratedOn, FIX_WORKDAYS);
}
