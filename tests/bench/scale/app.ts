/**
 * The app's own start, measured in the page on the device a join filled (tests/bench/scale.bench.ts): the built web
 * app (`dist/web/index.html`, not a copy of its start), the profile on disk, the sign-in of the device's first account.
 * What each key measures: docs/bench-scale.md ("What is measured").
 */
import type { BrowserContext, Page } from '@playwright/test';
import { E2E_ADMIN, E2E_PASSPHRASE } from '../../e2e/support/account';
import type { SearchTarget } from '../sync/device';
import { printProfile, startProfile } from '../profile';

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** The count line of the residents list when it answers a search or shows everyone: "共 N 人" (registry.count[Page]). */
function countPattern(total: number): RegExp {
  return new RegExp(`^共 ${total} 人`);
}

/**
 * In the page before the app's scripts (a string: tsx would wrap a function in a helper the page does not have):
 * marks, in the page's clock (0 = navigation), the frame after the sign-in's passphrase field first shows
 * (`bench:sign-in-painted`), the Enter key pressed in it (`bench:enter`), the frame after the residents' count first
 * says everyone (`bench:all-listed`); with a search target, types its ID tail into 查找居民 as soon as the box is
 * there after sign-in and marks the frame showing the target's row (`bench:found`). As `npm run bench:store` does:
 * Playwright waiting on locators polls at 0, 20, 50, 100, 100 ms and then every 500 ms, rounding figures up.
 */
const WATCH_START = `(() => {
  const everyone = new RegExp('^共 ' + __RESIDENTS__ + ' 人');
  const target = __TARGET__;
  const marked = new Set();
  const afterFrame = (mark) => {
    if (marked.has(mark)) return;
    marked.add(mark);
    requestAnimationFrame(() => setTimeout(() => performance.mark(mark), 0));
  };
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  let entered = false;
  let typed = null;
  document.addEventListener('keydown', (event) => {
    const field = event.target;
    if (entered || event.key !== 'Enter' || !(field instanceof Element) || !field.closest('[data-testid="sign-in"]')) return;
    entered = true;
    performance.mark('bench:enter');
  }, true);
  new MutationObserver(() => {
    if (document.querySelector('[data-testid="sign-in"] input[type=password]')) afterFrame('bench:sign-in-painted');
    if (!entered) return;
    const count = document.querySelector('[data-testid="resident-count"]');
    if (count && everyone.test(count.textContent || '')) afterFrame('bench:all-listed');
    if (target === null) return;
    const box = document.querySelector('input[type=search]');
    // Typed again into a box drawn anew (the screen redrawn as the session opens).
    if (box && (typed === null || !typed.isConnected)) {
      typed = box;
      setValue.call(box, target.tail);
      box.dispatchEvent(new Event('input', { bubbles: true }));
    }
    if (typed !== null && typed.value === target.tail) {
      for (const row of document.querySelectorAll('[data-testid="resident-row"]')) {
        if ((row.textContent || '').includes(target.name)) afterFrame('bench:found');
      }
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
})()`;

/**
 * Navigation to the sign-in screen, the passphrase given, until the page has marked `until`: the time from
 * navigation to that mark less the time between the sign-in screen shown and Enter pressed (typing the passphrase is
 * not counted, as in `npm run bench:store`; the sign-in's own check, PBKDF2, is), all in the page's clock.
 */
