import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  bookVenue,
  bookingConflicts,
  cancelBooking,
  conflictedIds,
  createVenue,
  moveBooking,
  occasions,
  openHoursOf,
  recordAttendance,
  updateVenue,
  weekdayOf,
} from '@shared/domain/resources/venues';
import { readRecord } from '@shared/ydoc/registry';
import { RULE } from '@shared/domain/resources/rules';
import { listAttendance, listBookings, readResourceAudit } from '@shared/ydoc/resources';
import { editor, errorOf, registryWithRoom, unwrap, viewer } from './fixtures';

const single = (venueId: string, date: string, start: string, end: string, purpose = '居民议事会') => ({
  venueId,
  date,
  start,
  end,
  purpose,
  organiser: '居委会',
  fee: 'free' as const,
  expected: 20,
});

describe('venue bookings', () => {
  it('refuse a double booking of the same room and hour, allow back-to-back and other rooms', () => {
    const { roomId, env } = registryWithRoom();
    const doc = new Y.Doc();
    unwrap(bookVenue(doc, editor(), single(roomId, '2026-05-12', '09:00', '11:00'), env()));
    const clash = errorOf(bookVenue(doc, editor(), single(roomId, '2026-05-12', '10:30', '12:00', '书法班'), env()));
    expect(clash).toMatchObject({
      code: 'invalid',
      field: 'start',
      params: { rule: RULE.doubleBooked, purpose: '居民议事会' },
    });
    // 11:00-12:00 starts when the first ends: no clash.
    unwrap(bookVenue(doc, editor(), single(roomId, '2026-05-12', '11:00', '12:00'), env()));
    unwrap(bookVenue(doc, editor(), single(roomId, '2026-05-13', '09:00', '11:00'), env()));
    expect(listBookings(doc)).toHaveLength(3);
  });

  it('refuse a booking over the room’s capacity, an end before the start and an unknown room', () => {
    const { roomId, env } = registryWithRoom(30);
    const doc = new Y.Doc();
    expect(
      errorOf(bookVenue(doc, editor(), { ...single(roomId, '2026-05-12', '09:00', '10:00'), expected: 31 }, env()))
        .params,
    ).toMatchObject({ rule: RULE.overCapacity, capacity: 30 });
    expect(errorOf(bookVenue(doc, editor(), single(roomId, '2026-05-12', '10:00', '09:00'), env())).field).toBe('end');
    expect(errorOf(bookVenue(doc, editor(), single('nowhere', '2026-05-12', '09:00', '10:00'), env())).code).toBe(
      'not-found',
    );
  });

  it('refuse a viewer', () => {
    const { roomId, env } = registryWithRoom();
    const doc = new Y.Doc();
    expect(errorOf(bookVenue(doc, viewer(), single(roomId, '2026-05-12', '09:00', '10:00'), env())).code).toBe(
      'permission-denied',
    );
    expect(listBookings(doc)).toHaveLength(0);
  });

  it('check a regular service (weekly days over a range) against single bookings and other regular services', () => {
    const { roomId, env } = registryWithRoom();
    const doc = new Y.Doc();
    // 四点半课堂: Monday to Friday 16:30-18:00 through June.
    const classes = {
      ...single(roomId, '2026-06-01', '16:30', '18:00', '四点半课堂'),
      provider: '阳光社工',
      repeat: { weekdays: [1, 2, 3, 4, 5], until: '2026-06-30' },
    };
    const id = unwrap(bookVenue(doc, editor(), classes, env()));
    expect(weekdayOf('2026-06-01')).toBe(1);
    expect(occasions({ date: classes.date, repeat: classes.repeat })).toHaveLength(22);
    // A single booking on a Wednesday afternoon in June clashes; on the Saturday it does not.
    expect(
      errorOf(bookVenue(doc, editor(), single(roomId, '2026-06-17', '17:00', '19:00'), env())).params,
    ).toMatchObject({ rule: RULE.doubleBooked, date: '2026-06-17' });
    unwrap(bookVenue(doc, editor(), single(roomId, '2026-06-20', '17:00', '19:00'), env()));
    // After the range, free again.
    unwrap(bookVenue(doc, editor(), single(roomId, '2026-07-01', '17:00', '19:00'), env()));
    // A single booking first, then a series across it: the series is refused.
    const other = new Y.Doc();
    unwrap(bookVenue(other, editor(), single(roomId, '2026-06-10', '16:00', '17:00'), env()));
    expect(errorOf(bookVenue(other, editor(), classes, env())).params).toMatchObject({
      rule: RULE.doubleBooked,
      date: '2026-06-10',
    });
    // Two series: 日间照料 on Tuesdays and Thursdays mornings does not meet the afternoons; on Friday afternoons it does.
    unwrap(
      bookVenue(
        doc,
        editor(),
        {
          ...classes,
          purpose: '日间照料',
          start: '08:30',
          end: '11:30',
          repeat: { weekdays: [2, 4], until: '2026-12-31' },
        },
        env(),
      ),
    );
    expect(
      errorOf(
        bookVenue(
          doc,
          editor(),
          { ...classes, date: '2026-06-26', purpose: '舞蹈', repeat: { weekdays: [5], until: '2026-08-31' } },
          env(),
        ),
      ).params,
    ).toMatchObject({ rule: RULE.doubleBooked, date: '2026-06-26' });
    // A series stays in its year and must hold at least one day.
    expect(
      errorOf(
        bookVenue(
          doc,
          editor(),
          { ...classes, date: '2026-12-01', repeat: { weekdays: [1], until: '2027-01-31' } },
          env(),
        ),
      ).params,
    ).toMatchObject({ rule: RULE.repeatRange });
    expect(
      errorOf(
        bookVenue(
          doc,
          editor(),
          { ...classes, date: '2026-12-01', repeat: { weekdays: [6], until: '2026-12-04' } },
          env(),
        ),
      ).params,
    ).toMatchObject({ rule: RULE.repeatEmpty });
    expect(listBookings(doc).map((b) => b.id)).toContain(id);
  });

  it('keep both bookings two offline devices made of the same hour, mark them a conflict, and let a person resolve it', () => {
    const { roomId, env } = registryWithRoom();
    const base = new Y.Doc();
    const a = new Y.Doc();
    const b = new Y.Doc();
    Y.applyUpdate(a, Y.encodeStateAsUpdate(base));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(base));
    // Each device is offline and sees a free hour.
    const first = unwrap(bookVenue(a, editor('甲'), single(roomId, '2026-05-20', '14:00', '16:00', '党课'), env()));
    const second = unwrap(
      bookVenue(b, editor('乙'), single(roomId, '2026-05-20', '15:00', '17:00', '合唱排练'), env()),
    );
    // A regular service of device b that clashes with nothing on a: no conflict from it.
    unwrap(
      bookVenue(
        b,
        editor('乙'),
        { ...single(roomId, '2026-05-04', '08:00', '09:00', '晨练'), repeat: { weekdays: [1], until: '2026-05-31' } },
        env(),
      ),
    );
    // They sync.
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    for (const doc of [a, b]) {
      expect(listBookings(doc)).toHaveLength(3);
      const conflicts = bookingConflicts(listBookings(doc));
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]?.date).toBe('2026-05-20');
      expect([...conflictedIds(conflicts).keys()].sort()).toEqual([first, second].sort());
    }
    // Moving it onto the other is refused; moving it to a free hour resolves the conflict, audited.
    expect(
      errorOf(
        moveBooking(
          a,
          editor('甲'),
          { id: second, venueId: roomId, date: '2026-05-20', start: '15:30', end: '16:30' },
          env(),
        ),
      ).params,
    ).toMatchObject({ rule: RULE.doubleBooked });
    unwrap(
      moveBooking(
        a,
        editor('甲'),
        {
          id: second,
          venueId: roomId,
          date: '2026-05-20',
          start: '16:00',
          end: '18:00',
          note: '与党课冲突，协商后调整',
        },
        env(),
      ),
    );
    expect(bookingConflicts(listBookings(a))).toHaveLength(0);
    const moved = readResourceAudit(a).find((e) => e.action === 'moveBooking');
    expect(moved).toMatchObject({
      recordId: second,
      userName: '甲',
      fields: { from: { start: '15:00' }, to: { start: '16:00' } },
    });
    // On device b the conflict is resolved by cancelling instead: with a reason, kept as cancelled.
    expect(errorOf(cancelBooking(b, editor('乙'), { id: first, reason: '' })).code).toBe('required');
    unwrap(cancelBooking(b, editor('乙'), { id: first, reason: '党课改期' }));
    expect(bookingConflicts(listBookings(b))).toHaveLength(0);
    expect(listBookings(b).find((x) => x.id === first)).toMatchObject({
      status: 'cancelled',
      cancelReason: '党课改期',
    });
  });

  it('records the attendance of an occasion, the last count winning, only on a day the booking is held', () => {
    const { roomId, env } = registryWithRoom();
    const doc = new Y.Doc();
    const id = unwrap(
      bookVenue(
        doc,
        editor(),
        { ...single(roomId, '2026-06-01', '16:30', '18:00'), repeat: { weekdays: [1, 3], until: '2026-06-30' } },
        env(),
      ),
    );
    unwrap(recordAttendance(doc, editor(), { bookingId: id, date: '2026-06-03', count: 18 }));
    unwrap(recordAttendance(doc, editor(), { bookingId: id, date: '2026-06-03', count: 21 }));
    expect(
      errorOf(recordAttendance(doc, editor(), { bookingId: id, date: '2026-06-04', count: 5 })).params,
    ).toMatchObject({ rule: RULE.notHeld });
    expect(listAttendance(doc)).toEqual([expect.objectContaining({ bookingId: id, date: '2026-06-03', count: 21 })]);
  });
});

