/**
 * The sync benchmark's device after the cold start: the app's own WorkstationStore and SyncManager (browser secrets,
 * browser online/offline reports) on the IndexedDB the app filled when it joined through the UI. Same origin as the
 * built app. Driven by tests/bench/sync.bench.ts through `window.benchSync`; the app page is closed first, so there is
 * one sync client on this device, as in the app.
 */
import * as Y from 'yjs';
import { updateResident } from '@shared/domain/registry/commands';
import type { ResidentId } from '@shared/domain/registry/types';
import { listCases } from '@shared/ydoc/cases';
import { readRecord } from '@shared/ydoc/registry';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { browserSecrets } from '../../../renderer/data/syncState';
import { WorkstationStore } from '../../../renderer/data/store';
import { Vault } from '../../../renderer/data/vault';
import { SyncManager, browserEnvironment, type SecretStore } from '../../../renderer/sync/manager';

/** The passphrase of the device's first account, as tests/e2e/support/account.ts `E2E_PASSPHRASE` makes it. */
const BENCH_PASSPHRASE = 'xihe-e2e-2026';

let store: WorkstationStore | null = null;
let manager: SyncManager | null = null;
let onlineAt: number | null = null;
window.addEventListener('online', () => (onlineAt = performance.now()));
/** The page's long tasks (Chromium's Long Tasks API): where its main thread was held while a reconnect waited. */
const longTasks: { start: number; ms: number }[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, ms: entry.duration });
}).observe({ type: 'longtask', buffered: true });

const secrets: SecretStore = {
  storeSecret: (name, value) => browserSecrets.store(name, value),
  loadSecret: (name) => browserSecrets.load(name),
  deleteSecret: (name) => browserSecrets.delete(name),
};

function need<T>(value: T | null): T {
  if (value === null) throw new Error('bench.start() first');
  return value;
}

function status() {
  const s = need(manager).getSnapshot();
  return {
    state: s.state,
    pending: s.pending,
    online: s.online,
    docs: s.docs.map((d) => `${d.docName}:${d.connection}`),
  };
}

/** Resolves when `done()` holds, checked on every state change of the manager (and every 20 ms for doc content). */
function until(done: () => boolean, timeoutMs: number): Promise<number> {
  const m = need(manager);
  return new Promise((resolve, reject) => {
    const finish = () => {
      if (!done()) return;
      unsubscribe();
      clearInterval(timer);
      clearTimeout(deadline);
      resolve(performance.now());
    };
    const unsubscribe = m.subscribe(finish);
    const timer = setInterval(finish, 20);
    const deadline = setTimeout(() => {
      unsubscribe();
      clearInterval(timer);
      reject(new Error(`timed out: ${JSON.stringify(status())}`));
    }, timeoutMs);
    finish();
  });
}

async function start(community: string): Promise<{ ms: number; residents: number }> {
  const t0 = performance.now();
  // The same device as the app's: its first account (tests/e2e/support/account.ts) opens the data sealed there.
  const vault = await Vault.open();
  const [account] = await vault.accounts();
  const session = account === undefined ? null : await vault.signIn(account.id, BENCH_PASSPHRASE);
  if (session === null || !session.ok) throw new Error('the bench device has no account to sign in with');
  store = await WorkstationStore.open(undefined, { keys: session.value });
  manager = new SyncManager(store, secrets, browserEnvironment());
  await manager.start();
  await until(() => need(manager).getSnapshot().state === 'synced', 120_000);
  // Closed right after its first sync, the app may have left the projection half-written (its state vector is
  // written last): this start rebuilds it from the document on disk. Counted once it has.
  await store.registry(toCommunityId(community));
  await store.flush();
  const residents = (await store.searchResidents(toCommunityId(community), '')).total;
  return { ms: performance.now() - t0, residents };
}

/** `ids.length` local edits, one `updateResident` each (a saved form), through the store as the screens do. */
async function edit(community: string, ids: ResidentId[], prefix: string): Promise<{ ms: number; pending: number }> {
  const s = need(store);
  const t0 = performance.now();
  for (let i = 0; i < ids.length; i++) {
    const result = await s.run(toCommunityId(community), updateResident, {
      id: ids[i]!,
      changes: { note: `${prefix}${i}` },
    });
    if (!result.ok) throw new Error(`edit ${ids[i]}: ${JSON.stringify(result.error)}`);
  }
  await s.flush();
  await need(manager).flush();
  return { ms: performance.now() - t0, pending: need(manager).getSnapshot().pending };
}

/**
 * After `context.setOffline(false)`: waits until the device has converged with the server: every document up to
 * date with nothing pending (the server's state vector covers the 500 local edits) AND the registry document holds
 * the remote device's state vector (the 500 remote edits are here) with `expectNote` on `probeId`.
 */
