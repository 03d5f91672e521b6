/**
 * `npm run bench:compaction`: how long the sync server's event loop stalls while it folds the log of a
 * big registry (docs/sync-server.md, "Compaction off the event loop"). One server process on SQLite (default
 * settings, `--compact-after 500`) holds a registry of `BENCH_RESIDENTS` (20,000) residents written by the demo
 * generator, stored as a snapshot with 200 log entries after it; a client writes 520 small updates per round at about
 * 50 a second, so that the log is folded once per round, while `/healthz` is asked every 20 ms: its answer time is the
 * event loop's stall (the server answers it from the loop). `load` is the same probe while the first client's
 * connection loads the registry (read, merged, integrated, answered). Prints one JSON line; numbers are printed,
 * never asserted.
 *
 * `BENCH_POSTGRES=1` runs the server on a private PostgreSQL (tests/integration/cluster/engines.ts) instead of SQLite.
 * `BENCH_MASKED=made`: once the registry is loaded, a viewer asks for its masked copy, which the server makes then
 * (`masked` is the probe while that viewer syncs); `BENCH_MASKED=stored`: a masked copy in line with the registry is
 * stored beside it, so the first load loads it too and brings it in line (docs/sync-server.md, masked copies).
 * `SERVER_ROOT=<folder>` runs the server of another checkout (e.g. the previous commit's `sync-server/` and `shared/`
 * extracted with `git archive`, `node_modules` linked) against the same load: before and after.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { reconcileMasked } from '@shared/ydoc/registryMasked';
import { runAdmin } from '../../sync-server/admin';
import { DB_FILE } from '../../sync-server/auth';
import { SqliteStorage } from '../../sync-server/storage/sqlite';
import { PostgresStorage } from '../../sync-server/storage/postgres';
import { SERVER_STAMP } from '../../sync-server/storage/types';
import { PostgresEngine } from '../integration/cluster/engines';

const ROOT = resolve(import.meta.dirname, '../..');
const SERVER_ROOT = resolve(process.env.SERVER_ROOT ?? ROOT);
const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const UPDATES_PER_ROUND = 520;
const COMMUNITY = 'bench-compaction';
const REGISTRY = `${COMMUNITY}/registry`;
const POSTGRES = process.env.BENCH_POSTGRES === '1';
const MASKED =
  process.env.BENCH_MASKED === 'made' || process.env.BENCH_MASKED === 'stored' ? process.env.BENCH_MASKED : null;
const MASKED_DOC = `${COMMUNITY}/registry-masked`;
/** Log entries stored after the registry's snapshot before the server starts: its load merges them. */
const LOG_AT_LOAD = 200;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

