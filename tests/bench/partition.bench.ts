/**
 * `npm run bench:partition` (issue 22, "A registry that scales"): the registry of 20,000 and 100,000 residents, made
 * as bench:scale makes it (tests/bench/scale/data.ts: the app's import, UUID ids), measured in four layouts, in the
 * same process, the layouts' order rotated from run to run:
 *
 * - `A` one registry document (today);
 * - `B-compound` a common document and one document per compound (tests/bench/partition/split.ts);
 * - `B-shards` a places document and 16 fixed shards of residents;
 * - `C` the server's snapshot of projected rows (64 gzipped buckets and the list head), the Yjs document after it.
 *
 * Per layout and run: the server's cold answer (load from the stored bytes, encode, gzip), bytes on the wire, the
 * device's apply and projection, the first list and the total (serial sums: one step after another, no network),
 * the heap of each loaded document, a compaction's encode, and one resident's phone edited (the Yjs update and the
 * resident bucket the device rewrites). For C: making the snapshot, reading it on the device, keeping it current
 * after the edit. Steps: tests/bench/partition/measure.ts. Figures and what they leave out: docs/decisions.md.
 *
 * Prints a table (stderr; min / median / max over BENCH_RUNS runs, default 5) and one JSON line (stdout; also written
 * to BENCH_RECORD=<file>). BENCH_SIZES=20000,100000 chooses the sizes. Run with --expose-gc (the npm script does).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import * as Y from 'yjs';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { readRecord } from '@shared/ydoc/registry';
import { appContext, scaleRegistry } from './scale/data';
import { splitByCompound, splitByShards, type Split } from './partition/split';
import {
  clientApply,
  editCost,
  hasGc,
  heapBytes,
  keepSnapshotCurrent,
  makeSnapshot,
  now,
  project,
  readSnapshot,
  serverAnswer,
} from './partition/measure';
import { load1, spread, type Spread } from './stats';
import { rebuildDoc } from '../../sync-server/docState';
import { updateResident } from '@shared/domain/registry/commands';
import type { ResidentId } from '@shared/domain/registry/types';

const SIZES = (process.env.BENCH_SIZES ?? '20000,100000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SHARDS = 16;
/** bench:scale's seed, so the community is the same. */
const SEED = 20261202;
const DOC = docName({ community: 'bench-partition' as CommunityId, collection: 'registry' });
const MiB = 1024 * 1024;

type Design = 'A' | 'B-compound' | 'B-shards' | 'C';
const DESIGNS: readonly Design[] = ['A', 'B-compound', 'B-shards', 'C'];
type Figures = Record<string, number>;

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
const ctx = appContext('office');
let phoneSeq = 0;
/** Two mobile numbers not used before (each edit must change the phone). */
function phones(): [string, string] {
  phoneSeq += 2;
  return [`139${String(phoneSeq).padStart(8, '0')}`, `139${String(phoneSeq + 1).padStart(8, '0')}`];
}

/** A: the one registry document, through the server and onto a new device. */
async function measureWhole(stored: Uint8Array, residentId: string): Promise<Figures> {
  const server = await serverAnswer(stored);
  server.doc.destroy();
  const client = clientApply(server);
  const projected = project(client.doc, client.doc, DOC);
  const edit = editCost(client.doc, client.doc, DOC, projected, residentId, ctx, phones());
  client.doc.destroy();
  const serverMs = server.loadMs + server.encodeMs + server.gzipMs;
  const total = serverMs + client.ms + projected.ms;
  return {
    docs: 1,
    stored_mib: server.storedBytes / MiB,
    wire_mib: server.wireBytes / MiB,
    server_load_ms: server.loadMs,
    server_encode_ms: server.encodeMs,
    server_gzip_ms: server.gzipMs,
    client_apply_ms: client.ms,
    project_ms: projected.ms,
    first_list_ms: total,
    total_ms: total,
    heap_mib: server.heapBytes / MiB,
    heap_max_doc_mib: server.heapBytes / MiB,
    compact_ms: server.compactMs,
    compact_max_doc_ms: server.compactMs,
    projection_mib: projected.bytes / MiB,
    head_kib: projected.headBytes / 1024,
    edit_first_ms: edit.firstEditMs,
    edit_ms: edit.editMs,
    edit_update_bytes: edit.updateBytes,
    edit_bucket_bytes: edit.bucketBytes,
    edit_bucket_rows: edit.bucketRows,
    edit_stored_doc_mib: server.storedBytes / MiB,
  };
}

