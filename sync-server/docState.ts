/** Building a document from storage, and the cached answer for clients that hold nothing of it yet. */
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import * as Y from 'yjs';
import { ANSWER_MESSAGE_BYTES, encodeSyncAnswer, encodeSyncStep2FromUpdate, encodeUpdate } from './protocol';

/**
 * A document for the server's memory. Its `guid` (unused here: no subdocuments) from Node's buffered UUIDs: Yjs's
 * default draws one through WebCrypto 31 times per document, 1.4 s of each node's event loop in a restart storm of
 * 8,000 connections (docs/bench-cluster.md, "Where a restart storm's time goes").
 */
export function serverDoc(): Y.Doc {
  return new Y.Doc({ guid: randomUUID() });
}

export interface RebuiltDoc {
  readonly ydoc: Y.Doc;
  /** The whole stored document as one v1 update (what the document holds), or null when it could not be merged. */
  readonly merged: Uint8Array | null;
  /** How many `applyUpdate` calls it took: 1 (or 0 for an empty document) unless merging failed. */
  readonly applied: number;
  /** Stored updates that could not be applied (logged and skipped). */
  readonly skipped: number;
}

/**
 * Rebuilds a document from its snapshot and log. The log is merged into one update first (`Y.mergeUpdates` works on
 * the encoded form and is far cheaper than integrating each entry), so that the document integrates once however
 * long the log. When merging or applying the merged update fails, the updates are applied one by one into a fresh
 * document and those Yjs cannot apply are skipped, as before. `premerged`: the updates merged already (by an answer
 * worker, documents.ts `loadDoc`), applied instead of merging them here.
 */
export function rebuildDoc(
  updates: readonly Uint8Array[],
  onSkip: (error: unknown) => void,
  premerged?: Uint8Array,
): RebuiltDoc {
  const [first] = updates;
  if (first === undefined) return { ydoc: serverDoc(), merged: null, applied: 0, skipped: 0 };
  try {
    const merged = premerged ?? (updates.length === 1 ? first : Y.mergeUpdates([...updates]));
    const ydoc = serverDoc();
    try {
      Y.applyUpdate(ydoc, merged, 'storage');
      return { ydoc, merged, applied: 1, skipped: 0 };
    } catch {
      ydoc.destroy();
    }
  } catch {
    // fall through to one by one
  }
  const ydoc = serverDoc();
  let skipped = 0;
  for (const update of updates) {
    try {
      Y.applyUpdate(ydoc, update, 'storage');
    } catch (error) {
      skipped++;
      onSkip(error);
    }
  }
  return { ydoc, merged: null, applied: updates.length, skipped };
}

/**
 * `snapshot` (a node's whole document) merged with whatever of `older` (the stored snapshot and log it replaces) it
 * lacks: their structs it does not hold and their delete set. With several nodes a node's memory may lack an update
 * another node stored a moment ago, so PostgreSQL's compaction (storage/postgres.ts) writes this, never `snapshot`
 * alone. Pure work on encoded updates: run in an answer worker (answerWorker.ts) when one is given.
 */
export function foldMissing(snapshot: Uint8Array, older: readonly Uint8Array[]): Uint8Array {
  if (older.length === 0) return snapshot;
  const whole = older.length === 1 && older[0] !== undefined ? older[0] : Y.mergeUpdates([...older]);
  const missing = Y.diffUpdate(whole, Y.encodeStateVectorFromUpdate(snapshot));
  return Y.mergeUpdates([snapshot, missing]);
}

const gzipAsync = promisify(gzip);

/** An answer's messages one after another, gzipped (MESSAGE_GZIP_ANSWER's content), in zlib's thread pool. */
export function gzipMessages(messages: readonly Uint8Array[]): Promise<Uint8Array> {
  const whole = Buffer.concat(
    messages.map((message) => Buffer.from(message.buffer, message.byteOffset, message.length)),
  );
  return gzipAsync(whole, { level: 1 });
}

/** The state vector of a client that holds nothing (no clients). */
const EMPTY_STATE_VECTOR = new Uint8Array([0]);

