/**
 * The residents import: many residents in one command (a spreadsheet planned by import.ts, the demo community).
 * A kernel command (docs/architecture.md, "commands"): the rule checks every row and decides every record to write,
 * with its id, before anything is written; the write then inserts them in one transaction with one audit entry.
 */
import type * as Y from 'yjs';
import type { z } from 'zod';
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
import { idNumberIndex } from './idIndex';
import { registryJournal, stamp, type RegistryPlan } from './journal';
import { entranceKey } from './names';
import { householdAddress, householdIndex, householdKey } from './places';
import { liveResident } from './references';
import { canSetTags, checkResidentFields, uniqueTags, type ResidentFieldsOut } from './residents';
import { importResidentsSchema, type Relation, type ResidentId } from './types';

export interface ImportSummary {
  readonly importId: string;
  readonly residentIds: readonly ResidentId[];
  readonly householdsCreated: number;
  readonly entrancesCreated: number;
}

type Row = z.output<typeof importResidentsSchema>['rows'][number];

/** One record to create: its id and fields (the write adds the creation stamp). */
interface NewRecord {
  readonly id: string;
  readonly fields: Record<string, unknown>;
}

/** What one row writes: maybe a new entrance, the resident, maybe the householder of an existing household. */
interface RowWrite {
  readonly entrance: NewRecord | null;
  readonly resident: NewRecord;
  readonly holderOf: string | null;
}

/** All rows checked: the first bad one refuses the import with its error, `params.row` its index in `rows`. */
function checkRows(doc: Y.Doc, ctx: CommandContext, rows: readonly Row[]): CommandResult<ResidentFieldsOut[]> {
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
  return ok(checked);
}

/**
 * Imports many residents in one transaction. All rows are checked first; one bad row refuses the whole import with
 * its error (`params.row` = index in `rows`), because `planResidentImport` already filtered the sheet and a
 * half-applied import is worse than none. Households are matched on building + entrance + door number, created when
 * missing; entrances are matched by name, created when missing. One audit entry with the counts; each resident
 * carries `importId` so its history can show the import.
 */
export const importResidents = defineCommand({
  name: 'importResidents',
  permission: 'registry.edit',
  input: importResidentsSchema,
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

    const writes: RowWrite[] = [];
    const newHouseholds = new Map<string, Record<string, unknown>>();
    let entrancesCreated = 0;
    for (const [row, r] of rows.entries()) {
      const fields = checked.value[row];
      if (fields === undefined) continue;
      let entranceId: string | null = null;
      let entrance: NewRecord | null = null;
      if (r.entranceName !== null && r.entranceName !== '') {
        const key = `${r.buildingId}|${entranceKey(r.entranceName)}`;
        entranceId = entrances.get(key) ?? null;
        if (entranceId === null) {
          entranceId = ctx.newId();
          entrance = { id: entranceId, fields: { buildingId: r.buildingId, name: r.entranceName } };
          entrances.set(key, entranceId);
          entranceNames.set(entranceId, r.entranceName);
          entrancesCreated++;
        }
      }
      const hKey = householdKey(r.buildingId, entranceId, r.doorNumber);
      let householdId = households.get(hKey);
      if (householdId === undefined) {
        householdId = ctx.newId();
        newHouseholds.set(householdId, {
          buildingId: r.buildingId,
          entranceId,
          doorNumber: r.doorNumber,
          address: householdAddress(doc, r.buildingId, entranceName(entranceId), r.doorNumber),
          floorArea: r.floorArea,
          householderId: null,
        });
        households.set(hKey, householdId);
        holders.set(householdId, null);
      }
      const id = ctx.newId() as ResidentId;
      // A second 本人 in one household is recorded as 其他 rather than refusing a sheet that repeats the householder.
      const relation: Relation = r.relation === 'self' && holderOf(householdId) !== null ? 'other' : r.relation;
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
      writes.push({ entrance, resident, holderOf: holderOfExisting });
    }

    const summary: ImportSummary = {
      importId,
      residentIds: writes.map((w) => w.resident.id as ResidentId),
      householdsCreated: newHouseholds.size,
      entrancesCreated,
    };
    return plan(summary, (audit, at) => {
      for (const { entrance, resident, holderOf: householdId } of writes) {
        if (entrance !== null)
          insertRecord(doc, 'entrances', entrance.id, { ...stamp(at, entrance.id), ...entrance.fields });
        insertRecord(doc, 'residents', resident.id, { ...stamp(at, resident.id), ...resident.fields });
        if (householdId !== null) setFields(doc, 'households', householdId, { householderId: resident.id });
      }
      // Inserted last, with their householder: one created value each instead of a second item for `householderId`.
      for (const [id, fields] of newHouseholds) insertRecord(doc, 'households', id, { ...stamp(at, id), ...fields });
      audit({
        action: 'import',
        collection: 'residents',
        recordId: importId,
        fields: { count: summary.residentIds.length, householdsCreated: summary.householdsCreated, entrancesCreated },
      });
    });
  },
});
