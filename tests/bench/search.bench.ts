/**
 * `npm run bench:search`: resident search as a keystroke asks it, the pass over everyone (the store before issue 22)
 * against `ResidentSearchIndex` (shared/domain/registry/searchIndex.ts), in Node, over 20,000 and 100,000 generated
 * residents (tests/unit/shared/domain/registry/searchFixture.ts: UUID ids, names with polyphonic characters, valid ID
 * numbers, mobiles, shared household addresses). Per size and run: the index's build, each keystroke of typical
 * sequences ("z", "zh", "zha"…, an ID tail "0011" and a phone tail "5678" typed a digit at a time, a name) asked as
 * `WorkstationStore.searchResidents` asks it (not deleted, `matchPrepared`, the first 200 and the total), one
 * resident edited at a time, and the heap the index adds. Both answers are compared on every query: a difference
 * stops the benchmark. Prints a table (min / median / max of `BENCH_RUNS` runs, default 5) and one JSON line; numbers
 * are printed, never asserted. `BENCH_SIZES=20000,100000` chooses the sizes.
 *
 * Run with `--expose-gc` (the npm script does) so the heap is read after a collection.
 */
import { cpus, loadavg } from 'node:os';
import { mulberry32 } from '@shared/domain/registry/demo';
import { matchPrepared, prepareQuery, type PreparedQuery, type ResidentMatch } from '@shared/domain/registry/search';
import { ResidentSearchIndex } from '@shared/domain/registry/searchIndex';
import { residentGenerator, type GeneratedResident } from '../unit/shared/domain/registry/searchFixture';

const SIZES = (process.env.BENCH_SIZES ?? '20000,100000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LIMIT = 200;
const EDITS = 1000;
/** Each keystroke sequence is typed this many times per run (the p50/p95 are over all keystrokes of a run). */
const REPEATS = 3;

const typed = (word: string) => Array.from(word, (_, i) => word.slice(0, i + 1));
const SEQUENCES = [
  ...typed('zhang'),
  ...typed('wangwei'),
  ...typed('zs'),
  ...typed('0011'),
  ...typed('5678'),
  ...typed('张伟'),
  ...typed('3栋2单元'),
];

const gc = (globalThis as { gc?: () => void }).gc;
function heapMiB(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const round1 = (n: number) => Math.round(n * 10) / 10;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

interface Answer {
  hits: [string, ResidentMatch | null][];
  total: number;
}

/** The loop of `WorkstationStore.searchResidents` before the index (no filter): `matchPrepared` over everyone. */
function scanAnswer(rows: ReadonlyMap<string, GeneratedResident>, prepared: PreparedQuery): Answer {
  const hits: [string, ResidentMatch][] = [];
  let total = 0;
  for (const row of rows.values()) {
    if (row.deleted) continue;
    const match = matchPrepared(row.keys, prepared);
    if (match === null) continue;
    total += 1;
    if (hits.length < LIMIT) hits.push([row.id, match]);
  }
  return { hits, total };
}

/** Its loop now: the index's matches, `matchPrepared` naming the kind of the rows listed. */
function indexAnswer(index: ResidentSearchIndex<GeneratedResident>, prepared: PreparedQuery): Answer {
  const hits: [string, ResidentMatch | null][] = [];
  let total = 0;
  for (const row of index.matches(prepared)) {
    if (row.deleted) continue;
    total += 1;
    if (hits.length < LIMIT) hits.push([row.id, matchPrepared(row.keys, prepared)]);
  }
  return { hits, total };
}

interface RunFigures {
  build_ms: number;
  scan_p50_ms: number;
  scan_p95_ms: number;
  index_p50_ms: number;
  index_p95_ms: number;
  index_max_ms: number;
  update_mean_ms: number;
  update_p95_ms: number;
  index_heap_mb: number;
}

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
}

function run(rows: readonly GeneratedResident[], runNo: number): RunFigures {
  const map = new Map(rows.map((row) => [row.id, row]));
  const withRows = heapMiB();
  const [index, build] = timed(() => new ResidentSearchIndex(rows));
  const withIndex = heapMiB();

  const scanTimes: number[] = [];
  const indexTimes: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const query of SEQUENCES) {
      const prepared = prepareQuery(query);
      const [scanned, scanMs] = timed(() => scanAnswer(map, prepared));
      const [found, indexMs] = timed(() => indexAnswer(index, prepared));
      scanTimes.push(scanMs);
      indexTimes.push(indexMs);
      if (JSON.stringify(found) !== JSON.stringify(scanned)) {
        throw new Error(`the index answers "${query}" differently from the scan (${found.total} / ${scanned.total})`);
      }
    }
  }

  // Edits arriving one at a time (as a sync brings them): each a new row object with new keys for one resident.
  const generate = residentGenerator(1000 + runNo);
  const next = mulberry32(runNo);
  const updates: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const row = rows[Math.floor(next() * rows.length)] as GeneratedResident;
    const edited = generate.edited(row);
    const [, ms] = timed(() => {
      map.set(edited.id, edited);
      index.set(edited);
    });
    updates.push(ms);
  }
  const check = prepareQuery('zh');
  if (JSON.stringify(indexAnswer(index, check)) !== JSON.stringify(scanAnswer(map, check))) {
    throw new Error('the index differs from the scan after the edits');
  }
  const figures: RunFigures = {
    build_ms: round1(build),
    scan_p50_ms: round3(quantile(scanTimes, 0.5)),
    scan_p95_ms: round3(quantile(scanTimes, 0.95)),
    index_p50_ms: round3(quantile(indexTimes, 0.5)),
    index_p95_ms: round3(quantile(indexTimes, 0.95)),
    index_max_ms: round3(Math.max(...indexTimes)),
    update_mean_ms: round3(updates.reduce((a, b) => a + b, 0) / updates.length),
    update_p95_ms: round3(quantile(updates, 0.95)),
    index_heap_mb: round1(withIndex - withRows),
  };
  // Keep both alive until measured.
  if (map.size !== index.size) throw new Error('sizes differ');
  return figures;
}

