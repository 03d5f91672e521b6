import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { isCommandOrigin } from '@shared/domain/kernel';
import {
  addActionItem,
  addGuest,
  amendMeeting,
  archiveMeeting,
  completeActionItem,
  createMeeting,
  editMinutes,
  finishMeeting,
  linkCase,
  lockViolations,
  meetingHistory,
  openActionItems,
  publishResolutions,
  recordVote,
  returnToDraft,
  reviewMinutes,
  signIn,
  signMinutes,
  signOff,
  submitForReview,
  updateMeetingDetails,
} from '@shared/domain/meetings/commands';
import type { CreateMeetingInput } from '@shared/domain/meetings/types';
import type { CompoundId } from '@shared/domain/registry/types';
import { minutesText, readMeeting, readMeetingsAudit } from '@shared/ydoc/meetings';
import { emptySnapshot } from '@shared/ydoc/registry';
import { errorOf, makeCtx, MEETING_AT, ownersRegistry, signInFirst, startedMeeting, unwrap } from './fixtures';

/** Residents' representatives meeting of 9 listed people, started, with 6 signed in (exactly two thirds). */
function quorateMeeting(ctx = makeCtx()) {
  const doc = new Y.Doc();
  const registry = emptySnapshot();
  const people = Array.from({ length: 9 }, (_, i) => ({ name: `代表${i + 1}` }));
  const { id, itemId } = startedMeeting(doc, ctx, registry, {
    type: 'residents-representatives',
    scope: { kind: 'list', people },
    requiredSignatories: [{ name: '代表1' }],
  });
  const present = signInFirst(doc, ctx, id, 6);
  return { doc, ctx, registry, id, itemId, present };
}

function toSigned(m: ReturnType<typeof quorateMeeting>) {
  const { doc, ctx, id } = m;
  unwrap(finishMeeting(doc, ctx, { meetingId: id }));
  unwrap(submitForReview(doc, ctx, { meetingId: id }));
  unwrap(signMinutes(doc, ctx, { meetingId: id, role: 'host', name: '主持人' }));
  unwrap(signMinutes(doc, ctx, { meetingId: id, role: 'recorder', name: '记录人' }));
  unwrap(signMinutes(doc, ctx, { meetingId: id, role: 'signatory', name: '代表1', key: 'name:代表1' }));
  unwrap(signOff(doc, ctx, { meetingId: id }));
}

