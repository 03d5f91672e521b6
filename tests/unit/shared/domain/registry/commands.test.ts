import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  createPartyOrg,
  createZone,
  importResidents,
  moveZone,
  recordHistory,
  recordPartyCheckIn,
  revealSensitive,
  setBuildingHead,
  setCommunityMeta,
  updateResident,
  deleteResident,
  createResident,
  createHousehold,
  createBuilding,
} from '@shared/domain/registry/commands';
import { isCommandOrigin } from '@shared/domain/kernel';
import { readAudit, readMeta, readRecord } from '@shared/ydoc/registry';
import type { HouseholdId, ImportResidentRow } from '@shared/domain/registry/types';
import { addResident, errorOf, freshId, makeCtx, smallRegistry, unwrap } from './fixtures';

describe('command transactions', () => {
  it('writes exactly one transaction tagged with the command origin and appends one audit entry', () => {
    const { doc, ctx, household } = smallRegistry();
    const auditBefore = readAudit(doc).length;
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const id = unwrap(addResident(doc, ctx, household, { name: '李四' }));
    expect(origins).toHaveLength(1);
    expect(isCommandOrigin(origins[0])).toBe(true);
    expect(origins[0]).toMatchObject({ kind: 'command', command: 'createResident', actor: ctx.actor });
    const audit = readAudit(doc).slice(auditBefore);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'create',
      collection: 'residents',
      recordId: id,
      userId: 'u1',
      userName: 'name-u1',
      deviceId: 'dev-u1',
      at: '2026-03-01T02:00:00.000Z',
      fields: { name: '李四' },
    });
  });

  it('touches nothing when validation fails', () => {
    const { doc, ctx, household } = smallRegistry();
    const before = Y.encodeStateVector(doc);
    expect(errorOf(addResident(doc, ctx, household, { idNumber: '511302199001011230' })).code).toBe(
      'id-number.checksum',
    );
    expect(errorOf(addResident(doc, ctx, household, { phone: '12345' })).code).toBe('phone.invalid');
    expect(errorOf(addResident(doc, ctx, household, { name: ' ' }))).toEqual({ code: 'required', field: 'name' });
    expect(errorOf(addResident(doc, ctx, 'nope' as HouseholdId))).toEqual({ code: 'not-found', field: 'householdId' });
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('refuses writes without permission, and special-population flags without registry.special-care', () => {
    const { doc, household } = smallRegistry();
    const viewer = makeCtx({ permissions: [] });
    expect(errorOf(addResident(doc, viewer, household)).code).toBe('permission-denied');
    const editor = makeCtx({ permissions: ['registry.edit'] });
    expect(errorOf(addResident(doc, editor, household, { tags: ['special-care'] })).code).toBe('permission-denied');
    expect(unwrap(addResident(doc, editor, household, { tags: ['volunteer'] }))).toBeTruthy();
  });

  it('needs registry.special-care to clear a special-population flag or delete a flagged resident, and writes nothing', () => {
    const { doc, ctx, household } = smallRegistry();
    const flagged = unwrap(addResident(doc, ctx, household, { tags: ['disabled', 'volunteer'] }));
    const editor = makeCtx({ permissions: ['registry.edit'] });
    const before = Y.encodeStateVector(doc);
    expect(errorOf(updateResident(doc, editor, { id: flagged, changes: { tags: ['volunteer'] } }))).toEqual({
      code: 'permission-denied',
    });
    expect(errorOf(deleteResident(doc, editor, { id: flagged }))).toEqual({ code: 'permission-denied' });
    expect(Y.encodeStateVector(doc)).toEqual(before);
    // Flags it does not touch do not need it.
    expect(unwrap(updateResident(doc, editor, { id: flagged, changes: { note: '行动不便' } }))).toEqual(['note']);
  });

  it('types its input: an unknown field does not compile, and the input is refused at run time', () => {
    const { doc, ctx, household } = smallRegistry();
    // @ts-expect-error `idNumbr` is no field of createResident, and `idNumber` is missing
    const wrong = createResident(doc, ctx, { name: '李四', idNumbr: freshId(), householdId: household });
    expect(errorOf(wrong)).toEqual({ code: 'required', field: 'idNumber' });
  });

  it('isCommandOrigin rejects other origins', () => {
    expect(isCommandOrigin(null)).toBe(false);
    expect(isCommandOrigin('remote')).toBe(false);
    expect(isCommandOrigin({ kind: 'sync' })).toBe(false);
  });
});

