/**
 * The party-building figures of the dashboard (docs/dashboard-model.md, "party building and resources") on the fixed
 * data of partyFixture.ts, each against its count by hand (November 2026 as of the 18th).
 */
import { describe, expect, it } from 'vitest';
import { activityRowsOf, registryFigureRowsOf } from '@shared/domain/dashboard/activityRows';
import { median, partyFigures, type CommunityActivity } from '@shared/domain/dashboard/partyFigures';
import { pack, unpack } from '@shared/domain/dashboard/pack';
import { fixtureActivities, fixtureRegistry, PERIOD } from './partyFixture';

function community(id = 'xihe'): CommunityActivity {
  const docs = fixtureActivities();
  return {
    id,
    registry: registryFigureRowsOf(fixtureRegistry()),
    activities: [activityRowsOf(docs[2025]), activityRowsOf(docs[2026])],
  };
}

describe('partyFigures', () => {
  it('counts 双报到 members: checked in, in the period, due, overdue and never this year', () => {
    const f = partyFigures([community()], PERIOD);
    // m1-m4 (m5 moved away, r6 not a member).
    expect(f.members.total).toBe(4);
    // m1 (checked in 11-12), m3 (registry 2025-12-01), m4 (05-10); m2's check-in was written on the 19th.
    expect(f.members.checkedIn).toBe(3);
    // m1 on 11-12 (m4's 11-25 is after the 18th).
    expect(f.members.checkedInPeriod).toBe(1);
    // m4: last 05-10, due 11-10 (m1 is due 2027-05-12, m3 was due 2026-06-01).
    expect(f.members.dueInPeriod).toBe(1);
    // m3 (due 06-01) and m4 (due 11-10).
    expect(f.members.overdue).toBe(2);
    // m2 (nothing written by the 18th) and m3 (last check-in in 2025): the 民主评议 flag.
    expect(f.members.neverThisYear).toBe(2);
  });

  it('counts units: u1 due on 11-20 (in the period, not overdue yet), u2 checked in on 11-05', () => {
    expect(partyFigures([community()], PERIOD).units).toEqual({
      total: 2,
      checkedIn: 2,
      checkedInPeriod: 1,
      dueInPeriod: 1,
      overdue: 0,
    });
  });

  it('counts posts claimed against capacity, this year, by the day asked, withdrawn posts left out', () => {
    // p1 (2) and p2 (1); p1 claimed by m1 and u1 (full); p2's claim was written on the 19th, m3's was in 2025.
    expect(partyFigures([community()], PERIOD).posts).toEqual({ active: 2, capacity: 3, claimed: 2, full: 1 });
  });

  it('adds service hours, the members’ median and the rating average of the period', () => {
    const f = partyFigures([community()], PERIOD).service;
    // 2 + 1.5 (m1) + 3 (m4) + 4 (u1) + 0.5 (m2); 10-30 and 11-20 are out.
    expect(f.records).toBe(5);
    expect(f.hours).toBe(11);
    // m1 3.5, m4 3, m2 0.5: median 3 (a unit is not a member).
    expect(f.members).toBe(3);
    expect(f.memberMedianHours).toBe(3);
    // 5, 4, 3, 2 (one not rated).
    expect(f.rated).toBe(4);
    expect(f.ratingAverage).toBe(3.5);
  });

  it('counts 三红三百: patrols by their China day, concerns, what became grid events and cases, 小红帽, sessions', () => {
    const f = partyFigures([community()], PERIOD).sanhong;
    // 11-03 (2 findings, one made an event) and 11-01 00:30 China time (1 finding); 10-28 is out.
    expect(f.patrols).toBe(2);
    expect(f.findings).toBe(3);
    expect(f.findingsToEvents).toBe(1);
    // 11-05 (made an event), 11-06 (its event written on the 19th), 11-15; 10-20 is out.
    expect(f.concerns).toBe(3);
    expect(f.concernsToEvents).toBe(1);
    expect(f.volunteerHours).toBe(6.5);
    expect(f.volunteers).toBe(2);
    expect(f.volunteerRecords).toBe(3);
    expect(f.sessions).toEqual({
      lecture: { count: 2, attendance: 5 },
      stage: { count: 1, attendance: 4 },
      teahouse: { count: 1, attendance: 2 },
    });
    expect(f.teahouseToCases).toBe(1);
  });

  it('as of a later day counts what was written since', () => {
    const f = partyFigures([community()], { ...PERIOD, asOf: '2026-11-30' });
    // m2's check-in (written 11-19) and m4's of 11-25 now count; m4 is no longer overdue.
    expect(f.members.checkedIn).toBe(4);
    expect(f.members.checkedInPeriod).toBe(3);
    expect(f.members.overdue).toBe(1);
    expect(f.members.neverThisYear).toBe(1);
    expect(f.posts.claimed).toBe(3);
    expect(f.sanhong.concernsToEvents).toBe(2);
    expect(f.service.hours).toBe(12);
  });

  it('a street adds its communities up, each one’s records apart (the same ids in two communities)', () => {
    const one = partyFigures([community('a')], PERIOD);
    const two = partyFigures([community('a'), community('b')], PERIOD);
    expect(two.members.total).toBe(2 * one.members.total);
    expect(two.members.overdue).toBe(2 * one.members.overdue);
    expect(two.posts.claimed).toBe(2 * one.posts.claimed);
    expect(two.posts.full).toBe(2 * one.posts.full);
    expect(two.service.members).toBe(6);
    expect(two.service.memberMedianHours).toBe(3);
    expect(two.sanhong.volunteers).toBe(4);
    expect(two.sanhong.findingsToEvents).toBe(2);
  });

  it('reads the same figures from rows packed for the disk', () => {
    const c = community();
    const stored = unpack(pack(c)) as CommunityActivity;
    expect(partyFigures([stored], PERIOD)).toEqual(partyFigures([c], PERIOD));
  });

  it('keeps the day a record was written only when it is after the record’s own day', () => {
    const rows = activityRowsOf(fixtureActivities()[2026]);
    // m2's check-in of the 17th was written on the 19th; m1's of the 12th on its day.
    expect(rows.checkIns.find((r) => r.s === 'member:m2')).toEqual({
      s: 'member:m2',
      on: '2026-11-17',
      w: '2026-11-19',
    });
    expect(rows.checkIns.find((r) => r.on === '2026-11-12')).toEqual({ s: 'member:m1', on: '2026-11-12' });
    // A link always says when it was written (it has no day of its own).
    expect(rows.links.every((l) => /^\d{4}-\d{2}-\d{2}$/.test(l.w))).toBe(true);
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
