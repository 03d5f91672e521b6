/**
 * Domain commands: the only way anything writes to a `<community>/registry` document (DESIGN.md, data flow 3).
 *
 * Every command
 * 1. checks permission, then the input shape (zod), then the domain rules (ID checksum, phone, references, tree and
 *    level rules, duplicates) against the current document, all BEFORE touching the document;
 * 2. writes in ONE `doc.transact(fn, origin)` with `origin = { kind: 'command', command, actor }`, so the Dexie
 *    persistence and the sync provider see one update per command and can tell local commands from remote updates;
 * 3. appends its audit entries to the `audit` array in that same transaction, so a write without its audit entry
 *    cannot exist, on this device or after a merge.
 */
import type * as Y from 'yjs';
import type { z } from 'zod';
import { chinaDate, isIsoDate } from '../dates';
import { domainError, err, ok, parseInput, type DomainError } from '../result';
import {
  appendAudit,
  auditArray,
  collectionMap,
  recordField,
  hasRecord,
  insertRecord,
  readRecord,
  setFields,
  setMetaFields,
  type RegistryCollection,
  type StoredRecord,
} from '../../ydoc/registry';
import { idNumberIndex } from './idIndex';
import { parseIdNumber, type IdNumberInfo } from './idNumber';
import { entranceKey, doorKey, buildingKey } from './names';
import { parsePhone } from './phone';
import {
  assignBuildingGridSchema,
  createBuildingSchema,
  createCompoundSchema,
  createEntranceSchema,
  createGridSchema,
  createHouseholdSchema,
  createPartyOrgSchema,
  createResidentSchema,
  createVolunteerSchema,
  createZoneSchema,
  deleteResidentSchema,
  importResidentsSchema,
  moveBuildingSchema,
  moveZoneSchema,
  PARTY_ORG_KINDS,
  recordPartyCheckInSchema,
  renameZoneSchema,
  revealSensitiveSchema,
  setBuildingHeadSchema,
  setCommunityMetaSchema,
  setGridWorkersSchema,
  setPartyOrgMembersSchema,
  setZoneHeadSchema,
  SPECIAL_POPULATION_TAGS,
  updateCompoundSchema,
  updateResidentSchema,
  ZONE_LEVELS,
  type AuditAction,
  type AuditEntry,
  type BuildingId,
  type CompoundId,
  type EntranceId,
  type GridId,
  type GridWorker,
  type HeadRef,
  type HouseholdId,
  type PartyOrgId,
  type Relation,
  type ResidentId,
  type ResidentTag,
  type SensitiveField,
  type VolunteerId,
  type ZoneId,
} from './types';

// The context, origin and result of every command are the kernel's (shared/domain/kernel); re-exported here while
// call sites move to the kernel's own import.
import type { CommandContext, CommandOrigin } from '../kernel/context';
import type { CommandResult } from '../kernel/command';
export { isCommandOrigin, type Actor, type CommandContext, type CommandOrigin } from '../kernel/context';
export type { CommandResult } from '../kernel/command';

// --- plumbing ------------------------------------------------------------------------------------------------------

type Audit = (
  action: AuditAction,
  collection: string,
  recordId: string,
  fields: Readonly<Record<string, unknown>>,
) => void;

/** Runs one write: one transaction, tagged with the command origin, carrying its audit entries. */
function commit(doc: Y.Doc, ctx: CommandContext, command: string, write: (audit: Audit, at: string) => void): void {
  const at = ctx.now().toISOString();
  const origin: CommandOrigin = { kind: 'command', command, actor: ctx.actor };
  doc.transact(() => {
    const entries: AuditEntry[] = [];
    write((action, collection, recordId, fields) => {
      entries.push({
        id: ctx.newId(),
        at,
        userId: ctx.actor.userId,
        userName: ctx.actor.userName,
        deviceId: ctx.actor.deviceId,
        action,
        collection,
        recordId,
        fields,
      });
    }, at);
    appendAudit(doc, entries);
  }, origin);
}

function canEdit(ctx: CommandContext): boolean {
  return ctx.permissions.has('registry.edit') || ctx.permissions.has('admin');
}

const denied = (): CommandResult<never> => err(domainError('permission-denied'));

export function validate<T>(ctx: CommandContext, schema: z.ZodType<T>, input: unknown): CommandResult<T> {
  if (!canEdit(ctx)) return denied();
  return parseInput(schema, input);
}

function today(ctx: CommandContext): string {
  return chinaDate(ctx.now());
}

function liveResident(doc: Y.Doc, id: string): StoredRecord<'residents'> | null {
  const resident = readRecord(doc, 'residents', id);
  return resident === null || resident.deletedAt != null ? null : resident;
}