async function signInAndTime(
  context: BrowserContext,
  web: string,
  residents: number,
  target: SearchTarget | null,
  until: string,
): Promise<{ app: Page; ready_ms: number; signin_screen_ms: number; signed_in_to_ready_ms: number }> {
  const app = await context.newPage();
  app.on('pageerror', (error) => log(`app page error: ${error.message}`));
  app.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      log(`app console ${message.type()}: ${message.text()}`);
  });
  await app.addInitScript(
    WATCH_START.replace('__RESIDENTS__', String(residents)).replace(
      '__TARGET__',
      JSON.stringify(target && { tail: target.tail, name: target.name }),
    ),
  );
  await app.goto(`${web}/index.html#/registry`);
  const signIn = app.getByTestId('sign-in');
  const password = signIn.locator('input[type=password]');
  await password.waitFor({ timeout: 120_000 });
  await signIn.getByRole('radio', { name: E2E_ADMIN, exact: true }).check();
  await password.fill(E2E_PASSPHRASE);
  await password.press('Enter');
  await app.waitForFunction((name) => performance.getEntriesByName(name).length > 0, until, {
    timeout: 120_000,
    polling: 500,
  });
  const [shown, enter, done] = await app.evaluate(
    (names) => names.map((name) => performance.getEntriesByName(name)[0]?.startTime ?? Number.NaN),
    ['bench:sign-in-painted', 'bench:enter', until],
  );
  return {
    app,
    ready_ms: Math.round(done! - (enter! - shown!)),
    signin_screen_ms: Math.round(shown!),
    signed_in_to_ready_ms: Math.round(done! - enter!),
  };
}

/**
 * `ready_ms`: navigation → a residents list a person can use: "共 N 人" with the whole community, timed in the page
 * (the frame after the count says everyone; the first rows are drawn in the same render). Returns the page, still
 * open on the list.
 */
export async function appReady(context: BrowserContext, web: string, residents: number) {
  const { app, ready_ms, signin_screen_ms, signed_in_to_ready_ms } = await signInAndTime(
    context,
    web,
    residents,
    null,
    'bench:all-listed',
  );
  await app.getByTestId('resident-row').first().waitFor({ timeout: 120_000 });
  log(`  ready: marks ${await marksOf(app)}`);
  return { app, ready_ms, signin_screen_ms, signed_in_to_list_ms: signed_in_to_ready_ms };
}

/** The app's marks (ms after navigation), the documents' client ids left out: where a start's time went. */
function marksOf(app: Page): Promise<string> {
  return app.evaluate<string>(
    "performance.getEntriesByType('mark').filter((m) => !m.name.startsWith('cgw:client-id')).map((m) => m.name.replace('cgw:', '') + '@' + Math.round(m.startTime)).join(' ')",
  );
}

/**
 * `search_ready_ms`: navigation → a search box that answers: the ID tail of `target` typed into 查找居民 (by the page
 * itself) as soon as the box is there, until that resident's row shows. Closes the page.
 */
export async function searchReady(context: BrowserContext, web: string, target: SearchTarget, residents: number) {
  const { app, ready_ms } = await signInAndTime(context, web, residents, target, 'bench:found');
  // The app's marks (ms after navigation): where the wait for a search that answers went.
  log(`  search ready: marks ${await marksOf(app)}`);
  await app.close();
  return { search_ready_ms: ready_ms };
}

/**
 * In the page (a string, not a function: tsx would wrap a function in a helper the page does not have): arms a
 * one-shot timer that starts at the next keydown in the search box (its `timeStamp`, when the browser received the
 * key; until 2026-12-05 the time its first handler ran, which left out a wait behind a long task) and stops at
 * the first animation frame in which the count line shows `total` (the answer to the query with that key), and keeps
 * its promise of `[keydown time, ms]` as `window.__benchKey` (rejected after 60 s, saying what the list shows, the box's value, whether the
 * box keyed is still in the page, and the app's performance marks). Each key is pressed on the box itself
 * (`box.press` focuses it first). At 20,000 residents the first key was lost: the key reached the box, whose value
 * was empty 60 s later, because the screens were drawn anew when the sync token's role was read (fixed in
 * renderer/Workbench.tsx; docs/bench-scale.md).
 */