/** B: every document of a split, one after another, through the server and onto a new device. */
async function measureSplit(split: Split, residentId: string): Promise<Figures> {
  let placesDoc: Y.Doc | null = null;
  const perDoc: { total: number; heap: number; compact: number; stored: number; residents: number }[] = [];
  const sums = {
    load: 0,
    encode: 0,
    gzip: 0,
    apply: 0,
    project: 0,
    wire: 0,
    gzipAll: 0,
    stored: 0,
    heap: 0,
    bytes: 0,
    head: 0,
  };
  let firstList = 0;
  let edit: ReturnType<typeof editCost> | null = null;
  let editDocStored = 0;
  const opened: Y.Doc[] = [];
  for (const [index, part] of split.parts.entries()) {
    const server = await serverAnswer(part.stored);
    server.doc.destroy();
    const client = clientApply(server);
    opened.push(client.doc);
    const places = split.places === null ? client.doc : (placesDoc ?? client.doc);
    if (split.places !== null && part.name === split.places.name) placesDoc = client.doc;
    const name = `${DOC}/${part.name}`;
    const projected = project(client.doc, places, name);
    if (readRecord(client.doc, 'residents', residentId) !== null) {
      edit = editCost(client.doc, places, name, projected, residentId, ctx, phones(), split.design === 'shards');
      editDocStored = part.stored.length;
    }
    const total = server.loadMs + server.encodeMs + server.gzipMs + client.ms + projected.ms;
    perDoc.push({
      total,
      heap: server.heapBytes,
      compact: server.compactMs,
      stored: part.stored.length,
      residents: part.residents,
    });
    sums.load += server.loadMs;
    sums.encode += server.encodeMs;
    sums.gzip += server.gzipMs;
    sums.apply += client.ms;
    sums.project += projected.ms;
    sums.wire += server.wireBytes;
    sums.gzipAll += server.gzipAllBytes;
    sums.stored += server.storedBytes;
    sums.heap += server.heapBytes;
    sums.bytes += projected.bytes;
    sums.head += projected.headBytes;
    // By compound the list's first page is the common document and the first compound; by shards every shard holds
    // some of the first compound's residents, so the first page needs them all.
    if (split.design === 'shards' || index <= 1) firstList += total;
  }
  for (const doc of opened) doc.destroy();
  if (edit === null) throw new Error(`resident ${residentId} is in no document of ${split.design}`);
  const residentDocs = perDoc.filter((doc) => doc.residents > 0);
  const max = (values: number[]): number => Math.max(...values);
  return {
    docs: split.parts.length,
    stored_mib: sums.stored / MiB,
    stored_max_doc_mib: max(perDoc.map((doc) => doc.stored)) / MiB,
    wire_mib: sums.wire / MiB,
    wire_all_gzipped_mib: sums.gzipAll / MiB,
    server_load_ms: sums.load,
    server_encode_ms: sums.encode,
    server_gzip_ms: sums.gzip,
    client_apply_ms: sums.apply,
    project_ms: sums.project,
    first_list_ms: firstList,
    total_ms: perDoc.reduce((sum, doc) => sum + doc.total, 0),
    common_doc_ms: perDoc[0]?.total ?? 0,
    first_residents_doc_ms: perDoc[1]?.total ?? 0,
    first_residents_doc_residents: perDoc[1]?.residents ?? 0,
    max_doc_ms: max(perDoc.map((doc) => doc.total)),
    heap_mib: sums.heap / MiB,
    heap_max_doc_mib: max(perDoc.map((doc) => doc.heap)) / MiB,
    heap_common_doc_mib: (perDoc[0]?.heap ?? 0) / MiB,
    residents_max_doc: max(residentDocs.map((doc) => doc.residents)),
    compact_ms: perDoc.reduce((sum, doc) => sum + doc.compact, 0),
    compact_max_doc_ms: max(perDoc.map((doc) => doc.compact)),
    projection_mib: sums.bytes / MiB,
    head_kib: sums.head / 1024,
    edit_first_ms: edit.firstEditMs,
    edit_ms: edit.editMs,
    edit_update_bytes: edit.updateBytes,
    edit_bucket_bytes: edit.bucketBytes,
    edit_bucket_rows: edit.bucketRows,
    edit_stored_doc_mib: editDocStored / MiB,
  };
}

