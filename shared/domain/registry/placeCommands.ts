/**
 * Commands of the places screens (楼栋与五长) besides those of places.ts and organisation.ts: renaming buildings, grids
 * and party organisations, a building's floors, a household's floor area and a party organisation's secretary.
 *
 * Kernel commands like the others (docs/architecture.md, "commands"): `registry.edit`, the schema below, the rule
 * against the current document, then the changed fields in one audited transaction (`updatePlan`). Nothing changed
 * writes nothing.
 */
import { z } from 'zod';
import { defineCommand, err, refuse } from '../kernel';
import { collectionMap, readRecord, recordField } from '../../ydoc/registry';
import { registryJournal, updateExisting, updatePlan } from './journal';
import { buildingKey } from './names';
import { checkHead } from './references';
import {
  buildingIdSchema,
  floorAreaSchema,
  gridIdSchema,
  headRefSchema,
  householdIdSchema,
  partyOrgIdSchema,
} from './types';

const name = z.string().trim().min(1).max(100);

export const renameBuildingSchema = z.object({ id: buildingIdSchema, name });
export const setBuildingFloorsSchema = z.object({
  id: buildingIdSchema,
  floors: z.number().int().min(1).max(200).nullable(),
});
export const setHouseholdFloorAreaSchema = z.object({ id: householdIdSchema, floorArea: floorAreaSchema });
export const renameGridSchema = z.object({ id: gridIdSchema, name });
export const renamePartyOrgSchema = z.object({ id: partyOrgIdSchema, name });
export const setPartyOrgSecretarySchema = z.object({ id: partyOrgIdSchema, secretary: headRefSchema.nullable() });

/**
 * Renames a building. The name stays unique inside its compound in the same sense as `createBuilding` (3栋 = 3号楼),
 * because imports and the mediation intake find buildings by name.
 */
export const renameBuilding = defineCommand({
  name: 'renameBuilding',
  permission: 'registry.edit',
  input: renameBuildingSchema,
  journal: registryJournal,
  plan: (doc, { id, name: newName }) => {
    const current = readRecord(doc, 'buildings', id);
    if (current === null) return refuse('not-found', 'id');
    const key = buildingKey(newName);
    for (const [otherId, map] of collectionMap(doc, 'buildings').entries()) {
      if (otherId === id || recordField(map, 'compoundId') !== current.compoundId) continue;
      if (buildingKey(String(recordField(map, 'name'))) === key) return refuse('name.duplicate', 'name');
    }
    return updatePlan(doc, 'buildings', id, current, { name: newName });
  },
});

export const setBuildingFloors = defineCommand({
  name: 'setBuildingFloors',
  permission: 'registry.edit',
  input: setBuildingFloorsSchema,
  journal: registryJournal,
  plan: (doc, { id, floors }) => updateExisting(doc, 'buildings', id, { floors }),
});

/**
 * Sets (or clears, with null) a household's building area in m². 民法典 art. 278: owners' assembly votes count both
 * floor area and headcount, so an unknown area stays null rather than becoming 0.
 */
export const setHouseholdFloorArea = defineCommand({
  name: 'setHouseholdFloorArea',
  permission: 'registry.edit',
  input: setHouseholdFloorAreaSchema,
  journal: registryJournal,
  plan: (doc, { id, floorArea }) => updateExisting(doc, 'households', id, { floorArea }),
});

export const renameGrid = defineCommand({
  name: 'renameGrid',
  permission: 'registry.edit',
  input: renameGridSchema,
  journal: registryJournal,
  plan: (doc, { id, name: newName }) => updateExisting(doc, 'grids', id, { name: newName }),
});

export const renamePartyOrg = defineCommand({
  name: 'renamePartyOrg',
  permission: 'registry.edit',
  input: renamePartyOrgSchema,
  journal: registryJournal,
  plan: (doc, { id, name: newName }) => updateExisting(doc, 'partyOrgs', id, { name: newName }),
});

/**
 * Sets or clears the secretary (书记) of a party organisation. A resident secretary must be a party member: the
 * secretary is elected from the organisation's members (中国共产党基层组织选举工作条例 art. 4).
 */
export const setPartyOrgSecretary = defineCommand({
  name: 'setPartyOrgSecretary',
  permission: 'registry.edit',
  input: setPartyOrgSecretarySchema,
  journal: registryJournal,
  plan: (doc, { id, secretary }) => {
    const current = readRecord(doc, 'partyOrgs', id);
    if (current === null) return refuse('not-found', 'id');
    const problem = checkHead(doc, secretary, 'secretary');
    if (problem !== null) return err(problem);
    if (
      secretary?.kind === 'resident' &&
      readRecord(doc, 'residents', secretary.id)?.tags.includes('party-member') !== true
    ) {
      return refuse('party-org.not-member', 'secretary');
    }
    return updatePlan(doc, 'partyOrgs', id, current, { secretary });
  },
});
