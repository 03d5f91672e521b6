/**
 * The community the benches load: the places of the generated demo community (compounds, buildings, entrances, zones,
 * grids, volunteers; `generateDemoCommunity`) and its residents as rows of the residents sheet an office sends, for
 * the app's own import to read (`npm run bench:store` writes them with exceljs and imports them in the browser;
 * `npm run bench:scale` imports them in Node with the app's ids, tests/bench/scale/data.ts).
 */
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { insertRecord, listRecords, metaMap, snapshotRegistry, type RegistryCollection } from '@shared/ydoc/registry';
import type { ImportColumn } from '@shared/domain/registry/import';
import {
  RELATION_SHEET_WORDS,
  SEX_SHEET_WORDS,
  TAG_SHEET_WORDS,
  type ResidentSheetRow,
} from '../../renderer/data/excel';

/** The columns of the sheet, in its order. */
export const SHEET_COLUMNS: readonly ImportColumn[] = [
  'name',
  'sex',
  'idNumber',
  'phone',
  'compound',
  'building',
  'entrance',
  'doorNumber',
  'relation',
  'tags',
  'floorArea',
];

/**
 * The places of a generated community of `residents` (with its name, street and district when `meta`), and its
 * residents as sheet rows. `suffix` is added to every compound's name (a second generated part of a larger community,
 * whose compounds must not take the first part's names: the sheet names compounds).
 */
export function placesAndSheetRows(
  seed: number,
  residents: number,
  { meta = false, suffix = '' }: { meta?: boolean; suffix?: string } = {},
): { places: Y.Doc; rows: ResidentSheetRow[] } {
  const { doc } = generateDemoCommunity(seed, { residents });
  const places = new Y.Doc();
  const copied: RegistryCollection[] = ['compounds', 'buildings', 'entrances', 'zones', 'grids', 'volunteers'];
  places.transact(() => {
    if (meta) for (const [key, value] of metaMap(doc)) metaMap(places).set(key, value);
    for (const collection of copied) {
      for (const record of listRecords(doc, collection)) {
        const renamed = collection === 'compounds' ? { ...record, name: `${String(record.name)}${suffix}` } : record;
        insertRecord(places, collection, record.id, renamed);
      }
    }
  });
  const snapshot = snapshotRegistry(doc);
  const rows: ResidentSheetRow[] = [];
  for (const resident of snapshot.residents.values()) {
    const household = snapshot.households.get(resident.householdId);
    const building = household ? snapshot.buildings.get(household.buildingId) : undefined;
    const compound = building ? snapshot.compounds.get(building.compoundId) : undefined;
    const entrance = household?.entranceId ? snapshot.entrances.get(household.entranceId) : undefined;
    rows.push({
      name: resident.name,
      sex: SEX_SHEET_WORDS[resident.sex],
      idNumber: resident.idNumber,
      phone: resident.phone,
      compound: compound ? `${compound.name}${suffix}` : '',
      building: building?.name ?? '',
      entrance: entrance?.name ?? '',
      doorNumber: household?.doorNumber ?? '',
      relation: RELATION_SHEET_WORDS[resident.relation],
      tags: resident.tags.map((tag) => TAG_SHEET_WORDS[tag]).join('、'),
      floorArea: household?.floorArea ?? null,
    });
  }
  doc.destroy();
  return { places, rows };
}
