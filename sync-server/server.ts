/**
 * The sync server: HTTP (`/healthz`, `/metrics`), token check before the websocket upgrade, and the y-websocket
 * protocol over `ws` for stock clients.
 *
 * Invariants:
 * - Nothing of a document is sent before the token is verified and allows the document's community.
 * - Durable before relay: an update is appended to the `DocumentStore` (resolved = durable) before it is applied to
 *   the in-memory document, so whatever another client can receive (relay or sync-step-2) is already stored.
 *   All writes to one document run one after another through its queue; reads answer from memory at once.
 * - A viewer's sync-step-2 and update messages are dropped and counted, unless they only append to the registry's
 *   access log (viewerWrites.ts); what is dropped never reaches storage or anyone else.
 * - A bad frame closes only its own connection, with a close code from `CLOSE_CODES` and a log line.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CLOSE_CODES, SYNC_SUBPROTOCOL, type SyncTokenClaims } from '@shared/sync/protocol';
import { ROWS_PATH } from '@shared/sync/rowsSnapshot';
import { AnswerPool } from './answers';
import { BackgroundWorker } from './background';
import { createAuditArchiver } from './auditArchiver';
import { createAnswering } from './answering';
import type { ServerConfig } from './config';
import { createConnections } from './connections';
import { ConnSocket, connOf, errorText, type Connection, type Core, type SharedDoc } from './core';
import { createDocuments } from './documents';
import { createMasking } from './masking';
import { Metrics } from './metrics';
import {
  decodeClientMessage,
  encodeAwareness,
  encodeSyncStep1,
  KEEPALIVE_MESSAGE,
  type ClientMessage,
} from './protocol';
import { RateLimiter } from './rateLimit';
import { relayHandlers, type RedisRelay } from './relay';
import { withLogsInYjsOrder } from './storage/ordered';
import type { AccessRegistry, DocumentStore } from './storage/types';
import { CORS_HEADERS, createUpgrade } from './upgrade';
import { createWrites } from './writes';

export interface RunningServer {
  readonly port: number;
  readonly host: string;
  readonly metrics: Metrics;
  /** Stops accepting, closes every client, writes every loaded document out. */
  close(): Promise<void>;
}

const PING_INTERVAL_MS = 30_000;
/** Awareness client ids one connection may speak for. */
const MAX_AWARENESS_IDS = 4;

