/**
 * The browser profile of the benches and CPU profiles of the app's main thread (`BENCH_PROFILE=1`, summarised by self
 * time).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from '@playwright/test';

/**
 * Debian's Chromium on a **profile on disk** (a new temporary folder, deleted by `close`), as a person's browser or the
 * desktop app has: an incognito context (`browser.newContext()`) keeps IndexedDB in memory, which flatters every
 * figure that reads or writes the store (docs/bench-store.md, "What each app-start key measures").
 */
export async function openProfileOnDisk(
  prefix: string,
  extraArgs: readonly string[] = [],
): Promise<{ context: BrowserContext; folder: string; close: () => Promise<void> }> {
  const folder = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const context = await chromium.launchPersistentContext(folder, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', ...extraArgs],
  });
  return {
    context,
    folder,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  /** Microseconds on the profiler's clock. */
  startTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** The page's `performance.now()` when each profile started: a sample's time on the page's clock (within a few ms). */
const pageStarts = new WeakMap<CDPSession, number>();

/** Starts a CPU profile of the page when `BENCH_PROFILE` is set; `null` otherwise. */
export async function startProfile(page: Page): Promise<CDPSession | null> {
  if (!process.env.BENCH_PROFILE) return null;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  pageStarts.set(cdp, Number(await page.evaluate('performance.now()')));
  return cdp;
}

/**
 * Stops the profile and prints the functions with the most self time (the 25 largest) to stderr. With `windows`
 * (ms on the page's `performance.now()` clock), also what ran inside each window: where a slow key's time went.
 */
export async function printProfile(
  cdp: CDPSession | null,
  title: string,
  windows: readonly { label: string; from: number; to: number }[] = [],
): Promise<void> {
  if (cdp === null) return;
  const profile = (await cdp.send('Profiler.stop')).profile as CpuProfile;
  printWindows(profile, pageStarts.get(cdp) ?? 0, windows);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const name = (id: number | undefined): string => {
    const frame = id === undefined ? undefined : byId.get(id)?.callFrame;
    return frame
      ? `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}`
      : '(root)';
  };
  // Who calls the functions with the most self time: a native `decode` or `put` says little by itself.
  const callers = new Map<string, Map<string, number>>();
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const frame = byId.get(samples[i] as number)?.callFrame;
    if (!frame) continue;
    const where = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}`;
    self.set(where, (self.get(where) ?? 0) + (deltas[i] ?? 0) / 1000);
    const caller = name(parentOf.get(samples[i] as number));
    const byCaller = callers.get(where) ?? new Map<string, number>();
    byCaller.set(caller, (byCaller.get(caller) ?? 0) + (deltas[i] ?? 0) / 1000);
    callers.set(where, byCaller);
  }
  // And the time inside each function with what it calls (each function counted once per sample): a long task's
  // parts named by the app's own functions, not only by the native ones they end in.
  const total = new Map<string, number>();
  for (let i = 0; i < samples.length; i++) {
    const seen = new Set<string>();
    for (let id: number | undefined = samples[i]; id !== undefined; id = parentOf.get(id)) {
      const where = name(id);
      if (where === '(root)' || seen.has(where)) continue;
      seen.add(where);
      total.set(where, (total.get(where) ?? 0) + (deltas[i] ?? 0) / 1000);
    }
  }
  if (process.env.BENCH_CPU_PROFILE_DIR) {
    const file = join(process.env.BENCH_CPU_PROFILE_DIR, `${title.replace(/[^\w-]+/g, '_')}-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    process.stderr.write(`CPU profile of ${title} written to ${file}\n`);
  }
  process.stderr.write(`CPU profile of ${title}, total time (with callees):\n`);
  for (const [where, ms] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
    process.stderr.write(`  ${ms.toFixed(0).padStart(6)} ms  ${where}\n`);
  }
  process.stderr.write(`CPU profile of ${title}, self time:\n`);
  for (const [where, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    process.stderr.write(`  ${ms.toFixed(0).padStart(6)} ms  ${where}\n`);
    if (!where.endsWith(':0')) continue;
    for (const [caller, callerMs] of [...(callers.get(where) ?? [])].sort((a, b) => b[1] - a[1]).slice(0, 3)) {
      process.stderr.write(`  ${''.padStart(6)}    ${callerMs.toFixed(0).padStart(6)} ms from ${caller}\n`);
    }
  }
}

/** Per window, the app functions (with callees) that held the main thread inside it, largest first. */
function printWindows(
  profile: CpuProfile,
  pageStart: number,
  windows: readonly { label: string; from: number; to: number }[],
): void {
  if (windows.length === 0) return;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const at: number[] = [];
  let t = 0;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    at.push(pageStart + t / 1000);
  }
  for (const window of windows) {
    const total = new Map<string, number>();
    let busy = 0;
    for (let i = 0; i < samples.length; i++) {
      const time = at[i] as number;
      if (time < window.from || time > window.to) continue;
      const ms = (deltas[i + 1] ?? 0) / 1000;
      const leaf = byId.get(samples[i] as number)?.callFrame.functionName;
      if (leaf === '(idle)' || leaf === '(program)') continue;
      busy += ms;
      const seen = new Set<string>();
      for (let id: number | undefined = samples[i]; id !== undefined; id = parentOf.get(id)) {
        const frame = byId.get(id)?.callFrame;
        if (!frame) continue;
        const where = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}`;
        if (where.startsWith('(root)') || seen.has(where)) continue;
        seen.add(where);
        total.set(where, (total.get(where) ?? 0) + ms);
      }
    }
    const top = [...total]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 14)
      .map(([where, ms]) => `${ms.toFixed(0)} ${where}`);
    process.stderr.write(`  ${window.label}: busy ${busy.toFixed(0)} ms: ${top.join(' | ')}\n`);
  }
}
