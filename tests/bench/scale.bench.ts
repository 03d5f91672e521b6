/**
 * `npm run bench:scale`: the app at 100,000 residents (issue 22), measured as a person meets it, in one run of the
 * store, sync and ten-years benches' pieces:
 *
 * - data like the app's own (tests/bench/scale/data.ts): residents imported by the app's import with UUIDs, 2,000
 *   mediation cases (one in 20 with a photo kept in the document), stored on the real sync server;
 * - per run (BENCH_RUNS, 5 unless set), a **new device**: the server started **cold** (a new process on the stored
 *   database), Debian's Chromium on a new **profile on disk**, the built app (`dist/web`) joining through its 同步
 *   page (`join_to_list_ms` to the first page of names, `cold_start_ms` to everything on the device, both timed in
 *   the page, tests/bench/scale/join.ts), reconnecting after 500 + 500 offline edits (`reconnect_ms`), the
 *   projection rebuilt and 300 searches asked of the store (`projection_rebuild_ms`, `search_p95_ms`), then the app started again on the data on
 *   disk: navigation to a usable residents list (`ready_ms`), each key typed into its search box to the list showing
 *   the answer (`keystroke_to_list_p95_ms`), navigation to a search box that answers (`search_ready_ms`);
 * - the ten simulated years of `bench:ten-years` and a new device joining their document on a cold server.
 *
 * Prints a table (stderr) and one JSON line (stdout): every key's median, its min / median / max over the runs, the
 * target and whether the median meets it (`met`), the load average before and after each run. Scaled down while
 * developing: BENCH_RESIDENTS=5000 BENCH_RUNS=1 TEN_YEARS_FRACTION=0.02. What each key measures, and the figures:
 * docs/bench-scale.md.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import * as Y from 'yjs';
import { listRecords } from '@shared/ydoc/registry';
import { ROWS_PATH } from '@shared/sync/rowsSnapshot';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { serveFolder } from '../e2e/support/static-server';
import { openProfileOnDisk, printProfile, startProfile } from './profile';
import { appReady, keystrokes, searchReady } from './scale/app';
import { scaleCases, scaleRegistry } from './scale/data';
import { tenYears, type TenYears } from './scale/tenYears';
import { load1, median, percentile, spread, type Spread } from './stats';
import { joinTimedInPage } from './scale/join';
import { reconnectAfterOfflineEdits, uniqueTailTarget, type SearchTarget } from './sync/device';
import type { BrowserContext } from '@playwright/test';
import { pushDoc } from './sync/seed';
import { startBenchServer } from './sync/server';

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/**
 * The cases of the year: 2,000, as bench:sync (the figures so far were measured with 2,000). 10,000 (a tenth of the
 * residents) is `BENCH_CASES=10000`: since intake reads only the numbers of the year's cases (shared/domain/mediation/
 * numberIndex.ts) they are written in seconds, where reading every case per intake had not finished in 5 minutes
 * (tests/bench/scale/intake.bench.ts; docs/bench-scale.md, "Intake numbering").
 */
const CASES = Number(process.env.BENCH_CASES ?? 2_000);
const EDITS = Number(process.env.BENCH_EDITS ?? 500);
/** `BENCH_JOIN_ONLY=1`: each run only the new device's join (`cold_start_ms`, `join_to_list_ms`), for A/B runs. */
const JOIN_ONLY = process.env.BENCH_JOIN_ONLY === '1';
/**
 * `BENCH_STARTS_ONLY=1`: one device joins (once per build with `BENCH_WEB_AB`: each build is its own origin, so its
 * own IndexedDB), then each run is only the app started again on the data on disk (`ready_ms`, the keys typed,
 * `search_ready_ms`, with the app's marks): for A/B runs of the start, minutes instead of an hour.
 */
