/**
 * The store benchmark's page: runs inside Chromium against real IndexedDB, on the same origin as the benchmark's app
 * page (app.html), so the data it imports is the data the app then opens. Driven by tests/bench/store.bench.ts through
 * `window.bench`; every step names the store it works on (`mode`: sealed, or rows in clear; see modes.ts). The sealed
 * store is sealed with the keys of the benchmark's account in the origin's vault, which the app page signs in to.
 */
import Dexie from 'dexie';
import * as Y from 'yjs';
import { importResidents } from '@shared/domain/registry/commands';
import { importInputFromPlan } from '@shared/domain/registry/import';
import { chinaDate } from '@shared/domain/dates';
import { listRecords, snapshotRegistry } from '@shared/ydoc/registry';
import { toCommunityId } from '@shared/ydoc/docName';
import { analyseImport, readSheet } from '../../../renderer/data/excel';
import { loadSearchKeys, residentRow } from '../../../renderer/data/projectionRows';
import { WorkstationStore } from '../../../renderer/data/store';
import { Vault, type Session } from '../../../renderer/data/vault';
import { BENCH_ACCOUNT, dbNameOf, storeOptions, type StoreMode } from './modes';

const community = toCommunityId('bench-store');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

let signedIn: Promise<Session> | null = null;

/** The benchmark's account (made on first use: the device's first account), signed in once for the page. */
function session(): Promise<Session> {
  signedIn ??= (async () => {
    const vault = await Vault.open();
    const account = (await vault.accounts()).find((a) => a.name === BENCH_ACCOUNT.name);
    const result = account
      ? await vault.signIn(account.id, BENCH_ACCOUNT.passphrase)
      : await vault.createFirstAccount(BENCH_ACCOUNT);
    if (!result.ok) throw new Error(`the benchmark's account: ${result.error.code}`);
    return result.value;
  })();
  return signedIn;
}

async function open(mode: StoreMode): Promise<WorkstationStore> {
  return WorkstationStore.open(dbNameOf(mode), storeOptions(mode, await session()));
}

/** A fresh database for `mode`, the places of a community, and the residents sheet imported into it. */
async function importSheet(mode: StoreMode, placesUpdate: number[], sheet: number[]) {
  await Dexie.delete(dbNameOf(mode));
  const store = await open(mode);
  const created = await store.createCommunity({ id: community, name: '基准测试社区' });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  const { doc, projection } = await store.registry(community);
  Y.applyUpdate(doc, Uint8Array.from(placesUpdate), 'bench');
  await projection.idle();

  const t0 = performance.now();
  const read = await readSheet(Uint8Array.from(sheet));
  if (!read.ok) throw new Error(read.error);
  const tRead = performance.now();
  const analysis = analyseImport(read.value, snapshotRegistry(doc), chinaDate(new Date()));
  const tPlan = performance.now();
  const result = importResidents(doc, store.commandContext(), importInputFromPlan(analysis.plan));
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  const tApply = performance.now();
  await store.flush();
  const tDone = performance.now();
  await store.close();
  return {
    imported: result.value.residentIds.length,
    errors: analysis.plan.errorCount,
    read_ms: tRead - t0,
    plan_ms: tPlan - tRead,
    apply_ms: tApply - tPlan,
    persist_and_project_ms: tDone - tApply,
    import_ms: tDone - t0,
  };
}

async function rebuildAndSearch(mode: StoreMode, queries: string[]) {
  const tOpen = performance.now();
  const store = await open(mode);
  const { projection } = await store.registry(community);
  const open_ms = performance.now() - tOpen;
  // The part of a rebuild that is computing rows (the rest is sealing and writing them to IndexedDB).
  const { doc } = await store.registry(community);
  const keysOf = await loadSearchKeys();
  const tRows = performance.now();
  const rows = listRecords(doc, 'residents').map((resident) => residentRow(doc, projection.docName, resident, keysOf));
  const rows_ms = performance.now() - tRows;
  const t0 = performance.now();
  await projection.rebuild();
  const projection_rebuild_ms = performance.now() - t0;
  // Warm the in-memory index once, as the residents screen does on first use.
  const warm = performance.now();
  const total = (await store.searchResidents(community, '')).total;
  const index_load_ms = performance.now() - warm;
  const byKind: Record<string, number[]> = { initials: [], idTail: [], name: [] };
  for (const query of queries) {
    const kind = /^\d{3}[\dX]$/.test(query) ? 'idTail' : /^[a-z]+$/.test(query) ? 'initials' : 'name';
    const start = performance.now();
    await store.searchResidents(community, query);
    byKind[kind]!.push(performance.now() - start);
  }
  const all = Object.values(byKind).flat();
  const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  await store.close();
  return {
    residents: total,
    open_ms,
    projection_rebuild_ms,
    rows_ms,
    rows_count: rows.length,
    index_load_ms,
    search_p50_ms: percentile(all, 50),
    search_p95_ms: percentile(all, 95),
    initials_p95_ms: percentile(byKind.initials!, 95),
    id_tail_p95_ms: percentile(byKind.idTail!, 95),
    name_p95_ms: percentile(byKind.name!, 95),
    heap_mb: memory ? memory.usedJSHeapSize / 1024 / 1024 : null,
  };
}

/**
 * The store in clear sealed in place, as the app does at the first sign-in after the update (`migrateToSealed`), with
 * the sealed store's keys. Leaves the plain database sealed: the next run imports it afresh.
 */
async function migratePlain() {
  const store = await WorkstationStore.open(dbNameOf('plain'), { keys: await session() });
  let rows = 0;
  const t0 = performance.now();
  await store.migrateToSealed((_done, total) => (rows = total));
  const migrate_ms = performance.now() - t0;
  const sealed = store.sealed;
  await store.close();
  return { migrate_ms, migrate_rows: rows, sealed };
}

declare global {
  interface Window {
    bench: {
      importSheet: typeof importSheet;
      rebuildAndSearch: typeof rebuildAndSearch;
      migratePlain: typeof migratePlain;
    };
  }
}

window.bench = { importSheet, rebuildAndSearch, migratePlain };
document.getElementById('state')!.textContent = 'ready';
