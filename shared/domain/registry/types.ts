/**
 * Entities of the community registry (`<community>/registry`): the five-heads zone tree, compounds, buildings,
 * entrances, households, residents, grids, party organisations and volunteers.
 *
 * Ids are branded strings so a `BuildingId` cannot be passed where a `ZoneId` is expected. Enumerations are string
 * literals stored as codes; the UI translates them. Records only ever gain fields (docs/conventions.md, habit 8): readers keep
 * fields they do not know, so every entity type is "at least these fields".
 */
import { z } from 'zod';
import type { Sex } from './idNumber';

export type { Sex } from './idNumber';

declare const brand: unique symbol;
type Brand<B extends string> = string & { readonly [brand]: B };

export type ResidentId = Brand<'ResidentId'>;
export type HouseholdId = Brand<'HouseholdId'>;
export type BuildingId = Brand<'BuildingId'>;
export type EntranceId = Brand<'EntranceId'>;
export type CompoundId = Brand<'CompoundId'>;
export type ZoneId = Brand<'ZoneId'>;
export type GridId = Brand<'GridId'>;
export type PartyOrgId = Brand<'PartyOrgId'>;
export type VolunteerId = Brand<'VolunteerId'>;
export type AuditId = Brand<'AuditId'>;

export const SEXES = ['male', 'female'] as const satisfies readonly Sex[];

export const COMPOUND_KINDS = ['old', 'commercial'] as const;
export type CompoundKind = (typeof COMPOUND_KINDS)[number];

/** Five-heads levels from the top: 片区 → 街 → 巷 → 院落. The building (楼栋) sits below all of them. */
export const ZONE_LEVELS = ['area', 'street', 'lane', 'courtyard'] as const;
export type ZoneLevel = (typeof ZONE_LEVELS)[number];
export type HeadLevel = 'building' | ZoneLevel;

/** Relation to the householder (与户主关系), following the household register's usual categories. */
export const RELATIONS = [
  'self', // 本人/户主
  'spouse', // 配偶
  'child', // 子女
  'parent', // 父母
  'grandchild', // 孙子女
  'grandparent', // 祖父母
  'sibling', // 兄弟姐妹
  'child-in-law', // 儿媳/女婿
  'other', // 其他
] as const;
export type Relation = (typeof RELATIONS)[number];

export function isRelation(value: string): value is Relation {
  return (RELATIONS as readonly string[]).includes(value);
}

export const RESIDENT_TAGS = [
  'elderly-alone',
  'disabled',
  'minor',
  'party-member',
  'volunteer',
  'special-care',
] as const;
export type ResidentTag = (typeof RESIDENT_TAGS)[number];

export function isResidentTag(value: string): value is ResidentTag {
  return (RESIDENT_TAGS as readonly string[]).includes(value);
}

/**
 * Special-population flags (health, care needs). PIPL art. 28 makes them sensitive; only users holding
 * `registry.special-care` may set or clear them.
 */
export const SPECIAL_POPULATION_TAGS = ['disabled', 'special-care'] as const satisfies readonly ResidentTag[];

export const GRID_ROLES = ['grid-worker', 'police', 'manager'] as const;
export type GridRole = (typeof GRID_ROLES)[number];

/** 社区党委 → 小区党支部 → 楼栋党小组. */
export const PARTY_ORG_KINDS = ['committee', 'branch', 'group'] as const;
export type PartyOrgKind = (typeof PARTY_ORG_KINDS)[number];

// The permissions are the kernel's: one list for every domain.
export { PERMISSIONS, type Permission } from '../kernel/context';

export const SENSITIVE_FIELDS = ['idNumber', 'phone'] as const;
export type SensitiveField = (typeof SENSITIVE_FIELDS)[number];

/** A head of the five-heads chain is a resident or an outside volunteer. */
export type HeadRef =
  { readonly kind: 'resident'; readonly id: ResidentId } | { readonly kind: 'volunteer'; readonly id: VolunteerId };