describe('residents', () => {
  it('derives sex and birth date from the ID number and refuses a contradicting sex', () => {
    const { doc, ctx, household } = smallRegistry();
    const idNumber = freshId('female', '1975-08-09');
    const id = unwrap(addResident(doc, ctx, household, { idNumber: idNumber.toLowerCase() }));
    expect(readRecord(doc, 'residents', id)).toMatchObject({ sex: 'female', birthDate: '1975-08-09', idNumber });
    expect(errorOf(addResident(doc, ctx, household, { idNumber: freshId('female'), sex: 'male' })).code).toBe(
      'id-number.sex-mismatch',
    );
  });

  it('refuses a second living resident with the same ID number, but not after the first was deleted', () => {
    const { doc, ctx, household } = smallRegistry();
    const idNumber = freshId();
    const first = unwrap(addResident(doc, ctx, household, { idNumber }));
    expect(errorOf(addResident(doc, ctx, household, { idNumber }))).toEqual({
      code: 'id-number.duplicate',
      field: 'idNumber',
    });
    unwrap(deleteResident(doc, ctx, { id: first }));
    expect(readRecord(doc, 'residents', first)?.deletedAt).toBe('2026-03-01T02:00:00.000Z');
    expect(unwrap(addResident(doc, ctx, household, { idNumber }))).not.toBe(first);
  });

  it('sets the householder when the 本人 is created, and refuses a second 本人', () => {
    const { doc, ctx, household } = smallRegistry();
    const self = unwrap(addResident(doc, ctx, household, { relation: 'self' }));
    expect(readRecord(doc, 'households', household)?.householderId).toBe(self);
    expect(errorOf(addResident(doc, ctx, household, { relation: 'self' })).code).toBe('household.householder-exists');
  });

  it('updateResident writes only the fields that changed', () => {
    const { doc, ctx, household } = smallRegistry();
    const id = unwrap(addResident(doc, ctx, household, { name: '王五' }));
    ctx.advance(60_000);
    expect(unwrap(updateResident(doc, ctx, { id, changes: { name: '王五', phone: '139 0000 2222' } }))).toEqual([
      'phone',
    ]);
    expect(readRecord(doc, 'residents', id)?.phone).toBe('13900002222');
    expect(recordHistory(doc, 'residents', id).at(-1)).toMatchObject({
      action: 'update',
      fields: { phone: '13900002222' },
    });
    expect(unwrap(updateResident(doc, ctx, { id, changes: { name: '王五' } }))).toEqual([]);
  });

  it('revealSensitive returns the value and audits who saw which field, never the value', () => {
    const { doc, household } = smallRegistry();
    const ctx = makeCtx({ permissions: ['registry.edit', 'registry.reveal'] });
    const idNumber = freshId();
    const id = unwrap(addResident(doc, ctx, household, { idNumber }));
    expect(unwrap(revealSensitive(doc, ctx, { residentId: id, field: 'idNumber' })).value).toBe(idNumber);
    const entry = recordHistory(doc, 'residents', id).at(-1);
    expect(entry).toMatchObject({ action: 'reveal', fields: { revealed: 'idNumber' } });
    expect(JSON.stringify(entry)).not.toContain(idNumber);
    expect(
      errorOf(revealSensitive(doc, makeCtx({ permissions: ['registry.edit'] }), { residentId: id, field: 'phone' }))
        .code,
    ).toBe('permission-denied');
  });

  it('records a party check-in only for a party member and not in the future', () => {
    const { doc, ctx, household } = smallRegistry();
    const member = unwrap(addResident(doc, ctx, household, { tags: ['party-member'] }));
    const other = unwrap(addResident(doc, ctx, household));
    expect(unwrap(recordPartyCheckIn(doc, ctx, { residentId: member, date: '2025-06-01' }))).toEqual(['partyCheckIn']);
    expect(errorOf(recordPartyCheckIn(doc, ctx, { residentId: other, date: '2025-06-01' })).code).toBe(
      'party-org.not-member',
    );
    expect(errorOf(recordPartyCheckIn(doc, ctx, { residentId: member, date: '2026-03-02' })).code).toBe('date.future');
  });
});

