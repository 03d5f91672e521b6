/**
 * First-week fixes of the meetings domain (issue 18): a meeting started before its day is confirmed first and keeps
 * its actual start time; a started meeting is no longer upcoming; the chair and the recorder sign once even when
 * they are listed signatories.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  addAgendaItem,
  createMeeting,
  finishMeeting,
  meetingHistory,
  publishNotice,
  signMinutes,
  signOff,
  startMeeting,
  submitForReview,
  updateMeetingDetails,
} from '@shared/domain/meetings/commands';
import { hasStarted, heldOn, isUpcoming, missingSignatures, startsEarly } from '@shared/domain/meetings/machine';
import type { Person, Signature } from '@shared/domain/meetings/types';
import type { ResidentId } from '@shared/domain/registry/types';
import { readMeeting } from '@shared/ydoc/meetings';
import { emptySnapshot } from '@shared/ydoc/registry';
import { errorOf, makeCtx, unwrap } from './fixtures';

/** 2026-12-04 09:00 in China. */
const DEC_4 = '2026-12-04T01:00:00.000Z';
/** 2026-12-01 23:45 in China (15:45 UTC): a day in China that is still the 1st in UTC. */
const DEC_1_LATE = '2026-12-01T15:45:35.085Z';

/** A residents' meeting set for 12-04 with its notice up, on a clock at `now`. */
function noticed(now: string) {
  const doc = new Y.Doc();
  const ctx = makeCtx({ start: now });
  const id = unwrap(
    createMeeting(
      doc,
      ctx,
      {
        type: 'residents-representatives',
        title: '十二月代表会议',
        scope: { kind: 'list', people: [{ name: '代表1' }, { name: '代表2' }] },
        convener: { name: '社区主任' },
        chair: { name: '主持人' },
        recorder: { name: '记录人' },
        startsAt: DEC_4,
        place: '议事厅',
      },
      emptySnapshot(),
    ),
  );
  unwrap(addAgendaItem(doc, ctx, { meetingId: id, title: '议题', proposer: { name: '代表1' }, expectedMinutes: 10 }));
  unwrap(publishNotice(doc, ctx, { meetingId: id, publishedOn: '2026-12-01' }));
  return { doc, ctx, id };
}

describe('starting a meeting', () => {
  it('refuses to start before the scheduled day unless confirmed, and keeps the actual start time', () => {
    const { doc, ctx, id } = noticed(DEC_1_LATE);
    expect(startsEarly(readMeeting(doc, id)!, ctx.now())).toBe(true);
    expect(errorOf(startMeeting(doc, ctx, { meetingId: id }, emptySnapshot()))).toEqual({
      code: 'meeting.start-early',
      params: { day: '2026-12-04' },
    });
    expect(readMeeting(doc, id)?.status).toBe('notice-published');
    expect(readMeeting(doc, id)?.startedAt).toBeNull();

    unwrap(startMeeting(doc, ctx, { meetingId: id, early: true }, emptySnapshot()));
    const meeting = readMeeting(doc, id)!;
    expect(meeting.status).toBe('in-progress');
    expect(meeting.startsAt).toBe(DEC_4);
    expect(meeting.startedAt).toBe(DEC_1_LATE);
    expect(meetingHistory(doc, id).at(-1)?.fields).toMatchObject({ command: 'startMeeting', startedAt: DEC_1_LATE });
  });

  it('starts on the day without asking', () => {
    const { doc, ctx, id } = noticed('2026-12-04T00:30:00.000Z');
    expect(startsEarly(readMeeting(doc, id)!, ctx.now())).toBe(false);
    unwrap(startMeeting(doc, ctx, { meetingId: id }, emptySnapshot()));
    expect(readMeeting(doc, id)?.startedAt).toBe('2026-12-04T00:30:00.000Z');
  });

  it('is upcoming until started; started early, it is held on the day it started', () => {
    const { doc, ctx, id } = noticed(DEC_1_LATE);
    const before = readMeeting(doc, id)!;
    expect(hasStarted(before.status)).toBe(false);
    expect(isUpcoming(before, '2026-12-01')).toBe(true);
    expect(heldOn(before)).toBe('2026-12-04');
    unwrap(startMeeting(doc, ctx, { meetingId: id, early: true }, emptySnapshot()));
    const after = readMeeting(doc, id)!;
    expect(hasStarted(after.status)).toBe(true);
    expect(isUpcoming(after, '2026-12-01')).toBe(false);
    // 23:45 on the 1st in China, though still 15:45 in UTC.
    expect(heldOn(after)).toBe('2026-12-01');
  });
});

describe('signing the minutes', () => {
  it('asks the chair and the recorder to sign once when they are also listed signatories', () => {
    const { doc, ctx, id } = noticed('2026-12-04T00:30:00.000Z');
    unwrap(
      updateMeetingDetails(doc, ctx, {
        id,
        changes: { requiredSignatories: [{ name: '主持人' }, { name: '记录人' }, { name: '代表1' }] },
      }),
    );
    unwrap(startMeeting(doc, ctx, { meetingId: id }, emptySnapshot()));
    unwrap(finishMeeting(doc, ctx, { meetingId: id }));
    unwrap(submitForReview(doc, ctx, { meetingId: id }));
    unwrap(signMinutes(doc, ctx, { meetingId: id, role: 'host', name: '主持人' }));
    unwrap(signMinutes(doc, ctx, { meetingId: id, role: 'recorder', name: '记录人' }));
    // Only the signatory who is neither chair nor recorder is still missing.
    expect(missingSignatures(readMeeting(doc, id)!)).toEqual(['代表1']);
    expect(errorOf(signOff(doc, ctx, { meetingId: id }))).toMatchObject({ params: { missing: '代表1' } });
    unwrap(signMinutes(doc, ctx, { meetingId: id, role: 'signatory', name: '代表1' }));
    expect(missingSignatures(readMeeting(doc, id)!)).toEqual([]);
    expect(unwrap(signOff(doc, ctx, { meetingId: id }))).toBe(1);
  });

  it('still tells two people of the same name apart by their registry references', () => {
    const chair: Person = { name: '王芳', ref: { kind: 'resident', id: 'r-1' as ResidentId } };
    const namesake: Person = { name: '王芳', ref: { kind: 'resident', id: 'r-2' as ResidentId } };
    const recorder: Person = { name: '记录人', ref: null };
    const signatures: Signature[] = [
      { role: 'host', name: '王芳', key: 'resident:r-1', at: DEC_4, method: 'recorded', image: null },
      { role: 'recorder', name: '记录人', key: null, at: DEC_4, method: 'recorded', image: null },
    ];
    expect(missingSignatures({ chair, recorder, requiredSignatories: [namesake], signatures })).toEqual(['王芳']);
    expect(missingSignatures({ chair, recorder, requiredSignatories: [chair], signatures })).toEqual([]);
  });
});
