/**
 * The party-building rules (docs/party-model.md): 双报到 check-ins (first, half-yearly re-check-in due, the 民主评议 flag),
 * claims, service hours, the 三平台 members, the links of a finding, a grievance and a 要事联商 record to the other
 * domains, and who may write. Each test fails when its rule is removed.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  claimPost,
  createPlatform,
  createPost,
  recordCheckIn,
  recordConcern,
  recordLink,
  recordPatrol,
  recordService,
  recordSession,
  recordVolunteerHours,
  registerUnit,
  setPlatformMembers,
  signAgreement,
  withdrawPost,
  type PartyEnv,
} from '@shared/domain/party/commands';
import { deliberationToMeeting, grievanceToCase, sourceOf, toGridEvent } from '@shared/domain/party/actions';
import {
  addMonths,
  appraisalRows,
  checkInState,
  checkInsOf,
  feedbackSheet,
  threeLists,
  volunteerTotals,
} from '@shared/domain/party/rules';
import { listPartyRecords, readPartyAudit } from '@shared/ydoc/party';
import { listRecords, readRecord, snapshotRegistry } from '@shared/ydoc/registry';
import { listIncidents } from '@shared/ydoc/incidents';
import { DEFAULT_LIMITS } from '@shared/domain/incidents/limits';
import { listCases } from '@shared/ydoc/cases';
import type { CompoundId } from '@shared/domain/registry/types';
import { COMPOUND, ctxAt, GONE, MEMBER, MEMBER2, must, OTHER_COMPOUND, registryDoc, RESIDENT } from './fixtures';

function setup() {
  const registry = registryDoc();
  const doc = new Y.Doc();
  const env: PartyEnv = { registry };
  return { registry, doc, env };
}

const member = (id: string) => ({ kind: 'member' as const, id });

function post(registry: Y.Doc, capacity = 2, kind: 'need' | 'post' = 'post') {
  return must(createPost(registry, ctxAt('2026-01-05'), { title: '楼道清洁', kind, category: 'governance', capacity }));
}

describe('双报到 check-ins', () => {
  it('makes the first check-in first and every later one a re-check-in, from the registry and last year too', () => {
    const { registry, doc, env } = setup();
    const first = must(recordCheckIn(doc, ctxAt('2026-03-02'), { subject: member(MEMBER), on: '2026-03-02' }, env));
    const again = must(recordCheckIn(doc, ctxAt('2026-09-10'), { subject: member(MEMBER), on: '2026-09-10' }, env));
    const kinds = Object.fromEntries(listPartyRecords(doc, 'checkIns').map((c) => [c.id, c.kind]));
    expect(kinds[first]).toBe('first');
    expect(kinds[again]).toBe('recheck');

    // 李秀英 checked in last year (another document): this year's is a re-check-in.
    const lastYear = new Y.Doc();
    must(recordCheckIn(lastYear, ctxAt('2025-10-01'), { subject: member(MEMBER2), on: '2025-10-01' }, { registry }));
    const li = must(
      recordCheckIn(doc, ctxAt('2026-03-03'), { subject: member(MEMBER2), on: '2026-03-03' }, { registry, lastYear }),
    );
    expect(listPartyRecords(doc, 'checkIns').find((c) => c.id === li)?.kind).toBe('recheck');
    // Without last year's document it would have been a first one.
    const other = new Y.Doc();
    must(recordCheckIn(other, ctxAt('2026-03-03'), { subject: member(MEMBER2), on: '2026-03-03' }, { registry }));
    expect(listPartyRecords(other, 'checkIns')[0]?.kind).toBe('first');
  });

  it('refuses a resident who is not a party member, one who moved away, a future day and a second on one day', () => {
    const { doc, env } = setup();
    const at = ctxAt('2026-03-02');
    const refused = (subject: { kind: 'member'; id: string }, on = '2026-03-02') =>
      recordCheckIn(doc, at, { subject, on }, env);
    expect(refused(member(RESIDENT))).toMatchObject({ ok: false, error: { code: 'party-org.not-member' } });
    expect(refused(member(GONE))).toMatchObject({ ok: false, error: { code: 'not-found', field: 'subject' } });
    expect(refused(member(MEMBER), '2026-03-03')).toMatchObject({ ok: false, error: { code: 'date.future' } });
    must(refused(member(MEMBER)));
    expect(refused(member(MEMBER))).toMatchObject({
      ok: false,
      error: { code: 'invalid', params: { rule: 'checkin.same-day' } },
    });
    expect(listPartyRecords(doc, 'checkIns')).toHaveLength(1);
  });

  it('has the half-yearly re-check-in due six months after the last check-in', () => {
    const { doc, env } = setup();
    must(recordCheckIn(doc, ctxAt('2026-01-15'), { subject: member(MEMBER), on: '2026-01-15' }, env));
    const mine = checkInsOf(listPartyRecords(doc, 'checkIns'), member(MEMBER));
    expect(checkInState(null, mine, '2026-07-14')).toMatchObject({ status: 'ok', due: '2026-07-15' });
    expect(checkInState(null, mine, '2026-07-15')).toMatchObject({ status: 'due', last: '2026-01-15' });
    expect(checkInState(null, [], '2026-07-15').status).toBe('never');
    // The registry's 报到 day counts as a check-in.
    expect(checkInState('2026-05-01', mine, '2026-07-15')).toMatchObject({ status: 'ok', due: '2026-11-01' });
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
  });

  it('flags for 民主评议 a member who never checked in that year, with each member’s check-ins, hours and rating', () => {
    const { registry, doc, env } = setup();
    const id = post(registry);
    must(recordCheckIn(doc, ctxAt('2026-03-02'), { subject: member(MEMBER), on: '2026-03-02' }, env));
    must(claimPost(doc, ctxAt('2026-03-02'), { postId: id, claimant: member(MEMBER), on: '2026-03-02' }, env));
    const serve = (on: string, hours: number, rating: number | null) =>
      must(
        recordService(doc, ctxAt(on), { subject: member(MEMBER), postId: id, on, hours, content: '清扫', rating }, env),
      );
    serve('2026-03-10', 2, 5);
    serve('2026-04-10', 1.5, 4);
    serve('2026-05-10', 3, null);
    // 李秀英 served without checking in: her hours count, the flag stays.
    must(
      recordService(
        doc,
        ctxAt('2026-05-01'),
        { subject: member(MEMBER2), on: '2026-05-01', hours: 2, content: '义诊', rating: 5 },
        env,
      ),
    );
    const rows = appraisalRows(
      2026,
      [MEMBER, MEMBER2],
      listPartyRecords(doc, 'checkIns'),
      listPartyRecords(doc, 'serviceRecords'),
      '2026-12-31',
    );
    expect(rows[0]).toMatchObject({
      memberId: MEMBER,
      checkIns: ['2026-03-02'],
      services: 3,
      hours: 6.5,
      rating: 4.5,
      neverCheckedIn: false,
      // No check-in in the second half of the year: the re-check-in was missed.
      missedHalf: true,
    });
    expect(rows[1]).toMatchObject({ memberId: MEMBER2, neverCheckedIn: true, hours: 2, services: 1 });
    // Before the year ends the second half is not missed yet.
    expect(appraisalRows(2026, [MEMBER], listPartyRecords(doc, 'checkIns'), [], '2026-09-01')[0]?.missedHalf).toBe(
      false,
    );
  });
});

describe('service posts', () => {
  it('refuses claiming a post twice, past its capacity, or once withdrawn', () => {
    const { registry, doc, env } = setup();
    const id = post(registry, 1);
    const claim = (claimant: { kind: 'member' | 'unit'; id: string }) =>
      claimPost(doc, ctxAt('2026-03-02'), { postId: id, claimant, on: '2026-03-02' }, env);
    must(claim(member(MEMBER)));
    expect(claim(member(MEMBER))).toMatchObject({ ok: false, error: { params: { rule: 'post.claimed' } } });
    expect(claim(member(MEMBER2))).toMatchObject({ ok: false, error: { params: { rule: 'post.full', capacity: 1 } } });
    expect(listPartyRecords(doc, 'claims')).toHaveLength(1);

    const unit = must(
      registerUnit(registry, ctxAt('2026-02-01'), { name: '区税务局', kind: 'agency', checkedInOn: '2026-02-01' }),
    );
    const open = post(registry, 5);
    must(withdrawPost(registry, ctxAt('2026-03-01'), { postId: open }));
    expect(
      claimPost(
        doc,
        ctxAt('2026-03-02'),
        { postId: open, claimant: { kind: 'unit', id: unit }, on: '2026-03-02' },
        env,
      ),
    ).toMatchObject({ ok: false, error: { params: { rule: 'post.withdrawn' } } });
  });

  it('takes service hours that are positive, in half hours and at most 24 per record, against a claimed post only', () => {
    const { registry, doc, env } = setup();
    const id = post(registry);
    const serve = (hours: number, postId: string | null = null) =>
      recordService(
        doc,
        ctxAt('2026-03-02'),
        { subject: member(MEMBER), postId, on: '2026-03-02', hours, content: '陪护', rating: null },
        env,
      );
    for (const bad of [0, -1, 24.5, 1.3]) {
      expect(serve(bad)).toMatchObject({
        ok: false,
        error: { code: bad > 24 ? 'too-long' : 'invalid', field: 'hours' },
      });
    }
    must(serve(24));
    must(serve(0.5));
    expect(serve(2, id)).toMatchObject({ ok: false, error: { params: { rule: 'post.not-claimed' } } });
    expect(listPartyRecords(doc, 'serviceRecords').map((r) => r.hours)).toEqual([24, 0.5]);
  });

  it('lists the 三清单 and the quarter’s feedback sheet for the employer', () => {
    const { registry, doc, env } = setup();
    const need = post(registry, 3, 'need');
    const standing = post(registry, 3, 'post');
    const unit = must(
      registerUnit(registry, ctxAt('2026-02-01'), { name: '区税务局', kind: 'agency', checkedInOn: '2026-02-01' }),
    );
    must(
      registerUnit(registry, ctxAt('2026-02-01'), { name: '某商场', kind: 'private-firm', checkedInOn: '2026-02-01' }),
    );
    must(
      signAgreement(registry, ctxAt('2026-02-02'), {
        unitId: unit,
        agreement: { signedOn: '2026-02-02', until: '2027-02-01', content: '共建文明楼道' },
      }),
    );
    expect(
      signAgreement(registry, ctxAt('2026-02-02'), {
        unitId: unit,
        agreement: { signedOn: '2026-02-02', until: '2026-01-01', content: '倒签' },
      }),
    ).toMatchObject({ ok: false, error: { field: 'agreement.until' } });
    must(claimPost(doc, ctxAt('2026-04-02'), { postId: standing, claimant: member(MEMBER), on: '2026-04-02' }, env));
    must(
      recordCheckIn(
        doc,
        ctxAt('2026-04-01'),
        { subject: member(MEMBER), on: '2026-04-01', workplace: '南充市第一中学' },
        env,
      ),
    );
    must(
      recordService(
        doc,
        ctxAt('2026-05-03'),
        { subject: member(MEMBER), postId: standing, on: '2026-05-03', hours: 2, content: '清扫', rating: 4 },
        env,
      ),
    );
    must(
      recordService(
        doc,
        ctxAt('2026-07-03'),
        { subject: member(MEMBER), postId: standing, on: '2026-07-03', hours: 3, content: '清扫', rating: 2 },
        env,
      ),
    );
    const lists = threeLists(
      listRecords(registry, 'posts'),
      listPartyRecords(doc, 'claims'),
      listRecords(registry, 'units'),
      '2026-06-01',
    );
    expect(lists.needs.map((l) => l.post.id)).toEqual([need]);
    expect(lists.supply.map((l) => [l.post.id, l.claims.length])).toEqual([[standing, 1]]);
    expect(lists.cooperation.map((u) => u.id)).toEqual([unit]);

    const sheet = feedbackSheet(
      MEMBER,
      2026,
      2,
      listPartyRecords(doc, 'checkIns'),
      listPartyRecords(doc, 'serviceRecords'),
      listPartyRecords(doc, 'claims'),
    );
    expect(sheet).toMatchObject({ workplace: '南充市第一中学', checkIns: ['2026-04-01'], hours: 2, rating: 4 });
    expect(sheet.postIds).toEqual([standing]);
  });
});

describe('三红三百', () => {
  it('totals each 小红帽 volunteer’s hours per year', () => {
    const { doc, env } = setup();
    const log = (volunteerId: string, on: string, hours: number) =>
      must(recordVolunteerHours(doc, ctxAt(on), { volunteerId, on, hours, activity: '文明劝导' }, env));
    log(MEMBER, '2026-02-01', 2);
    log(MEMBER, '2026-03-01', 3.5);
    log(RESIDENT, '2026-03-01', 1);
    log(RESIDENT, '2025-12-30', 8);
    expect(volunteerTotals(listPartyRecords(doc, 'volunteerHours'), 2026)).toEqual([
      { volunteerId: MEMBER, hours: 5.5, times: 2 },
      { volunteerId: RESIDENT, hours: 1, times: 1 },
    ]);
    expect(
      recordVolunteerHours(
        doc,
        ctxAt('2026-03-01'),
        { volunteerId: MEMBER, on: '2026-03-01', hours: 25, activity: 'x' },
        env,
      ),
    ).toMatchObject({ ok: false, error: { field: 'hours' } });
  });

  it('turns a patrol finding into a grid event in one action, linked both ways, once', () => {
    const { doc, env } = setup();
    const patrol = must(
      recordPatrol(
        doc,
        ctxAt('2026-03-02'),
        {
          route: '商业街—步行街',
          startsAt: '2026-03-02T01:00:00Z',
          endsAt: '2026-03-02T02:00:00Z',
          patrollerIds: [MEMBER, RESIDENT],
          findings: [
            { text: '消防通道被堵', place: '步行街 3 号' },
            { text: '路灯不亮', place: '' },
          ],
        },
        env,
      ),
    );
    const incidents = new Y.Doc();
    const ctx = ctxAt('2026-03-02', ['party.edit', 'incidents.edit']);
    const event = {
      title: '消防通道被堵',
      content: '红袖标巡查发现：消防通道被堵',
      occurredAt: '2026-03-02T01:30:00Z',
      place: { text: '步行街 3 号' },
      category: 'security' as const,
      kind: 'complaint' as const,
      reporter: {},
      source: 'patrol' as const,
    };
    const made = must(
      toGridEvent(doc, incidents, ctx, {
        source: 'patrol',
        recordId: patrol,
        item: 0,
        year: 2026,
        community: 'c-1',
        event,
      }),
    );
    const listed = listIncidents(incidents, DEFAULT_LIMITS);
    expect(listed.map((s) => s.base.id)).toEqual([made.id]);
    expect(made.ref).toBe(`2026/${made.id}`);
    // The way back: the event names the patrol's first finding.
    expect(sourceOf(doc, 'incident', made.ref)).toMatchObject({ source: 'patrol', recordId: patrol, item: 0 });
    // Once per finding: the second is refused and reports nothing.
    expect(
      toGridEvent(doc, incidents, ctx, {
        source: 'patrol',
        recordId: patrol,
        item: 0,
        year: 2026,
        community: 'c-1',
        event,
      }),
    ).toMatchObject({ ok: false, error: { params: { rule: 'link.exists' } } });
    expect(
      toGridEvent(doc, incidents, ctx, {
        source: 'patrol',
        recordId: patrol,
        item: 2,
        year: 2026,
        community: 'c-1',
        event,
      }),
    ).toMatchObject({ ok: false, error: { params: { rule: 'link.no-finding' } } });
    // Without the grid-event permission nothing is written at all.
    expect(
      toGridEvent(doc, incidents, ctxAt('2026-03-02'), {
        source: 'patrol',
        recordId: patrol,
        item: 1,
        year: 2026,
        community: 'c-1',
        event,
      }),
    ).toMatchObject({ ok: false, error: { code: 'permission-denied' } });
    expect(listIncidents(incidents, DEFAULT_LIMITS)).toHaveLength(1);
    // Allowed to report events but not to write party records: refused before the event is reported, no orphan.
    expect(
      toGridEvent(doc, incidents, ctxAt('2026-03-02', ['incidents.edit']), {
        source: 'patrol',
        recordId: patrol,
        item: 1,
        year: 2026,
        community: 'c-1',
        event,
      }),
    ).toMatchObject({ ok: false, error: { code: 'permission-denied' } });
    expect(listIncidents(incidents, DEFAULT_LIMITS)).toHaveLength(1);

    // A 红马褂 concern the same way.
    const concern = must(
      recordConcern(
        doc,
        ctxAt('2026-03-02'),
        { on: '2026-03-02', collectorId: MEMBER, residentId: RESIDENT, content: '夜市噪音扰民' },
        env,
      ),
    );
    const second = must(
      toGridEvent(doc, incidents, ctx, {
        source: 'concern',
        recordId: concern,
        year: 2026,
        community: 'c-1',
        event: { ...event, title: '夜市噪音', source: 'volunteer' },
      }),
    );
    expect(sourceOf(doc, 'incident', second.ref)).toMatchObject({ source: 'concern', recordId: concern });
  });

  it('turns a 小茶馆 grievance into a mediation case, linked; a lecture cannot', () => {
    const { registry, doc, env } = setup();
    const session = (kind: 'teahouse' | 'lecture') =>
      must(
        recordSession(
          doc,
          ctxAt('2026-03-05'),
          { kind, on: '2026-03-05', topic: '停车纠纷', speaker: '调解员 陈', attendeeIds: [MEMBER, RESIDENT] },
          env,
        ),
      );
    const tea = session('teahouse');
    const lecture = session('lecture');
    expect(
      recordSession(
        doc,
        ctxAt('2026-03-05'),
        { kind: 'stage', on: '2026-03-05', topic: '演出', speaker: '合唱团', attendeeIds: ['nobody'] },
        env,
      ),
    ).toMatchObject({ ok: false, error: { code: 'not-found', field: 'attendeeIds.0' } });
    const cases = new Y.Doc();
    const ctx = ctxAt('2026-03-05', ['party.edit', 'cases.edit']);
    const intake = {
      place: { address: '锦绣花园 3 栋' },
      source: 'resident-request' as const,
      category: 'parking' as const,
      risk: 'blue' as const,
      parties: [
        { role: 'applicant' as const, name: '张伟' },
        { role: 'respondent' as const, name: '王某' },
      ],
      facts: '车位被占',
    };
    const made = must(grievanceToCase(doc, cases, ctx, { sessionId: tea, year: 2026, intake }, registry));
    expect(listCases(cases).map((c) => c.id)).toEqual([made.id]);
    expect(sourceOf(doc, 'case', made.ref)).toMatchObject({ source: 'session', recordId: tea });
    expect(grievanceToCase(doc, cases, ctx, { sessionId: lecture, year: 2026, intake }, registry)).toMatchObject({
      ok: false,
      error: { params: { rule: 'link.wrong-target' } },
    });
    expect(listCases(cases)).toHaveLength(1);
  });
});

describe('三平台', () => {
  it('takes only residents of the registry as members, one organisation of each kind per compound', () => {
    const { registry } = setup();
    const at = ctxAt('2026-03-01');
    const branch = must(
      createPlatform(registry, at, { compoundId: COMPOUND, kind: 'party-branch', memberIds: [MEMBER, RESIDENT] }),
    );
    expect(readRecord(registry, 'platforms', branch)?.memberIds).toEqual([MEMBER, RESIDENT]);
    expect(
      createPlatform(registry, at, {
        compoundId: COMPOUND,
        kind: 'mediation-committee',
        memberIds: [MEMBER, 'outsider'],
      }),
    ).toMatchObject({ ok: false, error: { code: 'not-found', field: 'memberIds.1' } });
    expect(setPlatformMembers(registry, at, { platformId: branch, memberIds: [GONE] })).toMatchObject({
      ok: false,
      error: { code: 'not-found', field: 'memberIds.0' },
    });
    expect(createPlatform(registry, at, { compoundId: COMPOUND, kind: 'party-branch' })).toMatchObject({
      ok: false,
      error: { params: { rule: 'platform.duplicate' } },
    });
    must(createPlatform(registry, at, { compoundId: OTHER_COMPOUND, kind: 'party-branch' }));
    expect(createPlatform(registry, at, { compoundId: 'nowhere', kind: 'party-branch' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', field: 'compoundId' },
    });
  });

  it('records 四联 with the compound’s own platforms, and a 要事联商 becomes a 三平台 meeting, linked', () => {
    const { registry, doc, env } = setup();
    const at = ctxAt('2026-03-01');
    const branch = must(createPlatform(registry, at, { compoundId: COMPOUND, kind: 'party-branch' }));
    const elsewhere = must(createPlatform(registry, at, { compoundId: OTHER_COMPOUND, kind: 'party-branch' }));
    const record = (kind: 'deliberation' | 'information', platformIds: string[]) =>
      recordLink(doc, at, { compoundId: COMPOUND, kind, on: '2026-03-01', title: '加装电梯', platformIds }, env);
    expect(record('deliberation', [elsewhere])).toMatchObject({
      ok: false,
      error: { params: { rule: 'platform.wrong-compound' } },
    });
    const deliberation = must(record('deliberation', [branch]));
    const info = must(record('information', [branch]));
    const meetings = new Y.Doc();
    const ctx = ctxAt('2026-03-01', ['party.edit', 'meetings.edit']);
    const meeting = {
      type: 'three-platforms' as const,
      title: '加装电梯联席会议',
      scope: { kind: 'compound' as const, compoundId: COMPOUND as CompoundId },
      convener: { name: '刘芳' },
      chair: { name: '刘芳' },
      recorder: { name: '刘芳' },
      startsAt: '2026-03-10T02:00:00.000Z',
      place: '小区议事厅',
    };
    const snapshot = snapshotRegistry(registry);
    const made = must(
      deliberationToMeeting(doc, meetings, ctx, { recordId: deliberation, year: 2026, meeting }, snapshot),
    );
    expect(meetings.getMap('meetings').has(made.id)).toBe(true);
    expect(sourceOf(doc, 'meeting', made.ref)).toMatchObject({ source: 'link-record', recordId: deliberation });
    expect(deliberationToMeeting(doc, meetings, ctx, { recordId: info, year: 2026, meeting }, snapshot)).toMatchObject({
      ok: false,
      error: { params: { rule: 'link.wrong-target' } },
    });
  });
});

describe('permissions', () => {
  it('refuses a viewer every write, in the registry and in the activities document', () => {
    const { registry, doc, env } = setup();
    const viewer = ctxAt('2026-03-01', []);
    expect(
      registerUnit(registry, viewer, { name: '区税务局', kind: 'agency', checkedInOn: '2026-02-01' }),
    ).toMatchObject({ ok: false, error: { code: 'permission-denied' } });
    expect(createPlatform(registry, viewer, { compoundId: COMPOUND, kind: 'party-branch' })).toMatchObject({
      ok: false,
      error: { code: 'permission-denied' },
    });
    expect(recordCheckIn(doc, viewer, { subject: member(MEMBER), on: '2026-03-01' }, env)).toMatchObject({
      ok: false,
      error: { code: 'permission-denied' },
    });
    expect(listRecords(registry, 'units')).toEqual([]);
    expect(listPartyRecords(doc, 'checkIns')).toEqual([]);
    // An editor's write is audited in the same document.
    must(recordCheckIn(doc, ctxAt('2026-03-01'), { subject: member(MEMBER), on: '2026-03-01' }, env));
    expect(readPartyAudit(doc)).toMatchObject([{ action: 'checkIns', userName: '社区 刘芳' }]);
  });
});