describe('five-heads tree commands', () => {
  it('refuses to move a zone under itself or under one of its descendants (tree.cycle)', () => {
    const { doc, ctx, street, lane, courtyard } = smallRegistry();
    const otherStreet = unwrap(createZone(doc, ctx, { level: 'street', name: '模范街' }));
    expect(errorOf(moveZone(doc, ctx, { id: street, parentId: street })).code).toBe('tree.cycle');
    expect(errorOf(moveZone(doc, ctx, { id: street, parentId: courtyard })).code).toBe('tree.cycle');
    expect(errorOf(moveZone(doc, ctx, { id: street, parentId: lane })).code).toBe('tree.cycle');
    expect(unwrap(moveZone(doc, ctx, { id: lane, parentId: otherStreet }))).toEqual(['parentId']);
    expect(readRecord(doc, 'zones', lane)?.parentId).toBe(otherStreet);
  });

  it('refuses a parent that is not on a higher level (tree.level), and allows skipping a level', () => {
    const { doc, ctx, area, lane, courtyard } = smallRegistry();
    const otherLane = unwrap(createZone(doc, ctx, { level: 'lane', name: '二巷' }));
    expect(errorOf(moveZone(doc, ctx, { id: lane, parentId: otherLane })).code).toBe('tree.level');
    expect(errorOf(createZone(doc, ctx, { level: 'street', name: 'x', parentId: courtyard })).code).toBe('tree.level');
    expect(unwrap(moveZone(doc, ctx, { id: otherLane, parentId: area }))).toEqual(['parentId']);
  });

  it('refuses a head that does not exist', () => {
    const { doc, ctx, building, volunteer } = smallRegistry();
    expect(errorOf(setBuildingHead(doc, ctx, { id: building, head: { kind: 'resident', id: 'ghost' } }))).toEqual({
      code: 'not-found',
      field: 'head',
    });
    expect(unwrap(setBuildingHead(doc, ctx, { id: building, head: { kind: 'volunteer', id: volunteer } }))).toEqual([
      'head',
    ]);
  });

  it('refuses a duplicate building name in one compound and an entrance of another building', () => {
    const { doc, ctx, compound, entrance } = smallRegistry();
    expect(errorOf(createBuilding(doc, ctx, { compoundId: compound, name: '3号楼' })).code).toBe('name.duplicate');
    const other = unwrap(createBuilding(doc, ctx, { compoundId: compound, name: '4栋' }));
    expect(
      errorOf(createHousehold(doc, ctx, { buildingId: other, entranceId: entrance, doorNumber: '101' })).code,
    ).toBe('entrance.wrong-building');
  });
});

