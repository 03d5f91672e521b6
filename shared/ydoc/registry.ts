/**
 * Yjs layout of the `<community>/registry` document (name built by `docName`, never by hand).
 *
 * | top-level name | Yjs type                    | holds                                                          |
 * | -------------- | --------------------------- | -------------------------------------------------------------- |
 * | `residents`    | `Y.Map<id, Y.Map<field>>`   | Resident records                                               |
 * | `households`   | `Y.Map<id, Y.Map<field>>`   | Household records                                              |
 * | `buildings`    | `Y.Map<id, Y.Map<field>>`   | Building records                                               |
 * | `entrances`    | `Y.Map<id, Y.Map<field>>`   | Entrance records                                               |
 * | `compounds`    | `Y.Map<id, Y.Map<field>>`   | Compound records                                               |
 * | `zones`        | `Y.Map<id, Y.Map<field>>`   | Five-heads zones (片区/街/巷/院落)                              |
 * | `grids`        | `Y.Map<id, Y.Map<field>>`   | Grids and their workers                                        |
 * | `partyOrgs`    | `Y.Map<id, Y.Map<field>>`   | Party committee, branches, groups                              |
 * | `volunteers`   | `Y.Map<id, Y.Map<field>>`   | Heads who are not residents                                    |
 * | `units`        | `Y.Map<id, Y.Map<field>>`   | In-area organisations of 双报到 (docs/party-model.md)           |
 * | `posts`        | `Y.Map<id, Y.Map<field>>`   | Service posts members and units claim (docs/party-model.md)    |
 * | `platforms`    | `Y.Map<id, Y.Map<field>>`   | A compound's 三平台 organisations (docs/party-model.md)         |
 * | `venues`       | `Y.Map<id, Y.Map<field>>`   | Venues (阵地) (docs/resources-model.md)                         |
 * | `projects`     | `Y.Map<id, Y.Map<field>>`   | Projects (项目化) (docs/resources-model.md)                     |
 * | `fundEntries`  | `Y.Map<id, Y.Map<field>>`   | The three funds' ledger entries (docs/resources-model.md)      |
 * | `meta`         | `Y.Map<field>`              | community name, street, district                               |
 * | `audit`        | `Y.Array<AuditEntry>`       | one entry per command write, appended in the same transaction  |
 *
 * Each record is a nested `Y.Map`. A record is created with all its fields in one value under the key `@created`
 * (`CREATED_FIELDS`); every later edit sets the field under its own key, which wins over the created value. So two
 * people editing different fields of one record both win under the CRDT; the same field edited twice resolves
 * last-writer-wins and the audit keeps both values. Read records only through `readRecord`, `listRecords`,
 * `recordValue` and `recordField`, never with `Y.Map.get`/`toJSON` on a record map.
 *
 * Why one created value and not one key per field from the start: see `created.ts` (about seven times fewer Yjs
 * items for a new device to integrate).
 *
 * Field values are plain JSON. Lists (`tags`, `memberIds`, `workers`, `ownersCommittee`) and small objects (`head`)
 * are stored as one plain value because every command replaces them whole ("set the members to this list"): a
 * `Y.Array` would merge two concurrent "set" edits into a list neither person chose (and duplicate an id both added),
 * whereas a whole value resolves to one person's list and the audit shows the other's.
 *
 * Fields are only ever added, never renamed or removed (docs/conventions.md, habit 8). Readers keep fields they do not know,
 * because a newer laptop may have written them and an older one must pass them on untouched.
 *
 * Only the registry's commands (`shared/domain/registry`, through the kernel) write through the helpers marked "write"
 * below.
 */
import * as Y from 'yjs';
import { CREATED_FIELDS, createdRecordValue, createdValue, recordValue } from './created';
import type { Platform, ServicePost, Unit } from '../domain/party/types';
import type { FundEntry, Project, Venue } from '../domain/resources/types';
import type {
  AuditEntry,
  Building,
  CommunityMeta,
  Compound,
  Entrance,
  Grid,
  Household,
  PartyOrg,
  Resident,
  Volunteer,
  Zone,
} from '../domain/registry/types';

export { CREATED_FIELDS, recordField, recordValue } from './created';

export const REGISTRY_COLLECTIONS = [
  'residents',
  'households',
  'buildings',
  'entrances',
  'compounds',
  'zones',
  'grids',
  'partyOrgs',
  'volunteers',
  'units',
  'posts',
  'platforms',
  'venues',
  'projects',
  'fundEntries',
] as const;
export type RegistryCollection = (typeof REGISTRY_COLLECTIONS)[number];

export interface RegistryRecords {
  residents: Resident;
  households: Household;
  buildings: Building;
  entrances: Entrance;
  compounds: Compound;
  zones: Zone;
  grids: Grid;
  partyOrgs: PartyOrg;
  volunteers: Volunteer;
  units: Unit;
  posts: ServicePost;
  platforms: Platform;
  venues: Venue;
  projects: Project;
  fundEntries: FundEntry;
}

/** A record as read: the known fields plus whatever newer clients added. */
export type StoredRecord<C extends RegistryCollection> = RegistryRecords[C] & Readonly<Record<string, unknown>>;

export const META_MAP = 'meta';
export const AUDIT_ARRAY = 'audit';

