/**
 * `npm run bench:ten-years`: ten years of one community's registry-like document, edited by 20 devices in 2,500
 * app sessions each (250,000 edits in all), with the client ids chosen by the app's own code
 * (renderer/data/clientIds.ts: `ClientIdSession.start`, `choose`, `end`) over stand-ins for Web Locks, the claim in
 * IndexedDB and the clean end in localStorage (tests/unit/renderer/data/clientIdsSupport.ts). Then the same with the
 * behaviour before it (a new id per session), stopped after OLD_CAP_MS. Prints one JSON line.
 *
 * A device is its store on disk (a Y.Doc holding what was written) and its sessions: each loads the document from
 * disk (its id is chosen then), may make an edit before its first sync arrives (offline first: one session in two),
 * takes what the server relayed since its last session (every device's edits and the archiver's writes), then edits; every edit goes to the server at
 * once (as DocSync sends it, before the write) and to the disk. Some sessions do not end clean (UNCLEAN_RATE: a
 * crash, a kill, a closed window with writes in flight, a failed write): their last edits reach the server but never
 * the disk, and no clean end is written. Some sessions have a second window of the same profile open
 * (SECOND_WINDOW_RATE), which takes the next slot and writes to the same disk.
 *
 * Every device holds the whole document, as the app's do (3.1 GB of memory after five of the ten years: the npm
 * script runs Node with an 8 GB heap; every update is applied twenty-one times, so the full ten years take
 * well over an hour on 2 cores). Until 2026-12-03 a device took back only its own updates
 * (`TEN_YEARS_OWN_ONLY=1`): that does not change which ids a device uses, but each device then appended after its own
 * last entry and the server's document held twenty concurrent chains, slower to load than the app's. All documents
 * start from the same imported registry (2,000 residents, one Y.Map each, made by one client), so edits set fields
 * of shared maps.
 *
 * Edits are registry-like: one field of one resident set and its audit entry (the app's `AuditEntry` shape, about
 * 250 bytes, its id the edit's unique tag) appended to `audit` in one transaction, as the app's commands write them.
 * Sessions are spread over 1 January 2017 to 31 December 2026; on each 1 January the server's audit archiver moves
 * the entries of the years before last into their yearly documents, with the app's own functions
 * (shared/ydoc/auditArchive.ts; `TEN_YEARS_ARCHIVE=0` leaves them all in the registry). An id reused unsafely makes
 * the server drop an edit (it already holds other content at that id and clock): `ten_year_every_edit_kept` checks
 * that the registry and the archives together hold every entry exactly once (`TEN_YEARS_UNSAFE=1` shows it failing).
 *
 * Figures: `ten_year_client_ids` (distinct ids in the final document), `ten_year_doc_bytes` (its whole state, v1),
 * `ten_year_server_load_ms` (that state applied to a fresh Y.Doc, as a server loading the document: LOAD_RUNS runs,
 * min/median/max), `ten_year_update_ms` (one more edit applied on the server, median of 200), and the `old_*` figures
 * of the capped run before the change. Load average of the machine with it.
 */
import { cpus, loadavg } from 'node:os';
import {
  ARCHIVE,
  DEVICES,
  EDITS,
  FRACTION,
  OLD_CAP_MS,
  SECOND_WINDOW_RATE,
  SESSIONS_PER_DEVICE,
  UNCLEAN_RATE,
  UNSAFE,
  auditHomes,
  everyEditKept,
  log,
  round,
  serverLoad,
  simulate,
  updateCost,
} from './tenYears';

async function main(): Promise<void> {
  const loadBefore = loadavg().map((value) => round(value, 2));
  log(`slots: ${DEVICES} devices x ${SESSIONS_PER_DEVICE} sessions, ${EDITS} edits`);
  const now = await simulate('slots', Number.POSITIVE_INFINITY);
  const ids = now.server.doc.store.clients.size;
  const kept = everyEditKept(now.server, now.outcome.edits);
  const nowLoad = await serverLoad(now.server.doc);
  const nowUpdate = updateCost(now.server);
  const homes = auditHomes(now.server);
  const figures: Record<string, unknown> = {
    ten_year_client_ids: ids,
    ten_year_doc_bytes: nowLoad.bytes,
    ten_year_server_load_ms: nowLoad.ms.median,
    ten_year_server_load_ms_runs: nowLoad.ms,
    ten_year_server_load_in_bench_process_ms: nowLoad.inProcessMs,
    ten_year_update_ms: nowUpdate,
    ten_year_sessions: now.outcome.sessions,
    ten_year_edits: now.outcome.edits,
    ten_year_archiver: ARCHIVE,
    ten_year_audit_entries: homes.registry,
    ten_year_audit_archived: homes.archived,
    ten_year_archive_bytes: homes.archiveBytes,
    ten_year_unclean_sessions: now.outcome.unclean,
    ten_year_second_windows: now.outcome.secondWindows,
    ten_year_sessions_reusing_an_id: now.outcome.reused,
    ten_year_ids_replaced_by_yjs: now.outcome.replacedByYjs,
    ten_year_every_edit_kept: kept,
    ten_year_simulation_ms: now.outcome.ms,
  };
  for (const device of now.devices) device.disk.destroy();
  now.server.doc.destroy();

  log(`old (a new id per session): capped at ${OLD_CAP_MS} ms`);
  const old = await simulate('old', OLD_CAP_MS);
  const oldIds = old.server.doc.store.clients.size;
  const oldLoad = await serverLoad(old.server.doc);
  const oldUpdate = updateCost(old.server);
  Object.assign(figures, {
    old_capped: old.outcome.capped,
    old_cap_ms: OLD_CAP_MS,
    old_sessions: old.outcome.sessions,
    old_edits: old.outcome.edits,
    old_client_ids: oldIds,
    old_doc_bytes: oldLoad.bytes,
    old_server_load_ms: oldLoad.ms.median,
    old_server_load_ms_runs: oldLoad.ms,
    old_update_ms: oldUpdate,
    old_simulation_ms: old.outcome.ms,
    fraction: FRACTION,
    unsafe: UNSAFE,
    unclean_rate: UNCLEAN_RATE,
    second_window_rate: SECOND_WINDOW_RATE,
    cpus: cpus().length,
    load_avg_before: loadBefore,
    load_avg: loadavg().map((value) => round(value, 2)),
  });
  console.log(JSON.stringify(figures));
}

await main();
