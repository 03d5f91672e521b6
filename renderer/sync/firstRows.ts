/**
 * A new device's first list from the server's rows (docs/sync-client.md, "Rows for a first sync"; shared/sync/
 * rowsSnapshot.ts): on a registry's first sync, the rows the server made at its last compaction are fetched (`GET
 * /rows`, the token in the Authorization header as for `/auth/check`) while the document syncs, and adopted as the
 * projection (sealed by it) unless the document came first. Anything amiss (no rows yet, another format, a refusal,
 * the network) leaves the first sync as it was: the document alone, projected when it arrives.
 */
import {
  parseRowsSnapshot,
  ROWS_FORMAT,
  ROWS_FORMAT_HEADER,
  ROWS_PATH,
  type RowsSnapshot,
} from '@shared/sync/rowsSnapshot';
import type { AdoptProgress, RegistryProjection } from '../data/projection';
import type { DocSync } from './docSync';
import { httpOrigin } from './token';

/** Longest wait for the rows: past it the document is synced alone (the rows are a head start, not a need). */
export const ROWS_TIMEOUT_MS = 60_000;

/**
 * The rows received so far, for a progress display: bytes of the body (as inflated), residents counted in it, and
 * the residents the rows list (`null` until that part has arrived).
 */
export type RowsProgress = (progress: { bytes: number; residents: number; total: number | null }) => void;

/** What a first sync's rows are doing, for the residents list's empty state (`SyncManager.getFirstRows`). */
export interface FirstRowsProgress {
  readonly docName: string;
  /** Downloading (residents counted in what arrived), then sealing and writing them (residents sealed). */
  readonly phase: 'download' | 'write';
  readonly done: number;
  /** `null` while not known yet. */
  readonly total: number | null;
}

const TOTAL_KEY = /"total":(\d+)[,}]/;
const BUCKETS_KEY = '"residentBuckets":';
/** Once in every resident row (`ResidentRow.deleted`); records' fields are `deletedAt`. */
const ROW_KEY = '"deleted":';
const CARRY = 64;

/**
 * Counts the residents of the rows' JSON as it arrives, without parsing it: the top-level `total`, then one row per
 * `"deleted":` after `"residentBuckets":` (the head's rows come before it). Relies on the key order of
 * `makeRowsSnapshot` (format, docName, snapshot, total, head, residentBuckets, recordBuckets); soft-deleted rows
 * are counted too, so the count is capped at the total. A progress display only: the rows are parsed as a whole.
 */
export function rowsCounter(): (chunk: string) => { residents: number; total: number | null } {
  let total: number | null = null;
  let inBuckets = false;
  let counted = 0;
  let carry = '';
  return (chunk) => {
    const text = carry + chunk;
    if (total === null) {
      const match = TOTAL_KEY.exec(text);
      if (match) total = Number(match[1]);
    }
    let from = 0;
    if (!inBuckets) {
      const at = text.indexOf(BUCKETS_KEY);
      if (at >= 0) {
        inBuckets = true;
        from = at + BUCKETS_KEY.length;
      }
    }
    if (inBuckets) {
      // A row key ending inside the carried text was counted with the chunk before.
      for (let at = text.indexOf(ROW_KEY, from); at >= 0; at = text.indexOf(ROW_KEY, at + ROW_KEY.length)) {
        if (at + ROW_KEY.length > carry.length) counted += 1;
      }
    }
    carry = text.slice(-CARRY);
    return { residents: total === null ? counted : Math.min(counted, total), total };
  };
}

/** The rows of `docName`, or null (none, refused, unreachable, another format). Never throws. */
export async function fetchRows(
  server: string,
  token: string,
  docName: string,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  options: { onProgress?: RowsProgress; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<RowsSnapshot | null> {
  const { onProgress, timeoutMs = ROWS_TIMEOUT_MS, signal } = options;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const abort = () => controller.abort();
  if (signal?.aborted) return null;
  signal?.addEventListener('abort', abort);
  try {
    const response = await fetchImpl(`${httpOrigin(server)}${ROWS_PATH}?doc=${encodeURIComponent(docName)}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: controller.signal,
      cache: 'no-store',
    });
    if (response.status !== 200 || response.headers.get(ROWS_FORMAT_HEADER) !== String(ROWS_FORMAT)) {
      await response.body?.cancel();
      return null;
    }
    const text = await readText(response, onProgress);
    performance.mark(`cgw:rows-fetched ${docName}`);
    return parseRowsSnapshot(text, docName);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }
}

async function readText(response: Response, onProgress?: RowsProgress): Promise<string> {
  const body = response.body;
  if (body === null || onProgress === undefined) return response.text();
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const count = rowsCounter();
  const parts: string[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    const part = decoder.decode(value, { stream: true });
    parts.push(part);
    onProgress({ bytes, ...count(part) });
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/**
 * A registry's first sync with its rows: the document's sync starts at once and the rows are fetched meanwhile
 * (`fetched` is called with a signal that aborts it). Whichever comes first, the projection ends as the document's:
 *
 * - rows adopted first: the document's answer, when applied, is caught up from the rows' state (`catchUp`), and a
 *   projection whose rows the answer does not cover is rebuilt (`RegistryProjection.settle`);
 * - the answer applied first: the rows are no longer needed (the document holds at least their state, made at an
 *   earlier compaction): their download is aborted, and rows that arrive anyway are refused by `adoptRows`;
 * - the answer applied while the rows are being written: they are written all the same (sealed already, cheaper than
 *   projecting the document), and the next flush projects only what the document changed after them.
 *
 * Resolves when the rows are adopted (true) or not (false). Never rejects.
 */
export async function rowsAlongFirstSync(
  sync: DocSync,
  projection: Promise<RegistryProjection>,
  fetched: (signal: AbortSignal) => Promise<RowsSnapshot | null>,
  onWritten?: AdoptProgress,
): Promise<boolean> {
  const controller = new AbortController();
  sync.start();
  /** The document's answer applied (not a connection given up before it). */
  const answered = sync.firstApplied.then(() => {
    const { connection } = sync.status();
    const applied = connection === 'synced' || connection === 'syncing';
    if (applied) controller.abort();
    return applied;
  });
  let adopted = false;
  let running: RegistryProjection | null = null;
  try {
    const [rows, started] = await Promise.all([fetched(controller.signal), projection]);
    running = started;
    if (rows !== null) adopted = await started.adoptRows(rows, onWritten);
    if (adopted) performance.mark(`cgw:rows-adopted ${sync.docName}`);
  } catch (error) {
    console.error('sync: the rows of', sync.docName, 'could not be adopted', error);
  }
  if (adopted && running !== null) {
    const adoptedBy = running;
    // Only after an answer was applied: a connection closed before it leaves the rows until the next answer.
    void answered.then((applied) => (applied ? adoptedBy.settle() : undefined));
  }
  return adopted;
}
