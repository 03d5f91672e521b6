/**
 * The indexed working-day arithmetic (workdays.ts, a running count per calendar) against a walk over every day with
 * `dayOf`, the definition: random intervals across covered and uncovered years, in both directions, on the national
 * calendar and on one with a local layer.
 */
import { describe, expect, it } from 'vitest';
import { applyLayers, nationalCalendar } from '@shared/domain/calendar';
import { addDays, addWorkdays, dayOf, workdaysBetween } from '@shared/domain/calendar/workdays';
import type { WorkingCalendar } from '@shared/domain/calendar/types';
import { mulberry32 } from '@shared/domain/registry/demo';

function walkBetween(calendar: WorkingCalendar, a: string, b: string) {
  const [from, to, sign] = a <= b ? [a, b, 1] : [b, a, -1];
  let days = 0;
  let uncovered = false;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) {
    const day = dayOf(calendar, d);
    uncovered ||= day.uncovered;
    if (day.workday) days++;
  }
  return { days: sign * days, uncovered };
}

function walkAdd(calendar: WorkingCalendar, start: string, n: number) {
  let date = start;
  let uncovered = false;
  for (let left = n; left > 0;) {
    date = addDays(date, 1);
    const day = dayOf(calendar, date);
    uncovered ||= day.uncovered;
    if (day.workday) left--;
  }
  return { date, uncovered };
}

const local = applyLayers(nationalCalendar(), [
  {
    scope: 'community',
    orgId: 'shunqing-xihe',
    revision: 1,
    days: { '2026-06-01': { kind: 'holiday', name: '社区停电' }, '2026-06-06': { kind: 'workday', name: '补班' } },
  },
]);

describe.each([
  ['national', nationalCalendar()],
  ['with a local layer', local],
])('working days on the %s calendar', (_name, calendar) => {
  const random = mulberry32(7);
  const day = () => addDays('2002-06-01', Math.floor(random() * 365 * 27)); // 2002 .. 2029: both sides uncovered

  it('count as the day-by-day walk does', () => {
    for (let k = 0; k < 400; k++) {
      const a = day();
      const b = addDays(a, Math.floor(random() * 1200) - 600);
      const got = workdaysBetween(calendar, a, b);
      expect({ days: got.days, uncovered: got.uncovered }, `${a} → ${b}`).toEqual(walkBetween(calendar, a, b));
    }
  });

  it('find the n-th working day as the walk does', () => {
    for (let k = 0; k < 400; k++) {
      const start = day();
      const n = Math.floor(random() * 300);
      const got = addWorkdays(calendar, start, n);
      expect({ date: got.date, uncovered: got.uncovered }, `${start} + ${n}`).toEqual(walkAdd(calendar, start, n));
    }
  });
});
