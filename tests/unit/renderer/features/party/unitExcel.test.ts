/**
 * The units' (驻区单位) Excel import on real .xlsx bytes (docs/party-model.md, "Excel"): a sheet typed in Excel is read
 * by `readSheet` and planned against the registered units, each bad row with its own reason; the rows are written
 * through the party commands (`applyUnitRow`), and the same sheet again writes nothing (no record, no audit entry);
 * the template reads as one good row, with its instructions after it.
 */
import * as ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { registerUnit, signAgreement } from '@shared/domain/party/commands';
import { creditCheckChar } from '@shared/domain/party/creditCode';
import { applyUnitRow, planUnitImport, UNIT_IMPORT_HEADERS } from '@shared/domain/party/unitImport';
import { listRecords, readAudit } from '@shared/ydoc/registry';
import { readSheet } from '../../../../../renderer/data/excel';
import {
  TEMPLATE_CREDIT_CODE,
  TEMPLATE_HELP_SHEET,
  writeRosterProblems,
  writeUnitTemplate,
} from '../../../../../renderer/features/party/excel';
import { ctxAt, must, registryDoc } from '../../../shared/domain/party/fixtures';

const TODAY = '2026-11-18';
/** A valid credit code made from 17 characters (GB 32100-2015 check character appended). */
const code = (first17: string) => first17 + (creditCheckChar(first17) ?? '');
const [TAX, FIRM, SCHOOL, OTHER] = [
  code('11511300MB0000001'),
  code('91511300MA0000002'),
  code('12511300MB0000003'),
  code('91511300MA0000004'),
];
const wrong = SCHOOL.slice(0, 17) + (SCHOOL.endsWith('0') ? '1' : '0');

let registry: Y.Doc;
let ids: { tax: string; firm: string };

beforeEach(() => {
  registry = registryDoc();
  const ctx = ctxAt(TODAY);
  const unit = (name: string, kind: 'agency' | 'private-firm' | 'social-org', on: string, creditCode = '') =>
    must(
      registerUnit(registry, ctx, { name, kind, contact: '张三', phone: '0817-1111111', checkedInOn: on, creditCode }),
    );
  ids = {
    tax: unit('南充市税务局', 'agency', '2026-01-10', TAX),
    firm: unit('滨江物业公司', 'private-firm', '2026-02-01'),
  };
  must(
    signAgreement(registry, ctx, {
      unitId: ids.tax,
      agreement: { signedOn: '2026-01-10', until: '2026-12-31', content: '共建' },
    }),
  );
  unit('同名协会', 'social-org', '2026-03-01');
  unit('同名协会', 'social-org', '2026-03-02');
});

type Cells = Partial<Record<(typeof UNIT_IMPORT_HEADERS)[number], string>>;

/** A sheet with a title row above the header, as offices keep them; cells by header. */
async function sheet(rows: readonly Cells[]): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet('驻区单位');
  ws.addRow(['锦绣社区驻区单位']);
  ws.addRow([...UNIT_IMPORT_HEADERS]);
  for (const row of rows) ws.addRow(UNIT_IMPORT_HEADERS.map((h) => row[h] ?? ''));
  const content = await readSheet(new Uint8Array(await workbook.xlsx.writeBuffer()));
  if (!content.ok) throw new Error(content.error);
  return content.value.rows;
}

/** A new unit's required cells, so a row shows only the fault it is about. */
const fresh = (name: string, cells: Cells = {}): Cells => ({
  单位名称: name,
  单位类型: '机关',
  首次报到日期: '2026-03-01',
  ...cells,
});

