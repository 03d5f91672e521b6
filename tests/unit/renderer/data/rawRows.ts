/**
 * The workstation's database as anyone with the disk sees it: opened with no keys and no schema (Dexie opens an
 * existing database as it finds it), every row of every table. For the encryption-at-rest tests.
 */
import Dexie from 'dexie';
import * as Y from 'yjs';
import { checkChar } from '@shared/domain/registry/idNumber';
import { PLAIN_SETTINGS } from '../../../../renderer/data/sealed';

export interface RawRow {
  readonly table: string;
  readonly key: unknown;
  readonly row: Record<string, unknown>;
}

/** Every row of every table of a database, read without keys. */
export async function rawRows(dbName: string): Promise<RawRow[]> {
  const raw = new Dexie(dbName);
  await raw.open();
  try {
    const rows: RawRow[] = [];
    for (const table of raw.tables) {
      const keys = await table.toCollection().primaryKeys();
      const values = (await table.bulkGet(keys)) as Record<string, unknown>[];
      values.forEach((row, index) => rows.push({ table: table.name, key: keys[index], row }));
    }
    return rows;
  } finally {
    raw.close();
  }
}

/** A valid 18-character ID number (GB 11643-1999 check character). */
function validIdNumber(candidate: string): boolean {
  return checkChar(candidate.slice(0, 17)) === candidate.slice(17).toUpperCase();
}

/** The ID numbers and mobile numbers held in a document (every string of its state, as Yjs stores it). */
export function personalDataOf(doc: Y.Doc): { idNumbers: Set<string>; mobiles: Set<string> } {
  const text = new TextDecoder().decode(Y.encodeStateAsUpdate(doc));
  const idNumbers = new Set([...text.matchAll(/\d{17}[\dX]/g)].map((m) => m[0]).filter(validIdNumber));
  const mobiles = new Set([...text.matchAll(/(?<!\d)1[3-9]\d{9}(?!\d)/g)].map((m) => m[0]));
  return { idNumbers, mobiles };
}

/** Where a row holds an ID number or one of the mobiles: as a string, or in bytes (UTF-8, and byte for byte). */
export function findPersonalData(
  rows: readonly RawRow[],
  mobiles: ReadonlySet<string>,
  idNumbers: ReadonlySet<string>,
): string[] {
  const found: string[] = [];
  const searchText = (text: string, where: string) => {
    for (const match of text.matchAll(/\d{17}[\dXx]/g)) {
      if (validIdNumber(match[0])) found.push(`${where}: ID number ${match[0]}`);
    }
    for (const mobile of mobiles) if (text.includes(mobile)) found.push(`${where}: mobile ${mobile}`);
  };
  const searchBytes = (bytes: Uint8Array, where: string) => {
    searchText(new TextDecoder().decode(bytes), `${where} (UTF-8)`);
    // Byte for byte, whatever the encoding around them: ASCII digits of the known numbers.
    const latin1 = Array.from(bytes, (byte) => String.fromCharCode(byte)).join('');
    for (const id of idNumbers) if (latin1.includes(id)) found.push(`${where} (bytes): ID number ${id}`);
    for (const mobile of mobiles) if (latin1.includes(mobile)) found.push(`${where} (bytes): mobile ${mobile}`);
  };
  const walk = (value: unknown, where: string): void => {
    if (typeof value === 'string') searchText(value, where);
    else if (value instanceof Uint8Array) searchBytes(value, where);
    else if (ArrayBuffer.isView(value)) {
      searchBytes(new Uint8Array(value.buffer, value.byteOffset, value.byteLength), where);
    } else if (value instanceof ArrayBuffer) searchBytes(new Uint8Array(value), where);
    else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${where}[${index}]`));
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, `${where}.${key}`);
    }
  };
  for (const { table, key, row } of rows) walk(row, `${table} ${JSON.stringify(key)}`);
  return found;
}

/** The rows that still hold something in clear that is sealed since schema version 5. */
export function rowsInClear(rows: readonly RawRow[]): string[] {
  const plainField: Record<string, string> = {
    docUpdates: 'update',
    residentBuckets: 'json',
    residentKeys: 'json',
    recordBuckets: 'json',
    projections: 'head',
    settings: 'value',
  };
  return rows
    .filter(({ table, row }) => {
      const field = plainField[table];
      if (field === undefined || row[field] === undefined) return false;
      return !(table === 'settings' && PLAIN_SETTINGS.has(String(row.key)));
    })
    .map(({ table, key }) => `${table} ${JSON.stringify(key)}`);
}
