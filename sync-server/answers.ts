/**
 * Answers to sync-step-1 messages, encoded off the event loop by a pool of worker threads (answerWorker.ts).
 *
 * Why: an answer is everything the asking client lacks. A client that names an unknown client id, or a stale clock,
 * in its state vector forces an encoding of (nearly) the whole document: 0.45-1.4 s for a 20,000-resident registry.
 * Done on the main thread, a viewer sending a few hundred such 8-byte frames kept `/healthz` silent for a minute.
 * Here the main thread only posts messages; a document is replicated into one worker (chosen by its name) the first
 * time an answer for it is needed, from storage, and then follows every update the main thread applies.
 *
 * Limits per token and for the server (the caller, server.ts, enforces them): at most one answer in flight per token,
 * a budget of answer bytes per token per minute, and a cap on the bytes queued for all sockets together.
 *
 * The same replica serves compaction (documents.ts): `snapshot` encodes the whole document as of the moment it is
 * posted, and `fold` does the byte merging PostgreSQL's compaction needs, both off the event loop.
 */
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { startWorker, workerUrl } from './workerThread';

export type WorkerRequest =
  | { readonly type: 'load'; readonly id: number; readonly doc: string; readonly updates: readonly Uint8Array[] }
  | { readonly type: 'update'; readonly doc: string; readonly update: Uint8Array }
  | { readonly type: 'unload'; readonly doc: string }
  | {
      readonly type: 'answer';
      readonly id: number;
      readonly doc: string;
      readonly stateVector: Uint8Array;
      readonly maxBytes: number;
    }
  | {
      /** The replica's whole state as one update, merged with `pending` (what the main thread holds pending). */
      readonly type: 'snapshot';
      readonly id: number;
      readonly doc: string;
      readonly pending: readonly Uint8Array[];
    }
  | {
      /** `snapshot` merged with whatever of `older` it lacks (docState.ts foldMissing; storage/postgres.ts). */
      readonly type: 'fold';
      readonly id: number;
      readonly doc: string;
      readonly snapshot: Uint8Array;
      readonly older: readonly Uint8Array[];
    }
  | {
      /** Stored updates merged into one (Y.mergeUpdates): loading a document (documents.ts `loadDoc`). */
      readonly type: 'merge';
      readonly id: number;
      readonly doc: string;
      readonly updates: readonly Uint8Array[];
    }
  | {
      /** The replica cut into slices of about `maxStructs` structs (docSlices.ts), then its state vector. */
      readonly type: 'slices';
      readonly id: number;
      readonly doc: string;
      readonly maxStructs: number;
    }
  | {
      /**
       * The registry's masked copy brought in line with the replica `doc` (maskedReconcile.ts): `masked` is the copy as
       * stored, `stateVector` the main thread's registry's (the replica must hold the same, else the request fails).
       */
      readonly type: 'reconcileMasked';
      readonly id: number;
      readonly doc: string;
      readonly stateVector: Uint8Array;
      readonly masked: readonly Uint8Array[];
    }
  | {
      /** Test hook (`AnswerPool` made with `testHooks`): the worker blocks for `ms`, as a hung worker would. */
      readonly type: 'stall';
      readonly ms: number;
    };

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly messages: Uint8Array[] }
  | { readonly id: number; readonly ok: false; readonly error: string }
  /** The worker has started (its modules are loaded): the time of the requests posted meanwhile starts now. */
  | { readonly ready: true };

/** The worker's module next to this file. */
const WORKER_URL = workerUrl('answerWorker', import.meta.url);

interface Waiter {
  readonly resolve: (messages: Uint8Array[]) => void;
  readonly reject: (error: Error) => void;
  /** Armed once the worker has started: a worker's start (1-2 s under tsx on a loaded machine) is not its reply. */
  timer: NodeJS.Timeout | null;
}

interface Slot {
  worker: Worker;
  readonly waiting: Map<number, Waiter>;
  /** Replicas posted to the worker and not built yet (their `load` not acknowledged): id -> bytes. */
  readonly loads: Map<number, number>;
  /** The worker said it has started; until then the timers of its requests wait in `unarmed`. */
  ready: boolean;
  unarmed: (() => void)[];
  /** A worker that does not start within `STARTUP_MS` counts as hung. */
  startTimer: NodeJS.Timeout | null;
}

