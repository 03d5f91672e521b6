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