async function main(): Promise<void> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'bench-compaction-'));
  const loads: number[] = [];
  const engine = POSTGRES ? await PostgresEngine.create() : null;
  try {
    const engineArgs = engine === null ? [] : ['--postgres', engine.url];
    await runAdmin(
      ['--data', dir, ...engineArgs, 'community', 'add', COMMUNITY, '--name', '基准社区'],
      () => undefined,
    );
    const issued: string[] = [];
    await runAdmin(
      ['--data', dir, ...engineArgs, 'token', 'issue', '--user', 'bench', '--community', COMMUNITY, '--role', 'editor'],
      (line) => issued.push(line),
    );
    const token = issued[issued.length - 1] ?? '';
    const viewerIssued: string[] = [];
    await runAdmin(
      [
        '--data',
        dir,
        ...engineArgs,
        'token',
        'issue',
        '--user',
        'viewer',
        '--community',
        COMMUNITY,
        '--role',
        'viewer',
      ],
      (line) => viewerIssued.push(line),
    );
    const viewerToken = viewerIssued[viewerIssued.length - 1] ?? '';
    const generated = generateDemoCommunity(3, { residents: RESIDENTS });
    const seed = Y.encodeStateAsUpdate(generated.doc);
    generated.doc.destroy();
    // Stored as a server finds it after a restart: the registry folded into a snapshot, and a log after it.
    const store = engine === null ? new SqliteStorage(join(dir, DB_FILE)) : await PostgresStorage.open(engine.url);
    await store.compact(REGISTRY, seed, await store.append(REGISTRY, seed, SERVER_STAMP));
    const writer = new Y.Doc();
    for (let i = 0; i < LOG_AT_LOAD; i++) {
      const before = Y.encodeStateVector(writer);
      writer.getMap<number>('benchLog').set(`k${i}`, i);
      await store.append(REGISTRY, Y.encodeStateAsUpdate(writer, before), SERVER_STAMP);
    }
    writer.destroy();
    if (MASKED === 'stored') {
      // The copy as a server writes it (in line with the registry, log included), stored as its snapshot.
      const registry = new Y.Doc();
      Y.applyUpdate(registry, Y.mergeUpdates((await store.load(REGISTRY)).updates));
      const copy = new Y.Doc();
      reconcileMasked(registry, copy, 'bench');
      const state = Y.encodeStateAsUpdate(copy);
      await store.compact(MASKED_DOC, state, await store.append(MASKED_DOC, state, SERVER_STAMP));
      registry.destroy();
      copy.destroy();
    }
    await store.close();

    const child = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF] : []),
        '--import',
        'tsx',
        'sync-server/main.ts',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--data',
        dir,
        ...engineArgs,
      ],
      { cwd: SERVER_ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SYNC_COMPACT_AFTER: '500' } },
    );
    const port = await new Promise<number>((resolvePort, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const match = /"port":(\d+)/.exec(buffer);
        if (match?.[1] !== undefined && buffer.includes('listening')) resolvePort(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    // The server's warnings and errors, on stderr.
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (/"level":[56]0/.test(line)) console.error(line);
    });
    const metric = async (name: string): Promise<number> => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      let sum = 0;
      for (const line of text.split('\n')) if (line.startsWith(name)) sum += Number(line.slice(line.lastIndexOf(' ')));
      return sum;
    };

    /** `/healthz` every 20 ms while `work` runs: its answer times (the event loop's stalls), in ms. */
    const probeDuring = async (work: Promise<unknown>): Promise<number[]> => {
      const state = { running: true };
      const probes: number[] = [];
      const probing = (async () => {
        while (state.running) {
          const t = performance.now();
          await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.text());
          probes.push(performance.now() - t);
          await sleep(20);
        }
      })();
      await work.finally(() => (state.running = false));
      await probing;
      return probes;
    };

    // The first client loads the registry (snapshot, log, the answer): the stall of a load.
    const loadStarted = performance.now();
    const provider = new WebsocketProvider(`ws://127.0.0.1:${port}`, REGISTRY, new Y.Doc(), {
      params: { token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    const loadProbes = await probeDuring(new Promise<void>((r) => provider.once('sync', () => r())));
    const loadMs = Math.round(performance.now() - loadStarted);
    const loadAvgAtLoad = loadavg()[0] ?? 0;
    // A viewer asks for the masked copy: made now (BENCH_MASKED=made), or loaded with the registry already (stored).
    let masked: { ms: number; healthz_max_ms: number; probes: number; load_avg_1m: number } | null = null;
    let viewer: WebsocketProvider | null = null;
    if (MASKED !== null) {
      const maskedStarted = performance.now();
      const one = new WebsocketProvider(`ws://127.0.0.1:${port}`, MASKED_DOC, new Y.Doc(), {
        params: { token: viewerToken },
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      });
      viewer = one;
      const probes = await probeDuring(new Promise<void>((r) => one.once('sync', () => r())));
      masked = {
        ms: Math.round(performance.now() - maskedStarted),
        healthz_max_ms: Math.round(Math.max(...probes)),
        probes: probes.length,
        load_avg_1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
      };
    }
    const notes = provider.doc.getMap<number>('benchNotes');
    const compactionsBefore = await metric('sync_compactions_total');

    const rounds: { p50: number; p99: number; max: number; probes: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const state = { writing: true };
      const probes: number[] = [];
      const probing = (async () => {
        while (state.writing) {
          const t = performance.now();
          await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.text());
          probes.push(performance.now() - t);
          await sleep(20);
        }
      })();
      for (let i = 0; i < UPDATES_PER_ROUND; i++) {
        notes.set(`r${round}-${i}`, i);
        await sleep(20);
      }
      await sleep(3_000); // the fold of the round's 500th update, and the stall it causes, fall in the round
      state.writing = false;
      await probing;
      loads.push(loadavg()[0] ?? 0);
      const sorted = [...probes].sort((a, b) => a - b);
      const round1 = (x: number): number => Math.round(x * 10) / 10;
      rounds.push({
        p50: round1(quantile(sorted, 0.5)),
        p99: round1(quantile(sorted, 0.99)),
        max: round1(sorted[sorted.length - 1] ?? Number.NaN),
        probes: sorted.length,
      });
    }
    const compactions = (await metric('sync_compactions_total')) - compactionsBefore;
    const byWorker = await metric('sync_compaction_encodes_total{by="worker"}');
    // The documents too: a provider's awareness keeps a timer holding its document until the document is destroyed.
    provider.destroy();
    provider.doc.destroy();
    viewer?.destroy();
    viewer?.doc.destroy();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const maxes = rounds.map((r) => r.max).sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        server: SERVER_ROOT === ROOT ? 'this checkout' : SERVER_ROOT,
        engine: engine === null ? 'sqlite' : 'postgres',
        residents: RESIDENTS,
        seed_bytes: seed.byteLength,
        compactions,
        encodes_by_worker: byWorker,
        load: {
          log_entries: LOG_AT_LOAD,
          ms: loadMs,
          healthz_max_ms: Math.round(Math.max(...loadProbes)),
          probes: loadProbes.length,
          load_avg_1m: Math.round(loadAvgAtLoad * 100) / 100,
        },
        masked_copy: MASKED,
        masked,
        healthz_max_ms: { min: maxes[0], median: quantile(maxes, 0.5), max: maxes[maxes.length - 1] },
        rounds,
        load_avg_1m: loads.map((l) => Math.round(l * 100) / 100),
        machine: `${cpus().length} × ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ')}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
        seconds: Math.round((Date.now() - started) / 1000),
      }),
    );
  } finally {
    await engine?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
