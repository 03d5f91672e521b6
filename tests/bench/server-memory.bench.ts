/**
 * `npm run bench:server-memory`: how much memory one sync server process (SQLite, `sync-server/main.ts`) holds for
 * one community's registry of BENCH_RESIDENTS (100,000 by default) residents, as bench:scale makes it (the app's
 * import, UUIDs): the process started cold, then an editor's device syncing the registry (the server loads it, and
 * its answer worker a replica), then a viewer's device (the masked copy made or loaded), then both gone. Read from
 * `/proc/<pid>/status` of the server process (its answer and rows workers are threads of it): `VmRSS` after each step
 * (once it has stayed within 2 % for 2 s) and `VmHWM` (the peak) so far; the last step 40 s after both devices left
 * (the server unloads an idle document after 30 s). BENCH_CYCLES (2) times, the same process: a second cycle that
 * ends where the first did is a high-water mark, one that ends higher a leak. Prints one JSON line. docs/bench-scale.md, "A sync server's memory for 100,000 residents".
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as Y from 'yjs';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { ServerProcess, adminInProcess, issueToken, tempDataDir, whenSynced } from '../integration/sync-server/harness';
import { scaleRegistry } from './scale/data';
import { connect, pushDoc, release } from './sync/seed';

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 100_000);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 2);
const COMMUNITY = toCommunityId('bench-memory');
const REGISTRY = docName({ community: COMMUNITY, collection: 'registry' });
/** What a viewer's device syncs: the server's masked copy (docs/security.md). */
const MASKED = docName({ community: COMMUNITY, collection: 'registry-masked' });

function log(message: string): void {
  process.stderr.write(`[bench:server-memory ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function memoryOf(pid: number): { rss_mib: number; peak_mib: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss_mib: Math.round(kib('VmRSS') / 1024), peak_mib: Math.round(kib('VmHWM') / 1024) };
}

/** The RSS once it has settled (two seconds within 2 %), at most 60 s. */
async function settled(pid: number): Promise<{ rss_mib: number; peak_mib: number }> {
  let last = memoryOf(pid);
  let steady = 0;
  for (let waited = 0; waited < 60_000; waited += 500) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = memoryOf(pid);
    steady = Math.abs(now.rss_mib - last.rss_mib) <= last.rss_mib * 0.02 ? steady + 500 : 0;
    last = now;
    if (steady >= 2_000) break;
  }
  return last;
}

async function main(): Promise<void> {
  const data = tempDataDir();
  process.env.SYNC_MAX_MESSAGE_BYTES ??= String(512 * 1024 * 1024);
  let server = await ServerProcess.start(data.dir);
  try {
    log(`generating ${RESIDENTS} residents…`);
    const registry = scaleRegistry(20261202, RESIDENTS, log);
    const bytes = Y.encodeStateAsUpdate(registry).length;
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '内存测试社区');
    const editor = (await issueToken(data.dir, '编辑', COMMUNITY, 'editor')).token;
    const viewer = (await issueToken(data.dir, '查看', COMMUNITY, 'viewer')).token;
    log(`storing the registry (${(bytes / 1048576).toFixed(1)} MiB)…`);
    await pushDoc(server.url, REGISTRY, editor, registry, 600_000);
    registry.destroy();
    await server.stop('SIGTERM');
    server = await ServerProcess.start(data.dir);
    const pid = server.child.pid;
    if (pid === undefined) throw new Error('the server process has no pid');
    const steps: Record<string, { rss_mib: number; peak_mib: number; ms?: number }> = {};
    steps.cold = await settled(pid);
    log(`cold: ${JSON.stringify(steps.cold)}`);

    // CYCLES times the same community loaded and let go: the RSS after the second tells a leak from a high-water mark.
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const key = (step: string) => (cycle === 1 ? step : `${step}_${cycle}`);
      let t = Date.now();
      const full = connect(server.url, REGISTRY, editor);
      await whenSynced(full, 600_000);
      steps[key('editor_synced')] = { ...(await settled(pid)), ms: Date.now() - t };
      log(`${cycle}: an editor's device synced the registry: ${JSON.stringify(steps[key('editor_synced')])}`);

      t = Date.now();
      const masked = connect(server.url, MASKED, viewer);
      await whenSynced(masked, 600_000);
      steps[key('viewer_synced')] = { ...(await settled(pid)), ms: Date.now() - t };
      log(`${cycle}: a viewer's device synced the masked copy: ${JSON.stringify(steps[key('viewer_synced')])}`);

      release(full);
      release(masked);
      steps[key('both_gone')] = await settled(pid);
      log(`${cycle}: both devices gone: ${JSON.stringify(steps[key('both_gone')])}`);
      // The server lets a document without clients go after `idleUnloadMs` (30 s by default).
      await new Promise((resolve) => setTimeout(resolve, 40_000));
      steps[key('unloaded')] = await settled(pid);
      log(`${cycle}: 40 s later (documents let go): ${JSON.stringify(steps[key('unloaded')])}`);
    }
    console.log(
      JSON.stringify({
        residents: RESIDENTS,
        registry_mib: Number((bytes / 1048576).toFixed(1)),
        engine: 'sqlite',
        ...steps,
        load_avg: loadavg().map((value) => Math.round(value * 100) / 100),
      }),
    );
  } finally {
    await server.stop();
    data.cleanup();
  }
}

await main();
process.exit(0);
