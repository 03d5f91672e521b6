import { describe, expect, it } from 'vitest';
import * as ExcelJS from 'exceljs';
import { snapshotRegistry } from '@shared/ydoc/registry';
import {
  analyseImport,
  EXPORT_COLUMNS,
  writeProblemRows,
  numberText,
  readSheet,
  writeImportTemplate,
  writeResidentsSheet,
  type SheetContent,
} from '../../../../renderer/data/excel';
import { addResident, smallRegistry, TODAY, unwrap } from '../../shared/domain/registry/fixtures';
import { badChecksum, makeEmptyXlsx, makeXlsx, RESIDENT_HEADERS, testId, testPhone } from '../../../e2e/support/xlsx';

async function read(bytes: Uint8Array): Promise<SheetContent> {
  const result = await readSheet(bytes);
  if (!result.ok) throw new Error(`expected a sheet, got ${result.error}`);
  return result.value;
}

function residentRow(name: string, idNumber: string | number, building = '3栋', door = '301', phone = testPhone(1)) {
  return [name, '', idNumber, phone, '', building, '1单元', door, '其他'];
}

describe('readSheet', () => {
  it('reads the first worksheet into strings with Excel row numbers', async () => {
    const id = testId();
    const bytes = await makeXlsx([
      RESIDENT_HEADERS,
      residentRow('张三', id),
      [],
      residentRow('李四', testId('female')),
    ]);
    const sheet = await read(bytes);
    expect(sheet.rows[0]).toEqual(RESIDENT_HEADERS);
    expect(sheet.rows[1]?.[2]).toBe(id);
    expect(sheet.rows[2]).toEqual([]);
    expect(sheet.rows[3]?.[0]).toBe('李四');
    expect(sheet.longNumbers).toEqual([]);
  });

  it('turns dates, numbers, rich text, formulas and hyperlinks into plain text', async () => {
    const bytes = await makeXlsx([
      [
        new Date(Date.UTC(1990, 0, 31)),
        13812345678,
        0.5,
        { richText: [{ text: '张', font: { bold: true } }, { text: '三' }] },
        { formula: '1+1', result: 2 },
        { text: '链接', hyperlink: 'https://example.org' },
        true,
      ],
    ]);
    const sheet = await read(bytes);
    expect(sheet.rows[0]).toEqual(['1990-01-31', '13812345678', '0.5', '张三', '2', '链接', 'TRUE']);
  });

  it('flags ID numbers that Excel stored as numbers (their last digits are lost)', async () => {
    const id = testId();
    const bytes = await makeXlsx([RESIDENT_HEADERS, residentRow('张三', Number(id))]);
    const sheet = await read(bytes);
    expect(sheet.longNumbers).toEqual([{ row: 2, column: 2 }]);
    // No scientific notation: the digits Excel kept, as digits.
    expect(sheet.rows[1]?.[2]).toMatch(/^\d{18}$/);
  });

  it('skips a hidden first sheet and reads the first visible one', async () => {
    const bytes = await makeXlsx([['姓名']], { hiddenFirst: true });
    expect((await read(bytes)).rows[0]).toEqual(['姓名']);
  });

  it('refuses garbage bytes as not Excel', async () => {
    const garbage = new Uint8Array(256).map((_, i) => (i * 37 + 11) % 256);
    expect(await readSheet(garbage)).toEqual({ ok: false, error: 'not-excel' });
  });

  it('names an old .xls (OLE2 compound file) apart', async () => {
    const xls = new Uint8Array(512);
    xls.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(await readSheet(xls)).toEqual({ ok: false, error: 'xls' });
  });

  it('names a CSV file apart', async () => {
    const csv = new TextEncoder().encode(`${RESIDENT_HEADERS.join(',')}\n张三,男,${testId()},,,3栋,1单元,301,本人\n`);
    expect(await readSheet(csv)).toEqual({ ok: false, error: 'csv' });
  });

  it('calls a ZIP that is not a workbook damaged', async () => {
    const zip = new Uint8Array(64);
    zip.set([0x50, 0x4b, 0x03, 0x04]);
    expect(await readSheet(zip)).toEqual({ ok: false, error: 'damaged' });
  });

  it('calls an empty workbook and an empty file empty', async () => {
    expect(await readSheet(await makeEmptyXlsx())).toEqual({ ok: false, error: 'empty' });
    expect(await readSheet(new Uint8Array(0))).toEqual({ ok: false, error: 'empty' });
  });

  it('refuses a file above the size limit before parsing it', async () => {
    const big = new Uint8Array(31 * 1024 * 1024);
    big.set([0x50, 0x4b, 0x03, 0x04]);
    expect(await readSheet(big)).toEqual({ ok: false, error: 'too-large' });
  });
});