/** True when a sync-step-1 state vector names no client: the sender holds nothing of the document. */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return Y.decodeStateVector(stateVector).size === 0;
}

/**
 * The answer carrying the whole document (encodeSyncAnswer: update messages of about a MiB and a last sync-step-2),
 * encoded once and sent to every client that joins holding nothing (a burst of devices after a restart, a new
 * laptop), until the document changes. Seeded at load with what the load made anyway, so that the first joiner after
 * a load costs no encoding: the stored update itself when the document was merged and it fits in one message, or the
 * slices a big document was integrated from (docSlices.ts) when each fits in one. Slices are kept for `keepMs` only
 * unless a joiner asks for them meanwhile: a big document loaded for reconnecting devices does not hold a second copy
 * of itself in memory for nobody (docs/sync-server.md, "A new device's first answer").
 */
export class FullStateCache {
  private messages: Uint8Array[] | null = null;
  private gzip: { readonly messages: readonly Uint8Array[]; readonly bytes: Promise<Uint8Array> } | null = null;
  /** The timer dropping seeded messages nobody asked for (`seed`'s `keepMs`); cleared by any use of the cache. */
  private expiry: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly ydoc: Y.Doc,
    private readonly maxBytes = ANSWER_MESSAGE_BYTES,
  ) {}

  /**
   * Seeds the cache with updates that, applied in order to an empty document, make exactly what the document holds:
   * one update message each, the last a sync-step-2. Not seeded if one of them is bigger than a message may be.
   * `keepMs`: dropped after that long unless a joiner asked for them (`peek`, `get`) before.
   */
  seed(updates: readonly Uint8Array[], keepMs?: number): void {
    this.keep();
    if (updates.length === 0 || updates.some((update) => update.length > this.maxBytes)) {
      this.messages = null;
      return;
    }
    const last = updates.length - 1;
    this.messages = updates.map((update, index) =>
      index === last ? encodeSyncStep2FromUpdate(update) : encodeUpdate(update),
    );
    if (keepMs === undefined) return;
    // Only a weak reference in the timer: a document unloaded sooner (idle documents go after 30 s) lets go of its
    // slices with it, not when the timer fires.
    const cache = new WeakRef(this);
    this.expiry = setTimeout(() => cache.deref()?.expire(), keepMs);
    this.expiry.unref();
  }

  /** The seeded messages nobody asked for in time (any use of the cache clears the timer first). */
  private expire(): void {
    this.expiry = null;
    this.messages = null;
  }

  /** Whatever the cache holds now stays until the next change: no seeded messages' timer runs any more. */
  private keep(): void {
    if (this.expiry !== null) clearTimeout(this.expiry);
    this.expiry = null;
  }

  /** Must be called before anything is applied to the document. */
  invalidate(): void {
    this.keep();
    this.messages = null;
  }

  /**
   * The answer's messages one after another, gzipped (MESSAGE_GZIP_ANSWER's content), computed once per answer off
   * the event loop (zlib's thread pool).
   */
  gzipped(): Promise<Uint8Array> {
    const messages = this.get();
    if (this.gzip?.messages !== messages) this.gzip = { messages, bytes: gzipMessages(messages) };
    return this.gzip.bytes;
  }

  /** The cached answer, or null: never encodes (the server encodes in its answer workers and `fill`s the cache). */
  peek(): readonly Uint8Array[] | null {
    this.keep();
    return this.messages;
  }

  /** Caches an answer encoded elsewhere for the document as it is now (no change applied since it was encoded). */
  fill(messages: readonly Uint8Array[]): void {
    this.keep();
    this.messages = [...messages];
    if (this.messages.length > 1) void this.gzipped().catch(() => undefined);
  }

  get(): readonly Uint8Array[] {
    this.keep();
    if (this.messages === null) {
      this.messages = encodeSyncAnswer(this.ydoc, EMPTY_STATE_VECTOR, this.maxBytes);
      // The next joiner is likely an app, which asks for it gzipped: compressed now, in zlib's threads.
      if (this.messages.length > 1) void this.gzipped().catch(() => undefined);
    }
    return this.messages;
  }

  get cached(): boolean {
    return this.messages !== null;
  }
}
