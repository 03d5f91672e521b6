/**
 * The steps of `npm run bench:partition`, each timed on its own, with the code the app and the server run:
 *
 * - the server's cold answer to a device holding nothing: `rebuildDoc` of the stored bytes (what a load after a start
 *   does), `encodeSyncAnswer` (what the answer worker does), and `gzipMessages` when the answer is more than one
 *   message (what `deliverAnswer` does for a client that asks for gzip: a one-message answer is sent as it is), plus
 *   the heap the loaded document takes and a compaction's `encodeStateAsUpdate`;
 * - the device's apply: gunzip, then every sync message read into a fresh `Y.Doc` by y-protocols' `readSyncMessage`;
 * - the device's projection as `RegistryProjection.rebuild` computes it (`residentRow` with `cachedPlaces`, 64
 *   resident buckets and 16 record buckets as JSON, the list head), without IndexedDB and without sealing;
 * - a resident edit (`updateResident` of a phone) and what it makes the device write: the Yjs update appended to the
 *   update log and the resident bucket the projection rewrites;
 * - the server-made snapshot of projected rows (design C): made from the loaded document, gzipped per bucket, and
 *   kept current after an edit.
 *
 * Nothing here talks to a socket or to IndexedDB: see docs/decisions.md ("A registry that scales") for what that
 * leaves out.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { updateResident, type CommandContext } from '@shared/domain/registry/commands';
import { residentSearchKeys } from '@shared/domain/registry/searchKeys';
import type { ResidentId } from '@shared/domain/registry/types';
import { appendAudit, listRecords, readRecord, REGISTRY_COLLECTIONS, setFields } from '@shared/ydoc/registry';
import { gzipMessages, rebuildDoc } from '../../../sync-server/docState';
import { encodeSyncAnswer } from '../../../sync-server/protocol';
import {
  bucketOf,
  cachedPlaces,
  isWholeResident,
  listHeadOf,
  recordBucketOf,
  recordRow,
  RESIDENT_BUCKETS,
  residentRow,
  type ListHead,
} from '../../../renderer/data/projectionRows';
import type { ResidentRow } from '../../../renderer/data/db';

const EMPTY_STATE_VECTOR = new Uint8Array([0]);
const gc = (globalThis as { gc?: () => void }).gc;

export function now(): number {
  return performance.now();
}

/** Heap in use after two collections (needs `--expose-gc`; without it the figure is noisy). */
export function heapBytes(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

export const hasGc = gc !== undefined;

export interface ServerAnswer {
  readonly loadMs: number;
  readonly heapBytes: number;
  readonly encodeMs: number;
  readonly gzipMs: number;
  readonly compactMs: number;
  readonly storedBytes: number;
  readonly answerBytes: number;
  /** What goes on the wire: the gzipped answer, or the one message as it is. */
  readonly wireBytes: number;
  /** The answer gzipped even when it is one message (what the wire would carry if the server gzipped every answer). */
  readonly gzipAllBytes: number;
  readonly gzipped: boolean;
  readonly wire: Uint8Array;
  /** The server's loaded document (the caller destroys it). */
  readonly doc: Y.Doc;
}

/** The server, cold: the document loaded from its stored bytes, the whole-document answer encoded and gzipped. */
export async function serverAnswer(stored: Uint8Array): Promise<ServerAnswer> {
  const before = heapBytes();
  const t0 = now();
  const { ydoc } = rebuildDoc([stored], () => undefined);
  const t1 = now();
  const heap = heapBytes() - before;
  const t2 = now();
  const messages = encodeSyncAnswer(ydoc, EMPTY_STATE_VECTOR);
  const t3 = now();
  const gzipped = messages.length > 1;
  const wire = gzipped ? await gzipMessages(messages) : (messages[0] ?? new Uint8Array());
  const t4 = now();
  const t5 = now();
  Y.encodeStateAsUpdate(ydoc);
  const t6 = now();
  const gzipAllBytes = gzipped ? wire.length : gzipSync(wire, { level: 1 }).length;
  return {
    loadMs: t1 - t0,
    heapBytes: heap,
    encodeMs: t3 - t2,
    gzipMs: gzipped ? t4 - t3 : 0,
    compactMs: t6 - t5,
    storedBytes: stored.length,
    answerBytes: messages.reduce((sum, message) => sum + message.length, 0),
    wireBytes: wire.length,
    gzipAllBytes,
    gzipped,
    wire,
    doc: ydoc,
  };
}

/** The device: the answer gunzipped and its sync messages read into a fresh document, one after another. */
export function clientApply(answer: Pick<ServerAnswer, 'wire' | 'gzipped'>): { ms: number; doc: Y.Doc } {
  const t0 = now();
  const bytes = answer.gzipped ? gunzipSync(answer.wire) : answer.wire;
  const doc = new Y.Doc();
  const decoder = decoding.createDecoder(bytes);
  while (decoding.hasContent(decoder)) {
    const type = decoding.readVarUint(decoder);
    if (type !== 0) throw new Error(`unexpected message type ${type} in an answer`);
    syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, 'server');
  }
  return { ms: now() - t0, doc };
}

