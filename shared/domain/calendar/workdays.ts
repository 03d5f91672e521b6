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
 * A calendar's running count of working days, day by day over `INDEX_FIRST_YEAR`..`INDEX_LAST_YEAR`, built once per
 * calendar value: counting working days between two dates and finding the n-th one are then a subtraction and a
 * bisection instead of a walk over every day (a dashboard asks this for every open record of a street: walking took
 * seconds). Dates outside those years are walked day by day, as before.
 */
const INDEX_FIRST_YEAR = 1990;
const INDEX_LAST_YEAR = 2110;
const INDEX_EPOCH = utc(`${INDEX_FIRST_YEAR}-01-01`);
const INDEX_DAYS = daysBetween(`${INDEX_FIRST_YEAR}-01-01`, `${INDEX_LAST_YEAR}-12-31`) + 1;

/**
 * The date of each day of the index and the index of each date, shared by every calendar and built once (about 44,000
 * days): finding a day's place, the date a count lands on and a calendar's running count are then lookups instead of
 * parsing and formatting dates (the dashboard's clocks ask this hundreds of thousands of times; a street whose
 * communities have their own local layers builds a running count per calendar).
 */
let dayTable: { readonly dates: readonly string[]; readonly index: ReadonlyMap<string, number> } | null = null;

function dayTableOf(): { readonly dates: readonly string[]; readonly index: ReadonlyMap<string, number> } {
  if (dayTable === null) {
    const dates: string[] = new Array<string>(INDEX_DAYS);
    const index = new Map<string, number>();
    for (let i = 0; i < INDEX_DAYS; i++) {
      const date = new Date(INDEX_EPOCH + i * 86_400_000).toISOString().slice(0, 10);
      dates[i] = date;
      index.set(date, i);
    }
    dayTable = { dates, index };
  }
  return dayTable;
}

/** The weekday of the index's first day (1990-01-01, a Monday: 1). */
const EPOCH_WEEKDAY = new Date(INDEX_EPOCH).getUTCDay();

/** `counts[i]`: working days among the first i + 1 days of the index (day 0 is 1990-01-01). */
const indexes = new WeakMap<WorkingCalendar, Int32Array>();

function indexOf(calendar: WorkingCalendar): Int32Array {
  let counts = indexes.get(calendar);
  if (counts === undefined) {
    const { dates } = dayTableOf();
    counts = new Int32Array(INDEX_DAYS);
    let running = 0;
    for (let i = 0; i < INDEX_DAYS; i++) {
      // As `dayOf` judges it: a day the calendar marks (within its covered years), else Monday to Friday.
      const date = dates[i] as string;
      const year = Number(date.slice(0, 4));
      const marked = year >= calendar.firstYear && year <= calendar.lastYear ? calendar.days[date] : undefined;
      const weekday = (EPOCH_WEEKDAY + i) % 7;
      const workday = marked !== undefined ? marked.kind === 'workday' : weekday !== 0 && weekday !== 6;
      if (workday) running++;
      counts[i] = running;
    }
    indexes.set(calendar, counts);
  }
  return counts;
}

/** The index of a day, or -1 outside the indexed years (or not a date). */
function dayIndex(date: string): number {
  return dayTableOf().index.get(date) ?? -1;
}

/** Throws unless `date` is a date; a date of the index is one without parsing it again. */
function checkIndexed(date: string): number {
  const i = dayIndex(date);
  if (i < 0) checkDate(date);
  return i;
}

/**
 * Whether a day of the interval after day `i` of the index up to and including day `j` (`i` < `j`) lies outside the
 * covered years.
 */
function touchesUncoveredAt(calendar: WorkingCalendar, i: number, j: number): boolean {
  const { dates } = dayTableOf();
  return !isCovered(calendar, dates[i + 1] as string) || !isCovered(calendar, dates[j] as string);
}

/**
 * The `n`-th working day after `start` (`start` itself is not counted: a limit of 3 working days set on a Friday
 * before a normal weekend ends on the Wednesday). `n = 0` gives `start`. `uncovered` when any day walked over lies
 * outside the covered years.
 */
export function addWorkdays(calendar: WorkingCalendar, start: string, n: number): DueDate {
  const s = checkIndexed(start);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working days must be a whole number ≥ 0: ${n}`);
  if (n === 0) return { date: start, calendarVersion: calendar.version, uncovered: false };
  if (s >= 0) {
    const counts = indexOf(calendar);
    const target = (counts[s] ?? 0) + n;
    if ((counts[INDEX_DAYS - 1] ?? 0) >= target) {
      // The first day after `start` whose running count reaches the target.
      let low = s + 1;
      let high = INDEX_DAYS - 1;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((counts[middle] ?? 0) >= target) high = middle;
        else low = middle + 1;
      }
      if (low - s > MAX_SPAN_DAYS + 1) throw new RangeError(`Interval too long: ${n} working days`);
      const date = dayTableOf().dates[low] as string;
      return { date, calendarVersion: calendar.version, uncovered: touchesUncoveredAt(calendar, s, low) };
    }
  }
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
  const ia = checkIndexed(a);
  const ib = checkIndexed(b);
  if (ia >= 0 && ib >= 0) {
    // Both in the index: the same answer as below, without parsing the dates.
    const span = ib - ia;
    if (Math.abs(span) > MAX_SPAN_DAYS) throw new RangeError(`Interval too long: ${a} to ${b}`);
    if (span === 0) return { days: 0, calendarVersion: calendar.version, uncovered: false };
    const [i, j, sign] = span > 0 ? [ia, ib, 1] : [ib, ia, -1];
    const counts = indexOf(calendar);
    return {
      days: sign * ((counts[j] ?? 0) - (counts[i] ?? 0)),
      calendarVersion: calendar.version,
      uncovered: touchesUncoveredAt(calendar, i, j),
    };
  }
  const span = daysBetween(a, b);
  if (Math.abs(span) > MAX_SPAN_DAYS) throw new RangeError(`Interval too long: ${a} to ${b}`);
  const [from, sign] = span >= 0 ? [a, 1] : [b, -1];
  if (span === 0) return { days: 0, calendarVersion: calendar.version, uncovered: false };
  let days = 0;
  let uncovered = false;
  for (let k = 1; k <= Math.abs(span); k++) {
    const day = dayOf(calendar, addDays(from, k));
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
