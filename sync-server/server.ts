/**
 * The sync server: HTTP (`/healthz`, `/metrics`), token check before the websocket upgrade, and the y-websocket
 * protocol over `ws` for stock clients.
 *
 * Invariants:
 * - Nothing of a document is sent before the token is verified and allows the document's community.
 * - Durable before relay: an update is appended to the `DocumentStore` (resolved = durable) before it is applied to
 *   the in-memory document, so whatever another client can receive (relay or sync-step-2) is already stored.
 *   All writes to one document run one after another through its queue; reads answer from memory at once.
 * - A viewer's sync-step-2 and update messages are dropped and counted; they never reach storage or anyone else.
 * - A bad frame closes only its own connection, with a close code from `CLOSE_CODES` and a log line.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { parseDocName } from '@shared/ydoc/docName';
import {
  accessFor,
  CLOSE_CODES,
  GZIP_ANSWER_PARAM,
  UPGRADE_REFUSALS,
  type SyncTokenClaims,
} from '@shared/sync/protocol';
import { TokenVerifier } from './auth';
import type { ServerConfig } from './config';
import { Metrics } from './metrics';
import {
  decodeClientMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeGzipAnswer,
  encodeSyncAnswer,
  encodeUpdate,
  type ClientMessage,
} from './protocol';
import { RateLimiter } from './rateLimit';
import { FullStateCache, isEmptyStateVector, rebuildDoc } from './docState';
import { holdsAlready } from './updates';
import type { AccessRegistry, DocumentStore } from './storage/types';

/**
 * A `ws` socket that knows its connection, so that one set of listeners (per server, not per socket) serves every
 * socket: a connection costs no closures of its own.
 */
class ConnSocket extends WebSocket {
  conn: Connection | null = null;
}

const connOf = (ws: WebSocket): Connection | null => (ws instanceof ConnSocket ? ws.conn : null);

interface Connection {
  readonly ws: ConnSocket;
  readonly id: number;
  readonly claims: SyncTokenClaims;
  readonly docName: string;
  readonly canWrite: boolean;
  doc: SharedDoc | null;
  /** Frames that arrived while the document was loading, handled in order once it is loaded. */
  pending: Uint8Array[] | null;
  /** Awareness client ids this connection controls, removed when it closes. */
  readonly awarenessIds: Set<number>;
  alive: boolean;
  closing: boolean;
  ackDeadline: number;
  ackTimer: NodeJS.Timeout | null;
  /** When the last catch-up was acknowledged at once (performance.now()). */
  lastImmediateAck: number;
  /** The client asked for its first answer gzipped (MESSAGE_GZIP_ANSWER). */
  readonly gzipAnswer: boolean;
}

interface SharedDoc {
  readonly name: string;
  readonly ydoc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  /** The sync-step-2 for clients holding nothing; invalidated before anything is applied to `ydoc`. */
  readonly fullState: FullStateCache;
  readonly conns: Set<Connection>;
  /** Updates received and checked but not yet stored. */
  incoming: { readonly conn: Connection; readonly update: Uint8Array; readonly catchUp: boolean }[];
  /** Tail of the write queue: appends, applies and compactions of this document, one at a time. */
  queue: Promise<void>;
  lastSeq: number;
  logLength: number;
  idleTimer: NodeJS.Timeout | null;
}

export interface RunningServer {
  readonly port: number;
  readonly host: string;
  readonly metrics: Metrics;
  /** Stops accepting, closes every client, writes every loaded document out. */
  close(): Promise<void>;
}

type CloseCodeValue = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};
/** CORS for `GET /auth/check`, asked from the app's own origin (`app://workstation`, or wherever the web build runs). */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization',
} as const;
const PING_INTERVAL_MS = 30_000;
const GC_MIN_INTERVAL_MS = 10_000;

