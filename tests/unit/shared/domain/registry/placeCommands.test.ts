import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { isCommandOrigin } from '@shared/domain/kernel';
import { createBuilding, createGrid, createPartyOrg } from '@shared/domain/registry/commands';
import {
  renameBuilding,
  renameGrid,
  renamePartyOrg,
  setBuildingFloors,
  setHouseholdFloorArea,
  setPartyOrgSecretary,
} from '@shared/domain/registry/placeCommands';
import { readAudit, readRecord } from '@shared/ydoc/registry';
import type { HouseholdId } from '@shared/domain/registry/types';
import { addResident, errorOf, makeCtx, smallRegistry, unwrap } from './fixtures';

describe('place commands', () => {
  it('renames a building in one command transaction with one audit entry', () => {
    const { doc, ctx, building } = smallRegistry();
    const before = readAudit(doc).length;
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    expect(unwrap(renameBuilding(doc, ctx, { id: building, name: '3号楼' }))).toEqual(['name']);
    expect(origins).toHaveLength(1);
    expect(isCommandOrigin(origins[0])).toBe(true);
    expect(origins[0]).toMatchObject({ command: 'renameBuilding' });
    expect(readRecord(doc, 'buildings', building)?.name).toBe('3号楼');
    expect(readAudit(doc).slice(before)).toMatchObject([
      { action: 'update', collection: 'buildings', recordId: building, fields: { name: '3号楼' } },
    ]);
  });

  it('refuses a building name already used in the same compound, counting 4栋 and 4号楼 as one', () => {
    const { doc, ctx, compound, building } = smallRegistry();
    unwrap(createBuilding(doc, ctx, { compoundId: compound, name: '4栋' }));
    const before = Y.encodeStateVector(doc);
    expect(errorOf(renameBuilding(doc, ctx, { id: building, name: '4号楼' }))).toEqual({
      code: 'name.duplicate',
      field: 'name',
    });
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('writes nothing when the value does not change', () => {
    const { doc, ctx, building } = smallRegistry();
    const before = readAudit(doc).length;
    expect(unwrap(setBuildingFloors(doc, ctx, { id: building, floors: 6 }))).toEqual([]);
    expect(readAudit(doc)).toHaveLength(before);
  });

  it('sets and clears a household floor area, refusing a negative one', () => {
    const { doc, ctx, household } = smallRegistry();
    expect(unwrap(setHouseholdFloorArea(doc, ctx, { id: household, floorArea: 72.4 }))).toEqual(['floorArea']);
    expect(readRecord(doc, 'households', household)?.floorArea).toBe(72.4);
    expect(unwrap(setHouseholdFloorArea(doc, ctx, { id: household, floorArea: null }))).toEqual(['floorArea']);
    expect(readRecord(doc, 'households', household)?.floorArea).toBeNull();
    expect(errorOf(setHouseholdFloorArea(doc, ctx, { id: household, floorArea: -3 })).code).toBe('invalid');
    expect(errorOf(setHouseholdFloorArea(doc, ctx, { id: 'nope' as HouseholdId, floorArea: 3 }))).toEqual({
      code: 'not-found',
      field: 'id',
    });
  });

  it('renames grids and party organisations', () => {
    const { doc, ctx } = smallRegistry();
    const grid = unwrap(createGrid(doc, ctx, { name: '第1网格' }));
    expect(unwrap(renameGrid(doc, ctx, { id: grid, name: '第一网格' }))).toEqual(['name']);
    const org = unwrap(createPartyOrg(doc, ctx, { kind: 'committee', name: '社区党委' }));
    expect(unwrap(renamePartyOrg(doc, ctx, { id: org, name: '西河社区党委' }))).toEqual(['name']);
    expect(readRecord(doc, 'partyOrgs', org)?.name).toBe('西河社区党委');
    expect(errorOf(renameGrid(doc, ctx, { id: grid, name: ' ' }))).toEqual({ code: 'required', field: 'name' });
  });

  it('sets a party member or a volunteer as secretary and refuses a resident who is not a party member', () => {
    const { doc, ctx, household, volunteer } = smallRegistry();
    const org = unwrap(createPartyOrg(doc, ctx, { kind: 'committee', name: '社区党委' }));
    const member = unwrap(addResident(doc, ctx, household, { name: '王书记', tags: ['party-member'] }));
    const other = unwrap(addResident(doc, ctx, household, { name: '李群众' }));
    expect(unwrap(setPartyOrgSecretary(doc, ctx, { id: org, secretary: { kind: 'resident', id: member } }))).toEqual([
      'secretary',
    ]);
    expect(errorOf(setPartyOrgSecretary(doc, ctx, { id: org, secretary: { kind: 'resident', id: other } }))).toEqual({
      code: 'party-org.not-member',
      field: 'secretary',
    });
    expect(
      unwrap(setPartyOrgSecretary(doc, ctx, { id: org, secretary: { kind: 'volunteer', id: volunteer } })),
    ).toEqual(['secretary']);
    expect(unwrap(setPartyOrgSecretary(doc, ctx, { id: org, secretary: null }))).toEqual(['secretary']);
    expect(readRecord(doc, 'partyOrgs', org)?.secretary).toBeNull();
  });

  it('refuses every place command without registry.edit', () => {
    const { doc, building } = smallRegistry();
    const viewer = makeCtx({ permissions: [] });
    expect(errorOf(renameBuilding(doc, viewer, { id: building, name: '9栋' })).code).toBe('permission-denied');
  });
});
