/**
 * Commands of how a community is organised: the five-heads tree (片区 → 街 → 巷 → 院落 → 楼栋) and its heads,
 * volunteers, grids and their workers, the party organisation (党委 → 党支部 → 党小组) with 双报到 check-ins, and the
 * community's own name. Each is a kernel command (docs/architecture.md, "commands").
 */
import type * as Y from 'yjs';
import { defineCommand, domainError, err, ok, plan, refuse, type CommandResult, type DomainError } from '../kernel';
import { hasRecord, readRecord, setMetaFields } from '../../ydoc/registry';
import { changedFields, insertPlan, registryJournal, updateExisting, updatePlan, type RegistryPlan } from './journal';
import { parsePhone } from './phone';
import { checkHead, checkRef, firstError, liveResident } from './references';
import { checkCheckInDate, today } from './residents';
import {
  assignBuildingGridSchema,
  createGridSchema,
  createPartyOrgSchema,
  createVolunteerSchema,
  createZoneSchema,
  moveBuildingSchema,
  moveZoneSchema,
  PARTY_ORG_KINDS,
  recordPartyCheckInSchema,
  renameZoneSchema,
  setBuildingHeadSchema,
  setCommunityMetaSchema,
  setGridWorkersSchema,
  setPartyOrgMembersSchema,
  setZoneHeadSchema,
  ZONE_LEVELS,
  type GridId,
  type GridWorker,
  type HeadRef,
  type PartyOrgId,
  type VolunteerId,
  type ZoneId,
} from './types';

// --- five-heads zones and heads ---------------------------------------------------------------------------------

function levelIndex(level: unknown): number {
  return (ZONE_LEVELS as readonly unknown[]).indexOf(level);
}

/** Tree rule: a parent sits on a strictly higher level (片区 > 街 > 巷 > 院落); levels may be skipped. */
function checkParentLevel(doc: Y.Doc, parentId: string | null, level: string): DomainError | null {
  if (parentId === null) return null;
  const parent = readRecord(doc, 'zones', parentId);
  if (parent === null) return domainError('not-found', 'parentId');
  return levelIndex(parent.level) < levelIndex(level) ? null : domainError('tree.level', 'parentId');
}

export const createZone = defineCommand({
  name: 'createZone',
  permission: 'registry.edit',
  input: createZoneSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    const problem = firstError(checkParentLevel(doc, v.parentId, v.level), checkHead(doc, v.head, 'head'));
    if (problem !== null) return err(problem);
    return insertPlan(doc, 'zones', ctx.newId() as ZoneId, v);
  },
});

export const renameZone = defineCommand({
  name: 'renameZone',
  permission: 'registry.edit',
  input: renameZoneSchema,
  journal: registryJournal,
  plan: (doc, { id, name }) => updateExisting(doc, 'zones', id, { name }),
});

/**
 * Moves a zone under another. Refuses a move under itself or one of its descendants (`tree.cycle`) and a parent
 * that is not on a higher level (`tree.level`). Concurrent moves on two offline devices can still merge into a cycle;
 * the readers in fiveHeads.ts are cycle-safe for that reason.
 */
export const moveZone = defineCommand({
  name: 'moveZone',
  permission: 'registry.edit',
  input: moveZoneSchema,
  journal: registryJournal,
  plan: (doc, { id, parentId }) => {
    const current = readRecord(doc, 'zones', id);
    if (current === null) return refuse('not-found', 'id');
    if (parentId !== null) {
      if (!hasRecord(doc, 'zones', parentId)) return refuse('not-found', 'parentId');
      // Walk up from the new parent; meeting the moved zone means the parent is the zone itself or lies below it.
      const seen = new Set<string>();
      for (
        let at: string | null = parentId;
        at !== null && !seen.has(at);
        at = readRecord(doc, 'zones', at)?.parentId ?? null
      ) {
        if (at === id) return refuse('tree.cycle', 'parentId');
        seen.add(at);
      }
    }
    const level = checkParentLevel(doc, parentId, current.level);
    if (level !== null) return err(level);
    return updatePlan(doc, 'zones', id, current, { parentId }, 'move');
  },
});

