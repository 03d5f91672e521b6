import { describe, expect, it } from 'vitest';
import { addDays } from '@shared/domain/dates';
import {
  addWorkdays,
  applyLayers,
  calendarFor,
  dayOf,
  isWorkday,
  nationalCalendar,
  pointAtShare,
  recompute,
  workdaysBetween,
  type CalendarLayer,
} from '@shared/domain/calendar';

const cn = nationalCalendar();

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

describe('the 2026 calendar (State Council notice of 2025-11-04)', () => {
  it('covers 2004-2026 and names its source in the version', () => {
    expect(cn.firstYear).toBe(2004);
    expect(cn.lastYear).toBe(2026);
    expect(cn.version).toBe('cn:2004-2026@chinese-days@1.5.7');
  });

  it('makes the 调休 weekends 2026-01-04, 02-14, 02-28, 05-09, 09-20 and 10-10 working days', () => {
    for (const date of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) {
      expect(dayOf(cn, date), date).toMatchObject({ workday: true, reason: 'adjusted-workday', uncovered: false });
    }
    expect(dayOf(cn, '2026-02-14').name).toBe('春节');
    expect(dayOf(cn, '2026-10-10').name).toBe('国庆节');
  });

  it('takes 2026-02-15..23 and 2026-10-01..07 off, weekdays included', () => {
    for (const date of [...range('2026-02-15', '2026-02-23'), ...range('2026-10-01', '2026-10-07')]) {
      expect(isWorkday(cn, date), date).toBe(false);
    }
    expect(dayOf(cn, '2026-02-16')).toMatchObject({ reason: 'holiday', name: '春节' });
    expect(isWorkday(cn, '2026-02-13')).toBe(true);
    expect(isWorkday(cn, '2026-02-24')).toBe(true);
    expect(isWorkday(cn, '2026-10-08')).toBe(true);
  });

  it('keeps plain weekends off and plain weekdays on', () => {
    expect(dayOf(cn, '2026-03-07')).toMatchObject({ workday: false, reason: 'weekend' });
    expect(dayOf(cn, '2026-03-09')).toMatchObject({ workday: true, reason: 'weekday' });
  });
});

describe('working-day arithmetic', () => {
  it('counts the days after the start: 3 working days from 2026-02-13 end on 02-25 (02-14, 02-24, 02-25)', () => {
    expect(addWorkdays(cn, '2026-02-13', 3)).toEqual({
      date: '2026-02-25',
      calendarVersion: cn.version,
      uncovered: false,
    });
    expect(addWorkdays(cn, '2026-02-13', 0).date).toBe('2026-02-13');
    expect(workdaysBetween(cn, '2026-02-13', '2026-02-25').days).toBe(3);
    expect(workdaysBetween(cn, '2026-02-25', '2026-02-13').days).toBe(-3);
    expect(workdaysBetween(cn, '2026-02-13', '2026-02-13').days).toBe(0);
  });

  it('judges every middle day on its own date (National Day week and the 10-10 Saturday)', () => {
    // 09-30 (Wed) → 10-08, 10-09, 10-10 (Sat, workday), 10-12 (Mon): a loop judging each day by the first would differ.
    expect(addWorkdays(cn, '2026-09-30', 4).date).toBe('2026-10-12');
    // 09-20 (Sun, workday), 21, 22, 23, 24, 28, 29, 30, 10-08, 09, 10 (Sat, workday), 12.
    expect(workdaysBetween(cn, '2026-09-18', '2026-10-12').days).toBe(12);
  });

  it('is the inverse of itself over a whole year', () => {
    for (const start of ['2026-01-01', '2026-02-13', '2026-09-19', '2026-12-24']) {
      for (const n of [1, 2, 5, 7, 15, 30]) {
        const due = addWorkdays(cn, start, n);
        expect(workdaysBetween(cn, start, due.date).days).toBe(n);
        expect(isWorkday(cn, due.date)).toBe(true);
      }
    }
  });

  it('puts a 70 % warning on a 调休 Saturday: 10 working days from 2026-09-23 warn on 10-10', () => {
    // 09-24, 09-28, 09-29, 09-30, 10-08, 10-09, 10-10: 中秋 (09-25..27) and 国庆 (10-01..07) in between.
    expect(pointAtShare(cn, '2026-09-23', 10, 0.7)).toEqual({
      date: '2026-10-10',
      calendarVersion: cn.version,
      uncovered: false,
    });
    expect(dayOf(cn, '2026-10-10').reason).toBe('adjusted-workday');
    // And on 02-14, from 02-05: 02-06, 09, 10, 11, 12, 13, 14.
    expect(pointAtShare(cn, '2026-02-05', 10, 0.7).date).toBe('2026-02-14');
    // floor(): 7 × 0.7 = 4.9 → the 4th working day.
    expect(pointAtShare(cn, '2026-03-02', 7, 0.7).date).toBe('2026-03-06');
  });

  it('flags an interval across 2026-12-31 into 2027 as uncovered and counts 2027 on weekends only', () => {
    const due = addWorkdays(cn, '2026-12-24', 10);
    // 12-25, 28, 29, 30, 31 (2026); then 2027-01-01 (Fri: no holiday known), 04, 05, 06, 07.
    expect(due).toEqual({ date: '2027-01-07', calendarVersion: cn.version, uncovered: true });
    expect(dayOf(cn, '2027-01-01')).toMatchObject({ workday: true, reason: 'weekday', uncovered: true });
    expect(workdaysBetween(cn, '2026-12-24', '2027-01-08')).toMatchObject({ days: 11, uncovered: true });
    expect(addWorkdays(cn, '2026-12-24', 5)).toMatchObject({ date: '2026-12-31', uncovered: false });
  });

  it('refuses malformed dates and counts', () => {
    expect(() => addWorkdays(cn, '2026-02-30', 1)).toThrow(RangeError);
    expect(() => addWorkdays(cn, '2026-02-03', -1)).toThrow(RangeError);
    expect(() => workdaysBetween(cn, '2026-01-01', '2040-01-01')).toThrow(RangeError);
  });
});

