/**
 * The 双报到 workbooks on real .xlsx bytes (docs/party-model.md, "Excel"): the roster and the hours are written and read
 * back cell for cell; a roster typed in Excel (a real date cell, a bad row) is read by `readSheet` and planned; the
 * rows not imported are written with their reasons and, read back, plan the same again.
 */
import * as ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { planRosterImport, rosterRows, type RosterMember } from '@shared/domain/party/roster';
import { readSheet } from '../../../../../renderer/data/excel';
import {
  PROBLEM_HEADER,
  writeHoursWorkbook,
  writeRosterProblems,
  writeRosterTemplate,
  writeRosterWorkbook,
} from '../../../../../renderer/features/party/excel';

const members: RosterMember[] = [
  { id: 'm1', name: '王建国', address: '3栋301', partyCheckIn: null },
  { id: 'm2', name: '李秀英', address: '5栋102', partyCheckIn: '2025-12-01' },
];

async function sheets(bytes: Uint8Array): Promise<Map<string, unknown[][]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  return new Map(
    workbook.worksheets.map((ws) => {
      const rows: unknown[][] = [];
      ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return [ws.name, rows];
    }),
  );
}

describe('the 双报到 workbooks', () => {
  it('writes the roster: members with check-in state, due date and workplace, then units', async () => {
    const rows = rosterRows(
      members,
      [{ id: 'u1', name: '南充市第一中学', checkedInOn: null }],
      [
        {
          id: 'c1',
          at: '2026-03-02T01:00:00Z',
          by: { userId: 'u', userName: '刘芳' },
          subject: { kind: 'member', id: 'm1' },
          kind: 'first',
          on: '2026-03-02',
          channel: 'offline',
          workplace: '南充市第一中学',
          note: '',
        },
      ],
      '2026-11-18',
    );
    const read = await sheets(await writeRosterWorkbook(rows, '锦绣社区', '2026-11-18'));
    expect([...read.keys()]).toEqual(['党员报到', '驻区单位']);
    expect(read.get('党员报到')).toEqual([
      ['锦绣社区 双报到名册 2026-11-18'],
      ['姓名', '住址', '首次报到', '最近报到', '报到次数', '复报到到期日', '报到状态', '工作单位'],
      ['王建国', '3栋301', '2026-03-02', '2026-03-02', 1, '2026-09-02', '复报到已到期', '南充市第一中学'],
      ['李秀英', '5栋102', '2025-12-01', '2025-12-01', 0, '2026-06-01', '复报到已到期', ''],
    ]);
    expect(read.get('驻区单位')?.slice(1)).toEqual([
      ['单位名称', '首次报到', '最近报到', '报到次数', '复报到到期日', '报到状态'],
      ['南充市第一中学', '', '', 0, '', '未报到'],
    ]);
  });

  it('writes the year’s hours per member and per 小红帽 volunteer as numbers', async () => {
    const names = new Map([
      ['m1', '王建国'],
      ['v1', '张伟'],
    ]);
    const read = await sheets(
      await writeHoursWorkbook(
        2026,
        '锦绣社区',
        [{ memberId: 'm1', services: 2, hours: 3.5 }],
        [{ volunteerId: 'v1', hours: 12.5, times: 4 }],
        (id) => names.get(id) ?? id,
      ),
    );
    expect(read.get('党员服务时长')).toEqual([
      ['锦绣社区 2026年 党员服务时长'],
      ['姓名', '服务次数', '服务时长'],
      ['王建国', 2, 3.5],
    ]);
    expect(read.get('小红帽志愿时长')?.slice(1)).toEqual([
      ['志愿者', '服务次数', '志愿时长'],
      ['张伟', 4, 12.5],
    ]);
  });

  it('reads a roster typed in Excel (a real date cell) and plans it; the template reads as one good row', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['姓名', '报到日期', '报到方式', '工作单位']);
    sheet.addRow(['王建国', new Date(Date.UTC(2026, 2, 2)), '线下', '南充市第一中学']);
    sheet.addRow(['李秀英', '2026-13-01', '线上', '']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const content = await readSheet(bytes);
    if (!content.ok) throw new Error(content.error);
    const plan = planRosterImport(content.value.rows, members, [], '2026-11-18');
    expect(plan.rows.map((r) => [r.rowNumber, r.name, r.on, r.status, r.problems])).toEqual([
      [2, '王建国', '2026-03-02', 'new', []],
      [3, '李秀英', '', 'bad', ['date.invalid']],
    ]);

    const template = await readSheet(await writeRosterTemplate());
    if (!template.ok) throw new Error(template.error);
    const example = planRosterImport(template.value.rows, members, [], '2026-11-18');
    expect(example.rows.map((r) => [r.name, r.on, r.status])).toEqual([['王建国', '2026-03-02', 'new']]);
  });

  it('writes the rows not imported with their reasons; read back, they plan the same', async () => {
    const grid = [
      ['姓名', '住址', '报到日期', '报到方式', '工作单位'],
      ['张三丰', '', '2026-04-02', '', ''],
      ['王建国', '', '2026-02-30', '电话', '某单位'],
    ];
    const plan = planRosterImport(grid, members, [], '2026-11-18');
    const bad = plan.rows.filter((r) => r.status === 'bad');
    const bytes = await writeRosterProblems(plan.headers, bad, (r) => r.problems.join(', '));
    const back = await readSheet(bytes);
    if (!back.ok) throw new Error(back.error);
    expect(back.value.rows).toEqual([
      ['姓名', '住址', '报到日期', '报到方式', '工作单位', PROBLEM_HEADER],
      ['张三丰', '', '2026-04-02', '', '', 'member.unknown'],
      ['王建国', '', '2026-02-30', '电话', '某单位', 'date.invalid, channel.invalid'],
    ]);
    const again = planRosterImport(back.value.rows, members, [], '2026-11-18');
    expect(again.rows.map((r) => r.problems)).toEqual(bad.map((r) => r.problems));
  });
});
