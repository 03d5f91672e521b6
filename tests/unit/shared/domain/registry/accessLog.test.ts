import { describe, expect, it } from 'vitest';
import { accessLogOf } from '@shared/domain/registry/accessLog';
import type { CommandInput } from '@shared/domain/kernel';
import {
  createBuilding,
  createHousehold,
  deleteResident,
  revealSensitive,
  updateResident,
} from '@shared/domain/registry/commands';
import { recordExport } from '@shared/domain/registry/exportAudit';
import { recordPrint } from '@shared/domain/registry/printAudit';
import { auditArray, readAudit } from '@shared/ydoc/registry';
import { addResident, makeCtx, smallRegistry, unwrap } from './fixtures';

const EXPORT: Pick<CommandInput<typeof recordExport>, 'kind' | 'columns' | 'unmasked'> = {
  kind: 'residents',
  columns: ['name', 'idNumber', 'phone'],
  unmasked: false,
};

function registryWithTwo() {
  const fixture = smallRegistry();
  const { doc, ctx, compound, household } = fixture;
  const other = unwrap(createBuilding(doc, ctx, { compoundId: compound, name: '5栋' }));
  const otherHousehold = unwrap(createHousehold(doc, ctx, { buildingId: other, doorNumber: '101' }));
  const zhang = unwrap(addResident(doc, ctx, household, { name: '张三' }));
  const li = unwrap(addResident(doc, ctx, otherHousehold, { name: '李四', tags: ['elderly-alone'] }));
  ctx.advance(60_000);
  return { ...fixture, other, zhang, li };
}

describe('accessLogOf', () => {
  it('lists the reveals, exports and prints that concern a resident, newest first, with who, when and from which device', () => {
    const { doc, zhang, li } = registryWithTwo();
    const clerk = makeCtx({ user: 'clerk', start: '2026-03-02T01:00:00.000Z' });
    unwrap(revealSensitive(doc, clerk, { residentId: zhang, field: 'idNumber' }));
    clerk.advance(1000);
    unwrap(revealSensitive(doc, clerk, { residentId: li, field: 'phone' }));
    clerk.advance(1000);
    unwrap(recordExport(doc, clerk, { ...EXPORT, unmasked: true, count: 1, residentIds: [zhang] }));
    clerk.advance(1000);
    unwrap(
      recordPrint(doc, clerk, {
        document: 'mediation-dossier',
        docName: 'xihe/cases/2026',
        collection: 'cases',
        recordId: 'case-1',
        residentIds: [zhang],
        unmasked: false,
      }),
    );
    clerk.advance(1000);
    // An edit is not an access: it stays in the history, not in this log.
    unwrap(updateResident(doc, clerk, { id: zhang, changes: { note: '改' } }));

    const log = accessLogOf(doc, zhang);
    expect(log.map((e) => e.action)).toEqual(['print', 'export', 'reveal']);
    expect(log[0]).toMatchObject({
      document: 'mediation-dossier',
      unmasked: false,
      source: { collection: 'cases', recordId: 'case-1', docName: 'xihe/cases/2026' },
      userName: 'name-clerk',
      deviceId: 'dev-clerk',
      attribution: 'named',
    });
    expect(log[1]).toMatchObject({ unmasked: true, count: 1, columns: ['name', 'idNumber', 'phone'] });
    expect(log[2]).toMatchObject({ field: 'idNumber', unmasked: true, at: '2026-03-02T01:00:00.000Z' });
    expect(accessLogOf(doc, li).map((e) => e.field)).toEqual(['phone']);
  });

  it('attributes a bulk export to the residents who were registered then and match its filter', () => {
    const { doc, ctx, building, zhang, li } = registryWithTwo();
    const bulk = (filter: CommandInput<typeof recordExport>['filter']) =>
      unwrap(recordExport(doc, ctx, { ...EXPORT, count: 5000, filter }));
    bulk({ query: '' });
    bulk({ buildingId: building });
    bulk({ tag: 'elderly-alone' });
    bulk({ query: '李' });
    // Written before ids were kept: the same as a bulk export.
    doc.transact(() =>
      auditArray(doc).push([
        {
          id: 'old-export',
          at: ctx.now().toISOString(),
          userId: 'u0',
          userName: 'old',
          deviceId: 'd0',
          action: 'export',
          collection: 'residents',
          recordId: 'old-export',
          fields: { count: 2, columns: ['name'], unmasked: false, filter: {} },
        },
      ]),
    );

    const zhangLog = accessLogOf(doc, zhang);
    expect(zhangLog).toHaveLength(4);
    expect(zhangLog.every((e) => e.attribution === 'by-filter')).toBe(true);
    expect(zhangLog.filter((e) => e.searched)).toHaveLength(1);
    expect(zhangLog.map((e) => e.filter.buildingId ?? e.filter.tag ?? null)).not.toContain('elderly-alone');
    const liLog = accessLogOf(doc, li);
    expect(liLog).toHaveLength(4);
    expect(liLog.map((e) => e.filter.buildingId ?? null)).not.toContain(building);
  });

  it('does not attribute a bulk export to a resident registered after it or deleted before it', () => {
    const { doc, ctx, household } = registryWithTwo();
    const gone = unwrap(addResident(doc, ctx, household, { name: '王五' }));
    ctx.advance(1000);
    unwrap(deleteResident(doc, ctx, { id: gone }));
    ctx.advance(1000);
    unwrap(recordExport(doc, ctx, { ...EXPORT, count: 5000 }));
    ctx.advance(1000);
    const late = unwrap(addResident(doc, ctx, household, { name: '赵六' }));
    expect(accessLogOf(doc, gone)).toEqual([]);
    expect(accessLogOf(doc, late)).toEqual([]);
  });
});

describe('the audit is append-only on this device', () => {
  it('no command, export or print removes or changes an audit entry', () => {
    const { doc, ctx, zhang } = registryWithTwo();
    const audit = auditArray(doc);
    let removed = 0;
    audit.observe((event) => {
      for (const part of event.changes.delta) if (part.delete !== undefined) removed += part.delete;
    });
    const before = readAudit(doc).map((e) => JSON.stringify(e));
    unwrap(updateResident(doc, ctx, { id: zhang, changes: { note: 'x' } }));
    unwrap(revealSensitive(doc, ctx, { residentId: zhang, field: 'phone' }));
    unwrap(recordExport(doc, ctx, { ...EXPORT, count: 1, residentIds: [zhang] }));
    unwrap(
      recordPrint(doc, ctx, {
        document: 'resident',
        docName: 'x/registry',
        collection: 'residents',
        recordId: zhang,
        unmasked: false,
      }),
    );
    unwrap(deleteResident(doc, ctx, { id: zhang }));
    expect(removed).toBe(0);
    expect(
      readAudit(doc)
        .slice(0, before.length)
        .map((e) => JSON.stringify(e)),
    ).toEqual(before);
  });
});
