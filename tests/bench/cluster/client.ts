/**
 * One client process of `npm run bench:cluster` (forked by cluster.bench.ts with `--import tsx`): stock y-websocket
 * providers, driven over IPC.
 *
 * - `watch`: `count` watchers of one document, spread over the given servers; each records, while measuring, the time
 *   from the writer's send (its wall-clock time, in the update) to its own receipt. Same machine, same clock.
 * - `devices`: devices of several documents each, one server per device. A device whose connection closes reconnects
 *   as the app does (renderer/sync/backoff.ts: exponential steps of 500 ms, equal jitter; after a busy server's 4529,
 *   the wait its reason names; within a second once another document of the device has synced again).
 *   `storm` then reports, for each device, when all its documents were synced again and held the marker the bench
 *   stored while the nodes were down.
 */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { RetrySteps } from '../../../renderer/sync/backoff';

const now = (): number => performance.timeOrigin + performance.now();

interface Watcher {
  readonly provider: WebsocketProvider;
  /** Which of the set's servers it is connected to (its index in `urls`). */
  readonly server: number;
}

interface Device {
  readonly id: number;
  readonly providers: WebsocketProvider[];
  currentAt: number | null;
  /** When each document's last reconnect attempt started (the one that got through). */
  readonly attemptAt: number[];
}

const sets = new Map<string, Watcher[]>();
const samples = new Map<string, number[]>();
/** The server index of each sample's watcher, in the order of `samples`. */
const sampleServers = new Map<string, number[]>();
const measuring = new Set<string>();
/**
 * Receipts after a measurement ended (`late`): [latency ms, server index], kept until asked for, so that a round's
 * deliveries missing from its window can be told apart: late, or never delivered.
 */
const afterWindow = new Map<string, [number, number][]>();
const devices: Device[] = [];
let marker: string | null = null;

