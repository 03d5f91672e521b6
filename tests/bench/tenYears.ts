/**
 * The ten simulated years of `npm run bench:ten-years` (what they are: tests/bench/ten-years.bench.ts), as functions
 * that bench and `npm run bench:scale` both run: the simulation, the check that every edit was kept, the server's load
 * of the final document and the cost of one more update.
 */
import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';
import type { AuditEntry } from '@shared/domain/registry/types';
import {
  appendToArchive,
  archiveArray,
  deleteArchived,
  entriesToArchive,
  mergeAuditEntries,
  noteArchivedYears,
} from '@shared/ydoc/auditArchive';
import { ClientIdSession } from '../../renderer/data/clientIds';
import { MemoryClaims, MemoryLocks, MemoryMarks } from '../unit/renderer/data/clientIdsSupport';

/** Below 1 only to try the bench out (`TEN_YEARS_FRACTION=0.02`): the figures then are not the ten years'. */
export const FRACTION = Number(process.env.TEN_YEARS_FRACTION ?? 1);
export const DEVICES = 20;
export const SESSIONS_PER_DEVICE = Math.round(2_500 * FRACTION);
export const EDITS = Math.round(250_000 * FRACTION);
const RESIDENTS = 2_000;
/** About 5 per device over ten years. */
export const UNCLEAN_RATE = 0.002;
export const SECOND_WINDOW_RATE = 0.01;
const LOAD_RUNS = 5;
/**
 * `TEN_YEARS_UNSAFE=1` checks the check: a session that ends unclean writes its clean end anyway (its lost edits
 * were sent, not stored), so its ids are reused; `ten_year_every_edit_kept` must then be false (when an unclean end is followed by an offline edit).
 */
export const UNSAFE = process.env.TEN_YEARS_UNSAFE === '1';
export const OLD_CAP_MS = Number(process.env.TEN_YEARS_OLD_CAP_MS ?? 120_000);
/**
 * The server's audit archiver, as the app's sync server runs it (docs/registry-model.md, "Where the audit lives"):
 * on 1 January of each simulated year the entries of the years before last move to their yearly documents.
 * `TEN_YEARS_ARCHIVE=0` leaves every entry in the registry (the figures without it, for comparison).
 */
export const ARCHIVE = process.env.TEN_YEARS_ARCHIVE !== '0';
/** The ten years: sessions spread evenly from 1 January 2017 to 31 December 2026 (UTC). */
const FIRST_DAY = Date.UTC(2017, 0, 1);
const LAST_DAY = Date.UTC(2026, 11, 31);
const ARCHIVE_ORIGIN = { kind: 'ten-years-archiver' } as const;
const DOC = 'c1/registry';
const FIELDS = ['phone', 'address', 'note', 'tags'] as const;

/** A seeded generator (mulberry32): the same ten years at every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function log(message: string): void {
  process.stderr.write(`[bench:ten-years ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function stats(values: number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: round(sorted[0] ?? 0, 2),
    median: round(sorted[Math.floor(sorted.length / 2)] ?? 0, 2),
    max: round(sorted[sorted.length - 1] ?? 0, 2),
  };
}

export interface Device {
  readonly index: number;
  /** What this device has on disk. */
  readonly disk: Y.Doc;
  /** How many of the server's updates it has taken (of `log`, or with `TEN_YEARS_OWN_ONLY=1` of its own `relayed`). */
  seen: number;
  readonly locks: MemoryLocks;
  readonly claims: MemoryClaims;
  readonly marks: MemoryMarks;
}

/**
 * The server: its document, every update it took in order (`log`: every device's edits and the archiver's writes,
 * what it relays to every device), per device the updates that device sent, and the yearly audit archives its
 * archiver wrote (`<community>/audit/<year>`).
 */
export interface Server {
  readonly doc: Y.Doc;
  readonly log: Uint8Array[];
  readonly relayed: Uint8Array[][];
  readonly archives: Map<number, Y.Doc>;
}

/**
 * `TEN_YEARS_OWN_ONLY=1`: each device takes back only its own updates (how the simulation ran until 2026-12-03, to
 * keep twenty full copies out of memory). Its devices then append their audit entries after their own last one, never
 * after the others', unlike the app's devices, which sync. At a tenth of the ten years the two load alike
 * (docs/bench-scale.md, "Devices that sync").
 */
export const OWN_ONLY = process.env.TEN_YEARS_OWN_ONLY === '1';

export type Mode = 'slots' | 'old';