describe('numberText', () => {
  it('never writes scientific notation', () => {
    expect(numberText(1.5e20)).toBe('150000000000000000000');
    expect(numberText(1e-7)).toBe('0.0000001');
    expect(numberText(68.5)).toBe('68.5');
  });
});

describe('analyseImport', () => {
  it('plans valid rows and lists per-row errors first: bad checksum, duplicate, unknown building', async () => {
    const { doc, ctx, household } = smallRegistry();
    const registered = testId('female');
    unwrap(addResident(doc, ctx, household, { idNumber: registered, name: '王五' }));
    const good = testId();
    const twice = testId();
    const bytes = await makeXlsx([
      ['西河社区居民花名册'],
      RESIDENT_HEADERS,
      residentRow('张三', good),
      residentRow('李四', badChecksum(testId())),
      residentRow('赵六', twice, '3栋', '302'),
      residentRow('钱七', twice, '3栋', '303'),
      residentRow('孙八', testId(), '9栋'),
      residentRow('王五', registered),
    ]);
    const analysis = analyseImport(await read(bytes), snapshotRegistry(doc), TODAY);
    expect(analysis.plan.headerRow).toBe(2);
    expect(analysis.plan.validCount).toBe(2);
    expect(analysis.plan.errorCount).toBe(4);
    expect(analysis.preview.map((r) => [r.rowNumber, r.valid])).toEqual([
      [4, false],
      [6, false],
      [7, false],
      [8, false],
      [3, true],
      [5, true],
    ]);
    const codes = Object.fromEntries(analysis.preview.map((r) => [r.rowNumber, r.errors.map((e) => e.code)]));
    expect(codes[4]).toEqual(['id-number.checksum']);
    expect(codes[6]).toEqual(['import.duplicate-in-file']);
    expect(codes[7]).toEqual(['import.building-unknown']);
    expect(codes[8]).toEqual(['id-number.duplicate']);
    const row3 = analysis.preview.find((r) => r.rowNumber === 3);
    expect(row3?.name).toBe('张三');
    expect(row3?.idMasked).toBe(`${good.slice(0, 4)}**********${good.slice(14)}`);
  });

  it('never imports a row whose ID number Excel had turned into a number', async () => {
    const { doc } = smallRegistry();
    const bytes = await makeXlsx([
      RESIDENT_HEADERS,
      residentRow('张三', Number(testId())),
      residentRow('李四', testId()),
    ]);
    const analysis = analyseImport(await read(bytes), snapshotRegistry(doc), TODAY);
    expect(analysis.idAsNumberCount).toBe(1);
    expect(analysis.plan.validCount).toBe(1);
    const row = analysis.preview.find((r) => r.rowNumber === 2);
    expect(row).toMatchObject({ valid: false, idAsNumber: true, errors: [] });
  });

  it('reports missing headers and plans no rows', async () => {
    const { doc } = smallRegistry();
    const bytes = await makeXlsx([
      ['姓名', '电话'],
      ['张三', '13800000000'],
    ]);
    const analysis = analyseImport(await read(bytes), snapshotRegistry(doc), TODAY);
    expect(analysis.plan.headerErrors.map((e) => e.field)).toEqual(['idNumber', 'building', 'doorNumber']);
    expect(analysis.plan.validCount).toBe(0);
  });
});

