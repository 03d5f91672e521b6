/**
 * The demo community's meetings (shared/domain/meetings/demo.ts): upcoming, held and under review, signed and locked,
 * resolutions published and archived, with action items open, overdue and answered, made by the commands against the
 * demo registry, on any day of the year; the same seed and day give the same meetings.
 */
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { DEMO_MEETING_STAGES, demoMeetings, generateDemoMeetings } from '@shared/domain/meetings/demo';
import { editsAfterLock, hasStarted, heldOn, isUpcoming, missingSignatures } from '@shared/domain/meetings/machine';
import { lockViolations, openActionItems } from '@shared/domain/meetings/reads';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { listMeetings, readMeeting } from '@shared/ydoc/meetings';
import { readRecord } from '@shared/ydoc/registry';

const registries = new Map<string, Y.Doc>();
function registryOn(today: string): Y.Doc {
  const known = registries.get(today);
  if (known !== undefined) return known;
  const { doc } = generateDemoCommunity(11, { residents: 400, today });
  registries.set(today, doc);
  return doc;
}

type Demo = ReturnType<typeof generateDemoMeetings>;

function meetingOf(demo: Demo, stage: (typeof DEMO_MEETING_STAGES)[number]) {
  const ref = demo.stages[stage];
  const doc = demo.docs.get(ref.year);
  const meeting = doc === undefined ? null : readMeeting(doc, ref.id);
  if (doc === undefined || meeting === null) throw new Error(`no ${stage}`);
  return { doc, meeting };
}

describe('demo meetings', () => {
  // December (the upcoming ones fall in next year's document at the end of the month), early January (the held ones
  // in last year's), and a day in the middle of the year.
  for (const today of ['2026-12-02', '2026-12-28', '2026-01-06', '2026-06-15']) {
    it(`has every stage on ${today}, as the list, the page and 我的落实事项 would show it`, () => {
      const year = Number(today.slice(0, 4));
      const cases = [
        { year, id: 'case-a' },
        { year: year - 1, id: 'case-b' },
      ];
      const demo = generateDemoMeetings(3, { registry: registryOn(today), today, cases });
      expect(new Set(Object.keys(demo.stages))).toEqual(new Set(DEMO_MEETING_STAGES));
      expect(demoMeetings(demo)).toHaveLength(DEMO_MEETING_STAGES.length);

      const agenda = meetingOf(demo, 'agenda').meeting;
      const upcoming = meetingOf(demo, 'upcoming').meeting;
      expect([agenda.status, upcoming.status]).toEqual(['agenda', 'notice-published']);
      expect(isUpcoming(agenda, today) && isUpcoming(upcoming, today)).toBe(true);
      expect(upcoming.noticePublishedOn).toBe(today);

      const review = meetingOf(demo, 'under-review').meeting;
      expect(review.status).toBe('under-review');
      expect(hasStarted(review.status) && !isUpcoming(review, today)).toBe(true);
      expect(review.attendees.some((a) => a.status === 'present')).toBe(true);
      expect(review.attendees.every((a) => a.status !== 'absent' || a.reason !== '')).toBe(true);
      expect(missingSignatures(review)).toEqual(['host', 'recorder']);

      const { doc: lockedDoc, meeting: locked } = meetingOf(demo, 'locked');
      expect(locked.status).toBe('signed');
      expect(locked.versions).toHaveLength(1);
      expect(editsAfterLock(locked)).toEqual([]);
      expect(lockViolations(lockedDoc)).toEqual([]);
      expect(locked.signatures.map((s) => [s.role, s.method])).toEqual(
        expect.arrayContaining([
          ['host', 'typed'],
          ['recorder', 'typed'],
        ]),
      );
      expect(locked.agenda[0]?.vote).toMatchObject({ mode: 'by-count' });
      // The cases it discussed, those of its own year (the meeting page lists the cases of its year).
      expect(locked.caseIds).toEqual(cases.filter((c) => c.year === demo.stages.locked.year).map((c) => c.id));
      // Held on its day, ten days ago: the calendar puts it there.
      expect(heldOn(locked) < today).toBe(true);

      // Its action items: one answered, one overdue, one still in time.
      expect(locked.actionItems.map((a) => a.done)).toEqual([true, false, false]);
      const open = openActionItems(lockedDoc, today).filter((o) => o.meetingId === locked.id);
      expect(open.map((o) => o.overdue)).toEqual([true, false]);
      // Owners are heads of the registry, by reference.
      for (const item of locked.actionItems) {
        const ref = item.owner.ref;
        expect(ref).not.toBeNull();
        const record =
          ref?.kind === 'volunteer'
            ? readRecord(registryOn(today), 'volunteers', ref.id)
            : readRecord(registryOn(today), 'residents', ref?.id ?? '');
        expect(record?.name).toBe(item.owner.name);
      }

      const published = meetingOf(demo, 'resolutions-published').meeting;
      expect(published.status).toBe('resolutions-published');
      expect(published.actionItems.every((a) => a.done && a.answer !== '')).toBe(true);

      const archived = meetingOf(demo, 'archived').meeting;
      expect([archived.status, archived.type]).toEqual(['archived', 'party']);
      expect(archived.actionItems.every((a) => a.done)).toBe(true);

      // Each meeting sits in the document of its year.
      for (const [year, doc] of demo.docs) {
        for (const meeting of listMeetings(doc)) expect(heldOn(meeting).slice(0, 4)).toBe(String(year));
      }
    });
  }

  it('is the same for the same seed and day', () => {
    const today = '2026-12-02';
    const registry = registryOn(today);
    const encode = (demo: Demo) => [...demo.docs.entries()].map(([year, doc]) => [year, listMeetings(doc)] as const);
    expect(encode(generateDemoMeetings(3, { registry, today }))).toEqual(
      encode(generateDemoMeetings(3, { registry, today })),
    );
  });
});