function slowestKeystrokes(rows: readonly GeneratedResident[]): string {
  const index = new ResidentSearchIndex(rows);
  const map = new Map(rows.map((row) => [row.id, row]));
  const per = SEQUENCES.map((query) => {
    const prepared = prepareQuery(query);
    const times = Array.from({ length: 5 }, () => timed(() => indexAnswer(index, prepared))[1]);
    const scans = Array.from({ length: 3 }, () => timed(() => scanAnswer(map, prepared))[1]);
    return {
      query,
      ms: quantile(times, 0.5),
      scan: quantile(scans, 0.5),

      total: scanAnswer(map, prepared).total,
    };
  });
  return per
    .map((p) => `  ${p.query.padEnd(8)} index ${p.ms.toFixed(2)} ms (${p.total} match), scan ${p.scan.toFixed(1)} ms`)
    .join('\n');
}

const summary: Record<string, unknown> = { runs: RUNS, cpus: cpus().length, load_start: loadavg().map(round1) };
for (const size of SIZES) {
  const generate = residentGenerator(size);
  const empty = heapMiB();
  const [rows, generated] = timed(() => Array.from({ length: size }, () => generate.resident()));
  summary[`keys_heap_mb_${size}`] = round1(heapMiB() - empty);
  // A few deleted, as a registry has them.
  for (let i = 0; i < rows.length; i += 50) rows[i] = generate.toggledDeleted(rows[i] as GeneratedResident);
  console.log(
    `\n${size} residents (generated with their keys in ${Math.round(generated)} ms, ${String(summary[`keys_heap_mb_${size}`])} MiB of keys), load ${loadavg().map(round1).join(' ')}`,
  );
  const runs: RunFigures[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(run(rows, i));
  console.log('| figure | min | median | max |\n| --- | ---: | ---: | ---: |');
  const keys = Object.keys(runs[0] ?? {}) as (keyof RunFigures)[];
  for (const key of keys) {
    const values = runs.map((r) => r[key]);
    const row = [Math.min(...values), quantile(values, 0.5), Math.max(...values)];
    console.log(`| ${key} | ${row.join(' | ')} |`);
    summary[`${key}_${size}`] = row[1];
  }
  console.log(`keystrokes (median of 5, one index):\n${slowestKeystrokes(rows)}`);
}
summary.load_end = loadavg().map(round1);
console.log(JSON.stringify(summary));
