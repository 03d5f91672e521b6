/**
 * Working-day arithmetic on a calendar value (docs/tasks-model.md, "working-day calendar"). A day is a working day
 * when the calendar marks it 调休 working day, or when it is Monday to Friday and not marked a day off. Outside the
 * covered years only weekends are days off, and every answer that looked at such a day says `uncovered`.
 *
 * Every day of an interval is judged on its own date (a loop judging each middle day by the first one is a known bug
 * of other systems; the tests walk intervals across 调休 days).
 */
import { isIsoDate } from '../dates';
import type { DueDate, WorkdayCount, WorkingCalendar } from './types';

/** The longest interval counted, in calendar days: ten years, far beyond any limit, so a bad input cannot hang. */
export const MAX_SPAN_DAYS = 3660;

export type DayReason = 'weekday' | 'weekend' | 'holiday' | 'adjusted-workday';

export interface DayAnswer {
  readonly date: string;
  readonly workday: boolean;
  readonly reason: DayReason;
  /** The holiday a day off or a 调休 working day belongs to. */
  readonly name?: string;
  readonly uncovered: boolean;
}

function checkDate(date: string): void {
  if (!isIsoDate(date)) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
}

function utc(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** The day `n` calendar days after `date` (negative: before). */
export function addDays(date: string, n: number): string {
  return new Date(utc(date) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Calendar days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((utc(b) - utc(a)) / 86_400_000);
}

export function isCovered(calendar: WorkingCalendar, date: string): boolean {
  const year = Number(date.slice(0, 4));
  return year >= calendar.firstYear && year <= calendar.lastYear;
}

/** What the calendar says about one day. */
export function dayOf(calendar: WorkingCalendar, date: string): DayAnswer {
  checkDate(date);
  const covered = isCovered(calendar, date);
  const marked = covered ? calendar.days[date] : undefined;
  if (marked !== undefined) {
    return marked.kind === 'workday'
      ? { date, workday: true, reason: 'adjusted-workday', name: marked.name, uncovered: false }
      : { date, workday: false, reason: 'holiday', name: marked.name, uncovered: false };
  }
  const weekday = new Date(utc(date)).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  return { date, workday: !weekend, reason: weekend ? 'weekend' : 'weekday', uncovered: !covered };
}

export function isWorkday(calendar: WorkingCalendar, date: string): boolean {
  return dayOf(calendar, date).workday;
}

/**
 * The `n`-th working day after `start` (`start` itself is not counted: a limit of 3 working days set on a Friday
 * before a normal weekend ends on the Wednesday). `n = 0` gives `start`. `uncovered` when any day walked over lies
 * outside the covered years.
 */
export function addWorkdays(calendar: WorkingCalendar, start: string, n: number): DueDate {
  checkDate(start);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working days must be a whole number ≥ 0: ${n}`);
  let date = start;
  let left = n;
  let uncovered = false;
  for (let step = 0; left > 0; step++) {
    if (step > MAX_SPAN_DAYS) throw new RangeError(`Interval too long: ${n} working days`);
    date = addDays(date, 1);
    const day = dayOf(calendar, date);
    uncovered ||= day.uncovered;
    if (day.workday) left--;
  }
  return { date, calendarVersion: calendar.version, uncovered };
}

/**
 * Working days in the interval after `a` up to and including `b`: `workdaysBetween(a, addWorkdays(a, n).date)` is `n`.
 * Negative when `b` is before `a`; 0 when they are the same day.
 */
export function workdaysBetween(calendar: WorkingCalendar, a: string, b: string): WorkdayCount {
  checkDate(a);
  checkDate(b);
  const span = daysBetween(a, b);
  if (Math.abs(span) > MAX_SPAN_DAYS) throw new RangeError(`Interval too long: ${a} to ${b}`);
  const [from, sign] = span >= 0 ? [a, 1] : [b, -1];
  let days = 0;
  let uncovered = false;
  for (let i = 1; i <= Math.abs(span); i++) {
    const day = dayOf(calendar, addDays(from, i));
    uncovered ||= day.uncovered;
    if (day.workday) days++;
  }
  return { days: sign * days, calendarVersion: calendar.version, uncovered };
}

/** The working days of a limit that may pass before the warning: `floor(limit × share)`. */
export function warningOffset(limit: number, share: number): number {
  // A tiny epsilon keeps 10 × 0.7 at 7 (binary floating point gives 6.999...).
  return Math.floor(limit * share + 1e-9);
}

/**
 * The day at a share of a limit counted from `start` (the 70 % warning): the `floor(limit × share)`-th working day
 * after `start`.
 */
export function pointAtShare(calendar: WorkingCalendar, start: string, limit: number, share: number): DueDate {
  if (!(share > 0 && share <= 1)) throw new RangeError(`Share must be in (0, 1]: ${share}`);
  return addWorkdays(calendar, start, warningOffset(limit, share));
}