describe('layers: district, street, community', () => {
  const district: CalendarLayer = {
    scope: 'district',
    orgId: 'shunqing',
    revision: 2,
    lastYear: 2027,
    days: { '2027-01-01': { kind: 'holiday', name: '元旦' }, '2026-12-31': { kind: 'holiday', name: '区内调整' } },
  };
  const street: CalendarLayer = {
    scope: 'street',
    orgId: 'xihe',
    revision: 1,
    days: { '2026-12-31': null, '2026-03-07': { kind: 'workday', name: '补班' } },
  };
  const community: CalendarLayer = {
    scope: 'community',
    orgId: 'xihe-a',
    revision: 4,
    days: { '2026-03-09': { kind: 'holiday', name: '社区活动' } },
  };
  const other: CalendarLayer = {
    ...community,
    orgId: 'elsewhere',
    days: { '2026-03-10': { kind: 'holiday', name: 'x' } },
  };

  it('inherits from above, the lower layer winning, and names every layer in the version', () => {
    const cal = calendarFor({ district: 'shunqing', street: 'xihe', community: 'xihe-a' }, [
      community,
      other,
      street,
      district,
    ]);
    expect(cal.version).toBe(`${cn.version}+district:shunqing#2+street:xihe#1+community:xihe-a#4`);
    expect(cal.lastYear).toBe(2027);
    expect(isWorkday(cal, '2027-01-01')).toBe(false);
    expect(dayOf(cal, '2027-01-04').uncovered).toBe(false);
    expect(isWorkday(cal, '2026-12-31')).toBe(true); // the street removed the district's day off
    expect(isWorkday(cal, '2026-03-07')).toBe(true);
    expect(isWorkday(cal, '2026-03-09')).toBe(false);
    expect(isWorkday(cal, '2026-03-10')).toBe(true); // another community's layer does not apply
    // The street alone sees the district's day off removed, but not the community's.
    const streetCal = calendarFor({ district: 'shunqing', street: 'xihe' }, [community, street, district]);
    expect(isWorkday(streetCal, '2026-03-09')).toBe(true);
  });

  it('takes the covered years from the district only, and the latest revision of a layer', () => {
    const cal = applyLayers(cn, [{ ...street, lastYear: 2030 }]);
    expect(cal.lastYear).toBe(2026);
    const twice = calendarFor({ district: 'shunqing' }, [district, { ...district, revision: 3, days: {} }]);
    expect(twice.version).toBe(`${cn.version}+district:shunqing#3`);
    expect(isWorkday(twice, '2026-12-31')).toBe(true);
  });
});

