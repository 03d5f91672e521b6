/**
 * The answer worker (sync-server/answers.ts): holds a replica of the documents the main thread asks it to, fed with
 * every update the main thread applies, and encodes answers to sync-step-1 messages, so that encoding a whole
 * document (up to a second for a 20,000-resident registry) never blocks the event loop that serves every socket and
 * `/healthz`. Messages are handled in the order they were posted, so an answer covers every update posted before it.
 */
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import { rebuildDoc } from './docState';
import { encodeSyncAnswer } from './protocol';
import type { WorkerReply, WorkerRequest } from './answers';

const docs = new Map<string, Y.Doc>();
const port = parentPort;
if (port === null) throw new Error('answerWorker.ts runs as a worker thread only');

port.on('message', (request: WorkerRequest) => {
  switch (request.type) {
    case 'load': {
      docs.get(request.doc)?.destroy();
      docs.set(request.doc, rebuildDoc(request.updates, () => undefined).ydoc);
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
      return;
    }
    case 'answer': {
      let reply: WorkerReply;
      const doc = docs.get(request.doc);
      if (doc === undefined) {
        reply = { id: request.id, ok: false, error: 'document not loaded in the worker' };
      } else {
        try {
          reply = { id: request.id, ok: true, messages: encodeSyncAnswer(doc, request.stateVector, request.maxBytes) };
        } catch (error) {
          reply = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
        }
      }
      port.postMessage(reply, reply.ok ? reply.messages.map((m) => m.buffer as ArrayBuffer) : []);
      return;
    }
  }
});
