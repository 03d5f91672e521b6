import { describe, expect, it } from 'vitest';
import { importResidents } from '@shared/domain/registry/commands';
import { columnOfHeader, importInputFromPlan, planResidentImport } from '@shared/domain/registry/import';
import { makeIdNumber } from '@shared/domain/registry/idNumber';
import { emptySnapshot, listRecords, snapshotRegistry } from '@shared/ydoc/registry';
import { createBuilding, createCompound, createResident } from '@shared/domain/registry/commands';
import { withoutNewBuildings, isTotalRow } from '@shared/domain/registry/import';
import { readAudit, readRecord } from '@shared/ydoc/registry';
import * as Y from 'yjs';
import { addResident, errorOf, freshId, makeCtx, smallRegistry, TODAY, unwrap } from './fixtures';

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
        row({ 楼栋: '99栋', 小区: '' }),
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

/** A community of two compounds that both have a 3栋: a roster without a 小区 column cannot tell them apart. */
function twoCompounds() {
  const base = smallRegistry();
  const { doc, ctx } = base;
  const second = unwrap(createCompound(doc, ctx, { name: '南苑小区', kind: 'commercial', address: '南苑路1号' }));
  const southThree = unwrap(createBuilding(doc, ctx, { compoundId: second, name: '3号楼' }));
  return { ...base, second, southThree };
}

const NO_COMPOUND = ['姓名', '身份证号', '楼栋', '单元', '门牌号', '与户主关系', '联系电话', '备注'];