function checkRef(doc: Y.Doc, collection: RegistryCollection, id: string | null, field: string): DomainError | null {
  if (id === null) return null;
  return hasRecord(doc, collection, id) ? null : domainError('not-found', field);
}

export function checkHead(doc: Y.Doc, head: HeadRef | null, field: string): DomainError | null {
  if (head === null) return null;
  if (head.kind === 'resident') return liveResident(doc, head.id) === null ? domainError('not-found', field) : null;
  return checkRef(doc, 'volunteers', head.id, field);
}

function firstError(...errors: (DomainError | null)[]): DomainError | null {
  return errors.find((e) => e !== null) ?? null;
}

/** Keeps only the fields whose value differs from the current record (compared as JSON: values are plain JSON). */
function changedFields(current: Readonly<Record<string, unknown>>, next: Readonly<Record<string, unknown>>) {
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    if (value !== undefined && JSON.stringify(current[key]) !== JSON.stringify(value)) changed[key] = value;
  }
  return changed;
}

function stamp(at: string, id: string) {
  return { id, createdAt: at, updatedAt: at };
}

// --- resident rules ------------------------------------------------------------------------------------------------

interface ResidentFieldsIn {
  readonly idNumber: string;
  readonly sex?: string | undefined;
  readonly birthDate?: string | undefined;
  readonly phone: string | null;
  readonly tags: readonly ResidentTag[];
  readonly partyCheckIn: string | null;
}

interface ResidentFieldsOut {
  readonly id: IdNumberInfo;
  readonly phone: string | null;
}

/** Domain rules shared by create, update and import: ID (GB 11643-1999), sex/birth agreement, phone, flags. */
function checkResidentFields(ctx: CommandContext, input: ResidentFieldsIn): CommandResult<ResidentFieldsOut> {
  const day = today(ctx);
  const id = parseIdNumber(input.idNumber, day);
  if (!id.ok) return id;
  if (input.sex !== undefined && input.sex !== id.value.sex) return err(domainError('id-number.sex-mismatch', 'sex'));
  if (input.birthDate !== undefined && input.birthDate !== id.value.birthDate) {
    return err(domainError('id-number.birth-mismatch', 'birthDate'));
  }
  let phone: string | null = null;
  if (input.phone !== null && input.phone !== '') {
    const parsed = parsePhone(input.phone);
    if (!parsed.ok) return parsed;
    phone = parsed.value.phone;
  }
  const checkIn = checkCheckInDate(input.partyCheckIn, day);
  if (checkIn !== null) return err(checkIn);
  if (input.partyCheckIn !== null && !input.tags.includes('party-member')) {
    return err(domainError('party-org.not-member', 'partyCheckIn'));
  }
  return ok({ id: id.value, phone });
}

function checkCheckInDate(date: string | null, day: string): DomainError | null {
  if (date === null) return null;
  if (!isIsoDate(date)) return domainError('date.invalid', 'partyCheckIn');
  if (date > day) return domainError('date.future', 'partyCheckIn');
  return null;
}

/** PIPL art. 28: special-population flags need their own permission, to set and to clear. */
function specialTagsChanged(before: readonly ResidentTag[], after: readonly ResidentTag[]): boolean {
  return SPECIAL_POPULATION_TAGS.some((tag) => before.includes(tag) !== after.includes(tag));
}

function canSetTags(ctx: CommandContext, before: readonly ResidentTag[], after: readonly ResidentTag[]): boolean {
  return (
    !specialTagsChanged(before, after) || ctx.permissions.has('registry.special-care') || ctx.permissions.has('admin')
  );
}

function uniqueTags(tags: readonly ResidentTag[]): ResidentTag[] {
  return [...new Set(tags)];
}

function householdAddress(doc: Y.Doc, buildingId: string, entranceId: string | null, door: string): string {
  const building = readRecord(doc, 'buildings', buildingId);
  const compound = building === null ? null : readRecord(doc, 'compounds', building.compoundId);
  const entrance = entranceId === null ? null : readRecord(doc, 'entrances', entranceId);
  return `${compound?.name ?? ''}${building?.name ?? ''}${entrance?.name ?? ''}${door}`;
}

// --- compounds, buildings, entrances, households ----------------------------------------------------------------