const STARTS_ONLY = process.env.BENCH_STARTS_ONLY === '1';
/** Reconnects per run (`BENCH_RECONNECTS`, 1): the second on are reported as `reconnect_2_ms`, `reconnect_3_ms`…. */
const RECONNECTS = Number(process.env.BENCH_RECONNECTS ?? 1);
/** `BENCH_TEN_YEARS_ONLY=1`: only the ten simulated years and their cold starts on the real server (no browser runs). */
const TEN_YEARS_ONLY = process.env.BENCH_TEN_YEARS_ONLY === '1';
/**
 * A/B in one session: `BENCH_WEB_AB=<folder>` holds another build of the web app (the code before a change, built
 * with `vite build --config vite.web.config.ts --outDir <folder>`); the runs alternate, odd runs on it ("ab"), even
 * runs on `BENCH_WEB` (default dist/web, "main"), and the summary gives each side's figures (`by_build`). The sync
 * bench page (tests/bench/sync: the reconnect's edits, the rebuild, the 300 searches) runs the store's own code on
 * each device's database, so each build needs its own: build it in the older tree too
 * (`npx vite build --config tests/bench/sync/vite.config.ts`, then copy its `dist/web/bench-sync` into the folder).
 * A folder without one gets this tree's, and the bench says so: its rebuild then writes this build's layout, which
 * the older app may not read as its own (2026-12-03: keys of a format the older build did not know, so its searches
 * read the buckets; docs/bench-scale.md).
 */
const WEB = process.env.BENCH_WEB ?? 'dist/web';
const WEB_AB = process.env.BENCH_WEB_AB ?? null;
/**
 * A/B of the sync server: `BENCH_SERVER_AB=<folder>` is another checkout (the code before a change, with
 * `node_modules` linked in); its `sync-server/main.ts` is the cold server of the odd runs ("ab"), this tree's of the
 * even ones. With `BENCH_WEB_AB` too, the odd runs have both.
 */
const SERVER_AB = process.env.BENCH_SERVER_AB ?? null;
const COMMUNITY = toCommunityId('bench-scale');
const YEAR = new Date().getFullYear();
const REGISTRY = docName({ community: COMMUNITY, collection: 'registry' });
const CASES_DOC = docName({ community: COMMUNITY, collection: 'cases', year: YEAR });
/** Pinyin as people type it, one key at a time (full names and surnames of the demo's names). */
const KEY_QUERIES = ['zhangwei', 'wangjun', 'liuyang', 'chenjie', 'huangtao'];

/** Issue 22's targets: below each (`ten_year_client_ids`: at most). */
const TARGETS = {
  ready_ms: 1500,
  search_ready_ms: 3000,
  search_p95_ms: 30,
  keystroke_to_list_p95_ms: 100,
  projection_rebuild_ms: 3000,
  cold_start_ms: 5000,
  reconnect_ms: 1000,
  ten_year_client_ids: 200,
  ten_year_cold_start_ms: 10000,
  ten_year_server_load_ms: 2000,
} as const;
type Key = keyof typeof TARGETS;

function log(message: string): void {
  process.stderr.write(`[bench:scale ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function build(): void {
  if (!process.env.BENCH_SKIP_BUILD) {
    log('building the web app…');
    execFileSync('npx', ['vite', 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn'], {
      stdio: 'inherit',
    });
  }
  log('building the sync benchmark page…');
  execFileSync('npx', ['vite', 'build', '--config', 'tests/bench/sync/vite.config.ts'], { stdio: 'inherit' });
  for (const folder of [WEB, WEB_AB]) {
    if (folder === null || folder === 'dist/web') continue;
    if (folder === WEB_AB && existsSync(join(folder, 'bench-sync', 'index.html'))) {
      log(`${folder} keeps its own sync benchmark page`);
      continue;
    }
    if (folder === WEB_AB)
      log(`${folder} has no sync benchmark page of its own: it gets this tree's (see BENCH_WEB_AB)`);
    cpSync('dist/web/bench-sync', join(folder, 'bench-sync'), { recursive: true });
  }
}

/** 300 searches as offices type them: ID tails, pinyin initials, a surname (as `bench:store` asks). */
function searchQueries(residents: readonly { name: string; idNumber: string }[]): string[] {
  const queries: string[] = [];
  for (let i = 0; i < 300; i++) {
    const r = residents[(i * 7919) % residents.length]!;
    if (i % 3 === 0) queries.push(r.idNumber.slice(-4));
    else if (i % 3 === 1) queries.push(['zs', 'lx', 'wy', 'zh', 'lj', 'cz', 'y', 'h'][i % 8]!);
    else queries.push(r.name.slice(0, 1));
  }
  return queries;
}

