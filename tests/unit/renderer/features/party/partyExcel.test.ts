/**
 * The 双报到 workbooks on real .xlsx bytes (docs/party-model.md, "Excel"): the roster and the hours are written and read
 * back cell for cell; a roster typed in Excel (a real date cell, a bad row) is read by `readSheet` and planned; the
 * rows not imported are written with their reasons and, read back, plan the same again.
 */
import * as ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { recordCheckIn } from '@shared/domain/party/commands';
import { planRosterImport, rosterRows, type RosterMember } from '@shared/domain/party/roster';
import { idNumberIndex } from '@shared/domain/registry/idIndex';
import { makeIdNumber, seqForSex } from '@shared/domain/registry/idNumber';
import { listPartyRecords } from '@shared/ydoc/party';
import { insertRecord, readRecord, setFields } from '@shared/ydoc/registry';
import { ctxAt, GONE, MEMBER, MEMBER2, must, registryDoc, RESIDENT } from '../../../shared/domain/party/fixtures';
import { readSheet } from '../../../../../renderer/data/excel';
import {
  PROBLEM_HEADER,
  TEMPLATE_HELP_SHEET,
  TEMPLATE_ID_NUMBER,
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

    // The template's example row: its made-up ID number, held by 王建国 here, finds him by number.
    const templateBytes = await writeRosterTemplate();
    const template = await readSheet(templateBytes);
    if (!template.ok) throw new Error(template.error);
    expect(template.value.rows[0]).toEqual(['姓名', '身份证号', '住址', '报到日期', '报到方式', '工作单位']);
    const holders = (n: string) => (n === TEMPLATE_ID_NUMBER ? ['m1'] : []);
    const example = planRosterImport(template.value.rows, members, [], '2026-11-18', { idHolders: holders });
    expect(example.rows.map((r) => [r.name, r.on, r.matchedBy, r.status])).toEqual([
      ['王建国', '2026-03-02', 'id', 'new'],
    ]);
    // After the sheet to fill in, the instructions; the ID number column is text, so Excel keeps all 18 digits.
    const written = await sheets(templateBytes);
    expect([...written.keys()]).toEqual(['党员报到', TEMPLATE_HELP_SHEET]);
    expect(written.get(TEMPLATE_HELP_SHEET)?.some((row) => row[0] === '身份证号')).toBe(true);
    const loaded = new ExcelJS.Workbook();
    await loaded.xlsx.load(templateBytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
    expect(loaded.worksheets[0]?.getColumn(2).numFmt).toBe('@');
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

describe('the members’ check-in import matches by ID number (real .xlsx bytes)', () => {
  const id = (n: number) => makeIdNumber('511302', `1970-01-${String(n).padStart(2, '0')}`, seqForSex(n, 'male'));
  const [WANG, LI, LI2, ZHANG, ZHAO, NOBODY] = [1, 2, 3, 4, 5, 6].map(id) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  /** A wrong last character: 17 digits and a check digit that does not match them. */
  const mistyped = WANG.slice(0, 17) + (WANG.endsWith('1') ? '2' : '1');

  /** The fixtures' registry with ID numbers, and a second 李秀英 (a party member in 滨江小区). */
  function registry() {
    const doc = registryDoc();
    const li = readRecord(doc, 'residents', MEMBER2) ?? {};
    insertRecord(doc, 'residents', 'res-li2', { ...li, id: 'res-li2', idNumber: LI2 });
    for (const [resident, idNumber] of [
      [MEMBER, WANG],
      [MEMBER2, LI],
      [RESIDENT, ZHANG],
      [GONE, ZHAO],
    ] as const) {
      setFields(doc, 'residents', resident, { idNumber });
    }
    return doc;
  }
  const members: RosterMember[] = [
    { id: MEMBER, name: '王建国', address: '锦绣花园 3栋301', partyCheckIn: null },
    { id: MEMBER2, name: '李秀英', address: '锦绣花园 5栋102', partyCheckIn: null },
    { id: 'res-li2', name: '李秀英', address: '滨江小区 1栋201', partyCheckIn: null },
  ];

  async function file(): Promise<Uint8Array> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('报到');
    sheet.getColumn(2).numFmt = '@';
    sheet.addRow(['姓名', '身份证号', '住址', '报到日期']);
    sheet.addRow(['王建国', WANG, '', '2026-03-02']);
    // No name: the number says who; a lower-case x or spaces as typed are the same number.
    sheet.addRow(['', ` ${LI2.toLowerCase()} `, '', '2026-03-03']);
    sheet.addRow(['李秀英', '', '', '2026-03-04']);
    sheet.addRow(['李秀英', '', '5栋', '2026-03-05']);
    sheet.addRow(['王建国', NOBODY, '', '2026-03-06']);
    sheet.addRow(['张伟', ZHANG, '', '2026-03-07']);
    sheet.addRow(['赵敏', ZHAO, '', '2026-03-08']);
    sheet.addRow(['李秀英', WANG, '', '2026-03-09']);
    sheet.addRow(['王建国', mistyped, '', '2026-03-10']);
    sheet.addRow(['王建国', WANG.slice(0, 17), '', '2026-03-11']);
    sheet.addRow(['王建国', makeIdNumber('000000', '1970-01-01', 1), '', '2026-03-12']);
    // Typed into a number cell: Excel holds 15 significant digits, so the number read is not the one typed.
    sheet.addRow(['王建国', Number(WANG.slice(0, 17)) * 10, '', '2026-03-13']);
    return new Uint8Array(await workbook.xlsx.writeBuffer());
  }

  it('gives each row the member of its number, falls back to the name without one, and a reason per bad number', async () => {
    const doc = registry();
    const ids = idNumberIndex(doc);
    const content = await readSheet(await file());
    if (!content.ok) throw new Error(content.error);
    const lookup = { idHolders: (n: string) => ids.holders(n), lossy: content.value.longNumbers };
    const plan = planRosterImport(content.value.rows, members, [], '2026-11-18', lookup);
    expect(plan.rows.map((r) => [r.rowNumber, r.memberId, r.matchedBy, r.status, r.problems])).toEqual([
      [2, MEMBER, 'id', 'new', []],
      [3, 'res-li2', 'id', 'new', []],
      [4, null, null, 'bad', ['member.ambiguous']],
      [5, MEMBER2, 'name', 'new', []],
      [6, null, null, 'bad', ['id.unknown']],
      [7, null, null, 'bad', ['id.not-member']],
      // Moved away: no living resident holds the number.
      [8, null, null, 'bad', ['id.unknown']],
      [9, null, null, 'bad', ['id.name-mismatch']],
      [10, null, null, 'bad', ['id.checksum']],
      [11, null, null, 'bad', ['id.format']],
      [12, null, null, 'bad', ['id.invalid']],
      [13, null, null, 'bad', ['id.as-number']],
    ]);
    // The row without a name shows the registry's name of the number.
    expect(plan.rows[1]).toMatchObject({ name: '', memberName: '李秀英', idNumber: LI2 });
  });

  it('records by resident id only (no ID number in the records or the audit) and nothing twice', async () => {
    const doc = registry();
    const ids = idNumberIndex(doc);
    const content = await readSheet(await file());
    if (!content.ok) throw new Error(content.error);
    const lookup = { idHolders: (n: string) => ids.holders(n), lossy: content.value.longNumbers };
    const activities = new Y.Doc();
    const first = planRosterImport(content.value.rows, members, [], '2026-11-18', lookup);
    for (const row of first.rows.filter((r) => r.status === 'new')) {
      must(
        recordCheckIn(
          activities,
          ctxAt('2026-11-18'),
          { subject: { kind: 'member', id: row.memberId ?? '' }, on: row.on, channel: row.channel, workplace: '' },
          { registry: doc },
        ),
      );
    }
    const recorded = listPartyRecords(activities, 'checkIns');
    expect(recorded.map((c) => [c.subject.id, c.on])).toEqual([
      [MEMBER, '2026-03-02'],
      ['res-li2', '2026-03-03'],
      [MEMBER2, '2026-03-05'],
    ]);
    // Every string the document holds, its audit included, as the bytes a device stores and syncs.
    const everything = new TextDecoder().decode(Y.encodeStateAsUpdate(activities));
    expect(everything).toContain(MEMBER);
    for (const number of [WANG, LI, LI2]) {
      expect(everything).not.toContain(number);
      expect(everything).not.toContain(number.slice(6, 14) + number.slice(14));
    }
    const again = planRosterImport(content.value.rows, members, recorded, '2026-11-18', lookup);
    expect(again.rows.filter((r) => r.status === 'new')).toEqual([]);
    expect(again.rows.filter((r) => r.status === 'exists').map((r) => r.rowNumber)).toEqual([2, 3, 5]);
  });
});
