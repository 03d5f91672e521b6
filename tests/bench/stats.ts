/**
 * Figures over several runs for the benches (store, sync, scale): min / median / max, percentiles, the machine's load
 * average. Every bench that prints a figure "over N runs" prints it through these, so the same words mean the same
 * arithmetic in every report (docs/bench-scale.md).
 */
import { loadavg } from 'node:os';

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function spread(values: readonly number[], digits = 1): Spread {
  return {
    min: round(Math.min(...values), digits),
    median: round(median(values), digits),
    max: round(Math.max(...values), digits),
  };
}

/** The p-th percentile by nearest rank (p95 of 20 values is the 19th smallest). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

export function round(value: number, digits = 0): number {
  return Number(value.toFixed(digits));
}

/** The 1-minute load average, two decimals. */
export function load1(): number {
  return round(loadavg()[0] ?? 0, 2);
}