export function isRegistryCollection(value: string): value is RegistryCollection {
  return (REGISTRY_COLLECTIONS as readonly string[]).includes(value);
}

export function collectionMap(doc: Y.Doc, collection: RegistryCollection): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(collection);
}

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(META_MAP);
}

export function auditArray(doc: Y.Doc): Y.Array<AuditEntry> {
  return doc.getArray<AuditEntry>(AUDIT_ARRAY);
}

/** Reads one record as a plain object, unknown fields included; `null` when the id is not in the collection. */
export function readRecord<C extends RegistryCollection>(
  doc: Y.Doc,
  collection: C,
  id: string,
): StoredRecord<C> | null {
  const map = collectionMap(doc, collection).get(id);
  if (!(map instanceof Y.Map)) return null;
  return recordValue(map) as StoredRecord<C>;
}

/** Every record of a collection (soft-deleted residents included: callers filter on `deletedAt`). */
export function listRecords<C extends RegistryCollection>(doc: Y.Doc, collection: C): StoredRecord<C>[] {
  const records: StoredRecord<C>[] = [];
  collectionMap(doc, collection).forEach((map) => {
    if (map instanceof Y.Map) records.push(recordValue(map) as StoredRecord<C>);
  });
  return records;
}

/**
 * The records of a collection whose records are never edited, each as created: a key written later under a record
 * (which the server's set-once guard does not see as an overwrite) is ignored. Used for the funds' ledger.
 */
export function listCreatedRecords<C extends RegistryCollection>(doc: Y.Doc, collection: C): StoredRecord<C>[] {
  const records: StoredRecord<C>[] = [];
  collectionMap(doc, collection).forEach((map) => {
    if (!(map instanceof Y.Map)) return;
    const value = createdRecordValue(map);
    if (value !== null) records.push(value as StoredRecord<C>);
  });
  return records;
}

export function hasRecord(doc: Y.Doc, collection: RegistryCollection, id: string): boolean {
  return collectionMap(doc, collection).get(id) instanceof Y.Map;
}

const DEFAULT_META: CommunityMeta = { communityName: '', streetName: '', districtName: '' };

export function readMeta(doc: Y.Doc): CommunityMeta & Readonly<Record<string, unknown>> {
  return { ...DEFAULT_META, ...(metaMap(doc).toJSON() as Record<string, unknown>) };
}

export function readAudit(doc: Y.Doc): AuditEntry[] {
  return auditArray(doc).toArray();
}

/** Plain, read-only view of the whole registry, for pure functions (five heads, import planning, projections). */
export type RegistrySnapshot = { readonly [C in RegistryCollection]: ReadonlyMap<string, StoredRecord<C>> } & {
  readonly meta: CommunityMeta;
};

export function snapshotRegistry(doc: Y.Doc): RegistrySnapshot {
  const byId = <C extends RegistryCollection>(collection: C): ReadonlyMap<string, StoredRecord<C>> =>
    new Map(listRecords(doc, collection).map((record) => [record.id, record]));
  return {
    residents: byId('residents'),
    households: byId('households'),
    buildings: byId('buildings'),
    entrances: byId('entrances'),
    compounds: byId('compounds'),
    zones: byId('zones'),
    grids: byId('grids'),
    partyOrgs: byId('partyOrgs'),
    volunteers: byId('volunteers'),
    units: byId('units'),
    posts: byId('posts'),
    platforms: byId('platforms'),
    venues: byId('venues'),
    projects: byId('projects'),
    fundEntries: byId('fundEntries'),
    meta: readMeta(doc),
  };
}

/** An empty snapshot (tests, a community with no data yet). */
export function emptySnapshot(): RegistrySnapshot {
  return {
    residents: new Map(),
    households: new Map(),
    buildings: new Map(),
    entrances: new Map(),
    compounds: new Map(),
    zones: new Map(),
    grids: new Map(),
    partyOrgs: new Map(),
    volunteers: new Map(),
    units: new Map(),
    posts: new Map(),
    platforms: new Map(),
    venues: new Map(),
    projects: new Map(),
    fundEntries: new Map(),
    meta: DEFAULT_META,
  };
}

// --- write (the registry's commands only; call inside a transaction) -------------------------------------------

/** Write: creates a record's map, with all its fields in one created value (see the layout above). */
export function insertRecord(doc: Y.Doc, collection: RegistryCollection, id: string, fields: object): void {
  // Integrate the empty map first, then set: Yjs integrates a prelim map's content item by item anyway, and setting
  // on an integrated map skips the intermediate copy.
  collectionMap(doc, collection).set(id, new Y.Map<unknown>()).set(CREATED_FIELDS, createdValue(fields));
}

/** Write: sets some fields of an existing record, leaving every other field (known or not) as it is. */
export function setFields(doc: Y.Doc, collection: RegistryCollection, id: string, fields: object): void {
  const map = collectionMap(doc, collection).get(id);
  if (!(map instanceof Y.Map)) throw new Error(`setFields: no ${collection} record ${id}`);
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) map.set(key, value);
  }
}

/** Write: sets fields of the meta map. */
export function setMetaFields(doc: Y.Doc, fields: object): void {
  const map = metaMap(doc);
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) map.set(key, value);
  }
}

/** Write: appends audit entries. */
export function appendAudit(doc: Y.Doc, entries: readonly AuditEntry[]): void {
  auditArray(doc).push([...entries]);
}
