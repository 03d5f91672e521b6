/**
 * The data of `npm run bench:scale`, made like the app's own: the places of a generated community, its residents
 * imported from the residents sheet by the app's import (`analyseImport`, `importResidents`) with the ids the app gives
 * (random UUIDs, as `WorkstationStore.commandContext` does), in sheets of at most 50,000 rows (the import's limit);
 * and the mediation cases written by `intakeCase`, one in ATTACH_EVERY with a photo kept in the cases document.
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { makeIdNumber } from '@shared/domain/registry/idNumber';
import { importResidents, type CommandContext } from '@shared/domain/registry/commands';
import { IMPORT_HEADERS, importInputFromPlan } from '@shared/domain/registry/import';
import { snapshotRegistry } from '@shared/ydoc/registry';
import { analyseImport, type ResidentSheetRow } from '../../../renderer/data/excel';
import { placesAndSheetRows, SHEET_COLUMNS } from '../community';
import { buildCases } from '../sync/seed';

/** Rows per sheet: `importResidentsSchema` takes at most 50,000. */
const SHEET_ROWS = 50_000;
/** One case in 20 carries a photo of about 24 kB (as the intake form keeps it after shrinking). */
export const ATTACH_EVERY = 20;
export const PHOTO_CHARS = 24_000;

/** A command context as the app's store makes one: random UUIDs, an admin of the office. */
export function appContext(user: string): CommandContext {
  return {
    actor: { userId: user, userName: user, deviceId: `bench-${user}` },
    now: () => new Date(),
    newId: () => randomUUID(),
    permissions: new Set(['admin', 'registry.edit', 'registry.reveal', 'registry.special-care', 'cases.edit']),
  };
}

function sheetRows(rows: readonly ResidentSheetRow[]): string[][] {
  const header = SHEET_COLUMNS.map((column) => IMPORT_HEADERS[column][0] ?? column);
  return [header, ...rows.map((row) => SHEET_COLUMNS.map((column) => String(row[column] ?? '')))];
}

/**
 * An ID number not yet in `taken`: the same region, birth date and sex, the next free sequence number. Two generated
 * parts draw their ID numbers independently, so a few coincide; one person has one ID number.
 */
function freeIdNumber(idNumber: string, taken: ReadonlySet<string>): string {
  const birth = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  const seq = Number(idNumber.slice(14, 17));
  for (let step = 2; step < 1000; step += 2) {
    const next = makeIdNumber(idNumber.slice(0, 6), birth, (seq + step) % 1000);
    if (!taken.has(next)) return next;
  }
  throw new Error(`no free ID number near ${idNumber}`);
}

/**
 * The registry of `residents` people: places from the demo, residents through the app's import with UUIDs. The demo
 * makes at most 50,000 residents (its own import's limit), so a larger community is made of parts of 50,000, each a
 * generated community of its own seed whose compounds are named apart (二期, 三期…), each imported as one sheet.
 */
export function scaleRegistry(seed: number, residents: number, log: (message: string) => void): Y.Doc {
  const doc = new Y.Doc();
  const ctx = appContext('office');
  const taken = new Set<string>();
  for (let part = 0; part * SHEET_ROWS < residents; part++) {
    const size = Math.min(SHEET_ROWS, residents - part * SHEET_ROWS);
    const suffix = part === 0 ? '' : `${'二三四五六七八九'[part - 1] ?? String(part + 1)}期`;
    const { places, rows } = placesAndSheetRows(seed + part, size, { meta: part === 0, suffix });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(places));
    places.destroy();
    let renumbered = 0;
    for (const row of rows) {
      let idNumber = String(row.idNumber ?? '');
      if (taken.has(idNumber)) {
        idNumber = freeIdNumber(idNumber, taken);
        row.idNumber = idNumber;
        renumbered += 1;
      }
      taken.add(idNumber);
    }
    const analysis = analyseImport(
      { sheetName: '居民花名册', rows: sheetRows(rows), longNumbers: [] },
      snapshotRegistry(doc),
      new Date().toISOString().slice(0, 10),
    );
    if (analysis.plan.errorCount > 0) log(`  sheet ${part + 1}: ${analysis.plan.errorCount} rows refused`);
    const result = importResidents(doc, ctx, importInputFromPlan(analysis.plan));
    if (!result.ok) throw new Error(`import: ${JSON.stringify(result.error)}`);
    log(
      `  sheet ${part + 1}: ${result.value.residentIds.length} residents imported (${renumbered} ID numbers renumbered)`,
    );
  }
  return doc;
}

/** The cases of the year: `count` intakes with UUIDs, one in ATTACH_EVERY with a photo. */
export function scaleCases(count: number, registry: Y.Doc): Y.Doc {
  return buildCases(count, registry, {
    ctx: appContext('mediator'),
    attachEvery: ATTACH_EVERY,
    photoChars: PHOTO_CHARS,
  });
}