export interface Projected {
  readonly ms: number;
  readonly rows: ResidentRow[];
  /** The 64 resident buckets' JSON (empty buckets included: the app writes them all on a rebuild). */
  readonly buckets: string[];
  readonly recordsJson: string[];
  readonly head: ListHead;
  /** The buckets' JSON (resident and record buckets), without the list head. */
  readonly bytes: number;
  readonly headBytes: number;
}

/**
 * The projection of one document as `RegistryProjection.rebuild` computes it: its residents' rows (places read from
 * `places`, the document itself when it holds them), the other collections' records in 16 buckets, the list head.
 */
export function project(doc: Y.Doc, places: Y.Doc, docName: string): Projected {
  const t0 = now();
  const reader = cachedPlaces(places);
  const rows = listRecords(doc, 'residents')
    .filter(isWholeResident)
    .map((resident) => residentRow(doc, docName, resident, residentSearchKeys, reader));
  const recordGroups = new Map<string, Record<string, unknown>[]>();
  for (const collection of REGISTRY_COLLECTIONS) {
    if (collection === 'residents') continue;
    for (const record of listRecords(doc, collection)) {
      const key = `${collection}|${recordBucketOf(record.id)}`;
      const group = recordGroups.get(key);
      const row = recordRow(docName, collection, record).record;
      if (group === undefined) recordGroups.set(key, [row]);
      else group.push(row);
    }
  }
  const recordsJson = [...recordGroups.values()].map((group) => JSON.stringify(group));
  const grouped = Array.from({ length: RESIDENT_BUCKETS }, () => [] as ResidentRow[]);
  for (const row of rows) grouped[bucketOf(row.id)]?.push(row);
  const buckets = grouped.map((bucketRows) => JSON.stringify(bucketRows));
  const head = listHeadOf(rows);
  const headJson = JSON.stringify(head.rows);
  const ms = now() - t0;
  const bytes =
    buckets.reduce((sum, json) => sum + Buffer.byteLength(json), 0) +
    recordsJson.reduce((sum, json) => sum + Buffer.byteLength(json), 0);
  return { ms, rows, buckets, recordsJson, head, bytes, headBytes: Buffer.byteLength(headJson) };
}

export interface EditCost {
  /** The first edit on the document: builds the ID-number index (`idIndex.ts`) over its residents. */
  readonly firstEditMs: number;
  readonly editMs: number;
  /** The Yjs update of the second edit (appended to the update log, sent to the server). */
  readonly updateBytes: number;
  /** The resident bucket the projection rewrites for it (JSON; sealing adds a few dozen bytes). */
  readonly bucketBytes: number;
  readonly bucketRows: number;
  /** Time to compute the edited row again and write the bucket's JSON (the flush's work without IndexedDB). */
  readonly rowMs: number;
}

/** Two phone edits of `residentId` on `doc` and what the device writes for the second. */
export function editCost(
  doc: Y.Doc,
  places: Y.Doc,
  docName: string,
  projected: Projected,
  residentId: string,
  ctx: CommandContext,
  phones: readonly [string, string],
  direct = false,
): EditCost {
  const edit = (phone: string): { ms: number; update: Uint8Array } => {
    const updates: Uint8Array[] = [];
    const onUpdate = (update: Uint8Array): void => {
      updates.push(update);
    };
    doc.on('update', onUpdate);
    const t0 = now();
    if (direct) {
      // What updateResident writes (the changed field, updatedAt, one audit entry), in the shard: the command reads
      // the household from the same document, which a shard does not hold.
      const at = ctx.now().toISOString();
      doc.transact(() => {
        setFields(doc, 'residents', residentId, { phone, updatedAt: at });
        appendAudit(doc, [
          {
            id: ctx.newId(),
            at,
            userId: ctx.actor.userId,
            userName: ctx.actor.userName,
            deviceId: ctx.actor.deviceId,
            action: 'update',
            collection: 'residents',
            recordId: residentId,
            fields: { phone },
          },
        ]);
      });
    } else {
      const result = updateResident(doc, ctx, { id: residentId as ResidentId, changes: { phone } });
      if (!result.ok) throw new Error(`updateResident: ${JSON.stringify(result.error)}`);
    }
    const ms = now() - t0;
    doc.off('update', onUpdate);
    return { ms, update: updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates) };
  };
  const first = edit(phones[0]);
  const second = edit(phones[1]);
  const t0 = now();
  const resident = readRecord(doc, 'residents', residentId);
  if (resident === null || !isWholeResident(resident)) throw new Error(`resident ${residentId} not found`);
  const row = residentRow(doc, docName, resident, residentSearchKeys, cachedPlaces(places));
  const bucket = bucketOf(residentId);
  const rows = (JSON.parse(projected.buckets[bucket] ?? '[]') as ResidentRow[]).map((old) =>
    old.id === residentId ? row : old,
  );
  const json = JSON.stringify(rows);
  const rowMs = now() - t0;
  return {
    firstEditMs: first.ms,
    editMs: second.ms,
    updateBytes: second.update.length,
    bucketBytes: Buffer.byteLength(json),
    bucketRows: rows.length,
    rowMs,
  };
}

