/**
 * A new device joining through the real sync server, then reconnecting after offline edits: the two measurements of
 * `npm run bench:sync`, shared with `npm run bench:scale` (tests/bench/scale.bench.ts). How each figure is taken:
 * docs/bench-sync.md ("What is measured").
 */
import type { BrowserContext, Page } from '@playwright/test';
import * as Y from 'yjs';
import type { ResidentId } from '@shared/domain/registry/types';
import { printProfile, startProfile } from '../profile';
import { createFirstAccount } from '../../e2e/support/account';
import type { BenchServer } from './server';
import { benchContext, editResidents, openRemote, serverStateVector, storedOnServer } from './seed';

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** A resident whose 4-character ID tail no other resident shares, found by typing that tail. */
export interface SearchTarget {
  readonly id: string;
  readonly name: string;
  readonly tail: string;
}

export function uniqueTailTarget(residents: readonly { id: string; name: string; idNumber: string }[]): SearchTarget {
  const tails = new Map<string, number>();
  for (const r of residents) tails.set(r.idNumber.slice(-4), (tails.get(r.idNumber.slice(-4)) ?? 0) + 1);
  // From the middle of the list, not its first page: the search has to find it, not the list's first rows.
  const start = Math.floor(residents.length / 2);
  for (let i = 0; i < residents.length; i++) {
    const r = residents[(start + i) % residents.length]!;
    if (tails.get(r.idNumber.slice(-4)) === 1) return { id: r.id, name: r.name, tail: r.idNumber.slice(-4) };
  }
  throw new Error('no resident with a unique ID tail');
}

/** Above this, a received batch's write is marked `cgw:persist-end` (2 × ROW_BYTES of renderer/data/docs.ts). */
const PERSIST_MARK_BYTES = 2.5 * 1024 * 1024;

export interface ColdStart {
  readonly cold_start_ms: number;
  readonly synced_ms: number;
  readonly listed_ms: number;
  readonly searched_ms: number;
  readonly persisted_ms: number;
  /** The cases document's row on the 同步 page after the join (should say 已是最新). */
  readonly casesRow: string;
}

/**
 * The 同步 page's join form filled as a person would, on a fresh profile: from 加入 clicked until the badge says up
 * to date, the list shows everyone, the ID-tail search finds `target`, and both documents are on disk. The app page is
 * closed at the end (one sync client per device).
 */
export async function joinAsNewDevice(options: {
  context: BrowserContext;
  web: string;
  server: BenchServer;
  token: string;
  residents: number;
  target: SearchTarget;
  /**
   * The documents that must be on this device's disk before the clock stops, with their size. The app marks the end
   * of a big write only (`cgw:persist-end <name>`, renderer/data/docs.ts: a batch over 2 MiB), so a smaller document
   * (a scaled-down run) is not waited for: `persisted_ms` is then 0, "not measured".
   */
  persisted: readonly { name: string; bytes: number }[];
  casesDoc: string;
  /** Prints the app's marks, the server's answers and (BENCH_PROFILE=1) CPU profiles. */
  verbose: boolean;
  timeoutMs?: number;
}): Promise<ColdStart> {
  const { context, web, server, token, target, verbose } = options;
  const timeout = options.timeoutMs ?? 180_000;
  const app = await context.newPage();
  app.on('pageerror', (error) => log(`page error: ${error.message}`));
  app.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') log(`page ${message.type()}: ${message.text()}`);
  });
  await app.goto(`${web}/index.html#/sync`);
  // The app opens the device's data only after sign-in: a fresh device gets its first account.
  await createFirstAccount(app);
  await app.getByLabel('服务器地址').fill(server.address);
  await app.getByLabel('授权码').fill(token);
  const badge = app.getByTestId('sync-badge');
  const cdp = verbose ? await startProfile(app) : null;
  const t0 = Date.now();
  await app.getByRole('button', { name: '加入' }).click();
  await badge.and(app.locator('[data-state="synced"][data-pending="0"]')).waitFor({ timeout });
  const synced_ms = Date.now() - t0;
  await app.evaluate(() => (location.hash = '#/registry'));
  await app
    .getByTestId('resident-count')
    .filter({ hasText: String(options.residents) })
    .waitFor({ timeout });
  const listed_ms = Date.now() - t0;
  await printProfile(cdp, 'the cold start until the list');
  const searchProfile = verbose ? await startProfile(app) : null;
  await app.getByLabel('查找居民').fill(target.tail);
  await app.getByTestId('resident-row').filter({ hasText: target.name }).first().waitFor({ timeout });
  const searched_ms = Date.now() - t0;
  await printProfile(searchProfile, 'the search after the list');
  // "All local": the received documents are on this device's disk too, not only in memory (a laptop closed right
  // now keeps them). The app marks the end of each big write of what it received (LocalDocs, `cgw:persist-end`).
  const marked = options.persisted.filter((doc) => doc.bytes > PERSIST_MARK_BYTES).map((doc) => doc.name);
  let persisted_ms = 0;
  if (marked.length > 0) {
    const persistedAt = await app.waitForFunction(
      (names) => {
        const ends = names.map((name) => performance.getEntriesByName(`cgw:persist-end ${name}`)[0]?.startTime);
        return ends.every((end) => end !== undefined) && performance.timeOrigin + Math.max(...ends);
      },
      marked,
      { timeout, polling: 50 },
    );
    persisted_ms = Math.round((await persistedAt.jsonValue()) as number) - t0;
  }
  const cold_start_ms = Math.max(searched_ms, persisted_ms);
  if (verbose) {
    const marks = await app.evaluate(() => {
      const join = performance.getEntriesByName('cgw:join')[0]?.startTime ?? 0;
      return performance
        .getEntriesByType('mark')
        .filter((mark) => mark.name.startsWith('cgw:') && mark.startTime >= join)
        .map((mark) => [mark.name.slice(4), Math.round(mark.startTime - join)] as const);
    });
    log('server answers to the new device (encoding, ms):');
    for (const line of server.logs.filter((l) => l.msg === 'answered' && Number(l.bytes) > 1024 * 1024).slice(-4)) {
      const at = Number(line.time) - t0;
      log(
        `  ${String(at).padStart(6)}  ${String(line.doc)}: ${String(line.pieces)} pieces, ${String(line.bytes)} bytes, cached ${String(line.cached)}, encoded in ${String(line.ms)} ms`,
      );
    }
    log('cold start, ms after the join was submitted:');
    for (const [name, at] of marks) log(`  ${String(at).padStart(6)}  ${name}`);
  }
  // The cases document is one of the documents behind the badge; its own row on the sync page says so too.
  await app.evaluate(() => (location.hash = '#/sync'));
  const casesRow = (await app.getByTestId('sync-doc').filter({ hasText: options.casesDoc }).textContent()) ?? '';
  await app.close();
  return { cold_start_ms, synced_ms, listed_ms, searched_ms, persisted_ms, casesRow };
}

