/**
 * The background worker (background.ts): work nobody waits for, at the lowest scheduling priority of the machine
 * (workerThread.ts `lowerThreadPriority`). Today: the fold of PostgreSQL's compaction (a node's snapshot merged with
 * whatever of the stored state it lacks, docState.ts `foldMissing`): seconds of CPU for a 20,000-resident registry.
 */
import { parentPort } from 'node:worker_threads';
import { foldMissing } from './docState';
import type { BackgroundReply, BackgroundRequest } from './background';
import { lowerThreadPriority } from './workerThread';

const port = parentPort;
if (port === null) throw new Error('backgroundWorker.ts runs as a worker thread only');
const lowered = lowerThreadPriority();

port.on('message', (request: BackgroundRequest) => {
  let reply: BackgroundReply;
  try {
    reply = { id: request.id, ok: true, result: foldMissing(request.snapshot, request.older) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply, reply.ok ? [reply.result.buffer as ArrayBuffer] : []);
});

port.postMessage({ ready: true, lowered } satisfies BackgroundReply);
