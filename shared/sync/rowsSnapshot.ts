/**
 * The registry's rows for a first sync (docs/decisions.md, "A registry that scales", choice C; docs/sync-server.md,
 * "Rows for a first sync"): the projection a device would build from the registry document (shared/ydoc/
 * registryRows.ts), made by the sync server at compaction and sent to a device that holds nothing of the community,
 * so that it lists residents before the document (megabytes to apply and project) has arrived.
 *
 * The rows carry the Yjs snapshot (state vector and delete set) of the document state they were made from: a device
 * that then receives the document projects only what changed after it (renderer/data/projection.ts, `adoptRows`),
 * and a device whose document does not cover that state, or of another `ROWS_FORMAT`, rebuilds as before.
 *
 * They carry ID numbers and phones in clear (the masked copy's rows for viewers): served only with the same token
 * check as the websocket (sync-server/upgrade.ts), never logged, sealed by the device before they are stored.
 */
import * as Y from 'yjs';
import { recordBucketsOf, registryRows, RESIDENT_BUCKETS, type KeysOf, type ResidentRow } from '../ydoc/registryRows';

/**
 * The version of the rows' layout: bumped whenever a row, a bucket count, the search keys or the list order change,
 * so that a device never adopts rows another version made (it rebuilds from the document instead).
 */
export const ROWS_FORMAT = 1;

/** `GET /rows?doc=<docName>` with `Authorization: Bearer <token>`: the rows of the registry (or its masked copy). */
export const ROWS_PATH = '/rows';

/** Response header with the rows' format (the body is gzipped JSON, `Content-Encoding: gzip`). */
export const ROWS_FORMAT_HEADER = 'X-Rows-Format';

export interface RowsSnapshot {
  readonly format: number;
  readonly docName: string;
  /** `Y.encodeSnapshot` of the document state the rows were made from (its state vector and delete set). */
  readonly snapshot: number[];
  /** Residents not deleted, and the first page of them in list order (the list head). */
  readonly total: number;
  readonly head: ResidentRow[];
  /** The residents by bucket: `RESIDENT_BUCKETS` arrays. */
  readonly residentBuckets: ResidentRow[][];
  /** The other collections' records by (collection, bucket), as the device stores them. */
  readonly recordBuckets: { collection: string; bucket: number; records: Record<string, unknown>[] }[];
}

/** The rows of a loaded registry document (or its masked copy). */
export function makeRowsSnapshot(doc: Y.Doc, docName: string, keysOf: KeysOf): RowsSnapshot {
  const rows = registryRows(doc, docName, keysOf);
  return {
    format: ROWS_FORMAT,
    docName,
    snapshot: Array.from(Y.encodeSnapshot(Y.snapshot(doc))),
    total: rows.head.total,
    head: [...rows.head.rows],
    residentBuckets: rows.residentBuckets,
    recordBuckets: recordBucketsOf(rows.records),
  };
}

/** The rows' document state, decoded. */
export function rowsState(rows: RowsSnapshot): { stateVector: Uint8Array; snapshot: Y.Snapshot } {
  const snapshot = Y.decodeSnapshot(Uint8Array.from(rows.snapshot));
  return { stateVector: Y.encodeStateVector(snapshot.sv), snapshot };
}

/** Rows read from the wire, if they are of this format and this document; `null` otherwise (rebuild as before). */
export function parseRowsSnapshot(json: string, docName: string): RowsSnapshot | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const rows = value as Partial<RowsSnapshot>;
  if (
    rows.format !== ROWS_FORMAT ||
    rows.docName !== docName ||
    !Array.isArray(rows.snapshot) ||
    typeof rows.total !== 'number' ||
    !Array.isArray(rows.head) ||
    !Array.isArray(rows.residentBuckets) ||
    rows.residentBuckets.length !== RESIDENT_BUCKETS ||
    !Array.isArray(rows.recordBuckets)
  ) {
    return null;
  }
  return rows as RowsSnapshot;
}
