/**
 * `npm run bench:dashboard`: the app's 数据看板 (renderer/features/overview) drawn in Debian's Chromium from a sealed
 * store on disk holding 82 communities × 3 years of generated histories (grid events with their steps as
 * `bench:dashboard-figures` makes them, and one residents' service application for every five events). The store
 * lives in a persistent browser profile (`launchPersistentContext`), as the app's users have it; the page opens it,
 * draws the dashboard of this month for the current community; the year is chosen, then the street (every community
 * on the computer), as a street leader does.
 *
 * Each run is a new page: `first_ms` from navigation to the KPI cards and the one-row ranking of the current
 * community; `dashboard_ms` (this year) from choosing the street to its KPI cards and the ranking of all communities
 * drawn (cold: the first time after the page opened; every community's figure rows read, decrypted and unpacked, the
 * figures computed, the page drawn); `dashboard_warm_ms` from choosing the street again after this community alone
 * was drawn, on the same page (the rows in memory checked against the update rows on disk, the figures kept by what
 * they were computed from: docs/dashboard-model.md, "drawn again"). Prints each
 * run, then one JSON line with min/median/max over BENCH_RUNS runs (5 unless set) and the 1-minute load average
 * before and after each. Numbers are printed, never asserted. Not part of CI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { serveFolder } from '../e2e/support/static-server';
import { waitForParts } from './dashboard/parts';

const COMMUNITIES = Number(process.env.BENCH_COMMUNITIES ?? 82);
const YEARS = 3;
const PER_YEAR = Number(process.env.BENCH_EVENTS ?? 300);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function spread(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { min: sorted[0] ?? 0, median: Math.round(median), max: sorted.at(-1) ?? 0 };
}

interface Stages {
  /** From the street chosen to every community's rows read (renderer/features/overview/data.ts). */
  readonly rows_ms: number;
  /** The figures (`dashboardReport`). */
  readonly figures_ms: number;
  /** From the figures to the page drawn with them (tables laid out, React committed). */
  readonly draw_ms: number;
}

/** The stages of the street's drawing, from the `cgw:dashboard` marks the screen leaves after the click. */
async function stagesOf(page: Page): Promise<Stages> {
  const marks = await page.evaluate(() =>
    performance
      .getEntriesByType('mark')
      .filter((m) => m.name.startsWith('cgw:dashboard'))
      .map((m) => [m.name.slice('cgw:dashboard '.length), m.startTime] as const),
  );
  const click = marks.filter(([name]) => name === 'street-click').at(-1)?.[1] ?? 0;
  const at = (name: string) => marks.filter(([n, t]) => n === name && t >= click).at(-1)?.[1] ?? Number.NaN;
  return {
    rows_ms: Math.round(at('rows-read') - click),
    figures_ms: Math.round(at('figures-done') - at('figures-start')),
    draw_ms: Math.round(at('drawn') - at('figures-done')),
  };
}

/**
 * Clicks `text` and times in the page, from the click event to the first animation frame in which the ranking holds
 * `rows` rows and the KPI cards are there (Playwright's own waits poll at 0, 20, 50, 100, 100 ms and then every 500 ms,
 * which would round a figure up by as much). Leaves the `street-click` mark the stages are read from.
 */
