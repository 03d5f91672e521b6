/**
 * The data of `npm run bench:scale`, made like the app's own: the places of a generated community, its residents
 * imported from the residents sheet by the app's import (`analyseImport`, `importResidents`) with the ids the app gives
 * (random UUIDs, as `WorkstationStore.commandContext` does), in sheets of at most 50,000 rows (the import's limit);
 * and the mediation cases written by `intakeCase`, one in ATTACH_EVERY with a photo kept in the cases document.
 */
import { randomUUID } from 'node:crypto';
import type * as Y from 'yjs';
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

/** The registry of `residents` people: places from the demo, residents through the app's import with UUIDs. */
export function scaleRegistry(seed: number, residents: number, log: (message: string) => void): Y.Doc {
  const { places: doc, rows } = placesAndSheetRows(seed, residents, { meta: true });
  const ctx = appContext('office');
  for (let from = 0; from < rows.length; from += SHEET_ROWS) {
    const part = rows.slice(from, from + SHEET_ROWS);
    const analysis = analyseImport(
      { sheetName: '居民花名册', rows: sheetRows(part), longNumbers: [] },
      snapshotRegistry(doc),
      new Date().toISOString().slice(0, 10),
    );
    if (analysis.plan.errorCount > 0) log(`  sheet ${from / SHEET_ROWS + 1}: ${analysis.plan.errorCount} rows refused`);
    const result = importResidents(doc, ctx, importInputFromPlan(analysis.plan));
    if (!result.ok) throw new Error(`import: ${JSON.stringify(result.error)}`);
    log(`  sheet ${from / SHEET_ROWS + 1}: ${result.value.residentIds.length} residents imported`);
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
