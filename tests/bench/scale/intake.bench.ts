/**
 * Seconds to write a year's cases through `intakeCase` into one document, as bench:scale seeds them (`scaleCases`:
 * UUIDs, parties from the registry, one case in 20 with a photo kept in the document). Each intake numbers the new
 * case: before the numbering read only the numbers (shared/domain/mediation/numberIndex.ts) it read every case of
 * the year, and 10,000 cases did not finish in 5 minutes (docs/bench-scale.md, "Intake numbering").
 *
 *   npx tsx tests/bench/scale/intake.bench.ts
 *
 * BENCH_INTAKES: the sizes, comma-separated (default 2000,10000); BENCH_RUNS: runs per size (default 5), the sizes
 * alternating within a run. Checks that the cases are numbered 1…n, each number once (one device numbering). Prints
 * min / median / max seconds per size with the load average (1 min) before and after each run; one JSON line on
 * stdout.
 */
import { cpus } from 'node:os';
import { listCases } from '@shared/ydoc/cases';
import { load1, spread, type Spread } from '../stats';
import { scaleCases, scaleRegistry } from './data';

const SIZES = (process.env.BENCH_INTAKES ?? '2000,10000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function log(message: string): void {
  process.stderr.write(`[bench:intake ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const registry = scaleRegistry(20261202, 2000, log);
const seconds = new Map<number, number[]>();
const loads: [number, number][] = [];
for (let run = 1; run <= RUNS; run++) {
  const before = load1();
  for (const size of SIZES) {
    const t0 = performance.now();
    const cases = scaleCases(size, registry);
    const s = (performance.now() - t0) / 1000;
    seconds.set(size, [...(seconds.get(size) ?? []), s]);
    const numbers = listCases(cases)
      .map((c) => c.number)
      .sort((a, b) => a - b);
    if (numbers.length !== size || numbers.some((n, i) => n !== i + 1)) {
      throw new Error(`${size} intakes are not numbered 1…${size}`);
    }
    cases.destroy();
    log(`run ${run}: ${size} intakes in ${s.toFixed(2)} s, numbered 1…${size} (load ${load1()})`);
  }
  loads.push([before, load1()]);
}
const summary: Record<string, unknown> = {};
for (const [size, values] of seconds) summary[`intake_${size}_s`] = spread(values, 2) satisfies Spread;
summary.runs = RUNS;
summary.load = loads;
summary.cpus = cpus().length;
console.log(JSON.stringify(summary));
