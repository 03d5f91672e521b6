/**
 * The SQLite compaction writer (storage/sqlite.ts, `SqliteStorage.compact`): a worker thread with a connection of its
 * own to the same database file (WAL mode), which writes a compaction's snapshot and deletes the log it covers in one
 * transaction, with its fsync, off the event loop. Writing a 20,000-resident registry's 10 MB snapshot took
 * 0.27-0.69 s of the event loop (docs/sync-server.md, "What still runs on the event loop").
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface WriterRequest {
  readonly id: number;
  readonly doc: string;
  readonly snapshot: Uint8Array;
  readonly throughSeq: number;
  readonly at: number;
}

export type WriterReply =
  | { readonly ready: true }
  | { readonly id: number; readonly ok: true }
  | { readonly id: number; readonly ok: false; readonly error: string };

export interface WriterData {
  readonly file: string;
  readonly syncMode: 'full' | 'normal';
}

const port = parentPort;
if (port === null) throw new Error('sqliteWriter.ts runs as a worker thread only');
const { file, syncMode } = workerData as WriterData;
const db = new Database(file, { fileMustExist: true });
// The main thread's connection holds back its own writes while this one writes (no lock to wait for), but the admin
// CLI may be writing: wait for it, here, off the event loop.
db.pragma('busy_timeout = 10000');
db.pragma(`synchronous = ${syncMode === 'normal' ? 'NORMAL' : 'FULL'}`);
const upsert = db.prepare<[string, Buffer, number, number]>(
  `INSERT INTO doc_snapshots (doc, snapshot, seq, updated_at) VALUES (?, ?, ?, ?)
   ON CONFLICT (doc) DO UPDATE SET snapshot = excluded.snapshot, seq = excluded.seq, updated_at = excluded.updated_at`,
);
const deleteLog = db.prepare<[string, number]>('DELETE FROM doc_updates WHERE doc = ? AND seq <= ?');
const compact = db.transaction((request: WriterRequest) => {
  const { snapshot } = request;
  upsert.run(
    request.doc,
    Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength),
    request.throughSeq,
    request.at,
  );
  deleteLog.run(request.doc, request.throughSeq);
});

port.on('message', (request: WriterRequest | 'close') => {
  if (request === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    compact(request);
    reply = { id: request.id, ok: true };
  } catch (error) {
    reply = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies WriterReply);
