import { describe, expect, it } from 'vitest';
import { importResidents } from '@shared/domain/registry/commands';
import { columnOfHeader, importInputFromPlan, planResidentImport } from '@shared/domain/registry/import';
import { makeIdNumber } from '@shared/domain/registry/idNumber';
import { emptySnapshot, listRecords, snapshotRegistry } from '@shared/ydoc/registry';
import { addResident, freshId, smallRegistry, TODAY, unwrap } from './fixtures';

const HEADERS = [
  '序号',
  '姓名',
  '性别',
  '身份证号码',
  '联系电话',
  '小区',
  '楼栋',
  '单元',
  '门牌号',
  '与户主关系',
  '人员类别',
  '建筑面积（㎡）',
];

function row(overrides: Partial<Record<string, string>> = {}): string[] {
  const values: Record<string, string> = {
    序号: '1',
    姓名: '张三',
    性别: '男',
    身份证号码: freshId('male', '1980-05-17'),
    联系电话: '138 1234 5678',
    小区: '北湖老院',
    楼栋: '3号楼',
    单元: '1单元',
    门牌号: '302',
    与户主关系: '户主',
    人员类别: '党员、志愿者',
    '建筑面积（㎡）': '86.5',
    ...overrides,
  };
  return HEADERS.map((h) => values[h] ?? '');
}

describe('header mapping', () => {
  it('maps the usual headers, tolerant of spaces, full-width characters, * marks and units', () => {
    expect(columnOfHeader(' 姓 名 ')).toBe('name');
    expect(columnOfHeader('*公民身份号码')).toBe('idNumber');
    expect(columnOfHeader('身份证号')).toBe('idNumber');
    expect(columnOfHeader('手机号')).toBe('phone');
    expect(columnOfHeader('楼号')).toBe('building');
    expect(columnOfHeader('房号')).toBe('doorNumber');
    expect(columnOfHeader('建筑面积(m²)')).toBe('floorArea');
    expect(columnOfHeader('标签')).toBe('tags');
    expect(columnOfHeader('血型')).toBeNull();
  });
});

