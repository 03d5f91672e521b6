import { describe, expect, it } from 'vitest';
import * as machine from '@shared/domain/meetings/machine';
import {
  MEETING_STATUSES,
  type ActionItemId,
  type AgendaItem,
  type AgendaItemId,
  type Meeting,
  type MeetingId,
} from '@shared/domain/meetings/types';
import { emptySnapshot } from '@shared/ydoc/registry';
import { MEETING_AT, sheet } from './fixtures';

function item(n: number, overrides: Partial<AgendaItem> = {}): AgendaItem {
  return {
    id: `item-${n}` as AgendaItemId,
    order: n,
    title: `议题${n}`,
    proposer: { name: '提议人', ref: null },
    expectedMinutes: 15,
    matter: 'ordinary',
    subject: null,
    minutes: '',
    vote: null,
    resolution: '',
    ...overrides,
  };
}

function meeting(overrides: Partial<Meeting> = {}): Meeting {
  return {
    id: 'm1' as MeetingId,
    createdAt: MEETING_AT,
    updatedAt: MEETING_AT,
    type: 'residents-representatives',
    partyKind: null,
    status: 'agenda',
    scope: { kind: 'list', people: [] },
    invitees: [],
    rules: {},
    convener: { name: '主任', ref: null },
    chair: { name: '主持人', ref: null },
    recorder: { name: '记录人', ref: null },
    title: '居民代表会议',
    startsAt: MEETING_AT,
    place: '会议室',
    noticePublishedOn: null,
    requiredSignatories: [],
    version: 1,
    signatures: [],
    reviews: [],
    versions: [],
    amendments: [],
    actionItems: [],
    caseIds: [],
    resolutionsPublishedOn: null,
    startedAt: null,
    agenda: [item(1)],
    attendees: [],
    ...overrides,
  };
}

describe('allowed actions', () => {
  it('offers something in every status, and amend only once locked', () => {
    for (const status of MEETING_STATUSES) {
      expect(machine.allowedActions(status).length).toBeGreaterThan(0);
      expect(machine.allowedActions(status).includes('amend')).toBe(
        ['signed', 'resolutions-published', 'archived'].includes(status),
      );
    }
  });

  it('refuses a content edit to a locked record as locked, and an early step as a transition', () => {
    expect(machine.checkAction(meeting({ status: 'signed' }), 'edit-minutes')).toMatchObject({
      ok: false,
      error: { code: 'meeting.locked' },
    });
    expect(machine.checkAction(meeting({ status: 'agenda' }), 'sign-off')).toMatchObject({
      ok: false,
      error: { code: 'meeting.transition', params: { status: 'agenda', action: 'sign-off' } },
    });
  });
});

describe('notice', () => {
  it('needs an agenda first', () => {
    expect(machine.publishNotice(meeting({ agenda: [] }), '2026-03-07')).toMatchObject({
      ok: false,
      error: { code: 'meeting.agenda-empty' },
    });
  });

  it('publishes 2 or more days ahead without warning and warns, not refuses, when later', () => {
    expect(machine.publishNotice(meeting(), '2026-03-08')).toEqual({
      ok: true,
      value: { status: 'notice-published', warnings: [] },
    });
    expect(machine.publishNotice(meeting(), '2026-03-09')).toEqual({
      ok: true,
      value: { status: 'notice-published', warnings: [{ code: 'notice-late', params: { days: 1, required: 2 } }] },
    });
  });

  it("asks 15 days for an owners' assembly (物业管理条例 art. 14)", () => {
    const assembly = meeting({ type: 'owners-assembly', scope: { kind: 'compound', compoundId: 'c' as never } });
    const late = machine.publishNotice(assembly, '2026-03-01');
    expect(late.ok && late.value.warnings).toEqual([{ code: 'notice-late', params: { days: 9, required: 15 } }]);
  });

  it('refuses a notice dated after the meeting day', () => {
    expect(machine.publishNotice(meeting(), '2026-03-11')).toMatchObject({
      ok: false,
      error: { code: 'meeting.notice-after-start' },
    });
  });

  it('cannot be published twice', () => {
    expect(machine.publishNotice(meeting({ status: 'notice-published' }), '2026-03-07').ok).toBe(false);
  });
});

