/**
 * A new device joining, timed in the page (tests/bench/scale.bench.ts; docs/bench-scale.md, "What is measured"): the
 * 同步 page's join form filled as a person would, then every time read from the page's own clock (User Timing marks
 * set by an init script), not from Playwright waiting on locators, which polls at 0, 20, 50, 100, 100 ms and then
 * every 500 ms and so rounds figures up by up to half a second.
 *
 * The init script marks `bench:join` at the form's submit, opens the residents list (`#/registry`) as soon as the
 * badge says the device has joined, and marks, each in the frame after the page shows it: the first page of real
 * names (`bench:first-list`), the count saying everyone (`bench:all-listed`), the badge up to date (`bench:synced`);
 * once everyone is listed it types the search target's ID tail into 查找居民 itself and marks the frame that shows
 * the target's row (`bench:found`); `bench:synced` each time the badge turns up to date (the last one counts).
 * Playwright only waits (polling) for the marks to exist and the badge to say up to date.
 */
import type { BrowserContext } from '@playwright/test';
import { createFirstAccount } from '../../e2e/support/account';
import { printProfile, startProfile } from '../profile';
import type { SearchTarget } from '../sync/device';
import type { BenchServer } from '../sync/server';

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Above this, a received batch's write is marked `cgw:persist-end` (2 × ROW_BYTES of renderer/data/docs.ts). */
const PERSIST_MARK_BYTES = 2.5 * 1024 * 1024;

export interface Joined {
  /** 加入 → the residents list shows the first page of real names (from the server's rows, or the document). */
  readonly join_to_list_ms: number;
  /**
   * 加入 → the list says everyone, the ID-tail search found the target, the badge says up to date and the big
   * documents are on disk (what the bench waited for before, now read from the page's clock).
   */
  readonly cold_start_ms: number;
  readonly listed_ms: number;
  readonly searched_ms: number;
  readonly synced_ms: number;
  readonly persisted_ms: number;
}

/** In the page before the app's scripts (a string: tsx would wrap a function in a helper the page does not have). */
const WATCH_JOIN = `(() => {
  const everyone = new RegExp('^共 ' + __RESIDENTS__ + ' 人');
  const tail = __TAIL__;
  const name = __NAME__;
  const marked = new Set();
  const afterFrame = (mark) => {
    if (marked.has(mark)) return;
    marked.add(mark);
    requestAnimationFrame(() => setTimeout(() => performance.mark(mark), 0));
  };
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  let joined = false;
  let opened = false;
  let typed = null;
  let wasUpToDate = false;
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (joined || !(form instanceof Element) || form.getAttribute('aria-labelledby') !== 'join-title') return;
    joined = true;
    performance.mark('bench:join');
  }, true);
  const check = () => {
    if (!joined) return;
    const badge = document.querySelector('[data-testid="sync-badge"]');
    const state = badge ? badge.getAttribute('data-state') : null;
    if (!opened && state !== null && state !== 'local') {
      opened = true;
      location.hash = '#/registry';
    }
    // Each time it turns up to date (it may for a moment before the documents are connected): the last one counts.
    const upToDate = state === 'synced' && badge.getAttribute('data-pending') === '0';
    if (upToDate && !wasUpToDate) performance.mark('bench:synced');
    wasUpToDate = upToDate;
    const row = document.querySelector('[data-testid="resident-row"] td');
    if (row && (row.textContent || '').trim() !== '') afterFrame('bench:first-list');
    const count = document.querySelector('[data-testid="resident-count"]');
    const box = document.querySelector('input[type=search]');
    if (typed === null && count && box && everyone.test(count.textContent || '')) {
      afterFrame('bench:all-listed');
      typed = box;
      setValue.call(box, tail);
      box.dispatchEvent(new Event('input', { bubbles: true }));
    }
    if (typed !== null && typed.value === tail) {
      for (const shown of document.querySelectorAll('[data-testid="resident-row"]')) {
        if ((shown.textContent || '').includes(name)) afterFrame('bench:found');
      }
    }
  };
  new MutationObserver(check).observe(document, {
    childList: true, subtree: true, characterData: true, attributes: true,
    attributeFilter: ['data-state', 'data-pending'],
  });
})()`;

