/** The worker thread of `RowsMaker` (registryRows.ts): makes a registry's rows from a stored snapshot. */
import { parentPort } from 'node:worker_threads';
import { makeStoredRows, type RowsReply, type RowsRequest } from './registryRows';
import { lowerThreadPriority } from './workerThread';

const port = parentPort;
if (port === null) throw new Error('rowsWorker.ts runs as a worker thread only');
// Rows are an optimisation nobody waits for: at the lowest priority (docs/sync-server.md).
lowerThreadPriority();

port.on('message', (request: RowsRequest) => {
  let reply: RowsReply;
  try {
    reply = { id: request.id, ok: true, rows: makeStoredRows(request.doc, request.updates) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply, reply.ok ? [reply.rows.gzipped.buffer as ArrayBuffer] : []);
});
