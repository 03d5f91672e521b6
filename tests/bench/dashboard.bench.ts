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

const load1 = () => Math.round((loadavg()[0] ?? 0) * 100) / 100;

async function main(): Promise<void> {
  log('building the benchmark page…');
  execFileSync('npx', ['vite', 'build', '--config', 'tests/bench/dashboard/vite.config.ts'], { stdio: 'inherit' });
  const { url, server } = await serveFolder('dist/bench-dashboard');
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
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(`${url}/index.html`);
      await page.getByTestId('ov-kpi-workload').waitFor({ timeout: 120_000 });
      await page.getByTestId('overview-ranking-row').first().waitFor({ timeout: 120_000 });
      const firstMs = Date.now() - t0;
      // The year so far, as a street leader reads it (this month alone may hold a day or two).
      await page.getByText('年', { exact: true }).click();
      await page.getByTestId('ov-kpi-workload').waitFor();
      const t1 = Date.now();
      await page.evaluate(() => performance.mark('cgw:dashboard street-click'));
      await page.getByText(`本机全部社区（${COMMUNITIES}个）`, { exact: true }).click();
      await page
        .getByTestId('overview-ranking-row')
        .nth(COMMUNITIES - 1)
        .waitFor({ timeout: 300_000 });
      await page.getByTestId('ov-kpi-workload').waitFor();
      const streetMs = Date.now() - t1;
      const workload = await page.getByTestId('ov-kpi-workload').textContent();
      stages.push(await stagesOf(page));
      // Drawn again on the same page: this community alone, then the street.
      await page.getByText('本社区', { exact: true }).click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="overview-ranking-row"]').length === 1);
      const t2 = Date.now();
      await page.getByText(`本机全部社区（${COMMUNITIES}个）`, { exact: true }).click();
      await page
        .getByTestId('overview-ranking-row')
        .nth(COMMUNITIES - 1)
        .waitFor({ timeout: 300_000 });
      await page.getByTestId('ov-kpi-workload').waitFor();
      const warmMs = Date.now() - t2;
      const warmWorkload = await page.getByTestId('ov-kpi-workload').textContent();
      if (warmWorkload !== workload) throw new Error(`drawn again: workload ${warmWorkload}, first ${workload}`);
      await page.close();
      first.push(firstMs);
      street.push(streetMs);
      warm.push(warmMs);
      loads.push([before, load1()]);
      log(
        `run ${run}/${RUNS}: one community ${firstMs} ms, the street's year ${streetMs} ms cold, ` +
          `${warm.at(-1)} ms drawn again (workload ${workload}; ` +
          `rows read ${stages.at(-1)?.rows_ms} ms, figures ${stages.at(-1)?.figures_ms} ms, drawn ${stages.at(-1)?.draw_ms} ms)`,
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
        dashboard_warm_ms: spread(warm),
        first_ms: spread(first),
        rows_ms: spread(stages.map((x) => x.rows_ms)),
        figures_ms: spread(stages.map((x) => x.figures_ms)),
        draw_ms: spread(stages.map((x) => x.draw_ms)),
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
