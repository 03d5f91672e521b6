/**
 * A registry's rows for first syncs (shared/sync/rowsSnapshot.ts; docs/sync-server.md, "Rows for a first sync"),
 * made from the snapshot a compaction has just stored, in a worker thread of their own (rowsWorker.ts): at 100,000
 * residents they take seconds of CPU (the search keys' pinyin), which neither the event loop nor the answer worker
 * (whose answers devices wait for) can spare. One job at a time; a registry compacted again before its job started
 * has only its newest snapshot made. Rows are an optimisation: a job that fails is logged and the device that finds
 * none syncs the document as before.
 */
import { gzipSync } from 'node:zlib';
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { residentSearchKeys } from '@shared/domain/registry/searchKeys';
import { makeRowsSnapshot, ROWS_FORMAT } from '@shared/sync/rowsSnapshot';
import { isMaskedRegistryDocName, isRegistryDocName } from '@shared/ydoc/docName';
import { rebuildDoc } from './docState';
import type { DocumentStore, StoredRows } from './storage/types';
import { startWorker, workerUrl } from './workerThread';

/** Whether rows are made for this document: a registry, or its masked copy (for viewers). */
export function hasRows(docName: string): boolean {
  return isRegistryDocName(docName) || isMaskedRegistryDocName(docName);
}

/** The rows of a stored document state (a compaction's snapshot, or what storage holds), gzipped as they are kept. */
export function makeStoredRows(docName: string, updates: readonly Uint8Array[], at = Date.now()): StoredRows {
  const { ydoc } = rebuildDoc(updates, () => undefined);
  try {
    const rows = makeRowsSnapshot(ydoc, docName, residentSearchKeys);
    return {
      format: ROWS_FORMAT,
      stateVector: Y.encodeStateVector(ydoc),
      gzipped: new Uint8Array(gzipSync(JSON.stringify(rows))),
      updatedAt: at,
    };
  } finally {
    ydoc.destroy();
  }
}

export interface RowsRequest {
  readonly id: number;
  readonly doc: string;
  /** The document's state: one snapshot, or what storage holds (snapshot and log, merged by the worker). */
  readonly updates: Uint8Array[];
}

export type RowsReply =
  | { readonly id: number; readonly ok: true; readonly rows: StoredRows }
  | { readonly id: number; readonly ok: false; readonly error: string };

const makers = new WeakMap<DocumentStore, RowsMaker>();

/** The one `RowsMaker` of a store (compaction asks it, and `GET /rows` when it finds none). */
export function rowsMakerOf(store: DocumentStore, log: Logger, stopped: () => boolean): RowsMaker {
  let maker = makers.get(store);
  if (maker === undefined) makers.set(store, (maker = new RowsMaker(store, log, stopped)));
  return maker;
}

/** Makes rows after compactions, one at a time, in a worker started for the work and ended when idle. */
export class RowsMaker {
  private readonly queued = new Map<string, readonly Uint8Array[]>();
  private worker: Worker | null = null;
  private running: Promise<void> | null = null;
  private nextId = 1;
  /** Rows made and stored (tests, logs). */
  made = 0;

  constructor(
    private readonly store: DocumentStore,
    private readonly log: Logger,
    private readonly stopped: () => boolean,
  ) {}

  /** Asks for the rows of `doc` as of `update` (the snapshot just stored), replacing a request not started yet. */
  request(doc: string, update: Uint8Array): void {
    this.requestOf(doc, [update]);
  }

  /**
   * Asks for the rows of `doc` as storage holds it now (a registry never compacted since rows existed, or whose rows
   * are of another format): read when the job runs, in its turn.
   */
  requestStored(doc: string): void {
    if (this.queued.has(doc) || this.working.has(doc)) return;
    this.requestOf(doc, null);
  }

  /**
   * Documents whose job is running (loaded, made, stored): a device asking `GET /rows` again meanwhile queues no
   * second job, so a token cannot make the server build the same registry's rows once per request.
   */
  private readonly working = new Set<string>();

  private requestOf(doc: string, updates: readonly Uint8Array[] | null): void {
    if (this.store.putRows === undefined || !hasRows(doc) || this.stopped()) return;
    this.queued.set(doc, updates ?? []);
    this.running ??= this.drain().finally(() => {
      this.running = null;
      void this.worker?.terminate();
      this.worker = null;
    });
  }

  /** Resolves once every requested job has run (tests; shutdown does not wait: rows are made again later). */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  private async drain(): Promise<void> {
    for (let next = this.queued.entries().next(); !next.done; next = this.queued.entries().next()) {
      const [doc, given] = next.value;
      this.queued.delete(doc);
      if (this.stopped()) return;
      const started = performance.now();
      this.working.add(doc);
      try {
        let updates = given;
        if (updates.length === 0) {
          updates = (await this.store.load(doc)).updates;
          if (updates.length === 0) continue; // nothing stored: no rows
        }
        const rows = await this.make(doc, updates);
        if (this.stopped()) return;
        await this.store.putRows?.(doc, rows);
        this.made += 1;
        this.log.debug(
          { doc, bytes: rows.gzipped.byteLength, ms: Math.round(performance.now() - started) },
          'rows for first syncs stored',
        );
      } catch (error) {
        // The error's text only: never the rows (ID numbers, phones).
        this.log.warn({ doc, err: error instanceof Error ? error.message : String(error) }, 'rows not made');
      } finally {
        this.working.delete(doc);
      }
    }
  }

  private make(doc: string, updates: readonly Uint8Array[]): Promise<StoredRows> {
    const worker = (this.worker ??= startWorker(workerUrl('rowsWorker', import.meta.url)));
    worker.unref();
    const id = this.nextId++;
    const copies = updates.map((update) => new Uint8Array(update));
    return new Promise<StoredRows>((resolve, reject) => {
      const onMessage = (reply: RowsReply) => {
        if (reply.id !== id) return;
        cleanup();
        if (reply.ok) resolve(reply.rows);
        else reject(new Error(reply.error));
      };
      const onExit = (code: number) => {
        cleanup();
        this.worker = null;
        reject(new Error(`rows worker exited (${code})`));
      };
      const onError = (error: Error) => {
        cleanup();
        this.worker = null;
        reject(error);
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
      worker.on('error', onError);
      worker.postMessage(
        { id, doc, updates: copies } satisfies RowsRequest,
        copies.map((copy) => copy.buffer),
      );
    });
  }
}