const ARM = `(() => {
  const total = __TOTAL__;
  const input = document.querySelector('input[type=search]');
  window.__benchKey = new Promise((resolve, reject) => {
    let start = null;
    setTimeout(() => {
      const shown = document.querySelector('[data-testid=resident-count]');
      const box = document.querySelector('input[type=search]');
      const marks = performance.getEntriesByType('mark').map((m) => m.name + '@' + Math.round(m.startTime)).join(' ');
      reject(new Error('the list did not show ' + total + ' within 60 s: ' + (shown ? shown.textContent : 'no count') +
        '; box value ' + JSON.stringify(box ? box.value : null) + ', key seen ' + (start !== null) +
        ', the box keyed still in the page ' + input.isConnected + ', the same box ' + (box === input) + '; marks: ' + marks));
    }, 60000);
    // The event's own time (when the browser received the key), not when a handler got to run: a key pressed during
    // a long task waits for it before any handler runs, and that wait is part of what a person waits.
    input.addEventListener('keydown', (event) => { start = event.timeStamp; }, { once: true, capture: true });
    const pattern = new RegExp('^共 ' + total + ' 人');
    const check = () => {
      const count = document.querySelector('[data-testid=resident-count]');
      if (start !== null && count !== null && pattern.test(count.textContent || '')) resolve([start, performance.now() - start]);
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
  return true;
})()`;

/**
 * `keystroke_to_list_p95_ms`: in the real residents list (the page `appReady` left open), each query typed one key at
 * a time into 查找居民; each key timed from its keydown to the frame where the list's count shows that prefix's answer
 * (`totals`, asked of the app's own store search beforehand). A key whose answer is the same as the previous key's
 * is typed but not timed (the list already shows it: the time would say nothing). Between queries the box is cleared
 * and the whole community shown again, not timed.
 */
export async function keystrokes(
  app: Page,
  queries: readonly string[],
  totals: Readonly<Record<string, number>>,
  residents: number,
): Promise<{ times: number[]; keys: number }> {
  const box = app.getByLabel('查找居民');
  const count = app.getByTestId('resident-count');
  const times: number[] = [];
  const timeline: string[] = [];
  const slow: { label: string; from: number; to: number }[] = [];
  let keys = 0;
  // BENCH_PROFILE=1: the keys typed under Chrome's CPU profiler, each key's time logged (where a key's time goes).
  const cdp = await startProfile(app);
  for (const query of queries) {
    await box.fill('');
    await count.filter({ hasText: countPattern(residents) }).waitFor({ timeout: 60_000 });
    let previous = residents;
    for (let i = 1; i <= query.length; i++) {
      const prefix = query.slice(0, i);
      const total = totals[prefix];
      if (total === undefined) throw new Error(`no expected answer for ${prefix}`);
      keys += 1;
      if (total === previous) {
        await box.press(query[i - 1]!);
        await count.filter({ hasText: countPattern(total) }).waitFor({ timeout: 60_000 });
        continue;
      }
      await app.evaluate(ARM.replace('__TOTAL__', String(total)));
      await box.press(query[i - 1]!);
      const [at, ms] = await app.evaluate<[number, number]>('window.__benchKey');
      times.push(ms);
      timeline.push(`${prefix} ${ms.toFixed(0)}@${Math.round(at)}`);
      if (ms > 80) slow.push({ label: `key ${prefix} (${ms.toFixed(0)} ms)`, from: at, to: at + ms });
      previous = total;
    }
  }
  // Each key's time and when it was pressed (ms after navigation), beside the marks of what ran meanwhile: where a
  // slow key waited (the keys, everyone's rows, the registry document).
  const marks = await app.evaluate<string>(
    "performance.getEntriesByType('mark').filter((m) => /resident-|client-id|doc-read|doc-opened|preload|integrated|project-|persist-/.test(m.name)).map((m) => m.name.replace('cgw:', '') + '@' + Math.round(m.startTime)).join(' ')",
  );
  log(`  keys (ms@pressed): ${timeline.join(', ')}`);
  log(`  marks meanwhile: ${marks}`);
  await printProfile(cdp, 'the keys typed', slow);
  return { times, keys };
}