describe('party organisation', () => {
  it('follows committee > branch > group and only takes party members', () => {
    const { doc, ctx, household, compound, building } = smallRegistry();
    const member = unwrap(addResident(doc, ctx, household, { tags: ['party-member'] }));
    const nonMember = unwrap(addResident(doc, ctx, household));
    const committee = unwrap(createPartyOrg(doc, ctx, { kind: 'committee', name: '西河社区党委' }));
    expect(errorOf(createPartyOrg(doc, ctx, { kind: 'group', name: 'g', parentId: committee })).code).toBe(
      'party-org.level',
    );
    expect(errorOf(createPartyOrg(doc, ctx, { kind: 'branch', name: 'b' })).code).toBe('party-org.level');
    const branch = unwrap(
      createPartyOrg(doc, ctx, { kind: 'branch', name: '支部', parentId: committee, compoundId: compound }),
    );
    expect(
      errorOf(createPartyOrg(doc, ctx, { kind: 'group', name: 'g', parentId: branch, memberIds: [nonMember] })).code,
    ).toBe('party-org.not-member');
    const group = unwrap(
      createPartyOrg(doc, ctx, {
        kind: 'group',
        name: '3栋党小组',
        parentId: branch,
        buildingId: building,
        memberIds: [member, member],
      }),
    );
    expect(readRecord(doc, 'partyOrgs', group)?.memberIds).toEqual([member]);
  });
});

describe('meta and import', () => {
  it('setCommunityMeta needs admin', () => {
    const { doc } = smallRegistry();
    expect(
      errorOf(setCommunityMeta(doc, makeCtx({ permissions: ['registry.edit'] }), { communityName: 'x' })).code,
    ).toBe('permission-denied');
    unwrap(setCommunityMeta(doc, makeCtx(), { communityName: '西河社区' }));
    expect(readMeta(doc).communityName).toBe('西河社区');
  });

  it('importResidents writes many residents, households and entrances in one transaction with one audit entry', () => {
    const { doc, ctx, building } = smallRegistry();
    const auditBefore = readAudit(doc).length;
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    const rows = Array.from({ length: 50 }, (_, i): ImportResidentRow => ({
      name: `居民${i}`,
      idNumber: freshId(i % 2 === 0 ? 'male' : 'female'),
      buildingId: building,
      entranceName: i < 25 ? '1单元' : '2单元',
      doorNumber: `${Math.floor(i / 5) + 1}01`,
      relation: i % 5 === 0 ? 'self' : 'child',
    }));
    const summary = unwrap(importResidents(doc, ctx, { rows }));
    expect(transactions).toBe(1);
    expect(summary.residentIds).toHaveLength(50);
    expect(summary.entrancesCreated).toBe(1); // 1单元 existed
    // 1单元 301 already existed (smallRegistry): its five rows join it, the other nine doors are new.
    expect(summary.householdsCreated).toBe(9);
    const audit = readAudit(doc).slice(auditBefore);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'import',
      fields: { count: 50, householdsCreated: 9, entrancesCreated: 1 },
    });
    const first = summary.residentIds[0]!;
    expect(recordHistory(doc, 'residents', first).map((e) => e.action)).toEqual(['import']);
    // Each door's 本人 (rows 0, 5, 10, ...) is its household's householder, new households (inserted after their
    // residents, in one created value) and the existing 301 alike.
    for (let door = 0; door < 10; door++) {
      const self = readRecord(doc, 'residents', summary.residentIds[door * 5]!)!;
      expect(readRecord(doc, 'households', self.householdId)?.householderId).toBe(self.id);
    }
  });

  it('importResidents refuses the whole batch when one row is bad, naming the row', () => {
    const { doc, ctx, building, household } = smallRegistry();
    const existing = freshId();
    unwrap(createResident(doc, ctx, { name: '甲', idNumber: existing, householdId: household }));
    const rows = [
      { name: '乙', idNumber: freshId(), buildingId: building, doorNumber: '101' },
      { name: '丙', idNumber: existing, buildingId: building, doorNumber: '102' },
    ];
    const before = Y.encodeStateVector(doc);
    expect(errorOf(importResidents(doc, ctx, { rows }))).toEqual({
      code: 'id-number.duplicate',
      field: 'idNumber',
      params: { row: 1 },
    });
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });
});
