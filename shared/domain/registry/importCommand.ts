/**
 * The residents import: many residents in one command (a spreadsheet planned by import.ts, the demo community).
 * A kernel command (docs/architecture.md, "commands"): the rule checks every row and decides every record to write,
 * with its id, before anything is written; the write then inserts them in one transaction with one audit entry.
 *
 * Beyond new residents (docs/registry-model.md, "Import"): a row may name its building by compound and name instead
 * of by id (`newBuilding`), matched or created, after the person saw the missing buildings in the preview; and a row
 * may update the living resident holding its ID number (`update` lists the fields the roster sets, the monthly roster).
 */
import { z } from 'zod';
import type * as Y from 'yjs';
import {
  defineCommand,
  domainError,
  err,
  ok,
  plan,
  type CommandContext,
  type CommandResult,
  type DomainError,
} from '../kernel';
import { collectionMap, hasRecord, insertRecord, readRecord, recordField, setFields } from '../../ydoc/registry';
import { compoundBuildings, newBuildingFields } from './batch';
import { idNumberIndex } from './idIndex';
import { changedFields, registryJournal, stamp, type RegistryPlan } from './journal';
import { buildingKey, entranceKey } from './names';
import { householdAddress, householdIndex, householdKey } from './places';
import { liveResident } from './references';
import { canSetTags, checkResidentFields, uniqueTags, type ResidentFieldsOut } from './residents';
import {
  buildingIdSchema,
  compoundIdSchema,
  importResidentRowSchema,
  type BuildingId,
  type Relation,
  type ResidentId,
  type ResidentTag,
} from './types';

/** Fields of a living resident that a roster row may update (sex and birth date follow the ID number it matches by). */
export const IMPORT_UPDATE_FIELDS = ['name', 'phone', 'household', 'relation', 'tags', 'note'] as const;
export type ImportUpdateField = (typeof IMPORT_UPDATE_FIELDS)[number];

export const importRowSchema = importResidentRowSchema
  .extend({
    buildingId: buildingIdSchema.nullable().default(null),
    /** The building by compound and name (3栋 = 3号楼), created when the compound has none of that name. */
    newBuilding: z
      .object({ compoundId: compoundIdSchema, name: z.string().trim().min(1).max(60) })
      .nullable()
      .default(null),
    /**
     * Update mode: the row updates the living resident with its ID number, writing these fields (to the row's value,
     * also an empty one: the planner lists a field left empty only when the person asked to clear it).
     */
    update: z.array(z.enum(IMPORT_UPDATE_FIELDS)).max(IMPORT_UPDATE_FIELDS.length).nullable().default(null),
  })
  .refine((r) => (r.buildingId === null) !== (r.newBuilding === null), {
    path: ['buildingId'],
    error: 'one of buildingId and newBuilding',
  });
export type ImportRowInput = z.input<typeof importRowSchema>;
export const importInputSchema = z.object({ rows: z.array(importRowSchema).min(1).max(50_000) });

export interface ImportSummary {
  readonly importId: string;
  /** Residents created. */
  readonly residentIds: readonly ResidentId[];
  /** Residents updated (update mode), each with an audit entry of its changed fields. */
  readonly updatedIds: readonly ResidentId[];
  readonly householdsCreated: number;
  readonly entrancesCreated: number;
  readonly buildingsCreated: number;
}

type Row = z.output<typeof importRowSchema>;

/** One record to create: its id and fields (the write adds the creation stamp). */
interface NewRecord {
  readonly id: string;
  readonly fields: Record<string, unknown>;
}

/** What one row writes: maybe a new entrance, a new resident or the changes of an existing one, maybe a householder. */
interface RowWrite {
  readonly entrance: NewRecord | null;
  readonly resident: NewRecord | null;
  readonly update: { readonly id: ResidentId; readonly changed: Record<string, unknown> } | null;
  readonly holderOf: string | null;
}

interface CheckedRow {
  readonly fields: ResidentFieldsOut;
  /** Update mode: the living resident holding the row's ID number. */
  readonly existing: { readonly id: ResidentId; readonly record: NonNullable<ReturnType<typeof liveResident>> } | null;
}

