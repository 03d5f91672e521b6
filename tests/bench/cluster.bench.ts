/**
 * `npm run bench:cluster`: three sync-server nodes on a private PostgreSQL and Redis (tests/bench/cluster/nodes.ts)
 * against the single-node SQLite server, under loads driven from several client processes
 * (tests/bench/cluster/client.ts, stock y-websocket providers). Prints one JSON line; docs/bench-cluster.md says how
 * it is made and keeps the figures of the runs. Numbers are printed, never asserted. Not run in CI.
 *
 * (a) latency: one writer at 10 updates/s for 10 s (after 1 s of warm-up) on node 1, WATCHERS watchers of the same
 *     document spread over the client processes and the three nodes; time from the writer's send to each watcher's
 *     receipt. Rounds alternate with the same watchers on the SQLite server (the baseline).
 * (b) the same while three registries of 20,000 residents (the demo generator's, as the app writes them) are held by
 *     every node and written to through node k (k = 1, 2, 3) at the pace that folds each one's log once per round
 *     (the default `--compact-after 500`): every round has compactions of 20k registries on the nodes.
 * (c) restart storm: STORM_DEVICES devices × STORM_DOCS documents each (8 devices a community) connected, all three
 *     nodes stopped (SIGTERM), one change per document stored in PostgreSQL meanwhile, the nodes started again; the
 *     devices reconnect with the app's backoff (renderer/sync/backoff.ts) and the figure is the time from the nodes
 *     listening again until the last device holds every one of its documents' changes.
 * (d) kill -9 of the node a writer (through a TCP balancer, 50 writes/s) is on, the devices of (c) still connected:
 *     acknowledged updates missing from PostgreSQL, and the time until the writer is current on another node.
 * (e) Redis restarted while the nodes hold the documents of (c): one change per document put into PostgreSQL's log
 *     meanwhile, behind the relay's back; the time from Redis answering again until every device holds it (each node
 *     reloads every document it holds).
 *
 * `BENCH_STORM_DEVICES`, `BENCH_STORM_DOCS`, `BENCH_WATCHERS`, `BENCH_RUNS` scale it down for a quick look.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { PostgresStorage } from '../../sync-server/storage/postgres';
import { Balancer } from '../integration/cluster/balancer';
import { ackedClock, peekAcks } from '../integration/cluster/cluster';
import { BenchCluster } from './cluster/nodes';

const ROOT = resolve(import.meta.dirname, '../..');
const NODES = 3;
const WATCHERS = Number(process.env.BENCH_WATCHERS ?? 1000);
const CLIENT_PROCESSES = 4;
const RATE = 10;
const SECONDS = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const RESIDENTS = 20_000;
const REGISTRIES = 3;
const COMPACT_AFTER = 500;
const STORM_DEVICES = Number(process.env.BENCH_STORM_DEVICES ?? 1000);
/** After the last round of (b): how long late receipts are waited for before the watchers are checked for gaps. */
const LATE_WAIT_MS = 15_000;
/** `BENCH_PROBE=1`: (a) and (b) only, the nodes stopped with SIGTERM after (b) (for BENCH_CPU_PROF_DIR). */
const PROBE = process.env.BENCH_PROBE === '1';
const STORM_DOCS = Number(process.env.BENCH_STORM_DOCS ?? 8);
const DEVICES_PER_COMMUNITY = 8;
const KILL_RUNS = 3;
/** Restart storms of (c), each of all three nodes: at least 5 for a figure (min / median / max). */
const STORMS = Number(process.env.BENCH_STORMS ?? 5);
const LATENCY_COMMUNITY = 'bench-latency';
const LATENCY_DOC = `${LATENCY_COMMUNITY}/cases/2026`;
const REGISTRY_COMMUNITIES = Array.from({ length: REGISTRIES }, (_, i) => `bench-registry-${i}`);
const KILL_DOC = `${LATENCY_COMMUNITY}/tasks/2026`;
const STORM_DOC_NAMES = [
  'registry',
  'cases/2026',
  'meetings/2026',
  'tasks/2026',
  'incidents/2026',
  'services/2026',
  'cases/2025',
  'meetings/2025',
].slice(0, STORM_DOCS);

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const log = (message: string): void =>
  void process.stderr.write(
    `[bench:cluster ${new Date().toISOString().slice(11, 19)}] ${message} (load ${loadavg()[0]!.toFixed(2)})\n`,
  );

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function spread(values: readonly number[], digits = 1): { min: number; median: number; max: number } {
  // A round in which nothing arrived has no percentile (NaN): left out here, visible in the per-round lists.
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return {
    min: round(sorted[0] ?? NaN, digits),
    median: round(sorted[Math.floor(sorted.length / 2)] ?? NaN, digits),
    max: round(sorted[sorted.length - 1] ?? NaN, digits),
  };
}