/** C: the snapshot made from the loaded registry (at compaction), read by a new device, kept current after an edit. */
function measureSnapshot(stored: Uint8Array, residentId: string): Figures {
  const before = heapBytes();
  const t0 = now();
  const { ydoc } = rebuildDoc([stored], () => undefined);
  const loadMs = now() - t0;
  const heap = heapBytes() - before;
  const snapshot = makeSnapshot(ydoc, DOC);
  const read = readSnapshot(snapshot);
  // An edit arriving at the server (the ID-number index built by a first edit, not timed here).
  const [first, second] = phones();
  for (const phone of [first, second]) {
    const result = updateResident(ydoc, ctx, { id: residentId as ResidentId, changes: { phone } });
    if (!result.ok) throw new Error(`updateResident: ${JSON.stringify(result.error)}`);
  }
  const current = keepSnapshotCurrent(snapshot, ydoc, DOC, residentId);
  ydoc.destroy();
  return {
    server_load_ms: loadMs,
    heap_mib: heap / MiB,
    make_ms: snapshot.makeMs,
    snapshot_raw_mib: snapshot.rawBytes / MiB,
    wire_mib: snapshot.bytes / MiB,
    head_gz_kib: snapshot.head.length / 1024,
    list_ms: read.listMs,
    search_ready_ms: read.allMs,
    keep_current_ms: current.ms,
    keep_current_bytes: current.bytes,
    keep_current_head: current.headRewritten ? 1 : 0,
  };
}

function rotate<T>(items: readonly T[], by: number): T[] {
  return items.map((_, index) => items[(index + by) % items.length] as T);
}

interface SizeResult {
  readonly residents: number;
  readonly buildMs: number;
  readonly editedResident: string;
  readonly docs: Record<string, { name: string; residents: number; storedMiB: number }[]>;
  readonly runs: { design: Design; run: number; loadBefore: number; loadAfter: number; figures: Figures }[];
}

