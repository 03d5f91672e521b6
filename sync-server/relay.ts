/**
 * Relaying stored updates between sync-server nodes through Redis streams (docs/sync-server.md, "Several nodes:
 * PostgreSQL and Redis"; the choice in docs/decisions.md).
 *
 * - **Stored before relayed.** `RelayedStore.append` commits the update in PostgreSQL first, then `XADD`s it to the
 *   stream of its document's shard (`cgw:relay:<n>`, fields doc, seq, node, data) and only then resolves: what a
 *   node acknowledges or sends its own clients is stored and on its way to the other nodes.
 * - **Every node reads every shard** (`XREAD BLOCK` from the last id it saw) and applies the updates of documents it
 *   has loaded (or is loading) to its in-memory document, skipping its own, and sends its clients exactly what was new.
 *   Documents it has not loaded are skipped: a load reads PostgreSQL, which holds every relayed update.
 * - **A node that blinks** (its Redis connection dropped) reads on from the last id it saw: the stream keeps the
 *   newest `MAXLEN ~ 10000` entries per shard. When that is not enough (the stream was trimmed past its position, or
 *   Redis restarted and lost the streams: a new `run_id`), it reloads every document it holds from PostgreSQL
 *   (`reset`), applying what it lacks.
 * - **Redis down: writes are refused.** While the publishing connection is not ready, `append` refuses before storing
 *   (the document is dropped from memory and its clients closed with 4500, reason "relay unreachable (Redis)"; they
 *   reconnect with backoff and keep their edits). Serving writes node-local would let two nodes diverge for as long
 *   as Redis is away. An `XADD` that fails after the commit refuses too: stored, never acknowledged, and the client
 *   sends it again (to any node) when it reconnects; applying an update twice changes nothing in Yjs.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { isMaskedDocName, pairedMaskedName } from '@shared/ydoc/docName';
import { RELAY_ORIGIN, type Core, type SharedDoc } from './core';
import { encodeUpdate } from './protocol';
import type { AppendTiming, PostgresStorage } from './storage/postgres';
import type {
  CompactResult,
  DocumentStore,
  FoldUpdates,
  GuardAttempt,
  HeldState,
  StoredDocument,
  UpdateStamp,
} from './storage/types';

export const RELAY_SHARDS = 8;
/** Entries kept per shard stream (approximately: `MAXLEN ~`). A node away for longer reloads from PostgreSQL. */
export const RELAY_MAXLEN = 10_000;
const STREAM_PREFIX = 'cgw:relay:';
const BLOCK_MS = 1_000;
/** How often a node compares what it holds with what PostgreSQL stamped (reconciliation, in relayHandlers). */
export const RECONCILE_MS = 3_000;
/** Updates stamped more recently may still be on their way through the relay: not looked for yet. */
const SETTLE_MS = 3_000;
/** Updates stamped this long ago are committed (query_timeout is 15 s): the floor may rise past them. */
const FLOOR_MS = 30_000;
const READ_COUNT = 500;
/** Documents reloaded from PostgreSQL at once after a reset (a node holding hundreds must not queue them all on the pool). */
export const RESET_RELOADS_AT_ONCE = 4;
/** Attempts of one document's reload after a reset, with a growing pause (0.5 s, 1 s, 2 s, 4 s) between them. */
export const RESET_RELOAD_ATTEMPTS = 5;

/**
 * Runs at most `limit` of the given tasks at a time, in the order given; each task is tried up to `attempts` times,
 * pausing `pauseMs(attempt)` between tries, unless `stillWanted()` says it is no longer needed. Resolves with how many
 * tasks failed every try (each failure is passed to `onGiveUp`).
 */
