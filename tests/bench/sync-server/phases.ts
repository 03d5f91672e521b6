/** The benchmark's client loads, the same for every server. All clients are stock y-websocket providers. */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { BenchServer } from './servers';

export function provider(server: BenchServer, docName: string, doc = new Y.Doc()): WebsocketProvider {
  return new WebsocketProvider(server.url, docName, doc, {
    params: server.params,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
}

export function synced(p: WebsocketProvider, timeoutMs = 60_000): Promise<void> {
  if (p.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no sync for ${p.roomname}`)), timeoutMs);
    const onSync = (isSynced: boolean): void => {
      if (!isSynced) return;
      clearTimeout(timer);
      p.off('sync', onSync);
      resolve();
    };
    p.on('sync', onSync);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export interface LatencyResult {
  readonly p50: number;
  readonly p99: number;
  readonly samples: number;
  readonly expected: number;
}

/** (a) One writer, `watchers` watchers, `rate` updates per second for `seconds`; delivery latency of each update. */
export async function latencyPhase(
  server: BenchServer,
  docName: string,
  watchers = 100,
  rate = 100,
  seconds = 10,
): Promise<LatencyResult> {
  const writer = provider(server, docName);
  const readers = Array.from({ length: watchers }, () => provider(server, docName));
  await Promise.all([writer, ...readers].map((p) => synced(p)));
  const samples: number[] = [];
  let measuring = false;
  for (const reader of readers) {
    const map = reader.doc.getMap<number>('ticks');
    map.observe((event) => {
      const now = performance.now();
      if (!measuring) return;
      // yjs types keysChanged as Set<any>; the keys of a Y.Map are strings.
      for (const key of event.keysChanged as Set<string>) {
        const sent = map.get(key);
        if (sent !== undefined) samples.push(now - sent);
      }
    });
  }
  const ticks = writer.doc.getMap<number>('ticks');
  const send = async (count: number): Promise<void> => {
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      ticks.set(`t${i % 200}`, performance.now());
    }
  };
  await send(rate); // one second of warm-up
  await sleep(500);
  measuring = true;
  await send(rate * seconds);
  await sleep(1_000);
  measuring = false;
  for (const p of [writer, ...readers]) p.destroy();
  samples.sort((x, y) => x - y);
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    samples: samples.length,
    expected: rate * seconds * watchers,
  };
}

/** (b) `count` connections over `docs` documents; resident memory of the server per connection. */
export async function connectionsPhase(
  server: BenchServer,
  docNames: readonly string[],
  count: number,
): Promise<{ perConnKb: number; rssBeforeKb: number; rssAfterKb: number; providers: WebsocketProvider[] }> {
  await sleep(500);
  const rssBeforeKb = server.rssKb();
  const providers: WebsocketProvider[] = [];
  // Connect in waves of 200, as devices coming online do; each one completes its handshake.
  for (let i = 0; i < count; i += 200) {
    const wave = Array.from({ length: Math.min(200, count - i) }, (_, j) =>
      provider(server, docNames[(i + j) % docNames.length]!),
    );
    await Promise.all(wave.map((p) => synced(p)));
    providers.push(...wave);
  }
  await sleep(2_000);
  const rssAfterKb = server.rssKb();
  return { perConnKb: (rssAfterKb - rssBeforeKb) / count, rssBeforeKb, rssAfterKb, providers };
}

/** Fills a document with `records` resident records (a Y.Map of fields each), in transactions of 2,000. */
export async function seedResidents(server: BenchServer, docName: string, records: number): Promise<void> {
  const writer = provider(server, docName);
  await synced(writer);
  const residents = writer.doc.getMap<Y.Map<unknown>>('residents');
  for (let start = 0; start < records; start += 2_000) {
    writer.doc.transact(() => {
      for (let i = start; i < Math.min(records, start + 2_000); i++) {
        const r = new Y.Map<unknown>();
        residents.set(`r${i}`, r);
        r.set('name', `居民${i}`);
        r.set('idTail', String(1000 + (i % 9000)));
        r.set('building', `${(i % 40) + 1}栋`);
        r.set('unit', (i % 6) + 1);
        r.set('room', `${(i % 30) + 1}0${(i % 4) + 1}`);
        r.set('phone', `138${String(i).padStart(8, '0')}`);
        r.set('grid', `网格${i % 12}`);
        r.set('tags', ['常住']);
      }
    });
  }
  // Wait until a second client sees every record: the server holds them all.
  const check = provider(server, docName);
  await synced(check);
  const deadline = Date.now() + 60_000;
  while (check.doc.getMap('residents').size < records) {
    if (Date.now() > deadline) throw new Error('seeding did not reach the server');
    await sleep(100);
  }
  check.destroy();
  writer.destroy();
}

/** (d) A new client syncs a document of `records` records: milliseconds from connecting to holding them all. */
export async function coldSyncPhase(server: BenchServer, docName: string, records: number): Promise<number> {
  const started = performance.now();
  const p = provider(server, docName);
  await synced(p);
  // The stock server answers before its LevelDB load finished and sends the content as an update afterwards:
  // the time that counts is until the client holds every record.
  const residents = p.doc.getMap('residents');
  const deadline = Date.now() + 60_000;
  while (residents.size < records) {
    if (Date.now() > deadline) throw new Error(`cold sync got ${residents.size} of ${records} records`);
    await sleep(2);
  }
  const ms = performance.now() - started;
  p.destroy();
  return ms;
}

export interface FloodResult {
  /** Longest time between two answers of the health probe during the flood (probe every 50 ms). */
  readonly healthzMaxGapMs: number;
  /** Resident memory after the flood (its sockets closed, 5 s later) minus before it. */
  readonly rssDeltaMb: number;
  readonly rssPeakMb: number;
  /** Flood sockets the server closed itself (ours: the answer budget, 4529). */
  readonly closedByServer: number;
  readonly seconds: number;
}

/**
 * (e) The viewer flood of the integrity issue: `sockets` sockets of one token, each sending `frames` sync-step-1
 * frames whose state vector names an unknown client (8 bytes each), against a document a person would hold. Every
 * such frame asks for the whole document. A probe asks `healthPath` every 50 ms; the flood ends when every socket is
 * answered or closed (or after `capMs`).
 */
export async function floodPhase(
  server: BenchServer,
  docName: string,
  healthPath: string,
  options: { sockets?: number; frames?: number; capMs?: number } = {},
): Promise<FloodResult> {
  const sockets = options.sockets ?? 30;
  const frames = options.frames ?? 10;
  const capMs = options.capMs ?? 120_000;
  const query = new URLSearchParams(server.params).toString();
  const url = `${server.url}/${docName}${query === '' ? '' : `?${query}`}`;
  const rssBefore = server.rssKb();
  let rssPeak = rssBefore;
  const clients = await Promise.all(
    Array.from(
      { length: sockets },
      () =>
        new Promise<{ ws: WebSocket; answered: () => boolean; closed: () => number | null }>((resolve, reject) => {
          const ws = new WebSocket(url);
          let bytes = 0;
          let code: number | null = null;
          ws.on('message', (data: Buffer) => (bytes += data.length));
          ws.on('close', (c) => (code = c));
          ws.on('error', () => undefined);
          ws.once('open', () => resolve({ ws, answered: () => bytes > 100_000, closed: () => code }));
          ws.once('unexpected-response', () => reject(new Error('flood socket refused')));
        }),
    ),
  );
  const state = { probing: true };
  let last = performance.now();
  let maxGap = 0;
  const probe = (async () => {
    while (state.probing) {
      try {
        await (await fetch(`http://127.0.0.1:${server.port}${healthPath}`)).text();
      } catch {
        // a refused probe is a gap like any other
      }
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      rssPeak = Math.max(rssPeak, server.rssKb());
      await sleep(50);
    }
  })();
  const started = performance.now();
  let client = 1;
  for (const { ws } of clients) {
    for (let i = 0; i < frames; i++) {
      // A sync-step-1 frame: message 0, sync-step-1 0, a state vector of one client (an unknown id) at clock 1.
      const id = 0x4000_0000 + client++;
      const bytes = [0, 0, 0, 1, ...varUint(id), 1];
      bytes[2] = bytes.length - 3;
      ws.send(Uint8Array.from(bytes));
    }
  }
  const deadline = started + capMs;
  while (!clients.every((c) => c.answered() || c.closed() !== null) && performance.now() < deadline) await sleep(100);
  // What the server still does for answers it has queued counts too: probe on until the health answers are quick.
  const settle = performance.now() + 5_000;
  while (performance.now() < settle) await sleep(100);
  const closedByServer = clients.filter((c) => c.closed() !== null).length;
  for (const { ws } of clients) ws.terminate();
  await sleep(5_000);
  state.probing = false;
  await probe;
  return {
    healthzMaxGapMs: maxGap,
    rssDeltaMb: (server.rssKb() - rssBefore) / 1024,
    rssPeakMb: rssPeak / 1024,
    closedByServer,
    seconds: (performance.now() - started) / 1000,
  };
}

function varUint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}