describe('writeResidentsSheet', () => {
  it('round-trips: an exported sheet reads back and plans as new residents', async () => {
    const { doc } = smallRegistry();
    const ids = [testId(), testId('female', '1952-11-02')];
    const bytes = await writeResidentsSheet(
      ids.map((idNumber, i) => ({
        name: `居民${i}`,
        sex: i === 0 ? '男' : '女',
        idNumber,
        phone: testPhone(i),
        compound: '北湖老院',
        building: '3栋',
        entrance: '1单元',
        doorNumber: '302',
        relation: i === 0 ? '本人' : '配偶',
        tags: i === 1 ? '独居老人、党员' : '',
        floorArea: 68.5,
        note: '',
      })),
    );
    const sheet = await read(bytes);
    expect(sheet.rows[0]).toEqual([
      '姓名',
      '性别',
      '出生日期',
      '身份证号',
      '联系电话',
      '小区',
      '楼栋',
      '单元',
      '门牌号',
      '与户主关系',
      '人员类别',
      '建筑面积',
      '备注',
    ]);
    const analysis = analyseImport(sheet, snapshotRegistry(doc), TODAY);
    expect(analysis.plan.errorCount).toBe(0);
    expect(analysis.plan.validCount).toBe(2);
    expect(analysis.plan.rows[1]?.input).toMatchObject({
      idNumber: ids[1],
      relation: 'spouse',
      tags: ['elderly-alone', 'party-member'],
    });
  });

  it('writes a bold, frozen header row, column widths and text-formatted ID numbers', async () => {
    const bytes = await writeResidentsSheet([{ name: '张三', idNumber: testId() }], EXPORT_COLUMNS, {
      sheetName: '名册',
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
    const sheet = workbook.getWorksheet('名册');
    expect(sheet?.getRow(1).getCell(1).font.bold).toBe(true);
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet?.getColumn(4).width).toBe(22);
    expect(sheet?.getRow(2).getCell(4).numFmt).toBe('@');
  });

  it('makes an import template whose example row plans cleanly once its building exists', async () => {
    const { doc } = smallRegistry();
    const sheet = await read(await writeImportTemplate());
    expect(sheet.rows).toHaveLength(2);
    // The template's example building is 1栋; the small registry has 3栋, so rename in the grid and check the rest.
    const rows = sheet.rows.map((row, i) => (i === 1 ? row.map((cell, c) => (c === 6 ? '3栋' : cell)) : row));
    const analysis = analyseImport({ ...sheet, rows }, snapshotRegistry(doc), TODAY);
    expect(analysis.preview[0]?.errors).toEqual([]);
    expect(analysis.plan.validCount).toBe(1);
  });

  it("writes the problem rows back with the sheet's own header and a 问题 column, every cell as text, and reads back the same", async () => {
    const { doc } = smallRegistry();
    const bad = badChecksum(testId());
    const door = '0301';
    const bytes = await makeXlsx([
      ['西河社区居民花名册'],
      [...RESIDENT_HEADERS, '问题'],
      residentRow('张三', testId()),
      residentRow('李四', bad, '3栋', door),
      residentRow('王五', Number(testId())),
    ]);
    const content = await read(bytes);
    const analysis = analyseImport(content, snapshotRegistry(doc), TODAY);
    expect(analysis.plan.errorCount).toBe(2);
    const problems = analysis.preview
      .filter((r) => r.errors.length > 0 || r.idAsNumber)
      .map((r) => ({
        rowNumber: r.rowNumber,
        problem: `第${r.rowNumber}行的问题`,
        ...(r.idAsNumber ? { clear: [2] } : {}),
      }));
    const written = await read(await writeProblemRows(content, analysis.plan.headerRow, problems, '问题'));
    // The header as the roster had it, an earlier 问题 column replaced by the new one.
    expect(written.rows[0]).toEqual([...RESIDENT_HEADERS, '问题']);
    expect(written.rows).toHaveLength(3);
    expect(written.rows[1]).toEqual([...residentRow('李四', bad, '3栋', door), '第4行的问题']);
    expect(written.rows[2]?.[0]).toBe('王五');
    // The ID number Excel had cut to 15 digits is not written back: the person types it again.
    expect(written.rows[2]?.[2]).toBe('');
    expect(written.rows[2]?.[9]).toBe('第5行的问题');
    // Text cells: the leading zero of the door and the digits of the ID number stay as read.
    expect(written.longNumbers).toEqual([]);
    // Read back, it plans the same rows with the same problems.
    const again = analyseImport(written, snapshotRegistry(doc), TODAY);
    expect(again.plan.ignoredHeaders).toEqual([]);
    expect(again.plan.rows.map((r) => r.errors.map((e) => e.code))).toEqual([['id-number.checksum'], ['required']]);
  });
});