async function converge(
  community: string,
  remoteSv: Record<string, number>,
  probeId: string,
  expectNote: string,
): Promise<{
  from_online_event_ms: number | null;
  /** Wall-clock time (ms since the epoch) of the page's `online` event, to compare with the switch in Node. */
  online_event_epoch_ms: number | null;
  state_vector: Record<string, number>;
  status: ReturnType<typeof status>;
  /** The app's User Timing marks after the online event, ms after it. */
  marks: [string, number][];
  /** The page's tasks of 200 ms or more after the online event: [ms after it, length in ms]. */
  long_tasks: [number, number][];
}> {
  const { doc } = await need(store).registry(toCommunityId(community));
  const have = () => {
    const sv = Y.decodeStateVector(Y.encodeStateVector(doc));
    return Object.entries(remoteSv).every(([client, clock]) => (sv.get(Number(client)) ?? 0) >= clock);
  };
  const done = () => {
    const s = need(manager).getSnapshot();
    return (
      s.state === 'synced' && s.pending === 0 && have() && readRecord(doc, 'residents', probeId)?.note === expectNote
    );
  };
  const end = await until(done, 120_000);
  const sv: Record<string, number> = {};
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) sv[String(client)] = clock;
  return {
    from_online_event_ms: onlineAt === null ? null : end - onlineAt,
    online_event_epoch_ms: onlineAt === null ? null : performance.timeOrigin + onlineAt,
    state_vector: sv,
    status: status(),
    marks: performance
      .getEntriesByType('mark')
      .filter((mark) => mark.name.startsWith('cgw:') && onlineAt !== null && mark.startTime >= onlineAt)
      .map((mark): [string, number] => [mark.name.slice(4), Math.round(mark.startTime - (onlineAt ?? 0))]),
    long_tasks: longTasks
      .filter((task) => onlineAt !== null && task.start >= onlineAt && task.ms >= 200)
      .map((task): [number, number] => [Math.round(task.start - (onlineAt ?? 0)), Math.round(task.ms)]),
  };
}

function waitOffline(): Promise<number> {
  return until(() => need(manager).getSnapshot().state === 'offline', 10_000);
}

async function noteOf(community: string, id: string): Promise<string | null> {
  const { doc } = await need(store).registry(toCommunityId(community));
  const note = readRecord(doc, 'residents', id)?.note;
  return typeof note === 'string' ? note : null;
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/**
 * The registry's projection rebuilt from the document on this device's disk (as after an update of the rows' format,
 * or a projection found half-written), then `queries` searched through the store as the residents screen asks, one at
 * a time, after one warm-up read of the whole index (what the screen's first use does). Used by `npm run bench:scale`
 * (docs/bench-scale.md).
 *
 * The queries are asked twice. First as before 2026-12-05, all 300 in one chain of promises right after the rebuild
 * (`search_one_task_*`): no task runs between them, so the index the rebuild replaced is never built further while
 * they run (the store indexes 2,000 residents per task) and each query checks the residents not indexed yet one by
 * one. No person can ask that way: each key typed is a task of its own. Then `search_*`: each query in a task of its
 * own (the wait for the task is not timed), as keys typed arrive (docs/bench-scale.md, "Searches in one chain").
 */
async function rebuildAndSearch(community: string, queries: string[]) {
  const s = need(store);
  const id = toCommunityId(community);
  const { projection } = await s.registry(id);
  await projection.idle();
  const t0 = performance.now();
  await projection.rebuild();
  const projection_rebuild_ms = performance.now() - t0;
  // Its parts, from the projection's own marks: rows made, rows sealed, written.
  const mark = (part: string) => performance.getEntriesByName(`cgw:rebuild-${part} ${projection.docName}`).at(-1);
  const [started, rowsMade, sealed, written] = ['start', 'rows', 'sealed', 'written'].map(mark);
  const part = (from?: PerformanceEntry, to?: PerformanceEntry) =>
    from !== undefined && to !== undefined ? to.startTime - from.startTime : null;
  const warm = performance.now();
  const total = (await s.searchResidents(id, '')).total;
  const index_load_ms = performance.now() - warm;
  const oneTask: number[] = [];
  for (const query of queries) {
    const start = performance.now();
    await s.searchResidents(id, query);
    oneTask.push(performance.now() - start);
  }
  const times: number[] = [];
  const hits: number[] = [];
  for (const query of queries) {
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    const start = performance.now();
    const result = await s.searchResidents(id, query);
    times.push(performance.now() - start);
    hits.push(result.total);
  }
  return {
    residents: total,
    projection_rebuild_ms,
    rebuild_rows_ms: part(started, rowsMade),
    rebuild_seal_ms: part(rowsMade, sealed),
    rebuild_write_ms: part(sealed, written),
    index_load_ms,
    search_p50_ms: percentile(times, 50),
    search_p95_ms: percentile(times, 95),
    search_max_ms: Math.max(...times),
    search_one_task_p50_ms: percentile(oneTask, 50),
    search_one_task_p95_ms: percentile(oneTask, 95),
    /** How many queries found someone (a search that finds no one is cheap and would flatter the figures). */
    queries_with_hits: hits.filter((n) => n > 0).length,
  };
}

/** How many residents the store's search finds for each query (the answers the list must show, bench:scale). */
async function totals(community: string, queries: string[]): Promise<Record<string, number>> {
  const s = need(store);
  const out: Record<string, number> = {};
  for (const query of queries) out[query] = (await s.searchResidents(toCommunityId(community), query)).total;
  return out;
}

/** Cases of `<community>/cases/<year>` as loaded from this device's disk. */
async function casesCount(community: string, year: number): Promise<number> {
  const doc = await need(store).docs.get(docName({ community: toCommunityId(community), collection: 'cases', year }));
  return listCases(doc).length;
}

declare global {
  interface Window {
    benchSync: {
      start: typeof start;
      edit: typeof edit;
      converge: typeof converge;
      waitOffline: typeof waitOffline;
      status: typeof status;
      noteOf: typeof noteOf;
      casesCount: typeof casesCount;
      rebuildAndSearch: typeof rebuildAndSearch;
      totals: typeof totals;
    };
  }
}

window.benchSync = { start, edit, converge, waitOffline, status, noteOf, casesCount, rebuildAndSearch, totals };
document.getElementById('state')!.textContent = 'ready';