export function createCompound(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<CompoundId> {
  const parsed = validate(ctx, createCompoundSchema, input);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  const problem = firstError(
    checkRef(doc, 'zones', v.zoneId, 'zoneId'),
    ...v.ownersCommittee.map((m, i) =>
      m.residentId === null || liveResident(doc, m.residentId) !== null
        ? null
        : domainError('not-found', `ownersCommittee.${i}.residentId`),
    ),
  );
  if (problem !== null) return err(problem);
  const id = ctx.newId() as CompoundId;
  commit(doc, ctx, 'createCompound', (audit, at) => {
    insertRecord(doc, 'compounds', id, { ...stamp(at, id), ...v });
    audit('create', 'compounds', id, v);
  });
  return ok(id);
}

export function updateCompound(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, updateCompoundSchema, input);
  if (!parsed.ok) return parsed;
  const { id, changes } = parsed.value;
  const current = readRecord(doc, 'compounds', id);
  if (current === null) return err(domainError('not-found', 'id'));
  const problem = firstError(
    checkRef(doc, 'zones', changes.zoneId ?? null, 'zoneId'),
    ...(changes.ownersCommittee ?? []).map((m, i) =>
      m.residentId === null || liveResident(doc, m.residentId) !== null
        ? null
        : domainError('not-found', `ownersCommittee.${i}.residentId`),
    ),
  );
  if (problem !== null) return err(problem);
  return writeUpdate(doc, ctx, 'updateCompound', 'compounds', id, current, changes);
}

export function writeUpdate(
  doc: Y.Doc,
  ctx: CommandContext,
  command: string,
  collection: RegistryCollection,
  id: string,
  current: Readonly<Record<string, unknown>>,
  changes: Readonly<Record<string, unknown>>,
  action: AuditAction = 'update',
): CommandResult<string[]> {
  const changed = changedFields(current, changes);
  const keys = Object.keys(changed);
  // Nothing changed: no transaction, no audit noise, no sync traffic.
  if (keys.length === 0) return ok([]);
  commit(doc, ctx, command, (audit, at) => {
    setFields(doc, collection, id, { ...changed, updatedAt: at });
    audit(action, collection, id, changed);
  });
  return ok(keys);
}