describe('planResidentImport', () => {
  it('plans good rows with Excel row numbers, matching the building by 3号楼 = 3栋', () => {
    const { doc, building } = smallRegistry();
    const plan = planResidentImport(
      [
        HEADERS,
        row(),
        row({ 姓名: '李四', 性别: '女', 身份证号码: freshId('female'), 与户主关系: '妻子', 人员类别: '' }),
      ],
      snapshotRegistry(doc),
      TODAY,
    );
    expect(plan.headerErrors).toEqual([]);
    expect(plan.validCount).toBe(2);
    expect(plan.errorCount).toBe(0);
    expect(plan.newHouseholds).toBe(1);
    expect(plan.rows.map((r) => r.rowNumber)).toEqual([2, 3]);
    expect(plan.rows[0]?.input).toMatchObject({
      buildingId: building,
      phone: '13812345678',
      relation: 'self',
      tags: ['party-member', 'volunteer'],
      floorArea: 86.5,
      entranceName: '1单元',
      doorNumber: '302',
    });
    expect(plan.rows[1]?.input?.relation).toBe('spouse');
    expect(plan.ignoredHeaders).toEqual(['序号']);
  });

  it('reports a bad checksum, a contradicting sex, a bad phone and an unknown building per row', () => {
    const { doc } = smallRegistry();
    const good = freshId('male');
    const badChecksum = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
    const plan = planResidentImport(
      [
        HEADERS,
        row({ 身份证号码: badChecksum }),
        row({ 性别: '女' }),
        row({ 联系电话: '12345' }),
        row({ 楼栋: '99栋' }),
        row({ 小区: '不存在小区' }),
        row({ 姓名: '' }),
      ],
      snapshotRegistry(doc),
      TODAY,
    );
    expect(plan.rows.map((r) => r.errors.map((e) => e.code))).toEqual([
      ['id-number.checksum'],
      ['id-number.sex-mismatch'],
      ['phone.invalid'],
      ['import.building-unknown'],
      ['import.compound-unknown'],
      ['required'],
    ]);
    expect(plan.validCount).toBe(0);
    expect(plan.errorCount).toBe(6);
  });

  it('refuses an ID duplicated within the file (naming the first row) and one already registered', () => {
    const { doc, ctx, household } = smallRegistry();
    const registered = freshId();
    unwrap(addResident(doc, ctx, household, { idNumber: registered }));
    const twice = freshId('male');
    const plan = planResidentImport(
      [HEADERS, row({ 身份证号码: twice }), row({ 身份证号码: twice.toLowerCase() }), row({ 身份证号码: registered })],
      snapshotRegistry(doc),
      TODAY,
    );
    expect(plan.rows[0]?.errors).toEqual([]);
    expect(plan.rows[1]?.errors).toEqual([{ code: 'import.duplicate-in-file', field: 'idNumber', params: { row: 2 } }]);
    expect(plan.rows[2]?.errors.map((e) => e.code)).toEqual(['id-number.duplicate']);
  });

  it('gives header errors and no rows when required headers are missing', () => {
    const plan = planResidentImport(
      [
        ['姓名', '性别', '联系电话'],
        ['张三', '男', '13812345678'],
      ],
      emptySnapshot(),
      TODAY,
    );
    expect(plan.headerErrors.map((e) => e.params?.column)).toEqual(['idNumber', 'building', 'doorNumber']);
    expect(plan.rows).toEqual([]);
    const dup = planResidentImport([['姓名', '名字', '身份证号', '楼栋', '房号']], emptySnapshot(), TODAY);
    expect(dup.headerErrors.map((e) => e.code)).toEqual(['import.header-duplicate']);
  });

  it('survives garbage: empty grids, blank rows, random strings and ragged rows', () => {
    expect(planResidentImport([], emptySnapshot(), TODAY).headerErrors.map((e) => e.code)).toEqual(['import.empty']);
    expect(planResidentImport([[], ['', '  ']], emptySnapshot(), TODAY).headerErrors.map((e) => e.code)).toEqual([
      'import.empty',
    ]);
    const random = Array.from({ length: 20 }, (_, i) => Array.from({ length: i % 7 }, (_, j) => `x${i * j}🙂\u0000`));
    const garbage = planResidentImport(random, emptySnapshot(), TODAY);
    expect(garbage.headerErrors.map((e) => e.code)).toContain('import.header-missing');
    expect(garbage.rows).toEqual([]);
    const { doc } = smallRegistry();
    const ragged = planResidentImport(
      [HEADERS, ['只有姓名'], [], row().slice(0, 9), ['', '', '']],
      snapshotRegistry(doc),
      TODAY,
    );
    expect(ragged.rows.map((r) => r.rowNumber)).toEqual([2, 4]);
    // The lone cell sits under 序号: name, ID, building and door are all missing.
    expect(ragged.rows[0]?.errors.map((e) => e.field)).toEqual(['name', 'idNumber', 'building', 'doorNumber']);
    expect(ragged.rows[1]?.input?.relation).toBe('other');
  });

  it('skips a title row above the headers', () => {
    const { doc } = smallRegistry();
    const plan = planResidentImport([['西河社区居民花名册'], HEADERS, row()], snapshotRegistry(doc), TODAY);
    expect(plan.headerRow).toBe(2);
    expect(plan.rows[0]?.rowNumber).toBe(3);
    expect(plan.validCount).toBe(1);
  });

  it('is applied by importResidents: households matched or created, residents written', () => {
    const { doc, ctx, household } = smallRegistry();
    const rows = [
      HEADERS,
      row({ 门牌号: '301', 与户主关系: '本人' }), // existing household 1单元 301
      row({
        身份证号码: makeIdNumber('511303', '2012-09-01', 22),
        性别: '女',
        门牌号: '301',
        与户主关系: '女儿',
        人员类别: '未成年人',
        联系电话: '',
      }),
      row({ 身份证号码: freshId('male', '1950-01-02'), 单元: '2单元', 门牌号: '101', 人员类别: '独居老人' }),
    ];
    const plan = planResidentImport(rows, snapshotRegistry(doc), TODAY);
    expect(plan.validCount).toBe(3);
    expect(plan.newHouseholds).toBe(1);
    const summary = unwrap(importResidents(doc, ctx, importInputFromPlan(plan)));
    expect(summary).toMatchObject({ householdsCreated: 1, entrancesCreated: 1 });
    const residents = listRecords(doc, 'residents');
    expect(
      residents
        .filter((r) => r.householdId === household)
        .map((r) => r.relation)
        .sort(),
    ).toEqual(['child', 'self']);
    // Re-planning the same sheet now finds every ID already registered.
    const again = planResidentImport(rows, snapshotRegistry(doc), TODAY);
    expect(again.rows.flatMap((r) => r.errors.map((e) => e.code))).toEqual([
      'id-number.duplicate',
      'id-number.duplicate',
      'id-number.duplicate',
    ]);
  });
});