/** A forked client process (client.ts) and its request/answer channel. */
class ClientProcess {
  private rid = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: { rid: number; result?: unknown; error?: string }) => {
      const waiting = this.pending.get(message.rid);
      this.pending.delete(message.rid);
      if (message.error !== undefined) waiting?.reject(new Error(message.error));
      else waiting?.resolve(message.result);
    });
    child.once('exit', (code, signal) => {
      for (const waiting of this.pending.values()) {
        waiting.reject(new Error(`client process exited with ${code ?? signal ?? '?'}`));
      }
      this.pending.clear();
    });
  }

  static start(): ClientProcess {
    return new ClientProcess(
      fork(join(ROOT, 'tests/bench/cluster/client.ts'), [], {
        cwd: ROOT,
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
  }

  request<T>(command: Record<string, unknown>): Promise<T> {
    const rid = ++this.rid;
    return new Promise<T>((resolvePromise, reject) => {
      this.pending.set(rid, { resolve: (v) => resolvePromise(v as T), reject });
      this.child.send({ rid, command });
    });
  }
}

function provider(url: string, doc: string, token: string): WebsocketProvider {
  const p = new WebsocketProvider(url, doc, new Y.Doc(), {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  p.awareness.setLocalState(null);
  return p;
}

function whenSynced(p: WebsocketProvider, timeoutMs = 60_000): Promise<void> {
  if (p.synced) return Promise.resolve();
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no sync for ${p.roomname}`)), timeoutMs);
    const onSync = (synced: boolean): void => {
      if (!synced) return;
      clearTimeout(timer);
      p.off('sync', onSync);
      resolvePromise();
    };
    p.on('sync', onSync);
  });
}

async function waitFor(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface LatencyRound {
  readonly p50: number;
  readonly p99: number;
  readonly received: number;
  readonly expected: number;
  /** Per server index (node k; the baseline is 0): receipts in the window and their p99. */
  readonly byServer: { readonly received: number; readonly p99: number }[];
  /** Filled by `lateAndLost` after a round of (b): receipts after the window, watchers still lacking updates. */
  late?: { readonly received: number; readonly p99: number; readonly byServer: number[] };
  behind?: { readonly watchers: number; readonly missing: number; readonly byServer: number[] };
}

/** One round: the writer sends RATE updates/s for SECONDS s after 1 s of warm-up; every watcher's receipts. */
async function latencyRound(
  clients: readonly ClientProcess[],
  set: string,
  writer: WebsocketProvider,
  watchers: number,
): Promise<LatencyRound> {
  const ticks = writer.doc.getMap<number>('ticks');
  const send = async (count: number): Promise<void> => {
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const wait = start + (i * 1000) / RATE - performance.now();
      if (wait > 0) await sleep(wait);
      ticks.set(`t${i % 50}`, now());
    }
  };
  await send(RATE);
  await sleep(500);
  await Promise.all(clients.map((c) => c.request({ type: 'measure', set, on: true })));
  await send(RATE * SECONDS);
  await sleep(2_000);
  const lists = await Promise.all(
    clients.map((c) => c.request<{ samples: number[]; servers: number[] }>({ type: 'measure', set, on: false })),
  );
  const samples = lists.flatMap((l) => l.samples).sort((a, b) => a - b);
  const perServer: number[][] = [];
  for (const { samples: list, servers } of lists) {
    list.forEach((sample, i) => (perServer[servers[i] ?? 0] ??= []).push(sample));
  }
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    received: samples.length,
    expected: RATE * SECONDS * watchers,
    byServer: Array.from({ length: perServer.length }, (_, k) => {
      const sorted = (perServer[k] ?? []).sort((a, b) => a - b);
      return { received: sorted.length, p99: round(percentile(sorted, 99)) };
    }),
  };
}

/**
 * After a round: the receipts that came after its window (by the time the churn stopped, or after `waitMs` for the
 * last round), and the watchers that still lack some of the writer's updates then (an update stored and relayed to
 * nobody would leave them behind until a reconnect).
 */
async function lateAndLost(
  clients: readonly ClientProcess[],
  set: string,
  writer: WebsocketProvider,
  roundFigures: LatencyRound,
  waitMs: number,
): Promise<void> {
  await sleep(waitMs);
  const late = (await Promise.all(clients.map((c) => c.request<[number, number][]>({ type: 'late', set })))).flat();
  const lateSorted = late.map(([ms]) => ms).sort((a, b) => a - b);
  const lateBy: number[] = [];
  for (const [, server] of late) lateBy[server] = (lateBy[server] ?? 0) + 1;
  roundFigures.late = {
    received: late.length,
    p99: round(percentile(lateSorted, 99)),
    byServer: Array.from({ length: lateBy.length }, (_, k) => lateBy[k] ?? 0),
  };
  const clock = Y.decodeStateVector(Y.encodeStateVector(writer.doc)).get(writer.doc.clientID) ?? 0;
  const behind = (
    await Promise.all(
      clients.map((c) =>
        c.request<{ server: number; missing: number }[]>({ type: 'behind', set, client: writer.doc.clientID, clock }),
      ),
    )
  ).flat();
  const behindBy: number[] = [];
  for (const { server } of behind) behindBy[server] = (behindBy[server] ?? 0) + 1;
  roundFigures.behind = {
    watchers: behind.length,
    missing: behind.reduce((n, b) => n + b.missing, 0),
    byServer: Array.from({ length: behindBy.length }, (_, k) => behindBy[k] ?? 0),
  };
}

/**
 * PostgreSQL's view while (b) runs: every `everyMs`, the backends of the nodes that wait (on a lock, on I/O...) and
 * the oldest open transaction. Summarised as counts per wait event and the longest transaction seen.
 */
function samplePostgres(
  pool: { query: (sql: string) => Promise<{ rows: Record<string, unknown>[] }> },
  everyMs: number,
): () => { samples: number; waits: Record<string, number>; longest_xact_ms: number; longest_query: string } {
  const waits: Record<string, number> = {};
  let samples = 0;
  let longest = 0;
  let longestQuery = '';
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    pool
      .query(
        `SELECT wait_event_type, wait_event, state, left(query, 120) AS query,
           (extract(epoch FROM (now() - xact_start)) * 1000)::bigint AS xact_ms
         FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      )
      .then(({ rows }) => {
        samples++;
        for (const row of rows) {
          const ms = Number(row.xact_ms ?? 0);
          if (ms > longest) {
            longest = ms;
            longestQuery = String(row.query);
          }
          if (row.state === 'idle' || row.wait_event_type === null || row.wait_event_type === 'Client') continue;
          const key = `${row.wait_event_type as string}:${row.wait_event as string}`;
          waits[key] = (waits[key] ?? 0) + 1;
        }
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, everyMs);
  return () => {
    clearInterval(timer);
    return { samples, waits, longest_xact_ms: longest, longest_query: longestQuery };
  };
}

/** A raw websocket speaking the sync protocol: holds a document loaded on a node, or writes updates into it. */
class RawClient {
  private constructor(readonly ws: WebSocket) {}

  static open(url: string, doc: string, token: string): Promise<RawClient> {
    return new Promise((resolvePromise, reject) => {
      const ws = new WebSocket(`${url}/${doc}?token=${encodeURIComponent(token)}`);
      ws.on('error', reject);
      // The server speaks first once the document is loaded (its sync-step-1).
      ws.once('message', () => resolvePromise(new RawClient(ws)));
    });
  }

  sendUpdate(update: Uint8Array): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, update);
    this.ws.send(encoding.toUint8Array(encoder));
  }

  close(): void {
    this.ws.close();
  }
}

/** What the nodes warned about, counted by message (stderr), for reading a run. */
function reportNodeLogs(cluster: BenchCluster, phase: string): void {
  for (const node of cluster.nodes) {
    const counts = new Map<string, { n: number; first: string }>();
    for (const line of node.process?.logs ?? []) {
      const level = typeof line.level === 'number' ? line.level : 30;
      if (level < 40) continue;
      const seen = counts.get(line.msg);
      if (seen !== undefined) seen.n++;
      else counts.set(line.msg, { n: 1, first: JSON.stringify(line).slice(0, 300) });
    }
    for (const [msg, { n, first }] of counts) log(`${phase} node ${node.index + 1}: ${n} × "${msg}", first: ${first}`);
  }
}

/** BENCH_PROBE: the run ends after (b). */
class ProbeDone extends Error {}

/** Each node's event-loop stalls logged between `from` and `to` (epoch ms): [seconds after `from`, ms behind]. */
function stallsOf(cluster: BenchCluster, from: number, to: number): [number, number][][] {
  return cluster.nodes.map((node) =>
    (node.process?.logs ?? [])
      .filter((line) => line.msg === 'event loop was behind')
      .map((line) => [Number(line.time), Number(line.ms)] as const)
      .filter(([at]) => at >= from && at <= to)
      .map(([at, ms]) => [round((at - from) / 1000), ms]),
  );
}

interface Figures {
  [key: string]: unknown;
}

const figures: Figures = { nodes: NODES, engine: 'postgres+redis', watchers: WATCHERS };
// Stopped from outside (a time limit): the figures so far still come out, marked as such.
process.once('SIGTERM', () => {
  figures.error = 'stopped by SIGTERM before the end';
  console.log(JSON.stringify(figures));
  process.exit(1);
});

async function main(): Promise<void> {
  process.setMaxListeners(0);
  const started = Date.now();
  let failure: unknown;
  const loads: number[] = [loadavg()[0]!];
  const sampleLoad = setInterval(() => loads.push(loadavg()[0]!), 10_000);
  log('starting PostgreSQL, Redis, three nodes and the SQLite baseline');
  const cluster = await BenchCluster.start(NODES);
  const clients: ClientProcess[] = [];
  const cleanups: (() => void | Promise<void>)[] = [];
  try {
    const stormCommunities = Array.from(
      { length: Math.ceil(STORM_DEVICES / DEVICES_PER_COMMUNITY) },
      (_, i) => `storm-${String(i).padStart(4, '0')}`,
    );
    for (const id of [LATENCY_COMMUNITY, ...REGISTRY_COMMUNITIES, ...stormCommunities]) {
      await cluster.admin('cluster', 'community', 'add', id, '--name', id);
    }
    await cluster.admin('baseline', 'community', 'add', LATENCY_COMMUNITY, '--name', LATENCY_COMMUNITY);
    // Default per-token limits (200 connections): one token per 100 watchers, as a hundred people each.
    const tokenCount = Math.max(1, Math.ceil(WATCHERS / 100));
    const tokens = { cluster: [] as string[], baseline: [] as string[] };
    for (let i = 0; i < tokenCount; i++) {
      tokens.cluster.push(await cluster.token('cluster', `watcher-${i}`, [LATENCY_COMMUNITY]));
      tokens.baseline.push(await cluster.token('baseline', `watcher-${i}`, [LATENCY_COMMUNITY]));
    }
    for (let i = 0; i < CLIENT_PROCESSES; i++) clients.push(ClientProcess.start());

    // (a) latency, cluster and baseline in alternating rounds, the same watcher processes.
    log(`(a) connecting ${WATCHERS} watchers to the cluster and ${WATCHERS} to the baseline`);
    const perProcess = Math.ceil(WATCHERS / CLIENT_PROCESSES);
    for (const [set, urls, list] of [
      ['cluster', cluster.urls, tokens.cluster],
      ['baseline', [cluster.baseline!.url], tokens.baseline],
    ] as const) {
      await Promise.all(
        clients.map((c, i) =>
          c.request({
            type: 'watch',
            set,
            urls,
            doc: LATENCY_DOC,
            tokens: list,
            count: Math.min(perProcess, WATCHERS - i * perProcess),
            offset: i * perProcess,
          }),
        ),
      );
    }
    const clusterWriter = provider(cluster.urls[0]!, LATENCY_DOC, tokens.cluster[0]!);
    const baselineWriter = provider(cluster.baseline!.url, LATENCY_DOC, tokens.baseline[0]!);
    cleanups.push(
      () => clusterWriter.destroy(),
      () => baselineWriter.destroy(),
    );
    await Promise.all([whenSynced(clusterWriter), whenSynced(baselineWriter)]);
    const clusterRounds: LatencyRound[] = [];
    const baselineRounds: LatencyRound[] = [];
    for (let r = 0; r < RUNS; r++) {
      log(`(a) round ${r + 1} of ${RUNS}: cluster`);
      clusterRounds.push(await latencyRound(clients, 'cluster', clusterWriter, WATCHERS));
      log(`(a) round ${r + 1} of ${RUNS}: baseline`);
      baselineRounds.push(await latencyRound(clients, 'baseline', baselineWriter, WATCHERS));
    }
    await Promise.all(clients.map((c) => c.request({ type: 'unwatch', set: 'baseline' })));
    figures.p99_ms = spread(clusterRounds.map((r) => r.p99)).median;
    figures.baseline_p99_ms = spread(baselineRounds.map((r) => r.p99)).median;
    figures.p99_runs_ms = spread(clusterRounds.map((r) => r.p99));
    figures.p99_each_ms = clusterRounds.map((r) => round(r.p99));
    figures.baseline_p99_each_ms = baselineRounds.map((r) => round(r.p99));
    figures.baseline_p99_runs_ms = spread(baselineRounds.map((r) => r.p99));
    figures.p50_ms = spread(clusterRounds.map((r) => r.p50)).median;
    figures.baseline_p50_ms = spread(baselineRounds.map((r) => r.p50)).median;
    figures.latency_received_of_expected = [
      clusterRounds.reduce((n, r) => n + r.received, 0),
      clusterRounds.reduce((n, r) => n + r.expected, 0),
    ];
    figures.baseline_received_of_expected = [
      baselineRounds.reduce((n, r) => n + r.received, 0),
      baselineRounds.reduce((n, r) => n + r.expected, 0),
    ];
    log(
      `(a) p99 cluster ${JSON.stringify(figures.p99_runs_ms)}, baseline ${JSON.stringify(figures.baseline_p99_runs_ms)}`,
    );

    const storage = await PostgresStorage.open(cluster.postgres.url, { poolSize: 2 });
    cleanups.push(() => storage.close());
    if (process.env.BENCH_SKIP_COMPACTION === '1') {
      figures.p99_during_compaction_ms = null;
      figures.compaction_skipped = true;
      await Promise.all(clients.map((c) => c.request({ type: 'unwatch', set: 'cluster' })));
    } else {
      // (b) the same with 20k-resident registries held by every node and folded during each round.
      log(`(b) generating a registry of ${RESIDENTS} residents (demo generator)`);
      const registryUpdate = Y.encodeStateAsUpdate(generateDemoCommunity(20261201, { residents: RESIDENTS }).doc);
      const registryDocs = REGISTRY_COMMUNITIES.map((c) => `${c}/registry`);
      for (const doc of registryDocs) await storage.append(doc, registryUpdate, { jti: 'bench-seed', user: 'bench' });
      const registryToken = await cluster.token('cluster', 'registrar', REGISTRY_COMMUNITIES);
      log('(b) loading the registries on every node');
      const holders: RawClient[] = [];
      for (const doc of registryDocs) {
        for (const url of cluster.urls) holders.push(await RawClient.open(url, doc, registryToken));
      }
      const churners = await Promise.all(
        registryDocs.map((doc, k) => RawClient.open(cluster.urls[k % NODES]!, doc, registryToken)),
      );
      cleanups.push(() => {
        for (const c of [...holders, ...churners]) c.close();
      });
      const churnDocs = churners.map(() => new Y.Doc());
      const churnPerRound = COMPACT_AFTER + 20;
      let churning = false;
      const churn = async (): Promise<void> => {
        const start = performance.now();
        for (let i = 0; i < churnPerRound && churning; i++) {
          const wait = start + (i * (SECONDS * 1000)) / churnPerRound - performance.now();
          if (wait > 0) await sleep(wait);
          churnDocs.forEach((doc, k) => {
            const before = Y.encodeStateVector(doc);
            doc.getMap<string>('benchChurn').set(`k${i % 100}`, `change ${i}`);
            churners[k]!.sendUpdate(Y.encodeStateAsUpdate(doc, before));
          });
        }
      };
      const compactionsBefore = await cluster.metric('sync_compactions_total');
      const compactionRounds: LatencyRound[] = [];
      const postgresView = samplePostgres(storage.pool, 500);
      const roundsFrom = Date.now();
      const compactionStarts: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        log(`(b) round ${r + 1} of ${RUNS}: cluster with registry compactions`);
        compactionStarts.push(Date.now());
        churning = true;
        const churned = churn();
        const figuresOfRound = await latencyRound(clients, 'cluster', clusterWriter, WATCHERS);
        compactionRounds.push(figuresOfRound);
        churning = false;
        await churned;
        // Without waiting (the rounds follow each other as before): the last round's stragglers are waited for below.
        await lateAndLost(clients, 'cluster', clusterWriter, figuresOfRound, r === RUNS - 1 ? LATE_WAIT_MS : 0);
        log(
          `(b) round ${r + 1}: p99 ${round(figuresOfRound.p99)} ms, received ${figuresOfRound.received}, by node ` +
            `${JSON.stringify(figuresOfRound.byServer)}, late ${JSON.stringify(figuresOfRound.late)}, ` +
            `behind ${JSON.stringify(figuresOfRound.behind)}`,
        );
      }
      figures.compaction_postgres = postgresView();
      // Where each node's event loop stalled: seconds after the first round began, and for how long.
      figures.compaction_node_stalls = stallsOf(cluster, roundsFrom, Date.now());
      // Each node's folds: when each ended (seconds after the first round began) and how long it took (ms).
      figures.compaction_folds_by_node = cluster.nodes.map((node) =>
        (node.process?.logs ?? [])
          .filter((line) => line.msg === 'log compacted' && Number(line.time) >= roundsFrom)
          .map((line) => [round((Number(line.time) - roundsFrom) / 1000), Number(line.ms)]),
      );
      figures.compaction_round_starts_s = compactionStarts.map((at) => round((at - roundsFrom) / 1000));
      // Each node's slow appends (relay.ts SLOW_APPEND_MS): how many, and the five slowest batches, where their time went.
      figures.compaction_slow_appends = cluster.nodes.map((node) => {
        const slow = (node.process?.logs ?? []).filter(
          (line) => line.msg === 'slow append' && Number(line.time) >= roundsFrom,
        );
        // One line per append: a batch's appends share its parts, so one of each batch is shown.
        const batches = new Map(slow.map((line) => [JSON.stringify([line.writeMs, line.commitMs, line.batch]), line]));
        const slowest = [...batches.values()].sort((a, b) => Number(b.ms) - Number(a.ms)).slice(0, 5);
        return {
          count: slow.length,
          slowest: slowest.map((line) => ({
            s: round((Number(line.time) - roundsFrom) / 1000),
            ...Object.fromEntries(
              ['doc', 'ms', 'queuedMs', 'connectMs', 'writeMs', 'commitMs', 'afterCommitMs', 'xaddMs', 'batch'].map(
                (key) => [key, line[key]],
              ),
            ),
          })),
        };
      });
      // The nodes may still be working through the churn: wait (up to a minute) for its compactions to be counted.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if ((await cluster.metric('sync_compactions_total')) - compactionsBefore >= RUNS * REGISTRIES) break;
        await sleep(1_000);
      }
      const compactions = (await cluster.metric('sync_compactions_total')) - compactionsBefore;
      figures.compaction_updates_refused = await cluster.metricsMatching('sync_updates_refused_total');
      figures.p99_during_compaction_ms = spread(compactionRounds.map((r) => r.p99)).median;
      figures.p99_during_compaction_runs_ms = spread(compactionRounds.map((r) => r.p99));
      figures.p99_during_compaction_each_ms = compactionRounds.map((r) => round(r.p99));
      figures.compaction_received_each = compactionRounds.map((r) => r.received);
      figures.compaction_by_node_each = compactionRounds.map((r) => r.byServer);
      figures.compaction_late_each = compactionRounds.map((r) => r.late);
      figures.compaction_behind_each = compactionRounds.map((r) => r.behind);
      figures.compaction_received_of_expected = [
        compactionRounds.reduce((n, r) => n + r.received, 0),
        compactionRounds.reduce((n, r) => n + r.expected, 0),
      ];
      figures.compactions_during = compactions;
      figures.churn_updates_per_registry_per_round = churnPerRound;
      figures.registry_residents = RESIDENTS;
      figures.registries = REGISTRIES;
      figures.node_rss_mb_after_compaction = cluster.rssMb();
      log(`(b) p99 ${JSON.stringify(figures.p99_during_compaction_runs_ms)}, ${compactions} compactions`);
      for (const c of [...holders, ...churners]) c.close();
      await Promise.all(clients.map((c) => c.request({ type: 'unwatch', set: 'cluster' })));
      reportNodeLogs(cluster, '(a)-(b)');
      if (PROBE) {
        // Stopped cleanly (a node started with BENCH_CPU_PROF_DIR writes its CPU profile on exit); (c)-(e) left out.
        for (const node of cluster.nodes) await cluster.stopNode(node, 'SIGTERM');
        throw new ProbeDone();
      }
    }
    // Fresh nodes for the storm: the registries of (b) would make its first stop a long one (each is folded on the
    // way out). Everything is in PostgreSQL.
    await Promise.all(cluster.nodes.map((node) => cluster.stopNode(node, 'SIGKILL')));
    for (const node of cluster.nodes) await cluster.startNode(node);

    // (c) restart storm.
    log(`(c) connecting ${STORM_DEVICES} devices × ${STORM_DOCS} documents`);
    const communityTokens = new Map<string, string>();
    for (const c of stormCommunities) communityTokens.set(c, await cluster.token('cluster', `device-${c}`, [c]));
    const specs = Array.from({ length: STORM_DEVICES }, (_, d) => {
      const community = stormCommunities[Math.floor(d / DEVICES_PER_COMMUNITY)]!;
      return {
        id: d,
        url: cluster.urls[d % NODES]!,
        token: communityTokens.get(community)!,
        docs: STORM_DOC_NAMES.map((name) => `${community}/${name}`),
        seed: d % DEVICES_PER_COMMUNITY === 0,
      };
    });
    const connectStarted = performance.now();
    await Promise.all(
      clients.map((c, i) => c.request({ type: 'devices', devices: specs.filter((s) => s.id % clients.length === i) })),
    );
    figures.storm_connect_initial_ms = Math.round(performance.now() - connectStarted);
    await sleep(3_000);
    const stormDocs = stormCommunities.flatMap((c) => STORM_DOC_NAMES.map((name) => `${c}/${name}`));
    figures.storm_devices = STORM_DEVICES;
    figures.storm_docs_per_device = STORM_DOCS;
    figures.storm_documents = stormDocs.length;
    figures.storm_connections = STORM_DEVICES * STORM_DOCS;
    const stormRuns: number[] = [];
    const stormFromStop: number[] = [];
    const stormNotCurrent: number[] = [];
    const stormDown: number[] = [];
    const stormServedP99: number[] = [];
    const stormServedMax: number[] = [];
    const stormCurve: number[][] = [];
    const markerUpdate = (marker: string): Uint8Array => {
      const doc = new Y.Doc();
      // A key of its own: two markers set by two fresh clients would be concurrent, and the older could win.
      doc.getMap('storm').set(marker, true);
      return Y.encodeStateAsUpdate(doc);
    };
    for (let run = 0; run < STORMS; run++) {
      log(`(c) storm ${run + 1} of ${STORMS}: stopping the three nodes`);
      const stoppedAt = now();
      await Promise.all(cluster.nodes.map((node) => cluster.stopNode(node, 'SIGTERM')));
      const marker = `storm-${run}-${Date.now()}`;
      const update = markerUpdate(marker);
      await Promise.all(stormDocs.map((doc) => storage.append(doc, update, { jti: 'bench', user: 'bench' })));
      const storm = Promise.all(
        clients.map((c) =>
          c.request<{ currentAt: (number | null)[]; servedMs: (number | null)[]; notCurrentDocs: number }>({
            type: 'storm',
            marker,
            timeoutMs: 180_000,
          }),
        ),
      );
      log(`(c) storm ${run + 1}: starting the nodes again`);
      await Promise.all(cluster.nodes.map((node) => cluster.startNode(node)));
      const upAt = now();
      stormDown.push(Math.round(upAt - stoppedAt));
      const results = await storm;
      const times = results.flatMap((r) => r.currentAt);
      const notCurrent = results.reduce((n, r) => n + r.notCurrentDocs, 0);
      const last = Math.max(...times.map((t) => t ?? Infinity));
      stormRuns.push(Math.round(last - upAt));
      // How the devices came back over time (a throughput limit is a straight line, a backoff a long tail).
      const after = times.map((t) => (t ?? Infinity) - upAt).sort((a, b) => a - b);
      stormCurve.push([10, 25, 50, 75, 90, 99].map((q) => Math.round(percentile(after, q))));
      stormFromStop.push(Math.round(last - stoppedAt));
      stormNotCurrent.push(notCurrent);
      const served = results
        .flatMap((r) => r.servedMs)
        .map((t) => t ?? Infinity)
        .sort((a, b) => a - b);
      stormServedP99.push(Math.round(percentile(served, 99)));
      stormServedMax.push(Math.round(served[served.length - 1] ?? NaN));
      log(
        `(c) storm ${run + 1}: all current ${Math.round(last - upAt)} ms after the nodes listened; ${notCurrent} documents not current; ` +
          `devices current (p10/25/50/75/90/99 ms after listening) ${JSON.stringify(stormCurve[stormCurve.length - 1])}`,
      );
    }
    figures.storm_all_current_ms = spread(stormRuns, 0).median;
    figures.storm_all_current_runs_ms = spread(stormRuns, 0);
    figures.storm_from_stop_ms = spread(stormFromStop, 0);
    figures.storm_docs_not_current = stormNotCurrent;
    figures.storm_nodes_down_ms = stormDown;
    figures.storm_served_p99_ms = stormServedP99;
    figures.storm_current_p10_25_50_75_90_99_ms = stormCurve;
    figures.storm_served_max_ms = stormServedMax;
    figures.storm_closes_by_code = await cluster.metricsMatching('sync_connections_closed_total');

    // (d) kill -9 of the writer's node, the devices still connected.
    const killToken = await cluster.token('cluster', 'kill-writer', [LATENCY_COMMUNITY]);
    const balancer = await Balancer.start(() =>
      cluster.nodes.filter((node) => node.process !== null).map((node) => node.port),
    );
    cleanups.push(() => balancer.close());
    const lost: number[] = [];
    const recovered: number[] = [];
    for (let run = 0; run < KILL_RUNS; run++) {
      const [first, second] = cluster.nodes;
      if (first?.process == null || second?.process == null) throw new Error('nodes missing');
      log(`(d) kill ${run + 1} of ${KILL_RUNS}`);
      const writer = provider(balancer.url, KILL_DOC, killToken);
      const acks = peekAcks(writer);
      const reader = provider(cluster.url(second), KILL_DOC, killToken);
      await Promise.all([whenSynced(writer), whenSynced(reader)]);
      const entries = writer.doc.getMap<number>('kill');
      let written = 0;
      const timer = setInterval(() => entries.set(`r${run}-${written}`, written++), 20);
      try {
        const base = ackedClock(acks, writer.doc.clientID);
        await waitFor(() => ackedClock(acks, writer.doc.clientID) >= base + 30, 20_000, 'thirty acknowledged writes');
        balancer.pause(true);
        await cluster.stopNode(first, 'SIGKILL');
        const killedAt = performance.now();
        const acknowledged = ackedClock(acks, writer.doc.clientID);
        const writtenAtKill = Y.decodeStateVector(Y.encodeStateVector(writer.doc)).get(writer.doc.clientID) ?? 0;
        const stored = await storage.load(KILL_DOC);
        const storedDoc = new Y.Doc();
        for (const u of stored.updates) Y.applyUpdate(storedDoc, u);
        const storedClock = Y.decodeStateVector(Y.encodeStateVector(storedDoc)).get(writer.doc.clientID) ?? 0;
        lost.push(Math.max(0, acknowledged - storedClock));
        balancer.pause(false);
        const readerClock = (): number =>
          Y.decodeStateVector(Y.encodeStateVector(reader.doc)).get(writer.doc.clientID) ?? 0;
        await waitFor(() => readerClock() >= writtenAtKill, 30_000, "the writer's updates on node 2");
        clearInterval(timer);
        const finalClock = Y.decodeStateVector(Y.encodeStateVector(writer.doc)).get(writer.doc.clientID) ?? 0;
        await waitFor(() => writer.synced && readerClock() >= finalClock, 30_000, 'every write on node 2');
        recovered.push(Math.round(performance.now() - killedAt));
        log(`(d) kill ${run + 1}: lost ${lost[lost.length - 1]}, current after ${recovered[recovered.length - 1]} ms`);
      } finally {
        clearInterval(timer);
        writer.destroy();
        reader.destroy();
      }
      await cluster.startNode(first);
      await sleep(3_000);
    }
    figures.node_kill_lost_acknowledged = lost.reduce((a, b) => a + b, 0);
    figures.node_kill_recovered_ms = spread(recovered, 0).median;
    figures.node_kill_recovered_runs_ms = spread(recovered, 0);
    figures.node_kill_runs = KILL_RUNS;

    // (e) Redis restarted while the nodes hold the storm's documents.
    log('(e) waiting for the devices to be back on every node');
    await waitFor(
      async () => {
        const counts = await Promise.all(
          clients.map((c) => c.request<{ devices: number; connected: number }>({ type: 'counts' })),
        );
        return counts.reduce((n, c) => n + c.connected, 0) === STORM_DEVICES * STORM_DOCS;
      },
      120_000,
      'every device connection',
    );
    const held = await Promise.all(
      cluster.nodes.map(async (n) => (await n.process!.metrics()).get('sync_documents_loaded') ?? 0),
    );
    log(`(e) nodes hold ${held.join(', ')} documents; restarting Redis`);
    await cluster.redis.stop();
    const marker = `redis-${Date.now()}`;
    const update = Buffer.from(markerUpdate(marker));
    // Into the log only, as if published just before Redis went away: not stamped, so reconciliation does not see it.
    await storage.pool.query(
      'INSERT INTO doc_updates (doc, data, created_at) SELECT d, $2, $3 FROM unnest($1::text[]) AS d',
      [stormDocs, update, Date.now()],
    );
    const redisWatch = Promise.all(
      clients.map((c) =>
        c.request<{ currentAt: (number | null)[]; notCurrentDocs: number }>({
          type: 'storm',
          marker,
          timeoutMs: 120_000,
        }),
      ),
    );
    await sleep(2_000);
    await cluster.redis.start();
    const redisBackAt = now();
    const redisResults = await redisWatch;
    const redisLast = Math.max(...redisResults.flatMap((r) => r.currentAt).map((t) => t ?? Infinity));
    figures.redis_restart_docs_held_per_node = held;
    const redisMs = Math.round(redisLast - redisBackAt);
    figures.redis_restart_all_current_ms = redisMs;
    figures.redis_restart_docs_not_current = redisResults.reduce((n, r) => n + r.notCurrentDocs, 0);
    log(`(e) all current ${redisMs} ms after Redis answered`);
    reportNodeLogs(cluster, '(c)-(e)');
  } catch (error) {
    if (error instanceof ProbeDone) figures.probe = 'stopped after (b)';
    else {
      failure = error;
      figures.error = (error as Error).message;
      // What the nodes said before the failure (a node that stalled or died says why here).
      reportNodeLogs(cluster, 'failure');
      for (const node of cluster.nodes) {
        const exit = node.process?.child.exitCode ?? node.process?.child.signalCode ?? null;
        if (exit !== null) log(`failure: node ${node.index + 1} had exited (${String(exit)})`);
      }
    }
  } finally {
    clearInterval(sampleLoad);
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    for (const c of clients) c.child.kill('SIGKILL');
    await cluster.destroy();
  }
  figures.runs = RUNS;
  figures.load_avg = loadavg().map((l) => round(l, 2));
  figures.load_avg_1m_during = spread(loads, 2);
  figures.machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  figures.seconds = Math.round((Date.now() - started) / 1000);
  console.log(JSON.stringify(figures));
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error('bench:cluster failed');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