export function createBuilding(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<BuildingId> {
  const parsed = validate(ctx, createBuildingSchema, input);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  const problem = firstError(
    checkRef(doc, 'compounds', v.compoundId, 'compoundId'),
    checkRef(doc, 'zones', v.zoneId, 'zoneId'),
    checkRef(doc, 'grids', v.gridId, 'gridId'),
    checkHead(doc, v.head, 'head'),
  );
  if (problem !== null) return err(problem);
  const key = buildingKey(v.name);
  for (const map of collectionMap(doc, 'buildings').values()) {
    if (recordField(map, 'compoundId') === v.compoundId && buildingKey(String(recordField(map, 'name'))) === key) {
      return err(domainError('name.duplicate', 'name'));
    }
  }
  const id = ctx.newId() as BuildingId;
  commit(doc, ctx, 'createBuilding', (audit, at) => {
    insertRecord(doc, 'buildings', id, { ...stamp(at, id), ...v });
    audit('create', 'buildings', id, v);
  });
  return ok(id);
}

function findEntrance(doc: Y.Doc, buildingId: string, name: string): string | null {
  const key = entranceKey(name);
  for (const [id, map] of collectionMap(doc, 'entrances').entries()) {
    if (recordField(map, 'buildingId') === buildingId && entranceKey(String(recordField(map, 'name'))) === key)
      return id;
  }
  return null;
}

export function createEntrance(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<EntranceId> {
  const parsed = validate(ctx, createEntranceSchema, input);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  const missing = checkRef(doc, 'buildings', v.buildingId, 'buildingId');
  if (missing !== null) return err(missing);
  if (findEntrance(doc, v.buildingId, v.name) !== null) return err(domainError('entrance.duplicate', 'name'));
  const id = ctx.newId() as EntranceId;
  commit(doc, ctx, 'createEntrance', (audit, at) => {
    insertRecord(doc, 'entrances', id, { ...stamp(at, id), ...v });
    audit('create', 'entrances', id, v);
  });
  return ok(id);
}

function householdKey(buildingId: string, entranceId: string | null, door: string): string {
  return `${buildingId}|${entranceId ?? ''}|${doorKey(door)}`;
}

function householdIndex(doc: Y.Doc): Map<string, string> {
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

export function createHousehold(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<HouseholdId> {
  const parsed = validate(ctx, createHouseholdSchema, input);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  const missing = firstError(
    checkRef(doc, 'buildings', v.buildingId, 'buildingId'),
    checkRef(doc, 'entrances', v.entranceId, 'entranceId'),
  );
  if (missing !== null) return err(missing);
  if (v.entranceId !== null && readRecord(doc, 'entrances', v.entranceId)?.buildingId !== v.buildingId) {
    return err(domainError('entrance.wrong-building', 'entranceId'));
  }
  if (householdIndex(doc).has(householdKey(v.buildingId, v.entranceId, v.doorNumber))) {
    return err(domainError('household.duplicate', 'doorNumber'));
  }
  const id = ctx.newId() as HouseholdId;
  const fields = {
    buildingId: v.buildingId,
    entranceId: v.entranceId,
    doorNumber: v.doorNumber,
    address: v.address ?? householdAddress(doc, v.buildingId, v.entranceId, v.doorNumber),
    floorArea: v.floorArea,
    householderId: null,
  };
  commit(doc, ctx, 'createHousehold', (audit, at) => {
    insertRecord(doc, 'households', id, { ...stamp(at, id), ...fields });
    audit('create', 'households', id, fields);
  });
  return ok(id);
}

// --- residents -----------------------------------------------------------------------------------------------------

function householderConflict(doc: Y.Doc, householdId: string, relation: Relation, residentId: string | null) {
  if (relation !== 'self') return null;
  const holder = readRecord(doc, 'households', householdId)?.householderId ?? null;
  if (holder === null || holder === residentId || liveResident(doc, holder) === null) return null;
  return domainError('household.householder-exists', 'relation');
}

export function createResident(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<ResidentId> {
  const parsed = validate(ctx, createResidentSchema, input);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  const tags = uniqueTags(v.tags);
  if (!canSetTags(ctx, [], tags)) return denied();
  const fields = checkResidentFields(ctx, { ...v, tags });
  if (!fields.ok) return fields;
  const problem = firstError(
    checkRef(doc, 'households', v.householdId, 'householdId'),
    householderConflict(doc, v.householdId, v.relation, null),
  );
  if (problem !== null) return err(problem);
  if (idNumberIndex(doc).has(fields.value.id.idNumber)) return err(domainError('id-number.duplicate', 'idNumber'));
  const id = ctx.newId() as ResidentId;
  const record = {
    name: v.name,
    sex: fields.value.id.sex,
    birthDate: fields.value.id.birthDate,
    idNumber: fields.value.id.idNumber,
    phone: fields.value.phone,
    householdId: v.householdId,
    relation: v.relation,
    tags,
    partyCheckIn: v.partyCheckIn,
    note: v.note,
    deletedAt: null,
  };
  commit(doc, ctx, 'createResident', (audit, at) => {
    insertRecord(doc, 'residents', id, { ...stamp(at, id), ...record });
    audit('create', 'residents', id, record);
    if (v.relation === 'self') {
      setFields(doc, 'households', v.householdId, { householderId: id, updatedAt: at });
      audit('update', 'households', v.householdId, { householderId: id });
    }
  });
  return ok(id);
}

/** Writes only the fields that differ from the stored record; returns the names of the fields written. */
export function updateResident(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, updateResidentSchema, input);
  if (!parsed.ok) return parsed;
  const { id, changes } = parsed.value;
  const current = liveResident(doc, id);
  if (current === null) return err(domainError('not-found', 'id'));
  const tags = changes.tags === undefined ? current.tags : uniqueTags(changes.tags);
  if (!canSetTags(ctx, current.tags, tags)) return denied();
  const idNumber = changes.idNumber ?? current.idNumber;
  const fields = checkResidentFields(ctx, {
    idNumber,
    phone: changes.phone === undefined ? current.phone : changes.phone,
    tags,
    partyCheckIn: changes.partyCheckIn === undefined ? current.partyCheckIn : changes.partyCheckIn,
  });
  if (!fields.ok) return fields;
  const householdId = changes.householdId ?? current.householdId;
  const relation = changes.relation ?? current.relation;
  const problem = firstError(
    checkRef(doc, 'households', householdId, 'householdId'),
    householderConflict(doc, householdId, relation, id),
  );
  if (problem !== null) return err(problem);
  // Refused when the edit gives this resident an ID number another living resident holds. A duplicate that a merge
  // of two devices' work already made (both registered the same person offline) does not block other edits of them.
  const newNumber = fields.value.id.idNumber !== current.idNumber;
  if (newNumber && idNumberIndex(doc).heldByOther(fields.value.id.idNumber, id)) {
    return err(domainError('id-number.duplicate', 'idNumber'));
  }
  const next: Record<string, unknown> = { ...changes };
  if (changes.tags !== undefined) next.tags = tags;
  if (changes.phone !== undefined) next.phone = fields.value.phone;
  if (changes.idNumber !== undefined) {
    // Sex and birth date are facts of the ID number (GB 11643-1999 §5.2-5.3): they follow it, never disagree with it.
    next.idNumber = fields.value.id.idNumber;
    next.sex = fields.value.id.sex;
    next.birthDate = fields.value.id.birthDate;
  }
  const changed = changedFields(current, next);
  if (Object.keys(changed).length === 0) return ok([]);
  const becomesHolder = relation === 'self' && (changed.relation !== undefined || changed.householdId !== undefined);
  commit(doc, ctx, 'updateResident', (audit, at) => {
    setFields(doc, 'residents', id, { ...changed, updatedAt: at });
    audit(changed.householdId !== undefined ? 'move' : 'update', 'residents', id, changed);
    if (becomesHolder) {
      setFields(doc, 'households', householdId, { householderId: id, updatedAt: at });
      audit('update', 'households', householdId, { householderId: id });
    }
  });
  return ok(Object.keys(changed));
}

/** Soft delete: the record stays (history, audit and old references still resolve) with `deletedAt` set. */
export function deleteResident(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<ResidentId> {
  const parsed = validate(ctx, deleteResidentSchema, input);
  if (!parsed.ok) return parsed;
  const { id } = parsed.value;
  const current = readRecord(doc, 'residents', id);
  if (current === null) return err(domainError('not-found', 'id'));
  if (current.deletedAt != null) return err(domainError('deleted', 'id'));
  if (!canSetTags(ctx, current.tags, [])) return denied();
  commit(doc, ctx, 'deleteResident', (audit, at) => {
    setFields(doc, 'residents', id, { deletedAt: at, updatedAt: at });
    audit('delete', 'residents', id, { deletedAt: at });
  });
  return ok(id);
}

/**
 * Reveals the full ID number or phone of a resident. PIPL art. 28/51: viewing a sensitive field is an explicit,
 * logged act; the audit entry records who saw which field of whom, never the value itself.
 */
export function revealSensitive(
  doc: Y.Doc,
  ctx: CommandContext,
  input: unknown,
): CommandResult<{ readonly field: SensitiveField; readonly value: string | null }> {
  if (!ctx.permissions.has('registry.reveal') && !ctx.permissions.has('admin')) return denied();
  const parsed = parseInput(revealSensitiveSchema, input);
  if (!parsed.ok) return parsed;
  const { residentId, field } = parsed.value;
  const resident = readRecord(doc, 'residents', residentId);
  if (resident === null) return err(domainError('not-found', 'residentId'));
  commit(doc, ctx, 'revealSensitive', (audit) => {
    audit('reveal', 'residents', residentId, { revealed: field });
  });
  return ok({ field, value: resident[field] });
}

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

export function createZone(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<ZoneId> {
  const parsed = validate(ctx, createZoneSchema, input);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  const problem = firstError(checkParentLevel(doc, v.parentId, v.level), checkHead(doc, v.head, 'head'));
  if (problem !== null) return err(problem);
  const id = ctx.newId() as ZoneId;
  commit(doc, ctx, 'createZone', (audit, at) => {
    insertRecord(doc, 'zones', id, { ...stamp(at, id), ...v });
    audit('create', 'zones', id, v);
  });
  return ok(id);
}

export function renameZone(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, renameZoneSchema, input);
  if (!parsed.ok) return parsed;
  const current = readRecord(doc, 'zones', parsed.value.id);
  if (current === null) return err(domainError('not-found', 'id'));
  return writeUpdate(doc, ctx, 'renameZone', 'zones', parsed.value.id, current, { name: parsed.value.name });
}

/**
 * Moves a zone under another. Refuses a move under itself or one of its descendants (`tree.cycle`) and a parent
 * that is not on a higher level (`tree.level`). Concurrent moves on two offline devices can still merge into a cycle;
 * the readers in fiveHeads.ts are cycle-safe for that reason.
 */
export function moveZone(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, moveZoneSchema, input);
  if (!parsed.ok) return parsed;
  const { id, parentId } = parsed.value;
  const current = readRecord(doc, 'zones', id);
  if (current === null) return err(domainError('not-found', 'id'));
  if (parentId !== null) {
    if (!hasRecord(doc, 'zones', parentId)) return err(domainError('not-found', 'parentId'));
    // Walk up from the new parent; meeting the moved zone means the parent is the zone itself or lies below it.
    const seen = new Set<string>();
    for (
      let at: string | null = parentId;
      at !== null && !seen.has(at);
      at = readRecord(doc, 'zones', at)?.parentId ?? null
    ) {
      if (at === id) return err(domainError('tree.cycle', 'parentId'));
      seen.add(at);
    }
  }
  const level = checkParentLevel(doc, parentId, current.level);
  if (level !== null) return err(level);
  return writeUpdate(doc, ctx, 'moveZone', 'zones', id, current, { parentId }, 'move');
}

export function setZoneHead(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, setZoneHeadSchema, input);
  if (!parsed.ok) return parsed;
  const current = readRecord(doc, 'zones', parsed.value.id);
  if (current === null) return err(domainError('not-found', 'id'));
  const problem = checkHead(doc, parsed.value.head, 'head');
  if (problem !== null) return err(problem);
  return writeUpdate(doc, ctx, 'setZoneHead', 'zones', parsed.value.id, current, { head: parsed.value.head });
}

export function setBuildingHead(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, setBuildingHeadSchema, input);
  if (!parsed.ok) return parsed;
  const current = readRecord(doc, 'buildings', parsed.value.id);
  if (current === null) return err(domainError('not-found', 'id'));
  const problem = checkHead(doc, parsed.value.head, 'head');
  if (problem !== null) return err(problem);
  return writeUpdate(doc, ctx, 'setBuildingHead', 'buildings', parsed.value.id, current, { head: parsed.value.head });
}

export function moveBuilding(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, moveBuildingSchema, input);
  if (!parsed.ok) return parsed;
  const current = readRecord(doc, 'buildings', parsed.value.id);
  if (current === null) return err(domainError('not-found', 'id'));
  const problem = checkRef(doc, 'zones', parsed.value.zoneId, 'zoneId');
  if (problem !== null) return err(problem);
  return writeUpdate(
    doc,
    ctx,
    'moveBuilding',
    'buildings',
    parsed.value.id,
    current,
    { zoneId: parsed.value.zoneId },
    'move',
  );
}

export function createVolunteer(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<VolunteerId> {
  const parsed = validate(ctx, createVolunteerSchema, input);
  if (!parsed.ok) return parsed;
  const phone = parsePhone(parsed.value.phone);
  if (!phone.ok) return phone;
  const id = ctx.newId() as VolunteerId;
  const fields = { name: parsed.value.name, phone: phone.value.phone };
  commit(doc, ctx, 'createVolunteer', (audit, at) => {
    insertRecord(doc, 'volunteers', id, { ...stamp(at, id), ...fields });
    audit('create', 'volunteers', id, fields);
  });
  return ok(id);
}

// --- grids ---------------------------------------------------------------------------------------------------------

function normaliseWorkers(workers: readonly GridWorker[]): CommandResult<GridWorker[]> {
  const out: GridWorker[] = [];
  for (const [i, worker] of workers.entries()) {
    const phone = parsePhone(worker.phone);
    if (!phone.ok) return err(domainError('phone.invalid', `workers.${i}.phone`));
    out.push({ name: worker.name, phone: phone.value.phone, role: worker.role });
  }
  return ok(out);
}

export function createGrid(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<GridId> {
  const parsed = validate(ctx, createGridSchema, input);
  if (!parsed.ok) return parsed;
  const workers = normaliseWorkers(parsed.value.workers);
  if (!workers.ok) return workers;
  const id = ctx.newId() as GridId;
  const fields = { name: parsed.value.name, workers: workers.value };
  commit(doc, ctx, 'createGrid', (audit, at) => {
    insertRecord(doc, 'grids', id, { ...stamp(at, id), ...fields });
    audit('create', 'grids', id, fields);
  });
  return ok(id);
}

export function setGridWorkers(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, setGridWorkersSchema, input);
  if (!parsed.ok) return parsed;
  const current = readRecord(doc, 'grids', parsed.value.id);
  if (current === null) return err(domainError('not-found', 'id'));
  const workers = normaliseWorkers(parsed.value.workers);
  if (!workers.ok) return workers;
  return writeUpdate(doc, ctx, 'setGridWorkers', 'grids', parsed.value.id, current, { workers: workers.value });
}

export function assignBuildingGrid(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, assignBuildingGridSchema, input);
  if (!parsed.ok) return parsed;
  const current = readRecord(doc, 'buildings', parsed.value.buildingId);
  if (current === null) return err(domainError('not-found', 'buildingId'));
  const problem = checkRef(doc, 'grids', parsed.value.gridId, 'gridId');
  if (problem !== null) return err(problem);
  return writeUpdate(doc, ctx, 'assignBuildingGrid', 'buildings', parsed.value.buildingId, current, {
    gridId: parsed.value.gridId,
  });
}

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
export function createPartyOrg(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<PartyOrgId> {
  const parsed = validate(ctx, createPartyOrgSchema, input);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  const kindIndex = PARTY_ORG_KINDS.indexOf(v.kind);
  if (v.parentId === null) {
    if (kindIndex !== 0) return err(domainError('party-org.level', 'parentId'));
  } else {
    const parent = readRecord(doc, 'partyOrgs', v.parentId);
    if (parent === null) return err(domainError('not-found', 'parentId'));
    if (PARTY_ORG_KINDS.indexOf(parent.kind) !== kindIndex - 1) return err(domainError('party-org.level', 'parentId'));
  }
  const memberIds = [...new Set(v.memberIds)];
  const problem = firstError(
    checkRef(doc, 'compounds', v.compoundId, 'compoundId'),
    checkRef(doc, 'buildings', v.buildingId, 'buildingId'),
    checkHead(doc, v.secretary, 'secretary'),
    checkMembers(doc, memberIds),
  );
  if (problem !== null) return err(problem);
  const id = ctx.newId() as PartyOrgId;
  const fields = { ...v, memberIds };
  commit(doc, ctx, 'createPartyOrg', (audit, at) => {
    insertRecord(doc, 'partyOrgs', id, { ...stamp(at, id), ...fields });
    audit('create', 'partyOrgs', id, fields);
  });
  return ok(id);
}

export function setPartyOrgMembers(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, setPartyOrgMembersSchema, input);
  if (!parsed.ok) return parsed;
  const current = readRecord(doc, 'partyOrgs', parsed.value.id);
  if (current === null) return err(domainError('not-found', 'id'));
  const memberIds = [...new Set(parsed.value.memberIds)];
  const problem = checkMembers(doc, memberIds);
  if (problem !== null) return err(problem);
  return writeUpdate(doc, ctx, 'setPartyOrgMembers', 'partyOrgs', parsed.value.id, current, { memberIds });
}

/** 双报到: records the day a party member checked in where they live. */
export function recordPartyCheckIn(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, recordPartyCheckInSchema, input);
  if (!parsed.ok) return parsed;
  const { residentId, date } = parsed.value;
  const resident = liveResident(doc, residentId);
  if (resident === null) return err(domainError('not-found', 'residentId'));
  if (!resident.tags.includes('party-member')) return err(domainError('party-org.not-member', 'residentId'));
  const problem = checkCheckInDate(date, today(ctx));
  if (problem !== null) return err({ ...problem, field: 'date' });
  return writeUpdate(doc, ctx, 'recordPartyCheckIn', 'residents', residentId, resident, { partyCheckIn: date });
}