export interface Reconnect {
  /** The bench page's start on the device's disk until up to date (the restart check). */
  readonly restart_ms: number;
  readonly reconnect_ms: number;
  readonly reconnect_from_online_event_ms: number;
  readonly online_event_after_switch_ms: number;
  readonly local_edits_ms: number;
  readonly pending_before_reconnect: number;
  /** The bench page, still open on the device (closed by the caller). */
  readonly page: Page;
}

/** A reconnect slower than this logs the server's warnings and the page's marks (as `verbose` does). */
const SLOW_RECONNECT_MS = 3000;

/**
 * The same device restarted with the bench page (tests/bench/sync/page.ts: the app's store and SyncManager), checked to
 * hold `residents` and `cases`; then `edits` offline edits here while another device makes `edits` of its own, and the
 * clock from the network's return until both sides hold the same. Throws if the server and the device differ.
 */
export async function reconnectAfterOfflineEdits(options: {
  context: BrowserContext;
  web: string;
  server: BenchServer;
  community: string;
  year: number;
  registryDoc: string;
  remoteToken: string;
  residents: number;
  cases: number;
  /** Residents to edit: the first `edits` on the device, the next `edits` on the other device. */
  editable: readonly ResidentId[];
  edits: number;
  /** A tag that makes this run's notes differ from another run's. */
  run: number;
  verbose: boolean;
  /** How long the other device and the server's checks may take to sync (60 s unless given). */
  syncTimeoutMs?: number;
}): Promise<Reconnect> {
  const { context, web, server, community, edits, verbose } = options;
  const page = await context.newPage();
  page.on('pageerror', (error) => log(`bench page error: ${error.message}`));
  await page.goto(`${web}/bench-sync/index.html`);
  await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
  const restart = await page.evaluate(async (c) => window.benchSync.start(c), community);
  const casesOnDevice = await page.evaluate(async ([c, y]) => window.benchSync.casesCount(c, y), [
    community,
    options.year,
  ] as const);
  if (restart.residents !== options.residents || casesOnDevice !== options.cases) {
    throw new Error(`device holds ${restart.residents} residents and ${casesOnDevice} cases after restart`);
  }

  const localIds = options.editable.slice(0, edits);
  const remoteIds = options.editable.slice(edits, edits * 2);
  const remote = await openRemote(server.url, options.registryDoc, options.remoteToken, options.syncTimeoutMs);
  const logsOffline = server.logs.length;
  await context.setOffline(true);
  await page.evaluate(async () => window.benchSync.waitOffline());
  log(`reconnect: ${edits} edits offline on the device, ${edits} by another device…`);
  const localNote = `本机离线修改${options.run}-`;
  const remoteNote = (i: number) => `另一台修改${options.run}-${i}`;
  const localEdits = page.evaluate(async ([c, ids, note]) => window.benchSync.edit(c, ids, note), [
    community,
    localIds,
    localNote,
  ] as const);
  editResidents(remote.doc, benchContext(`remote-${options.run}`), remoteIds, remoteNote);
  const { pending, ms: localEditMs } = await localEdits;
  await storedOnServer(server.url, options.registryDoc, options.remoteToken, remote.doc, options.syncTimeoutMs);
  const remoteSv: Record<string, number> = {};
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(remote.doc))) remoteSv[String(client)] = clock;
  remote.close();
  log(`  device: ${edits} edits in ${Math.round(localEditMs)} ms, ${pending} pending`);

  const lastRemote = remoteIds[remoteIds.length - 1]!;
  const logsBefore = server.logs.length;
  // BENCH_PROFILE=1: the reconnect under Chrome's CPU profiler (where a long task of the page goes).
  const cdp = await startProfile(page);
  const t1 = Date.now();
  await context.setOffline(false);
  const converged = await page.evaluate(async ([c, sv, id, note]) => window.benchSync.converge(c, sv, id, note), [
    community,
    remoteSv,
    lastRemote,
    remoteNote(edits - 1),
  ] as const);
  const reconnect_ms = Date.now() - t1;
  await printProfile(cdp, `reconnect-run-${options.run}`);
  // A slow reconnect says what the server said meanwhile (a refused upgrade, a closed socket) and where the page's
  // documents waited: some runs at 100,000 took 10-13 s where others took under 2 (docs/bench-scale.md).
  const slow = reconnect_ms > SLOW_RECONNECT_MS;
  if (verbose || slow) {
    const said = server.logs.slice(logsBefore).filter((line) => typeof line.level === 'number' && line.level >= 40);
    log(`reconnect: the server logged ${said.length} warnings or errors meanwhile`);
    for (const line of said.slice(0, 20)) log(`  ${JSON.stringify(line).slice(0, 400)}`);
    // And what it did since the device went offline (documents loaded, unloaded, compacted), ms after the network's
    // return (negative: while the device was offline).
    // The other device's edits each log their audit authors: left out.
    const did = server.logs
      .slice(logsOffline)
      .filter((line) => line.level === 30 && line.msg !== 'audit entries name another author than the token');
    log(
      `reconnect: the server's ${did.length} info lines since the device went offline (ms after the network's return):`,
    );
    for (const line of did.slice(0, 150)) {
      const { time, msg, doc, ...rest } = line as { time?: number; msg?: string; doc?: string };
      const parts = ['ms', 'bytes', 'encodedMs', 'unloadWaitMs', 'big']
        .filter((key) => key in rest)
        .map((key) => `${key}=${String((rest as Record<string, unknown>)[key])}`);
      log(
        `  ${String(typeof time === 'number' ? time - t1 : '?').padStart(6)}  ${msg} ${doc ?? ''} ${parts.join(' ')}`,
      );
    }
  }
  if (verbose || slow) {
    log(
      `reconnect, ms after the page's online event (converged at ${Math.round(converged.from_online_event_ms ?? -1)}):`,
    );
    for (const [name, at] of converged.marks) log(`  ${String(at).padStart(6)}  ${name}`);
    const held = converged.long_tasks.reduce((sum, [, ms]) => sum + ms, 0);
    log(`reconnect: the page's tasks of 200 ms or more (${held} ms in all), ms after the online event @ length:`);
    log(`  ${converged.long_tasks.map(([at, ms]) => `${at}@${ms}`).join(', ')}`);
  }
  // Both sides: the server now holds exactly what the device holds.
  const stored = await serverStateVector(server.url, options.registryDoc, options.remoteToken, options.syncTimeoutMs);
  const keys = Object.keys(converged.state_vector);
  const equal = keys.length === stored.size && keys.every((k) => stored.get(Number(k)) === converged.state_vector[k]);
  if (!equal) throw new Error('the server and the device differ after convergence');
  return {
    restart_ms: Math.round(restart.ms),
    reconnect_ms,
    reconnect_from_online_event_ms: Math.round(converged.from_online_event_ms ?? -1),
    online_event_after_switch_ms:
      converged.online_event_epoch_ms === null ? -1 : Math.round(converged.online_event_epoch_ms - t1),
    local_edits_ms: Math.round(localEditMs),
    pending_before_reconnect: pending,
    page,
  };
}
