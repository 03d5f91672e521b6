/**
 * `GET /rows?doc=<docName>` (shared/sync/rowsSnapshot.ts `ROWS_PATH`): a registry's rows for a device's first sync,
 * as stored at its last compaction (registryRows.ts). The token is checked exactly as for the websocket of that
 * document (upgrade.ts `authorize`: same refusals, same statuses; a viewer gets only the masked copy's rows while
 * masking is on), and its connection rate is counted like a websocket's. The body is sent as stored, gzipped JSON
 * (`Content-Encoding: gzip`: the browser's fetch inflates it). Nothing of the rows is logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROWS_FORMAT, ROWS_FORMAT_HEADER } from '@shared/sync/rowsSnapshot';
import type { SyncTokenClaims } from '@shared/sync/protocol';
import type { Core } from './core';
import { hasRows, rowsMakerOf } from './registryRows';

export type RowsAuthorization =
  | { readonly ok: true; readonly claims: SyncTokenClaims }
  | { readonly ok: false; readonly status: number; readonly reason: string; readonly detail: Record<string, unknown> };

/** Those of `GET /auth/check` (upgrade.ts, which imports this file), with the rows' headers readable by the page. */
export const ROWS_CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization',
  'Access-Control-Expose-Headers': `${ROWS_FORMAT_HEADER}, Content-Length`,
} as const;

export async function serveRows(
  core: Pick<Core, 'store' | 'metrics' | 'log' | 'isShuttingDown'>,
  req: IncomingMessage,
  res: ServerResponse,
  authorize: (docName: string, token: string | null, remote: string | undefined) => Promise<RowsAuthorization>,
  allowed: (claims: SyncTokenClaims) => boolean,
): Promise<void> {
  const { store, metrics, log } = core;
  const url = new URL(req.url ?? '/', 'http://localhost');
  const header = req.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
  const docName = url.searchParams.get('doc') ?? '';
  const json = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...ROWS_CORS_HEADERS };
  const refuse = (status: number, reason: string): void => {
    res.writeHead(status, json);
    res.end(JSON.stringify({ status, reason }));
  };
  if (core.isShuttingDown()) {
    refuse(503, 'shutting-down');
    return;
  }
  const auth = await authorize(docName, token, req.socket.remoteAddress);
  if (!auth.ok) {
    metrics.authFailures.inc(auth.reason);
    log.info({ status: auth.status, reason: auth.reason, ...auth.detail }, 'rows refused');
    refuse(auth.status, auth.reason);
    return;
  }
  if (!allowed(auth.claims)) {
    metrics.authFailures.inc('connection-rate');
    refuse(429, 'connection-rate');
    return;
  }
  if (!hasRows(docName)) {
    refuse(404, 'no-rows-for-document');
    return;
  }
  const rows = await store.loadRows?.(docName);
  if (rows === undefined || rows.format !== ROWS_FORMAT) {
    // Never compacted since rows existed (or rows of another version): made now from storage, for the next device.
    rowsMakerOf(store, log, core.isShuttingDown).requestStored(docName);
    refuse(404, 'no-rows-yet');
    return;
  }
  log.debug({ doc: docName, jti: auth.claims.jti, bytes: rows.gzipped.byteLength }, 'rows sent');
  res.writeHead(200, {
    ...json,
    'Content-Encoding': 'gzip',
    'Content-Length': String(rows.gzipped.byteLength),
    [ROWS_FORMAT_HEADER]: String(rows.format),
  });
  res.end(Buffer.from(rows.gzipped.buffer, rows.gzipped.byteOffset, rows.gzipped.byteLength));
}