type Figures = Record<string, number>;

/** What the app's databases hold of each projection, read raw (`BENCH_DUMP_STATE=1`, for finding what a start rebuilds). */
async function storedState(context: BrowserContext, web: string): Promise<string> {
  const page = await context.newPage();
  try {
    await page.goto(`${web}/bench-sync/index.html`);
    return await page.evaluate(`(async () => {
      const out = [];
      for (const { name } of await indexedDB.databases()) {
        const db = await new Promise((resolve, reject) => {
          const request = indexedDB.open(name);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const stores = [...db.objectStoreNames];
        const all = (store) => new Promise((resolve) => {
          if (!stores.includes(store)) return resolve([]);
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => resolve([]);
        });
        const keys = (store) => new Promise((resolve) => {
          if (!stores.includes(store)) return resolve([]);
          const request = db.transaction(store).objectStore(store).getAllKeys();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => resolve([]);
        });
        const projections = (await all('projections')).map((p) => ({ doc: p.docName, keysFormat: p.keysFormat, partial: p.partial, sv: p.stateVector ? p.stateVector.length : null, head: !!(p.head || p.sealedHead) }));
        const count = (list) => list.reduce((m, k) => { const d = Array.isArray(k) ? k[0] : k; m[d] = (m[d] || 0) + 1; return m; }, {});
        out.push({ name, projections, residentKeys: count(await keys('residentKeys')), residentBuckets: count(await keys('residentBuckets')), docUpdates: (await keys('docUpdates')).length });
        db.close();
      }
      return JSON.stringify(out);
    })()`);
  } finally {
    await page.close();
  }
}

