/**
 * The ten simulated years of `npm run bench:ten-years` (tests/bench/tenYears.ts: 20 devices × 2,500 sessions, 250,000
 * edits, client ids chosen by the app's `ClientIdSession`), and then the document they leave **on the real server**:
 * stored through it, the server started cold (a new process, the document not loaded), and a new device (a stock
 * y-websocket client in Node) joining until it holds the whole document: `ten_year_cold_start_ms`, per run.
 * `TEN_YEARS_SAVE=<file>` writes the final registry's state there.
 */
import { writeFileSync } from 'node:fs';
import * as Y from 'yjs';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { whenSynced } from '../../integration/sync-server/harness';
import { load1, spread, type Spread } from '../stats';
import { everyEditKept, serverLoad, simulate } from '../tenYears';
import type { BenchServer } from '../sync/server';
import { connect, pushDoc, release } from '../sync/seed';

const COMMUNITY = toCommunityId('bench-ten-years');

export interface TenYears {
  readonly ten_year_client_ids: number;
  readonly ten_year_every_edit_kept: boolean;
  readonly ten_year_edits: number;
  readonly ten_year_doc_bytes: number;
  /** The whole state applied to a fresh Y.Doc in a worker thread of its own (the server's load of it), 5 runs. */
  readonly ten_year_server_load_ms: Spread;
  /** The same in the bench's own heap, beside the simulation's copies (how it was measured until 2026-12-03). */
  readonly ten_year_server_load_in_bench_process_ms: Spread;
  /** Cold server → a new device holds the whole document, per run. */
  readonly ten_year_cold_start_ms: Spread;
  readonly ten_year_cold_start_runs: number[];
  readonly ten_year_simulation_ms: number;
  readonly ten_year_load: [number, number];
}

export async function tenYears(server: BenchServer, runs: number, log: (m: string) => void): Promise<TenYears> {
  const before = load1();
  log('ten years: simulating 20 devices × 2,500 sessions (TEN_YEARS_FRACTION scales it down)…');
  const { server: simulated, devices, outcome } = await simulate('slots', Number.POSITIVE_INFINITY);
  for (const device of devices) device.disk.destroy();
  const doc = simulated.doc;
  const ids = doc.store.clients.size;
  const kept = everyEditKept(simulated, outcome.edits);
  const load = await serverLoad(doc);
  log(`  ${ids} client ids, ${(load.bytes / 1048576).toFixed(1)} MiB, loaded in ${load.ms.median} ms (median)`);
  // TEN_YEARS_SAVE=<file>: the final registry's state kept, to look into its load without simulating again (8 min).
  if (process.env.TEN_YEARS_SAVE) writeFileSync(process.env.TEN_YEARS_SAVE, Y.encodeStateAsUpdate(doc));

  await server.addCommunity(COMMUNITY, '十年社区');
  const token = await server.issue('ten-years', COMMUNITY);
  const name = docName({ community: COMMUNITY, collection: 'registry' });
  await pushDoc(server.url, name, token, doc);
  const target = Y.decodeStateVector(Y.encodeStateVector(doc));
  doc.destroy();
  const times: number[] = [];
  for (let run = 1; run <= runs; run++) {
    await server.restartCold();
    const t0 = Date.now();
    const provider = connect(server.url, name, token);
    try {
      await whenSynced(provider, 300_000);
      const sv = Y.decodeStateVector(Y.encodeStateVector(provider.doc));
      if (![...target].every(([client, clock]) => (sv.get(client) ?? 0) >= clock))
        throw new Error('the new device does not hold the whole ten-year document');
      times.push(Date.now() - t0);
    } finally {
      release(provider);
    }
    log(`  ten-year cold start ${run}/${runs}: ${times.at(-1)} ms`);
    // Where the server's time went: its timed log lines of this run (load, masked copy, compaction).
    for (const line of server.logs)
      if (typeof line.ms === 'number' && typeof line.doc === 'string')
        log(`    server: ${line.msg} ${line.doc} ${line.ms} ms`);
  }
  return {
    ten_year_client_ids: ids,
    ten_year_every_edit_kept: kept,
    ten_year_edits: outcome.edits,
    ten_year_doc_bytes: load.bytes,
    ten_year_server_load_ms: load.ms,
    ten_year_server_load_in_bench_process_ms: load.inProcessMs,
    ten_year_cold_start_ms: spread(times, 0),
    ten_year_cold_start_runs: times,
    ten_year_simulation_ms: outcome.ms,
    ten_year_load: [before, load1()],
  };
}