/** All rows checked: the first bad one refuses the import with its error, `params.row` its index in `rows`. */
function checkRows(doc: Y.Doc, ctx: CommandContext, rows: readonly Row[]): CommandResult<CheckedRow[]> {
  const ids = idNumberIndex(doc);
  const seen = new Set<string>();
  const checked: CheckedRow[] = [];
  const buildings = new Set<string>();
  const rowError = (error: DomainError, row: number): CommandResult<never> =>
    err({ ...error, params: { ...error.params, row } });
  for (const [row, r] of rows.entries()) {
    const tags = uniqueTags(r.tags);
    const fields = checkResidentFields(ctx, { ...r, tags });
    if (!fields.ok) return rowError(fields.error, row);
    const idNumber = fields.value.id.idNumber;
    if (seen.has(idNumber)) return rowError(domainError('id-number.duplicate', 'idNumber'), row);
    seen.add(idNumber);
    let existing: CheckedRow['existing'] = null;
    if (r.update !== null) {
      // The resident to update must still be there, alone with its number (a merge may have made two).
      const holders = [...ids.holders(idNumber)];
      const record = holders.length === 1 && holders[0] !== undefined ? liveResident(doc, holders[0]) : null;
      if (record === null) return rowError(domainError('not-found', 'idNumber'), row);
      const nextTags = r.update.includes('tags') ? tags : record.tags;
      if (!canSetTags(ctx, record.tags, nextTags)) return rowError(domainError('permission-denied', 'tags'), row);
      existing = { id: record.id, record };
    } else {
      if (!canSetTags(ctx, [], tags)) return rowError(domainError('permission-denied', 'tags'), row);
      if (ids.has(idNumber)) return rowError(domainError('id-number.duplicate', 'idNumber'), row);
    }
    const ref = r.buildingId ?? `compound:${r.newBuilding?.compoundId ?? ''}`;
    if (!buildings.has(ref)) {
      if (r.buildingId !== null && !hasRecord(doc, 'buildings', r.buildingId))
        return rowError(domainError('not-found', 'buildingId'), row);
      if (r.newBuilding !== null && !hasRecord(doc, 'compounds', r.newBuilding.compoundId))
        return rowError(domainError('not-found', 'compound'), row);
      buildings.add(ref);
    }
    checked.push({ fields: fields.value, existing });
  }
  return ok(checked);
}

/** A bare number names a building as offices write it: 3 → 3栋. */
function buildingName(name: string): string {
  const trimmed = name.normalize('NFKC').replace(/\s+/g, '');
  return /^\d+$/.test(trimmed) ? `${trimmed}栋` : trimmed;
}

/**
 * Imports many residents in one transaction. All rows are checked first; one bad row refuses the whole import with
 * its error (`params.row` = index in `rows`), because `planResidentImport` already filtered the sheet and a
 * half-applied import is worse than none. Buildings named by compound and name are matched (3栋 = 3号楼) or created;
 * households are matched on building + entrance + door number, created when missing; entrances are matched by name,
 * created when missing. A row with `update` writes the listed fields of the living resident with its ID number, only
 * those that differ. Audit: one `import` entry with the counts, one `create` per building made, one `update` (or
 * `move`) per resident changed; each new resident and building carries `importId`, so its history shows the import.
 */