export function setCommunityMeta(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<string[]> {
  if (!ctx.permissions.has('admin')) return denied();
  const parsed = parseInput(setCommunityMetaSchema, input);
  if (!parsed.ok) return parsed;
  const current = doc.getMap<unknown>('meta').toJSON() as Record<string, unknown>;
  const changed = changedFields(current, parsed.value);
  if (Object.keys(changed).length === 0) return ok([]);
  commit(doc, ctx, 'setCommunityMeta', (audit) => {
    setMetaFields(doc, changed);
    audit('update', 'meta', 'meta', changed);
  });
  return ok(Object.keys(changed));
}

// --- import --------------------------------------------------------------------------------------------------------

export interface ImportSummary {
  readonly importId: string;
  readonly residentIds: readonly ResidentId[];
  readonly householdsCreated: number;
  readonly entrancesCreated: number;
}

/**
 * Imports many residents in one transaction (a spreadsheet, the demo community). All rows are checked first; one bad
 * row refuses the whole import with its error (`params.row` = index in `rows`), because `planResidentImport` already
 * filtered the sheet and a half-applied import is worse than none. Households are matched on building + entrance +
 * door number, created when missing; entrances are matched by name, created when missing. One audit entry with the
 * counts; each resident carries `importId` so its history can show the import.
 */
export function importResidents(doc: Y.Doc, ctx: CommandContext, input: unknown): CommandResult<ImportSummary> {
  const parsed = validate(ctx, importResidentsSchema, input);
  if (!parsed.ok) return parsed;
  const rows = parsed.value.rows;
  const existingIds = idNumberIndex(doc);
  const seen = new Set<string>();
  const checked: ResidentFieldsOut[] = [];
  const buildings = new Set<string>();
  const rowError = (error: DomainError, row: number): CommandResult<never> =>
    err({ ...error, params: { ...error.params, row } });
  for (const [row, r] of rows.entries()) {
    const tags = uniqueTags(r.tags);
    if (!canSetTags(ctx, [], tags)) return rowError(domainError('permission-denied', 'tags'), row);
    const fields = checkResidentFields(ctx, { ...r, tags });
    if (!fields.ok) return rowError(fields.error, row);
    const idNumber = fields.value.id.idNumber;
    if (existingIds.has(idNumber) || seen.has(idNumber))
      return rowError(domainError('id-number.duplicate', 'idNumber'), row);
    seen.add(idNumber);
    if (!buildings.has(r.buildingId)) {
      if (!hasRecord(doc, 'buildings', r.buildingId)) return rowError(domainError('not-found', 'buildingId'), row);
      buildings.add(r.buildingId);
    }
    checked.push(fields.value);
  }

  const importId = ctx.newId();
  const residentIds: ResidentId[] = [];
  let householdsCreated = 0;
  let entrancesCreated = 0;
  const households = householdIndex(doc);
  const entrances = new Map<string, string>();
  collectionMap(doc, 'entrances').forEach((map, id) => {
    entrances.set(`${String(recordField(map, 'buildingId'))}|${entranceKey(String(recordField(map, 'name')))}`, id);
  });
  const holders = new Map<string, string | null>();
  const holderOf = (householdId: string): string | null => {
    if (!holders.has(householdId)) {
      const holder = readRecord(doc, 'households', householdId)?.householderId ?? null;
      holders.set(householdId, holder !== null && liveResident(doc, holder) !== null ? holder : null);
    }
    return holders.get(householdId) ?? null;
  };

  commit(doc, ctx, 'importResidents', (audit, at) => {
    const newHouseholds = new Map<string, Record<string, unknown>>();
    for (const [row, r] of rows.entries()) {
      const fields = checked[row];
      if (fields === undefined) continue;
      let entranceId: string | null = null;
      if (r.entranceName !== null && r.entranceName !== '') {
        const key = `${r.buildingId}|${entranceKey(r.entranceName)}`;
        entranceId = entrances.get(key) ?? null;
        if (entranceId === null) {
          entranceId = ctx.newId();
          insertRecord(doc, 'entrances', entranceId, {
            ...stamp(at, entranceId),
            buildingId: r.buildingId,
            name: r.entranceName,
          });
          entrances.set(key, entranceId);
          entrancesCreated++;
        }
      }
      const hKey = householdKey(r.buildingId, entranceId, r.doorNumber);
      let householdId = households.get(hKey);
      if (householdId === undefined) {
        householdId = ctx.newId();
        newHouseholds.set(householdId, {
          ...stamp(at, householdId),
          buildingId: r.buildingId,
          entranceId,
          doorNumber: r.doorNumber,
          address: householdAddress(doc, r.buildingId, entranceId, r.doorNumber),
          floorArea: r.floorArea,
          householderId: null,
        });
        households.set(hKey, householdId);
        holders.set(householdId, null);
        householdsCreated++;
      }
      const id = ctx.newId() as ResidentId;
      // A second 本人 in one household is recorded as 其他 rather than refusing a sheet that repeats the householder.
      const relation: Relation = r.relation === 'self' && holderOf(householdId) !== null ? 'other' : r.relation;
      insertRecord(doc, 'residents', id, {
        ...stamp(at, id),
        name: r.name,
        sex: fields.id.sex,
        birthDate: fields.id.birthDate,
        idNumber: fields.id.idNumber,
        phone: fields.phone,
        householdId,
        relation,
        tags: uniqueTags(r.tags),
        partyCheckIn: r.partyCheckIn,
        note: r.note,
        deletedAt: null,
        importId,
      });
      if (relation === 'self') {
        const created = newHouseholds.get(householdId);
        if (created !== undefined) created.householderId = id;
        else setFields(doc, 'households', householdId, { householderId: id });
        holders.set(householdId, id);
      }
      residentIds.push(id);
    }
    // Inserted last, with their householder: one created value each instead of a second item for `householderId`.
    for (const [id, fields] of newHouseholds) insertRecord(doc, 'households', id, fields);
    audit('import', 'residents', importId, { count: residentIds.length, householdsCreated, entrancesCreated });
  });
  return ok({ importId, residentIds, householdsCreated, entrancesCreated });
}

// --- history -------------------------------------------------------------------------------------------------------

function byTime(a: AuditEntry, b: AuditEntry): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The audit entries of one record, oldest first. After a merge of concurrent edits to one field, both entries are
 * here (with who, when and the value each wrote) even though the record itself shows only the winning value.
 */
export function recordHistory(doc: Y.Doc, collection: string, recordId: string): AuditEntry[] {
  const importId = collection === 'residents' ? (readRecord(doc, 'residents', recordId)?.importId ?? null) : null;
  return auditArray(doc)
    .toArray()
    .filter(
      (e) => e.collection === collection && (e.recordId === recordId || (importId !== null && e.recordId === importId)),
    )
    .sort(byTime);
}
