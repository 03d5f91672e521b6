/**
 * The store benchmark's page: runs inside Chromium against real IndexedDB, on the same origin as the built app, so
 * the data it imports is the data the app then opens. Driven by tests/bench/store.bench.ts through `window.bench`.
 */
import * as Y from 'yjs';
import { importResidents } from '@shared/domain/registry/commands';
import { importInputFromPlan } from '@shared/domain/registry/import';
import { chinaDate } from '@shared/domain/dates';
import { listRecords, snapshotRegistry } from '@shared/ydoc/registry';
import { toCommunityId } from '@shared/ydoc/docName';
import { analyseImport, readSheet } from '../../../renderer/data/excel';
import { loadSearchKeys, residentRow } from '../../../renderer/data/projection';
import { MemoryKeyRing } from '../../../renderer/data/keyring';
import { WorkstationStore } from '../../../renderer/data/store';

const community = toCommunityId('bench-store');
/** Keys for this page's life (a stopgap until the bench signs in like the app; see tests/bench/store.bench.ts). */
const keys = new MemoryKeyRing();

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function importSheet(placesUpdate: Uint8Array, sheet: Uint8Array) {
  const store = await WorkstationStore.open(undefined, { keys });
  const created = await store.createCommunity({ id: community, name: '基准测试社区' });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  const { doc, projection } = await store.registry(community);
  Y.applyUpdate(doc, placesUpdate, 'bench');
  await projection.idle();

  const t0 = performance.now();
  const read = await readSheet(sheet);
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

async function rebuildAndSearch(queries: string[]) {
  const tOpen = performance.now();
  const store = await WorkstationStore.open(undefined, { keys });
  const { projection } = await store.registry(community);
  const open_ms = performance.now() - tOpen;
  // The part of a rebuild that is computing rows (the rest is writing them to IndexedDB).
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

declare global {
  interface Window {
    bench: { importSheet: typeof importSheet; rebuildAndSearch: typeof rebuildAndSearch };
  }
}

window.bench = { importSheet, rebuildAndSearch };
document.getElementById('state')!.textContent = 'ready';
