/**
 * Batch creation of buildings, entrances (单元) and households ("1-12栋，每栋 6 层 3 单元，每层 2 户"): the plan a
 * preview shows and the one command that writes it all in one transaction (docs/registry-model.md, "Batch of
 * buildings"). A building whose name the compound already has (3栋 = 3号楼) refuses the whole batch, so a second click
 * never doubles a compound.
 *
 * Numbering (*practice*): buildings `${n}${suffix}` from `from` to `to`; entrances 1单元 … N单元; in each entrance, floor
 * f and position p give the door `f` followed by `p` on two digits (101, 102, 201 … 602), so every entrance has its own
 * 101 as on the doors of most residential buildings. With no entrances the doors hang on the building directly.
 */
import { z } from 'zod';
import type * as Y from 'yjs';
import { defineCommand, domainError, err, plan, type DomainError } from '../kernel';
import { collectionMap, insertRecord, readRecord, recordField } from '../../ydoc/registry';
import { registryJournal, stamp, type RegistryPlan } from './journal';
import { buildingKey } from './names';
import { checkRef, firstError } from './references';
import {
  compoundIdSchema,
  gridIdSchema,
  zoneIdSchema,
  type BuildingId,
  type EntranceId,
  type HouseholdId,
} from './types';

export const BUILDING_SUFFIXES = ['栋', '号楼', '幢'] as const;
/** At most this many buildings and households in one batch: a compound, not a district. */
export const BATCH_MAX_BUILDINGS = 100;
export const BATCH_MAX_HOUSEHOLDS = 10_000;

