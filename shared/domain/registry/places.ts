/**
 * Commands of the places a community is made of: compounds (小区/院落), buildings, entrances (单元) and households.
 * Each is a kernel command (docs/architecture.md, "commands"): `registry.edit`, the input schema of types.ts, the
 * rules below, one write audited in the registry's journal.
 */
import type * as Y from 'yjs';
import { defineCommand, domainError, err, refuse, type DomainError } from '../kernel';
import { collectionMap, readRecord, recordField } from '../../ydoc/registry';
import { insertPlan, registryJournal, updatePlan } from './journal';
import { buildingKey, doorKey, entranceKey } from './names';
import { checkHead, checkRef, firstError, liveResident } from './references';
import {
  createBuildingSchema,
  createCompoundSchema,
  createEntranceSchema,
  createHouseholdSchema,
  updateCompoundSchema,
  type BuildingId,
  type CompoundId,
  type EntranceId,
  type HouseholdId,
  type OwnersCommitteeMember,
} from './types';

/** An owners' committee member linked to the registry must be a living resident. */
function checkCommittee(doc: Y.Doc, members: readonly OwnersCommitteeMember[] | undefined): DomainError | null {
  return firstError(
    ...(members ?? []).map((m, i) =>
      m.residentId === null || liveResident(doc, m.residentId) !== null
        ? null
        : domainError('not-found', `ownersCommittee.${i}.residentId`),
    ),
  );
}

export const createCompound = defineCommand({
  name: 'createCompound',
  permission: 'registry.edit',
  input: createCompoundSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    const problem = firstError(checkRef(doc, 'zones', v.zoneId, 'zoneId'), checkCommittee(doc, v.ownersCommittee));
    if (problem !== null) return err(problem);
    return insertPlan(doc, 'compounds', ctx.newId() as CompoundId, v);
  },
});

export const updateCompound = defineCommand({
  name: 'updateCompound',
  permission: 'registry.edit',
  input: updateCompoundSchema,
  journal: registryJournal,
  plan: (doc, { id, changes }) => {
    const current = readRecord(doc, 'compounds', id);
    if (current === null) return refuse('not-found', 'id');
    const problem = firstError(
      checkRef(doc, 'zones', changes.zoneId ?? null, 'zoneId'),
      checkCommittee(doc, changes.ownersCommittee),
    );
    if (problem !== null) return err(problem);
    return updatePlan(doc, 'compounds', id, current, changes);
  },
});

export const createBuilding = defineCommand({
  name: 'createBuilding',
  permission: 'registry.edit',
  input: createBuildingSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    const problem = firstError(
      checkRef(doc, 'compounds', v.compoundId, 'compoundId'),
      checkRef(doc, 'zones', v.zoneId, 'zoneId'),
      checkRef(doc, 'grids', v.gridId, 'gridId'),
      checkHead(doc, v.head, 'head'),
    );
    if (problem !== null) return err(problem);
    // 3栋 and 3号楼 are one building: imports and the mediation intake find buildings by name.
    const key = buildingKey(v.name);
    for (const map of collectionMap(doc, 'buildings').values()) {
      if (recordField(map, 'compoundId') === v.compoundId && buildingKey(String(recordField(map, 'name'))) === key) {
        return refuse('name.duplicate', 'name');
      }
    }
    return insertPlan(doc, 'buildings', ctx.newId() as BuildingId, v);
  },
});

/** The entrance of a building with that name (一单元 = 1单元), or `null`. */
function findEntrance(doc: Y.Doc, buildingId: string, name: string): string | null {
  const key = entranceKey(name);
  for (const [id, map] of collectionMap(doc, 'entrances').entries()) {
    if (recordField(map, 'buildingId') === buildingId && entranceKey(String(recordField(map, 'name'))) === key)
      return id;
  }
  return null;
}

export const createEntrance = defineCommand({
  name: 'createEntrance',
  permission: 'registry.edit',
  input: createEntranceSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    const missing = checkRef(doc, 'buildings', v.buildingId, 'buildingId');
    if (missing !== null) return err(missing);
    if (findEntrance(doc, v.buildingId, v.name) !== null) return refuse('entrance.duplicate', 'name');
    return insertPlan(doc, 'entrances', ctx.newId() as EntranceId, v);
  },
});

/** One household a door: building + entrance + door number (301 = 301室). */
export function householdKey(buildingId: string, entranceId: string | null, door: string): string {
  return `${buildingId}|${entranceId ?? ''}|${doorKey(door)}`;
}

/** Every household by `householdKey`. */
export function householdIndex(doc: Y.Doc): Map<string, string> {
  const index = new Map<string, string>();
  collectionMap(doc, 'households').forEach((map, id) => {
    const entrance = recordField(map, 'entranceId');
    index.set(
      householdKey(
        String(recordField(map, 'buildingId')),
        typeof entrance === 'string' ? entrance : null,
        String(recordField(map, 'doorNumber')),
      ),
      id,
    );
  });
  return index;
}

/** The address a household gets when none is given: compound + building + entrance + door. */
export function householdAddress(doc: Y.Doc, buildingId: string, entranceName: string | null, door: string): string {
  const building = readRecord(doc, 'buildings', buildingId);
  const compound = building === null ? null : readRecord(doc, 'compounds', building.compoundId);
  return `${compound?.name ?? ''}${building?.name ?? ''}${entranceName ?? ''}${door}`;
}

export const createHousehold = defineCommand({
  name: 'createHousehold',
  permission: 'registry.edit',
  input: createHouseholdSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    const missing = firstError(
      checkRef(doc, 'buildings', v.buildingId, 'buildingId'),
      checkRef(doc, 'entrances', v.entranceId, 'entranceId'),
    );
    if (missing !== null) return err(missing);
    const entrance = v.entranceId === null ? null : readRecord(doc, 'entrances', v.entranceId);
    if (v.entranceId !== null && entrance?.buildingId !== v.buildingId) {
      return refuse('entrance.wrong-building', 'entranceId');
    }
    if (householdIndex(doc).has(householdKey(v.buildingId, v.entranceId, v.doorNumber))) {
      return refuse('household.duplicate', 'doorNumber');
    }
    return insertPlan(doc, 'households', ctx.newId() as HouseholdId, {
      buildingId: v.buildingId,
      entranceId: v.entranceId,
      doorNumber: v.doorNumber,
      address: v.address ?? householdAddress(doc, v.buildingId, entrance?.name ?? null, v.doorNumber),
      floorArea: v.floorArea,
      householderId: null,
    });
  },
});