/** Sets or clears the head (片区长…院落长, 楼栋长) of a zone or a building: a living resident or a volunteer. */
function headPlan(
  doc: Y.Doc,
  collection: 'zones' | 'buildings',
  id: string,
  head: HeadRef | null,
): RegistryPlan<string[]> {
  const current = readRecord(doc, collection, id);
  if (current === null) return refuse('not-found', 'id');
  const problem = checkHead(doc, head, 'head');
  if (problem !== null) return err(problem);
  return updatePlan(doc, collection, id, current, { head });
}

export const setZoneHead = defineCommand({
  name: 'setZoneHead',
  permission: 'registry.edit',
  input: setZoneHeadSchema,
  journal: registryJournal,
  plan: (doc, { id, head }) => headPlan(doc, 'zones', id, head),
});

export const setBuildingHead = defineCommand({
  name: 'setBuildingHead',
  permission: 'registry.edit',
  input: setBuildingHeadSchema,
  journal: registryJournal,
  plan: (doc, { id, head }) => headPlan(doc, 'buildings', id, head),
});

export const moveBuilding = defineCommand({
  name: 'moveBuilding',
  permission: 'registry.edit',
  input: moveBuildingSchema,
  journal: registryJournal,
  plan: (doc, { id, zoneId }) => {
    const current = readRecord(doc, 'buildings', id);
    if (current === null) return refuse('not-found', 'id');
    const problem = checkRef(doc, 'zones', zoneId, 'zoneId');
    if (problem !== null) return err(problem);
    return updatePlan(doc, 'buildings', id, current, { zoneId }, 'move');
  },
});

export const createVolunteer = defineCommand({
  name: 'createVolunteer',
  permission: 'registry.edit',
  input: createVolunteerSchema,
  journal: registryJournal,
  plan: (doc, { name, phone }, ctx): RegistryPlan<VolunteerId> => {
    const parsed = parsePhone(phone);
    if (!parsed.ok) return parsed;
    return insertPlan(doc, 'volunteers', ctx.newId() as VolunteerId, { name, phone: parsed.value.phone });
  },
});

// --- grids ---------------------------------------------------------------------------------------------------------

function normaliseWorkers(workers: readonly GridWorker[]): CommandResult<GridWorker[]> {
  const out: GridWorker[] = [];
  for (const [i, worker] of workers.entries()) {
    const phone = parsePhone(worker.phone);
    if (!phone.ok) return refuse('phone.invalid', `workers.${i}.phone`);
    out.push({ name: worker.name, phone: phone.value.phone, role: worker.role });
  }
  return ok(out);
}

export const createGrid = defineCommand({
  name: 'createGrid',
  permission: 'registry.edit',
  input: createGridSchema,
  journal: registryJournal,
  plan: (doc, v, ctx): RegistryPlan<GridId> => {
    const workers = normaliseWorkers(v.workers);
    if (!workers.ok) return workers;
    return insertPlan(doc, 'grids', ctx.newId() as GridId, { name: v.name, workers: workers.value });
  },
});

export const setGridWorkers = defineCommand({
  name: 'setGridWorkers',
  permission: 'registry.edit',
  input: setGridWorkersSchema,
  journal: registryJournal,
  plan: (doc, v): RegistryPlan<string[]> => {
    const current = readRecord(doc, 'grids', v.id);
    if (current === null) return refuse('not-found', 'id');
    const workers = normaliseWorkers(v.workers);
    if (!workers.ok) return workers;
    return updatePlan(doc, 'grids', v.id, current, { workers: workers.value });
  },
});

export const assignBuildingGrid = defineCommand({
  name: 'assignBuildingGrid',
  permission: 'registry.edit',
  input: assignBuildingGridSchema,
  journal: registryJournal,
  plan: (doc, { buildingId, gridId }) => {
    const current = readRecord(doc, 'buildings', buildingId);
    if (current === null) return refuse('not-found', 'buildingId');
    const problem = checkRef(doc, 'grids', gridId, 'gridId');
    if (problem !== null) return err(problem);
    return updatePlan(doc, 'buildings', buildingId, current, { gridId });
  },
});

