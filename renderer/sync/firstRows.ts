/**
 * A new device's first list from the server's rows (docs/sync-client.md, "Rows for a first sync"; shared/sync/
 * rowsSnapshot.ts): before a registry's first sync, the rows the server made at its last compaction are fetched
 * (`GET /rows`, the token in the Authorization header as for `/auth/check`), adopted as the projection (sealed by
 * it), and the document is synced after them. Anything amiss (no rows yet, another format, a refusal, the network)
 * leaves the first sync as it was: the document alone, projected when it arrives.
 */
import {
  parseRowsSnapshot,
  ROWS_FORMAT,
  ROWS_FORMAT_HEADER,
  ROWS_PATH,
  type RowsSnapshot,
} from '@shared/sync/rowsSnapshot';
import type { RegistryProjection } from '../data/projection';
import type { DocSync } from './docSync';
import { httpOrigin } from './token';

/** Longest wait for the rows: past it the document is synced alone (the rows are a head start, not a need). */
export const ROWS_TIMEOUT_MS = 60_000;

/** Bytes of the rows received so far (after gzip: the body as inflated), for a progress display. */
export type RowsProgress = (received: number) => void;

/** The rows of `docName`, or null (none, refused, unreachable, another format). Never throws. */
export async function fetchRows(
  server: string,
  token: string,
  docName: string,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  onProgress?: RowsProgress,
  timeoutMs = ROWS_TIMEOUT_MS,
): Promise<RowsSnapshot | null> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
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
  }
}

async function readText(response: Response, onProgress?: RowsProgress): Promise<string> {
  const body = response.body;
  if (body === null || onProgress === undefined) return response.text();
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    parts.push(decoder.decode(value, { stream: true }));
    onProgress(received);
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/**
 * Fetches and adopts the rows of a registry on its first sync, then lets the document sync; once the document's
 * answer has been applied, a projection whose rows it does not cover is rebuilt (`RegistryProjection.settle`).
 * Resolves when the rows are adopted (true) or not (false); the document's sync starts either way.
 */
export async function rowsBeforeFirstSync(
  sync: DocSync,
  projection: Promise<RegistryProjection>,
  fetched: Promise<RowsSnapshot | null>,
): Promise<boolean> {
  let adopted = false;
  let running: RegistryProjection | null = null;
  try {
    const [rows, started] = await Promise.all([fetched, projection]);
    running = started;
    if (rows !== null) adopted = await started.adoptRows(rows);
    if (adopted) performance.mark(`cgw:rows-adopted ${sync.docName}`);
  } catch (error) {
    console.error('sync: the rows of', sync.docName, 'could not be adopted', error);
  }
  sync.start();
  if (adopted && running !== null) {
    const adoptedBy = running;
    void sync.firstApplied.then(() => {
      // Only after an answer was applied: a connection closed before it leaves the rows until the next answer.
      const { connection } = sync.status();
      if (connection === 'synced' || connection === 'syncing') return adoptedBy.settle();
      return undefined;
    });
  }
  return adopted;
}
