/**
 * A small community of party-building and resources records, written in the documents' own layouts, with every
 * dashboard figure counted by hand for November 2026 as of Wednesday 18 November (partyFigures.test.ts,
 * resourcesFigures.test.ts). Records written after the 18th, dated outside November or cancelled are there to be
 * left out.
 *
 * Registry: party members m1-m4 (m5 tagged but moved away, r6 not a member); units u1 (报到 2026-05-20), u2
 * (2026-11-05); posts p1 (capacity 2), p2 (1), p3 (3, withdrawn); rooms v1 党员活动室, v2 多功能厅; a project at each
 * stage (j1 published 11-03; j4 rated 5 and 4, j5 rated 3); fund entries below.
 */
import * as Y from 'yjs';
import type { Booking } from '@shared/domain/resources/types';
import type { PartyRecords } from '@shared/ydoc/party';
import { insertPartyRecord } from '@shared/ydoc/party';
import { insertRecord, setFields } from '@shared/ydoc/registry';
import { putAttendance, putBooking } from '@shared/ydoc/resources';

export const PERIOD = { from: '2026-11-01', to: '2026-11-30', asOf: '2026-11-18' } as const;

const by = { userId: 'u-office', userName: '党建专干 刘芳' };
let n = 0;
/** The instant a record was written: 10:00 China time of the day. */
const at = (day: string) => `${day}T02:00:00.000Z`;
const stamp = (written: string) => ({ id: `r${String(++n).padStart(3, '0')}`, at: at(written), by });

function put<M extends keyof PartyRecords>(doc: Y.Doc, map: M, record: PartyRecords[M]): PartyRecords[M] {
  if (!insertPartyRecord(doc, map, record.id, record)) throw new Error(`taken: ${record.id}`);
  return record;
}

export function fixtureRegistry(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    const resident = (id: string, tags: string[], partyCheckIn: string | null, deletedAt: string | null = null) =>
      insertRecord(doc, 'residents', id, {
        id,
        name: id,
        sex: 'male',
        birthDate: '1970-01-01',
        idNumber: '',
        phone: null,
        householdId: 'h1',
        relation: 'self',
        tags,
        partyCheckIn,
        note: '',
        deletedAt,
        createdAt: at('2026-01-01'),
        updatedAt: at('2026-01-01'),
      });
    resident('m1', ['party-member'], '2026-03-10');
    resident('m2', ['party-member'], null);
    resident('m3', ['party-member', 'elderly-alone'], '2025-12-01');
    resident('m4', ['party-member'], null);
    resident('m5', ['party-member'], '2026-01-01', at('2026-06-01'));
    resident('r6', [], null);
    const unit = (id: string, checkedInOn: string) =>
      insertRecord(doc, 'units', id, {
        id,
        name: id,
        kind: 'agency',
        partyOrg: '',
        contact: '',
        phone: '',
        address: '',
        checkedInOn,
        agreement: null,
        partTimeMembers: [],
        createdAt: at(checkedInOn),
        updatedAt: at(checkedInOn),
      });
    unit('u1', '2026-05-20');
    unit('u2', '2026-11-05');
    const post = (id: string, capacity: number, withdrawn: boolean) =>
      insertRecord(doc, 'posts', id, {
        id,
        title: id,
        kind: 'post',
        category: 'governance',
        content: '',
        capacity,
        withdrawn,
        createdAt: at('2026-01-01'),
        updatedAt: at('2026-01-01'),
      });
    post('p1', 2, false);
    post('p2', 1, false);
    post('p3', 3, true);
    for (const [id, name] of [
      ['v1', '党员活动室'],
      ['v2', '多功能厅'],
    ] as const) {
      insertRecord(doc, 'venues', id, {
        id,
        name,
        capacity: 40,
        equipment: [],
        note: '',
        createdAt: at('2026-01-01'),
        updatedAt: at('2026-01-01'),
      });
    }
    const project = (id: string, status: string, publishedOn: string, ratings: number[]) => {
      insertRecord(doc, 'projects', id, {
        id,
        title: id,
        need: '',
        publishedOn,
        venueId: null,
        status,
        decidedOn: status === 'published' ? null : publishedOn,
        refusalReason: status === 'refused' ? '过度商业化' : '',
        contract: null,
        createdAt: at(publishedOn),
        updatedAt: at(publishedOn),
      });
      ratings.forEach((score, i) =>
        setFields(doc, 'projects', id, {
          [`rating.m${i + 1}`]: { residentId: `m${i + 1}`, score, note: '', at: at('2026-11-10'), by: 'u-office' },
        }),
      );
    };
    project('j1', 'published', '2026-11-03', []);
    project('j2', 'approved', '2026-09-01', []);
    project('j3', 'refused', '2026-09-15', []);
    project('j4', 'contracted', '2026-06-01', [5, 4]);
    project('j5', 'closed', '2026-10-01', [3]);
    const entry = (
      id: string,
      fund: string,
      kind: 'income' | 'spending',
      amount: number,
      date: string,
      reverses: string | null = null,
    ) =>
      insertRecord(doc, 'fundEntries', id, {
        id,
        fund,
        kind,
        amount,
        date,
        category: 'other',
        note: '',
        taskId: null,
        taskYear: null,
        memberId: null,
        reason: '',
        receipts: [],
        reverses,
        createdAt: at(date),
        createdBy: 'u-office',
      });
    entry('f1', 'party', 'income', 100_000, '2026-01-05');
    entry('f2', 'party', 'spending', 20_000, '2026-11-10');
    entry('f3', 'party', 'spending', 5_000, '2026-11-20');
    entry('f4', 'development', 'income', 50_000, '2026-11-02');
    entry('f5', 'development', 'spending', 10_000, '2026-11-03');
    entry('f6', 'development', 'income', 10_000, '2026-11-04', 'f5');
    entry('f7', 'care', 'income', 30_000, '2025-12-01');
    entry('f8', 'care', 'spending', 2_000, '2025-12-15');
    entry('f9', 'care', 'spending', 3_000, '2026-11-12');
  });
  return doc;
}