async function measureSize(residents: number): Promise<SizeResult> {
  log(`\n== ${residents} residents: building the registry (the app's import, UUID ids)`);
  const t0 = now();
  const source = scaleRegistry(SEED, residents, log);
  const stored = Y.encodeStateAsUpdate(source);
  const byCompound = splitByCompound(source);
  const byShards = splitByShards(source, SHARDS);
  const buildMs = now() - t0;
  // The edited resident: in the first compound (the list's first page by compound), not on the first page itself.
  const firstCompound = byCompound.parts[1];
  if (firstCompound === undefined) throw new Error('no compound');
  const firstCompoundDoc = new Y.Doc();
  Y.applyUpdate(firstCompoundDoc, firstCompound.stored);
  const ids = [...firstCompoundDoc.getMap('residents').keys()].sort();
  const editedResident = ids[Math.floor(ids.length / 2)] ?? '';
  firstCompoundDoc.destroy();
  source.destroy();
  const docs = Object.fromEntries(
    [byCompound, byShards].map((split) => [
      split.design,
      split.parts.map((part) => ({
        name: part.name,
        residents: part.residents,
        storedMiB: Number((part.stored.length / MiB).toFixed(2)),
      })),
    ]),
  );
  log(
    `   built in ${(buildMs / 1000).toFixed(1)} s: one document ${(stored.length / MiB).toFixed(1)} MiB; ` +
      `by compound ${byCompound.parts.length} documents (${byCompound.parts.map((p) => p.residents).join(', ')} residents); ` +
      `by shards ${byShards.parts.length} documents`,
  );
  const runs: SizeResult['runs'] = [];
  for (let run = 0; run < RUNS; run++) {
    for (const design of rotate(DESIGNS, run)) {
      const loadBefore = load1();
      const figures =
        design === 'A'
          ? await measureWhole(stored, editedResident)
          : design === 'B-compound'
            ? await measureSplit(byCompound, editedResident)
            : design === 'B-shards'
              ? await measureSplit(byShards, editedResident)
              : measureSnapshot(stored, editedResident);
      const loadAfter = load1();
      runs.push({ design, run: run + 1, loadBefore, loadAfter, figures });
      // Each run as it ends (a long run stopped half-way keeps what it measured).
      if (process.env.BENCH_RECORD) {
        const line = { residents, design, run: run + 1, loadBefore, loadAfter, figures };
        appendFileSync(`${process.env.BENCH_RECORD}.runs`, `${JSON.stringify(line)}\n`);
      }
      const shown = ['first_list_ms', 'total_ms', 'list_ms', 'wire_mib', 'heap_max_doc_mib', 'heap_mib']
        .filter((key) => figures[key] !== undefined)
        .map((key) => `${key} ${(figures[key] ?? 0).toFixed(key.endsWith('mib') ? 1 : 0)}`)
        .join(', ');
      log(`   run ${run + 1} ${design}: ${shown} (load ${loadBefore} → ${loadAfter})`);
    }
  }
  return { residents, buildMs, editedResident, docs, runs };
}

function summary(result: SizeResult): Record<Design, Record<string, Spread>> {
  const out = {} as Record<Design, Record<string, Spread>>;
  for (const design of DESIGNS) {
    const runs = result.runs.filter((run) => run.design === design);
    const keys = Object.keys(runs[0]?.figures ?? {});
    out[design] = Object.fromEntries(
      keys.map((key) => [
        key,
        spread(
          runs.map((run) => run.figures[key] ?? Number.NaN),
          key.endsWith('mib') ? 2 : 1,
        ),
      ]),
    );
  }
  return out;
}

function printTable(result: SizeResult, table: Record<Design, Record<string, Spread>>): void {
  const loads = result.runs.flatMap((run) => [run.loadBefore, run.loadAfter]);
  log(
    `\n${result.residents} residents, ${RUNS} runs, load average ${Math.min(...loads)}-${Math.max(...loads)} ` +
      '(min / median / max)',
  );
  for (const design of DESIGNS) {
    log(`  ${design}`);
    for (const [key, value] of Object.entries(table[design])) {
      log(`    ${key.padEnd(24)} ${value.min} / ${value.median} / ${value.max}`);
    }
  }
}

async function main(): Promise<void> {
  if (!hasGc) log('warning: run with --expose-gc (npm run bench:partition does): heap figures are noisy without it');
  const results = [];
  for (const residents of SIZES) {
    const result = await measureSize(residents);
    const table = summary(result);
    printTable(result, table);
    results.push({ ...result, summary: table });
  }
  const line = JSON.stringify({
    bench: 'partition',
    runs: RUNS,
    shards: SHARDS,
    at: new Date().toISOString(),
    results,
  });
  process.stdout.write(`${line}\n`);
  if (process.env.BENCH_RECORD) writeFileSync(process.env.BENCH_RECORD, `${line}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