describe('planResidentImport in a community of several compounds (issue 18 item 8)', () => {
  it('without a 小区 column, the compound chosen in the wizard decides which 3栋 a row lives in', () => {
    const { doc, building, southThree, second, compound } = twoCompounds();
    const rows = [NO_COMPOUND, ['王五', freshId(), '3栋', '1单元', '501', '本人', '', '']];
    const none = planResidentImport(rows, snapshotRegistry(doc), TODAY);
    expect(none.rows[0]?.errors.map((e) => e.code)).toEqual(['import.building-ambiguous']);
    const south = planResidentImport(rows, snapshotRegistry(doc), TODAY, { defaultCompoundId: second });
    expect(south.rows[0]?.errors).toEqual([]);
    expect(south.rows[0]?.input?.buildingId).toBe(southThree);
    const north = planResidentImport(rows, snapshotRegistry(doc), TODAY, { defaultCompoundId: compound });
    expect(north.rows[0]?.input?.buildingId).toBe(building);
    // A row's own 小区 cell wins over the default.
    const own = planResidentImport(
      [
        [...NO_COMPOUND, '小区'],
        ['王五', freshId(), '3栋', '1单元', '501', '本人', '', '', '北湖老院'],
      ],
      snapshotRegistry(doc),
      TODAY,
      { defaultCompoundId: second },
    );
    expect(own.rows[0]?.input?.buildingId).toBe(building);
  });

  it('lists the buildings the roster names that the compound lacks, and the import creates each once', () => {
    const { doc, ctx, second } = twoCompounds();
    const sheet = [
      NO_COMPOUND,
      ['赵一', freshId(), '7栋', '1单元', '101', '本人', '', ''],
      ['赵二', freshId('female'), '7号楼', '1单元', '101', '配偶', '', ''],
      ['赵三', freshId(), '8', '', '202', '本人', '', ''],
      ['赵四', freshId(), '3栋', '2单元', '301', '本人', '', ''],
    ];
    const plan = planResidentImport(sheet, snapshotRegistry(doc), TODAY, { defaultCompoundId: second });
    expect(plan.errorCount).toBe(0);
    expect(plan.validCount).toBe(4);
    expect(plan.newBuildings).toEqual([
      { key: `${second}|7`, compoundId: second, compoundName: '南苑小区', name: '7栋', rows: [2, 3] },
      { key: `${second}|8`, compoundId: second, compoundName: '南苑小区', name: '8栋', rows: [4] },
    ]);
    expect(plan.newHouseholds).toBe(3);

    const auditBefore = readAudit(doc).length;
    const summary = unwrap(importResidents(doc, ctx, importInputFromPlan(plan)));
    expect(summary).toMatchObject({ buildingsCreated: 2, householdsCreated: 3, entrancesCreated: 2 });
    const buildings = listRecords(doc, 'buildings').filter((b) => b.compoundId === second);
    expect(buildings.map((b) => b.name).sort()).toEqual(['3号楼', '7栋', '8栋']);
    const seven = buildings.find((b) => b.name === '7栋')!;
    const zhao = listRecords(doc, 'residents').filter((r) => r.name.startsWith('赵'));
    const household = readRecord(doc, 'households', zhao.find((r) => r.name === '赵一')!.householdId)!;
    expect(household).toMatchObject({ buildingId: seven.id, doorNumber: '101', address: '南苑小区7栋1单元101' });
    expect(zhao.find((r) => r.name === '赵二')?.householdId).toBe(household.id);
    // Audited with the import: one create per building (carrying the import id) and the import's counts.
    const audit = readAudit(doc).slice(auditBefore);
    expect(audit.map((e) => `${e.action}:${e.collection}`)).toEqual([
      'create:buildings',
      'create:buildings',
      'import:residents',
    ]);
    expect(audit[0]?.fields).toMatchObject({ compoundId: second, name: '7栋', importId: summary.importId });
    expect(audit[2]?.fields).toMatchObject({ count: 4, buildingsCreated: 2 });

    // Declined: the rows of missing buildings become problem rows, nothing new is built.
    const declined = withoutNewBuildings(plan);
    expect(declined.validCount).toBe(1);
    expect(declined.errorCount).toBe(3);
    expect(declined.newBuildings).toEqual([]);
    expect(declined.newHouseholds).toBe(1);
    expect(declined.rows[2]?.errors).toEqual([
      { code: 'import.building-unknown', field: 'building', params: { building: '8栋' } },
    ]);
  });

  it('an import in slices creates a building in the first slice and matches it in the next', () => {
    const { doc, ctx, second } = twoCompounds();
    const plan = planResidentImport(
      [
        NO_COMPOUND,
        ['钱一', freshId(), '9栋', '', '101', '本人', '', ''],
        ['钱二', freshId(), '9栋', '', '102', '本人', '', ''],
      ],
      snapshotRegistry(doc),
      TODAY,
      { defaultCompoundId: second },
    );
    const { rows } = importInputFromPlan(plan);
    expect(unwrap(importResidents(doc, ctx, { rows: rows.slice(0, 1) })).buildingsCreated).toBe(1);
    expect(unwrap(importResidents(doc, ctx, { rows: rows.slice(1) })).buildingsCreated).toBe(0);
    expect(listRecords(doc, 'buildings').filter((b) => b.name === '9栋')).toHaveLength(1);
  });

  it('skips blank rows and a 合计 footer with a note instead of reporting them as problem rows', () => {
    const { doc, compound } = twoCompounds();
    const plan = planResidentImport(
      [
        ['北湖社区居民花名册'],
        NO_COMPOUND,
        ['孙一', freshId(), '3栋', '1单元', '601', '本人', '', ''],
        [],
        ['', '', '', '', '', ''],
        ['孙二', freshId(), '3栋', '1单元', '602', '本人', '', ''],
        ['合计：2人'],
        [],
        ['  '],
      ],
      snapshotRegistry(doc),
      TODAY,
      { defaultCompoundId: compound },
    );
    expect(plan.errorCount).toBe(0);
    expect(plan.validCount).toBe(2);
    expect(plan.skipped).toEqual([
      { rowNumber: 4, reason: 'blank' },
      { rowNumber: 5, reason: 'blank' },
      { rowNumber: 7, reason: 'total' },
    ]);
    expect(isTotalRow(['', '总计', '35'])).toBe(true);
    expect(isTotalRow(['张合计'])).toBe(false);
  });

  it('reads past the 问题 column of a problem-rows file without calling it unknown', () => {
    const { doc, compound } = twoCompounds();
    const plan = planResidentImport(
      [
        [...NO_COMPOUND, '问题', '血型'],
        ['周一', freshId(), '3栋', '1单元', '603', '本人', '', '', '楼栋不存在：3栋', 'A'],
      ],
      snapshotRegistry(doc),
      TODAY,
      { defaultCompoundId: compound },
    );
    expect(plan.ignoredHeaders).toEqual(['血型']);
    expect(plan.validCount).toBe(1);
  });
});