describe('meeting commands', () => {
  it('marks the meeting changed at the time of each write, and audits each as an update of the meeting', () => {
    const m = quorateMeeting();
    const { doc, ctx, id, itemId } = m;
    const writes: (() => { readonly ok: boolean })[] = [
      () => signIn(doc, ctx, { meetingId: id, key: 'name:代表7', status: 'present' }),
      () => addGuest(doc, ctx, { meetingId: id, name: '列席人', ref: null }),
      () =>
        recordVote(
          doc,
          ctx,
          { meetingId: id, itemId, vote: { mode: 'by-count', for: 6, against: 0, abstain: 0 } },
          m.registry,
        ),
      () => editMinutes(doc, ctx, { meetingId: id, itemId, index: 0, deleteCount: 0, insert: '同意' }),
      () => linkCase(doc, ctx, { meetingId: id, caseId: 'case-1', linked: true }),
      () => finishMeeting(doc, ctx, { meetingId: id }),
    ];
    for (const write of writes) {
      ctx.advance(60_000);
      expect(write().ok).toBe(true);
      expect(readMeeting(doc, id)?.updatedAt).toBe(ctx.now().toISOString());
      expect(meetingHistory(doc, id).at(-1)).toMatchObject({
        action: 'update',
        recordId: id,
        at: ctx.now().toISOString(),
      });
    }
  });

  it('writes each command in one transaction tagged with its origin, with one audit entry', () => {
    const doc = new Y.Doc();
    const ctx = makeCtx();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const { id } = startedMeeting(doc, ctx, emptySnapshot(), {
      type: 'residents-representatives',
      scope: { kind: 'list', people: [{ name: '代表1' }] },
    });
    expect(origins).toHaveLength(4);
    expect(origins.every(isCommandOrigin)).toBe(true);
    expect(meetingHistory(doc, id).map((e) => e.fields.command)).toEqual([
      'createMeeting',
      'addAgendaItem',
      'publishNotice',
      'startMeeting',
    ]);
    expect(readMeeting(doc, id)?.attendees.map((a) => a.name)).toEqual(['代表1']);
  });

  it('refuses a user without the meetings permission, and a scope that does not fit the type', () => {
    const doc = new Y.Doc();
    const input: CreateMeetingInput = {
      type: 'owners-assembly',
      title: '业主大会',
      scope: { kind: 'list', people: [] },
      convener: { name: 'a' },
      chair: { name: 'b' },
      recorder: { name: 'c' },
      startsAt: MEETING_AT,
      place: 'x',
    };
    expect(errorOf(createMeeting(doc, makeCtx({ permissions: ['registry.edit'] }), input, emptySnapshot())).code).toBe(
      'permission-denied',
    );
    expect(errorOf(createMeeting(doc, makeCtx(), input, emptySnapshot())).code).toBe('meeting.scope-mismatch');
    expect(
      errorOf(
        createMeeting(
          doc,
          makeCtx(),
          { ...input, scope: { kind: 'compound', compoundId: 'nope' as CompoundId } },
          emptySnapshot(),
        ),
      ),
    ).toMatchObject({
      code: 'not-found',
      field: 'scope.compoundId',
    });
    expect(readMeetingsAudit(doc)).toHaveLength(0);
  });

  it('refuses votes below quorum and records them once quorum is reached', () => {
    const doc = new Y.Doc();
    const ctx = makeCtx();
    const people = Array.from({ length: 9 }, (_, i) => ({ name: `代表${i + 1}` }));
    const { id, itemId } = startedMeeting(doc, ctx, emptySnapshot(), {
      type: 'residents-representatives',
      scope: { kind: 'list', people },
    });
    signInFirst(doc, ctx, id, 5);
    const vote = {
      meetingId: id,
      itemId,
      vote: { mode: 'by-count' as const, for: 5, against: 0, abstain: 0 },
      resolution: '同意',
    };
    expect(errorOf(recordVote(doc, ctx, vote, emptySnapshot())).code).toBe('meeting.quorum-not-reached');
    unwrap(signIn(doc, ctx, { meetingId: id, key: 'name:代表6', status: 'late' }));
    expect(unwrap(recordVote(doc, ctx, vote, emptySnapshot()))).toMatchObject({
      passed: true,
      tally: { for: 5, base: 6 },
    });
    expect(readMeeting(doc, id)?.agenda[0]).toMatchObject({ vote: vote.vote, resolution: '同意' });
  });

  it('adds 列席 guests who do not count, and needs a reason for an absence', () => {
    const m = quorateMeeting();
    const key = unwrap(addGuest(m.doc, m.ctx, { meetingId: m.id, name: '街道干部' }));
    expect(readMeeting(m.doc, m.id)?.attendees.find((a) => a.key === key)).toMatchObject({
      expected: false,
      voting: false,
      status: 'non-voting',
    });
    expect(errorOf(addGuest(m.doc, m.ctx, { meetingId: m.id, name: '街道干部' })).code).toBe('name.duplicate');
    expect(errorOf(signIn(m.doc, m.ctx, { meetingId: m.id, key: 'name:代表9', status: 'absent' }))).toMatchObject({
      code: 'required',
      field: 'reason',
    });
  });

  it("takes an owners' assembly sheet with floor areas from the registry", () => {
    const reg = ownersRegistry([100, 100, null]);
    const doc = new Y.Doc();
    const ctx = makeCtx();
    const { id, itemId } = startedMeeting(
      doc,
      ctx,
      reg.snapshot(),
      { type: 'owners-assembly', scope: { kind: 'compound', compoundId: reg.compound } },
      { matter: 'ordinary', subject: 'rebuild' },
    );
    const meeting = readMeeting(doc, id);
    expect(meeting?.agenda[0]?.matter).toBe('special');
    expect(meeting?.attendees.map((a) => a.area)).toEqual([100, 100, null]);
    signInFirst(doc, ctx, id, 2);
    const result = unwrap(
      recordVote(
        doc,
        ctx,
        {
          meetingId: id,
          itemId,
          vote: { mode: 'by-count', for: 2, against: 0, abstain: 0, area: { for: 200, against: 0, abstain: 0 } },
        },
        reg.snapshot(),
      ),
    );
    expect(result).toMatchObject({
      passed: true,
      matter: 'special',
      quorum: { warnings: [{ code: 'households-without-area', params: { count: 1 } }] },
    });
  });

  it('runs review, sign-off and locking; edits after sign-off are refused', () => {
    const m = quorateMeeting();
    unwrap(editMinutes(m.doc, m.ctx, { meetingId: m.id, itemId: m.itemId, index: 0, insert: '讨论了加装电梯。' }));
    unwrap(finishMeeting(m.doc, m.ctx, { meetingId: m.id }));
    unwrap(submitForReview(m.doc, m.ctx, { meetingId: m.id }));
    expect(errorOf(editMinutes(m.doc, m.ctx, { meetingId: m.id, itemId: m.itemId, index: 0, insert: 'x' })).code).toBe(
      'meeting.transition',
    );
    unwrap(reviewMinutes(m.doc, m.ctx, { meetingId: m.id, key: 'name:代表2', approved: true }));
    expect(errorOf(reviewMinutes(m.doc, m.ctx, { meetingId: m.id, key: 'name:代表9', approved: true })).code).toBe(
      'meeting.not-expected',
    );
    unwrap(signMinutes(m.doc, m.ctx, { meetingId: m.id, role: 'host', name: '主持人' }));
    expect(errorOf(signOff(m.doc, m.ctx, { meetingId: m.id }))).toMatchObject({
      code: 'meeting.signatures-missing',
      params: { missing: 'recorder、代表1' },
    });
    unwrap(signMinutes(m.doc, m.ctx, { meetingId: m.id, role: 'recorder', name: '记录人' }));
    unwrap(signMinutes(m.doc, m.ctx, { meetingId: m.id, role: 'signatory', name: '代表1', key: 'name:代表1' }));
    expect(unwrap(signOff(m.doc, m.ctx, { meetingId: m.id }))).toBe(1);

    const locked = readMeeting(m.doc, m.id);
    expect(locked?.status).toBe('signed');
    expect(locked?.versions[0]?.content.agenda[0]?.minutes).toBe('讨论了加装电梯。');
    const auditBefore = readMeetingsAudit(m.doc).length;
    expect(errorOf(editMinutes(m.doc, m.ctx, { meetingId: m.id, itemId: m.itemId, index: 0, insert: '改' })).code).toBe(
      'meeting.locked',
    );
    expect(errorOf(updateMeetingDetails(m.doc, m.ctx, { id: m.id, changes: { place: '别处' } })).code).toBe(
      'meeting.locked',
    );
    expect(errorOf(signIn(m.doc, m.ctx, { meetingId: m.id, key: 'name:代表9', status: 'present' })).code).toBe(
      'meeting.locked',
    );
    expect(minutesText(m.doc, m.id, m.itemId)?.toJSON()).toBe('讨论了加装电梯。');
    expect(readMeetingsAudit(m.doc)).toHaveLength(auditBefore);
  });

  it('clears signatures when a reviewed draft goes back for changes', () => {
    const m = quorateMeeting();
    unwrap(finishMeeting(m.doc, m.ctx, { meetingId: m.id }));
    unwrap(submitForReview(m.doc, m.ctx, { meetingId: m.id }));
    unwrap(signMinutes(m.doc, m.ctx, { meetingId: m.id, role: 'host', name: '主持人' }));
    unwrap(returnToDraft(m.doc, m.ctx, { meetingId: m.id }));
    expect(readMeeting(m.doc, m.id)).toMatchObject({ status: 'minutes-drafted', signatures: [] });
  });

  it('amends a signed record as a new version with its reason, keeping the signed one visible', () => {
    const m = quorateMeeting();
    unwrap(editMinutes(m.doc, m.ctx, { meetingId: m.id, itemId: m.itemId, index: 0, insert: '原记录。' }));
    toSigned(m);
    expect(errorOf(amendMeeting(m.doc, m.ctx, { meetingId: m.id, reason: ' ' })).code).toBe('required');
    expect(unwrap(amendMeeting(m.doc, m.ctx, { meetingId: m.id, reason: '漏记代表3的发言' }))).toBe(2);
    unwrap(editMinutes(m.doc, m.ctx, { meetingId: m.id, itemId: m.itemId, index: 4, insert: '代表3补充发言。' }));
    let meeting = readMeeting(m.doc, m.id);
    expect(meeting).toMatchObject({
      status: 'minutes-drafted',
      version: 2,
      signatures: [],
      amendments: [{ version: 2, reason: '漏记代表3的发言', userId: 'u1' }],
    });
    expect(meeting?.versions.map((v) => [v.version, v.content.agenda[0]?.minutes])).toEqual([[1, '原记录。']]);
    unwrap(submitForReview(m.doc, m.ctx, { meetingId: m.id }));
    unwrap(signMinutes(m.doc, m.ctx, { meetingId: m.id, role: 'host', name: '主持人' }));
    unwrap(signMinutes(m.doc, m.ctx, { meetingId: m.id, role: 'recorder', name: '记录人' }));
    unwrap(signMinutes(m.doc, m.ctx, { meetingId: m.id, role: 'signatory', name: '代表1' }));
    expect(unwrap(signOff(m.doc, m.ctx, { meetingId: m.id }))).toBe(2);
    meeting = readMeeting(m.doc, m.id);
    expect(meeting?.versions.map((v) => [v.version, v.content.agenda[0]?.minutes])).toEqual([
      [1, '原记录。'],
      [2, '原记录。代表3补充发言。'],
    ]);
    expect(lockViolations(m.doc)).toEqual([]);
  });

  it('publishes resolutions, tracks action items until answered, then archives', () => {
    const m = quorateMeeting();
    unwrap(
      recordVote(
        m.doc,
        m.ctx,
        {
          meetingId: m.id,
          itemId: m.itemId,
          vote: { mode: 'by-count', for: 6, against: 0, abstain: 0 },
          resolution: '同意加装电梯',
        },
        m.registry,
      ),
    );
    const action = unwrap(
      addActionItem(m.doc, m.ctx, {
        meetingId: m.id,
        agendaItemId: m.itemId,
        title: '联系电梯公司',
        owner: { name: '物业经理' },
        deadline: '2026-03-20',
      }),
    );
    toSigned(m);
    expect(errorOf(archiveMeeting(m.doc, m.ctx, { meetingId: m.id })).code).toBe('meeting.resolutions-unpublished');
    unwrap(publishResolutions(m.doc, m.ctx, { meetingId: m.id, publishedOn: '2026-03-11' }));
    expect(openActionItems(m.doc, '2026-03-25', 'name:物业经理')).toMatchObject([
      { meetingId: m.id, overdue: true, actionItem: { id: action } },
    ]);
    expect(openActionItems(m.doc, '2026-03-25', 'name:别人')).toEqual([]);
    expect(errorOf(archiveMeeting(m.doc, m.ctx, { meetingId: m.id }))).toMatchObject({
      code: 'meeting.action-items-open',
      params: { count: 1 },
    });
    unwrap(completeActionItem(m.doc, m.ctx, { meetingId: m.id, actionItemId: action, answer: '已签合同，4月开工' }));
    expect(openActionItems(m.doc, '2026-03-25')).toEqual([]);
    unwrap(archiveMeeting(m.doc, m.ctx, { meetingId: m.id }));
    expect(readMeeting(m.doc, m.id)).toMatchObject({
      status: 'archived',
      resolutionsPublishedOn: '2026-03-11',
      actionItems: [{ done: true, answer: '已签合同，4月开工' }],
    });
  });

  it('links and unlinks mediation cases', () => {
    const m = quorateMeeting();
    expect(unwrap(linkCase(m.doc, m.ctx, { meetingId: m.id, caseId: 'case-1', linked: true }))).toEqual(['case-1']);
    expect(unwrap(linkCase(m.doc, m.ctx, { meetingId: m.id, caseId: 'case-1', linked: true }))).toEqual(['case-1']);
    expect(unwrap(linkCase(m.doc, m.ctx, { meetingId: m.id, caseId: 'case-1', linked: false }))).toEqual([]);
  });
});