const member = (id: string) => ({ kind: 'member' as const, id });
const unit = (id: string) => ({ kind: 'unit' as const, id });

/** The activities documents of 2025 and 2026. */
export function fixtureActivities(): { 2025: Y.Doc; 2026: Y.Doc } {
  const last = new Y.Doc();
  const doc = new Y.Doc();
  const checkIn = (d: Y.Doc, subject: { kind: 'member' | 'unit'; id: string }, on: string, written = on) =>
    put(d, 'checkIns', {
      ...stamp(written),
      subject,
      kind: 'first',
      on,
      channel: 'offline',
      workplace: '',
      note: '',
    });
  checkIn(last, member('m3'), '2025-12-01');
  checkIn(doc, member('m1'), '2026-03-10');
  checkIn(doc, member('m1'), '2026-09-01');
  checkIn(doc, member('m1'), '2026-11-12');
  checkIn(doc, member('m4'), '2026-05-10');
  checkIn(doc, member('m4'), '2026-11-25');
  checkIn(doc, member('m2'), '2026-11-17', '2026-11-19');
  checkIn(doc, member('m5'), '2026-11-02');
  checkIn(doc, unit('u1'), '2026-05-20');
  checkIn(doc, unit('u2'), '2026-11-05');

  const claim = (d: Y.Doc, postId: string, claimant: { kind: 'member' | 'unit'; id: string }, on: string, w = on) =>
    put(d, 'claims', { ...stamp(w), postId, claimant, on });
  claim(doc, 'p1', member('m1'), '2026-03-12');
  claim(doc, 'p1', unit('u1'), '2026-06-01');
  claim(doc, 'p2', member('m4'), '2026-11-15', '2026-11-19');
  claim(doc, 'p3', member('m2'), '2026-04-01');
  claim(last, 'p2', member('m3'), '2025-12-05');

  const service = (
    subject: { kind: 'member' | 'unit'; id: string },
    on: string,
    hours: number,
    rating: number | null,
  ) => put(doc, 'serviceRecords', { ...stamp(on), subject, postId: null, on, hours, content: '服务', rating });
  service(member('m1'), '2026-11-02', 2, 5);
  service(member('m1'), '2026-11-09', 1.5, null);
  service(member('m4'), '2026-11-10', 3, 4);
  service(unit('u1'), '2026-11-11', 4, 3);
  service(member('m2'), '2026-11-16', 0.5, 2);
  service(member('m4'), '2026-10-30', 2, 5);
  service(member('m1'), '2026-11-20', 1, 5);

  const patrol = (startsAt: string, findings: number) =>
    put(doc, 'patrols', {
      ...stamp(startsAt.slice(0, 10)),
      route: '一环路',
      startsAt,
      endsAt: startsAt,
      patrollerIds: ['m1'],
      findings: Array.from({ length: findings }, (_, i) => ({ text: `发现${i + 1}`, place: '' })),
    });
  const link = (source: 'patrol' | 'concern' | 'session', recordId: string, item: number, written: string) =>
    put(doc, 'outLinks', {
      ...stamp(written),
      source,
      recordId,
      item,
      target: source === 'session' ? 'case' : 'incident',
      ref: `2026/${recordId}-${item}`,
    });
  const p1 = patrol('2026-11-03T09:00:00+08:00', 2);
  link('patrol', p1.id, 0, '2026-11-03');
  // 00:30 in China on 1 November is still 31 October in UTC: the patrol is November's.
  patrol('2026-11-01T00:30:00+08:00', 1);
  const p3 = patrol('2026-10-28T09:00:00+08:00', 3);
  link('patrol', p3.id, 0, '2026-10-28');

  const concern = (on: string) =>
    put(doc, 'concerns', { ...stamp(on), on, collectorId: 'm1', residentId: null, place: '', content: '路灯坏了' });
  link('concern', concern('2026-11-05').id, 0, '2026-11-05');
  link('concern', concern('2026-11-06').id, 0, '2026-11-19');
  concern('2026-11-15');
  concern('2026-10-20');

  const volunteer = (volunteerId: string, on: string, hours: number) =>
    put(doc, 'volunteerHours', { ...stamp(on), volunteerId, on, hours, activity: '清洁' });
  volunteer('m1', '2026-11-02', 2);
  volunteer('m1', '2026-11-09', 3);
  volunteer('m2', '2026-11-10', 1.5);
  volunteer('m3', '2026-10-15', 4);

  const session = (kind: 'lecture' | 'stage' | 'teahouse', on: string, attendees: number) =>
    put(doc, 'sessions', {
      ...stamp(on),
      kind,
      on,
      topic: '政策宣讲',
      speaker: '王书记',
      attendeeIds: Array.from({ length: attendees }, (_, i) => `a${i}`),
      outcome: '',
    });
  session('lecture', '2026-11-04', 3);
  session('lecture', '2026-11-14', 2);
  session('stage', '2026-11-08', 4);
  link('session', session('teahouse', '2026-11-12', 2).id, 0, '2026-11-12');
  session('teahouse', '2026-10-10', 5);

  const booking = (
    id: string,
    venueId: string,
    date: string,
    start: string,
    end: string,
    extra: Partial<Booking> = {},
  ) =>
    putBooking(doc, {
      id,
      venueId,
      date,
      start,
      end,
      repeat: null,
      purpose: '活动',
      organiser: '社区',
      provider: '',
      residentId: null,
      fee: 'free',
      expected: 10,
      status: 'active',
      cancelReason: '',
      createdAt: at('2026-10-01'),
      createdBy: 'u-office',
      updatedAt: at('2026-10-01'),
      ...extra,
    });
  doc.transact(() => {
    booking('b1', 'v1', '2026-11-03', '09:00', '11:00');
    booking('b2', 'v1', '2026-11-03', '10:00', '12:00');
    booking('b3', 'v1', '2026-11-02', '16:30', '18:00', {
      repeat: { weekdays: [1, 3], until: '2026-11-30' },
      purpose: '四点半课堂',
      provider: '阳光社工',
    });
    booking('b4', 'v2', '2026-11-20', '14:00', '16:00');
    booking('b5', 'v2', '2026-11-05', '09:00', '10:00', { status: 'cancelled', cancelReason: '改期' });
    booking('b6', 'v2', '2026-10-30', '09:00', '10:00');
    const count = (bookingId: string, date: string, c: number) =>
      putAttendance(doc, { bookingId, date, count: c, recordedAt: at(date), recordedBy: 'u-office' });
    count('b3', '2026-11-02', 12);
    count('b3', '2026-11-04', 10);
    count('b3', '2026-11-23', 9);
    count('b1', '2026-11-03', 20);
    count('b6', '2026-10-30', 7);
  });
  return { 2025: last, 2026: doc };
}
