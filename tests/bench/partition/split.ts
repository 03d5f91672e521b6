/**
 * The registry of `npm run bench:partition` cut into several documents, the way a migration would write them: every
 * record copied with `insertRecord` (its fields as one `@created` value, as the app creates records), the audit and
 * the community's own records in a common document.
 *
 * - **By compound**: a common document (meta, compounds, zones, grids, party organisations, volunteers, the other
 *   collections, the audit) and one document per compound holding its buildings, their entrances and households and
 *   the residents living there. A resident's row needs only its household and building: both are in its document.
 * - **By fixed shards**: a places document (everything but residents, and the audit) and `shards` documents of
 *   residents, a resident in shard `bucketOf(id) % shards` (the projection's own hash). A resident's row needs the
 *   places document as well as its shard.
 */
import * as Y from 'yjs';
import {
  auditArray,
  insertRecord,
  listRecords,
  metaMap,
  REGISTRY_COLLECTIONS,
  type RegistryCollection,
} from '@shared/ydoc/registry';
import { naturalCompare } from '@shared/domain/naturalOrder';
import { bucketOf } from '../../../renderer/data/projectionRows';

export interface Part {
  /** `common`, `places`, `compound:<name>` or `shard:<n>`. */
  readonly name: string;
  /** Whether it holds residents (a document the list reads rows from) or places only. */
  readonly holdsResidents: boolean;
  /** The document as the server stores it after a compaction: one v1 update. */
  readonly stored: Uint8Array;
  readonly residents: number;
}

export interface Split {
  readonly design: 'compound' | 'shards';
  /** The document every resident row also reads places from (by compound: none, each part has its own). */
  readonly places: Part | null;
  /** The documents, common or places first, then in list order (compounds by name, shards by number). */
  readonly parts: readonly Part[];
}

type AnyRecord = { readonly id: string } & Readonly<Record<string, unknown>>;

const PLACE_OF_COMPOUND = new Set<RegistryCollection>(['buildings', 'entrances', 'households', 'residents']);

function partOf(name: string, holdsResidents: boolean, fill: (doc: Y.Doc) => void): Part {
  const doc = new Y.Doc();
  doc.transact(() => fill(doc));
  const stored = Y.encodeStateAsUpdate(doc);
  const residents = collectionSize(doc, 'residents');
  doc.destroy();
  return { name, holdsResidents, stored, residents };
}

function collectionSize(doc: Y.Doc, collection: RegistryCollection): number {
  return doc.getMap(collection).size;
}

function copyCommon(source: Y.Doc, target: Y.Doc, collections: readonly RegistryCollection[]): void {
  for (const [key, value] of metaMap(source)) metaMap(target).set(key, value);
  for (const collection of collections) {
    for (const record of listRecords(source, collection)) insertRecord(target, collection, record.id, record);
  }
  auditArray(target).push(auditArray(source).toArray());
}

/** The registry cut by compound: a common document and one per compound. */
export function splitByCompound(source: Y.Doc): Split {
  const compounds = listRecords(source, 'compounds').sort((a, b) => naturalCompare(a.name, b.name));
  const compoundOfBuilding = new Map(listRecords(source, 'buildings').map((b) => [b.id, b.compoundId]));
  const buildingOfHousehold = new Map(listRecords(source, 'households').map((h) => [h.id, h.buildingId]));
  const byCompound = new Map<string, Map<RegistryCollection, AnyRecord[]>>(
    compounds.map((compound) => [compound.id, new Map()]),
  );
  const add = (compoundId: string | undefined, collection: RegistryCollection, record: AnyRecord): void => {
    const collections = byCompound.get(compoundId ?? '');
    if (collections === undefined) throw new Error(`${collection} ${record.id}: no compound`);
    const list = collections.get(collection);
    if (list === undefined) collections.set(collection, [record]);
    else list.push(record);
  };
  for (const building of listRecords(source, 'buildings')) add(building.compoundId, 'buildings', building);
  for (const entrance of listRecords(source, 'entrances')) {
    add(compoundOfBuilding.get(entrance.buildingId), 'entrances', entrance);
  }
  for (const household of listRecords(source, 'households')) {
    add(compoundOfBuilding.get(household.buildingId), 'households', household);
  }
  for (const resident of listRecords(source, 'residents')) {
    const building = buildingOfHousehold.get(resident.householdId);
    add(building === undefined ? undefined : compoundOfBuilding.get(building), 'residents', resident);
  }
  const common = partOf('common', false, (doc) =>
    copyCommon(
      source,
      doc,
      REGISTRY_COLLECTIONS.filter((collection) => !PLACE_OF_COMPOUND.has(collection)),
    ),
  );
  const parts = compounds.map((compound) =>
    partOf(`compound:${compound.name}`, true, (doc) => {
      for (const [collection, records] of byCompound.get(compound.id) ?? []) {
        for (const record of records) insertRecord(doc, collection, record.id, record);
      }
    }),
  );
  return { design: 'compound', places: null, parts: [common, ...parts] };
}

/** The registry cut into `shards` documents of residents (by the hash of their id) and one of places. */
export function splitByShards(source: Y.Doc, shards: number): Split {
  const places = partOf('places', false, (doc) =>
    copyCommon(
      source,
      doc,
      REGISTRY_COLLECTIONS.filter((collection) => collection !== 'residents'),
    ),
  );
  const residents = Array.from({ length: shards }, () => [] as AnyRecord[]);
  for (const resident of listRecords(source, 'residents')) residents[bucketOf(resident.id) % shards]?.push(resident);
  const parts = residents.map((records, shard) =>
    partOf(`shard:${shard}`, true, (doc) => {
      for (const record of records) insertRecord(doc, 'residents', record.id, record);
    }),
  );
  return { design: 'shards', places, parts: [places, ...parts] };
}
