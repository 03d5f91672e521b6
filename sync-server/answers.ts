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
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';

export type WorkerRequest =
  | { readonly type: 'load'; readonly doc: string; readonly updates: readonly Uint8Array[] }
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
    };

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly messages: Uint8Array[] }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** The worker's source next to this file (`.ts` under tsx, `.js` once built). */
const UNDER_TSX = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./answerWorker${UNDER_TSX ? '.ts' : '.js'}`, import.meta.url);

/**
 * The worker's bootstrap. A worker thread does not inherit the TypeScript loader that `--import tsx` registered in
 * the main thread, so under tsx it registers it first (tsx's API, resolved from here), then imports the worker.
 */
function workerSource(): string {
  const target = JSON.stringify(WORKER_URL.href);
  if (!UNDER_TSX) return `import(${target});`;
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return `import(${api}).then((tsx) => { tsx.register(); return import(${target}); });`;
}

interface Slot {
  worker: Worker;
  readonly waiting: Map<number, { resolve: (messages: Uint8Array[]) => void; reject: (error: Error) => void }>;
}

export class AnswerPool {
  private readonly slots: Slot[];
  /** Documents replicated in their worker. */
  private readonly replicated = new Set<string>();
  private nextId = 1;
  private closed = false;

  constructor(
    size: number,
    private readonly log: Logger,
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => {
      const slot: Slot = { worker: null as unknown as Worker, waiting: new Map() };
      this.start(slot);
      return slot;
    });
  }

  /**
   * Starts the slot's worker. A worker that fails or exits fails its waiting answers and is started again; the
   * documents it held are replicated again on their next answer.
   */
  private start(slot: Slot): void {
    const worker = new Worker(workerSource(), { eval: true });
    slot.worker = worker;
    worker.on('message', (reply: WorkerReply) => {
      const waiter = slot.waiting.get(reply.id);
      if (waiter === undefined) return;
      slot.waiting.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.messages.map((m) => new Uint8Array(m)));
      else waiter.reject(new Error(reply.error));
    });
    worker.on('error', (error) => this.log.error({ err: error }, 'answer worker failed'));
    worker.on('exit', (code) => {
      for (const waiter of slot.waiting.values()) waiter.reject(new Error(`answer worker exited with ${code}`));
      slot.waiting.clear();
      for (const doc of [...this.replicated]) if (this.slotOf(doc) === slot) this.replicated.delete(doc);
      if (!this.closed) {
        this.log.warn({ code }, 'answer worker exited; starting another');
        this.start(slot);
      }
    });
    worker.unref();
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
    this.replicated.add(doc);
    this.post(doc, { type: 'load', doc, updates });
  }

  /** An update the main thread applied to a replicated document. */
  update(doc: string, update: Uint8Array): void {
    if (this.replicated.has(doc)) this.post(doc, { type: 'update', doc, update });
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
   * exits meanwhile or the pool is closed: the caller encodes on its own thread then.
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

  private ask(
    doc: string,
    request: (id: number) => WorkerRequest,
    transfer: ArrayBuffer[] = [],
  ): Promise<Uint8Array[]> {
    if (this.closed) return Promise.reject(new Error('answer pool closed'));
    const slot = this.slotOf(doc);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.waiting.set(id, { resolve, reject });
      slot.worker.postMessage(request(id), transfer);
    });
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
      for (const waiter of slot.waiting.values()) waiter.reject(new Error('answer pool closed'));
      slot.waiting.clear();
    }
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