/** Fields every record carries. Timestamps are ISO instants. */
export interface RecordBase<Id extends string> {
  readonly id: Id;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface OwnersCommitteeMember {
  readonly name: string;
  /** Set when the member is a registered resident. */
  readonly residentId: ResidentId | null;
}

export interface Compound extends RecordBase<CompoundId> {
  readonly name: string;
  readonly kind: CompoundKind;
  readonly address: string;
  readonly propertyCompany: string | null;
  readonly ownersCommittee: readonly OwnersCommitteeMember[];
  readonly zoneId: ZoneId | null;
}

export interface Building extends RecordBase<BuildingId> {
  readonly compoundId: CompoundId;
  /** As written on the building, e.g. "3栋". */
  readonly name: string;
  /** The courtyard (or any higher five-heads node when a level is skipped) the building hangs under. */
  readonly zoneId: ZoneId | null;
  readonly gridId: GridId | null;
  /** 楼栋长. */
  readonly head: HeadRef | null;
  readonly floors: number | null;
}

export interface Entrance extends RecordBase<EntranceId> {
  readonly buildingId: BuildingId;
  /** e.g. "1单元". */
  readonly name: string;
}

export interface Household extends RecordBase<HouseholdId> {
  readonly buildingId: BuildingId;
  readonly entranceId: EntranceId | null;
  /** e.g. "301". */
  readonly doorNumber: string;
  readonly address: string;
  /** Building area in m²; null where the office does not know it (owners' assembly votes count area). */
  readonly floorArea: number | null;
  readonly householderId: ResidentId | null;
}

export interface Resident extends RecordBase<ResidentId> {
  readonly name: string;
  readonly sex: Sex;
  /** `YYYY-MM-DD`, derived from the ID number. */
  readonly birthDate: string;
  /** Normalised 18-character ID number. */
  readonly idNumber: string;
  readonly phone: string | null;
  readonly householdId: HouseholdId;
  readonly relation: Relation;
  readonly tags: readonly ResidentTag[];
  /** 双报到: the day a party member checked in with the community where they live. */
  readonly partyCheckIn: string | null;
  readonly note: string;
  /** Soft delete: residents move away, but history and audit must still resolve their id. */
  readonly deletedAt: string | null;
  /** Id of the `import` audit entry that created this resident, if any (imports audit a count, not each row). */
  readonly importId?: string | null;
}

export interface Volunteer extends RecordBase<VolunteerId> {
  readonly name: string;
  readonly phone: string;
}

export interface Zone extends RecordBase<ZoneId> {
  readonly level: ZoneLevel;
  readonly name: string;
  readonly parentId: ZoneId | null;
  readonly head: HeadRef | null;
}

export interface GridWorker {
  readonly name: string;
  readonly phone: string;
  readonly role: GridRole;
}

export interface Grid extends RecordBase<GridId> {
  readonly name: string;
  readonly workers: readonly GridWorker[];
}

export interface PartyOrg extends RecordBase<PartyOrgId> {
  readonly kind: PartyOrgKind;
  readonly name: string;
  readonly parentId: PartyOrgId | null;
  readonly secretary: HeadRef | null;
  readonly compoundId: CompoundId | null;
  readonly buildingId: BuildingId | null;
  readonly memberIds: readonly ResidentId[];
}

export interface CommunityMeta {
  readonly communityName: string;
  readonly streetName: string;
  readonly districtName: string;
}

/**
 * `reveal`, `export` and `print` are the PIPL log of who saw or copied whose data (PIPL art. 51, 55): they write no
 * record, only their audit entry. Actions are only ever added (docs/conventions.md, habit 8): an older device keeps and passes on an
 * entry whose action it does not know.
 */
export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'move', 'reveal', 'import', 'export', 'print'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One audit entry per write, appended in the same transaction as the write. `fields` holds the new values, so the
 * history of a record can show both values of a concurrent edit with who and when.
 */
export interface AuditEntry {
  readonly id: string;
  readonly at: string;
  readonly userId: string;
  readonly userName: string;
  readonly deviceId: string;
  readonly action: AuditAction;
  readonly collection: string;
  readonly recordId: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

// ---------------------------------------------------------------------------------------------------------------
// Input schemas. They check shape only; domain rules (checksums, references, tree rules) live in the commands, which
// return specific codes.

const MAX_NAME = 100;
const MAX_TEXT = 500;

function idSchema<T extends string>() {
  return z.custom<T>((value) => typeof value === 'string' && value.length > 0 && value.length <= 64);
}

export const residentIdSchema = idSchema<ResidentId>();
export const householdIdSchema = idSchema<HouseholdId>();
export const buildingIdSchema = idSchema<BuildingId>();
export const entranceIdSchema = idSchema<EntranceId>();
export const compoundIdSchema = idSchema<CompoundId>();
export const zoneIdSchema = idSchema<ZoneId>();
export const gridIdSchema = idSchema<GridId>();
export const partyOrgIdSchema = idSchema<PartyOrgId>();
export const volunteerIdSchema = idSchema<VolunteerId>();

const name = z.string().trim().min(1).max(MAX_NAME);
const text = z.string().trim().max(MAX_TEXT);
const isoDateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const headRefSchema: z.ZodType<HeadRef> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('resident'), id: residentIdSchema }),
  z.object({ kind: z.literal('volunteer'), id: volunteerIdSchema }),
]);