async function timedClick(page: Page, text: string, rows: number): Promise<number> {
  // A string, not a function: tsx names the functions it compiles (`__name`), which the page does not have.
  const watched = page.evaluate<number>(`new Promise((resolve) => {
    let start = Number.NaN;
    document.addEventListener('click', () => {
      start = performance.now();
      performance.mark('cgw:dashboard street-click');
    }, { capture: true, once: true });
    const tick = () => {
      const drawn =
        document.querySelectorAll('[data-testid="overview-ranking-row"]').length === ${rows} &&
        document.querySelector('[data-testid="ov-kpi-workload"]') !== null;
      if (!Number.isNaN(start) && drawn) resolve(performance.now() - start);
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })`);
  await page.getByText(text, { exact: true }).click();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<number>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${text}: not drawn in 300 s`)), 300_000);
  });
  try {
    return Math.round(await Promise.race([watched, late]));
  } finally {
    clearTimeout(timer);
  }
}

/** Opens the dashboard on a new page: from navigation to the first frame with this community's KPI cards and ranking. */
async function opened(page: Page): Promise<number> {
  await page.goto(`${process.env.BENCH_URL ?? ''}/index.html`);
  const at = await page.evaluate<number>(`new Promise((resolve) => {
    const tick = () => {
      const drawn =
        document.querySelectorAll('[data-testid="overview-ranking-row"]').length === 1 &&
        document.querySelector('[data-testid="ov-kpi-workload"]') !== null;
      if (drawn) resolve(performance.now());
      else requestAnimationFrame(tick);
    };
    tick();
  })`);
  return Math.round(at);
}

const load1 = () => Math.round((loadavg()[0] ?? 0) * 100) / 100;

async function main(): Promise<void> {
  log('building the benchmark page…');
  execFileSync('npx', ['vite', 'build', '--config', 'tests/bench/dashboard/vite.config.ts'], { stdio: 'inherit' });
  const { url, server } = await serveFolder('dist/bench-dashboard');
  process.env.BENCH_URL = url;
  const profile = mkdtempSync(join(tmpdir(), 'bench-dashboard-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1600, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  const first: number[] = [];
  const street: number[] = [];
  const uncached: number[] = [];
  const keptStages: Stages[] = [];
  const warm: number[] = [];
  const loads: [number, number][] = [];
  const stages: Stages[] = [];
  try {
    const seedPage = await context.newPage();
    await seedPage.goto(`${url}/index.html?seed`);
    await seedPage.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
    log(`seeding ${COMMUNITIES} communities × ${YEARS} years × ${PER_YEAR} events into the sealed store…`);
    const t = Date.now();
    const seeded = await seedPage.evaluate(async ([c, y, p]) => window.dashboardBench.seed(c, y, p), [
      COMMUNITIES,
      YEARS,
      PER_YEAR,
    ] as const);
    log(`seeded ${seeded.events} events and ${seeded.applications} applications in ${Date.now() - t} ms`);
    await seedPage.close();

    for (let run = 1; run <= RUNS; run++) {
      const before = load1();
      // As on a new day (or after every community changed): no community's figures are kept.
      const forget = await context.newPage();
      await forget.goto(`${url}/index.html?seed`);
      await forget.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
      await forget.evaluate(() => window.dashboardBench.forgetParts());
      await forget.close();

      const page = await context.newPage();
      const firstMs = await opened(page);
      // The year so far, as a street leader reads it (this month alone may hold a day or two).
      await page.getByText('年', { exact: true }).click();
      await page.getByTestId('ov-kpi-workload').waitFor();
      const uncachedMs = await timedClick(page, `本机全部社区（${COMMUNITIES}个）`, COMMUNITIES);
      const workload = await page.getByTestId('ov-kpi-workload').textContent();
      stages.push(await stagesOf(page));
      // Drawn again on the same page: this community alone, then the street.
      await timedClick(page, '本社区', 1);
      const warmMs = await timedClick(page, `本机全部社区（${COMMUNITIES}个）`, COMMUNITIES);
      const warmWorkload = await page.getByTestId('ov-kpi-workload').textContent();
      if (warmWorkload !== workload) throw new Error(`drawn again: workload ${warmWorkload}, first ${workload}`);
      // Every community's figures kept on disk (written in the background after the drawing).
      await waitForParts(page, COMMUNITIES, String(new Date().getFullYear()));
      await page.close();

      // A new page (the app restarted), nothing changed since: every community's figures read from disk.
      const again = await context.newPage();
      await opened(again);
      await again.getByText('年', { exact: true }).click();
      await again.getByTestId('ov-kpi-workload').waitFor();
      const keptMs = await timedClick(again, `本机全部社区（${COMMUNITIES}个）`, COMMUNITIES);
      const keptWorkload = await again.getByTestId('ov-kpi-workload').textContent();
      if (keptWorkload !== workload) throw new Error(`from kept figures: workload ${keptWorkload}, first ${workload}`);
      keptStages.push(await stagesOf(again));
      await again.close();

      first.push(firstMs);
      uncached.push(uncachedMs);
      street.push(keptMs);
      warm.push(warmMs);
      loads.push([before, load1()]);
      log(
        `run ${run}/${RUNS}: one community ${firstMs} ms; the street's year ${keptMs} ms from kept figures ` +
          `(parts read ${keptStages.at(-1)?.rows_ms} ms, drawn ${keptStages.at(-1)?.draw_ms} ms), ` +
          `${uncachedMs} ms with nothing kept (rows read and figures computed ${stages.at(-1)?.rows_ms} ms, ` +
          `added up ${stages.at(-1)?.figures_ms} ms, drawn ${stages.at(-1)?.draw_ms} ms), ${warmMs} ms drawn again ` +
          `(workload ${workload})`,
      );
    }
    process.stdout.write(
      `${JSON.stringify({
        communities: COMMUNITIES,
        years: YEARS,
        events: seeded.events,
        applications: seeded.applications,
        tasks: seeded.tasks,
        dashboard_ms: spread(street),
        dashboard_first_ms: spread(uncached),
        dashboard_warm_ms: spread(warm),
        first_ms: spread(first),
        parts_ms: spread(keptStages.map((x) => x.rows_ms)),
        kept_draw_ms: spread(keptStages.map((x) => x.draw_ms)),
        rows_ms: spread(stages.map((x) => x.rows_ms)),
        figures_ms: spread(stages.map((x) => x.figures_ms)),
        draw_ms: spread(stages.map((x) => x.draw_ms)),
        timed: 'in the page: from the click event to the first frame with every ranking row and the KPI cards',
        runs: RUNS,
        load_1min_before_after: loads,
        cpus: cpus().length,
      })}\n`,
    );
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