describe('the units import', () => {
  it('plans new, changed, unchanged and repeated units, and each bad row with its reason', async () => {
    const grid = await sheet([
      fresh('锦绣小学', {
        统一社会信用代码: SCHOOL.toLowerCase(),
        单位类型: '事业单位',
        联系人: '李老师',
        联系电话: '138 0000 1111',
        共建协议: '是',
        协议签订日期: '2026/3/1',
        协议到期日期: '2027年2月28日',
      }),
      { 单位名称: '滨江物业公司', 统一社会信用代码: FIRM, 联系人: '王经理' },
      { 单位名称: '南充市税务局', 统一社会信用代码: TAX, 联系人: '张三', 首次报到日期: '2026-01-10', 共建协议: '是' },
      { 单位名称: '锦绣小学', 单位类型: '事业单位', 首次报到日期: '2026-03-01' },
      { 单位类型: '机关', 首次报到日期: '2026-03-01' },
      fresh('长'.repeat(101)),
      fresh('新单位甲', { 统一社会信用代码: wrong }),
      { 单位名称: '南充市税务局', 统一社会信用代码: OTHER },
      { 单位名称: '滨江物业公司', 统一社会信用代码: TAX },
      { 单位名称: '同名协会' },
      { 单位名称: '新单位乙', 首次报到日期: '2026-03-01' },
      fresh('新单位丙', { 单位类型: '企业' }),
      fresh('新单位丁', { 单位党组织: '党'.repeat(101) }),
      fresh('新单位戊', { 联系人: '人'.repeat(41) }),
      fresh('新单位己', { 联系电话: '1'.repeat(41) }),
      fresh('新单位庚', { 联系电话: '电话待定' }),
      fresh('新单位辛', { 地址: '址'.repeat(201) }),
      { 单位名称: '新单位壬', 单位类型: '机关' },
      fresh('新单位癸', { 首次报到日期: '2026-02-30' }),
      fresh('新单位子', { 首次报到日期: '2027-01-01' }),
      { 单位名称: '滨江物业公司', 首次报到日期: '2026-02-02' },
      fresh('新单位丑', { 共建协议: '可能' }),
      fresh('新单位寅', { 共建协议: '是' }),
      fresh('新单位卯', { 共建协议: '是', 协议签订日期: '2026-13-01', 协议到期日期: '2027-01-01' }),
      fresh('新单位辰', { 共建协议: '是', 协议签订日期: '2026-03-01', 协议到期日期: '2026-02-01' }),
      fresh('新单位巳', {
        共建协议: '是',
        协议签订日期: '2026-03-01',
        协议到期日期: '2027-02-28',
        协议内容: '内'.repeat(2001),
      }),
      { 单位名称: '南充市税务局', 共建协议: '否' },
    ]);
    const plan = planUnitImport(grid, listRecords(registry, 'units'), TODAY);
    expect(plan.headerRow).toBe(2);
    expect(plan.rows.map((r) => [r.rowNumber, r.status, r.problems.join(' ')])).toEqual([
      [3, 'new', ''],
      [4, 'update', ''],
      [5, 'exists', ''],
      [6, 'repeated', ''],
      [7, 'bad', 'name.missing'],
      [8, 'bad', 'name.too-long'],
      [9, 'bad', 'credit.invalid'],
      [10, 'bad', 'credit.conflict'],
      [11, 'bad', 'name.taken'],
      [12, 'bad', 'unit.ambiguous'],
      [13, 'bad', 'kind.missing'],
      [14, 'bad', 'kind.invalid'],
      [15, 'bad', 'party-org.too-long'],
      [16, 'bad', 'contact.too-long'],
      [17, 'bad', 'phone.too-long'],
      [18, 'bad', 'phone.invalid'],
      [19, 'bad', 'address.too-long'],
      [20, 'bad', 'date.missing'],
      [21, 'bad', 'date.invalid'],
      [22, 'bad', 'date.future'],
      [23, 'bad', 'date.differs'],
      [24, 'bad', 'agreement.invalid'],
      [25, 'bad', 'agreement.dates-missing'],
      [26, 'bad', 'agreement.date-invalid'],
      [27, 'bad', 'agreement.ends-before'],
      [28, 'bad', 'agreement.too-long'],
      [29, 'bad', 'agreement.in-force'],
    ]);
    expect(plan.rows[0]).toMatchObject({
      register: {
        name: '锦绣小学',
        creditCode: SCHOOL,
        kind: 'institution',
        contact: '李老师',
        phone: '138 0000 1111',
        checkedInOn: '2026-03-01',
      },
      agreement: { signedOn: '2026-03-01', until: '2027-02-28', content: '详见书面共建协议' },
    });
    // Found by name; only what the row gives and differs: the credit code it lacked and the new contact.
    expect(plan.rows[1]).toMatchObject({
      unitId: ids.firm,
      matchedBy: 'name',
      changes: { creditCode: FIRM, contact: '王经理' },
    });
    expect(plan.rows[2]).toMatchObject({ unitId: ids.tax, matchedBy: 'code', changes: {}, agreement: null });

    // The rows not taken, saved with their reasons and read back: the cells as they were.
    const bad = plan.rows.filter((r) => r.status === 'bad');
    const back = await readSheet(await writeRosterProblems(plan.headers, bad, (r) => r.problems.join(',')));
    if (!back.ok) throw new Error(back.error);
    expect(back.value.rows).toHaveLength(bad.length + 1);
    expect(back.value.rows[1]?.slice(1, 3)).toEqual(['', '机关']);
    expect(back.value.rows.at(-1)?.at(-1)).toBe('agreement.in-force');
  });

  it('finds a renamed unit by its credit code and renames it', async () => {
    const grid = await sheet([{ 单位名称: '国家税务总局南充市税务局', 统一社会信用代码: TAX }]);
    const plan = planUnitImport(grid, listRecords(registry, 'units'), TODAY);
    expect(plan.rows.map((r) => [r.status, r.matchedBy, r.changes])).toEqual([
      ['update', 'code', { name: '国家税务总局南充市税务局' }],
    ]);
  });

  it('writes through the commands, and the same sheet again writes nothing', async () => {
    const grid = await sheet([
      fresh('锦绣小学', {
        统一社会信用代码: SCHOOL,
        单位类型: '事业单位',
        共建协议: '是',
        协议签订日期: '2026-03-01',
        协议到期日期: '2027-02-28',
      }),
      {
        单位名称: '滨江物业公司',
        统一社会信用代码: FIRM,
        联系人: '王经理',
        共建协议: '是',
        协议签订日期: '2026-04-01',
        协议到期日期: '2027-03-31',
      },
      { 单位名称: '滨江物业公司', 联系电话: '' },
      { 单位类型: '机关' },
    ]);
    const ctx = ctxAt(TODAY);
    const first = planUnitImport(grid, listRecords(registry, 'units'), TODAY);
    expect(first.rows.map((r) => r.status)).toEqual(['new', 'update', 'repeated', 'bad']);
    const results = first.rows.map((row) => must(applyUnitRow(registry, ctx, row)));
    const school = listRecords(registry, 'units').find((u) => u.name === '锦绣小学');
    expect(results[0]).toBe(school?.id);
    expect(school).toMatchObject({
      creditCode: SCHOOL,
      kind: 'institution',
      checkedInOn: '2026-03-01',
      agreement: { signedOn: '2026-03-01', until: '2027-02-28' },
    });
    expect(listRecords(registry, 'units').find((u) => u.id === ids.firm)).toMatchObject({
      creditCode: FIRM,
      contact: '王经理',
      // A blank cell changes nothing.
      phone: '0817-1111111',
      agreement: { signedOn: '2026-04-01', until: '2027-03-31', content: '详见书面共建协议' },
    });

    const units = listRecords(registry, 'units');
    const audit = readAudit(registry).length;
    const again = planUnitImport(grid, units, TODAY);
    expect(again.rows.map((r) => r.status)).toEqual(['exists', 'exists', 'repeated', 'bad']);
    for (const row of again.rows) must(applyUnitRow(registry, ctx, row));
    expect(listRecords(registry, 'units')).toEqual(units);
    expect(readAudit(registry)).toHaveLength(audit);
  });

  it('has a template that reads as one new unit, with its instructions after it', async () => {
    const bytes = await writeUnitTemplate();
    const content = await readSheet(bytes);
    if (!content.ok) throw new Error(content.error);
    expect(content.value.sheetName).toBe('驻区单位');
    const plan = planUnitImport(content.value.rows, listRecords(registry, 'units'), TODAY);
    expect(plan.rows.map((r) => [r.name, r.creditCode, r.status, r.agreement?.until])).toEqual([
      ['南充市第一中学', TEMPLATE_CREDIT_CODE, 'new', '2027-03-01'],
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['驻区单位', TEMPLATE_HELP_SHEET]);
  });
});