/** Asks for a document's rows (`GET /rows`) until the server has them (made from storage at the first ask). */
async function rowsMade(server: { address: string }, doc: string, token: string): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const response = await fetch(`http://${server.address}${ROWS_PATH}?doc=${encodeURIComponent(doc)}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    await response.arrayBuffer();
    if (response.status === 200) return;
    if (Date.now() > deadline) throw new Error(`no rows for ${doc} after 10 minutes (${response.status})`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

/**
 * The app started again on the data on disk: navigation to a usable list (`ready_ms`), the keys typed into its search
 * box, then navigation to a search that answers (`search_ready_ms`).
 */
async function startOnDisk(
  context: BrowserContext,
  web: string,
  residents: number,
  totals: Readonly<Record<string, number>>,
  target: SearchTarget,
) {
  const ready = await appReady(context, web, residents);
  const typed = await keystrokes(ready.app, KEY_QUERIES, totals, residents);
  await ready.app.close();
  const search = await searchReady(context, web, target, residents);
  return { ready, typed, search };
}

async function main(): Promise<void> {
  const started = Date.now();
  build();
  // The registry of 100,000 is one update of about 60 MiB from the seeding client (the default limit is 8 MiB). Only
  // the seeding client sends anything that large; what is measured (server → new device; small edits back) is not.
  process.env.SYNC_MAX_MESSAGE_BYTES ??= String(512 * 1024 * 1024);
  process.env.SYNC_LOG_LEVEL ??= 'debug';
  const server = await startBenchServer();
  const { url: mainWeb, server: webServer } = await serveFolder(WEB);
  const ab = WEB_AB === null ? null : await serveFolder(WEB_AB);
  const runs: Figures[] = [];
  /** Runs that did not finish (a timeout on a loaded machine): said in the JSON line, not dropped silently. */
  const failed: { run: number; error: string }[] = [];
  const builds: string[] = [];
  const keyTimes: number[] = [];
  const loads: [number, number][] = [];
  let ten: TenYears | null = null;
  // What the seeding found, for the summary (an object: assigned inside the try below).
  const seeded = { residents: 0, registry_mib: 0, cases_mib: 0 };
  try {
    if (!TEN_YEARS_ONLY) {
      await server.addCommunity(COMMUNITY, '规模测试社区');
      const seedToken = await server.issue('seed', COMMUNITY);
      const remoteToken = await server.issue('另一台', COMMUNITY);
      log(`generating ${RESIDENTS} residents (the app's import, UUIDs) and ${CASES} cases (intakeCase, photos)…`);
      let t = Date.now();
      const registry = scaleRegistry(20261202, RESIDENTS, log);
      const cases = scaleCases(CASES, registry);
      const persisted = [
        { name: REGISTRY, bytes: Y.encodeStateAsUpdate(registry).length },
        { name: CASES_DOC, bytes: Y.encodeStateAsUpdate(cases).length },
      ];
      seeded.registry_mib = Number((persisted[0]!.bytes / 1048576).toFixed(1));
      seeded.cases_mib = Number((persisted[1]!.bytes / 1048576).toFixed(1));
      log(`  generated in ${Date.now() - t} ms: registry ${seeded.registry_mib} MiB, cases ${seeded.cases_mib} MiB`);
      t = Date.now();
      // A fresh client reading 60 MiB back takes minutes on a loaded machine (the first try, with 1 min, gave up).
      await pushDoc(server.url, REGISTRY, seedToken, registry, 600_000);
      await pushDoc(server.url, CASES_DOC, seedToken, cases, 600_000);
      log(`  stored on the server in ${Date.now() - t} ms`);
      t = Date.now();
      // The registry's rows for a first sync, made before the runs (asking has them made from storage): every run, not
      // only the second one on, then finds them (docs/bench-scale.md, "Rows for a first sync").
      await rowsMade(server, REGISTRY, seedToken);
      log(`  the registry's rows made in ${Date.now() - t} ms`);
      const residents = listRecords(registry, 'residents').filter((r) => r.deletedAt == null);
      seeded.residents = residents.length;
      const residentCount = residents.length;
      const target = uniqueTailTarget(residents);
      const editable = residents.filter((r) => r.id !== target.id).map((r) => r.id);
      const queries = searchQueries(residents);
      const prefixes = [
        ...new Set(KEY_QUERIES.flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)))),
      ];
      registry.destroy();
      cases.destroy();

      // Which build a run is on (BENCH_WEB_AB: odd runs on the other build) and a new device joining with it.
      const buildOf = (run: number) =>
        (ab !== null || SERVER_AB !== null) && run % 2 === 1
          ? { build: 'ab', web: ab?.url ?? mainWeb, serverRoot: SERVER_AB ?? undefined }
          : { build: 'main', web: mainWeb, serverRoot: undefined };
      const join = (context: BrowserContext, web: string, device: string, verbose: boolean) =>
        server.issue(device, COMMUNITY).then((token) =>
          joinTimedInPage({
            context,
            web,
            server,
            token,
            residents: residentCount,
            target,
            persisted,
            verbose,
            timeoutMs: 600_000,
          }),
        );

      if (STARTS_ONLY) {
        const profile = await openProfileOnDisk('bench-scale-profile');
        try {
          const origins: [string, string][] = ab === null ? [] : [['ab', ab.url]];
          origins.push(['main', mainWeb]);
          for (const [build, web] of origins) {
            const joined = await join(profile.context, web, `新设备 ${build}`, false);
            log(`the ${build} build joined: list ${joined.join_to_list_ms} ms, cold start ${joined.cold_start_ms} ms`);
            if (process.env.BENCH_DUMP_STATE === '1')
              log(`  stored after the join: ${await storedState(profile.context, web)}`);
          }
          // Each key's answer, asked of the store's own search on the device (the data is the same on both origins).
          const page = await profile.context.newPage();
          await page.goto(`${mainWeb}/bench-sync/index.html`);
          await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
          await page.evaluate(async (c) => window.benchSync.start(c), COMMUNITY);
          const totals = await page.evaluate(async ([c, q]) => window.benchSync.totals(c, q), [
            COMMUNITY,
            prefixes,
          ] as const);
          await page.close();
          for (let run = 1; run <= RUNS; run++) {
            const before = load1();
            const { build, web } = buildOf(run);
            log(`start ${run}/${RUNS} (${build} build, load ${before})…`);
            const { ready, typed, search } = await startOnDisk(profile.context, web, residentCount, totals, target);
            keyTimes.push(...typed.times);
            runs.push({
              ready_ms: ready.ready_ms,
              signed_in_to_list_ms: ready.signed_in_to_list_ms,
              search_ready_ms: search.search_ready_ms,
              keystroke_to_list_p50_ms: percentile(typed.times, 50),
              keystroke_to_list_p95_ms: percentile(typed.times, 95),
            });
            builds.push(build);
            loads.push([before, load1()]);
            log(
              `  ready ${ready.ready_ms} ms, search ready ${search.search_ready_ms} ms, keystroke p95 ${percentile(typed.times, 95).toFixed(1)} ms`,
            );
          }
        } finally {
          await profile.close();
        }
      }
      for (let run = 1; run <= (STARTS_ONLY ? 0 : RUNS); run++) {
        const { build, web, serverRoot } = buildOf(run);
        const restart_server_ms = await server.restartCold(serverRoot);
        const before = load1();
        log(
          `run ${run}/${RUNS}${ab !== null || SERVER_AB !== null ? ` (${build} build)` : ''}: a new device joins a cold server (load ${before})…`,
        );
        const profile = await openProfileOnDisk('bench-scale-profile');
        try {
          const verbose = run === RUNS || JOIN_ONLY;
          const joined = await join(profile.context, web, `新设备${run}`, verbose);
          log(`  joined: list ${joined.join_to_list_ms} ms, cold start ${joined.cold_start_ms} ms`);
          if (JOIN_ONLY) {
            if (process.env.BENCH_DUMP_STATE === '1')
              log(`  stored after the join: ${await storedState(profile.context, web)}`);
            runs.push({ ...joined, restart_server_ms });
            builds.push(build);
            continue;
          }
          log(`  reconnecting after ${EDITS} + ${EDITS} offline edits…`);
          // The other device reads the whole registry (62 MiB at 100,000) from a server that is loading it.
          const reconnect = (residents: typeof editable, tag: number) =>
            reconnectAfterOfflineEdits({
              context: profile.context,
              web,
              server,
              community: COMMUNITY,
              year: YEAR,
              registryDoc: REGISTRY,
              remoteToken,
              residents: residentCount,
              cases: CASES,
              editable: residents,
              edits: EDITS,
              run: tag,
              verbose,
              syncTimeoutMs: Math.max(60_000, residentCount * 3),
            });
          const back = await reconnect(editable, run);
          log(`  reconnect ${back.reconnect_ms} ms; rebuilding the projection, searching…`);
          // BENCH_PROFILE=1: the rebuild and the searches under Chrome's CPU profiler (where a rebuild's time goes).
          const rebuildProfile = await startProfile(back.page);
          const measured = await back.page.evaluate(async ([c, q]) => window.benchSync.rebuildAndSearch(c, q), [
            COMMUNITY,
            queries,
          ] as const);
          await printProfile(rebuildProfile, `the rebuild and the searches, run ${run}`);
          const totals = await back.page.evaluate(async ([c, q]) => window.benchSync.totals(c, q), [
            COMMUNITY,
            prefixes,
          ] as const);
          await back.page.close();
          // More reconnects on the same device, each with residents of its own (a slow reconnect comes in some runs
          // only: several per run find it sooner than several runs, each of which joins first).
          const again: Figures = {};
          for (let more = 2; more <= RECONNECTS; more++) {
            const next = await reconnect(editable.slice((more - 1) * EDITS * 2), run * 100 + more);
            await next.page.close();
            again[`reconnect_${more}_ms`] = next.reconnect_ms;
            log(`  reconnect ${more}: ${next.reconnect_ms} ms`);
          }
          log(
            `  rebuild ${Math.round(measured.projection_rebuild_ms)} ms, search p95 ${measured.search_p95_ms.toFixed(1)} ms (in one task: ${measured.search_one_task_p95_ms.toFixed(1)} ms; ${measured.queries_with_hits} of ${queries.length} queries with hits); the app started on the data on disk…`,
          );
          const { ready, typed, search } = await startOnDisk(profile.context, web, residentCount, totals, target);
          keyTimes.push(...typed.times);
          runs.push({
            join_to_list_ms: joined.join_to_list_ms,
            cold_start_ms: joined.cold_start_ms,
            synced_ms: joined.synced_ms,
            listed_ms: joined.listed_ms,
            searched_ms: joined.searched_ms,
            persisted_ms: joined.persisted_ms,
            reconnect_ms: back.reconnect_ms,
            reconnect_from_online_event_ms: back.reconnect_from_online_event_ms,
            projection_rebuild_ms: measured.projection_rebuild_ms,
            // A part whose marks are missing (an app without them) is left out, never reported as 0.
            ...Object.fromEntries(
              (['rebuild_rows_ms', 'rebuild_seal_ms', 'rebuild_write_ms'] as const).flatMap((key) => {
                const ms = measured[key];
                return ms === null ? [] : [[key, ms]];
              }),
            ),
            index_load_ms: measured.index_load_ms,
            search_p50_ms: measured.search_p50_ms,
            search_p95_ms: measured.search_p95_ms,
            search_one_task_p50_ms: measured.search_one_task_p50_ms,
            search_one_task_p95_ms: measured.search_one_task_p95_ms,
            search_queries_with_hits: measured.queries_with_hits,
            ready_ms: ready.ready_ms,
            signin_screen_ms: ready.signin_screen_ms,
            signed_in_to_list_ms: ready.signed_in_to_list_ms,
            search_ready_ms: search.search_ready_ms,
            keystroke_to_list_p50_ms: percentile(typed.times, 50),
            keystroke_to_list_p95_ms: percentile(typed.times, 95),
            keystrokes_timed: typed.times.length,
            keystrokes_typed: typed.keys,
            restart_server_ms,
            ...again,
          });
          builds.push(build);
          log(
            `  ready ${ready.ready_ms} ms, search ready ${search.search_ready_ms} ms, keystroke p95 ${percentile(typed.times, 95).toFixed(1)} ms`,
          );
        } catch (error) {
          // One run that fails is reported and the others still measured: an hour's runs are not lost to one timeout.
          const message = error instanceof Error ? error.message : String(error);
          failed.push({ run, error: message });
          log(`  run ${run} FAILED: ${message}`);
        } finally {
          await profile.close();
          loads.push([before, load1()]);
        }
      }
    }
    if (TEN_YEARS_ONLY || (process.env.BENCH_TEN_YEARS !== '0' && !JOIN_ONLY && !STARTS_ONLY))
      ten = await tenYears(server, RUNS, log);
  } finally {
    webServer.close();
    ab?.server.close();
    await server.stop();
  }

  const of = (key: string) => runs.map((figures) => figures[key] ?? 0);
  const browserKeys: Key[] = [
    'ready_ms',
    'search_ready_ms',
    'search_p95_ms',
    'keystroke_to_list_p95_ms',
    'projection_rebuild_ms',
    'cold_start_ms',
    'reconnect_ms',
  ];
  const spreads: Record<string, Spread> = {};
  for (const key of Object.keys(runs[0] ?? {})) spreads[key] = spread(of(key), 1);
  const values: Partial<Record<Key, number>> = {};
  for (const key of browserKeys) if (runs[0]?.[key] !== undefined) values[key] = Number(median(of(key)).toFixed(1));
  if (ten !== null) {
    values.ten_year_client_ids = ten.ten_year_client_ids;
    values.ten_year_cold_start_ms = ten.ten_year_cold_start_ms.median;
    values.ten_year_server_load_ms = ten.ten_year_server_load_ms.median;
    spreads.ten_year_cold_start_ms = ten.ten_year_cold_start_ms;
    spreads.ten_year_server_load_ms = ten.ten_year_server_load_ms;
  }
  // BENCH_WEB_AB, BENCH_SERVER_AB: each build's own spreads (its runs only).
  const byBuild: Record<string, Record<string, Spread>> = {};
  if (ab !== null || SERVER_AB !== null) {
    for (const name of ['ab', 'main']) {
      const mine = runs.filter((_, i) => builds[i] === name);
      byBuild[name] = {};
      for (const key of Object.keys(mine[0] ?? {}))
        byBuild[name][key] = spread(
          mine.map((f) => f[key] ?? 0),
          1,
        );
    }
  }
  const met: Partial<Record<Key, boolean>> = {};
  for (const key of Object.keys(values) as Key[]) {
    const value = values[key] ?? Number.POSITIVE_INFINITY;
    met[key] = key === 'ten_year_client_ids' ? value <= TARGETS[key] : value < TARGETS[key];
  }

  process.stderr.write(
    `\nscale benchmark: ${seeded.residents} residents, ${CASES} cases, ${RUNS} runs, ${STARTS_ONLY ? 'starts only (one device per build, joined once; the server not restarted)' : 'new device per run, cold server'}, profile on disk, ${cpus().length} cores\n`,
  );
  process.stderr.write(`${'key'.padEnd(34)} ${'min / median / max'.padStart(26)}  target\n`);
  for (const key of Object.keys(spreads)) {
    const { min, median: mid, max } = spreads[key]!;
    const goal = key in TARGETS ? `< ${TARGETS[key as Key]} ${met[key as Key] ? 'met' : 'NOT met'}` : '';
    process.stderr.write(`${key.padEnd(34)} ${`${min} / ${mid} / ${max}`.padStart(26)}  ${goal}\n`);
  }
  if (ten !== null)
    process.stderr.write(
      `ten years: ${ten.ten_year_client_ids} client ids (≤ ${TARGETS.ten_year_client_ids} ${met.ten_year_client_ids ? 'met' : 'NOT met'}), every edit kept: ${ten.ten_year_every_edit_kept}\n`,
    );
  process.stderr.write(
    `load average (1 min) before → after each run: ${loads.map(([a, b]) => `${a} → ${b}`).join(', ')}\n`,
  );
  for (const [name, spreadsOf] of Object.entries(byBuild)) {
    process.stderr.write(
      `${name} build (${name === 'ab' ? [WEB_AB, SERVER_AB && `server of ${SERVER_AB}`].filter(Boolean).join(', ') : WEB}), its ${builds.filter((b) => b === name).length} runs:\n`,
    );
    for (const [key, { min, median: mid, max }] of Object.entries(spreadsOf))
      process.stderr.write(`  ${key.padEnd(32)} ${`${min} / ${mid} / ${max}`.padStart(26)}\n`);
  }

  const summary = {
    residents: seeded.residents,
    profile: 'persistent',
    // Starts only: the devices joined once, and the server was not restarted between starts.
    server: STARTS_ONLY ? 'warm' : 'cold',
    mode: STARTS_ONLY ? 'starts-only' : JOIN_ONLY ? 'join-only' : 'full',
    runs: RUNS,
    runs_measured: runs.length,
    runs_failed: failed,
    ...values,
    // Not measured in starts-only runs: left out rather than printed as 0.
    ...(STARTS_ONLY ? {} : { join_to_list_ms: Number(median(of('join_to_list_ms')).toFixed(1)) }),
    met,
    targets: TARGETS,
    spread: spreads,
    keystroke_to_list_p95_ms_all_runs: Number(percentile(keyTimes, 95).toFixed(1)),
    cases: CASES,
    edits_each_side: EDITS,
    registry_mib: seeded.registry_mib,
    cases_mib: seeded.cases_mib,
    ten_years: ten,
    load: loads,
    ...(ab !== null || SERVER_AB !== null
      ? { by_build: byBuild, builds, web: WEB, web_ab: WEB_AB, server_ab: SERVER_AB }
      : {}),
    cpus: cpus().length,
    bench_ms: Date.now() - started,
  };
  if (process.env.BENCH_RECORD) writeFileSync(process.env.BENCH_RECORD, `${JSON.stringify(summary)}\n`);
  console.log(JSON.stringify(summary));
}

// Cleanup ran in `main`'s finally (server stopped, browsers closed); exit even if a socket still holds the event loop.
await main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