describe('opening hours of a room', () => {
  it('refuse a booking outside the room’s own hours, with their own rule naming them', () => {
    const { registry, roomId, env } = registryWithRoom();
    unwrap(updateVenue(registry, editor(), { id: roomId, openHours: { start: '09:00', end: '17:00' } }));
    const doc = new Y.Doc();
    expect(errorOf(bookVenue(doc, editor(), single(roomId, '2026-05-12', '08:30', '10:00'), env()))).toMatchObject({
      code: 'invalid',
      field: 'start',
      params: { rule: RULE.outsideHours, start: '09:00', end: '17:00' },
    });
    expect(errorOf(bookVenue(doc, editor(), single(roomId, '2026-05-12', '16:00', '17:30'), env()))).toMatchObject({
      field: 'end',
      params: { rule: RULE.outsideHours },
    });
    // A regular service is checked the same way, and a move too.
    const weekly = {
      ...single(roomId, '2026-05-11', '16:30', '18:00'),
      repeat: { weekdays: [1], until: '2026-06-30' },
    };
    expect(errorOf(bookVenue(doc, editor(), weekly, env())).params).toMatchObject({ rule: RULE.outsideHours });
    const id = unwrap(bookVenue(doc, editor(), single(roomId, '2026-05-12', '09:00', '17:00'), env()));
    expect(
      errorOf(
        moveBooking(doc, editor(), { id, venueId: roomId, date: '2026-05-12', start: '09:00', end: '18:00' }, env()),
      ).params,
    ).toMatchObject({ rule: RULE.outsideHours });
  });

  it('give a room made without hours 08:00-20:00, and refuse hours that end before they start', () => {
    const { registry, roomId, env } = registryWithRoom();
    expect(openHoursOf(readRecord(registry, 'venues', roomId) ?? {})).toEqual({ start: '08:00', end: '20:00' });
    const doc = new Y.Doc();
    unwrap(bookVenue(doc, editor(), single(roomId, '2026-05-12', '08:00', '20:00'), env()));
    expect(
      errorOf(bookVenue(doc, editor(), single(roomId, '2026-05-13', '19:00', '21:00'), env())).params,
    ).toMatchObject({
      rule: RULE.outsideHours,
      end: '20:00',
    });
    expect(
      errorOf(updateVenue(registry, editor(), { id: roomId, openHours: { start: '18:00', end: '09:00' } })).params,
    ).toMatchObject({ rule: RULE.endBeforeStart });
    const evening = unwrap(
      createVenue(registry, editor(), { name: '夜校教室', capacity: 20, openHours: { start: '13:00', end: '22:00' } }),
    );
    unwrap(bookVenue(doc, editor(), single(evening, '2026-05-13', '19:00', '21:00'), env()));
  });
});
