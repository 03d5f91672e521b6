/**
 * The resources' figures of the dashboard (docs/dashboard-model.md, "party building and resources") on the fixed data
 * of partyFixture.ts, each against its count by hand (November 2026 as of the 18th).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { activityRowsOf, registryFigureRowsOf } from '@shared/domain/dashboard/activityRows';
import type { CommunityActivity } from '@shared/domain/dashboard/partyFigures';
import { daysHeld, resourcesFigures } from '@shared/domain/dashboard/resourcesFigures';
import type { Booking } from '@shared/domain/resources/types';
import {
  bookSeries,
  bookVenue,
  bookingConflicts,
  cancelBooking,
  moveBooking,
  moveSeries,
  occasions,
  updateVenue,
} from '@shared/domain/resources/venues';
import { putBooking } from '@shared/ydoc/resources';
import { makeCtx, registryWithRoom, unwrap } from '../resources/fixtures';
import { fixtureActivities, fixtureRegistry, PERIOD } from './partyFixture';

function community(id = 'xihe'): CommunityActivity {
  const docs = fixtureActivities();
  return {
    id,
    registry: registryFigureRowsOf(fixtureRegistry()),
    activities: [activityRowsOf(docs[2025]), activityRowsOf(docs[2026])],
  };
}

describe('resourcesFigures', () => {
  it('gives each room its occasions, booked hours against open hours and attendance', () => {
    const f = resourcesFigures([community()], PERIOD);
    const v1 = f.rooms.find((r) => r.venueId === 'v1');
    const v2 = f.rooms.find((r) => r.venueId === 'v2');
    // v1: b1 and b2 on 11-03 (09:00-12:00 together: 3 h), the 四点半课堂 on the nine Mondays and Wednesdays of
    // November (2, 4, 9, 11, 16, 18, 23, 25, 30) at 1.5 h: 13.5 h. Open 30 days × 12 h.
    expect(v1).toMatchObject({ name: '党员活动室', occasions: 11, bookedHours: 16.5, openHours: 360 });
    expect(v1?.occupancy).toBeCloseTo(16.5 / 360, 10);
    // Counted by the 18th: the class on 11-02 (12) and 11-04 (10), b1 (20); the 23rd's 9 is later.
    expect(v1?.attendance).toBe(42);
    // v2: b4 on 11-20 (2 h); b5 cancelled, b6 in October.
    expect(v2).toMatchObject({ occasions: 1, bookedHours: 2, openHours: 360, attendance: 0 });
    expect(f.venues).toMatchObject({ rooms: 2, occasions: 12, bookedHours: 18.5, openHours: 720, attendance: 42 });
    expect(f.venues.occupancy).toBeCloseTo(18.5 / 720, 10);
  });

  it('counts the conflicts still to resolve (b1 and b2 overlap 10:00-11:00)', () => {
    expect(resourcesFigures([community()], PERIOD).venues.conflicts).toBe(1);
  });

  it('lists the regular services with their days and attendance in the period', () => {
    expect(resourcesFigures([community()], PERIOD).regular).toEqual([
      {
        community: 'xihe',
        bookingId: 'b3',
        series: 'b3',
        venueId: 'v1',
        purpose: '四点半课堂',
        provider: '阳光社工',
        occasions: 9,
        attendance: 22,
      },
    ]);
  });

  it('counts projects by stage, needs published in the period, and the residents’ rating', () => {
    expect(resourcesFigures([community()], PERIOD).projects).toEqual({
      byStatus: { published: 1, approved: 1, refused: 1, contracted: 1, closed: 1 },
      publishedInPeriod: 1,
      ratings: 3,
      ratingAverage: 4,
    });
  });

  it('counts projects by the stage they stood at on the as-of day, and only the ratings given by then', () => {
    // As of 2026-11-05: j1 (published 11-03) is there; the ratings were given on 11-10.
    expect(resourcesFigures([community()], { ...PERIOD, asOf: '2026-11-05' }).projects).toEqual({
      byStatus: { published: 1, approved: 1, refused: 1, contracted: 1, closed: 1 },
      publishedInPeriod: 1,
      ratings: 0,
      ratingAverage: null,
    });
    // As of 2026-09-05: j1 and j5 not yet published, j2 published and decided on 09-01, j3 not yet published.
    expect(resourcesFigures([community()], { ...PERIOD, asOf: '2026-09-05' }).projects.byStatus).toEqual({
      published: 0,
      approved: 1,
      refused: 0,
      contracted: 1,
      closed: 0,
    });
  });

  it('gives each fund its balance as of the day and the period’s income and spending, a reversal against its original', () => {
    expect(resourcesFigures([community()], PERIOD).funds).toEqual([
      // 1,000 yuan in January, 200 spent on 11-10; the 50 of 11-20 is after the 18th.
      { fund: 'party', balance: 80_000, income: 0, spending: 20_000 },
      // 500 in, 100 spent and reversed: the spending is undone, not an income.
      { fund: 'development', balance: 50_000, income: 50_000, spending: 0 },
      // 300 in and 20 spent last year, 30 spent on 11-12.
      { fund: 'care', balance: 25_000, income: 0, spending: 3_000 },
    ]);
  });

  it('with other open hours, occupancy changes and nothing else', () => {
    const f = resourcesFigures([community()], PERIOD, { openHours: { start: '09:00', end: '17:00' } });
    expect(f.venues.openHours).toBe(2 * 30 * 8);
    expect(f.venues.bookedHours).toBe(18.5);
  });

  it('a street adds its communities up, each one’s rooms apart', () => {
    const f = resourcesFigures([community('a'), community('b')], PERIOD);
    expect(f.rooms.map((r) => r.key)).toEqual(['a/v1', 'a/v2', 'b/v1', 'b/v2']);
    expect(f.venues.conflicts).toBe(2);
    expect(f.projects.byStatus.published).toBe(2);
    expect(f.funds[0]).toEqual({ fund: 'party', balance: 160_000, income: 0, spending: 40_000 });
  });
});

describe('resourcesFigures: conflicts and regular days', () => {
  const base = {
    residentId: null,
    organiser: '社区',
    fee: 'free' as const,
    expected: 10,
    cancelReason: '',
    createdAt: '2026-10-01T02:00:00.000Z',
    createdBy: 'u-office',
    updatedAt: '2026-10-01T02:00:00.000Z',
  };

  it('counts the same conflicts as the venues’ own bookingConflicts, on random bookings with regular services', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    let found = 0;
    for (let round = 0; round < 20; round++) {
      const bookings: Booking[] = Array.from({ length: 40 }, (_, i) => {
        const start = 8 + rnd(10);
        const date = `2026-11-${String(1 + rnd(28)).padStart(2, '0')}`;
        return {
          ...base,
          id: `b${round}-${i}`,
          venueId: `v${rnd(3)}`,
          date,
          start: `${String(start).padStart(2, '0')}:${rnd(2) === 0 ? '00' : '30'}`,
          end: `${String(start + 1 + rnd(3)).padStart(2, '0')}:00`,
          repeat: rnd(6) === 0 ? { weekdays: [1 + rnd(7), 1 + rnd(7)], until: '2026-12-20' } : null,
          status: rnd(8) === 0 ? 'cancelled' : 'active',
          purpose: '活动',
          provider: '',
        };
      });
      const doc = new Y.Doc();
      for (const b of bookings) putBooking(doc, b);
      const c: CommunityActivity = {
        id: 'x',
        registry: registryFigureRowsOf(new Y.Doc()),
        activities: [activityRowsOf(doc)],
      };
      const expected = bookingConflicts(bookings).length;
      expect(resourcesFigures([c], PERIOD).venues.conflicts, `round ${round}`).toBe(expected);
      found += expected;
    }
    // Enough clashes (regular services among them) for the comparison to mean something.
    expect(found).toBeGreaterThan(40);
  });

  it('holds a regular service on its weekdays within the period only, as occasions() does', () => {
    const b = { date: '2026-10-20', repeat: { weekdays: [2, 7], until: '2026-12-31' } };
    expect(daysHeld(b, '2026-11-01', '2026-11-30')).toEqual(
      occasions(b).filter((d) => d >= '2026-11-01' && d <= '2026-11-30'),
    );
    expect(daysHeld(b, '2026-11-01', '2026-11-30')).toEqual([
      '2026-11-01',
      '2026-11-03',
      '2026-11-08',
      '2026-11-10',
      '2026-11-15',
      '2026-11-17',
      '2026-11-22',
      '2026-11-24',
      '2026-11-29',
    ]);
    expect(daysHeld({ date: '2026-11-05', repeat: null }, '2026-11-01', '2026-11-30')).toEqual(['2026-11-05']);
    expect(daysHeld({ date: '2026-10-05', repeat: null }, '2026-11-01', '2026-11-30')).toEqual([]);
  });
});

describe('resourcesFigures: each room’s own hours', () => {
  it('counts a room’s occupancy against its own opening hours, the others against 08:00-20:00', () => {
    const registry = fixtureRegistry();
    unwrap(
      updateVenue(registry, makeCtx(['resources.edit']), { id: 'v1', openHours: { start: '09:00', end: '17:00' } }),
    );
    const docs = fixtureActivities();
    const c: CommunityActivity = {
      id: 'xihe',
      registry: registryFigureRowsOf(registry),
      activities: [activityRowsOf(docs[2025]), activityRowsOf(docs[2026])],
    };
    const f = resourcesFigures([c], PERIOD);
    // v1: 30 days × 8 h; v2 keeps none: 30 × 12 h. Booked hours as before (16.5 and 2).
    expect(f.rooms.find((r) => r.venueId === 'v1')).toMatchObject({ openHours: 240, bookedHours: 16.5 });
    expect(f.rooms.find((r) => r.venueId === 'v1')?.occupancy).toBeCloseTo(16.5 / 240, 10);
    expect(f.rooms.find((r) => r.venueId === 'v2')).toMatchObject({ openHours: 360 });
    expect(f.venues.openHours).toBe(600);
  });
});

describe('resourcesFigures: bookings as of a day', () => {
  const edit = (day: string, name = '社区干部') => makeCtx(['resources.edit'], name, day);
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
  const figures = (registry: Y.Doc, docs: readonly Y.Doc[], asOf: string) =>
    resourcesFigures([{ id: 'x', registry: registryFigureRowsOf(registry), activities: docs.map(activityRowsOf) }], {
      from: '2026-11-01',
      to: '2026-11-30',
      asOf,
    });

  it('reads a booking as it stood before its move, its cancellation, and not before it was written', () => {
    const { registry, roomId, env } = registryWithRoom();
    const doc = new Y.Doc();
    // Booked on 11-02 for 11-20 09:00-11:00; moved on 11-10 to 14:00-17:00; cancelled on 11-15.
    const id = unwrap(bookVenue(doc, edit('2026-11-02'), single(roomId, '2026-11-20', '09:00', '11:00'), env()));
    const move = { id, venueId: roomId, date: '2026-11-20', start: '14:00', end: '17:00' };
    unwrap(moveBooking(doc, edit('2026-11-10'), move, env()));
    unwrap(cancelBooking(doc, edit('2026-11-15'), { id, reason: '改期' }));
    // A second one, booked on 11-12 for 11-25.
    unwrap(bookVenue(doc, edit('2026-11-12'), single(roomId, '2026-11-25', '10:00', '11:00'), env()));
    const at = (day: string) => figures(registry, [doc], day).venues;
    expect(at('2026-11-01')).toMatchObject({ occasions: 0, bookedHours: 0 });
    expect(at('2026-11-09')).toMatchObject({ occasions: 1, bookedHours: 2 });
    expect(at('2026-11-10')).toMatchObject({ occasions: 1, bookedHours: 3 });
    expect(at('2026-11-12')).toMatchObject({ occasions: 2, bookedHours: 4 });
    expect(at('2026-11-15')).toMatchObject({ occasions: 1, bookedHours: 1 });
    expect(at('2026-11-30')).toMatchObject({ occasions: 1, bookedHours: 1 });
  });

  it('reads a regular service moved from a day on as it stood before the move', () => {
    const { registry, roomId, env } = registryWithRoom();
    const doc = new Y.Doc();
    const docs = new Map([[2026, doc]]);
    // Mondays 09:00-11:00 through November, booked on 10-20; on 11-12 moved to 14:00-17:00 from 11-16 on.
    const weekly = {
      ...single(roomId, '2026-11-02', '09:00', '11:00'),
      repeat: { weekdays: [1], until: '2026-11-30' },
    };
    const id = unwrap(bookVenue(doc, edit('2026-10-20'), weekly, env()));
    const move = { series: id, venueId: roomId, start: '14:00', end: '17:00', from: '2026-11-16' };
    unwrap(moveSeries(docs, edit('2026-11-12'), move, env()));
    const at = (day: string) => figures(registry, [doc], day);
    // Before the move: five Mondays (2, 9, 16, 23, 30) of 2 h, one regular service.
    expect(at('2026-11-11').venues).toMatchObject({ occasions: 5, bookedHours: 10 });
    expect(at('2026-11-11').regular.map((r) => r.occasions)).toEqual([5]);
    // From the move on: 2 and 9 at 2 h, 16, 23 and 30 at 3 h; still one service.
    expect(at('2026-11-12').venues).toMatchObject({ occasions: 5, bookedHours: 13 });
    expect(at('2026-11-12').regular.map((r) => r.occasions)).toEqual([5]);
  });

  it('reads a conflict as it stood: there until the day one of the pair was moved', () => {
    const { registry, roomId, env } = registryWithRoom();
    const a = new Y.Doc();
    const b = new Y.Doc();
    const id = unwrap(bookVenue(a, edit('2026-11-03', '甲'), single(roomId, '2026-11-20', '09:00', '11:00'), env()));
    unwrap(bookVenue(b, edit('2026-11-04', '乙'), single(roomId, '2026-11-20', '10:00', '12:00'), env()));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    const move = { id, venueId: roomId, date: '2026-11-21', start: '09:00', end: '11:00' };
    unwrap(moveBooking(a, edit('2026-11-08', '甲'), move, env()));
    expect(figures(registry, [a], '2026-11-03').venues.conflicts).toBe(0);
    expect(figures(registry, [a], '2026-11-07').venues.conflicts).toBe(1);
    expect(figures(registry, [a], '2026-11-08').venues.conflicts).toBe(0);
  });

  it('counts a series across the year end as one regular service, its conflict in both years once', () => {
    const { registry, roomId, env } = registryWithRoom();
    const docs = new Map([
      [2026, new Y.Doc()],
      [2027, new Y.Doc()],
    ]);
    const other = new Map([
      [2026, new Y.Doc()],
      [2027, new Y.Doc()],
    ]);
    const service = {
      venueId: roomId,
      date: '2026-09-01',
      start: '16:30',
      end: '18:00',
      repeat: { weekdays: [1, 3], until: '2027-06-30' },
      purpose: '四点半课堂',
      organiser: '阳光社工',
      provider: '阳光社工',
      fee: 'free' as const,
      expected: 10,
    };
    unwrap(bookSeries(docs, edit('2026-08-20', '甲'), service, env()));
    unwrap(bookSeries(other, edit('2026-08-21', '乙'), { ...service, purpose: '书法班', start: '17:00' }, env()));
    for (const year of [2026, 2027])
      Y.applyUpdate(docs.get(year) as Y.Doc, Y.encodeStateAsUpdate(other.get(year) as Y.Doc));
    const rows = [docs.get(2026), docs.get(2027)].map((d) => activityRowsOf(d as Y.Doc));
    const f = resourcesFigures([{ id: 'x', registry: registryFigureRowsOf(registry), activities: rows }], {
      from: '2026-12-01',
      to: '2027-01-31',
      asOf: '2027-01-31',
    });
    // Mondays and Wednesdays of December 2026 (9) and January 2027 (8), in two parts.
    expect(f.regular.map((r) => [r.purpose, r.occasions])).toEqual([
      ['书法班', 17],
      ['四点半课堂', 17],
    ]);
    expect(f.venues.conflicts).toBe(1);
  });
});
