/**
 * `npx tsx tests/bench/dashboard-profile.ts`: where the time of `bench:dashboard` goes, on a smaller store (16
 * communities unless BENCH_COMMUNITIES says otherwise, one run). Seeds the benchmark page's store as
 * tests/bench/dashboard.bench.ts does, then draws the street's year once under Chrome's CPU profiler (through
 * Playwright's CDP session) and prints: the page's own `performance.measure`s of the dashboard's stages (the
 * `cgw:dashboard …` marks of renderer/features/overview), and the functions with the most self time, grouped by the
 * stage they belong to (IndexedDB and decryption, Yjs, folding histories, figures, React and the DOM). Writes the raw
 * profile to BENCH_CPU_PROFILE (default /tmp/dashboard.cpuprofile) to open in Chrome's DevTools. BENCH_PROFILE_WARM=1
 * profiles the street drawn again instead (after it was drawn once, then this community alone). Not part of CI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { serveFolder } from '../e2e/support/static-server';
import { waitForParts } from './dashboard/parts';

const COMMUNITIES = Number(process.env.BENCH_COMMUNITIES ?? 16);
const PER_YEAR = Number(process.env.BENCH_EVENTS ?? 300);
const OUT = process.env.BENCH_CPU_PROFILE ?? '/tmp/dashboard.cpuprofile';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The stage a function's self time belongs to, by its name and file (a rough sort, said as such in the output). */
function stageOf(frame: ProfileNode['callFrame']): string {
  const { functionName: f, url } = frame;
  if (f === '(garbage collector)') return 'garbage collection';
  if (f === '(idle)' || f === '(program)') return f;
  if (/dexie|indexeddb/i.test(url) || /^(openUpdate|openBytes|decrypt)/.test(f)) return 'IndexedDB + decrypt';
  if (/yjs|lib0|y-protocols/.test(url)) return 'Yjs';
  if (/react-dom|scheduler|mantine|emotion/.test(url)) return 'React + DOM';
  return 'app';
}

async function main(): Promise<void> {
  execFileSync('npx', ['vite', 'build', '--config', 'tests/bench/dashboard/vite.config.ts'], { stdio: 'inherit' });
  const { url, server } = await serveFolder('dist/bench-dashboard');
  const profileDir = mkdtempSync(join(tmpdir(), 'bench-dashboard-profile-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1600, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  try {
    const seedPage = await context.newPage();
    await seedPage.goto(`${url}/index.html?seed`);
    await seedPage.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
    const seeded = await seedPage.evaluate(async ([c, p]) => window.dashboardBench.seed(c, 3, p), [
      COMMUNITIES,
      PER_YEAR,
    ] as const);
    process.stderr.write(`seeded ${JSON.stringify(seeded)}\n`);
    await seedPage.close();

    // BENCH_PROFILE_KEPT=1: the street drawn once on another page, its communities' figures kept on disk; the street
    // drawn on a new page from them is profiled (docs/dashboard-model.md, "per-community figures").
    if (process.env.BENCH_PROFILE_KEPT === '1') {
      const before = await context.newPage();
      await before.goto(`${url}/index.html`);
      await before.getByTestId('overview-ranking-row').first().waitFor({ timeout: 300_000 });
      await before.getByText('年', { exact: true }).click();
      await before.getByTestId('ov-kpi-workload').waitFor();
      await before.getByText(`本机全部社区（${COMMUNITIES}个）`, { exact: true }).click();
      await before
        .getByTestId('overview-ranking-row')
        .nth(COMMUNITIES - 1)
        .waitFor({ timeout: 600_000 });
      await waitForParts(before, COMMUNITIES, String(new Date().getFullYear()));
      await before.close();
    }
    const page = await context.newPage();
    await page.goto(`${url}/index.html`);
    await page.getByTestId('overview-ranking-row').first().waitFor({ timeout: 300_000 });
    await page.getByText('年', { exact: true }).click();
    await page.getByTestId('ov-kpi-workload').waitFor();
    await page.waitForTimeout(1000);
    // BENCH_PROFILE_WARM=1: the street drawn once unprofiled, then this community alone; the street drawn again is
    // profiled (the rows held, the figures kept: docs/dashboard-model.md, "drawn again").
    if (process.env.BENCH_PROFILE_WARM === '1') {
      await page.getByText(`本机全部社区（${COMMUNITIES}个）`, { exact: true }).click();
      await page
        .getByTestId('overview-ranking-row')
        .nth(COMMUNITIES - 1)
        .waitFor({ timeout: 600_000 });
      await page.getByText('本社区', { exact: true }).click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="overview-ranking-row"]').length === 1);
      await page.waitForTimeout(1000);
    }
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
    const load = loadavg()[0] ?? 0;
    const t = Date.now();
    await page.evaluate(() => performance.mark('cgw:dashboard street-click'));
    await page.getByText(`本机全部社区（${COMMUNITIES}个）`, { exact: true }).click();
    await page
      .getByTestId('overview-ranking-row')
      .nth(COMMUNITIES - 1)
      .waitFor({ timeout: 600_000 });
    const ms = Date.now() - t;
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
    writeFileSync(OUT, JSON.stringify(profile));
    const marks = await page.evaluate(() =>
      performance
        .getEntriesByType('mark')
        .filter((m) => m.name.startsWith('cgw:dashboard'))
        .map(
          (m) =>
            [
              `${m.name}${(m as PerformanceMark).detail ? ` ${JSON.stringify((m as PerformanceMark).detail)}` : ''}`,
              Math.round(m.startTime),
            ] as const,
        ),
    );
    const clicked = marks.findLast(([name]) => name === 'cgw:dashboard street-click')?.[1] ?? 0;
    process.stdout.write(`street drawn in ${ms} ms (load ${load.toFixed(2)}); marks after the click:\n`);
    for (const [name, at] of marks) if (at >= clicked) process.stdout.write(`  +${at - clicked} ms ${name}\n`);

    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<number, number>();
    profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
    const byFunction = new Map<string, { ms: number; stage: string }>();
    const byStage = new Map<string, number>();
    for (const [id, ms] of self) {
      const frame = byId.get(id)?.callFrame;
      if (frame === undefined) continue;
      const file = frame.url.split('/').pop() ?? '';
      const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber}`;
      const stage = stageOf(frame);
      const entry = byFunction.get(key) ?? { ms: 0, stage };
      entry.ms += ms;
      byFunction.set(key, entry);
      byStage.set(stage, (byStage.get(stage) ?? 0) + ms);
    }
    process.stdout.write('self time by stage (ms):\n');
    for (const [stage, ms] of [...byStage].sort((a, b) => b[1] - a[1])) {
      process.stdout.write(`  ${Math.round(ms)}\t${stage}\n`);
    }
    process.stdout.write('top functions by self time (ms):\n');
    for (const [key, { ms, stage }] of [...byFunction].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40)) {
      process.stdout.write(`  ${Math.round(ms)}\t${stage}\t${key}\n`);
    }
  } finally {
    await context.close();
    server.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