export async function startServer(
  config: ServerConfig,
  deps: {
    readonly store: DocumentStore;
    readonly registry: AccessRegistry;
    readonly key: Uint8Array;
    readonly log: Logger;
    /** Several nodes: other nodes' stored updates arrive through it (relay.ts); its store is `store`. */
    readonly relay?: RedisRelay;
    /** The answer workers (answers.ts); made from `config.answerWorkers` unless given (tests). Closed by `close`. */
    readonly answers?: AnswerPool;
  },
): Promise<RunningServer> {
  const { registry, key, log } = deps;
  const store = withLogsInYjsOrder(deps.store, (doc, entries) =>
    log.warn({ doc, entries }, 'stored log entries read in another order than Yjs writes; merged in its order'),
  );
  const metrics = new Metrics();
  const messageLimiter = new RateLimiter(config.messagesPerMinute);
  const startedAt = Date.now();
  let nextConnId = 1;
  let shuttingDown = false;
  const wss = new WebSocketServer<typeof ConnSocket>({
    WebSocket: ConnSocket,
    noServer: true,
    maxPayload: config.maxMessageBytes,
    perMessageDeflate: false,
    // A client that offered its token as a subprotocol gets ours selected (a browser insists on one); the token
    // itself is never echoed. Stock clients offer none and get none.
    handleProtocols: (protocols) => (protocols.has(SYNC_SUBPROTOCOL) ? SYNC_SUBPROTOCOL : false),
  });
  // The parts add their functions to the core; each calls the others through it (core.ts).
  const core = {
    config,
    log,
    metrics,
    store,
    registry,
    answers: deps.answers ?? new AnswerPool(config.answerWorkers, log, { timeoutMs: config.answerTimeoutMs }),
    background: new BackgroundWorker(),
    wss,
    docs: new Map<string, SharedDoc>(),
    loading: new Map<string, Promise<SharedDoc>>(),
    allConns: new Set<Connection>(),
    connsByToken: new Map<string, Set<Connection>>(),
    stats: { bytesStored: await store.bytesStored() },
    isShuttingDown: () => shuttingDown,
    onConnection,
  } as Partial<Core> as Core;
  Object.assign(
    core,
    createDocuments(core),
    createConnections(core),
    createWrites(core),
    createMasking(core),
    createAnswering(core),
    createUpgrade(core, key),
  );
  const { docs, loading, allConns, connsByToken, answers } = core;
  answers.onTimeout = () => metrics.answerTimeouts.inc();
  metrics.onStall = (ms) => log.warn({ ms: Math.round(ms) }, 'event loop was behind');
  deps.relay?.attach(relayHandlers(core, deps.relay));
  // The audit of closed years moved out of the registries (auditArchiver.ts; docs/registry-model.md).
  const stopArchiver = createAuditArchiver(core).start();

  function handleMessage(conn: Connection, doc: SharedDoc, message: ClientMessage): void {
    switch (message.kind) {
      case 'sync-step-1': {
        let stateVector: Map<number, number>;
        try {
          stateVector = Y.decodeStateVector(message.stateVector);
        } catch (error) {
          core.closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, `bad state vector: ${errorText(error)}`);
          return;
        }
        core.requestAnswer(conn, message.stateVector, stateVector);
        return;
      }
      case 'sync-step-2':
      case 'update':
        core.handleUpdate(conn, doc, message.update, message.kind === 'sync-step-2');
        return;
      case 'awareness':
        if (!core.acceptAwareness(conn, message.update)) return;
        try {
          awarenessProtocol.applyAwarenessUpdate(doc.awareness, message.update, conn);
        } catch (error) {
          core.closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, `bad awareness update: ${errorText(error)}`);
          return;
        }
        if (conn.awarenessIds.size > MAX_AWARENESS_IDS) {
          // One connection speaks for one client (a few, in a test): not for hundreds of made-up ones.
          awarenessProtocol.removeAwarenessStates(doc.awareness, [...conn.awarenessIds], null);
          core.closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, `more than ${MAX_AWARENESS_IDS} awareness clients`);
        }
        return;
      case 'query-awareness':
        if (config.awareness === 'off') return;
        core.send(conn, encodeAwareness(doc.awareness, [...doc.awareness.getStates().keys()]));
        return;
    }
  }

  function onFrame(conn: Connection, frame: Uint8Array): void {
    if (conn.closing) return;
    const decoded = decodeClientMessage(frame);
    if (!decoded.ok) {
      core.closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, decoded.error);
      return;
    }
    if (conn.doc === null) {
      conn.pending?.push(frame);
      return;
    }
    handleMessage(conn, conn.doc, decoded.message);
  }

  /**
   * Every message is handled inside this guard: whatever a frame makes throw closes only its own socket, with a close
   * code and one log line naming token, user and document. No input can stop the process.
   */
  function onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    const conn = connOf(this);
    if (conn === null || conn.closing) return;
    try {
      handleSocketMessage(conn, data, isBinary);
    } catch (error) {
      metrics.messageErrors.inc();
      log.warn(
        { conn: conn.id, jti: conn.claims.jti, user: conn.claims.sub, doc: conn.docName, err: error },
        'message could not be handled',
      );
      core.closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, `message could not be handled: ${errorText(error)}`);
    }
  }

  function handleSocketMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    if (!messageLimiter.take(conn.claims.jti)) {
      core.closeConn(
        conn,
        CLOSE_CODES.RATE_LIMITED,
        `more than ${config.messagesPerMinute} messages per minute for this token`,
      );
      return;
    }
    if (!isBinary) {
      core.closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, 'text frame; the protocol is binary');
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
    if (conn !== null) core.detach(conn);
  }

  function onConnection(
    ws: ConnSocket,
    claims: SyncTokenClaims,
    docName: string,
    canWrite: boolean,
    gzipAnswer: boolean,
    remote: string,
  ): void {
    const conn: Connection = {
      ws,
      id: nextConnId++,
      claims,
      docName,
      canWrite,
      gzipAnswer,
      remote,
      waitingStateVector: null,
      awarenessCount: 0,
      awarenessWindow: performance.now(),
      doc: null,
      pending: [],
      awarenessIds: new Set(),
      alive: true,
      lastSentAt: performance.now(),
      closing: false,
      ackDeadline: 0,
      ackTimer: null,
      lastImmediateAck: -Infinity,
    };
    allConns.add(conn);
    let tokenConns = connsByToken.get(claims.jti);
    if (tokenConns === undefined) connsByToken.set(claims.jti, (tokenConns = new Set()));
    tokenConns.add(conn);
    log.info({ conn: conn.id, jti: claims.jti, user: claims.sub, doc: docName, write: canWrite, remote }, 'connected');
    ws.conn = conn;
    ws.on('message', onSocketMessage);
    ws.on('pong', onSocketPong);
    ws.on('error', onSocketError);
    ws.on('close', onSocketClose);

    core.acquire(docName).then(
      (doc) => {
        if (!allConns.has(conn)) {
          if (doc.conns.size === 0) core.scheduleUnload(doc);
          return;
        }
        if (doc.idleTimer !== null) {
          clearTimeout(doc.idleTimer);
          doc.idleTimer = null;
        }
        conn.doc = doc;
        doc.conns.add(conn);
        core.send(conn, encodeSyncStep1(doc.ydoc));
        const states = doc.awareness.getStates();
        if (states.size > 0 && config.awareness === 'on') {
          core.send(conn, encodeAwareness(doc.awareness, [...states.keys()]));
        }
        const pending = conn.pending ?? [];
        conn.pending = null;
        try {
          for (const frame of pending) onFrame(conn, frame);
        } catch (error) {
          metrics.messageErrors.inc();
          log.warn({ conn: conn.id, jti: conn.claims.jti, doc: docName, err: error }, 'message could not be handled');
          core.closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, `message could not be handled: ${errorText(error)}`);
        }
      },
      (error: unknown) => {
        log.error({ doc: docName, err: error }, 'document could not be loaded');
        core.closeConn(conn, CLOSE_CODES.STORAGE_ERROR, 'document could not be loaded');
      },
    );
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if ((path === '/auth/check' || path === ROWS_PATH) && req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS_HEADERS, 'Access-Control-Max-Age': '600' });
      res.end();
      return;
    }
    if (path === '/auth/check' && req.method === 'GET') {
      core.onAuthCheck(req, res).catch((error: unknown) => {
        log.error({ err: error }, 'auth check failed');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain', ...CORS_HEADERS });
        res.end();
      });
      return;
    }
    if (path === ROWS_PATH && req.method === 'GET') {
      core.onRows(req, res).catch((error: unknown) => {
        log.error({ err: error }, 'rows request failed');
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
      res.end(
        metrics.render({ connections: allConns.size, documentsLoaded: docs.size, bytesStored: core.stats.bytesStored }),
      );
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
  }

  const http: Server = createServer(
    // A socket that sends no request head within 10 s is dropped (checked every second), not held for a minute.
    { headersTimeout: 10_000, connectionsCheckingInterval: 1_000 },
    onRequest,
  );
  http.on('connection', (socket) => core.onTcpConnection(socket));
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    core.onUpgrade(req, socket, head).catch((error: unknown) => {
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

  // A connection quiet for `keepaliveMs` gets an empty awareness message: stock y-websocket clients close a socket
  // that received nothing for 30 s (docs/sync-server.md, "Keepalive").
  const keepalive =
    config.keepaliveMs > 0
      ? setInterval(
          () => {
            const now = performance.now();
            for (const conn of allConns) {
              if (now - conn.lastSentAt >= config.keepaliveMs) core.send(conn, KEEPALIVE_MESSAGE);
            }
          },
          Math.max(20, Math.floor(config.keepaliveMs / 2)),
        )
      : null;

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
          if (revoked.has(conn.claims.jti)) core.closeConn(conn, CLOSE_CODES.TOKEN_REVOKED, 'token revoked');
          else if (conn.claims.exp <= nowSeconds) core.closeConn(conn, CLOSE_CODES.TOKEN_EXPIRED, 'token expired');
        }
        if (polls++ % 2 === 0) {
          messageLimiter.sweep();
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
    http.listen({ port: config.port, host: config.host, backlog: config.listenBacklog }, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;

  async function close(): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    clearInterval(pinger);
    if (keepalive !== null) clearInterval(keepalive);
    clearInterval(watcher);
    stopArchiver();
    http.close();
    const closed = [...allConns].map(
      (conn) =>
        new Promise<void>((resolve) => {
          if (conn.ws.readyState === conn.ws.CLOSED) resolve();
          else conn.ws.once('close', () => resolve());
        }),
    );
    for (const conn of [...allConns]) core.closeConn(conn, CLOSE_CODES.SERVER_SHUTDOWN, 'server shutting down');
    await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, 2_000))]);
    for (const conn of [...allConns]) conn.ws.terminate();
    await Promise.allSettled(loading.values());
    for (const doc of docs.values()) {
      if (doc.idleTimer !== null) clearTimeout(doc.idleTimer);
      await core.enqueue(doc, () => core.compact(doc, true));
    }
    await core.unloadsDone();
    docs.clear();
    wss.close();
    await answers.close();
    await core.background.close();
    metrics.stop();
  }

  return { port, host: config.host, metrics, close };
}