export const buildingBatchSchema = z
  .object({
    compoundId: compoundIdSchema,
    from: z.number().int().min(1).max(9999),
    to: z.number().int().min(1).max(9999),
    suffix: z.enum(BUILDING_SUFFIXES).default('栋'),
    floors: z.number().int().min(1).max(100),
    /** 单元 per building; 0: the doors hang on the building directly. */
    entrances: z.number().int().min(0).max(20),
    /** Households per floor in each entrance (or in the building when it has no entrances). */
    perFloor: z.number().int().min(1).max(20),
    zoneId: zoneIdSchema.nullable().default(null),
    gridId: gridIdSchema.nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if (v.to < v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to < from' });
    else if (v.to - v.from + 1 > BATCH_MAX_BUILDINGS) {
      ctx.addIssue({ code: 'too_big', origin: 'number', maximum: BATCH_MAX_BUILDINGS, path: ['to'], input: v.to });
    }
  });
export type BuildingBatchInput = z.input<typeof buildingBatchSchema>;
type BuildingBatch = z.output<typeof buildingBatchSchema>;

export interface PlannedBuilding {
  readonly name: string;
  /** Entrance names, empty when the building has none. */
  readonly entrances: readonly string[];
  /** Door numbers of one entrance (the same in each), or of the building when it has none. */
  readonly doors: readonly string[];
  /** The compound already has a building of this name (3栋 = 3号楼). */
  readonly exists: boolean;
}

export interface BatchPlan {
  readonly buildings: readonly PlannedBuilding[];
  readonly entrances: number;
  readonly households: number;
  readonly existing: readonly string[];
}

/**
 * The buildings of one compound by `buildingKey` (3栋 = 3号楼 = 3): a batch refuses a name the compound has, an import
 * matches its rows to them and creates the ones missing (docs/registry-model.md, "Import").
 */
export function compoundBuildings(doc: Y.Doc, compoundId: string): Map<string, BuildingId[]> {
  const found = new Map<string, BuildingId[]>();
  collectionMap(doc, 'buildings').forEach((map, id) => {
    if (recordField(map, 'compoundId') !== compoundId) return;
    const key = buildingKey(String(recordField(map, 'name')));
    found.set(key, [...(found.get(key) ?? []), id as BuildingId]);
  });
  return found;
}

/** A new building's fields, as a batch or an import creates it; `origin` names the batch or import that made it. */
export function newBuildingFields(
  compoundId: string,
  name: string,
  origin: { readonly batchId: string } | { readonly importId: string },
  place: { readonly zoneId?: string | null; readonly gridId?: string | null; readonly floors?: number | null } = {},
): Record<string, unknown> {
  return {
    compoundId,
    name,
    zoneId: place.zoneId ?? null,
    gridId: place.gridId ?? null,
    head: null,
    floors: place.floors ?? null,
    ...origin,
  };
}

/** The doors of one entrance: floor then position on two digits (101, 102, 201 …). */
export function batchDoors(floors: number, perFloor: number): string[] {
  const doors: string[] = [];
  for (let floor = 1; floor <= floors; floor++) {
    for (let p = 1; p <= perFloor; p++) doors.push(`${floor}${String(p).padStart(2, '0')}`);
  }
  return doors;
}

/** What a batch would create, and which of its names the compound already has: the preview and the command's plan. */
export function planBuildingBatch(doc: Y.Doc, v: BuildingBatch): BatchPlan {
  const taken = compoundBuildings(doc, v.compoundId);
  const entrances = Array.from({ length: v.entrances }, (_, i) => `${i + 1}单元`);
  const doors = batchDoors(v.floors, v.perFloor);
  const buildings: PlannedBuilding[] = [];
  for (let n = v.from; n <= v.to; n++) {
    const name = `${n}${v.suffix}`;
    buildings.push({ name, entrances, doors, exists: taken.has(buildingKey(name)) });
  }
  const perBuilding = doors.length * Math.max(1, entrances.length);
  return {
    buildings,
    entrances: entrances.length * buildings.length,
    households: perBuilding * buildings.length,
    existing: buildings.filter((b) => b.exists).map((b) => b.name),
  };
}

/** The refusal of a batch before anything is written, or null. */
export function batchProblem(doc: Y.Doc, v: BuildingBatch, planned: BatchPlan): DomainError | null {
  const missing = firstError(
    checkRef(doc, 'compounds', v.compoundId, 'compoundId'),
    checkRef(doc, 'zones', v.zoneId, 'zoneId'),
    checkRef(doc, 'grids', v.gridId, 'gridId'),
  );
  if (missing !== null) return missing;
  if (planned.households > BATCH_MAX_HOUSEHOLDS) {
    return domainError('batch.too-large', 'perFloor', { max: BATCH_MAX_HOUSEHOLDS });
  }
  const first = planned.existing[0];
  if (first !== undefined) return domainError('name.duplicate', 'from', { name: first });
  return null;
}

export interface BatchSummary {
  readonly batchId: string;
  readonly buildingIds: readonly BuildingId[];
  readonly entrancesCreated: number;
  readonly householdsCreated: number;
}

/**
 * Creates the buildings of a batch with their entrances and households, in ONE transaction: one audit entry per
 * building (`create`, with the batch id and its counts); every record carries `batchId`, so a history shows it.
 */
export const createBuildingBatch = defineCommand({
  name: 'createBuildingBatch',
  permission: 'registry.edit',
  input: buildingBatchSchema,
  journal: registryJournal,
  plan: (doc, v, ctx): RegistryPlan<BatchSummary> => {
    const planned = planBuildingBatch(doc, v);
    const problem = batchProblem(doc, v, planned);
    if (problem !== null) return err(problem);
    const compoundName = readRecord(doc, 'compounds', v.compoundId)?.name ?? '';
    const batchId = ctx.newId();
    const ids = planned.buildings.map(() => ctx.newId() as BuildingId);
    return plan(
      {
        batchId,
        buildingIds: ids,
        entrancesCreated: planned.entrances,
        householdsCreated: planned.households,
      },
      (audit, at) => {
        planned.buildings.forEach((building, index) => {
          const buildingId = ids[index] as BuildingId;
          const fields = newBuildingFields(
            v.compoundId,
            building.name,
            { batchId },
            { zoneId: v.zoneId, gridId: v.gridId, floors: v.floors },
          );
          insertRecord(doc, 'buildings', buildingId, { ...stamp(at, buildingId), ...fields });
          const groups: (string | null)[] = building.entrances.length === 0 ? [null] : [...building.entrances];
          for (const entranceName of groups) {
            let entranceId: EntranceId | null = null;
            if (entranceName !== null) {
              entranceId = ctx.newId() as EntranceId;
              insertRecord(doc, 'entrances', entranceId, {
                ...stamp(at, entranceId),
                buildingId,
                name: entranceName,
                batchId,
              });
            }
            for (const door of building.doors) {
              const householdId = ctx.newId() as HouseholdId;
              insertRecord(doc, 'households', householdId, {
                ...stamp(at, householdId),
                buildingId,
                entranceId,
                doorNumber: door,
                address: `${compoundName}${building.name}${entranceName ?? ''}${door}`,
                floorArea: null,
                householderId: null,
                batchId,
              });
            }
          }
          audit({
            action: 'create',
            collection: 'buildings',
            recordId: buildingId,
            fields: {
              ...fields,
              entrances: building.entrances.length,
              households: building.doors.length * Math.max(1, building.entrances.length),
            },
          });
        });
      },
    );
  },
});

/**
 * Reads a batch described in words, as an office writes it: "1-12栋，每栋 6 层 3 单元，每层 2 户" (also 1至12号楼, 1~12幢;
 * 每单元每层 2 户). Returns the fields it found; what it does not find stays for the form to fill.
 */
export function parseBatchText(
  text: string,
): Partial<Pick<BuildingBatch, 'from' | 'to' | 'suffix' | 'floors' | 'entrances' | 'perFloor'>> {
  const s = text.normalize('NFKC').replace(/\s+/g, '');
  const found: Partial<Pick<BuildingBatch, 'from' | 'to' | 'suffix' | 'floors' | 'entrances' | 'perFloor'>> = {};
  const range = /(\d+)(?:[-—–~～至到])(\d+)(栋|号楼|幢)/.exec(s) ?? /(\d+)(?:[-—–~～至到])(\d+)/.exec(s);
  if (range) {
    found.from = Number(range[1]);
    found.to = Number(range[2]);
    const suffix = range[3];
    if (suffix === '栋' || suffix === '号楼' || suffix === '幢') found.suffix = suffix;
  }
  const floors = /(\d+)层/.exec(s);
  if (floors) found.floors = Number(floors[1]);
  const entrances = /(\d+)(?:个)?单元/.exec(s);
  if (entrances) found.entrances = Number(entrances[1]);
  const perFloor = /每层(\d+)户/.exec(s) ?? /(\d+)户/.exec(s);
  if (perFloor) found.perFloor = Number(perFloor[1]);
  return found;
}
