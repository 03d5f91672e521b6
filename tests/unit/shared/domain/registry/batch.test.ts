import { describe, expect, it } from 'vitest';
import { createBuildingBatch, createHousehold } from '@shared/domain/registry/commands';
import { batchDoors, buildingBatchSchema, parseBatchText, planBuildingBatch } from '@shared/domain/registry/batch';
import { householdIndex, householdKey } from '@shared/domain/registry/places';
import { listRecords, readAudit } from '@shared/ydoc/registry';
import { errorOf, makeCtx, smallRegistry, unwrap } from './fixtures';

describe('batch of buildings', () => {
  it('reads "1-12栋，每栋 6 层 3 单元，每层 2 户" as an office writes it', () => {
    expect(parseBatchText('1-12栋，每栋 6 层 3 单元，每层 2 户')).toEqual({
      from: 1,
      to: 12,
      suffix: '栋',
      floors: 6,
      entrances: 3,
      perFloor: 2,
    });
    expect(parseBatchText('１至５号楼 18层 2个单元 每层4户')).toEqual({
      from: 1,
      to: 5,
      suffix: '号楼',
      floors: 18,
      entrances: 2,
      perFloor: 4,
    });
    expect(parseBatchText('随便写写')).toEqual({});
  });

  it('previews what it would create: names, entrances, doors and counts', () => {
    const { doc, compound } = smallRegistry();
    const input = buildingBatchSchema.parse({
      compoundId: compound,
      from: 1,
      to: 12,
      floors: 6,
      entrances: 3,
      perFloor: 2,
    });
    const planned = planBuildingBatch(doc, input);
    expect(planned.buildings.map((b) => b.name)).toEqual(Array.from({ length: 12 }, (_, i) => `${i + 1}栋`));
    expect(planned.buildings[0]!.entrances).toEqual(['1单元', '2单元', '3单元']);
    expect(planned.buildings[0]!.doors).toEqual(batchDoors(6, 2));
    expect(batchDoors(6, 2).slice(0, 3)).toEqual(['101', '102', '201']);
    expect(batchDoors(6, 2).at(-1)).toBe('602');
    expect(planned).toMatchObject({ entrances: 36, households: 432 });
    // The small registry already has 3栋 in this compound: the preview names it.
    expect(planned.existing).toEqual(['3栋']);
  });

  it('creates every building, entrance and household in one transaction, audited per building', () => {
    const ctx = makeCtx();
    const { doc, compound, courtyard } = smallRegistry(ctx);
    const before = { buildings: listRecords(doc, 'buildings').length, audit: readAudit(doc).length };
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    const summary = unwrap(
      createBuildingBatch(doc, ctx, {
        compoundId: compound,
        from: 4,
        to: 6,
        suffix: '号楼',
        floors: 6,
        entrances: 3,
        perFloor: 2,
        zoneId: courtyard,
      }),
    );
    expect(transactions).toBe(1);
    expect(summary).toMatchObject({ entrancesCreated: 9, householdsCreated: 108 });
    const buildings = listRecords(doc, 'buildings').filter((b) => summary.buildingIds.includes(b.id));
    expect(buildings.map((b) => [b.name, b.floors, b.zoneId])).toEqual([
      ['4号楼', 6, courtyard],
      ['5号楼', 6, courtyard],
      ['6号楼', 6, courtyard],
    ]);
    expect(listRecords(doc, 'buildings')).toHaveLength(before.buildings + 3);
    const entrances = listRecords(doc, 'entrances').filter((e) => e.buildingId === summary.buildingIds[0]);
    expect(entrances.map((e) => e.name).sort()).toEqual(['1单元', '2单元', '3单元']);
    const households = listRecords(doc, 'households').filter((h) => h.buildingId === summary.buildingIds[0]);
    expect(households).toHaveLength(36);
    expect(households.find((h) => h.doorNumber === '602' && h.entranceId === entrances[0]!.id)?.address).toBe(
      `北湖老院4号楼${entrances[0]!.name}602`,
    );
    // The households are the registry's own: a second 101 in the same entrance is refused as for any household.
    const index = householdIndex(doc);
    expect(index.has(householdKey(summary.buildingIds[0]!, entrances[0]!.id, '101'))).toBe(true);
    expect(
      errorOf(
        createHousehold(doc, ctx, {
          buildingId: summary.buildingIds[0]!,
          entranceId: entrances[0]!.id,
          doorNumber: '101',
        }),
      ).code,
    ).toBe('household.duplicate');
    const entries = readAudit(doc).slice(before.audit + 0, before.audit + 3);
    expect(entries.map((e) => [e.action, e.collection, e.recordId])).toEqual(
      summary.buildingIds.map((id) => ['create', 'buildings', id]),
    );
    expect(entries[0]!.fields).toMatchObject({ name: '4号楼', entrances: 3, households: 36, batchId: summary.batchId });
  });

  it('creates doors on the building itself when it has no entrances', () => {
    const ctx = makeCtx();
    const { doc, compound } = smallRegistry(ctx);
    const summary = unwrap(
      createBuildingBatch(doc, ctx, { compoundId: compound, from: 10, to: 10, floors: 2, entrances: 0, perFloor: 3 }),
    );
    const households = listRecords(doc, 'households').filter((h) => h.buildingId === summary.buildingIds[0]);
    expect(households.map((h) => [h.doorNumber, h.entranceId])).toEqual([
      ['101', null],
      ['102', null],
      ['103', null],
      ['201', null],
      ['202', null],
      ['203', null],
    ]);
  });

  it('refuses the whole batch when a name exists (3栋 = 3号楼), a range runs backwards or is too big, and for a viewer', () => {
    const ctx = makeCtx();
    const { doc, compound } = smallRegistry(ctx);
    const before = listRecords(doc, 'buildings').length;
    const base = { compoundId: compound, floors: 6, entrances: 2, perFloor: 2 };
    expect(errorOf(createBuildingBatch(doc, ctx, { ...base, from: 1, to: 5, suffix: '号楼' }))).toEqual({
      code: 'name.duplicate',
      field: 'from',
      params: { name: '3号楼' },
    });
    expect(errorOf(createBuildingBatch(doc, ctx, { ...base, from: 5, to: 4 })).code).toBe('invalid');
    expect(errorOf(createBuildingBatch(doc, ctx, { ...base, from: 1, to: 500 })).code).toBe('too-long');
    expect(
      errorOf(createBuildingBatch(doc, ctx, { ...base, from: 20, to: 99, floors: 33, entrances: 4, perFloor: 4 })).code,
    ).toBe('batch.too-large');
    expect(errorOf(createBuildingBatch(doc, makeCtx({ permissions: [] }), { ...base, from: 20, to: 21 })).code).toBe(
      'permission-denied',
    );
    expect(listRecords(doc, 'buildings')).toHaveLength(before);
  });
});
