/**
 * Resident commands (create, update, delete, reveal) and the resident rules the import shares: the ID number
 * (GB 11643-1999) with the sex and birth date it implies, the phone, the 双报到 day, the householder of a household,
 * and the special-population flags (PIPL art. 28) that need `registry.special-care` besides `registry.edit`.
 * Each is a kernel command (docs/architecture.md, "commands").
 */
import type * as Y from 'yjs';
import { chinaDate, isIsoDate } from '../dates';
import {
  defineCommand,
  domainError,
  err,
  hasPermission,
  ok,
  plan,
  refuse,
  type Audit,
  type CommandContext,
  type CommandResult,
  type DomainError,
} from '../kernel';
import { insertRecord, readRecord, setFields } from '../../ydoc/registry';
import { idNumberIndex } from './idIndex';
import { parseIdNumber, type IdNumberInfo } from './idNumber';
import { changedFields, registryJournal, stamp, type RegistryNote, type RegistryPlan } from './journal';
import { parsePhone } from './phone';
import { checkRef, firstError, liveResident } from './references';
import {
  createResidentSchema,
  deleteResidentSchema,
  revealSensitiveSchema,
  SPECIAL_POPULATION_TAGS,
  updateResidentSchema,
  type Relation,
  type ResidentId,
  type ResidentTag,
  type SensitiveField,
} from './types';

/** Today in China, for rules about dates (a 双报到 day in the future, an age). */
export function today(ctx: CommandContext): string {
  return chinaDate(ctx.now());
}

interface ResidentFieldsIn {
  readonly idNumber: string;
  readonly sex?: string | undefined;
  readonly birthDate?: string | undefined;
  readonly phone: string | null;
  readonly tags: readonly ResidentTag[];
  readonly partyCheckIn: string | null;
}

export interface ResidentFieldsOut {
  readonly id: IdNumberInfo;
  readonly phone: string | null;
}

/** Domain rules shared by create, update and import: ID (GB 11643-1999), sex/birth agreement, phone, flags. */
export function checkResidentFields(ctx: CommandContext, input: ResidentFieldsIn): CommandResult<ResidentFieldsOut> {
  const day = today(ctx);
  const id = parseIdNumber(input.idNumber, day);
  if (!id.ok) return id;
  if (input.sex !== undefined && input.sex !== id.value.sex) return refuse('id-number.sex-mismatch', 'sex');
  if (input.birthDate !== undefined && input.birthDate !== id.value.birthDate) {
    return refuse('id-number.birth-mismatch', 'birthDate');
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
    return refuse('party-org.not-member', 'partyCheckIn');
  }
  return ok({ id: id.value, phone });
}

/** A 双报到 day is a real day, not after today. */
export function checkCheckInDate(date: string | null, day: string): DomainError | null {
  if (date === null) return null;
  if (!isIsoDate(date)) return domainError('date.invalid', 'partyCheckIn');
  if (date > day) return domainError('date.future', 'partyCheckIn');
  return null;
}

/**
 * PIPL art. 28: special-population flags need their own permission, to set and to clear. The kernel checks
 * `registry.edit`; which flags a write touches is known only from the input and the record, so the rule checks this.
 */
export function canSetTags(
  ctx: CommandContext,
  before: readonly ResidentTag[],
  after: readonly ResidentTag[],
): boolean {
  const changed = SPECIAL_POPULATION_TAGS.some((tag) => before.includes(tag) !== after.includes(tag));
  return !changed || hasPermission(ctx.permissions, 'registry.special-care');
}

export function uniqueTags(tags: readonly ResidentTag[]): ResidentTag[] {
  return [...new Set(tags)];
}

/** One 本人 (householder) a household: a second living one is refused. */
function householderConflict(doc: Y.Doc, householdId: string, relation: Relation, residentId: string | null) {
  if (relation !== 'self') return null;
  const holder = readRecord(doc, 'households', householdId)?.householderId ?? null;
  if (holder === null || holder === residentId || liveResident(doc, holder) === null) return null;
  return domainError('household.householder-exists', 'relation');
}