function connect(url: string, doc: string, token: string): WebsocketProvider {
  const provider = new WebsocketProvider(url, doc, new Y.Doc(), {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  // No presence: the bench measures documents, and 9,000 awareness renewals every 15 s would be noise.
  provider.awareness.setLocalState(null);
  return provider;
}

/**
 * The app's reconnect instead of the provider's own, with the app's own decisions (renderer/sync/backoff.ts
 * `RetrySteps`, as renderer/sync/docSync.ts uses them in `onClosed` and `serverBack`): a busy server's hint (4529), or
 * the next step of the backoff; and when another document of the device syncs after failing, a retry waiting out a
 * backoff step comes within a second. Returns that nudge.
 */
function appBackoff(provider: WebsocketProvider, onAttempt: () => void, onBack: () => void): () => void {
  const steps = new RetrySteps();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let hinted = false;
  const retry = (delay: number, byHint: boolean): void => {
    if (timer !== null) clearTimeout(timer);
    hinted = byHint;
    timer = setTimeout(() => {
      timer = null;
      onAttempt();
      provider.connect();
    }, delay);
  };
  provider.on('sync', (synced: boolean) => {
    if (synced && steps.synced()) onBack();
  });
  provider.on('connection-close', (event: CloseEvent | null) => {
    // The provider's own retry (scheduled by its close handler) becomes a no-op; ours comes after the app's delay.
    provider.shouldConnect = false;
    const wait = event === null ? null : steps.busyWait(event.code, event.reason);
    if (wait !== null) retry(wait, true);
    else retry(steps.nextStep(), false);
  });
  return () => {
    if (timer === null || hinted) return;
    retry(steps.serverBack(), false);
  };
}

function synced(provider: WebsocketProvider, timeoutMs: number): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no sync for ${provider.roomname}`)), timeoutMs);
    const onSync = (isSynced: boolean): void => {
      if (!isSynced) return;
      clearTimeout(timer);
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
}

function deviceCurrent(device: Device): boolean {
  return device.providers.every((p) => p.synced && marker !== null && p.doc.getMap('storm').has(marker));
}

function checkDevice(device: Device): void {
  if (marker === null || device.currentAt !== null) return;
  if (deviceCurrent(device)) device.currentAt = now();
}

type Command =
  | { type: 'watch'; set: string; urls: string[]; doc: string; tokens: string[]; count: number; offset: number }
  | { type: 'measure'; set: string; on: boolean }
  | { type: 'late'; set: string }
  | { type: 'behind'; set: string; client: number; clock: number }
  | { type: 'unwatch'; set: string }
  | {
      type: 'devices';
      devices: { id: number; url: string; token: string; docs: string[]; seed: boolean }[];
    }
  | { type: 'storm'; marker: string; timeoutMs: number }
  | { type: 'counts' }
  | { type: 'exit' };

async function handle(command: Command): Promise<unknown> {
  switch (command.type) {
    case 'watch': {
      const watchers: Watcher[] = [];
      for (let i = 0; i < command.count; i++) {
        const n = command.offset + i;
        const server = n % command.urls.length;
        const provider = connect(command.urls[server]!, command.doc, command.tokens[n % command.tokens.length]!);
        const ticks = provider.doc.getMap<number>('ticks');
        ticks.observe((event) => {
          const at = now();
          if (!measuring.has(command.set)) {
            const late = afterWindow.get(command.set);
            if (late === undefined) return;
            for (const key of event.keysChanged as Set<string>) {
              const sent = ticks.get(key);
              if (sent !== undefined) late.push([at - sent, server]);
            }
            return;
          }
          const list = samples.get(command.set) ?? [];
          samples.set(command.set, list);
          const servers = sampleServers.get(command.set) ?? [];
          sampleServers.set(command.set, servers);
          for (const key of event.keysChanged as Set<string>) {
            const sent = ticks.get(key);
            if (sent !== undefined) {
              list.push(at - sent);
              servers.push(server);
            }
          }
        });
        watchers.push({ provider, server });
        // Connect in waves, as devices coming online do.
        if (i % 50 === 49) await Promise.all(watchers.slice(-50).map((w) => synced(w.provider, 120_000)));
      }
      await Promise.all(watchers.map((w) => synced(w.provider, 120_000)));
      sets.set(command.set, watchers);
      return 'ready';
    }
    case 'measure': {
      if (command.on) {
        samples.set(command.set, []);
        sampleServers.set(command.set, []);
        afterWindow.delete(command.set);
        measuring.add(command.set);
        return 'ok';
      }
      measuring.delete(command.set);
      afterWindow.set(command.set, []);
      const taken = samples.get(command.set) ?? [];
      const servers = sampleServers.get(command.set) ?? [];
      samples.delete(command.set);
      sampleServers.delete(command.set);
      return { samples: taken, servers };
    }
    case 'late': {
      const late = afterWindow.get(command.set) ?? [];
      afterWindow.delete(command.set);
      return late;
    }
    case 'behind': {
      // Watchers whose document lacks the writer's updates up to `clock`, by server index, and by how many.
      const behind: { server: number; missing: number }[] = [];
      for (const w of sets.get(command.set) ?? []) {
        const held = Y.decodeStateVector(Y.encodeStateVector(w.provider.doc)).get(command.client) ?? 0;
        if (held < command.clock) behind.push({ server: w.server, missing: command.clock - held });
      }
      return behind;
    }
    case 'unwatch': {
      // The document too: the provider's awareness keeps a timer holding it until the document is destroyed.
      for (const w of sets.get(command.set) ?? []) {
        w.provider.destroy();
        w.provider.doc.destroy();
      }
      sets.delete(command.set);
      return 'ok';
    }
    case 'devices': {
      const start = async (spec: (typeof command.devices)[number]): Promise<void> => {
        const device: Device = { id: spec.id, providers: [], currentAt: null, attemptAt: [] };
        const nudges: (() => void)[] = [];
        for (const [i, doc] of spec.docs.entries()) {
          const provider = connect(spec.url, doc, spec.token);
          device.attemptAt[i] = now();
          nudges[i] = appBackoff(
            provider,
            () => {
              if (!provider.synced) device.attemptAt[i] = now();
            },
            () => nudges.forEach((nudge, k) => k !== i && nudge()),
          );
          provider.on('sync', () => checkDevice(device));
          provider.doc.getMap('storm').observe(() => checkDevice(device));
          device.providers.push(provider);
        }
        devices.push(device);
        await Promise.all(device.providers.map((p) => synced(p, 300_000)));
        // The first device of a community writes something into each of its documents, as the people there do.
        if (spec.seed) {
          for (const p of device.providers) {
            const notes = p.doc.getMap<string>('benchNotes');
            for (let i = 0; i < 20; i++) notes.set(`n${i}`, `note ${i} of device ${spec.id}`.repeat(4));
          }
        }
      };
      // Ten devices at a time come online.
      for (let i = 0; i < command.devices.length; i += 10) {
        await Promise.all(command.devices.slice(i, i + 10).map(start));
      }
      return 'ready';
    }
    case 'storm': {
      marker = command.marker;
      for (const device of devices) {
        device.currentAt = null;
        checkDevice(device);
      }
      const deadline = Date.now() + command.timeoutMs;
      while (devices.some((d) => d.currentAt === null) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        for (const device of devices) checkDevice(device);
      }
      return {
        currentAt: devices.map((d) => d.currentAt),
        // The server's part: from the device's last attempt (the one that got through) to current.
        servedMs: devices.map((d) => (d.currentAt === null ? null : d.currentAt - Math.max(...d.attemptAt))),
        notCurrentDocs: devices.reduce(
          (n, d) =>
            n + d.providers.filter((p) => !(p.synced && marker !== null && p.doc.getMap('storm').has(marker))).length,
          0,
        ),
      };
    }
    case 'counts': {
      return {
        devices: devices.length,
        connected: devices.reduce((n, d) => n + d.providers.filter((p) => p.wsconnected).length, 0),
      };
    }
    case 'exit': {
      for (const list of sets.values()) for (const w of list) w.provider.destroy();
      for (const d of devices) for (const p of d.providers) p.destroy();
      process.exit(0);
    }
  }
}

process.setMaxListeners(0);
let chain = Promise.resolve();
process.on('message', (message: { rid: number; command: Command }) => {
  const run = (): Promise<void> =>
    handle(message.command).then(
      (result) => void process.send?.({ rid: message.rid, result }),
      (error: unknown) => void process.send?.({ rid: message.rid, error: (error as Error).message }),
    );
  // Measure and count commands answer at once; the others run one after another.
  if (['measure', 'counts', 'late', 'behind'].includes(message.command.type)) void run();
  else chain = chain.then(run);
});
process.on('disconnect', () => process.exit(0));
