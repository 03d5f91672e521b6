/**
 * `npm run bench:sync-server`: our sync server (token auth on, every update fsynced to SQLite before relay) against
 * the stock `@y/websocket-server` 0.1.1, with its LevelDB persistence off and on, under the same client load:
 *
 * (a) one writer -> 100 watchers at 100 updates/s for 10 s: delivery latency p50/p99;
 * (b) 2,000 connections over 100 documents: resident memory of the server per connection;
 * (c) 60 s after every client left: documents still loaded and heap used minus heap used before anyone came (ours,
 *     from /metrics), resident memory (all);
 * (d) a new client syncs a document of 20,000 resident records: warm (document in memory) and, where the server
 *     keeps data, cold (after a restart, from storage).
 *
 * The 60 s waits of (c) run while the next server is measured. Prints a table, writes docs/bench-sync-server.md and
 * ends with one JSON line of the figures. Numbers are printed, never asserted.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { runAdmin } from '../../sync-server/admin';
import { loadavg } from 'node:os';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import {
  coldSyncPhase,
  connectionsPhase,
  floodPhase,
  latencyPhase,
  provider,
  seedResidents,
  synced,
  type FloodResult,
  type LatencyResult,
} from './sync-server/phases';
import { ourMetrics, startOurs, startStock, type BenchServer } from './sync-server/servers';

const ROOT = resolve(import.meta.dirname, '../..');
const COMMUNITIES = Array.from({ length: 20 }, (_, i) => `bench-${String(i).padStart(2, '0')}`);
const DOCS = COMMUNITIES.flatMap((c) => [
  `${c}/registry`,
  `${c}/cases/2026`,
  `${c}/meetings/2026`,
  `${c}/tasks/2026`,
  `${c}/cases/2025`,
]);
const CONNECTIONS = 2_000;
const RECORDS = 20_000;
const IDLE_WAIT_MS = 60_000;
const LATENCY_ROUNDS = 3;
const FLOOD_ROUNDS = 5;
const LATENCY_SECONDS = 5;

/** The round with the median p99 (p50 and p99 reported from the same round). */
function medianRound(results: readonly LatencyResult[]): LatencyResult {
  const sorted = [...results].sort((a, b) => a.p99 - b.p99);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

async function prepareOurData(dir: string): Promise<string> {
  const lines: string[] = [];
  const out = (line: string): void => void lines.push(line);
  for (const c of COMMUNITIES) await runAdmin(['--data', dir, 'community', 'add', c, '--name', c], out);
  await runAdmin(
    ['--data', dir, 'token', 'issue', '--user', 'bench', '--community', COMMUNITIES.join(','), '--role', 'editor'],
    out,
  );
  return lines[lines.length - 1]!;
}

interface ServerFigures {
  label: string;
  latency?: LatencyResult;
  perConnKb?: number;
  idle?: { rssKb: number; rssBeforeKb: number; docsLoaded?: number; heapDeltaMb?: number };
  warmSyncMs?: number;
  coldSyncMs?: number;
  floods?: FloodResult[];
}

/** min / median / max of a list, as text. */
function spread(values: readonly number[], digits = 0): string {
  if (values.length === 0) return '-';
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `${round(sorted[0]!, digits)} / ${round(median, digits)} / ${round(sorted[sorted.length - 1]!, digits)}`;
}

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/**
 * (e) The viewer flood on a registry of RECORDS residents written by the app's own commands (the demo generator):
 * ours with a viewer token and its default budgets, FLOOD_ROUNDS rounds on one server; the stock server once (each
 * round there takes minutes: every frame is a whole-document encoding on its event loop).
 */
async function floodPhases(scratch: string, ours: ServerFigures, stock: ServerFigures): Promise<void> {
  const doc = `${COMMUNITIES[2]!}/registry`;
  const { doc: registry } = generateDemoCommunity(20261201, { residents: RECORDS });
  const seed = async (server: BenchServer): Promise<void> => {
    const seeder = provider(server, doc, registry);
    await synced(seeder);
    const check = provider(server, doc, new Y.Doc());
    await synced(check);
    const deadline = Date.now() + 120_000;
    while (check.doc.getMap('residents').size < registry.getMap('residents').size) {
      if (Date.now() > deadline) throw new Error('flood seeding did not reach the server');
      await sleep(200);
    }
    // The check's document goes with it; the seeder's is the caller's registry, kept: only its awareness's timer,
    // which held it, is stopped.
    check.destroy();
    check.doc.destroy();
    seeder.destroy();
    seeder.awareness.destroy();
  };
  const dir = join(scratch, 'ours-flood');
  const editorToken = await prepareOurData(dir);
  const lines: string[] = [];
  await runAdmin(
    ['--data', dir, 'token', 'issue', '--user', 'leader', '--community', COMMUNITIES[2]!, '--role', 'viewer'],
    (line) => void lines.push(line),
  );
  const viewerToken = lines[lines.length - 1]!;
  // The demo registry goes up as one stock sync-step-2 (about 10 MiB): above the default 8 MiB message limit, which
  // the app never meets (it sends pieces of 1 MiB). The limit plays no part in the flood. The viewer floods the
  // registry itself, as before masking (a masking server refuses it that: docs/security.md).
  const server = await startOurs(ROOT, dir, editorToken, [
    '--max-message-bytes',
    String(64 * 1024 * 1024),
    '--viewers-masked',
    'false',
  ]);
  await seed(server);
  // The flood comes from a viewer token, with the server's default answer budget.
  const viewer: BenchServer = { ...server, params: { token: viewerToken } };
  ours.floods = [];
  for (let i = 0; i < FLOOD_ROUNDS; i++) {
    log(`ours: (e) viewer flood, round ${i + 1} of ${FLOOD_ROUNDS} (load ${loadavg()[0]!.toFixed(2)})`);
    ours.floods.push(await floodPhase(viewer, doc, '/healthz'));
    // The next round starts with a full budget, as the next flood from another token would.
    await sleep(60_000);
  }
  await server.stop();

  log('stock: (e) flood, one round');
  const stockServer = await startStock(ROOT);
  await seed(stockServer);
  stock.floods = [await floodPhase(stockServer, doc, '/', { capMs: 300_000 })];
  await stockServer.stop();
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** (b), everyone leaves, and (c) scheduled 60 s later: the returned `idle` settles then. */
async function loadPhases(
  server: BenchServer,
  figures: ServerFigures,
  heapBefore?: number,
): Promise<{ idle: Promise<void> }> {
  const rssBeforeKb = server.rssKb();
  log(`${figures.label}: (b) ${CONNECTIONS} connections`);
  const conns = await connectionsPhase(server, DOCS, CONNECTIONS);
  figures.perConnKb = conns.perConnKb;
  for (const p of conns.providers) p.destroy();
  log(`${figures.label}: (c) everyone left; reading memory in ${IDLE_WAIT_MS / 1000} s`);
  const idle = sleep(IDLE_WAIT_MS).then(async () => {
    const reading: NonNullable<ServerFigures['idle']> = { rssKb: server.rssKb(), rssBeforeKb };
    if (heapBefore !== undefined) {
      const metrics = await ourMetrics(server);
      reading.docsLoaded = metrics.get('sync_documents_loaded');
      reading.heapDeltaMb = ((metrics.get('sync_heap_used_bytes') ?? NaN) - heapBefore) / 1024 / 1024;
    }
    figures.idle = reading;
    await server.stop();
  });
  return { idle };
}

async function main(): Promise<void> {
  // Every y-websocket provider adds a process 'exit' listener; thousands of them are expected here.
  process.setMaxListeners(0);
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), 'bench-sync-server-'));
  const ours: ServerFigures = { label: 'ours (auth + fsync before relay)' };
  const stockMem: ServerFigures = { label: 'stock, persistence off' };
  const stockLdb: ServerFigures = { label: 'stock, LevelDB on' };
  const idleChecks: Promise<void>[] = [];
  try {
    if (process.env.BENCH_ONLY === 'flood') {
      // `BENCH_ONLY=flood npm run bench:sync-server`: (e) alone, ours and stock, for a quick look; the table shows
      // only (e) and docs/bench-sync-server.md is not rewritten.
      await floodPhases(scratch, ours, stockMem);
      console.log(JSON.stringify({ ours: ours.floods, stock: stockMem.floods, load: loadavg() }));
      return;
    }
    const ourDir = join(scratch, 'ours');
    const ourToken = await prepareOurData(ourDir);
    const server = await startOurs(ROOT, ourDir, ourToken);
    const mem = await startStock(ROOT);
    const ldb = await startStock(ROOT, join(scratch, 'leveldb'));
    await sleep(1_000);

    // (a) in alternating rounds, so that whatever else the machine does falls on every server alike.
    const rounds: Map<ServerFigures, LatencyResult[]> = new Map([
      [ours, []],
      [stockMem, []],
      [stockLdb, []],
    ]);
    for (let round = 0; round < LATENCY_ROUNDS; round++) {
      for (const [target, figures] of [
        [server, ours],
        [mem, stockMem],
        [ldb, stockLdb],
      ] as const) {
        log(`${figures.label}: (a) latency, round ${round + 1} of ${LATENCY_ROUNDS}`);
        rounds
          .get(figures)!
          .push(await latencyPhase(target, `${COMMUNITIES[0]!}/cases/${2020 + round}`, 100, 100, LATENCY_SECONDS));
      }
    }
    for (const [figures, results] of rounds) figures.latency = medianRound(results);

    await Promise.all([server.stop(), mem.stop(), ldb.stop()]);

    // (b) and (c) on fresh processes, so that the garbage of (a) does not blur the memory figures.
    const fresh = await startOurs(ROOT, ourDir, ourToken);
    await sleep(1_000);
    const heapBefore = (await ourMetrics(fresh)).get('sync_heap_used_bytes') ?? NaN;
    idleChecks.push((await loadPhases(fresh, ours, heapBefore)).idle);
    idleChecks.push((await loadPhases(await startStock(ROOT), stockMem)).idle);
    idleChecks.push((await loadPhases(await startStock(ROOT, join(scratch, 'leveldb-b')), stockLdb)).idle);

    // (d) on fresh instances, so that the idle servers above stay idle.
    const doc = `${COMMUNITIES[1]!}/registry`;
    log('ours: (d) cold sync');
    const ourColdDir = join(scratch, 'ours-cold');
    const coldToken = await prepareOurData(ourColdDir);
    let cold = await startOurs(ROOT, ourColdDir, coldToken);
    await seedResidents(cold, doc, RECORDS);
    ours.warmSyncMs = await coldSyncPhase(cold, doc, RECORDS);
    await cold.stop();
    cold = await startOurs(ROOT, ourColdDir, coldToken);
    ours.coldSyncMs = await coldSyncPhase(cold, doc, RECORDS);
    await cold.stop();

    log('stock: (d) cold sync');
    const memCold = await startStock(ROOT);
    await seedResidents(memCold, doc, RECORDS);
    stockMem.warmSyncMs = await coldSyncPhase(memCold, doc, RECORDS);
    await memCold.stop();
    const ldbDir = join(scratch, 'leveldb-cold');
    let ldbCold = await startStock(ROOT, ldbDir);
    await seedResidents(ldbCold, doc, RECORDS);
    stockLdb.warmSyncMs = await coldSyncPhase(ldbCold, doc, RECORDS);
    await ldbCold.stop();
    ldbCold = await startStock(ROOT, ldbDir);
    stockLdb.coldSyncMs = await coldSyncPhase(ldbCold, doc, RECORDS);
    await ldbCold.stop();

    log('waiting for the idle readings');
    await Promise.all(idleChecks);

    if (process.env.BENCH_SKIP_FLOOD !== '1') await floodPhases(scratch, ours, stockMem);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const all = [ours, stockMem, stockLdb];
  const cell = (n: number | undefined, digits = 1): string =>
    n === undefined || Number.isNaN(n) ? '-' : String(round(n, digits));
  const rows = [
    ['', ...all.map((f) => f.label)],
    ['(a) latency p50 ms', ...all.map((f) => cell(f.latency?.p50, 2))],
    ['(a) latency p99 ms', ...all.map((f) => cell(f.latency?.p99, 2))],
    ['(a) deliveries seen / expected', ...all.map((f) => `${f.latency?.samples ?? 0} / ${f.latency?.expected ?? 0}`)],
    ['(b) RSS per connection KiB', ...all.map((f) => cell(f.perConnKb))],
    [
      '(c) RSS before -> 60 s after leaving MiB',
      ...all.map((f) => (f.idle ? `${cell(f.idle.rssBeforeKb / 1024)} -> ${cell(f.idle.rssKb / 1024)}` : '-')),
    ],
    ['(c) documents still loaded', ...all.map((f) => cell(f.idle?.docsLoaded, 0))],
    ['(c) heap used delta MiB', ...all.map((f) => cell(f.idle?.heapDeltaMb, 2))],
    ['(d) 20k records, warm ms', ...all.map((f) => cell(f.warmSyncMs, 0))],
    ['(d) 20k records, cold from storage ms', ...all.map((f) => cell(f.coldSyncMs, 0))],
    [
      '(e) flood: /healthz max gap ms, min / median / max',
      ...all.map((f) => spread((f.floods ?? []).map((r) => r.healthzMaxGapMs))),
    ],
    [
      '(e) flood: RSS after - before MiB, min / median / max',
      ...all.map((f) =>
        spread(
          (f.floods ?? []).map((r) => r.rssDeltaMb),
          1,
        ),
      ),
    ],
    [
      '(e) flood: RSS peak MiB, max',
      ...all.map((f) => (f.floods?.length ? cell(Math.max(...f.floods.map((r) => r.rssPeakMb))) : '-')),
    ],
    [
      '(e) flood: sockets closed by the server',
      ...all.map((f) => (f.floods ?? []).map((r) => r.closedByServer).join(', ') || '-'),
    ],
    ['(e) flood: rounds', ...all.map((f) => String(f.floods?.length ?? 0))],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
  table.splice(1, 0, `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  const tableText = table.join('\n');
  const figures = {
    p99_ms: round(ours.latency?.p99 ?? NaN, 2),
    baseline_p99_ms: round(stockLdb.latency?.p99 ?? NaN, 2),
    mem_per_conn_kb: round(ours.perConnKb ?? NaN),
    baseline_mem_per_conn_kb: round(stockLdb.perConnKb ?? NaN),
    idle_docs_loaded: ours.idle?.docsLoaded ?? null,
    idle_heap_delta_mb: round(ours.idle?.heapDeltaMb ?? NaN, 2),
    cold_sync_20k_ms: Math.round(ours.coldSyncMs ?? NaN),
    flood_healthz_max_gap_ms: Math.round(median((ours.floods ?? []).map((r) => r.healthzMaxGapMs))),
    baseline_flood_healthz_max_gap_ms: Math.round(median((stockMem.floods ?? []).map((r) => r.healthzMaxGapMs))),
    flood_rss_delta_mb: round(median((ours.floods ?? []).map((r) => r.rssDeltaMb)), 1),
    baseline_flood_rss_delta_mb: round(median((stockMem.floods ?? []).map((r) => r.rssDeltaMb)), 1),
    load_average_1m: round(loadavg()[0] ?? NaN, 2),
  };
  const seconds = Math.round((Date.now() - started) / 1000);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
  console.log(tableText);
  // Hand-written notes below a "## Notes" heading survive a new run.
  const docFile = join(ROOT, 'docs/bench-sync-server.md');
  const previous = existsSync(docFile) ? readFileSync(docFile, 'utf8') : '';
  const notesAt = previous.indexOf('\n## Notes');
  const notes = notesAt >= 0 ? previous.slice(notesAt) : '';
  writeFileSync(
    docFile,
    `# Sync server benchmark\n\nWritten by \`npm run bench:sync-server\` (tests/bench/sync-server.bench.ts) on ${new Date().toISOString().slice(0, 10)}, ` +
      `${machine}; the run took ${seconds} s. Every server and every client ran on this one machine; all clients are ` +
      `stock y-websocket 3.1.0 providers in one Node process.\n\n` +
      `- **ours**: this repository's server with token auth and \`--sync-mode full\` (every update fsynced to SQLite ` +
      `before it is relayed; updates arriving together share one commit). The bench's single token stands for a whole district, so its per-token limits are lifted ` +
      `with flags; nothing else is changed from the defaults (idle unload after 30 s).\n` +
      `- **stock**: \`@y/websocket-server\` 0.1.1, \`src/server.js\`, without and with \`YPERSISTENCE\` (LevelDB). ` +
      `The baseline figures of the JSON line are the LevelDB ones, the stock server's durable configuration.\n\n` +
      `(a) one writer, 100 watchers, 100 updates/s for ${LATENCY_SECONDS} s after 1 s of warm-up, in ${LATENCY_ROUNDS} ` +
      `rounds alternating between the servers; the round with the median p99 is shown; (b) ${CONNECTIONS} connections over ` +
      `${DOCS.length} documents, resident memory of the server process (VmRSS) after minus before, divided by ` +
      `${CONNECTIONS}; (c) 60 s after all clients left; (d) a new client syncs a document of ${RECORDS} resident ` +
      `records (8 fields each), warm (document in memory) and cold (after a restart, loaded from storage); (e) a viewer's ` +
      `flood of 30 sockets x 10 sync-step-1 frames naming an unknown client, against a registry of ${RECORDS} residents ` +
      `written by the app's own commands (the demo generator), with a health probe every 50 ms: ours ${FLOOD_ROUNDS} ` +
      `rounds a minute apart with its default budgets (the stock server has no /healthz: its / is probed; one round). ` +
      `The JSON line gives medians.\n\n` +
      `${tableText}\n\n\`\`\`json\n${JSON.stringify(figures)}\n\`\`\`\n${notes}`,
  );
  console.log(JSON.stringify(figures));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