export const ownersCommitteeMemberSchema = z.object({
  name,
  residentId: residentIdSchema.nullable().default(null),
});

export const createCompoundSchema = z.object({
  name,
  kind: z.enum(COMPOUND_KINDS),
  address: text.default(''),
  propertyCompany: name.nullable().default(null),
  ownersCommittee: z.array(ownersCommitteeMemberSchema).max(50).default([]),
  zoneId: zoneIdSchema.nullable().default(null),
});

export const updateCompoundSchema = z.object({
  id: compoundIdSchema,
  changes: z
    .object({
      name,
      kind: z.enum(COMPOUND_KINDS),
      address: text,
      propertyCompany: name.nullable(),
      ownersCommittee: z.array(ownersCommitteeMemberSchema).max(50),
      zoneId: zoneIdSchema.nullable(),
    })
    .partial(),
});

export const createBuildingSchema = z.object({
  compoundId: compoundIdSchema,
  name,
  zoneId: zoneIdSchema.nullable().default(null),
  gridId: gridIdSchema.nullable().default(null),
  head: headRefSchema.nullable().default(null),
  floors: z.number().int().min(1).max(200).nullable().default(null),
});

export const createEntranceSchema = z.object({ buildingId: buildingIdSchema, name });

export const floorAreaSchema = z.number().positive().max(100_000).nullable();

export const createHouseholdSchema = z.object({
  buildingId: buildingIdSchema,
  entranceId: entranceIdSchema.nullable().default(null),
  doorNumber: z.string().trim().min(1).max(20),
  /** Defaults to compound + building + entrance + door. */
  address: text.optional(),
  floorArea: floorAreaSchema.default(null),
});

const residentTags = z.array(z.enum(RESIDENT_TAGS)).max(RESIDENT_TAGS.length);

export const createResidentSchema = z.object({
  name,
  idNumber: z.string().trim().min(1).max(40),
  /** Optional: derived from the ID number; when given it must agree with it. */
  sex: z.enum(SEXES).optional(),
  birthDate: isoDateString.optional(),
  phone: z.string().trim().max(40).nullable().default(null),
  householdId: householdIdSchema,
  relation: z.enum(RELATIONS).default('other'),
  tags: residentTags.default([]),
  partyCheckIn: isoDateString.nullable().default(null),
  note: text.default(''),
});