interface Outcome {
  sessions: number;
  edits: number;
  unclean: number;
  secondWindows: number;
  reused: number;
  /** Ids Yjs replaced because content of them came from the server (its own guard; 0 when every reuse is safe). */
  replacedByYjs: number;
  capped: boolean;
  ms: number;
}

/** The registry as imported once, before the ten years: RESIDENTS residents, one Y.Map each, by one client. */
function importedRegistry(): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    const residents = doc.getMap<Y.Map<string>>('residents');
    for (let i = 0; i < RESIDENTS; i++) {
      const resident = new Y.Map<string>();
      residents.set(`r${i}`, resident);
      resident.set('name', `resident ${i}`);
    }
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

function withUpdate(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update, 'disk');
  return doc;
}

/** A UUID-shaped id from the seeded generator (the app's ids are random UUIDs; these repeat at every run). */
function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const idRandom = seeded(20261203);
const USERS = Array.from({ length: 8 }, () => seededUuid(idRandom));
const DEVICE_IDS = Array.from({ length: DEVICES }, () => seededUuid(idRandom));
const RESIDENT_IDS = Array.from({ length: RESIDENTS }, () => seededUuid(idRandom));

/** The simulated time of session `n` of `total`. */
function sessionTime(n: number, total: number): Date {
  return new Date(FIRST_DAY + Math.floor(((LAST_DAY - FIRST_DAY) * n) / Math.max(1, total - 1)));
}

/**
 * Every edit made anywhere: one field of a resident and its audit entry in one transaction, as the app's commands
 * write them (shared/domain/registry/types.ts `AuditEntry`, about 250 bytes; its id is the edit's tag), sent to the
 * server at once.
 */
function editOn(doc: Y.Doc, server: Server, device: number, random: () => number, tag: string, at: Date): void {
  const index = Math.floor(random() * RESIDENTS);
  const resident = doc.getMap<Y.Map<string>>('residents').get(`r${index}`);
  if (resident === undefined) throw new Error('the registry was not imported');
  const field = FIELDS[Math.floor(random() * FIELDS.length)] ?? 'note';
  const value = Math.floor(random() * 1e9).toString(36);
  const entry: AuditEntry = {
    id: tag,
    at: at.toISOString(),
    userId: USERS[device % USERS.length] ?? 'user',
    userName: '网格员',
    deviceId: DEVICE_IDS[device] ?? 'device',
    action: 'update',
    collection: 'residents',
    recordId: RESIDENT_IDS[index] ?? `r${index}`,
    fields: { [field]: value },
  };
  const send = (update: Uint8Array) => {
    Y.applyUpdate(server.doc, update);
    server.relayed[device]?.push(update);
  };
  doc.on('update', send);
  doc.transact(() => {
    resident.set(field, value);
    archiveArray(doc).push([entry]);
  });
  doc.off('update', send);
}

/**
 * One pass of the server's archiver at `now` (sync-server/auditArchiver.ts, with the same shared functions): the
 * entries of closed years appended to their yearly archives, then deleted from the registry and the years noted.
 * Returns how many entries moved.
 */
export function archivePass(server: Server, now: Date): number {
  const byYear = entriesToArchive(server.doc, now);
  if (byYear.size === 0) return 0;
  const moved = new Set<string>();
  for (const [year, entries] of byYear) {
    let archive = server.archives.get(year);
    if (archive === undefined) server.archives.set(year, (archive = new Y.Doc()));
    appendToArchive(archive, entries, ARCHIVE_ORIGIN);
    for (const entry of entries) moved.add(entry.id);
  }
  const deleted = deleteArchived(server.doc, moved, ARCHIVE_ORIGIN);
  noteArchivedYears(server.doc, [...byYear.keys()], now.toISOString(), ARCHIVE_ORIGIN);
  return deleted;
}

/**
 * What the server relays since this device last looked (every device's edits and the archiver's writes; its own only
 * with `OWN_ONLY`), applied (and stored) in one transaction, as a device's first sync of a session does.
 */
function pull(device: Device, server: Server): void {
  const sent = OWN_ONLY ? (server.relayed[device.index] ?? []) : server.log;
  const updates = sent.slice(device.seen);
  device.seen = sent.length;
  if (updates.length === 0) return;
  Y.transact(device.disk, () => {
    for (const update of updates) Y.applyUpdate(device.disk, update, 'server');
  });
}