export interface Snapshot {
  /** Made on the server from the loaded document (at compaction): project, JSON, gzip. */
  readonly makeMs: number;
  readonly head: Uint8Array;
  readonly buckets: Uint8Array[];
  readonly records: Uint8Array;
  readonly rawBytes: number;
  readonly bytes: number;
  readonly projected: Projected;
}

/** Design C: the projected rows made on the server, gzipped per bucket, with the list head as a piece of its own. */
export function makeSnapshot(doc: Y.Doc, docName: string): Snapshot {
  const t0 = now();
  const projected = project(doc, doc, docName);
  const headJson = JSON.stringify({ total: projected.head.total, rows: projected.head.rows });
  const recordsJson = `[${projected.recordsJson.join(',')}]`;
  const head = gzipSync(headJson, { level: 6 });
  const buckets = projected.buckets.map((json) => gzipSync(json, { level: 6 }));
  const records = gzipSync(recordsJson, { level: 6 });
  const makeMs = now() - t0;
  const rawBytes =
    Buffer.byteLength(headJson) +
    Buffer.byteLength(recordsJson) +
    projected.buckets.reduce((sum, json) => sum + Buffer.byteLength(json), 0);
  const bytes = head.length + records.length + buckets.reduce((sum, bucket) => sum + bucket.length, 0);
  return { makeMs, head, buckets, records, rawBytes, bytes, projected };
}

/** The device reading a snapshot: the head alone (the list shows), then everything (search and filters work). */
export function readSnapshot(snapshot: Snapshot): { listMs: number; allMs: number; rows: number } {
  const t0 = now();
  const head = JSON.parse(gunzipSync(snapshot.head).toString()) as ListHead;
  const t1 = now();
  let rows = 0;
  for (const bucket of snapshot.buckets) rows += (JSON.parse(gunzipSync(bucket).toString()) as unknown[]).length;
  JSON.parse(gunzipSync(snapshot.records).toString());
  const t2 = now();
  if (head.rows.length === 0 && head.total > 0) throw new Error('empty head');
  return { listMs: t1 - t0, allMs: t1 - t0 + (t2 - t1), rows };
}

/**
 * Keeping the snapshot current after a resident edit applied to the server's document: the row computed again,
 * its bucket's JSON written and gzipped again (and the head's when the resident is in it).
 */
export function keepSnapshotCurrent(
  snapshot: Snapshot,
  doc: Y.Doc,
  docName: string,
  residentId: string,
): { ms: number; bytes: number; headRewritten: boolean } {
  const t0 = now();
  const resident = readRecord(doc, 'residents', residentId);
  if (resident === null || !isWholeResident(resident)) throw new Error(`resident ${residentId} not found`);
  const row = residentRow(doc, docName, resident, residentSearchKeys);
  const bucket = bucketOf(residentId);
  const rows = (
    snapshot.projected.buckets[bucket] ? JSON.parse(snapshot.projected.buckets[bucket]) : []
  ) as ResidentRow[];
  const json = JSON.stringify(rows.map((old) => (old.id === residentId ? row : old)));
  const gz = gzipSync(json, { level: 6 });
  let bytes = gz.length;
  const inHead = snapshot.projected.head.rows.some((old) => old.id === residentId);
  if (inHead) {
    const head = snapshot.projected.head.rows.map((old) => (old.id === residentId ? row : old));
    bytes += gzipSync(JSON.stringify({ total: snapshot.projected.head.total, rows: head }), { level: 6 }).length;
  }
  return { ms: now() - t0, bytes, headRewritten: inHead };
}
