/**
 * Commands of the places screens (楼栋与五长) that commands.ts does not have: renaming buildings, grids and party
 * organisations, a building's floors, a household's floor area and a party organisation's secretary.
 *
 * Same contract as commands.ts: permission and zod shape first, domain rules against the current document, then ONE
 * `doc.transact` tagged with the command origin carrying its audit entry (through `writeUpdate`). Nothing changed
 * writes nothing.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { domainError, err, type DomainError } from '../result';
import { collectionMap, readRecord, recordField } from '../../ydoc/registry';
import { checkHead, validate, writeUpdate, type CommandContext, type CommandResult } from './commands';
import { buildingKey } from './names';
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

export type RenameBuildingInput = z.input<typeof renameBuildingSchema>;
export type SetBuildingFloorsInput = z.input<typeof setBuildingFloorsSchema>;
export type SetHouseholdFloorAreaInput = z.input<typeof setHouseholdFloorAreaSchema>;
export type RenameGridInput = z.input<typeof renameGridSchema>;
export type RenamePartyOrgInput = z.input<typeof renamePartyOrgSchema>;
export type SetPartyOrgSecretaryInput = z.input<typeof setPartyOrgSecretarySchema>;

/**
 * Renames a building. The name stays unique inside its compound in the same sense as `createBuilding` (3栋 = 3号楼),
 * because imports and the mediation intake find buildings by name.
 */
export function renameBuilding(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, renameBuildingSchema, input);
  if (!parsed.ok) return parsed;
  const { id, name: newName } = parsed.value;
  const current = readRecord(doc, 'buildings', id);
  if (current === null) return err(domainError('not-found', 'id'));
  const key = buildingKey(newName);
  for (const [otherId, map] of collectionMap(doc, 'buildings').entries()) {
    if (otherId === id || recordField(map, 'compoundId') !== current.compoundId) continue;
    if (buildingKey(String(recordField(map, 'name'))) === key) return err(domainError('name.duplicate', 'name'));
  }
  return writeUpdate(doc, ctx, 'renameBuilding', 'buildings', id, current, { name: newName });
}

export function setBuildingFloors(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, setBuildingFloorsSchema, input);
  if (!parsed.ok) return parsed;
  const current = readRecord(doc, 'buildings', parsed.value.id);
  if (current === null) return err(domainError('not-found', 'id'));
  return writeUpdate(doc, ctx, 'setBuildingFloors', 'buildings', parsed.value.id, current, {
    floors: parsed.value.floors,
  });
}

/**
 * Sets (or clears, with null) a household's building area in m². 民法典 art. 278: owners' assembly votes count both
 * floor area and headcount, so an unknown area stays null rather than becoming 0.
 */
export function setHouseholdFloorArea(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, setHouseholdFloorAreaSchema, input);
  if (!parsed.ok) return parsed;
  const current = readRecord(doc, 'households', parsed.value.id);
  if (current === null) return err(domainError('not-found', 'id'));
  return writeUpdate(doc, ctx, 'setHouseholdFloorArea', 'households', parsed.value.id, current, {
    floorArea: parsed.value.floorArea,
  });
}

export function renameGrid(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, renameGridSchema, input);
  if (!parsed.ok) return parsed;
  const current = readRecord(doc, 'grids', parsed.value.id);
  if (current === null) return err(domainError('not-found', 'id'));
  return writeUpdate(doc, ctx, 'renameGrid', 'grids', parsed.value.id, current, { name: parsed.value.name });
}

export function renamePartyOrg(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, renamePartyOrgSchema, input);
  if (!parsed.ok) return parsed;
  const current = readRecord(doc, 'partyOrgs', parsed.value.id);
  if (current === null) return err(domainError('not-found', 'id'));
  return writeUpdate(doc, ctx, 'renamePartyOrg', 'partyOrgs', parsed.value.id, current, { name: parsed.value.name });
}

/**
 * Sets or clears the secretary (书记) of a party organisation. A resident secretary must be a party member: the
 * secretary is elected from the organisation's members (中国共产党基层组织选举工作条例 art. 4).
 */
export function setPartyOrgSecretary(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, setPartyOrgSecretarySchema, input);
  if (!parsed.ok) return parsed;
  const { id, secretary } = parsed.value;
  const current = readRecord(doc, 'partyOrgs', id);
  if (current === null) return err(domainError('not-found', 'id'));
  const problem: DomainError | null = checkHead(doc, secretary, 'secretary');
  if (problem !== null) return err(problem);
  if (
    secretary?.kind === 'resident' &&
    readRecord(doc, 'residents', secretary.id)?.tags.includes('party-member') !== true
  ) {
    return err(domainError('party-org.not-member', 'secretary'));
  }
  return writeUpdate(doc, ctx, 'setPartyOrgSecretary', 'partyOrgs', id, current, { secretary });
}