export interface AnswerPoolOptions {
  /**
   * The time a worker has to reply to one request (`--answer-timeout-ms`), for a small document; one more such time
   * is allowed per 10 MiB of the document and of the replicas the worker builds before it (they are handled in
   * order). A worker that does not reply in time is terminated and started again (`AnswerWorkerFailed`).
   */
  readonly timeoutMs?: number;
  /** Accept `stall` (tests only: a worker that hangs). */
  readonly testHooks?: boolean;
}

/** Default of `--answer-timeout-ms` (config.ts). */
export const DEFAULT_ANSWER_TIMEOUT_MS = 30_000;
/** Every this many bytes of document (and of replicas built ahead) add one `timeoutMs` to a request's time. */
const TIMEOUT_BYTES_STEP = 10 * 1024 * 1024;
/** The time a worker has to start (load its modules), on top of `timeoutMs`. */
const STARTUP_MS = 60_000;

/**
 * The worker could not answer: it exited, was closed, or did not reply in time (and was restarted). Asking again
 * asks the restarted worker, which replicates the document again from storage.
 */
export class AnswerWorkerFailed extends Error {}

export class AnswerPool {
  private readonly slots: Slot[];
  /** Documents replicated in their worker, and the bytes each was built from and has been sent since. */
  private readonly replicated = new Map<string, number>();
  private nextId = 1;
  private closed = false;
  private readonly timeoutMs: number;
  private readonly testHooks: boolean;
  /** Requests that timed out (each restarted its worker). */
  timeouts = 0;
  /** Called on each timeout (server.ts counts it in the metrics). */
  onTimeout: (() => void) | null = null;

  constructor(
    size: number,
    private readonly log: Logger,
    options: AnswerPoolOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
    this.testHooks = options.testHooks === true;
    this.slots = Array.from({ length: Math.max(1, size) }, () => {
      const slot: Slot = {
        worker: null as unknown as Worker,
        waiting: new Map(),
        loads: new Map(),
        ready: false,
        unarmed: [],
        startTimer: null,
      };
      this.start(slot);
      return slot;
    });
  }

  /**
   * Starts the slot's worker. A worker that fails, exits or hangs fails its waiting answers and is replaced at once;
   * the documents it held are replicated again on their next answer.
   */
  private start(slot: Slot): void {
    const worker = startWorker(WORKER_URL, { workerData: { testHooks: this.testHooks } });
    slot.worker = worker;
    slot.ready = false;
    slot.unarmed = [];
    if (slot.startTimer !== null) clearTimeout(slot.startTimer);
    const startupMs = this.startupMs;
    slot.startTimer = setTimeout(() => {
      if (slot.worker === worker && !slot.ready) this.timedOut(slot, '', 'start', startupMs);
    }, startupMs);
    slot.startTimer.unref();
    worker.on('message', (reply: WorkerReply) => {
      if (slot.worker !== worker) return; // replaced: its waiters were failed already
      if ('ready' in reply) {
        slot.ready = true;
        if (slot.startTimer !== null) clearTimeout(slot.startTimer);
        slot.startTimer = null;
        for (const arm of slot.unarmed.splice(0)) arm();
        return;
      }
      if (slot.loads.delete(reply.id)) return;
      const waiter = slot.waiting.get(reply.id);
      if (waiter === undefined) return;
      slot.waiting.delete(reply.id);
      if (waiter.timer !== null) clearTimeout(waiter.timer);
      if (reply.ok) waiter.resolve(reply.messages.map((m) => new Uint8Array(m)));
      else waiter.reject(new Error(reply.error));
    });
    worker.on('error', (error) => this.log.error({ err: error }, 'answer worker failed'));
    worker.on('exit', (code) => {
      if (slot.worker !== worker) return; // replaced after a timeout
      this.fail(slot, new AnswerWorkerFailed(`answer worker exited with ${code}`));
      if (!this.closed) {
        this.log.warn({ code }, 'answer worker exited; starting another');
        this.start(slot);
      }
    });
    worker.unref();
  }