export const updateResidentSchema = z.object({
  id: residentIdSchema,
  changes: z
    .object({
      name,
      idNumber: z.string().trim().min(1).max(40),
      phone: z.string().trim().max(40).nullable(),
      householdId: householdIdSchema,
      relation: z.enum(RELATIONS),
      tags: residentTags,
      partyCheckIn: isoDateString.nullable(),
      note: text,
    })
    .partial(),
});

export const deleteResidentSchema = z.object({ id: residentIdSchema });

export const createZoneSchema = z.object({
  level: z.enum(ZONE_LEVELS),
  name,
  parentId: zoneIdSchema.nullable().default(null),
  head: headRefSchema.nullable().default(null),
});

export const renameZoneSchema = z.object({ id: zoneIdSchema, name });
export const moveZoneSchema = z.object({ id: zoneIdSchema, parentId: zoneIdSchema.nullable() });
export const setZoneHeadSchema = z.object({ id: zoneIdSchema, head: headRefSchema.nullable() });
export const setBuildingHeadSchema = z.object({ id: buildingIdSchema, head: headRefSchema.nullable() });
export const moveBuildingSchema = z.object({ id: buildingIdSchema, zoneId: zoneIdSchema.nullable() });

export const createVolunteerSchema = z.object({ name, phone: z.string().trim().min(1).max(40) });

export const gridWorkerSchema = z.object({ name, phone: z.string().trim().min(1).max(40), role: z.enum(GRID_ROLES) });
export const createGridSchema = z.object({ name, workers: z.array(gridWorkerSchema).max(50).default([]) });
export const setGridWorkersSchema = z.object({ id: gridIdSchema, workers: z.array(gridWorkerSchema).max(50) });
export const assignBuildingGridSchema = z.object({ buildingId: buildingIdSchema, gridId: gridIdSchema.nullable() });

export const createPartyOrgSchema = z.object({
  kind: z.enum(PARTY_ORG_KINDS),
  name,
  parentId: partyOrgIdSchema.nullable().default(null),
  secretary: headRefSchema.nullable().default(null),
  compoundId: compoundIdSchema.nullable().default(null),
  buildingId: buildingIdSchema.nullable().default(null),
  memberIds: z.array(residentIdSchema).max(10_000).default([]),
});
export const setPartyOrgMembersSchema = z.object({
  id: partyOrgIdSchema,
  memberIds: z.array(residentIdSchema).max(10_000),
});
export const recordPartyCheckInSchema = z.object({ residentId: residentIdSchema, date: isoDateString });

export const setCommunityMetaSchema = z
  .object({
    communityName: name,
    streetName: z.string().trim().max(MAX_NAME),
    districtName: z.string().trim().max(MAX_NAME),
  })
  .partial();

export const revealSensitiveSchema = z.object({ residentId: residentIdSchema, field: z.enum(SENSITIVE_FIELDS) });

/** One resident of an import, as planned by `planResidentImport` (import.ts) or built by the demo generator. */
export const importResidentRowSchema = z.object({
  name,
  idNumber: z.string().trim().min(1).max(40),
  phone: z.string().trim().max(40).nullable().default(null),
  buildingId: buildingIdSchema,
  /** Entrance name as written ("1单元"); created when the building has none of that name. */
  entranceName: z.string().trim().max(MAX_NAME).nullable().default(null),
  doorNumber: z.string().trim().min(1).max(20),
  relation: z.enum(RELATIONS).default('other'),
  tags: residentTags.default([]),
  floorArea: floorAreaSchema.default(null),
  partyCheckIn: isoDateString.nullable().default(null),
  note: text.default(''),
});
export type ImportResidentRow = z.input<typeof importResidentRowSchema>;
export const importResidentsSchema = z.object({ rows: z.array(importResidentRowSchema).min(1).max(50_000) });