export async function runLimited(
  tasks: readonly { readonly run: () => Promise<void>; readonly stillWanted: () => boolean }[],
  options: {
    readonly limit: number;
    readonly attempts: number;
    readonly pauseMs: (attempt: number) => number;
    readonly onGiveUp: (index: number, error: unknown) => void;
  },
): Promise<number> {
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < tasks.length; index = next++) {
      const task = tasks[index];
      if (task === undefined) continue;
      for (let attempt = 1; task.stillWanted(); attempt++) {
        try {
          await task.run();
          break;
        } catch (error) {
          if (attempt >= options.attempts) {
            failed++;
            options.onGiveUp(index, error);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, options.pauseMs(attempt)));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.limit, tasks.length)) }, worker));
  return failed;
}

/** Thrown when Redis cannot take an update; `closeReason` is what the clients are told (close code 4500). */
export class RelayUnavailableError extends Error {
  readonly closeReason = 'relay unreachable (Redis): writes refused';
}

/** Which shard a document's updates go to (FNV-1a of its name). */
export function shardOf(doc: string, shards = RELAY_SHARDS): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < doc.length; i++) {
    hash ^= doc.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/** Compares two stream ids (`<ms>-<n>`). */
function compareIds(a: string, b: string): number {
  const [am = '0', an = '0'] = a.split('-');
  const [bm = '0', bn = '0'] = b.split('-');
  const ms = BigInt(am) - BigInt(bm);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const n = BigInt(an) - BigInt(bn);
  return n === 0n ? 0 : n < 0n ? -1 : 1;
}

export interface RelayHandlers {
  /** An update another node stored. */
  remote(doc: string, seq: number, update: Uint8Array): void;
  /** Updates may have been missed (stream trimmed past this node's position, or Redis restarted). */
  reset(reason: string): void;
  /** The relay closes. */
  stop(): void;
}

export class RedisRelay {
  readonly nodeId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly keys: string[];
  private readonly lastIds: string[];
  private runId = '';
  private handlers: RelayHandlers | null = null;
  private closed = false;
  private loop: Promise<void> = Promise.resolve();
  /** Counters for /metrics-like checks in tests and logs. */
  readonly stats = { published: 0, received: 0, applied: 0, resets: 0 };

  private constructor(
    url: string,
    private readonly log: Logger,
    readonly shards: number,
  ) {
    const common = {
      lazyConnect: true,
      // Fail at once while disconnected instead of queueing: a write must be refused, not held.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times: number) => Math.min(100 * times, 1_000),
    };
    this.publisher = new Redis(url, { ...common, connectionName: `cgw-pub:${this.nodeId}`, commandTimeout: 3_000 });
    this.subscriber = new Redis(url, {
      ...common,
      connectionName: `cgw-sub:${this.nodeId}`,
      autoResendUnfulfilledCommands: false,
    });
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => log.warn({ err: error.message }, 'relay: Redis connection error'));
    }
    this.keys = Array.from({ length: shards }, (_, i) => `${STREAM_PREFIX}${i}`);
    this.lastIds = this.keys.map(() => '0-0');
  }

  /** Connects both connections and reads where each stream ends now. Throws when Redis cannot be reached. */
  static async connect(url: string, log: Logger, shards = RELAY_SHARDS): Promise<RedisRelay> {
    const relay = new RedisRelay(url, log, shards);
    try {
      await relay.publisher.connect();
      await relay.subscriber.connect();
      relay.runId = await relay.readRunId();
      await relay.readEnds();
    } catch (error) {
      relay.publisher.disconnect();
      relay.subscriber.disconnect();
      throw error;
    }
    return relay;
  }

  /** Whether an update can be published now. */
  get available(): boolean {
    return this.publisher.status === 'ready';
  }

  private async readRunId(): Promise<string> {
    const info = await this.subscriber.info('server');
    return /run_id:(\w+)/.exec(info)?.[1] ?? '';
  }

  /** Positions every shard at its newest entry: what was relayed before is in PostgreSQL, which loads read. */
  private async readEnds(): Promise<void> {
    for (const [i, key] of this.keys.entries()) {
      const newest = await this.subscriber.xrevrange(key, '+', '-', 'COUNT', 1);
      this.lastIds[i] = newest[0]?.[0] ?? '0-0';
    }
  }

  /** Starts delivering other nodes' updates. */
  attach(handlers: RelayHandlers): void {
    this.handlers = handlers;
    this.loop = this.readLoop();
  }

  async publish(doc: string, seq: number, update: Uint8Array): Promise<void> {
    const key = this.keys[shardOf(doc, this.shards)] ?? `${STREAM_PREFIX}0`;
    await this.publisher.xadd(
      key,
      'MAXLEN',
      '~',
      RELAY_MAXLEN,
      '*',
      'doc',
      doc,
      'seq',
      String(seq),
      'node',
      this.nodeId,
      'data',
      Buffer.from(update.buffer, update.byteOffset, update.byteLength),
    );
    this.stats.published++;
  }

  private async readLoop(): Promise<void> {
    let blinked = false;
    while (!this.closed) {
      if (this.subscriber.status !== 'ready') {
        blinked = true;
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      try {
        if (blinked) {
          blinked = false;
          await this.afterBlink();
        }
        const result = await this.subscriber.xreadBuffer(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...this.keys,
          ...this.lastIds,
        );
        for (const [keyBuffer, entries] of result ?? []) {
          const shard = this.keys.indexOf(keyBuffer.toString());
          for (const [idBuffer, fields] of entries) {
            if (shard >= 0) this.lastIds[shard] = idBuffer.toString();
            this.deliver(fields);
          }
        }
      } catch (error) {
        if (this.isClosed()) return;
        blinked = true;
        this.log.warn({ err: (error as Error).message }, 'relay: read failed; catching up once Redis answers');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /**
   * Back after a broken connection: the stream still holds what this node missed unless Redis restarted (its streams
   * are gone) or trimmed past this node's position; then the documents are reloaded from PostgreSQL.
   */
  private async afterBlink(): Promise<void> {
    const runId = await this.readRunId();
    let reason: string | null = null;
    if (runId !== this.runId) reason = 'Redis restarted';
    else {
      for (const [i, key] of this.keys.entries()) {
        const oldest = (await this.subscriber.xrange(key, '-', '+', 'COUNT', 1))[0]?.[0];
        const last = this.lastIds[i] ?? '0-0';
        if (oldest !== undefined && last !== '0-0' && compareIds(oldest, last) > 0) {
          reason = 'stream trimmed past this node';
          break;
        }
      }
    }
    this.runId = runId;
    if (reason === null) {
      this.log.info('relay: reconnected; reading on from the stream');
      return;
    }
    // From the streams' ends as they are now: what came before is in PostgreSQL, which the reset reads.
    await this.readEnds();
    this.stats.resets++;
    this.log.warn({ reason }, 'relay: updates may have been missed; reloading loaded documents from PostgreSQL');
    this.handlers?.reset(reason);
  }

  private deliver(fields: Buffer[]): void {
    let doc: string | undefined;
    let seq = 0;
    let node: string | undefined;
    let data: Buffer | undefined;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const name = fields[i]?.toString();
      const value = fields[i + 1];
      if (value === undefined) continue;
      if (name === 'doc') doc = value.toString();
      else if (name === 'seq') seq = Number(value.toString());
      else if (name === 'node') node = value.toString();
      else if (name === 'data') data = value;
    }
    if (doc === undefined || data === undefined || node === this.nodeId) return;
    this.stats.received++;
    this.handlers?.remote(doc, seq, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  private isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers?.stop();
    this.handlers = null;
    this.subscriber.disconnect();
    await this.loop.catch(() => undefined);
    await this.publisher.quit().catch(() => this.publisher.disconnect());
  }
}

/** An append (PostgreSQL's commit and Redis' XADD) this slow is logged with its parts (docs/bench-cluster.md). */
export const SLOW_APPEND_MS = 250;

/** A slow append and where its time went (ms; `AppendTiming`, then the XADD). */
export interface SlowAppend extends AppendTiming {
  readonly doc: string;
  readonly ms: number;
  readonly afterCommitMs: number;
  readonly xaddMs: number;
}

/**
 * The document store of a node of several: PostgreSQL, and every committed update published to the relay before
 * `append` resolves (the protocol code acknowledges and relays only after that). Refuses before storing while Redis is
 * unreachable.
 */
export class RelayedStore implements DocumentStore {
  /**
   * What this node holds of each document it loaded: everything stored up to `floor` when it loaded it, and the
   * sequence numbers above it that it stored or received through the relay since (reconciliation, below).
   */
  readonly known = new Map<string, { floor: number; readonly seqs: Set<number> }>();

  constructor(
    readonly inner: PostgresStorage,
    private readonly relay: RedisRelay,
    /** Told of an append that took `SLOW_APPEND_MS` or more (commit and XADD), with where its time went. */
    private readonly onSlowAppend?: (slow: SlowAppend) => void,
  ) {}

  async load(doc: string): Promise<StoredDocument> {
    // Noted from the start: an update relayed while the load runs counts as held (it is applied once loaded), so the
    // floor is 0 until the load says what it read (an update committed after the load's read and relayed during it
    // is above the new floor and must be in `seqs`, or reconciliation would think it was never relayed).
    let known = this.known.get(doc);
    if (known === undefined) this.known.set(doc, (known = { floor: 0, seqs: new Set() }));
    const stored = await this.inner.load(doc);
    known.floor = stored.lastSeq;
    for (const seq of known.seqs) if (seq <= known.floor) known.seqs.delete(seq);
    return stored;
  }

  /** This node holds the update `seq` of `doc` (it stored it, or applied it from the relay). */
  note(doc: string, seq: number): void {
    const known = this.known.get(doc);
    if (known !== undefined && seq > known.floor) known.seqs.add(seq);
  }

  async append(doc: string, update: Uint8Array, stamp: UpdateStamp): Promise<number> {
    if (!this.relay.available) throw new RelayUnavailableError('Redis is unreachable: the update was not stored');
    const started = performance.now();
    const { seq, timing } = await this.inner.appendTimed(doc, update, stamp);
    this.note(doc, seq);
    const stored = performance.now();
    try {
      await this.relay.publish(doc, seq, update);
    } catch (error) {
      throw new RelayUnavailableError(`stored as ${seq} but not relayed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const ms = performance.now() - started;
    if (ms >= SLOW_APPEND_MS && this.onSlowAppend !== undefined) {
      const round = (value: number): number => Math.round(value);
      this.onSlowAppend({
        doc,
        ms: round(ms),
        queuedMs: round(timing.queuedMs),
        connectMs: round(timing.connectMs),
        writeMs: round(timing.writeMs),
        batch: timing.batch,
        // What is left of the time in PostgreSQL's part: resolving the promise, the event loop getting to it.
        afterCommitMs: round(stored - started - timing.queuedMs - timing.connectMs - timing.writeMs),
        xaddMs: round(performance.now() - stored),
      });
    }
    return seq;
  }

  recordAttempt(attempt: GuardAttempt): Promise<void> {
    return this.inner.recordAttempt(attempt);
  }

  compact(
    doc: string,
    snapshot: Uint8Array,
    throughSeq: number,
    fold?: FoldUpdates,
    held?: HeldState,
  ): Promise<CompactResult> {
    return this.inner.compact(doc, snapshot, throughSeq, fold, held);
  }

  bytesStored(): Promise<number> {
    return this.inner.bytesStored();
  }
}

/**
 * What a node does with the relay's deliveries: another node's update of a document this node holds is applied in
 * the document's write queue (after whatever this node is storing) and exactly what was new is sent to its clients; a
 * reset reloads each held document from storage and does the same with what it lacked.
 */
export function relayHandlers(core: Core, relay: RedisRelay): RelayHandlers {
  const { docs, loading, log, metrics } = core;

  /**
   * Applies stored updates (`update`, up to `seq`) of another node to the document and sends its clients what was
   * new. True when Yjs applied it without an error (then the document holds it: integrated, or pending and merged
   * into compaction's snapshot, documents.ts `requestSnapshot`); the caller notes what it holds (`heldSeqs`). Runs in
   * the document's queue (`withDoc`).
   */
  function applyTo(doc: SharedDoc, update: Uint8Array, seq: number): boolean {
    if (core.docs.get(doc.name) !== doc) return false;
    const fresh: Uint8Array[] = [];
    const capture = (u: Uint8Array): void => void fresh.push(u);
    doc.ydoc.on('update', capture);
    doc.fullState.invalidate();
    let applied = false;
    try {
      Y.applyUpdate(doc.ydoc, update, RELAY_ORIGIN);
      applied = true;
    } catch (error) {
      log.error({ doc: doc.name, seq, err: error }, 'relay: update from another node could not be applied');
    } finally {
      doc.ydoc.off('update', capture);
    }
    doc.lastSeq = Math.max(doc.lastSeq, seq);
    if (fresh.length === 0) return applied;
    relay.stats.applied++;
    for (const u of fresh) {
      const message = encodeUpdate(u);
      for (const conn of doc.conns) {
        core.send(conn, message);
        metrics.updatesRelayed.inc();
      }
    }
    return applied;
  }

  /** One log entry (another node's, by its seq) applied: held when Yjs applied it. In the document's queue. */
  function applyEntry(doc: SharedDoc, update: Uint8Array, seq: number): void {
    if (applyTo(doc, update, seq) && Number.isSafeInteger(seq) && seq > 0) doc.heldSeqs.add(seq);
  }

  /**
   * The whole stored state as `stored` read it (merged into `merged`) applied again: when Yjs applied it, the document
   * holds that snapshot and those log entries (for compaction, `heldSnapshot` and `heldSeqs`). In the document's queue.
   */
  function applyStored(doc: SharedDoc, stored: StoredDocument, merged: Uint8Array): void {
    if (!applyTo(doc, merged, stored.lastSeq)) return;
    if (stored.snapshotVersion !== undefined) doc.heldSnapshot = stored.snapshotVersion;
    for (const seq of stored.logSeqs ?? []) doc.heldSeqs.add(seq);
  }

  function withDoc(name: string, task: (doc: SharedDoc) => Promise<void> | void): void {
    const loaded = docs.get(name);
    const run = (doc: SharedDoc): void => void core.enqueue(doc, async () => task(doc));
    if (loaded !== undefined) run(loaded);
    else loading.get(name)?.then(run, () => undefined);
  }

  /** Reloads a held document from storage and applies what it lacked. In the document's queue. */
  async function reload(doc: SharedDoc): Promise<void> {
    const stored = await core.store.load(doc.name);
    if (stored.updates.length === 0) return;
    applyStored(doc, stored, Y.mergeUpdates(stored.updates));
  }

  /**
   * Reconciliation, every RECONCILE_MS: an update committed by a node that died before its `XADD` (or whose `XADD`
   * failed) is stored but never relayed, and its writer may never come back to send it again. Each node compares the
   * stamped sequence numbers of the documents it holds (stamped over SETTLE_MS ago: the relay takes milliseconds)
   * with those it stored or received, and applies what it lacks from PostgreSQL (reloading the document when the log
   * entries were compacted meanwhile).
   */
  const relayed = core.store instanceof RelayedStore ? core.store : null;
  let reconciling = false;
  async function reconcile(store: RelayedStore): Promise<void> {
    for (const name of store.known.keys()) if (!docs.has(name) && !loading.has(name)) store.known.delete(name);
    const names = [...docs.keys()].filter((name) => store.known.has(name));
    if (names.length === 0) return;
    const now = Date.now();
    const rows = await store.inner.storedSince(
      names,
      names.map((name) => store.known.get(name)?.floor ?? 0),
      now - SETTLE_MS,
    );
    const byDoc = new Map<string, { seq: number; at: number }[]>();
    for (const row of rows) {
      let list = byDoc.get(row.doc);
      if (list === undefined) byDoc.set(row.doc, (list = []));
      list.push(row);
    }
    for (const [name, list] of byDoc) {
      const known = store.known.get(name);
      if (known === undefined) continue;
      const missing = list.filter((row) => !known.seqs.has(row.seq)).map((row) => row.seq);
      if (missing.length > 0) {
        log.warn(
          { doc: name, seqs: missing.slice(0, 20) },
          'relay: stored updates never relayed; applying them from PostgreSQL',
        );
        const found = await store.inner.updatesBySeq(name, missing);
        withDoc(name, async (doc) => {
          if (found.length < missing.length) await reload(doc);
          else for (const { seq, data } of found) applyEntry(doc, data, seq);
        });
        for (const seq of missing) known.seqs.add(seq);
      }
      // Everything stamped long enough ago is held: raise the floor past it and forget those numbers.
      const old = list.filter((row) => row.at < now - FLOOR_MS).map((row) => row.seq);
      const top = old[old.length - 1];
      if (top !== undefined && old.every((seq) => known.seqs.has(seq))) {
        known.floor = Math.max(known.floor, top);
        for (const seq of known.seqs) if (seq <= known.floor) known.seqs.delete(seq);
      }
    }
  }
  const reconciler =
    relayed === null
      ? null
      : setInterval(() => {
          if (reconciling) return;
          reconciling = true;
          reconcile(relayed)
            .catch((error: unknown) => log.warn({ err: (error as Error).message }, 'relay: reconciliation failed'))
            .finally(() => (reconciling = false));
        }, RECONCILE_MS);
  reconciler?.unref();

  return {
    stop() {
      if (reconciler !== null) clearInterval(reconciler);
    },
    remote(name, seq, update) {
      relayed?.note(name, seq);
      if (!docs.has(name) && !loading.has(name) && core.config.viewersMasked && isMaskedDocName(name)) {
        // Another node made or changed the masked copy of a document this node holds without one (loaded before the
        // copy existed): load it now, so that this node masks its own changes from here on (masking.ts).
        const source = docs.get(pairedMaskedName(name) ?? '');
        if (source !== undefined && source.partner === null) {
          core
            .acquire(name)
            .catch((error: unknown) => log.error({ doc: name, err: error }, 'relay: masked copy not loaded'));
        }
        return;
      }
      withDoc(name, (doc) => applyEntry(doc, update, seq));
    },
    reset() {
      // A few documents at a time, each retried: a node holding hundreds sent every reload to the PostgreSQL pool at
      // once, and those that waited past the query timeout were never tried again (docs/bench-cluster.md). What a
      // document lacks is read outside its write queue and applied inside it (after whatever the node is storing).
      const names = [...new Set([...docs.keys(), ...loading.keys()])];
      const held = (name: string) => docs.has(name) || loading.has(name);
      void runLimited(
        names.map((name) => ({
          stillWanted: () => held(name),
          run: async () => {
            const stored = await core.store.load(name);
            if (stored.updates.length === 0) return;
            const merged = Y.mergeUpdates(stored.updates);
            withDoc(name, (doc) => applyStored(doc, stored, merged));
          },
        })),
        {
          limit: RESET_RELOADS_AT_ONCE,
          attempts: RESET_RELOAD_ATTEMPTS,
          pauseMs: (attempt) => 250 * 2 ** attempt,
          onGiveUp: (index, error) =>
            log.error(
              { doc: names[index], err: (error as Error).message },
              'relay: a document could not be reloaded after a reset; reconciliation brings what it stamped',
            ),
        },
      );
    },
  };
}