export async function joinTimedInPage(options: {
  context: BrowserContext;
  web: string;
  server: BenchServer;
  token: string;
  residents: number;
  target: SearchTarget;
  /** The documents that must be on disk before the clock stops, with their size (only big writes are marked). */
  persisted: readonly { name: string; bytes: number }[];
  verbose: boolean;
  timeoutMs: number;
}): Promise<Joined> {
  const { context, web, server, token, target, verbose, timeoutMs } = options;
  const app = await context.newPage();
  app.on('pageerror', (error) => log(`page error: ${error.message}`));
  app.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') log(`page ${message.type()}: ${message.text()}`);
  });
  await app.addInitScript(
    WATCH_JOIN.replace('__RESIDENTS__', String(options.residents))
      .replace('__TAIL__', JSON.stringify(target.tail))
      .replace('__NAME__', JSON.stringify(target.name)),
  );
  await app.goto(`${web}/index.html#/sync`);
  await createFirstAccount(app);
  await app.getByLabel('服务器地址').fill(server.address);
  await app.getByLabel('授权码').fill(token);
  const cdp = verbose ? await startProfile(app) : null;
  await app.getByRole('button', { name: '加入' }).click();
  const marked = options.persisted
    .filter((doc) => doc.bytes > PERSIST_MARK_BYTES)
    .map((doc) => `cgw:persist-end ${doc.name}`);
  const wanted = ['bench:first-list', 'bench:all-listed', 'bench:found', 'bench:synced', ...marked];
  await app.waitForFunction(
    (names) =>
      names.every((name) => performance.getEntriesByName(name).length > 0) &&
      document.querySelector('[data-testid="sync-badge"][data-state="synced"][data-pending="0"]') !== null,
    wanted,
    { timeout: timeoutMs, polling: 500 },
  );
  await printProfile(cdp, 'the cold start until the list');
  const at = await app.evaluate((names) => {
    const join = performance.getEntriesByName('bench:join')[0]?.startTime ?? Number.NaN;
    return names.map((name) => (performance.getEntriesByName(name).at(-1)?.startTime ?? Number.NaN) - join);
  }, wanted);
  const [first, listed, found, synced, ...persistedAt] = at.map((ms) => Math.round(ms));
  const persisted_ms = persistedAt.length > 0 ? Math.max(...persistedAt) : 0;
  if (verbose) {
    const marks = await app.evaluate(() => {
      const join = performance.getEntriesByName('bench:join')[0]?.startTime ?? 0;
      return performance
        .getEntriesByType('mark')
        .filter((mark) => (mark.name.startsWith('cgw:') || mark.name.startsWith('bench:')) && mark.startTime >= join)
        .map((mark) => [mark.name, Math.round(mark.startTime - join)] as const);
    });
    log('join, ms after 加入 was submitted (in the page):');
    for (const [name, ms] of marks) log(`  ${String(ms).padStart(6)}  ${name}`);
    // The server's side of the same join (its log lines carry pino's epoch ms): where a cold first answer waits.
    const joinedAt = await app.evaluate(
      () => performance.timeOrigin + (performance.getEntriesByName('bench:join')[0]?.startTime ?? 0),
    );
    log('the server meanwhile, ms after 加入 (its log lines, the registry and the rows):');
    for (const line of server.logs) {
      const time = typeof line.time === 'number' ? line.time : Number.NaN;
      const about = JSON.stringify(line);
      if (!(time >= joinedAt) || !/registry|rows/.test(about)) continue;
      const { msg, time: _time, level: _level, pid: _pid, hostname: _hostname, ...fields } = line;
      log(`  ${String(Math.round(time - joinedAt)).padStart(6)}  ${msg} ${JSON.stringify(fields).slice(0, 240)}`);
    }
  }
  await app.close();
  return {
    join_to_list_ms: first!,
    cold_start_ms: Math.max(found!, synced!, persisted_ms),
    listed_ms: listed!,
    searched_ms: found!,
    synced_ms: synced!,
    persisted_ms,
  };
}
