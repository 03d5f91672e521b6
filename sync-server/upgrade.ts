/**
 * Before a websocket opens: the token check (shared by the upgrade and `GET /auth/check`), the per-token and
 * per-address limits, and the refusals with their HTTP status. Nothing of a document is sent before it passes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { isAuditArchiveDocName, isMaskedDocName, pairedMaskedName, parseDocName } from '@shared/ydoc/docName';
import {
  accessFor,
  CLOSE_CODES,
  GZIP_ANSWER_PARAM,
  tokenFromSubprotocols,
  UPGRADE_REFUSALS,
  type SyncTokenClaims,
} from '@shared/sync/protocol';
import { TokenVerifier } from './auth';
import type { Core, Part } from './core';
import { RateLimiter } from './rateLimit';
import { serveRows } from './rowsRoute';
import type { TokenRecord } from './storage/types';

/** How often, at most, a refusal while busy is logged at warn level (the others at debug, counted in the next line). */
export const BUSY_LOG_EVERY_MS = 10_000;

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};
/** CORS for `GET /auth/check`, asked from the app's own origin (`app://workstation`, or wherever the web build runs). */
export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization',
} as const;

export function createUpgrade(
  core: Core,
  key: Uint8Array,
): Part<'onUpgrade' | 'onAuthCheck' | 'onRows' | 'onTcpConnection'> {
  const { config, log, metrics, registry, allConns, connsByToken } = core;
  const verifier = new TokenVerifier(key);
  const connectLimiter = new RateLimiter(config.connectionsPerMinute);
  const upgradeLimiter = new RateLimiter(config.upgradesPerMinutePerAddress);
  const exempt = new Set(config.exemptAddresses);
  /** Open TCP connections per remote address (pre-auth limit). */
  const socketsByAddress = new Map<string, number>();
  setInterval(() => {
    connectLimiter.sweep();
    upgradeLimiter.sweep();
  }, 60_000).unref();

  function refuse(socket: Duplex, status: number, reason: string, detail: Record<string, unknown>): void {
    metrics.authFailures.inc(reason);
    log.warn({ status, reason, ...detail }, 'upgrade refused');
    const body = `${status} ${reason}\n`;
    socket.once('finish', () => socket.destroy());
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }

  /**
   * Why a new connection to `docName` would overload the server now, or null: the event loop is behind by more than
   * `--busy-lag-ms`, or `--max-loading-documents` documents are being loaded and this one is not loaded (a restart
   * storm: every device asks for every document at once; those already in memory stay cheap to join).
   */
  function busyBecause(docName: string): string | null {
    const lagMs = metrics.eventLoopDelayMs();
    if (config.busyLagMs > 0 && lagMs > config.busyLagMs) return `event loop ${Math.round(lagMs)} ms behind`;
    if (
      config.maxLoadingDocuments > 0 &&
      core.loading.size >= config.maxLoadingDocuments &&
      !core.docs.has(docName) &&
      !core.loading.has(docName)
    ) {
      return `${core.loading.size} documents loading`;
    }
    return null;
  }

  /**
   * At most one warn line per `BUSY_LOG_EVERY_MS` for refusals while busy, saying how many were refused since the
   * last line (the rest at debug level): a restart storm of a thousand devices must not write a thousand lines while
   * the server is already behind. Every refusal is counted in `sync_auth_failures_total{reason="server-busy"}`.
   */
  let busyLoggedAt = Number.NEGATIVE_INFINITY;
  let busyUnlogged = 0;
  function logBusy(because: string, retryS: number, detail: Record<string, unknown>): void {
    const now = Date.now();
    if (now - busyLoggedAt < BUSY_LOG_EVERY_MS) {
      busyUnlogged += 1;
      log.debug({ reason: 'server-busy', because, retryS, ...detail }, 'connection refused: server busy');
      return;
    }
    log.warn(
      { reason: 'server-busy', because, retryS, ...detail, refusedSinceLastLine: busyUnlogged },
      'connection refused: server busy',
    );
    busyLoggedAt = now;
    busyUnlogged = 0;
  }

  /**
   * Refuses a connection of an overloaded server with close code 4529 (SERVER_BUSY: the app and stock clients
   * reconnect later, with their backoff) and a retry hint in the reason, rather than an HTTP 503 a browser sees only
   * as 1006. The websocket is opened and closed at once: nothing of any document is sent, nothing is loaded.
   */
  function refuseBusy(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    because: string,
    detail: Record<string, unknown>,
  ): void {
    metrics.authFailures.inc('server-busy');
    // Spread over 2-10 s, so that the refused do not come back together.
    const retryS = 2 + Math.floor(Math.random() * 9);
    logBusy(because, retryS, detail);
    core.wss.handleUpgrade(req, socket, head, (ws) => {
      metrics.closes.inc(String(CLOSE_CODES.SERVER_BUSY));
      ws.close(CLOSE_CODES.SERVER_BUSY, `server busy (${because}); retry in ${retryS} s`);
    });
  }

  type Authorization =
    | { readonly ok: true; readonly claims: SyncTokenClaims; readonly access: 'read' | 'write' }
    | {
        readonly ok: false;
        readonly status: number;
        readonly reason: string;
        readonly detail: Record<string, unknown>;
      };

  /**
   * The token check shared by the websocket upgrade and `GET /auth/check`, so that both refuse exactly the same
   * tokens with the same status and reason.
   */
  async function authorize(docName: string, token: string | null, remote: string | undefined): Promise<Authorization> {
    const ref = parseDocName(docName);
    if (ref === null) {
      return {
        ok: false,
        status: UPGRADE_REFUSALS.BAD_DOCUMENT,
        reason: 'bad-document-name',
        detail: { remote, doc: docName.slice(0, 100) },
      };
    }
    if (token === null || token === '') {
      return { ok: false, status: UPGRADE_REFUSALS.UNAUTHORIZED, reason: 'no-token', detail: { remote, doc: docName } };
    }
    const verified = await verifier.verify(token);
    if (!verified.ok) {
      return {
        ok: false,
        status: UPGRADE_REFUSALS.UNAUTHORIZED,
        reason: verified.reason === 'expired' ? 'token-expired' : 'token-invalid',
        detail: { remote, doc: docName },
      };
    }
    const { claims } = verified;
    const detail = { remote, doc: docName, jti: claims.jti, user: claims.sub };
    const record = await registry.getToken(claims.jti);
    if (record === undefined) {
      return { ok: false, status: UPGRADE_REFUSALS.UNAUTHORIZED, reason: 'token-unknown', detail };
    }
    if (record.revokedAt !== null) {
      return { ok: false, status: UPGRADE_REFUSALS.UNAUTHORIZED, reason: 'token-revoked', detail };
    }
    if (!recordMatches(record, claims)) {
      // Signed with our key but not what was issued under this id: a leaked key, or a record edited by hand.
      return { ok: false, status: UPGRADE_REFUSALS.UNAUTHORIZED, reason: 'token-mismatch', detail };
    }
    const access = accessFor(claims.role, claims.com, ref.community);
    if (access === 'none') {
      return { ok: false, status: UPGRADE_REFUSALS.FORBIDDEN, reason: 'community-not-allowed', detail };
    }
    if (!claims.com.includes(ref.community) && !(await registry.communityExists(ref.community))) {
      // An admin reads every *registered* community; unknown ones are not created by reading them.
      return { ok: false, status: UPGRADE_REFUSALS.FORBIDDEN, reason: 'community-unknown', detail };
    }
    // The audit of closed years (docs/registry-model.md, "Where the audit lives"): written by the server only, read
    // by editors and admins on demand; a viewer reading masked copies is refused it (it is not masked).
    if (isAuditArchiveDocName(docName)) {
      if (claims.role === 'viewer' && config.viewersMasked) {
        return { ok: false, status: UPGRADE_REFUSALS.FORBIDDEN, reason: 'audit-archive-not-for-viewers', detail };
      }
      return { ok: true, claims, access: 'read' };
    }
    // Viewers read the registry and every yearly document masked, district's choice (masking.ts; docs/security.md).
    // The reason names the registry (what it first covered); it means "this token reads the masked copies".
    const masked = isMaskedDocName(docName);
    const hasMasked = !masked && pairedMaskedName(docName) !== null;
    if (hasMasked && claims.role === 'viewer' && config.viewersMasked) {
      return { ok: false, status: UPGRADE_REFUSALS.FORBIDDEN, reason: 'registry-masked-only', detail };
    }
    if (masked && !config.viewersMasked) {
      return { ok: false, status: UPGRADE_REFUSALS.FORBIDDEN, reason: 'masking-off', detail };
    }
    // A masked copy is the server's to write: any token reads it; a viewer may only append to the masked registry's
    // access log (a twin takes nothing: viewerWrites.ts).
    return { ok: true, claims, access: masked ? 'read' : access };
  }

  /** The client's address: the socket's, or with `--trust-proxy` the last address the proxy added. */
  function remoteOf(req: IncomingMessage): string {
    const direct = req.socket.remoteAddress ?? 'unknown';
    if (!config.trustProxy) return direct;
    const forwarded = req.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').pop()?.trim();
    return last !== undefined && last !== '' ? last : direct;
  }

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', destroySocket);
    const remote = remoteOf(req);
    if (core.isShuttingDown()) {
      refuse(socket, UPGRADE_REFUSALS.UNAVAILABLE, 'shutting-down', { remote });
      return;
    }
    // Before any token work: a flood of upgrade attempts from one address costs a map lookup each.
    if (!exempt.has(remote) && !upgradeLimiter.take(remote)) {
      refuse(socket, UPGRADE_REFUSALS.TOO_MANY, 'address-upgrade-rate', { remote });
      return;
    }
    let docName: string;
    let token: string | null;
    let gzipAnswer: boolean;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      docName = decodeURIComponent(url.pathname.slice(1));
      // The header first (the app): the query is kept for stock clients, and is weaker (proxies log URLs).
      const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',');
      token = tokenFromSubprotocols(offered) ?? url.searchParams.get('token');
      gzipAnswer = url.searchParams.get(GZIP_ANSWER_PARAM.name) === GZIP_ANSWER_PARAM.value;
    } catch {
      refuse(socket, UPGRADE_REFUSALS.BAD_DOCUMENT, 'bad-url', { remote });
      return;
    }
    // Before the token's database lookup: an overloaded server sheds new work at once, politely.
    const busy = busyBecause(docName);
    if (busy !== null) {
      refuseBusy(req, socket, head, busy, { remote, doc: docName });
      return;
    }
    const auth = await authorize(docName, token, remote);
    if (!auth.ok) {
      refuse(socket, auth.status, auth.reason, auth.detail);
      return;
    }
    const { claims, access } = auth;
    const detail = { remote, doc: docName, jti: claims.jti, user: claims.sub };
    if (core.isShuttingDown()) {
      refuse(socket, UPGRADE_REFUSALS.UNAVAILABLE, 'shutting-down', detail);
      return;
    }
    if (allConns.size >= config.maxConnections) {
      refuse(socket, UPGRADE_REFUSALS.UNAVAILABLE, 'server-full', detail);
      return;
    }
    if ((connsByToken.get(claims.jti)?.size ?? 0) >= config.maxConnectionsPerToken) {
      refuse(socket, UPGRADE_REFUSALS.TOO_MANY, 'too-many-connections', detail);
      return;
    }
    if (!connectLimiter.take(claims.jti)) {
      refuse(socket, UPGRADE_REFUSALS.TOO_MANY, 'connection-rate', detail);
      return;
    }
    core.wss.handleUpgrade(req, socket, head, (ws) =>
      core.onConnection(ws, claims, docName, access === 'write', gzipAnswer, remote),
    );
  }

  /**
   * `GET /auth/check?doc=<docName>` with `Authorization: Bearer <token>`: the upgrade's token check over plain HTTP,
   * because a browser's websocket sees a refused upgrade only as close code 1006. 200 with the token's role and
   * communities, or the upgrade's status (400/401/403) with its reason. Refusals count in
   * `sync_auth_failures_total` like refused upgrades. Any origin may ask: the answer reveals nothing beyond the
   * claims the token's holder can already read, and no cookie is involved.
   */
  async function onAuthCheck(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
    const docName = url.searchParams.get('doc') ?? '';
    const auth = await authorize(docName, token, req.socket.remoteAddress);
    const headers = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...CORS_HEADERS };
    if (!auth.ok) {
      metrics.authFailures.inc(auth.reason);
      log.info({ status: auth.status, reason: auth.reason, ...auth.detail }, 'auth check refused');
      res.writeHead(auth.status, headers);
      res.end(JSON.stringify({ status: auth.status, reason: auth.reason }));
      return;
    }
    res.writeHead(200, headers);
    res.end(
      JSON.stringify({
        role: auth.claims.role,
        communities: auth.claims.com,
        user: auth.claims.sub,
        access: auth.access,
        expiresAt: auth.claims.exp,
        // Which registry document this token syncs: the masked copy for a viewer while masking is on.
        registry: auth.claims.role === 'viewer' && config.viewersMasked ? 'masked' : 'full',
      }),
    );
  }

  /**
   * Pre-auth limit per address, counted from the TCP connection, before any byte of a request is read. A local
   * reverse proxy's address is everyone's: it is exempt, and limits connections itself.
   */
  function onTcpConnection(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    if (exempt.has(address)) return;
    const open = (socketsByAddress.get(address) ?? 0) + 1;
    if (open > config.maxConnectionsPerAddress) {
      metrics.authFailures.inc('address-connections');
      socket.destroy();
      return;
    }
    socketsByAddress.set(address, open);
    socket.once('close', () => {
      const left = (socketsByAddress.get(address) ?? 1) - 1;
      if (left <= 0) socketsByAddress.delete(address);
      else socketsByAddress.set(address, left);
    });
  }

  /** `GET /rows?doc=`: a registry's rows for a first sync, behind the websocket's token check (rowsRoute.ts). */
  function onRows(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return serveRows(core, req, res, authorize, (claims) => connectLimiter.take(claims.jti));
  }

  return { onUpgrade, onAuthCheck, onRows, onTcpConnection };
}

function destroySocket(this: Duplex): void {
  this.destroy();
}

/** The token's record says what its claims say (user, role, communities, times): else it was not issued so. */
function recordMatches(record: TokenRecord, claims: SyncTokenClaims): boolean {
  const communities = [...record.communities].sort().join(',');
  return (
    record.user === claims.sub &&
    record.role === claims.role &&
    communities === [...claims.com].sort().join(',') &&
    Math.floor(record.issuedAt / 1000) === claims.iat &&
    Math.floor(record.expiresAt / 1000) === claims.exp
  );
}
