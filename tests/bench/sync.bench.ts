/**
 * `npm run bench:sync`: a new device joining a community of 20,000 residents and 2,000 mediation cases through the
 * real sync server (child process on loopback, started cold before each join: a new process on the stored database),
 * in Debian's Chromium with the built app on a profile on disk; then the same device reconnecting after 500 offline
 * edits while another device made 500 edits. BENCH_RUNS runs (5 unless set), each a new device; prints min / median /
 * max and the load average, and ends with one JSON line: {"cold_start_ms":…,"reconnect_ms":…,…} (medians, with
 * `runs` holding every figure's min / median / max). Targets: cold start < 5 s on loopback, reconnect < 1 s.
 * Figures and how they are measured: docs/bench-sync.md.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { listRecords } from '@shared/ydoc/registry';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { openProfileOnDisk } from './profile';
import { load1, median, spread } from './stats';
import { serveFolder } from '../e2e/support/static-server';
import { joinAsNewDevice, reconnectAfterOfflineEdits, uniqueTailTarget } from './sync/device';
import { startBenchServer } from './sync/server';
import { buildCases, pushDoc } from './sync/seed';

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 20_000);
const CASES = Number(process.env.BENCH_CASES ?? 2_000);
const EDITS = Number(process.env.BENCH_EDITS ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const COMMUNITY = toCommunityId('bench-sync');
const YEAR = new Date().getFullYear();
const REGISTRY = docName({ community: COMMUNITY, collection: 'registry' });
const CASES_DOC = docName({ community: COMMUNITY, collection: 'cases', year: YEAR });
const TARGETS = { cold_start_ms: 5000, reconnect_ms: 1000 };

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function build(): void {
  // BENCH_SKIP_BUILD reuses dist/web; the bench page is always rebuilt (a rebuild of the app empties dist/web).
  if (!process.env.BENCH_SKIP_BUILD) {
    log('building the web app…');
    // A profile names functions only when the code is not minified.
    const minify = process.env.BENCH_PROFILE ? ['--minify', 'false'] : [];
    execFileSync('npx', ['vite', 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn', ...minify], {
      stdio: 'inherit',
    });
  }
  log('building the benchmark page…');
  execFileSync('npx', ['vite', 'build', '--config', 'tests/bench/sync/vite.config.ts'], { stdio: 'inherit' });
}

type Figures = Record<string, number>;

async function main(): Promise<void> {
  build();
  // The demo registry is written by one `importResidents` transaction: a single 12 MiB update, over the server's
  // default 8 MiB limit on what a client may send (it would close the seeding client with 1009). Only the seeding
  // client sends anything that large; what is measured (server → new device; small edits back) is unaffected.
  process.env.SYNC_MAX_MESSAGE_BYTES ??= String(32 * 1024 * 1024);
  // The server's debug lines say how long each answer to a joining client took to encode (printed below).
  process.env.SYNC_LOG_LEVEL ??= 'debug';
  const server = await startBenchServer();
  const { url: web, server: webServer } = await serveFolder('dist/web');
  const runs: Figures[] = [];
  const loads: [number, number][] = [];
  let casesRow = '';
  // How many residents the seeding made (an object: assigned inside the try below).
  const seeded = { residents: 0 };
  try {
    await server.addCommunity(COMMUNITY, '基准同步社区');
    const seedToken = await server.issue('seed', COMMUNITY);
    const remoteToken = await server.issue('另一台', COMMUNITY);

    log(`generating ${RESIDENTS} residents and ${CASES} cases (intakeCase)…`);
    let t = Date.now();
    const { doc: registry } = generateDemoCommunity(20260601, { residents: RESIDENTS });
    const cases = buildCases(CASES, registry);
    log(
      `  generated in ${Date.now() - t} ms; registry ${(Y.encodeStateAsUpdate(registry).length / 1048576).toFixed(1)} MiB, cases ${(Y.encodeStateAsUpdate(cases).length / 1048576).toFixed(1)} MiB`,
    );
    const persisted = [
      { name: REGISTRY, bytes: Y.encodeStateAsUpdate(registry).length },
      { name: CASES_DOC, bytes: Y.encodeStateAsUpdate(cases).length },
    ];
    t = Date.now();
    await pushDoc(server.url, REGISTRY, seedToken, registry);
    await pushDoc(server.url, CASES_DOC, seedToken, cases);
    log(`  stored on the server in ${Date.now() - t} ms`);

    const residents = listRecords(registry, 'residents').filter((r) => r.deletedAt == null);
    seeded.residents = residents.length;
    const target = uniqueTailTarget(residents);
    const editable = residents.filter((r) => r.id !== target.id).map((r) => r.id);
    registry.destroy();
    cases.destroy();

    for (let run = 1; run <= RUNS; run++) {
      // Cold: a new server process on the stored database; the documents are loaded when the device asks.
      const restart_server_ms = await server.restartCold();
      const before = load1();
      log(`run ${run}/${RUNS}: a new device joins a cold server (load ${before})…`);
      // A new device: its own profile on disk (empty at the start) and its own token.
      const profile = await openProfileOnDisk('bench-sync-profile');
      try {
        const deviceToken = await server.issue(`新设备${run}`, COMMUNITY);
        const joined = await joinAsNewDevice({
          context: profile.context,
          web,
          server,
          token: deviceToken,
          residents: residents.length,
          target,
          persisted,
          casesDoc: CASES_DOC,
          verbose: run === RUNS,
        });
        casesRow = joined.casesRow;
        const back = await reconnectAfterOfflineEdits({
          context: profile.context,
          web,
          server,
          community: COMMUNITY,
          year: YEAR,
          registryDoc: REGISTRY,
          remoteToken,
          residents: residents.length,
          cases: CASES,
          editable,
          edits: EDITS,
          run,
          verbose: run === RUNS,
        });
        await back.page.close();
        const { casesRow: _row, ...cold } = joined;
        const { page: _page, ...reconnect } = back;
        runs.push({ ...cold, ...reconnect, restart_server_ms });
        log(`  cold start ${joined.cold_start_ms} ms, reconnect ${back.reconnect_ms} ms`);
      } finally {
        await profile.close();
      }
      loads.push([before, load1()]);
    }
  } finally {
    webServer.close();
    await server.stop();
  }

  const rows: [string, string, number][] = [
    ['cold start: join submitted → all local and searchable', 'cold_start_ms', TARGETS.cold_start_ms],
    ['  → badge up to date, 0 pending (all documents)', 'synced_ms', 0],
    ['  → residents list shows the whole community', 'listed_ms', 0],
    ['  → ID-tail search finds the resident', 'searched_ms', 0],
    ['  → registry and cases documents written to disk', 'persisted_ms', 0],
    ['restart online (bench page) → up to date', 'restart_ms', 0],
    [`device: ${EDITS} offline edits (not timed for target)`, 'local_edits_ms', 0],
    ['reconnect: back online → converged', 'reconnect_ms', TARGETS.reconnect_ms],
    ['  switch → the page\u2019s online event', 'online_event_after_switch_ms', 0],
    ['  the page\u2019s online event → converged', 'reconnect_from_online_event_ms', 0],
    ['server stopped and started again (cold)', 'restart_server_ms', 0],
  ];
  const of = (key: string) => runs.map((figures) => figures[key] ?? 0);
  console.log(
    `\nsync benchmark: ${seeded.residents} residents, ${CASES} cases, ${EDITS}+${EDITS} edits, loopback, cold server, ${RUNS} runs, ${cpus().length} cores; min / median / max (ms)`,
  );
  for (const [label, key, goal] of rows) {
    const { min, median: mid, max } = spread(of(key), 0);
    const met = goal > 0 ? `< ${goal}${max < goal ? ' met' : mid < goal ? ' met (median)' : ' NOT met'}` : '';
    console.log(`${label.padEnd(56)} ${`${min} / ${mid} / ${max}`.padStart(24)}  ${met}`);
  }
  console.log(`cases document row on the sync page (last run): ${casesRow}`);
  console.log(`load average (1 min) before → after each run: ${loads.map(([a, b]) => `${a} → ${b}`).join(', ')}`);
  const summary = {
    cold_start_ms: median(of('cold_start_ms')),
    reconnect_ms: median(of('reconnect_ms')),
    residents: seeded.residents,
    cases: CASES,
    edits_each_side: EDITS,
    synced_ms: median(of('synced_ms')),
    listed_ms: median(of('listed_ms')),
    searched_ms: median(of('searched_ms')),
    persisted_ms: median(of('persisted_ms')),
    reconnect_from_online_event_ms: median(of('reconnect_from_online_event_ms')),
    pending_before_reconnect: median(of('pending_before_reconnect')),
    server: 'cold',
    profile: 'persistent',
    runs: Object.fromEntries(rows.map(([, key]) => [key, spread(of(key), 0)])),
    load: loads,
  };
  if (process.env.BENCH_RECORD) writeFileSync(process.env.BENCH_RECORD, `${JSON.stringify(summary)}\n`);
  console.log(JSON.stringify(summary));
}

// Cleanup ran in `main`'s finally (server killed, browser closed); exit even if a socket still holds the event loop.
await main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