  /** Fails everything the slot's worker was asked and forgets its replicas (they are built again on demand). */
  private fail(slot: Slot, error: Error): void {
    const waiters = [...slot.waiting.values()];
    slot.waiting.clear();
    slot.loads.clear();
    for (const doc of [...this.replicated.keys()]) if (this.slotOf(doc) === slot) this.replicated.delete(doc);
    for (const waiter of waiters) {
      if (waiter.timer !== null) clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  /** A request the slot's worker did not reply to in time: the worker is replaced at once and terminated. */
  private timedOut(slot: Slot, doc: string, type: string, ms: number): void {
    if (this.closed) return;
    const old = slot.worker;
    this.timeouts++;
    this.onTimeout?.();
    this.log.error(
      { doc, request: type, ms, waiting: slot.waiting.size },
      'answer worker did not reply in time; terminated and started again',
    );
    this.start(slot); // before failing the waiters: what they ask again goes to the new worker
    this.fail(slot, new AnswerWorkerFailed(`answer worker did not reply within ${ms} ms`));
    void old.terminate();
  }

  private slotOf(doc: string): Slot {
    let hash = 0;
    for (let i = 0; i < doc.length; i++) hash = (Math.imul(hash, 31) + doc.charCodeAt(i)) | 0;
    const slot = this.slots[Math.abs(hash) % this.slots.length];
    if (slot === undefined) throw new Error('answer pool has no workers');
    return slot;
  }

  private post(doc: string, request: WorkerRequest, transfer: ArrayBuffer[] = []): void {
    if (this.closed) return;
    this.slotOf(doc).worker.postMessage(request, transfer);
  }

  isReplicated(doc: string): boolean {
    return this.replicated.has(doc);
  }

  /** Replicates a document from its stored updates; every later update must be passed to `update`. */
  load(doc: string, updates: readonly Uint8Array[]): void {
    if (this.closed) return;
    const bytes = updates.reduce((sum, update) => sum + update.byteLength, 0);
    this.replicated.set(doc, bytes);
    const id = this.nextId++;
    const slot = this.slotOf(doc);
    slot.loads.set(id, bytes);
    slot.worker.postMessage({ type: 'load', id, doc, updates } satisfies WorkerRequest);
  }

  /** An update the main thread applied to a replicated document. */
  update(doc: string, update: Uint8Array): void {
    const bytes = this.replicated.get(doc);
    if (bytes === undefined) return;
    this.replicated.set(doc, bytes + update.byteLength);
    this.post(doc, { type: 'update', doc, update });
  }

  unload(doc: string): void {
    if (!this.replicated.delete(doc)) return;
    this.post(doc, { type: 'unload', doc });
  }

  /** The answer's messages (protocol.ts encodeSyncAnswer) for a replicated document. */
  answer(doc: string, stateVector: Uint8Array, maxBytes: number): Promise<Uint8Array[]> {
    return this.ask(doc, (id) => ({ type: 'answer', id, doc, stateVector, maxBytes }));
  }

  /**
   * The whole state of a replicated document as one update, as of now: the request is posted at once, so it covers
   * every update passed to `update` before this call and none after. `pending` (the main thread's pending structs
   * and delete set, which Yjs emits no update for until they integrate) is merged into it. Rejects if the worker
   * exits meanwhile, does not reply in time or the pool is closed: the caller encodes on its own thread then.
   */
  async snapshot(doc: string, pending: readonly Uint8Array[]): Promise<Uint8Array> {
    const [state] = await this.ask(doc, (id) => ({ type: 'snapshot', id, doc, pending }));
    if (state === undefined) throw new Error('answer worker sent no snapshot');
    return state;
  }

  /**
   * `snapshot` merged with whatever of `older` (stored updates) it lacks, in the document's worker. The bytes are
   * copied into buffers of their own and moved to the worker: cloning them (views that may share a larger buffer)
   * cost 0.1-0.25 s of the event loop for a 20,000-resident registry on a loaded machine.
   */
  async fold(doc: string, snapshot: Uint8Array, older: readonly Uint8Array[]): Promise<Uint8Array> {
    const mine = new Uint8Array(snapshot);
    const theirs = older.map((update) => new Uint8Array(update));
    const moved = [mine.buffer, ...theirs.map((update) => update.buffer)];
    const [merged] = await this.ask(doc, (id) => ({ type: 'fold', id, doc, snapshot: mine, older: theirs }), moved);
    if (merged === undefined) throw new Error('answer worker sent no fold');
    return merged;
  }

  /**
   * Stored updates (a snapshot and its log) merged into one, in the document's worker, so that loading a document
   * integrates one update on the event loop without merging them there first. Copied and moved as in `fold`.
   */
  async merge(doc: string, updates: readonly Uint8Array[]): Promise<Uint8Array> {
    const copies = updates.map((update) => new Uint8Array(update));
    const moved = copies.map((update) => update.buffer);
    const [merged] = await this.ask(doc, (id) => ({ type: 'merge', id, doc, updates: copies }), moved);
    if (merged === undefined) throw new Error('answer worker sent no merge');
    return merged;
  }

  /**
   * The replicated document as slices for the event loop to integrate one task at a time (docSlices.ts `sliceDoc`),
   * as of now, and its state vector: `{ slices, stateVector }`.
   */
  async slices(doc: string, maxStructs: number): Promise<{ slices: Uint8Array[]; stateVector: Uint8Array }> {
    const messages = await this.ask(doc, (id) => ({ type: 'slices', id, doc, maxStructs }));
    const stateVector = messages.pop();
    if (stateVector === undefined) throw new Error('answer worker sent no slices');
    return { slices: messages, stateVector };
  }

  /**
   * The masked copy of the replicated registry `doc` brought in line by its worker (maskedReconcile.ts), as of now:
   * the request covers every update passed to `update` before this call. `stateVector`: the main thread's registry's,
   * checked against the replica's. `masked` (the copy's stored updates) is copied and moved as in `merge`. The
   * caller reads the reply with `readMaskedReconciled`.
   */
  reconcileMasked(doc: string, stateVector: Uint8Array, masked: readonly Uint8Array[]): Promise<Uint8Array[]> {
    const copies = masked.map((update) => new Uint8Array(update));
    const moved = copies.map((update) => update.buffer);
    return this.ask(doc, (id) => ({ type: 'reconcileMasked', id, doc, stateVector, masked: copies }), moved);
  }

  private ask(
    doc: string,
    request: (id: number) => WorkerRequest,
    transfer: ArrayBuffer[] = [],
  ): Promise<Uint8Array[]> {
    if (this.closed) return Promise.reject(new AnswerWorkerFailed('answer pool closed'));
    const slot = this.slotOf(doc);
    const id = this.nextId++;
    const posted = request(id);
    const ms = this.timeoutFor(doc);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, timer: null };
      const worker = slot.worker;
      const arm = (): void => {
        if (slot.waiting.get(id) !== waiter) return;
        waiter.timer = setTimeout(() => {
          if (slot.waiting.get(id) === waiter && slot.worker === worker) this.timedOut(slot, doc, posted.type, ms);
        }, ms);
        waiter.timer.unref();
      };
      slot.waiting.set(id, waiter);
      slot.worker.postMessage(posted, transfer);
      if (slot.ready) arm();
      else slot.unarmed.push(arm);
    });
  }

  /** The time a worker has to start and tell so (then its requests' timers start). */
  get startupMs(): number {
    return STARTUP_MS + this.timeoutMs;
  }

  /** The time a request about `doc` posted now has once its worker has started (`AnswerPoolOptions.timeoutMs`). */
  timeoutFor(doc: string): number {
    let bytes = this.replicated.get(doc) ?? 0;
    for (const loading of this.slotOf(doc).loads.values()) bytes += loading;
    return Math.round(this.timeoutMs * (1 + bytes / TIMEOUT_BYTES_STEP));
  }

  /** Test hook: every worker blocks for `ms` (only with `testHooks`), as a worker that hangs. */
  stallForTest(ms: number): void {
    if (!this.testHooks) throw new Error('stallForTest needs an AnswerPool made with testHooks');
    for (const slot of this.slots) slot.worker.postMessage({ type: 'stall', ms } satisfies WorkerRequest);
  }

  /**
   * Terminates every worker as a crash would: what they were asked fails, each is started again and replicates its
   * documents again on demand. The path a worker dying takes (tests prove the callers fall back).
   */
  async restartWorkers(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) {
      if (slot.startTimer !== null) clearTimeout(slot.startTimer);
      this.fail(slot, new AnswerWorkerFailed('answer pool closed'));
    }
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
