/**
 * The 双报到 Excel rules (docs/party-model.md, "Excel"): the roster's check-in state per member and unit, the hours
 * per member and volunteer of a year, and the planning of a members' check-in roster import: the header found below
 * a title, members matched by name (and address when two share it), each bad row kept with its reasons, rows already
 * recorded or repeated in the file not written again.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { recordCheckIn } from '@shared/domain/party/commands';
import {
  memberHourRows,
  planRosterImport,
  rosterDay,
  rosterRows,
  volunteerHourRows,
  type RosterMember,
} from '@shared/domain/party/roster';
import type { ServiceRecord } from '@shared/domain/party/types';
import { listPartyRecords } from '@shared/ydoc/party';
import { ctxAt, MEMBER, MEMBER2, must, registryDoc } from './fixtures';

const members: RosterMember[] = [
  { id: MEMBER, name: '王建国', address: '锦绣花园 3栋301', partyCheckIn: null },
  { id: MEMBER2, name: '李秀英', address: '锦绣花园 5栋102', partyCheckIn: '2025-12-01' },
  { id: 'res-li2', name: '李秀英', address: '滨江小区 1栋201', partyCheckIn: null },
];

const stamp = { at: '2026-01-01T00:00:00Z', by: { userId: 'u', userName: '刘芳' } };
const checkIn = (id: string, on: string, workplace = '') => ({
  ...stamp,
  id: `c-${id}-${on}`,
  subject: { kind: 'member' as const, id },
  kind: 'first' as const,
  on,
  channel: 'offline' as const,
  workplace,
  note: '',
});

describe('the roster', () => {
  it('gives each member and unit its first and last check-in, the re-check-in due and whether it is overdue', () => {
    const rows = rosterRows(
      members.slice(0, 2),
      [{ id: 'unit-1', name: '南充市第一中学', checkedInOn: '2026-01-10' }],
      [checkIn(MEMBER, '2026-03-02', '第一中学'), checkIn(MEMBER, '2026-09-10')],
      '2026-11-18',
    );
    expect(rows.map((r) => [r.kind, r.name, r.state.first, r.state.last, r.state.due, r.state.status])).toEqual([
      ['member', '王建国', '2026-03-02', '2026-09-10', '2027-03-10', 'ok'],
      ['member', '李秀英', '2025-12-01', '2025-12-01', '2026-06-01', 'due'],
      ['unit', '南充市第一中学', '2026-01-10', '2026-01-10', '2026-07-10', 'due'],
    ]);
    // The workplace of the latest check-in that named one.
    expect(rows[0]?.workplace).toBe('第一中学');
    expect(rows[0]?.checkIns).toBe(2);
  });

  it('totals a year’s service hours per member (0 for none) and volunteer hours per volunteer', () => {
    const service = (id: string, on: string, hours: number) =>
      ({
        ...stamp,
        id: `s-${on}`,
        subject: { kind: 'member', id },
        postId: null,
        on,
        hours,
        content: 'x',
        rating: null,
      }) as ServiceRecord;
    expect(
      memberHourRows(
        [MEMBER, MEMBER2],
        [service(MEMBER, '2026-03-01', 2.5), service(MEMBER, '2026-04-01', 1), service(MEMBER, '2025-04-01', 9)],
        2026,
      ),
    ).toEqual([
      { memberId: MEMBER, services: 2, hours: 3.5 },
      { memberId: MEMBER2, services: 0, hours: 0 },
    ]);
    const hours = (id: string, on: string, h: number) => ({
      ...stamp,
      id: `v-${id}-${on}`,
      volunteerId: id,
      on,
      hours: h,
      activity: 'x',
    });
    expect(
      volunteerHourRows(
        [hours('a', '2026-01-02', 1), hours('b', '2026-01-02', 3), hours('a', '2026-02-02', 1.5)],
        2026,
      ),
    ).toEqual([
      { volunteerId: 'b', hours: 3, times: 1 },
      { volunteerId: 'a', hours: 2.5, times: 2 },
    ]);
  });
});

describe('planning a members’ check-in roster import', () => {
  const grid = [
    ['锦绣社区党员报到名册'],
    ['姓名', '住址', '报到日期', '报到方式', '工作单位'],
    ['王建国', '', '2026/3/2', '线下', '南充市第一中学'],
    ['', '', '', '', ''],
    ['李秀英', '5栋', '2026年4月1日', '线上', ''],
    ['李秀英', '', '2026-04-02', '', ''],
    ['张三丰', '', '2026-04-02', '', ''],
    ['王建国', '', '2026-02-30', '电话', ''],
    ['王建国', '', '2027-01-01', '', ''],
    ['王建国', '', '2026-03-02', '', ''],
    ['', '', '2026-03-05', '', ''],
  ];

  it('finds the header under a title and says of each bad row why, keeping every filled row', () => {
    const plan = planRosterImport(grid, members, [], '2026-11-18');
    expect(plan.headerRow).toBe(2);
    expect(plan.rows.map((r) => [r.rowNumber, r.status, r.problems])).toEqual([
      [3, 'new', []],
      [5, 'new', []],
      [6, 'bad', ['member.ambiguous']],
      [7, 'bad', ['member.unknown']],
      [8, 'bad', ['date.invalid', 'channel.invalid']],
      [9, 'bad', ['date.future']],
      [10, 'repeated', []],
      [11, 'bad', ['name.missing']],
    ]);
    expect(plan.rows[0]).toMatchObject({
      memberId: MEMBER,
      on: '2026-03-02',
      channel: 'offline',
      workplace: '南充市第一中学',
    });
    // Two members named 李秀英: the address column picks the one in 5栋.
    expect(plan.rows[1]).toMatchObject({ memberId: MEMBER2, on: '2026-04-01', channel: 'online' });
    expect(plan.rows[6]?.cells).toEqual(['王建国', '', '2026-03-02', '', '']);
  });

  it('writes nothing twice: imported once through recordCheckIn, the same file plans no new row', () => {
    const registry = registryDoc();
    const doc = new Y.Doc();
    const first = planRosterImport(grid, members.slice(0, 2), [], '2026-11-18');
    for (const row of first.rows.filter((r) => r.status === 'new')) {
      must(
        recordCheckIn(
          doc,
          ctxAt('2026-11-18'),
          {
            subject: { kind: 'member', id: row.memberId ?? '' },
            on: row.on,
            channel: row.channel,
            workplace: row.workplace,
          },
          { registry },
        ),
      );
    }
    const recorded = listPartyRecords(doc, 'checkIns');
    expect(recorded.map((c) => [c.subject.id, c.on, c.kind])).toEqual([
      [MEMBER, '2026-03-02', 'first'],
      [MEMBER2, '2026-04-01', 'first'],
      // With one 李秀英 among the members, the row without an address is hers.
      [MEMBER2, '2026-04-02', 'recheck'],
    ]);
    const again = planRosterImport(grid, members.slice(0, 2), recorded, '2026-11-18');
    expect(again.rows.filter((r) => r.status === 'new')).toEqual([]);
    expect(again.rows.filter((r) => r.status === 'exists').map((r) => r.rowNumber)).toEqual([3, 5, 6, 10]);
  });

  it('finds no header in a sheet without 姓名 and 报到日期 columns', () => {
    expect(
      planRosterImport(
        [
          ['名字', '时间'],
          ['王建国', '2026-03-02'],
        ],
        members,
        [],
        '2026-11-18',
      ),
    ).toEqual({
      headerRow: null,
      headers: [],
      rows: [],
    });
  });

  it('reads the day as offices type it and refuses days that do not exist', () => {
    expect(['2026-3-2', '2026/03/02', '2026.3.2', '2026年3月2日', ' 2026-03-02 '].map(rosterDay)).toEqual(
      Array(5).fill('2026-03-02'),
    );
    expect(['2026-02-30', '2026-13-01', '3/2/2026', '', '2026'].map(rosterDay)).toEqual(Array(5).fill(null));
  });
});
