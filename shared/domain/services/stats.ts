/**
 * Figures of residents' services (docs/services-model.md, "figures"): 工作量, 办结率, 办结时限 (on time, average working
 * days) and 群众评价 (grade mix, 满意率, 差评整改率), from the steps only, each application read as it stood on the day
 * asked. The cohort is the applications accepted in the period.
 */
import type { WorkingCalendar } from '../calendar/types';
import { median, rate } from '../figures';
import { applicationAsOf, BAD_AT_MOST, fixDue, promiseDue, type ApplicationState } from './state';

export interface ServiceFigures {
  /** 工作量: applications accepted in the period. */
  readonly accepted: number;
  readonly refused: number;
  readonly transferred: number;
  /** 办结 (done, a fix in progress included) and 办结率 = 办结 / (accepted − transferred). */
  readonly done: number;
  readonly doneRate: number | null;
  /** Done by the promised day, and its share of 办结. */
  readonly doneOnTime: number;
  readonly onTimeRate: number | null;
  readonly averageWorkdays: number | null;
  readonly medianWorkdays: number | null;
  /** First ratings by grade 1..5; 满意率 = grades 4-5 / rated. */
  readonly ratings: readonly [number, number, number, number, number];
  readonly satisfactionRate: number | null;
  /** 差评 (first rating ≤ 2), fixed within 15 working days and called back; 差评整改率 = that / 差评. */
  readonly bad: number;
  readonly badFixedOnTime: number;
  readonly badFixRate: number | null;
  /** Still open past the promised day. */
  readonly overdue: number;
}

export interface ServiceFigureOptions {
  readonly asOf: string;
  readonly from?: string;
  readonly to?: string;
  readonly calendar: WorkingCalendar;
  /**
   * The calendar of each application when they are not all counted on one (a street's communities each on its own:
   * docs/dashboard-model.md); `calendar` when left out.
   */
  readonly calendarOf?: (state: ApplicationState) => WorkingCalendar;
}

export function serviceFigures(states: readonly ApplicationState[], o: ServiceFigureOptions): ServiceFigures {
  const cohort = states
    .filter(
      (s) => (o.from === undefined || s.base.acceptedOn >= o.from) && (o.to === undefined || s.base.acceptedOn <= o.to),
    )
    .filter((s) => s.base.acceptedOn <= o.asOf)
    .map((s) => applicationAsOf(s, o.asOf));
  const calendar = (s: ApplicationState) => o.calendarOf?.(s) ?? o.calendar;
  const done = cohort.filter((s) => s.done !== null);
  const transferred = cohort.filter((s) => s.status === 'transferred').length;
  const onTime = done.filter((s) => (s.done?.on ?? '') <= promiseDue(s, calendar(s)).date).length;
  const taken = done.map((s) => s.done?.workdaysTaken ?? 0);
  const ratings: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  let bad = 0;
  let badFixedOnTime = 0;
  for (const s of cohort) {
    const first = s.ratings[0];
    if (first === undefined) continue;
    ratings[first.rating - 1] = (ratings[first.rating - 1] ?? 0) + 1;
    if (first.rating > BAD_AT_MOST) continue;
    bad++;
    const due = fixDue(s, calendar(s));
    const called = s.fix?.calledBackOn ?? null;
    if (due !== null && called !== null && called <= due.date) badFixedOnTime++;
  }
  const rated = ratings.reduce((a, b) => a + b, 0);
  return {
    accepted: cohort.length,
    refused: cohort.filter((s) => s.status === 'refused').length,
    transferred,
    done: done.length,
    doneRate: rate(done.length, cohort.length - transferred),
    doneOnTime: onTime,
    onTimeRate: rate(onTime, done.length),
    averageWorkdays: taken.length === 0 ? null : taken.reduce((a, b) => a + b, 0) / taken.length,
    medianWorkdays: median(taken),
    ratings,
    satisfactionRate: rate(ratings[3] + ratings[4], rated),
    bad,
    badFixedOnTime,
    badFixRate: rate(badFixedOnTime, bad),
    overdue: cohort.filter((s) => s.status === 'accepted' && promiseDue(s, calendar(s)).date < o.asOf).length,
  };
}
