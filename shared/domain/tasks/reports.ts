/**
 * Progress reports by the template's report frequency (报送频次; docs/tasks-model.md, "report reminders"): while an
 * instance is in progress (`claimed`), its holder owes one report per period, by the period's last working day on the
 * community's calendar: every working day (`daily`), every week Monday to Sunday (`weekly`), every calendar month
 * (`monthly`). `milestone` and `none` set no periodic report. A period counts from the claim day; a period whose
 * last working day is the claim day itself (claimed on a Friday for a weekly task) owes nothing.
 *
 * Nothing is stored: the reminder and the missed periods are read from the reports and the calendar each time.
 */
import { addDays, daysBetween, isWorkday } from '../calendar/workdays';
import type { WorkingCalendar } from '../calendar/types';
import type { TaskState } from './state';

export interface ReportSchedule {
  /** The day the next report is due (the current period's last working day, or the next period's once reported). */
  readonly due: string;
  /** True when the period holding today already has its report. */
  readonly reportedNow: boolean;
  /** The last working days of the past periods with no report, oldest first. */
  readonly missed: readonly string[];
}

type Periodic = 'daily' | 'weekly' | 'monthly';

function isPeriodic(frequency: string): frequency is Periodic {
  return frequency === 'daily' || frequency === 'weekly' || frequency === 'monthly';
}

/** The first and last calendar day of the period holding `date`. */
function periodOf(frequency: Periodic, date: string): { start: string; end: string } {
  if (frequency === 'daily') return { start: date, end: date };
  if (frequency === 'weekly') {
    // 2001-01-01 was a Monday: days since then, modulo 7, is the weekday counted from Monday.
    const fromMonday = ((daysBetween('2001-01-01', date) % 7) + 7) % 7;
    const start = addDays(date, -fromMonday);
    return { start, end: addDays(start, 6) };
  }
  const start = `${date.slice(0, 7)}-01`;
  const next = addDays(start, 31).slice(0, 7);
  return { start, end: addDays(`${next}-01`, -1) };
}

/** The last working day of a period, or null when it has none (a week of holidays). */
function lastWorkday(calendar: WorkingCalendar, start: string, end: string): string | null {
  for (let day = end; day >= start; day = addDays(day, -1)) if (isWorkday(calendar, day)) return day;
  return null;
}

/** Periods looked at, at most: ten years of working days (a forgotten task cannot make a screen walk for ever). */
const MAX_PERIODS = 2_600;

/**
 * The report schedule of an instance as of `today`, or null when it owes no periodic report (not in progress, not
 * claimed, or a frequency without periods).
 */
export function reportSchedule(state: TaskState, calendar: WorkingCalendar, today: string): ReportSchedule | null {
  const frequency = state.template.reportFrequency;
  if (state.status !== 'claimed' || state.claimedOn === null || !isPeriodic(frequency)) return null;
  const claimedOn = state.claimedOn;
  const reports = state.reports.map((r) => r.on).sort();
  const reportedIn = (from: string, to: string) => reports.some((on) => on >= from && on <= to);
  const missed: string[] = [];
  let period = periodOf(frequency, claimedOn > today ? today : claimedOn);
  for (let count = 0; count < MAX_PERIODS; count++) {
    const deadline = lastWorkday(calendar, period.start, period.end);
    const from = period.start < claimedOn ? claimedOn : period.start;
    const owes = deadline !== null && deadline > claimedOn;
    const reported = reportedIn(from, period.end);
    if (period.end >= today) {
      if (owes && !reported) return { due: deadline, reportedNow: false, missed };
      // Reported (or nothing owed) now: the next period with a working day after the claim is the one due.
      let next = periodOf(frequency, addDays(period.end, 1));
      for (let ahead = 0; ahead < MAX_PERIODS; ahead++) {
        const nextDeadline = lastWorkday(calendar, next.start, next.end);
        if (nextDeadline !== null && nextDeadline > claimedOn) return { due: nextDeadline, reportedNow: owes, missed };
        next = periodOf(frequency, addDays(next.end, 1));
      }
      return null;
    }
    if (owes && !reported) missed.push(deadline);
    period = periodOf(frequency, addDays(period.end, 1));
  }
  return { due: today, reportedNow: false, missed };
}