export const importResidents = defineCommand({
  name: 'importResidents',
  permission: 'registry.edit',
  input: importInputSchema,
  journal: registryJournal,
  plan: (doc, { rows }, ctx): RegistryPlan<ImportSummary> => {
    const checked = checkRows(doc, ctx, rows);
    if (!checked.ok) return checked;

    const importId = ctx.newId();
    const households = householdIndex(doc);
    const entrances = new Map<string, string>();
    collectionMap(doc, 'entrances').forEach((map, id) => {
      entrances.set(`${String(recordField(map, 'buildingId'))}|${entranceKey(String(recordField(map, 'name')))}`, id);
    });
    const entranceNames = new Map<string, string>();
    const entranceName = (id: string | null): string | null =>
      id === null ? null : (entranceNames.get(id) ?? readRecord(doc, 'entrances', id)?.name ?? null);
    const holders = new Map<string, string | null>();
    const holderOf = (householdId: string): string | null => {
      if (!holders.has(householdId)) {
        const holder = readRecord(doc, 'households', householdId)?.householderId ?? null;
        holders.set(householdId, holder !== null && liveResident(doc, holder) !== null ? holder : null);
      }
      return holders.get(householdId) ?? null;
    };

    // Buildings named by compound and name: matched in the compound, or created once for all the rows naming them.
    const byCompound = new Map<string, Map<string, BuildingId[]>>();
    const newBuildings = new Map<BuildingId, Record<string, unknown>>();
    const buildingNames = new Map<string, string>();
    const compoundNames = new Map<string, string>();
    const resolveBuilding = (r: Row, row: number): CommandResult<BuildingId> => {
      if (r.buildingId !== null) return ok(r.buildingId);
      const { compoundId, name } = r.newBuilding ?? { compoundId: '', name: '' };
      let known = byCompound.get(compoundId);
      if (known === undefined) {
        known = compoundBuildings(doc, compoundId);
        byCompound.set(compoundId, known);
      }
      const key = buildingKey(name);
      const found = known.get(key) ?? [];
      if (found.length > 1) {
        return err(domainError('import.building-ambiguous', 'building', { building: name, row }));
      }
      if (found[0] !== undefined) return ok(found[0]);
      const id = ctx.newId() as BuildingId;
      const named = buildingName(name);
      newBuildings.set(id, newBuildingFields(compoundId, named, { importId }));
      known.set(key, [id]);
      buildingNames.set(id, named);
      if (!compoundNames.has(compoundId)) {
        compoundNames.set(compoundId, readRecord(doc, 'compounds', compoundId)?.name ?? '');
      }
      return ok(id);
    };
    const address = (buildingId: string, entrance: string | null, door: string): string => {
      const created = newBuildings.get(buildingId as BuildingId);
      if (created === undefined) return householdAddress(doc, buildingId, entrance, door);
      const compound = compoundNames.get(String(created.compoundId)) ?? '';
      return `${compound}${buildingNames.get(buildingId) ?? ''}${entrance ?? ''}${door}`;
    };

    const newHouseholds = new Map<string, Record<string, unknown>>();
    let entrancesCreated = 0;
    /** The household a row lives in: matched, or created with its entrance (and building, by resolveBuilding). */
    const placeOf = (r: Row, row: number): CommandResult<{ householdId: string; entrance: NewRecord | null }> => {
      const building = resolveBuilding(r, row);
      if (!building.ok) return building;
      const buildingId = building.value;
      let entranceId: string | null = null;
      let entrance: NewRecord | null = null;
      if (r.entranceName !== null && r.entranceName !== '') {
        const key = `${buildingId}|${entranceKey(r.entranceName)}`;
        entranceId = entrances.get(key) ?? null;
        if (entranceId === null) {
          entranceId = ctx.newId();
          entrance = { id: entranceId, fields: { buildingId, name: r.entranceName } };
          entrances.set(key, entranceId);
          entranceNames.set(entranceId, r.entranceName);
          entrancesCreated++;
        }
      }
      const hKey = householdKey(buildingId, entranceId, r.doorNumber);
      let householdId = households.get(hKey);
      if (householdId === undefined) {
        householdId = ctx.newId();
        newHouseholds.set(householdId, {
          buildingId,
          entranceId,
          doorNumber: r.doorNumber,
          address: address(buildingId, entranceName(entranceId), r.doorNumber),
          floorArea: r.floorArea,
          householderId: null,
        });
        households.set(hKey, householdId);
        holders.set(householdId, null);
      }
      return ok({ householdId, entrance });
    };

    const writes: RowWrite[] = [];
    for (const [row, r] of rows.entries()) {
      const check = checked.value[row];
      if (check === undefined) continue;
      const { fields, existing } = check;
      // A resident updated without moving keeps their household: no building, entrance or household is made.
      const stays = existing !== null && !(r.update ?? []).includes('household');
      const place = stays ? ok({ householdId: existing.record.householdId, entrance: null }) : placeOf(r, row);
      if (!place.ok) return place;
      const { householdId, entrance } = place.value;
      const currentHolder = holderOf(householdId);
      // A second 本人 in one household is recorded as 其他 rather than refusing a sheet that repeats the householder.
      const relation: Relation =
        r.relation === 'self' && currentHolder !== null && currentHolder !== existing?.id ? 'other' : r.relation;

      if (existing !== null) {
        const update = new Set(r.update ?? []);
        const next: Record<string, unknown> = {};
        if (update.has('name')) next.name = r.name;
        if (update.has('phone')) next.phone = fields.phone;
        if (update.has('household')) next.householdId = householdId;
        if (update.has('relation')) next.relation = relation;
        if (update.has('tags')) next.tags = uniqueTags(r.tags) satisfies ResidentTag[];
        if (update.has('note')) next.note = r.note;
        const changed = changedFields(existing.record, next);
        if (Object.keys(changed).length === 0) continue;
        const finalRelation = (changed.relation ?? existing.record.relation) as Relation;
        const finalHousehold = update.has('household') ? householdId : existing.record.householdId;
        let holderOfExisting: string | null = null;
        if (finalRelation === 'self' && (changed.relation !== undefined || changed.householdId !== undefined)) {
          const created = newHouseholds.get(finalHousehold);
          if (created !== undefined) created.householderId = existing.id;
          else if (holderOf(finalHousehold) !== existing.id) holderOfExisting = finalHousehold;
          holders.set(finalHousehold, existing.id);
        }
        writes.push({ entrance, resident: null, update: { id: existing.id, changed }, holderOf: holderOfExisting });
        continue;
      }

      const id = ctx.newId() as ResidentId;
      const resident: NewRecord = {
        id,
        fields: {
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
        },
      };
      let holderOfExisting: string | null = null;
      if (relation === 'self') {
        const created = newHouseholds.get(householdId);
        if (created !== undefined) created.householderId = id;
        else holderOfExisting = householdId;
        holders.set(householdId, id);
      }
      writes.push({ entrance, resident, update: null, holderOf: holderOfExisting });
    }

    const summary: ImportSummary = {
      importId,
      residentIds: writes.flatMap((w) => (w.resident === null ? [] : [w.resident.id as ResidentId])),
      updatedIds: writes.flatMap((w) => (w.update === null ? [] : [w.update.id])),
      householdsCreated: newHouseholds.size,
      entrancesCreated,
      buildingsCreated: newBuildings.size,
    };
    return plan(summary, (audit, at) => {
      for (const [id, fields] of newBuildings) {
        insertRecord(doc, 'buildings', id, { ...stamp(at, id), ...fields });
        audit({ action: 'create', collection: 'buildings', recordId: id, fields });
      }
      for (const { entrance, resident, update, holderOf: householdId } of writes) {
        if (entrance !== null)
          insertRecord(doc, 'entrances', entrance.id, { ...stamp(at, entrance.id), ...entrance.fields });
        if (resident !== null) {
          insertRecord(doc, 'residents', resident.id, { ...stamp(at, resident.id), ...resident.fields });
        }
        if (update !== null) {
          setFields(doc, 'residents', update.id, { ...update.changed, updatedAt: at });
          const action = update.changed.householdId !== undefined ? 'move' : 'update';
          audit({ action, collection: 'residents', recordId: update.id, fields: update.changed });
        }
        if (householdId !== null) {
          const holder = resident?.id ?? update?.id ?? null;
          setFields(doc, 'households', householdId, { householderId: holder });
        }
      }
      // Inserted last, with their householder: one created value each instead of a second item for `householderId`.
      for (const [id, fields] of newHouseholds) insertRecord(doc, 'households', id, { ...stamp(at, id), ...fields });
      audit({
        action: 'import',
        collection: 'residents',
        recordId: importId,
        fields: {
          count: summary.residentIds.length,
          updated: summary.updatedIds.length,
          householdsCreated: summary.householdsCreated,
          entrancesCreated,
          buildingsCreated: summary.buildingsCreated,
        },
      });
    });
  },
});
