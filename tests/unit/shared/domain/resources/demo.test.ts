import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { generateDemoParty } from '@shared/domain/party/demo';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { generateDemoResources } from '@shared/domain/resources/demo';
import { fundBalance, fundReport, fundWarnings, listFundEntries } from '@shared/domain/resources/funds';
import { projectEntries, voteTally } from '@shared/domain/resources/projects';
import { bookingConflicts } from '@shared/domain/resources/venues';
import { FUNDS, PROJECT_STATUSES } from '@shared/domain/resources/types';
import { listRecords } from '@shared/ydoc/registry';
import { listAttendance, listBookings } from '@shared/ydoc/resources';

describe('the demo community’s resources', () => {
  for (const today of ['2026-11-26', '2027-01-03']) {
    it(`hold rooms, bookings with regular services and one conflict, a project at each stage and the funds (${today})`, () => {
      const { doc: registry } = generateDemoCommunity(7, { residents: 300, today });
      const activities = new Map<number, Y.Doc>();
      const made = generateDemoResources(7, { registry, today, activities });
      expect(made.activities).toBe(activities);
      const year = Number(today.slice(0, 4));
      const doc = activities.get(year);
      expect(doc).toBeDefined();
      const bookings = listBookings(doc as Y.Doc);
      expect(listRecords(registry, 'venues')).toHaveLength(4);
      expect(
        bookings
          .filter((b) => b.repeat !== null)
          .map((b) => b.purpose)
          .sort(),
      ).toEqual(['四点半课堂', '日间照料']);
      expect(bookingConflicts(bookings)).toHaveLength(1);
      // 四点半课堂 runs the school year (September to June): one series, a part in each of its two years' documents.
      const schoolYear = today.slice(5) >= '09-01' ? year : year - 1;
      const parts = [schoolYear, schoolYear + 1].map((y) =>
        listBookings(activities.get(y) ?? new Y.Doc()).find((b) => b.purpose === '四点半课堂'),
      );
      expect(parts).toMatchObject([
        { repeat: { until: `${schoolYear}-12-31` }, status: 'active' },
        { repeat: { until: `${schoolYear + 1}-06-30` }, status: 'active' },
      ]);
      expect(parts[0]?.date).toBe(`${schoolYear}-09-01`);
      expect(parts[1]?.series).toBe(parts[0]?.series);
      expect(typeof parts[0]?.series).toBe('string');
      // The hall is open to 21:30: the evening rehearsals are booked there (another room would refuse them).
      const hall = listRecords(registry, 'venues').find((v) => v.name === '多功能活动室');
      expect(hall?.openHours).toEqual({ start: '08:00', end: '21:30' });
      expect(bookings.some((b) => b.venueId === hall?.id && b.end === '21:00')).toBe(true);
      expect(listAttendance(doc as Y.Doc).length).toBeGreaterThan(0);
      const projects = listRecords(registry, 'projects');
      expect(new Set(projects.map((p) => p.status))).toEqual(new Set(PROJECT_STATUSES));
      const consulting = projects.find((p) => p.status === 'published');
      expect(voteTally(projectEntries(consulting ?? {}).votes).agree).toBeGreaterThan(0);
      const entries = listFundEntries(registry);
      for (const fund of FUNDS) expect(fundBalance(entries, fund)).toBeGreaterThan(0);
      expect(fundWarnings(entries)).toEqual([]);
      expect(entries.some((e) => e.fund === 'care' && e.kind === 'spending' && e.memberId !== null)).toBe(true);
      expect(entries.some((e) => e.reverses !== null) || today < `${year}-05-13`).toBe(true);
      expect(fundReport(entries, 'party', year - 1).closing).toBe(fundReport(entries, 'party', year).opening);
    });
  }

  it('run after the party-building demo on the same registry, as the demo worker does', () => {
    const today = '2026-11-26';
    const { doc: registry } = generateDemoCommunity(11, { residents: 300, today });
    generateDemoParty(11, { registry, today });
    const made = generateDemoResources(11, { registry, today });
    expect(made.projects).toBe(5);
    expect(fundWarnings(listFundEntries(registry))).toEqual([]);
  });
});