// --- party organisation --------------------------------------------------------------------------------------------

function checkMembers(doc: Y.Doc, memberIds: readonly string[]): DomainError | null {
  for (const [i, memberId] of memberIds.entries()) {
    const member = liveResident(doc, memberId);
    if (member === null) return domainError('not-found', `memberIds.${i}`);
    // 党小组/党支部 members are party members; a resident joins by getting the tag first (kept in one place).
    if (!member.tags.includes('party-member')) return domainError('party-org.not-member', `memberIds.${i}`);
  }
  return null;
}

/**
 * Creates a party organisation. Hierarchy (党委建在社区、党支部建在小区、党小组建在楼栋): a committee has no parent
 * inside the community; a branch's parent is a committee; a group's parent is a branch.
 */
export const createPartyOrg = defineCommand({
  name: 'createPartyOrg',
  permission: 'registry.edit',
  input: createPartyOrgSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    const kindIndex = PARTY_ORG_KINDS.indexOf(v.kind);
    if (v.parentId === null) {
      if (kindIndex !== 0) return refuse('party-org.level', 'parentId');
    } else {
      const parent = readRecord(doc, 'partyOrgs', v.parentId);
      if (parent === null) return refuse('not-found', 'parentId');
      if (PARTY_ORG_KINDS.indexOf(parent.kind) !== kindIndex - 1) return refuse('party-org.level', 'parentId');
    }
    const memberIds = [...new Set(v.memberIds)];
    const problem = firstError(
      checkRef(doc, 'compounds', v.compoundId, 'compoundId'),
      checkRef(doc, 'buildings', v.buildingId, 'buildingId'),
      checkHead(doc, v.secretary, 'secretary'),
      checkMembers(doc, memberIds),
    );
    if (problem !== null) return err(problem);
    return insertPlan(doc, 'partyOrgs', ctx.newId() as PartyOrgId, { ...v, memberIds });
  },
});

export const setPartyOrgMembers = defineCommand({
  name: 'setPartyOrgMembers',
  permission: 'registry.edit',
  input: setPartyOrgMembersSchema,
  journal: registryJournal,
  plan: (doc, v) => {
    const current = readRecord(doc, 'partyOrgs', v.id);
    if (current === null) return refuse('not-found', 'id');
    const memberIds = [...new Set(v.memberIds)];
    const problem = checkMembers(doc, memberIds);
    if (problem !== null) return err(problem);
    return updatePlan(doc, 'partyOrgs', v.id, current, { memberIds });
  },
});

/** 双报到: records the day a party member checked in where they live. */
export const recordPartyCheckIn = defineCommand({
  name: 'recordPartyCheckIn',
  permission: 'registry.edit',
  input: recordPartyCheckInSchema,
  journal: registryJournal,
  plan: (doc, { residentId, date }, ctx) => {
    const resident = liveResident(doc, residentId);
    if (resident === null) return refuse('not-found', 'residentId');
    if (!resident.tags.includes('party-member')) return refuse('party-org.not-member', 'residentId');
    const problem = checkCheckInDate(date, today(ctx));
    if (problem !== null) return err({ ...problem, field: 'date' });
    return updatePlan(doc, 'residents', residentId, resident, { partyCheckIn: date });
  },
});

// --- the community -------------------------------------------------------------------------------------------------

/** The community's name, street and district (on every printed document): an administrator's setting. */
export const setCommunityMeta = defineCommand({
  name: 'setCommunityMeta',
  permission: 'admin',
  input: setCommunityMetaSchema,
  journal: registryJournal,
  plan: (doc, v): RegistryPlan<string[]> => {
    const current = doc.getMap<unknown>('meta').toJSON() as Record<string, unknown>;
    const changed = changedFields(current, v);
    const keys = Object.keys(changed);
    if (keys.length === 0) return plan(keys, null);
    return plan(keys, (audit) => {
      setMetaFields(doc, changed);
      audit({ action: 'update', collection: 'meta', recordId: 'meta', fields: changed });
    });
  },
});
