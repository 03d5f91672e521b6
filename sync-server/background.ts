/**
 * Work nobody waits for, off the event loop and at the lowest scheduling priority (backgroundWorker.ts;
 * docs/sync-server.md, "Background work at low priority"): on a machine whose cores are busy, the event loops that
 * relay live updates and the answer workers that serve joining devices run first.
 *
 * One worker thread per `BackgroundWorker`, started on the first request and ended after `idleMs` without one (a fold
 * comes once per `--compact-after` updates of a document). A request fails (the caller does the work elsewhere) if
 * the worker exits or is closed meanwhile; there is no timeout: the work is slow by design when the machine is busy,
 * and its caller (a compaction) holds nothing that others wait for in memory.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker, workerUrl } from './workerThread';

export interface BackgroundRequest {
  readonly id: number;
  readonly type: 'fold';
  readonly snapshot: Uint8Array;
  readonly older: readonly Uint8Array[];
}

export type BackgroundReply =
  | { readonly id: number; readonly ok: true; readonly result: Uint8Array }
  | { readonly id: number; readonly ok: false; readonly error: string }
  /** Started; `lowered`: whether its priority could be lowered (Linux). */
  | { readonly ready: true; readonly lowered: boolean };

const WORKER_URL = workerUrl('backgroundWorker', import.meta.url);
const DEFAULT_IDLE_MS = 60_000;

export class BackgroundWorker {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { resolve: (r: Uint8Array) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Whether the running worker lowered its priority (null until it has started). */
  lowered: boolean | null = null;

  constructor(private readonly idleMs = DEFAULT_IDLE_MS) {}

  /**
   * `snapshot` merged with whatever of `older` it lacks (docState.ts `foldMissing`), in the background worker. The
   * bytes are copied into buffers of their own and moved (as answers.ts `fold` does).
   */
  fold(snapshot: Uint8Array, older: readonly Uint8Array[]): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new Error('background worker closed'));
    const mine = new Uint8Array(snapshot);
    const theirs = older.map((update) => new Uint8Array(update));
    const id = this.nextId++;
    const worker = this.start();
    return new Promise<Uint8Array>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, type: 'fold', snapshot: mine, older: theirs } satisfies BackgroundRequest, [
        mine.buffer,
        ...theirs.map((update) => update.buffer),
      ]);
    }).finally(() => this.armIdle());
  }

  private start(): Worker {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.worker !== null) return this.worker;
    const worker = startWorker(WORKER_URL);
    this.worker = worker;
    worker.unref();
    worker.on('message', (reply: BackgroundReply) => {
      if ('ready' in reply) {
        this.lowered = reply.lowered;
        return;
      }
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (reply.ok) waiter?.resolve(new Uint8Array(reply.result));
      else waiter?.reject(new Error(reply.error));
    });
    worker.on('error', () => undefined); // followed by 'exit'
    worker.on('exit', (code) => {
      // A worker ended when idle had nothing to answer; one that died fails what it was asked.
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(new Error(`background worker exited with ${code}`));
    });
    return worker;
  }

  private failAll(error: Error): void {
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    for (const waiter of waiters) waiter.reject(error);
  }

  /** Ends the worker once nothing has been asked of it for `idleMs`. */
  private armIdle(): void {
    if (this.waiting.size > 0 || this.worker === null || this.closed) return;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.waiting.size > 0) return;
      const worker = this.worker;
      this.worker = null;
      void worker?.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = null;
    this.failAll(new Error('background worker closed'));
    await worker?.terminate();
  }
}