export const createResident = defineCommand({
  name: 'createResident',
  permission: 'registry.edit',
  input: createResidentSchema,
  journal: registryJournal,
  plan: (doc, v, ctx): RegistryPlan<ResidentId> => {
    const tags = uniqueTags(v.tags);
    if (!canSetTags(ctx, [], tags)) return refuse('permission-denied');
    const fields = checkResidentFields(ctx, { ...v, tags });
    if (!fields.ok) return fields;
    const problem = firstError(
      checkRef(doc, 'households', v.householdId, 'householdId'),
      householderConflict(doc, v.householdId, v.relation, null),
    );
    if (problem !== null) return err(problem);
    if (idNumberIndex(doc).has(fields.value.id.idNumber)) return refuse('id-number.duplicate', 'idNumber');
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
    return plan(id, (audit, at) => {
      insertRecord(doc, 'residents', id, { ...stamp(at, id), ...record });
      audit({ action: 'create', collection: 'residents', recordId: id, fields: record });
      if (v.relation === 'self') becomeHouseholder(doc, audit, at, v.householdId, id);
    });
  },
});

/** Writes a resident as the householder (户主) of a household, audited on the household. */
function becomeHouseholder(doc: Y.Doc, audit: Audit<RegistryNote>, at: string, householdId: string, id: string) {
  setFields(doc, 'households', householdId, { householderId: id, updatedAt: at });
  audit({ action: 'update', collection: 'households', recordId: householdId, fields: { householderId: id } });
}

/** Writes only the fields that differ from the stored record; returns the names of the fields written. */
export const updateResident = defineCommand({
  name: 'updateResident',
  permission: 'registry.edit',
  input: updateResidentSchema,
  journal: registryJournal,
  plan: (doc, { id, changes }, ctx): RegistryPlan<string[]> => {
    const current = liveResident(doc, id);
    if (current === null) return refuse('not-found', 'id');
    const tags = changes.tags === undefined ? current.tags : uniqueTags(changes.tags);
    if (!canSetTags(ctx, current.tags, tags)) return refuse('permission-denied');
    const fields = checkResidentFields(ctx, {
      idNumber: changes.idNumber ?? current.idNumber,
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
      return refuse('id-number.duplicate', 'idNumber');
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
    const keys = Object.keys(changed);
    if (keys.length === 0) return plan(keys, null);
    const becomesHolder = relation === 'self' && (changed.relation !== undefined || changed.householdId !== undefined);
    return plan(keys, (audit, at) => {
      setFields(doc, 'residents', id, { ...changed, updatedAt: at });
      const action = changed.householdId !== undefined ? 'move' : 'update';
      audit({ action, collection: 'residents', recordId: id, fields: changed });
      if (becomesHolder) becomeHouseholder(doc, audit, at, householdId, id);
    });
  },
});

/** Soft delete: the record stays (history, audit and old references still resolve) with `deletedAt` set. */
export const deleteResident = defineCommand({
  name: 'deleteResident',
  permission: 'registry.edit',
  input: deleteResidentSchema,
  journal: registryJournal,
  plan: (doc, { id }, ctx): RegistryPlan<ResidentId> => {
    const current = readRecord(doc, 'residents', id);
    if (current === null) return refuse('not-found', 'id');
    if (current.deletedAt != null) return refuse('deleted', 'id');
    if (!canSetTags(ctx, current.tags, [])) return refuse('permission-denied');
    return plan(id, (audit, at) => {
      setFields(doc, 'residents', id, { deletedAt: at, updatedAt: at });
      audit({ action: 'delete', collection: 'residents', recordId: id, fields: { deletedAt: at } });
    });
  },
});

/**
 * Reveals the full ID number or phone of a resident. PIPL art. 28/51: viewing a sensitive field is an explicit,
 * logged act; the audit entry records who saw which field of whom, never the value itself.
 */
export const revealSensitive = defineCommand({
  name: 'revealSensitive',
  permission: 'registry.reveal',
  input: revealSensitiveSchema,
  journal: registryJournal,
  plan: (
    doc,
    { residentId, field },
  ): RegistryPlan<{ readonly field: SensitiveField; readonly value: string | null }> => {
    const resident = readRecord(doc, 'residents', residentId);
    if (resident === null) return refuse('not-found', 'residentId');
    return plan({ field, value: resident[field] }, (audit) => {
      audit({ action: 'reveal', collection: 'residents', recordId: residentId, fields: { revealed: field } });
    });
  },
});