describe('minutes written by two at once', () => {
  function sync(a: Y.Doc, b: Y.Doc) {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  }

  it('merges two offline devices typing into the same minutes with both texts present', () => {
    const m = quorateMeeting();
    unwrap(editMinutes(m.doc, m.ctx, { meetingId: m.id, itemId: m.itemId, index: 0, insert: '议题：加装电梯。' }));
    const laptop = new Y.Doc();
    const desktop = new Y.Doc();
    Y.applyUpdate(laptop, Y.encodeStateAsUpdate(m.doc));
    Y.applyUpdate(desktop, Y.encodeStateAsUpdate(m.doc));
    const recorder = makeCtx({ user: 'recorder', idPrefix: 'r' });
    const colleague = makeCtx({ user: 'colleague', idPrefix: 'c' });
    const end = '议题：加装电梯。'.length;
    unwrap(
      editMinutes(laptop, recorder, {
        meetingId: m.id,
        itemId: m.itemId,
        index: end,
        insert: '代表2：支持，低层住户有顾虑。',
      }),
    );
    unwrap(editMinutes(desktop, colleague, { meetingId: m.id, itemId: m.itemId, index: 0, insert: '【纪要】' }));
    sync(laptop, desktop);
    const text = minutesText(laptop, m.id, m.itemId)?.toJSON();
    expect(text).toBe(minutesText(desktop, m.id, m.itemId)?.toJSON());
    expect(text).toBe('【纪要】议题：加装电梯。代表2：支持，低层住户有顾虑。');
    expect(
      readMeetingsAudit(laptop)
        .filter((e) => e.fields.command === 'editMinutes')
        .map((e) => e.userId)
        .sort(),
    ).toEqual(['colleague', 'recorder', 'u1']);
  });

  it('detects an edit that reached a locked meeting by sync, keeping the signed text as signed', () => {
    const m = quorateMeeting();
    unwrap(editMinutes(m.doc, m.ctx, { meetingId: m.id, itemId: m.itemId, index: 0, insert: '讨论了停车。' }));
    unwrap(finishMeeting(m.doc, m.ctx, { meetingId: m.id }));
    const laptop = new Y.Doc();
    Y.applyUpdate(laptop, Y.encodeStateAsUpdate(m.doc));
    // The laptop, offline, still sees a draft and keeps typing while the office signs the record.
    unwrap(
      editMinutes(laptop, makeCtx({ user: 'field', idPrefix: 'f' }), {
        meetingId: m.id,
        itemId: m.itemId,
        index: 6,
        insert: '（补）',
      }),
    );
    unwrap(submitForReview(m.doc, m.ctx, { meetingId: m.id }));
    unwrap(signMinutes(m.doc, m.ctx, { meetingId: m.id, role: 'host', name: '主持人' }));
    unwrap(signMinutes(m.doc, m.ctx, { meetingId: m.id, role: 'recorder', name: '记录人' }));
    unwrap(signMinutes(m.doc, m.ctx, { meetingId: m.id, role: 'signatory', name: '代表1' }));
    unwrap(signOff(m.doc, m.ctx, { meetingId: m.id }));
    expect(lockViolations(m.doc)).toEqual([]);
    sync(m.doc, laptop);
    expect(lockViolations(m.doc)).toEqual([{ meetingId: m.id, paths: [`agenda.${m.itemId}.minutes`] }]);
    const meeting = readMeeting(m.doc, m.id);
    expect(meeting?.versions[0]?.content.agenda[0]?.minutes).toBe('讨论了停车。');
    expect(meeting?.agenda[0]?.minutes).toBe('讨论了停车。（补）');
  });
});