describe('recomputation', () => {
  it('lists the deadlines a new calendar moves, before and after, and those only restamped', () => {
    const specs = [
      {
        recordId: 't1',
        field: 'completionDue',
        start: '2026-12-24',
        workdays: 10,
        recorded: addWorkdays(cn, '2026-12-24', 10),
      },
      {
        recordId: 't2',
        field: 'completionDue',
        start: '2026-03-02',
        workdays: 5,
        recorded: addWorkdays(cn, '2026-03-02', 5),
      },
    ];
    const next = applyLayers(cn, [
      {
        scope: 'district',
        orgId: 'd',
        revision: 1,
        lastYear: 2027,
        days: { '2027-01-01': { kind: 'holiday', name: '元旦' } },
      },
    ]);
    const { changed, restamped } = recompute(specs, next);
    expect(changed).toEqual([
      {
        recordId: 't1',
        field: 'completionDue',
        before: { date: '2027-01-07', calendarVersion: cn.version, uncovered: true },
        after: { date: '2027-01-08', calendarVersion: next.version, uncovered: false },
      },
    ]);
    expect(restamped.map((c) => [c.recordId, c.after.date, c.after.calendarVersion])).toEqual([
      ['t2', '2026-03-09', next.version],
    ]);
    expect(recompute(specs, cn)).toEqual({ changed: [], restamped: [] });
  });
});

describe('the running count agrees with walking day by day', () => {
  // A calendar with a local day off and a local working Saturday, and the national one; the years covered and not.
  const local = applyLayers(cn, [
    {
      scope: 'community',
      orgId: 'xihe-a',
      revision: 1,
      days: { '2026-03-09': { kind: 'holiday', name: '社区活动' }, '2026-03-14': { kind: 'workday', name: '补班' } },
    },
  ]);
  /** The n-th working day after `start` and the working days from `a` to `b`, walked with `dayOf` only. */
  const walkAdd = (calendar: typeof cn, start: string, n: number) => {
    let date = start;
    let uncovered = false;
    for (let left = n; left > 0;) {
      date = addDays(date, 1);
      const day = dayOf(calendar, date);
      uncovered ||= day.uncovered;
      if (day.workday) left--;
    }
    return { date, uncovered: n === 0 ? false : uncovered };
  };
  const walkBetween = (calendar: typeof cn, a: string, b: string) => {
    const [from, to, sign] = a <= b ? [a, b, 1] : [b, a, -1];
    const days = range(from, to).slice(1);
    return {
      days: days.length === 0 ? 0 : sign * days.filter((d) => dayOf(calendar, d).workday).length,
      uncovered: days.some((d) => dayOf(calendar, d).uncovered),
    };
  };

  it('for limits counted from many days, on a calendar with local days and the national one', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const starts = [...range('2026-02-20', '2026-03-20'), ...range('2019-12-20', '2020-01-10')];
    for (const calendar of [cn, local]) {
      for (const start of starts) {
        const n = Math.floor(random() * 20);
        const due = addWorkdays(calendar, start, n);
        expect({ date: due.date, uncovered: due.uncovered }, `${start} + ${n}`).toEqual(walkAdd(calendar, start, n));
        const other = starts[Math.floor(random() * starts.length)] as string;
        const between = workdaysBetween(calendar, start, other);
        expect({ days: between.days, uncovered: between.uncovered }, `${start} → ${other}`).toEqual(
          walkBetween(calendar, start, other),
        );
      }
    }
    // The local day off and working Saturday move the count of that calendar only.
    expect(workdaysBetween(local, '2026-03-06', '2026-03-16').days).toBe(
      workdaysBetween(cn, '2026-03-06', '2026-03-16').days,
    );
    expect(addWorkdays(local, '2026-03-06', 1).date).toBe('2026-03-10');
    expect(addWorkdays(cn, '2026-03-06', 1).date).toBe('2026-03-09');
  });

  it('refuses what is not a date, inside the index or not', () => {
    expect(() => addWorkdays(cn, '2026-02-30', 1)).toThrow(RangeError);
    expect(() => workdaysBetween(cn, '2026-03-01', 'soon')).toThrow(RangeError);
  });
});