async function startSession(device: Device, mode: Mode, doc: Y.Doc, locks: ReturnType<MemoryLocks['window']>) {
  const session =
    mode === 'slots'
      ? await ClientIdSession.start({
          profile: `device-${device.index}`,
          locks,
          claims: device.claims,
          marks: device.marks,
        })
      : ClientIdSession.unslotted();
  return { session, ...session.choose(DOC, doc) };
}

export async function simulate(
  mode: Mode,
  capMs: number,
): Promise<{ server: Server; devices: Device[]; outcome: Outcome }> {
  const random = seeded(20261202);
  const server: Server = {
    doc: new Y.Doc(),
    log: [],
    relayed: Array.from({ length: DEVICES }, () => []),
    archives: new Map(),
  };
  const imported = importedRegistry();
  Y.applyUpdate(server.doc, imported);
  if (!OWN_ONLY) server.doc.on('update', (update: Uint8Array) => server.log.push(update));
  const devices: Device[] = Array.from({ length: DEVICES }, (_, index) => ({
    index,
    disk: withUpdate(imported),
    seen: 0,
    locks: new MemoryLocks(),
    claims: new MemoryClaims(),
    marks: new MemoryMarks(),
  }));
  const total = DEVICES * SESSIONS_PER_DEVICE;
  const outcome: Outcome = {
    sessions: 0,
    edits: 0,
    unclean: 0,
    secondWindows: 0,
    reused: 0,
    replacedByYjs: 0,
    capped: false,
    ms: 0,
  };
  const started = performance.now();
  // Sessions in time order, devices taking turns at random; each session's share of the edits is 1-9 (5 on average).
  const left = devices.map(() => SESSIONS_PER_DEVICE);
  let year = sessionTime(0, total).getUTCFullYear();
  for (let n = 0; n < total; n++) {
    const at = sessionTime(n, total);
    if (ARCHIVE && at.getUTCFullYear() !== year) {
      year = at.getUTCFullYear();
      const moved = archivePass(server, at);
      if (moved > 0) log(`${mode}: 1 January ${year}: the archiver moved ${moved} entries`);
    }
    if (n % 1000 === 0 && performance.now() - started > capMs) {
      outcome.capped = true;
      break;
    }
    if (n % 10_000 === 0) log(`${mode}: session ${n} of ${total}, ${server.doc.store.clients.size} ids on the server`);
    let pick = Math.floor(random() * DEVICES);
    while ((left[pick] ?? 0) === 0) pick = (pick + 1) % DEVICES;
    left[pick] = (left[pick] ?? 0) - 1;
    const device = devices[pick] as Device;
    const remaining = EDITS - outcome.edits;
    const sessionsLeft = total - n;
    const edits = sessionsLeft === 1 ? remaining : Math.min(remaining, 1 + Math.floor(random() * 9));

    // The window loads the document from disk (its id is chosen then) and may be edited before its first sync
    // arrives (offline first): one edit in two sessions comes before the pull.
    const main = device.locks.window();
    const first = await startSession(device, mode, device.disk, main);
    if (first.reused) outcome.reused += 1;
    const unclean = random() < UNCLEAN_RATE;
    // An unclean end loses the last 1-3 edits from the disk; they were sent already.
    const lost = unclean ? Math.min(edits, 1 + Math.floor(random() * 3)) : 0;
    const stored = edits - lost;
    const early = Math.min(stored, random() < 0.5 ? 1 : 0);
    for (let e = 0; e < early; e++) editOn(device.disk, server, pick, random, `${pick}.${n}.${e}`, at);
    const before = device.disk.clientID;
    pull(device, server);
    if (device.disk.clientID !== before) outcome.replacedByYjs += 1;

    // A second window of the same profile, open during this session: its own doc from the same disk.
    let second: { window: ReturnType<MemoryLocks['window']>; doc: Y.Doc; session: ClientIdSession } | null = null;
    if (random() < SECOND_WINDOW_RATE) {
      outcome.secondWindows += 1;
      const window = device.locks.window();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(device.disk), 'disk');
      const opened = await startSession(device, mode, doc, window);
      if (opened.reused) outcome.reused += 1;
      second = { window, doc, session: opened.session };
    }

    for (let e = early; e < stored; e++) {
      const target = second !== null && e % 2 === 1 ? second.doc : device.disk;
      editOn(target, server, pick, random, `${pick}.${n}.${e}`, at);
      // The second window's writes go to the same disk.
      if (target !== device.disk)
        Y.applyUpdate(device.disk, Y.encodeStateAsUpdate(target, Y.encodeStateVector(device.disk)), 'disk');
    }
    if (lost > 0) {
      // Made in memory, sent, never written: a copy of the disk stands for the window's memory.
      const memory = new Y.Doc();
      Y.applyUpdate(memory, Y.encodeStateAsUpdate(device.disk), 'disk');
      memory.clientID = device.disk.clientID;
      for (let e = stored; e < edits; e++) editOn(memory, server, pick, random, `${pick}.${n}.${e}`, at);
      memory.destroy();
      outcome.unclean += 1;
    }
    outcome.edits += edits;

    if (second !== null) {
      second.session.end({ openDocs: () => [[DOC, second.doc]], idle: () => true });
      second.doc.destroy();
    }
    if (unclean && !UNSAFE) main.crash();
    else first.session.end({ openDocs: () => [[DOC, device.disk]], idle: () => true });
    outcome.sessions += 1;
  }
  outcome.ms = Math.round(performance.now() - started);
  return { server, devices, outcome };
}

