/**
 * The answer worker (sync-server/answers.ts): holds a replica of the documents the main thread asks it to, fed with
 * every update the main thread applies, and encodes answers to sync-step-1 messages, so that encoding a whole
 * document (up to a second for a 20,000-resident registry) never blocks the event loop that serves every socket and
 * `/healthz`. Messages are handled in the order they were posted, so an answer covers every update posted before it.
 * For the same reason a `snapshot` (compaction, documents.ts) is the document exactly as of the moment it was asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';
import { sliceDoc } from './docSlices';
import { foldMissing, rebuildDoc } from './docState';
import { reconcileMaskedMessages, sameStateVector } from './maskedReconcile';
import { encodeSyncAnswer } from './protocol';
import type { WorkerReply, WorkerRequest } from './answers';

const docs = new Map<string, Y.Doc>();
/**
 * Replicas loaded from stored updates of which Yjs refused some (skipped): not cut into slices for the main thread's
 * load, which then rebuilds the document itself and knows what it skipped (documents.ts `loadDoc`: a document that
 * skipped a stored update holds none of the stored state for compaction, which folds everything in then).
 */
const skippedAtLoad = new Set<string>();
const port = parentPort;
if (port === null) throw new Error('answerWorker.ts runs as a worker thread only');
/** `stall` is obeyed only in a pool made for tests (answers.ts, `testHooks`). */
const testHooks = (workerData as { testHooks?: unknown } | null)?.testHooks === true;

port.on('message', (request: WorkerRequest) => {
  switch (request.type) {
    case 'load': {
      docs.get(request.doc)?.destroy();
      const rebuilt = rebuildDoc(request.updates, () => undefined);
      docs.set(request.doc, rebuilt.ydoc);
      if (rebuilt.skipped > 0) skippedAtLoad.add(request.doc);
      else skippedAtLoad.delete(request.doc);
      // Acknowledged, so that the pool knows how much replica building lies ahead of a request (its timeout).
      reply(request.id, () => []);
      return;
    }
    case 'update': {
      const doc = docs.get(request.doc);
      if (doc === undefined) return;
      try {
        Y.applyUpdate(doc, request.update);
      } catch {
        // The main thread applied it (or failed the same way); the replica follows what it can.
      }
      return;
    }
    case 'unload': {
      docs.get(request.doc)?.destroy();
      docs.delete(request.doc);
      skippedAtLoad.delete(request.doc);
      return;
    }
    case 'answer': {
      const doc = docs.get(request.doc);
      reply(request.id, () => {
        if (doc === undefined) throw new Error('document not loaded in the worker');
        return encodeSyncAnswer(doc, request.stateVector, request.maxBytes);
      });
      return;
    }
    case 'snapshot': {
      const doc = docs.get(request.doc);
      reply(request.id, () => {
        if (doc === undefined) throw new Error('document not loaded in the worker');
        const state = Y.encodeStateAsUpdate(doc);
        return [request.pending.length === 0 ? state : Y.mergeUpdates([state, ...request.pending])];
      });
      return;
    }
    case 'fold': {
      reply(request.id, () => [foldMissing(request.snapshot, request.older)]);
      return;
    }
    case 'merge': {
      reply(request.id, () => [Y.mergeUpdates([...request.updates])]);
      return;
    }
    case 'slices': {
      const doc = docs.get(request.doc);
      reply(request.id, () => {
        if (doc === undefined) throw new Error('document not loaded in the worker');
        if (skippedAtLoad.has(request.doc)) throw new Error('the replica skipped stored updates it could not apply');
        return [...sliceDoc(doc, request.maxStructs), Y.encodeStateVector(doc)];
      });
      return;
    }
    case 'reconcileMasked': {
      const doc = docs.get(request.doc);
      reply(request.id, () => {
        if (doc === undefined) throw new Error('document not loaded in the worker');
        if (!sameStateVector(Y.encodeStateVector(doc), request.stateVector))
          throw new Error('the replica does not hold what the document holds');
        return reconcileMaskedMessages(doc, request.masked);
      });
      return;
    }
    case 'stall': {
      // Busy as a worker stuck in a loop would be: no message is handled meanwhile, and `terminate` ends it (a thread
      // blocked in Atomics.wait is not interrupted by it).
      if (testHooks) for (const end = Date.now() + request.ms; Date.now() < end;);
      return;
    }
  }
});

// Started: the pool's timers of the requests posted meanwhile start now (answers.ts).
port.postMessage({ ready: true } satisfies WorkerReply);

/** Sends the result of `work` (its buffers moved, not copied) or the error it threw. */
function reply(id: number, work: () => Uint8Array[]): void {
  let message: WorkerReply;
  try {
    message = { id, ok: true, messages: work() };
  } catch (error) {
    message = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port?.postMessage(message, message.ok ? message.messages.map((m) => m.buffer as ArrayBuffer) : []);
}
