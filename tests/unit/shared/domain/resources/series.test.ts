/**
 * A regular service across a year end (docs/resources-model.md, "venues"): one part per year, each in its year's
 * activities document, with a shared series id; double booking checked in both years, conflicts after two offline
 * devices merge, cancellation and moves of the whole series or from a day on, attendance per occasion.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  bookSeries,
  bookVenue,
  bookingConflicts,
  cancelSeries,
  moveSeries,
  occasions,
  recordAttendance,
  seriesParts,
} from '@shared/domain/resources/venues';
import { RULE } from '@shared/domain/resources/rules';
import { listAttendance, listBookings } from '@shared/ydoc/resources';
import { editor, errorOf, registryWithRoom, unwrap, viewer } from './fixtures';

const CLASS = {
  date: '2026-09-01',
  start: '16:30',
  end: '18:00',
  repeat: { weekdays: [1, 2, 3, 4, 5], until: '2027-06-30' },
  purpose: '四点半课堂',
  organiser: '阳光社工',
  provider: '阳光社工',
  fee: 'low-cost' as const,
  expected: 25,
};

const single = (venueId: string, date: string, start: string, end: string) => ({
  venueId,
  date,
  start,
  end,
  purpose: '居民议事会',
  organiser: '居委会',
  fee: 'free' as const,
  expected: 10,
});

function years(): Map<number, Y.Doc> {
  return new Map([
    [2026, new Y.Doc()],
    [2027, new Y.Doc()],
  ]);
}

const docOf = (docs: Map<number, Y.Doc>, year: number) => docs.get(year) as Y.Doc;

describe('a regular service across a year end', () => {
  it('is booked in one action as one part per year, each in its year’s document, with a shared series id', () => {
    const { roomId, env } = registryWithRoom();
    const docs = years();
    const booked = unwrap(bookSeries(docs, editor(), { ...CLASS, venueId: roomId }, env()));
    expect(booked.ids).toHaveLength(2);
    expect(booked.series).not.toBeNull();
    const [autumn] = listBookings(docOf(docs, 2026));
    const [spring] = listBookings(docOf(docs, 2027));
    expect(autumn).toMatchObject({ date: '2026-09-01', repeat: { until: '2026-12-31' }, series: booked.series });
    // 2027-01-01 is a Friday: the spring part starts on it, runs to the series' end.
    expect(spring).toMatchObject({ date: '2027-01-01', repeat: { until: '2027-06-30' }, series: booked.series });
    // Every occasion of the series is in exactly one part.
    const all = occasions({ date: CLASS.date, repeat: CLASS.repeat });
    expect([...occasions(autumn as never), ...occasions(spring as never)]).toEqual(all);
  });

  it('within one year stays one booking of its own', () => {
    const { roomId, env } = registryWithRoom();
    const docs = years();
    const booked = unwrap(
      bookSeries(docs, editor(), { ...CLASS, venueId: roomId, repeat: { weekdays: [3], until: '2026-12-20' } }, env()),
    );
    expect(booked.series).toBeNull();
    expect(listBookings(docOf(docs, 2026))[0]?.series).toBeNull();
    expect(listBookings(docOf(docs, 2027))).toHaveLength(0);
  });

  it('is refused on a clash in January 2027, and nothing is written in either year', () => {
    const { roomId, env } = registryWithRoom();
    const docs = years();
    unwrap(bookVenue(docOf(docs, 2027), editor(), single(roomId, '2027-01-13', '17:00', '19:00'), env()));
    const refused = errorOf(bookSeries(docs, editor(), { ...CLASS, venueId: roomId }, env()));
    expect(refused).toMatchObject({ code: 'invalid', params: { rule: RULE.doubleBooked, date: '2027-01-13' } });
    expect(listBookings(docOf(docs, 2026))).toHaveLength(0);
    expect(listBookings(docOf(docs, 2027))).toHaveLength(1);
  });

  it('refuses a later booking in January 2027 that clashes with its spring part, and one in the autumn', () => {
    const { roomId, env } = registryWithRoom();
    const docs = years();
    unwrap(bookSeries(docs, editor(), { ...CLASS, venueId: roomId }, env()));
    const jan = errorOf(bookVenue(docOf(docs, 2027), editor(), single(roomId, '2027-01-13', '17:00', '19:00'), env()));
    expect(jan.params).toMatchObject({ rule: RULE.doubleBooked, purpose: '四点半课堂', date: '2027-01-13' });
    const nov = errorOf(bookVenue(docOf(docs, 2026), editor(), single(roomId, '2026-11-04', '16:00', '17:00'), env()));
    expect(nov.params).toMatchObject({ rule: RULE.doubleBooked });
    // A Saturday, and the evening after the class: free.
    unwrap(bookVenue(docOf(docs, 2027), editor(), single(roomId, '2027-01-16', '17:00', '19:00'), env()));
    unwrap(bookVenue(docOf(docs, 2027), editor(), single(roomId, '2027-01-13', '18:00', '19:00'), env()));
  });

  it('shows the conflict after two offline devices booked January 2027 and merged, on both', () => {
    const { roomId, env } = registryWithRoom();
    const a = years();
    const b = years();
    unwrap(bookSeries(a, editor('甲'), { ...CLASS, venueId: roomId }, env()));
    unwrap(bookVenue(docOf(b, 2027), editor('乙'), single(roomId, '2027-01-13', '17:00', '19:00'), env()));
    for (const year of [2026, 2027]) {
      const updateA = Y.encodeStateAsUpdate(docOf(a, year));
      Y.applyUpdate(docOf(a, year), Y.encodeStateAsUpdate(docOf(b, year)));
      Y.applyUpdate(docOf(b, year), updateA);
    }
    for (const docs of [a, b]) {
      const conflicts = bookingConflicts(listBookings(docOf(docs, 2027)));
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]?.date).toBe('2027-01-13');
      expect(bookingConflicts(listBookings(docOf(docs, 2026)))).toHaveLength(0);
    }
  });

  it('counts attendance per occasion in the part of the occasion’s year', () => {
    const { roomId, env } = registryWithRoom();
    const docs = years();
    const { ids } = unwrap(bookSeries(docs, editor(), { ...CLASS, venueId: roomId }, env()));
    const [autumn, spring] = ids as [string, string];
    unwrap(recordAttendance(docOf(docs, 2027), editor(), { bookingId: spring, date: '2027-01-04', count: 18 }));
    unwrap(recordAttendance(docOf(docs, 2026), editor(), { bookingId: autumn, date: '2026-12-31', count: 15 }));
    // The spring part is not held in 2026.
    expect(
      errorOf(recordAttendance(docOf(docs, 2027), editor(), { bookingId: spring, date: '2026-12-31', count: 1 }))
        .params,
    ).toMatchObject({ rule: RULE.notHeld });
    expect(listAttendance(docOf(docs, 2027)).map((x) => x.count)).toEqual([18]);
    expect(listAttendance(docOf(docs, 2026)).map((x) => x.count)).toEqual([15]);
  });

  it('is cancelled as a whole: every part, with the reason', () => {
    const { roomId, env } = registryWithRoom();
    const docs = years();
    const { series } = unwrap(bookSeries(docs, editor(), { ...CLASS, venueId: roomId }, env()));
    const cancelled = unwrap(cancelSeries(docs, editor(), { series: series as string, reason: '服务机构退出' }));
    expect(cancelled).toHaveLength(2);
    for (const year of [2026, 2027]) {
      expect(listBookings(docOf(docs, year))).toMatchObject([{ status: 'cancelled', cancelReason: '服务机构退出' }]);
    }
    // A cancelled series is not cancelled again, and frees the room in January.
    expect(errorOf(cancelSeries(docs, editor(), { series: series as string, reason: '再次' })).params).toMatchObject({
      rule: RULE.bookingCancelled,
    });
    unwrap(bookVenue(docOf(docs, 2027), editor(), single(roomId, '2027-01-13', '17:00', '19:00'), env()));
  });

  it('is cancelled from a day on: earlier days and their attendance stay, the part the day falls in ends before it', () => {
    const { roomId, env } = registryWithRoom();
    const docs = years();
    const { series, ids } = unwrap(bookSeries(docs, editor(), { ...CLASS, venueId: roomId }, env()));
    unwrap(
      recordAttendance(docOf(docs, 2027), editor(), { bookingId: ids[1] as string, date: '2027-02-01', count: 9 }),
    );
    unwrap(cancelSeries(docs, editor(), { series: series as string, reason: '提前结课', from: '2027-03-01' }));
    expect(listBookings(docOf(docs, 2026))).toMatchObject([{ status: 'active', repeat: { until: '2026-12-31' } }]);
    expect(listBookings(docOf(docs, 2027))).toMatchObject([{ status: 'active', repeat: { until: '2027-02-28' } }]);
    expect(listAttendance(docOf(docs, 2027))).toHaveLength(1);
    // From a day in the autumn on: the autumn part ends before it, the spring part is cancelled.
    unwrap(cancelSeries(docs, editor(), { series: series as string, reason: '停办', from: '2026-12-01' }));
    expect(listBookings(docOf(docs, 2026))).toMatchObject([{ status: 'active', repeat: { until: '2026-11-30' } }]);
    expect(listBookings(docOf(docs, 2027))).toMatchObject([{ status: 'cancelled' }]);
  });

  it('moves as a whole to other hours, or not at all when one part would clash', () => {
    const { roomId, env } = registryWithRoom();
    const docs = years();
    const { series } = unwrap(bookSeries(docs, editor(), { ...CLASS, venueId: roomId }, env()));
    unwrap(bookVenue(docOf(docs, 2027), editor(), single(roomId, '2027-05-12', '15:00', '16:00'), env()));
    const move = { series: series as string, venueId: roomId, start: '15:30', end: '17:00' };
    expect(errorOf(moveSeries(docs, editor(), move, env())).params).toMatchObject({
      rule: RULE.doubleBooked,
      date: '2027-05-12',
    });
    expect(listBookings(docOf(docs, 2026))[0]).toMatchObject({ start: '16:30' });
    unwrap(moveSeries(docs, editor(), { ...move, start: '16:00', end: '17:30' }, env()));
    for (const year of [2026, 2027]) {
      expect(listBookings(docOf(docs, year)).find((b) => b.series === series)).toMatchObject({
        start: '16:00',
        end: '17:30',
      });
    }
  });

  it('moves from a day on: earlier days stay, the part the day falls in is split, later parts move; a clash moves nothing', () => {
    const { roomId, env } = registryWithRoom();
    const docs = years();
    const { series, ids } = unwrap(bookSeries(docs, editor(), { ...CLASS, venueId: roomId }, env()));
    unwrap(
      recordAttendance(docOf(docs, 2027), editor(), { bookingId: ids[1] as string, date: '2027-02-01', count: 9 }),
    );
    unwrap(bookVenue(docOf(docs, 2027), editor(), single(roomId, '2027-03-03', '15:00', '15:30'), env()));
    const move = { series: series as string, venueId: roomId, start: '15:00', end: '16:30', from: '2027-03-01' };
    expect(errorOf(moveSeries(docs, editor(), move, env())).params).toMatchObject({
      rule: RULE.doubleBooked,
      date: '2027-03-03',
    });
    expect(listBookings(docOf(docs, 2027)).filter((b) => b.series === series)).toHaveLength(1);
    unwrap(moveSeries(docs, editor(), { ...move, start: '15:30' }, env()));
    expect(listBookings(docOf(docs, 2026))).toMatchObject([{ start: '16:30', repeat: { until: '2026-12-31' } }]);
    const spring = listBookings(docOf(docs, 2027)).filter((b) => b.series === series);
    expect(spring).toMatchObject([
      { date: '2027-01-01', start: '16:30', repeat: { until: '2027-02-28' }, status: 'active' },
      { date: '2027-03-01', start: '15:30', end: '16:30', repeat: { until: '2027-06-30' }, status: 'active' },
    ]);
    expect(listAttendance(docOf(docs, 2027))).toHaveLength(1);
    // The series still holds every occasion once, and cancels as one.
    const held = [...listBookings(docOf(docs, 2026)), ...spring].flatMap((b) => occasions(b));
    expect(held).toEqual(occasions({ date: CLASS.date, repeat: CLASS.repeat }));
    expect(unwrap(cancelSeries(docs, editor(), { series: series as string, reason: '停办' }))).toHaveLength(3);
  });

  it('runs at most into the next year, needs an occasion, and is refused to a viewer', () => {
    const { roomId, env } = registryWithRoom();
    const docs = years();
    expect(
      errorOf(
        bookSeries(
          docs,
          editor(),
          { ...CLASS, venueId: roomId, repeat: { weekdays: [1], until: '2028-01-31' } },
          env(),
        ),
      ).params,
    ).toMatchObject({ rule: RULE.repeatRange });
    expect(errorOf(bookSeries(docs, viewer(), { ...CLASS, venueId: roomId }, env())).code).toBe('permission-denied');
    // Saturdays from 2026-12-27 (a Sunday) to 2027-01-01 (a Friday): none.
    expect(
      errorOf(
        bookSeries(
          docs,
          editor(),
          { ...CLASS, venueId: roomId, date: '2026-12-27', repeat: { weekdays: [6], until: '2027-01-01' } },
          env(),
        ),
      ).params,
    ).toMatchObject({ rule: RULE.repeatEmpty });
    // Wednesdays from 2026-12-31 (a Thursday): no part in 2026.
    expect(seriesParts('2026-12-31', [3], '2027-01-20')).toEqual([
      { year: 2027, date: '2027-01-06', until: '2027-01-20' },
    ]);
    expect(listBookings(docOf(docs, 2026))).toHaveLength(0);
  });
});