/**
 * Whether the server holds every edit's entry exactly once, in the registry or in an archive (an unsafely reused id
 * drops edits): no entry in both, none twice, none missing.
 */
export function everyEditKept(server: Server, edits: number): boolean {
  const lists = [server.doc, ...server.archives.values()].map((doc) => archiveArray(doc).toArray());
  const all = lists.flat();
  return all.length === edits && mergeAuditEntries(...lists).length === edits;
}

/** Entries left in the registry, and those moved to the yearly archives (with the archives' bytes). */
export function auditHomes(server: Server): { registry: number; archived: number; archiveBytes: number } {
  let archived = 0;
  let archiveBytes = 0;
  for (const archive of server.archives.values()) {
    archived += archiveArray(archive).length;
    archiveBytes += Y.encodeStateAsUpdate(archive).length;
  }
  return { registry: archiveArray(server.doc).length, archived, archiveBytes };
}

/**
 * Applies `state` to a fresh Y.Doc in a worker thread of its own (its own heap), returns the ms it took. The worker
 * loads it once first, untimed: a server that has run a while has Yjs's code compiled (about 0.5 s of the first load
 * of a 2 MB document here is compiling it).
 */
function loadInFreshWorker(state: Uint8Array): Promise<number> {
  const code = `
    const Y = require('yjs');
    const { parentPort, workerData } = require('node:worker_threads');
    const warm = new Y.Doc();
    Y.applyUpdate(warm, workerData);
    warm.destroy();
    const at = performance.now();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, workerData);
    parentPort.postMessage(performance.now() - at);`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: state });
    worker.once('message', (ms: number) => {
      void worker.terminate();
      resolve(ms);
    });
    worker.once('error', reject);
  });
}

/**
 * The whole state applied to a fresh Y.Doc (a server loading the document), LOAD_RUNS times, each in a worker thread
 * of its own: a server's process does not hold the simulation's twenty device copies and archives, and a load in the
 * bench's own heap of several GiB paid for its garbage collection (`inProcessMs`, kept for comparison: 2026-12-03
 * figures in docs/bench-scale.md were made that way).
 */
export async function serverLoad(doc: Y.Doc): Promise<{
  bytes: number;
  ms: { min: number; median: number; max: number };
  inProcessMs: { min: number; median: number; max: number };
}> {
  const state = Y.encodeStateAsUpdate(doc);
  const fresh: number[] = [];
  for (let run = 0; run < LOAD_RUNS; run++) fresh.push(await loadInFreshWorker(state));
  const here: number[] = [];
  for (let run = 0; run < LOAD_RUNS; run++) {
    const at = performance.now();
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, state);
    here.push(performance.now() - at);
    loaded.destroy();
  }
  return { bytes: state.length, ms: stats(fresh), inProcessMs: stats(here) };
}

/** One more small edit applied on the server, 200 times: the per-update cost at this many ids. */
export function updateCost(server: Server): { min: number; median: number; max: number } {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(server.doc));
  const times: number[] = [];
  const random = seeded(7);
  for (let i = 0; i < 200; i++) {
    const update = (() => {
      let out: Uint8Array = new Uint8Array();
      other.once('update', (u: Uint8Array) => (out = u));
      other.getMap<Y.Map<string>>('residents').get('r1')?.set('note', random().toString(36));
      other.getArray<string>('audit').push(['x']);
      return out;
    })();
    const at = performance.now();
    Y.applyUpdate(server.doc, update);
    times.push(performance.now() - at);
  }
  other.destroy();
  return stats(times);
}