describe('update mode: the monthly roster updates the residents it matches by ID number', () => {
  function registered() {
    const base = twoCompounds();
    const { doc, ctx, household } = base;
    const idNumber = freshId();
    const id = unwrap(
      createResident(doc, ctx, {
        name: '吴一',
        idNumber,
        householdId: household,
        phone: '13800001111',
        relation: 'self',
        tags: ['party-member'],
        note: '老住户',
      }),
    );
    return { ...base, idNumber, id };
  }

  it('shows what changes, never blanks a field the roster leaves empty, and writes only the changes', () => {
    const { doc, ctx, idNumber, id, compound } = registered();
    const newcomer = freshId('female');
    const sheet = [
      [...NO_COMPOUND, '人员类别'],
      ['吴一', idNumber, '3栋', '1单元', '302', '本人', '13900002222', '', ''],
      ['郑新', newcomer, '3栋', '1单元', '303', '本人', '', '', ''],
    ];
    const created = planResidentImport(sheet, snapshotRegistry(doc), TODAY, { defaultCompoundId: compound });
    expect(created.rows[0]?.errors.map((e) => e.code)).toEqual(['id-number.duplicate']);

    const plan = planResidentImport(sheet, snapshotRegistry(doc), TODAY, {
      defaultCompoundId: compound,
      mode: 'update',
    });
    expect(plan.errorCount).toBe(0);
    expect(plan.validCount).toBe(2);
    expect(plan.updateCount).toBe(1);
    expect(plan.rows[0]?.update).toEqual({
      residentId: id,
      changes: [
        { field: 'phone', from: '138****1111', to: '139****2222' },
        { field: 'household', from: '北湖老院3栋1单元301', to: '北湖老院3栋1单元302' },
      ],
    });
    const auditBefore = readAudit(doc).length;
    const summary = unwrap(importResidents(doc, ctx, importInputFromPlan(plan)));
    expect(summary.updatedIds).toEqual([id]);
    expect(summary.residentIds).toHaveLength(1);
    const after = readRecord(doc, 'residents', id)!;
    expect(after).toMatchObject({ phone: '13900002222', note: '老住户', tags: ['party-member'], relation: 'self' });
    expect(readRecord(doc, 'households', after.householdId)?.doorNumber).toBe('302');
    expect(readRecord(doc, 'households', after.householdId)?.householderId).toBe(id);
    const audit = readAudit(doc).slice(auditBefore);
    expect(audit.find((e) => e.recordId === id)).toMatchObject({
      action: 'move',
      fields: { phone: '13900002222', householdId: after.householdId },
    });
    expect(audit.at(-1)?.fields).toMatchObject({ count: 1, updated: 1 });

    // The same roster again: nothing to change.
    const again = planResidentImport(sheet, snapshotRegistry(doc), TODAY, {
      defaultCompoundId: compound,
      mode: 'update',
    });
    expect(again.validCount).toBe(0);
    expect(again.unchangedCount).toBe(2);
    expect(again.errorCount).toBe(0);
  });

  it('clears empty cells only when asked, and only for the columns the sheet has', () => {
    const { doc, ctx, idNumber, id, compound } = registered();
    const sheet = [
      [...NO_COMPOUND, '人员类别'],
      ['吴一', idNumber, '3栋', '1单元', '301', '', '', '', ''],
    ];
    const kept = planResidentImport(sheet, snapshotRegistry(doc), TODAY, {
      defaultCompoundId: compound,
      mode: 'update',
    });
    expect(kept.unchangedCount).toBe(1);
    const cleared = planResidentImport(sheet, snapshotRegistry(doc), TODAY, {
      defaultCompoundId: compound,
      mode: 'update',
      clearBlanks: true,
    });
    expect(cleared.rows[0]?.update?.changes.map((c) => c.field)).toEqual(['phone', 'tags', 'note']);
    unwrap(importResidents(doc, ctx, importInputFromPlan(cleared)));
    expect(readRecord(doc, 'residents', id)).toMatchObject({ phone: null, tags: [], note: '', relation: 'self' });
    // A sheet without a 备注 column leaves the note alone even when clearing.
    unwrap(
      importResidents(doc, ctx, {
        rows: [
          {
            name: '吴一',
            idNumber,
            buildingId: readRecord(doc, 'households', readRecord(doc, 'residents', id)!.householdId)!.buildingId,
            entranceName: '1单元',
            doorNumber: '301',
            note: '新备注',
            update: ['note'],
          },
        ],
      }),
    );
    const noNoteColumn = planResidentImport(
      [
        ['姓名', '身份证号', '楼栋', '单元', '门牌号'],
        ['吴一', idNumber, '3栋', '1单元', '301'],
      ],
      snapshotRegistry(doc),
      TODAY,
      { defaultCompoundId: compound, mode: 'update', clearBlanks: true },
    );
    expect(noNoteColumn.unchangedCount).toBe(1);
  });

  it('a roster without 单元 keeps the resident in the entrance of the same building and door', () => {
    const { doc, ctx, idNumber, id, household, compound } = registered();
    const plan = planResidentImport(
      [
        ['姓名', '身份证号', '楼栋', '门牌号', '联系电话'],
        ['吴一', idNumber, '3栋', '301', '13900003333'],
      ],
      snapshotRegistry(doc),
      TODAY,
      { defaultCompoundId: compound, mode: 'update' },
    );
    expect(plan.rows[0]?.update?.changes.map((c) => c.field)).toEqual(['phone']);
    expect(plan.newHouseholds).toBe(0);
    // The command makes no household for a resident who stays (the row names no entrance).
    const households = listRecords(doc, 'households').length;
    const summary = unwrap(importResidents(doc, ctx, importInputFromPlan(plan)));
    expect(summary).toMatchObject({ householdsCreated: 0, entrancesCreated: 0, updatedIds: [id] });
    expect(listRecords(doc, 'households')).toHaveLength(households);
    expect(readRecord(doc, 'residents', id)).toMatchObject({ householdId: household, phone: '13900003333' });
  });

  it('refuses to guess between two residents who share an ID number after a merge', () => {
    const { doc, ctx, household, compound } = twoCompounds();
    // Two devices registered the same person offline: the merge holds two living residents with one number.
    const idNumber = freshId();
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    unwrap(createResident(doc, ctx, { name: '吴一', idNumber, householdId: household }));
    const otherCtx = makeCtx({ user: 'u2', idPrefix: 'd2' });
    unwrap(createResident(other, otherCtx, { name: '吴一', idNumber, householdId: household }));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    expect(listRecords(doc, 'residents').filter((r) => r.idNumber === idNumber)).toHaveLength(2);
    const plan = planResidentImport(
      [
        ['姓名', '身份证号', '楼栋', '门牌号', '联系电话'],
        ['吴一', idNumber, '3栋', '301', '13900003333'],
      ],
      snapshotRegistry(doc),
      TODAY,
      { defaultCompoundId: compound, mode: 'update' },
    );
    expect(plan.rows[0]?.errors.map((e) => e.code)).toEqual(['id-number.duplicate']);
  });

  it('the command refuses an update whose resident is gone, naming the row', () => {
    const { doc, ctx, idNumber, building } = registered();
    const gone = freshId();
    const error = errorOf(
      importResidents(doc, ctx, {
        rows: [
          { name: '吴一', idNumber, buildingId: building, doorNumber: '301', update: ['name'] },
          { name: '无此人', idNumber: gone, buildingId: building, doorNumber: '301', update: ['name'] },
        ],
      }),
    );
    expect(error).toMatchObject({ code: 'not-found', field: 'idNumber', params: { row: 1 } });
  });

  it('the command refuses a row naming both a building id and a building to create', () => {
    const { doc, ctx, building, compound } = registered();
    const error = errorOf(
      importResidents(doc, ctx, {
        rows: [
          {
            name: '冯一',
            idNumber: freshId(),
            buildingId: building,
            newBuilding: { compoundId: compound, name: '5栋' },
            doorNumber: '101',
          },
        ],
      }),
    );
    expect(error.code).toBe('invalid');
  });
});