describe('sign-in and votes', () => {
  const started = meeting({ status: 'in-progress', attendees: sheet({ expected: 9, present: 5 }) });

  it('signs in only while the meeting is in progress', () => {
    expect(
      machine.signIn(meeting({ status: 'notice-published', attendees: started.attendees }), 'name:v0', 'present', ''),
    ).toMatchObject({
      ok: false,
      error: { code: 'meeting.not-in-progress' },
    });
    expect(machine.signIn({ ...started, status: 'signed' }, 'name:v0', 'present', '')).toMatchObject({
      ok: false,
      error: { code: 'meeting.locked' },
    });
    expect(machine.signIn(started, 'name:v0', 'late', '').ok).toBe(true);
  });

  it('needs a reason for an absence and refuses people not on the sheet', () => {
    expect(machine.signIn(started, 'name:v8', 'absent', ' ')).toMatchObject({
      ok: false,
      error: { code: 'required', field: 'reason' },
    });
    expect(machine.signIn(started, 'name:nobody', 'present', '')).toMatchObject({
      ok: false,
      error: { code: 'meeting.not-expected' },
    });
  });

  it('refuses a vote without quorum and takes it with quorum', () => {
    const vote = { mode: 'by-count', for: 5, against: 0, abstain: 0 } as const;
    expect(machine.recordVote(started, 'item-1' as AgendaItemId, vote, emptySnapshot())).toMatchObject({
      ok: false,
      error: { code: 'meeting.quorum-not-reached', params: { reason: 'headcount-short' } },
    });
    const quorate = { ...started, attendees: sheet({ expected: 9, present: 6 }) };
    expect(machine.recordVote(quorate, 'item-1' as AgendaItemId, vote, emptySnapshot()).ok).toBe(true);
    expect(machine.recordVote(quorate, 'nope' as AgendaItemId, vote, emptySnapshot())).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('lets a practice meeting vote below its advisory quorum, with the warning', () => {
    const courtyard = {
      ...started,
      attendees: sheet({ expected: 9, present: 3 }),
      type: 'courtyard' as const,
      scope: { kind: 'zone' as const, zoneId: 'z' as never },
    };
    const result = machine.recordVote(
      courtyard,
      'item-1' as AgendaItemId,
      { mode: 'by-count', for: 3, against: 0, abstain: 0 },
      emptySnapshot(),
    );
    expect(result).toEqual({ ok: true, value: { warnings: [{ code: 'quorum-advisory' }] } });
  });
});

describe('sign-off, locking and amendment', () => {
  const review = meeting({ status: 'under-review', requiredSignatories: [{ name: '居民代表甲', ref: null }] });
  const at = MEETING_AT;

  it('needs host, recorder and every required signatory', () => {
    expect(machine.signOff(review)).toMatchObject({
      ok: false,
      error: { code: 'meeting.signatures-missing', params: { missing: 'host、recorder、居民代表甲' } },
    });
    const signed = {
      ...review,
      signatures: [
        { role: 'host' as const, name: '主持人', key: null, at },
        { role: 'recorder' as const, name: '记录人', key: null, at },
      ],
    };
    expect(machine.missingSignatures(signed)).toEqual(['居民代表甲']);
    const all = {
      ...signed,
      signatures: [...signed.signatures, { role: 'signatory' as const, name: '居民代表甲', key: null, at }],
    };
    expect(machine.signOff(all)).toEqual({ ok: true, value: { status: 'signed', warnings: [] } });
  });

  it('amends only a locked record, back to the draft', () => {
    expect(machine.amend(meeting({ status: 'minutes-drafted' }))).toMatchObject({
      ok: false,
      error: { code: 'meeting.transition' },
    });
    for (const status of ['signed', 'resolutions-published', 'archived'] as const) {
      expect(machine.amend(meeting({ status }))).toEqual({
        ok: true,
        value: { status: 'minutes-drafted', warnings: [] },
      });
    }
  });

  it('publishes resolutions only after sign-off', () => {
    expect(machine.publishResolutions(meeting({ status: 'under-review' })).ok).toBe(false);
    expect(machine.publishResolutions(meeting({ status: 'signed' }))).toMatchObject({
      ok: true,
      value: { status: 'resolutions-published' },
    });
  });

  it('reports content that changed after signing, and nothing for an untouched record', () => {
    const base = meeting({
      status: 'signed',
      attendees: sheet({ expected: 2, present: 2 }),
      agenda: [item(1, { minutes: '讨论了停车问题' })],
    });
    const signed = {
      ...base,
      versions: [{ version: 1, signedAt: at, signatures: [], content: machine.contentOf(base) }],
    };
    expect(machine.editsAfterLock(signed)).toEqual([]);
    const edited = { ...signed, agenda: [item(1, { minutes: '讨论了停车问题，补充一句' })] };
    expect(machine.editsAfterLock(edited)).toEqual(['agenda.item-1.minutes']);
    expect(machine.editsAfterLock({ ...edited, status: 'minutes-drafted' })).toEqual([]);
  });
});

describe('action items and archive', () => {
  const action = {
    id: 'a1' as ActionItemId,
    agendaItemId: null,
    title: '修路灯',
    owner: { name: '物业经理', ref: null },
    deadline: '2026-03-20',
    done: false,
    doneAt: null,
    answer: '',
    createdAt: MEETING_AT,
  };

  it('tracks action items after the record is locked', () => {
    expect(
      machine.completeActionItem(meeting({ status: 'resolutions-published', actionItems: [action] }), 'a1').ok,
    ).toBe(true);
    expect(
      machine.completeActionItem(meeting({ status: 'signed', actionItems: [{ ...action, done: true }] }), 'a1'),
    ).toMatchObject({
      ok: false,
      error: { code: 'meeting.action-done' },
    });
    expect(machine.addActionItem(meeting({ status: 'agenda' }), null).ok).toBe(false);
  });

  it('archives only with resolutions published and every action item answered', () => {
    const voted = [item(1, { vote: { mode: 'by-count', for: 6, against: 0, abstain: 0 } })];
    expect(machine.archive(meeting({ status: 'signed', agenda: voted }))).toMatchObject({
      ok: false,
      error: { code: 'meeting.resolutions-unpublished' },
    });
    expect(machine.archive(meeting({ status: 'signed', agenda: [item(1)] })).ok).toBe(true);
    expect(
      machine.archive(meeting({ status: 'resolutions-published', agenda: voted, actionItems: [action] })),
    ).toMatchObject({
      ok: false,
      error: { code: 'meeting.action-items-open', params: { count: 1 } },
    });
    expect(
      machine.archive(
        meeting({ status: 'resolutions-published', agenda: voted, actionItems: [{ ...action, done: true }] }),
      ).ok,
    ).toBe(true);
  });
});
