/**
 * `npm run bench:answer-apply`: a new device applying the sync server's answer for a registry that other devices have
 * edited, in Node. The registry is made like bench:scale's (tests/bench/scale/data.ts: places, residents through the
 * app's import with UUIDs), then `BENCH_DEVICES` other devices (default 12) each save `BENCH_EDITS` residents' forms
 * (default 1,000: `updateResident`, as bench:scale's reconnects do, audit entries included), and the answer to a
 * device holding nothing is cut as the server cuts it (`encodeSyncAnswer`'s `encodeStateAsUpdates`, pieces of
 * 1 MiB, small clients first). Timed, each in one transaction as `LocalDocs.applyReceived` applies an answer:
 *
 * - `one_by_one_ms`: `Y.applyUpdate` per piece (the app before 2026-12-04): Yjs tries what is pending again at every
 *   later piece;
 * - `held_ms`: `applyPieces` (shared/sync/chunks.ts): what a piece leaves pending held aside and applied once;
 * - `whole_ms`: the same state as one `Y.encodeStateAsUpdate` (what a single update would cost; for comparison).
 *
 * Each result is checked against the source document (state vector and residents): a difference stops the bench.
 * Prints min / median / max over `BENCH_RUNS` runs (default 5), alternating the ways, with the load average, and one
 * JSON line. `BENCH_RESIDENTS` (default 20,000; 100,000 needs `--max-old-space-size=8192`, as the npm script gives).
 * Figures: docs/bench-scale.md, "Pending structs".
 */
import { cpus, loadavg } from 'node:os';
import * as Y from 'yjs';
import { mulberry32 } from '@shared/domain/registry/demo';
import { applyPieces, encodeStateAsUpdates } from '@shared/sync/chunks';
import type { ResidentId } from '@shared/domain/registry/types';
import { ANSWER_MESSAGE_BYTES } from '../../sync-server/protocol';
import { appContext, scaleRegistry } from './scale/data';
import { editResidents } from './sync/seed';
import { load1, spread } from './stats';

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 20_000);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 12);
const EDITS = Number(process.env.BENCH_EDITS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const log = (message: string) =>
  process.stderr.write(`[bench:answer-apply ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

function source(): Y.Doc {
  const started = performance.now();
  const office = scaleRegistry(1, RESIDENTS, log);
  log(`registry of ${RESIDENTS} residents in ${Math.round(performance.now() - started)} ms`);
  const ids = [...office.getMap('residents').keys()] as ResidentId[];
  // Deterministic, so that every run of the bench edits the same residents.
  const next = mulberry32(7);
  for (let device = 0; device < DEVICES; device++) {
    // Each device its own Y.Doc (its own client id), synced with the office before and after its edits.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(office));
    const picked = Array.from({ length: EDITS }, () => ids[Math.floor(next() * ids.length)] as ResidentId);
    editResidents(other, appContext(`device-${device}`), picked, (i) => `另一台修改${device}-${i}`);
    Y.applyUpdate(office, Y.encodeStateAsUpdate(other, Y.encodeStateVector(office)));
    other.destroy();
  }
  log(`${DEVICES} devices × ${EDITS} edits; ${office.store.clients.size} client ids`);
  return office;
}

type Way = 'one_by_one' | 'held' | 'whole';

function applyOnce(way: Way, pieces: readonly Uint8Array[], whole: Uint8Array, expected: Y.Doc): number {
  const doc = new Y.Doc();
  const started = performance.now();
  Y.transact(
    doc,
    () => {
      if (way === 'one_by_one') for (const piece of pieces) Y.applyUpdate(doc, piece, 'server');
      else if (way === 'held') applyPieces(doc, pieces, 'server');
      else Y.applyUpdate(doc, whole, 'server');
    },
    'server',
    false,
  );
  const ms = performance.now() - started;
  const same =
    doc.store.pendingStructs === null &&
    Buffer.from(Y.encodeStateVector(doc)).equals(Buffer.from(Y.encodeStateVector(expected))) &&
    doc.getMap('residents').size === expected.getMap('residents').size;
  doc.destroy();
  if (!same) throw new Error(`${way}: the applied document differs from the source`);
  return ms;
}

function main(): void {
  const doc = source();
  const pieces = encodeStateAsUpdates(doc, new Map(), ANSWER_MESSAGE_BYTES);
  const whole = Y.encodeStateAsUpdate(doc);
  log(`answer: ${pieces.length} pieces, ${(whole.byteLength / 1024 / 1024).toFixed(1)} MiB`);
  const times: Record<Way, number[]> = { one_by_one: [], held: [], whole: [] };
  const loads: number[] = [];
  const ways: Way[] = ['one_by_one', 'held', 'whole'];
  for (let run = 0; run < RUNS; run++) {
    loads.push(load1());
    // Alternating which way goes first, so that none always meets a warmer or a busier machine.
    const order = run % 2 === 0 ? ways : [...ways].reverse();
    for (const way of order) times[way].push(applyOnce(way, pieces, whole, doc));
    log(`run ${run + 1}: ${ways.map((way) => `${way} ${Math.round(times[way][run] ?? 0)} ms`).join(', ')}`);
  }
  const figures = {
    bench: 'answer-apply',
    residents: RESIDENTS,
    devices: DEVICES,
    edits_per_device: EDITS,
    client_ids: doc.store.clients.size,
    pieces: pieces.length,
    answer_bytes: whole.byteLength,
    runs: RUNS,
    one_by_one_ms: spread(times.one_by_one, 0),
    held_ms: spread(times.held, 0),
    whole_ms: spread(times.whole, 0),
    load_avg_1m: spread(loads, 2),
    cpus: cpus().length,
    load_avg_end: loadavg().map((value) => Number(value.toFixed(2))),
  };
  process.stdout.write(
    `\n| way | min / median / max (ms) over ${RUNS} runs |\n| --- | ---: |\n` +
      ways
        .map(
          (way) =>
            `| ${way} | ${figures[`${way}_ms`].min} / ${figures[`${way}_ms`].median} / ${figures[`${way}_ms`].max} |`,
        )
        .join('\n') +
      '\n\n' +
      JSON.stringify(figures) +
      '\n',
  );
}

main();