/**
 * A full garbage collection when the server has just become idle, so that memory returns to its baseline instead of
 * waiting for an allocation that never comes on an idle server. Throttled; `undefined` if V8 refuses the flag.
 */
const collectGarbage: (() => void) | undefined = (() => {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? () => void (gc as () => unknown)() : undefined;
  } catch {
    return undefined;
  }
})();

export async function startServer(
  config: ServerConfig,
  deps: {
    readonly store: DocumentStore;
    readonly registry: AccessRegistry;
    readonly key: Uint8Array;
    readonly log: Logger;
  },
): Promise<RunningServer> {
  const { store, registry, key, log } = deps;
  const metrics = new Metrics();
  const docs = new Map<string, SharedDoc>();
  const loading = new Map<string, Promise<SharedDoc>>();
  const connsByToken = new Map<string, Set<Connection>>();
  const allConns = new Set<Connection>();
  const verifier = new TokenVerifier(key);
  const messageLimiter = new RateLimiter(config.messagesPerMinute);
  const connectLimiter = new RateLimiter(config.connectionsPerMinute);
  const startedAt = Date.now();
  let nextConnId = 1;
  let shuttingDown = false;
  let lastGcAt = 0;
  // A function, not the variable, where an `await` may have passed since the last look.
  const isShuttingDown = (): boolean => shuttingDown;
  let bytesStored = await store.bytesStored();

  // --- documents ----------------------------------------------------------------------------------------------------

  function enqueue(doc: SharedDoc, task: () => Promise<void>): Promise<void> {
    const run = doc.queue.then(task).catch((error: unknown) => {
      log.error({ doc: doc.name, err: error }, 'document task failed');
    });
    doc.queue = run;
    return run;
  }

  async function loadDoc(name: string): Promise<SharedDoc> {
    const started = performance.now();
    const stored = await store.load(name);
    const { ydoc, merged, applied, skipped } = rebuildDoc(stored.updates, (error) =>
      log.error({ doc: name, err: error }, 'stored update could not be applied; skipped'),
    );
    const fullState = new FullStateCache(ydoc);
    if (merged !== null) fullState.seed(merged);
    const awareness = new awarenessProtocol.Awareness(ydoc);
    awareness.setLocalState(null);
    const doc: SharedDoc = {
      name,
      ydoc,
      awareness,
      fullState,
      conns: new Set(),
      incoming: [],
      queue: Promise.resolve(),
      lastSeq: stored.lastSeq,
      logLength: stored.logLength,
      idleTimer: null,
    };
    awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const owner = origin as Connection | null;
        if (owner !== null && typeof owner === 'object' && allConns.has(owner)) {
          for (const id of added) owner.awarenessIds.add(id);
          for (const id of removed) owner.awarenessIds.delete(id);
        }
        const message = encodeAwareness(awareness, [...added, ...updated, ...removed]);
        for (const conn of doc.conns) send(conn, message);
      },
    );
    log.debug(
      { doc: name, updates: stored.updates.length, applied, skipped, ms: Math.round(performance.now() - started) },
      'document loaded',
    );
    return doc;
  }

  function acquire(name: string): Promise<SharedDoc> {
    const loaded = docs.get(name);
    if (loaded !== undefined) return Promise.resolve(loaded);
    let promise = loading.get(name);
    if (promise === undefined) {
      promise = loadDoc(name).then(
        (doc) => {
          loading.delete(name);
          docs.set(name, doc);
          return doc;
        },
        (error: unknown) => {
          loading.delete(name);
          throw error;
        },
      );
      loading.set(name, promise);
    }
    return promise;
  }

  /** Folds the log into a snapshot. Runs inside the document's queue, so the snapshot covers `lastSeq`. */
  async function compact(doc: SharedDoc): Promise<void> {
    if (doc.logLength === 0) return;
    const snapshot = Y.encodeStateAsUpdate(doc.ydoc);
    await store.compact(doc.name, snapshot, doc.lastSeq);
    doc.logLength = 0;
    metrics.compactions.inc();
    bytesStored = await store.bytesStored();
    log.debug({ doc: doc.name, bytes: snapshot.byteLength, seq: doc.lastSeq }, 'log compacted');
  }

  function scheduleUnload(doc: SharedDoc): void {
    if (doc.idleTimer !== null) clearTimeout(doc.idleTimer);
    doc.idleTimer = setTimeout(() => {
      doc.idleTimer = null;
      if (doc.conns.size > 0 || docs.get(doc.name) !== doc) return;
      docs.delete(doc.name);
      void enqueue(doc, async () => {
        await compact(doc);
        doc.awareness.destroy();
        doc.ydoc.destroy();
        metrics.unloads.inc();
        log.info({ doc: doc.name }, 'idle document unloaded');
        maybeCollectGarbage();
      });
    }, config.idleUnloadMs);
  }

  function maybeCollectGarbage(): void {
    if (collectGarbage === undefined || docs.size > 0 || loading.size > 0 || allConns.size > 0) return;
    const now = Date.now();
    if (now - lastGcAt < GC_MIN_INTERVAL_MS) {
      // Try again once the throttle has passed; the timer does not keep the process alive.
      setTimeout(maybeCollectGarbage, GC_MIN_INTERVAL_MS - (now - lastGcAt)).unref();
      return;
    }
    lastGcAt = now;
    collectGarbage();
  }

  /** Storage failed: drop the document from memory (it may hold what storage lacks) and disconnect its clients. */
  function evict(doc: SharedDoc, error: unknown): void {
    log.error({ doc: doc.name, err: error }, 'storage failed; document evicted');
    if (docs.get(doc.name) === doc) docs.delete(doc.name);
    for (const conn of [...doc.conns]) closeConn(conn, CLOSE_CODES.STORAGE_ERROR, 'storage error');
  }

  // --- connections --------------------------------------------------------------------------------------------------

  /** The pieces of one answer, all or none: the slow-reader check is made once, before the first. */
  function sendAnswer(conn: Connection, messages: readonly Uint8Array[]): void {
    const [first, ...rest] = messages;
    if (first === undefined) return;
    send(conn, first);
    if (conn.closing || conn.ws.readyState !== conn.ws.OPEN) return;
    for (const message of rest) conn.ws.send(message);
  }

  function send(conn: Connection, message: Uint8Array): void {
    if (conn.closing || conn.ws.readyState !== conn.ws.OPEN) return;
    if (conn.ws.bufferedAmount > config.maxBufferedBytes) {
      closeConn(conn, CLOSE_CODES.TOO_SLOW, 'client does not read');
      return;
    }
    conn.ws.send(message);
  }

  function closeConn(conn: Connection, code: CloseCodeValue, reason: string): void {
    if (conn.closing) return;
    conn.closing = true;
    metrics.closes.inc(String(code));
    const level = code === CLOSE_CODES.SERVER_SHUTDOWN ? 'debug' : 'warn';
    log[level](
      { conn: conn.id, jti: conn.claims.jti, user: conn.claims.sub, doc: conn.docName, code, reason },
      'connection closed by server',
    );
    conn.ws.close(code, reason);
    // A client that does not answer the close handshake is cut off.
    setTimeout(() => conn.ws.terminate(), 5_000).unref();
  }

  function detach(conn: Connection): void {
    if (!allConns.delete(conn)) return;
    const tokenConns = connsByToken.get(conn.claims.jti);
    tokenConns?.delete(conn);
    if (tokenConns?.size === 0) connsByToken.delete(conn.claims.jti);
    if (conn.ackTimer !== null) clearTimeout(conn.ackTimer);
    const doc = conn.doc;
    if (doc !== null && doc.conns.delete(conn)) {
      awarenessProtocol.removeAwarenessStates(doc.awareness, [...conn.awarenessIds], null);
      if (doc.conns.size === 0 && !shuttingDown) scheduleUnload(doc);
    }
    if (allConns.size === 0 && docs.size === 0) maybeCollectGarbage();
  }

  /**
   * "Saved on the server": a sync-step-1 with the server's state vector, `ackIntervalMs` after the last update the
   * connection stored (at most 5 intervals late under continuous writing). Waiting for a pause means a burst of
   * updates gets one signal, and the client's answer does not repeat updates still in flight.
   * A sync-step-2 (a client catching up after a reconnect: one message, not typing) is acknowledged as soon as it is
   * stored, unless more updates of the connection follow before the signal goes out.
   */
  function scheduleAck(conn: Connection, catchUp: boolean): void {
    if (conn.closing) return;
    const now = performance.now();
    if (conn.ackTimer === null) conn.ackDeadline = now + 5 * config.ackIntervalMs;
    else clearTimeout(conn.ackTimer);
    // At most one immediate signal per interval: a client whose answers the server can never fully integrate must
    // not start a tight loop of acknowledgements and answers.
    const immediate = catchUp && now - conn.lastImmediateAck >= config.ackIntervalMs;
    if (immediate) conn.lastImmediateAck = now;
    const at = immediate ? now : Math.min(now + config.ackIntervalMs, conn.ackDeadline);
    conn.ackTimer = setTimeout(
      () => {
        conn.ackTimer = null;
        if (conn.doc !== null) send(conn, encodeSyncStep1(conn.doc.ydoc));
      },
      Math.max(0, at - now),
    );
  }

  function handleUpdate(conn: Connection, doc: SharedDoc, update: Uint8Array, catchUp: boolean): void {
    metrics.updatesReceived.inc();
    if (!conn.canWrite) {
      // Read-only token: dropped, never stored nor relayed.
      metrics.updatesRefused.inc('viewer');
      return;
    }
    let decoded: ReturnType<typeof Y.decodeUpdate>;
    try {
      decoded = Y.decodeUpdate(update);
    } catch (error) {
      metrics.updatesRefused.inc('invalid');
      closeConn(conn, CLOSE_CODES.INVALID_UPDATE, `update cannot be read: ${errorText(error)}`);
      return;
    }
    // A sync-step-2 answering our "saved" signal often repeats what the document already holds (updates still in
    // flight, the client's whole delete set): nothing to store, apply or relay.
    if (holdsAlready(doc.ydoc, decoded)) return;
    doc.incoming.push({ conn, update, catchUp });
    if (doc.incoming.length === 1) void enqueue(doc, () => drain(doc));
  }

  /**
   * Stores every update waiting for the document in one commit, then applies and relays them in arrival order.
   * Runs inside the document's queue.
   */
  async function drain(doc: SharedDoc): Promise<void> {
    const batch = doc.incoming;
    doc.incoming = [];
    if (batch.length === 0) return;
    const started = performance.now();
    let seqs: number[];
    try {
      seqs = await Promise.all(batch.map(({ update }) => store.append(doc.name, update)));
    } catch (error) {
      evict(doc, error);
      return;
    }
    metrics.persistLatency.observe((performance.now() - started) / 1000);
    metrics.updatesStored.inc('', batch.length);
    doc.lastSeq = Math.max(doc.lastSeq, ...seqs);
    doc.logLength += batch.length;
    for (const { update } of batch) bytesStored += update.byteLength;
    // Stored; now apply, and relay exactly what was new to the document.
    for (const { conn, update, catchUp } of batch) {
      const fresh: Uint8Array[] = [];
      const capture = (u: Uint8Array): void => void fresh.push(u);
      doc.ydoc.on('update', capture);
      doc.fullState.invalidate();
      try {
        Y.applyUpdate(doc.ydoc, update, conn);
      } catch (error) {
        metrics.updatesRefused.inc('invalid');
        closeConn(conn, CLOSE_CODES.INVALID_UPDATE, `update cannot be applied: ${errorText(error)}`);
      } finally {
        doc.ydoc.off('update', capture);
      }
      for (const u of fresh) {
        const message = encodeUpdate(u);
        for (const other of doc.conns) {
          if (other === conn) continue;
          send(other, message);
          metrics.updatesRelayed.inc();
        }
      }
      scheduleAck(conn, catchUp);
    }
    if (doc.logLength >= config.compactAfter) await compact(doc);
  }

  function handleMessage(conn: Connection, doc: SharedDoc, message: ClientMessage): void {
    switch (message.kind) {
      case 'sync-step-1': {
        let reply: readonly Uint8Array[];
        const started = performance.now();
        let cached: boolean;
        let full: boolean;
        try {
          // A client holding nothing gets the cached whole document (encoded once per change, not per joiner).
          full = isEmptyStateVector(message.stateVector);
          cached = full && doc.fullState.cached;
          reply = full ? doc.fullState.get() : encodeSyncAnswer(doc.ydoc, message.stateVector);
        } catch (error) {
          closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, `bad state vector: ${errorText(error)}`);
          return;
        }
        const detail = { conn: conn.id, doc: doc.name, pieces: reply.length, cached };
        const bytes = reply.reduce((sum, piece) => sum + piece.length, 0);
        if (full && conn.gzipAnswer && reply.length > 1) {
          // Updates received meanwhile are relayed before it; the client applies them with it.
          doc.fullState.gzipped().then(
            (gzipped) => {
              send(conn, encodeGzipAnswer(gzipped));
              const ms = Math.round(performance.now() - started);
              log.debug({ ...detail, bytes, gzipped: gzipped.length, ms }, 'answered');
            },
            (error: unknown) => {
              log.error({ ...detail, err: error }, 'answer could not be compressed; sent as it is');
              sendAnswer(conn, reply);
            },
          );
          return;
        }
        sendAnswer(conn, reply);
        log.debug({ ...detail, bytes, ms: Math.round(performance.now() - started) }, 'answered');
        return;
      }
      case 'sync-step-2':
      case 'update':
        handleUpdate(conn, doc, message.update, message.kind === 'sync-step-2');
        return;
      case 'awareness':
        try {
          awarenessProtocol.applyAwarenessUpdate(doc.awareness, message.update, conn);
        } catch (error) {
          closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, `bad awareness update: ${errorText(error)}`);
        }
        return;
      case 'query-awareness':
        send(conn, encodeAwareness(doc.awareness, [...doc.awareness.getStates().keys()]));
        return;
    }
  }

  function onFrame(conn: Connection, frame: Uint8Array): void {
    if (conn.closing) return;
    const decoded = decodeClientMessage(frame);
    if (!decoded.ok) {
      closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, decoded.error);
      return;
    }
    if (conn.doc === null) {
      conn.pending?.push(frame);
      return;
    }
    handleMessage(conn, conn.doc, decoded.message);
  }

  function onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    const conn = connOf(this);
    if (conn === null || conn.closing) return;
    if (!messageLimiter.take(conn.claims.jti)) {
      closeConn(
        conn,
        CLOSE_CODES.RATE_LIMITED,
        `more than ${config.messagesPerMinute} messages per minute for this token`,
      );
      return;
    }
    if (!isBinary) {
      closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, 'text frame; the protocol is binary');
      return;
    }
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    onFrame(conn, new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
  }

  function onSocketPong(this: WebSocket): void {
    const conn = connOf(this);
    if (conn !== null) conn.alive = true;
  }

  function onSocketError(this: WebSocket, error: Error & { code?: string }): void {
    // ws closes the socket itself (1009 for an oversized message, 1002 for a broken frame); log why.
    const code = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? CLOSE_CODES.MESSAGE_TOO_LARGE : undefined;
    if (code !== undefined) metrics.closes.inc(String(code));
    const conn = connOf(this);
    log.warn(
      { conn: conn?.id, jti: conn?.claims.jti, doc: conn?.docName, code, wsError: error.code, reason: error.message },
      'connection error',
    );
  }

  function onSocketClose(this: WebSocket): void {
    const conn = connOf(this);
    if (conn !== null) detach(conn);
  }

  function onConnection(
    ws: ConnSocket,
    claims: SyncTokenClaims,
    docName: string,
    canWrite: boolean,
    gzipAnswer: boolean,
  ): void {
    const conn: Connection = {
      ws,
      id: nextConnId++,
      claims,
      docName,
      canWrite,
      gzipAnswer,
      doc: null,
      pending: [],
      awarenessIds: new Set(),
      alive: true,
      closing: false,
      ackDeadline: 0,
      ackTimer: null,
      lastImmediateAck: -Infinity,
    };
    allConns.add(conn);
    let tokenConns = connsByToken.get(claims.jti);
    if (tokenConns === undefined) connsByToken.set(claims.jti, (tokenConns = new Set()));
    tokenConns.add(conn);
    if (log.isLevelEnabled('debug')) {
      log.debug({ conn: conn.id, jti: claims.jti, user: claims.sub, doc: docName, write: canWrite }, 'connected');
    }
    ws.conn = conn;
    ws.on('message', onSocketMessage);
    ws.on('pong', onSocketPong);
    ws.on('error', onSocketError);
    ws.on('close', onSocketClose);

    acquire(docName).then(
      (doc) => {
        if (!allConns.has(conn)) {
          if (doc.conns.size === 0) scheduleUnload(doc);
          return;
        }
        if (doc.idleTimer !== null) {
          clearTimeout(doc.idleTimer);
          doc.idleTimer = null;
        }
        conn.doc = doc;
        doc.conns.add(conn);
        send(conn, encodeSyncStep1(doc.ydoc));
        const states = doc.awareness.getStates();
        if (states.size > 0) send(conn, encodeAwareness(doc.awareness, [...states.keys()]));
        const pending = conn.pending ?? [];
        conn.pending = null;
        for (const frame of pending) onFrame(conn, frame);
      },
      (error: unknown) => {
        log.error({ doc: docName, err: error }, 'document could not be loaded');
        closeConn(conn, CLOSE_CODES.STORAGE_ERROR, 'document could not be loaded');
      },
    );
  }

  // --- HTTP and upgrade ---------------------------------------------------------------------------------------------

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
    const access = accessFor(claims.role, claims.com, ref.community);
    if (access === 'none') {
      return { ok: false, status: UPGRADE_REFUSALS.FORBIDDEN, reason: 'community-not-allowed', detail };
    }
    if (!claims.com.includes(ref.community) && !(await registry.communityExists(ref.community))) {
      // An admin reads every *registered* community; unknown ones are not created by reading them.
      return { ok: false, status: UPGRADE_REFUSALS.FORBIDDEN, reason: 'community-unknown', detail };
    }
    return { ok: true, claims, access };
  }

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', destroySocket);
    const remote = req.socket.remoteAddress;
    if (shuttingDown) {
      refuse(socket, UPGRADE_REFUSALS.UNAVAILABLE, 'shutting-down', { remote });
      return;
    }
    let docName: string;
    let token: string | null;
    let gzipAnswer: boolean;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      docName = decodeURIComponent(url.pathname.slice(1));
      token = url.searchParams.get('token');
      gzipAnswer = url.searchParams.get(GZIP_ANSWER_PARAM.name) === GZIP_ANSWER_PARAM.value;
    } catch {
      refuse(socket, UPGRADE_REFUSALS.BAD_DOCUMENT, 'bad-url', { remote });
      return;
    }
    const auth = await authorize(docName, token, remote);
    if (!auth.ok) {
      refuse(socket, auth.status, auth.reason, auth.detail);
      return;
    }
    const { claims, access } = auth;
    const detail = { remote, doc: docName, jti: claims.jti, user: claims.sub };
    if (isShuttingDown()) {
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
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, claims, docName, access === 'write', gzipAnswer));
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
      }),
    );
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/auth/check' && req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS_HEADERS, 'Access-Control-Max-Age': '600' });
      res.end();
      return;
    }
    if (path === '/auth/check' && req.method === 'GET') {
      onAuthCheck(req, res).catch((error: unknown) => {
        log.error({ err: error }, 'auth check failed');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain', ...CORS_HEADERS });
        res.end();
      });
      return;
    }
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          status: shuttingDown ? 'stopping' : 'ok',
          uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
          connections: allConns.size,
          documentsLoaded: docs.size,
        }),
      );
      return;
    }
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(metrics.render({ connections: allConns.size, documentsLoaded: docs.size, bytesStored }));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
  }

  const wss = new WebSocketServer<typeof ConnSocket>({
    WebSocket: ConnSocket,
    noServer: true,
    maxPayload: config.maxMessageBytes,
    perMessageDeflate: false,
  });
  const http: Server = createServer(onRequest);
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    onUpgrade(req, socket, head).catch((error: unknown) => {
      log.error({ err: error }, 'upgrade failed');
      socket.destroy();
    });
  });
  http.on('clientError', (_error, socket) => socket.destroy());

  // --- housekeeping -------------------------------------------------------------------------------------------------

  const pinger = setInterval(() => {
    for (const conn of allConns) {
      if (!conn.alive) {
        log.info({ conn: conn.id, jti: conn.claims.jti, doc: conn.docName }, 'no pong; connection dropped');
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }, PING_INTERVAL_MS);

  let polls = 0;
  let polling = false;
  const watcher = setInterval(() => {
    if (polling) return;
    polling = true;
    void (async () => {
      try {
        // A revoked token is refused at once, also on sockets already open (admin CLI writes, we read).
        const revoked = await registry.revokedAmong([...connsByToken.keys()]);
        const nowSeconds = Date.now() / 1000;
        for (const conn of [...allConns]) {
          if (revoked.has(conn.claims.jti)) closeConn(conn, CLOSE_CODES.TOKEN_REVOKED, 'token revoked');
          else if (conn.claims.exp <= nowSeconds) closeConn(conn, CLOSE_CODES.TOKEN_EXPIRED, 'token expired');
        }
        if (polls++ % 2 === 0) {
          messageLimiter.sweep();
          connectLimiter.sweep();
          await registry.writeStatus({
            pid: process.pid,
            address: `${config.host}:${port}`,
            startedAt,
            updatedAt: Date.now(),
            connections: allConns.size,
            documentsLoaded: docs.size,
          });
        }
      } catch (error) {
        log.error({ err: error }, 'revocation check failed');
      } finally {
        polling = false;
      }
    })();
  }, config.revocationPollMs);

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;

  async function close(): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    clearInterval(pinger);
    clearInterval(watcher);
    http.close();
    const closed = [...allConns].map(
      (conn) =>
        new Promise<void>((resolve) => {
          if (conn.ws.readyState === conn.ws.CLOSED) resolve();
          else conn.ws.once('close', () => resolve());
        }),
    );
    for (const conn of [...allConns]) closeConn(conn, CLOSE_CODES.SERVER_SHUTDOWN, 'server shutting down');
    await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, 2_000))]);
    for (const conn of [...allConns]) conn.ws.terminate();
    await Promise.allSettled(loading.values());
    for (const doc of docs.values()) {
      if (doc.idleTimer !== null) clearTimeout(doc.idleTimer);
      await enqueue(doc, () => compact(doc));
    }
    docs.clear();
    wss.close();
  }

  return { port, host: config.host, metrics, close };
}

function destroySocket(this: Duplex): void {
  this.destroy();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
