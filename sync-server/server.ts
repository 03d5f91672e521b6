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
  SYNC_SUBPROTOCOL,
  tokenFromSubprotocols,
  UPGRADE_REFUSALS,
  type SyncTokenClaims,
} from '@shared/sync/protocol';
import { enforceLocks } from '@shared/ydoc/cases';
import { AUDIT_ARRAYS, permanentRulesFor } from '@shared/ydoc/permanent';
import { AnswerPool } from './answers';
import { auditEntriesAdded, PermanentGuard, type Capture, type Restored } from './guard';
import { TokenVerifier } from './auth';
import type { ServerConfig } from './config';
import { Metrics } from './metrics';
import {
  decodeClientMessage,
  encodeAwareness,
  ANSWER_MESSAGE_BYTES,
  encodeSyncStep1,
  encodeGzipAnswer,
  encodeSyncAnswer,
  encodeUpdate,
  type ClientMessage,
} from './protocol';
import { RateLimiter } from './rateLimit';
import { FullStateCache, gzipMessages, rebuildDoc } from './docState';
import { holdsAlready } from './updates';
import {
  SERVER_STAMP,
  type AccessRegistry,
  type DocumentStore,
  type TokenRecord,
  type UpdateStamp,
} from './storage/types';

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
  /** The client's address (or the proxy's, unless `--trust-proxy`). */
  readonly remote: string;
  doc: SharedDoc | null;
  /** A sync-step-1 waiting for this token's answer in flight (only the newest is kept). */
  waitingStateVector: Uint8Array | null;
  /** Awareness messages in the current minute. */
  awarenessCount: number;
  awarenessWindow: number;
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
  incoming: {
    readonly conn: Connection;
    readonly update: Uint8Array;
    readonly decoded: ReturnType<typeof Y.decodeUpdate>;
    readonly catchUp: boolean;
  }[];
  /** Counts every change applied, so that an answer computed in a worker is cached only if nothing changed since. */
  version: number;
  /** What the law makes permanent in this document (shared/ydoc/permanent.ts), or null for none. */
  readonly guard: PermanentGuard | null;
  /** Top-level audit arrays, whose new entries are compared with the token's user. */
  readonly auditArrays: readonly Y.Array<unknown>[];
  /** A cases document: signed records are also checked against their signed copy (enforceLocks). */
  readonly isCases: boolean;
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
  const answerBudget = new RateLimiter(config.answerBytesPerMinute);
  const upgradeLimiter = new RateLimiter(config.upgradesPerMinutePerAddress);
  const exempt = new Set(config.exemptAddresses);
  /** Open TCP connections per remote address (pre-auth limit). */
  const socketsByAddress = new Map<string, number>();
  /** Tokens with an answer being encoded, and connections of each waiting for theirs. */
  const answering = new Set<string>();
  const waitingByToken = new Map<string, Set<Connection>>();
  const answers = new AnswerPool(config.answerWorkers, log);
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
    const rules = permanentRulesFor(name);
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
      version: 0,
      guard: rules === null ? null : new PermanentGuard(ydoc, rules),
      auditArrays: AUDIT_ARRAYS.map((array) => ydoc.getArray<unknown>(array)),
      isCases: parseDocName(name)?.collection === 'cases',
    };
    ydoc.on('update', (update: Uint8Array) => {
      doc.version++;
      answers.update(name, update);
    });
    awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const owner = origin as Connection | null;
        if (owner !== null && typeof owner === 'object' && allConns.has(owner)) {
          for (const id of added) owner.awarenessIds.add(id);
          for (const id of removed) owner.awarenessIds.delete(id);
        }
        if (config.awareness === 'off') return;
        const message = encodeAwareness(awareness, [...added, ...updated, ...removed]);
        for (const conn of doc.conns) if (conn.canWrite) send(conn, message);
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
      answers.unload(doc.name);
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
    if (docs.get(doc.name) === doc) {
      docs.delete(doc.name);
      answers.unload(doc.name);
    }
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
    conn.waitingStateVector = null;
    waitingByToken.get(conn.claims.jti)?.delete(conn);
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
    doc.incoming.push({ conn, update, decoded, catchUp });
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
      seqs = await Promise.all(batch.map(({ conn, update }) => store.append(doc.name, update, stampOf(conn))));
    } catch (error) {
      evict(doc, error);
      return;
    }
    metrics.persistLatency.observe((performance.now() - started) / 1000);
    metrics.updatesStored.inc('', batch.length);
    doc.lastSeq = Math.max(doc.lastSeq, ...seqs);
    doc.logLength += batch.length;
    for (const { update } of batch) bytesStored += update.byteLength;
    // Stored; now apply, put back what the law makes permanent, and relay exactly what was new to the document.
    /** To every connection of the document but `except`, or to `only`. */
    const outgoing: { readonly update: Uint8Array; readonly except?: Connection; readonly only?: Connection }[] = [];
    const guardUpdates: Uint8Array[] = [];
    for (const { conn, update, decoded, catchUp } of batch) {
      const fresh = applyFromClient(doc, conn, update, decoded);
      if (fresh.updates.length > 0 && fresh.restore.length > 0) {
        // The offender gets the restoring update; everyone else one message with both, so nobody sees the removal.
        guardUpdates.push(...fresh.restore);
        outgoing.push({ except: conn, update: Y.mergeUpdates([...fresh.updates, ...fresh.restore]) });
        outgoing.push({ only: conn, update: Y.mergeUpdates(fresh.restore) });
      } else {
        for (const u of fresh.updates) outgoing.push({ except: conn, update: u });
      }
      scheduleAck(conn, catchUp);
    }
    if (guardUpdates.length > 0) {
      // Durable before relay holds for the server's own updates too.
      try {
        const guardSeqs = await Promise.all(guardUpdates.map((u) => store.append(doc.name, u, SERVER_STAMP)));
        doc.lastSeq = Math.max(doc.lastSeq, ...guardSeqs);
        doc.logLength += guardUpdates.length;
      } catch (error) {
        evict(doc, error);
        return;
      }
    }
    for (const entry of outgoing) {
      const message = encodeUpdate(entry.update);
      if (entry.only !== undefined) {
        send(entry.only, message);
        continue;
      }
      for (const other of doc.conns) {
        if (other === entry.except) continue;
        send(other, message);
        metrics.updatesRelayed.inc();
      }
    }
    if (doc.logLength >= config.compactAfter) await compact(doc);
  }

  /**
   * Applies one stored update of a client and, in a transaction of the server's, puts back whatever of the
   * permanent structures it removed (guard.ts). Returns the document's updates: the client's, as Yjs emitted them
   * (only what was new), and the server's restoring ones. Never throws.
   */
  function applyFromClient(
    doc: SharedDoc,
    conn: Connection,
    update: Uint8Array,
    decoded: ReturnType<typeof Y.decodeUpdate>,
  ): { updates: Uint8Array[]; restore: Uint8Array[] } {
    const updates: Uint8Array[] = [];
    const restore: Uint8Array[] = [];
    let captures: Capture[] = [];
    try {
      captures = doc.guard?.inspect(decoded) ?? [];
    } catch (error) {
      log.error({ doc: doc.name, jti: conn.claims.jti, err: error }, 'permanent structures could not be inspected');
    }
    let auditAdded: unknown[] = [];
    const capture = (u: Uint8Array): void => void updates.push(u);
    const afterTransaction = (transaction: Y.Transaction): void => {
      if (transaction.origin === conn) auditAdded = auditEntriesAdded(transaction, doc.auditArrays);
    };
    doc.ydoc.on('update', capture);
    doc.ydoc.on('afterTransaction', afterTransaction);
    doc.fullState.invalidate();
    try {
      Y.applyUpdate(doc.ydoc, update, conn);
    } catch (error) {
      metrics.updatesRefused.inc('invalid');
      closeConn(conn, CLOSE_CODES.INVALID_UPDATE, `update cannot be applied: ${errorText(error)}`);
    } finally {
      doc.ydoc.off('update', capture);
      doc.ydoc.off('afterTransaction', afterTransaction);
    }
    if (updates.length === 0) return { updates, restore };
    let restored: Restored[] = [];
    let refusals = 0;
    const captureRestore = (u: Uint8Array): void => void restore.push(u);
    doc.ydoc.on('update', captureRestore);
    try {
      doc.ydoc.transact(() => {
        restored = doc.guard?.restore(captures) ?? [];
        // A signed session or agreement whose content differs from its signed copy is put back, as every device's
        // lock guard does (shared/ydoc/cases.ts): the server is the one device every update passes.
        if (doc.isCases) refusals = enforceLocks(doc.ydoc, SERVER_STAMP.user, new Date()).length;
      }, GUARD_ORIGIN);
    } catch (error) {
      log.error({ doc: doc.name, jti: conn.claims.jti, err: error }, 'permanent structures could not be restored');
    } finally {
      doc.ydoc.off('update', captureRestore);
    }
    if (restored.length > 0 || refusals > 0) {
      metrics.updatesRefused.inc('permanent');
      const detail = { conn: conn.id, jti: conn.claims.jti, user: conn.claims.sub, doc: doc.name };
      log.warn({ ...detail, restored, refusals }, 'update removed permanent entries; restored by the server');
      void recordAttempt(conn, doc, 'restored', { restored, refusals });
    }
    const differing = auditAdded.filter((entry) => !namesUser(entry, conn.claims.sub));
    if (differing.length > 0) {
      const authors = [...new Set(differing.map(authorOf))].slice(0, 10);
      log.info(
        {
          conn: conn.id,
          jti: conn.claims.jti,
          user: conn.claims.sub,
          doc: doc.name,
          entries: differing.length,
          authors,
        },
        'audit entries name another author than the token',
      );
      void recordAttempt(conn, doc, 'audit-author-differs', { entries: differing.length, authors });
    }
    return { updates, restore };
  }

  async function recordAttempt(conn: Connection, doc: SharedDoc, kind: string, detail: unknown): Promise<void> {
    try {
      await store.recordAttempt({
        doc: doc.name,
        jti: conn.claims.jti,
        user: conn.claims.sub,
        kind,
        detail: JSON.stringify(detail).slice(0, 4000),
        at: Date.now(),
      });
    } catch (error) {
      log.error({ doc: doc.name, err: error }, 'attempt could not be recorded');
    }
  }

  /**
   * Awareness is relayed between editors only, when on, and bounded per connection in size and rate. A refused
   * message is dropped and counted, never relayed; the socket stays (a stock editor sends its presence every 15 s).
   */
  function acceptAwareness(conn: Connection, update: Uint8Array): boolean {
    let reason: string | null = null;
    const now = performance.now();
    if (now - conn.awarenessWindow >= 60_000) {
      conn.awarenessWindow = now;
      conn.awarenessCount = 0;
    }
    if (config.awareness === 'off') reason = 'off';
    else if (!conn.canWrite) reason = 'viewer';
    else if (update.byteLength > config.awarenessMaxBytes) reason = 'too-large';
    else if (++conn.awarenessCount > config.awarenessPerMinute) reason = 'rate';
    if (reason === null) return true;
    metrics.awarenessRefused.inc(reason);
    return false;
  }

  /** The sum of bytes waiting in every socket's send buffer. */
  function queuedBytes(): number {
    let total = 0;
    for (const conn of allConns) total += conn.ws.bufferedAmount;
    return total;
  }

  /**
   * A client's sync-step-1. Answered at once when it is cheap: the cached whole document for a client holding
   * nothing, or a few structs for a client that is nearly up to date (a reconnect). Anything else is encoded by an
   * answer worker, one answer in flight per token: a second sync-step-1 of the same token waits (only the newest per
   * connection is kept). Every answer is charged to the token's budget of answer bytes per minute.
   */
  function requestAnswer(conn: Connection, raw: Uint8Array, stateVector: Map<number, number>): void {
    const doc = conn.doc;
    if (doc === null) return;
    const jti = conn.claims.jti;
    if (!answerBudget.hasCredit(jti)) {
      closeConn(
        conn,
        CLOSE_CODES.SERVER_BUSY,
        `more than ${config.answerBytesPerMinute} answer bytes per minute for this token`,
      );
      return;
    }
    const started = performance.now();
    const full = stateVector.size === 0;
    const cached = full ? doc.fullState.peek() : null;
    if (cached !== null) {
      deliverAnswer(conn, doc, cached, true, started, 'cache');
      return;
    }
    if (missingStructs(doc.ydoc, stateVector) <= CHEAP_ANSWER_STRUCTS) {
      const messages = encodeSyncAnswer(doc.ydoc, raw);
      if (full) doc.fullState.fill(messages);
      deliverAnswer(conn, doc, messages, full, started, 'main');
      return;
    }
    if (answering.has(jti)) {
      conn.waitingStateVector = raw;
      let waiting = waitingByToken.get(jti);
      if (waiting === undefined) waitingByToken.set(jti, (waiting = new Set()));
      waiting.add(conn);
      return;
    }
    answering.add(jti);
    const version = doc.version;
    ensureReplica(doc)
      .then(() => answers.answer(doc.name, raw, ANSWER_MESSAGE_BYTES))
      .then(
        (messages) => {
          if (full && doc.version === version && docs.get(doc.name) === doc) doc.fullState.fill(messages);
          deliverAnswer(conn, doc, messages, full, started, 'worker');
        },
        (error: unknown) => {
          log.error({ conn: conn.id, doc: doc.name, err: error }, 'answer could not be encoded');
          closeConn(conn, CLOSE_CODES.STORAGE_ERROR, 'answer could not be encoded');
        },
      )
      .finally(() => {
        answering.delete(jti);
        nextAnswer(jti);
      });
  }

  /** Starts the answer of the next connection of a token that is waiting for one. */
  function nextAnswer(jti: string): void {
    const waiting = waitingByToken.get(jti);
    while (waiting !== undefined && waiting.size > 0 && !answering.has(jti)) {
      const conn = waiting.values().next().value as Connection;
      waiting.delete(conn);
      const raw = conn.waitingStateVector;
      conn.waitingStateVector = null;
      if (raw === null || conn.closing || conn.doc === null) continue;
      requestAnswer(conn, raw, Y.decodeStateVector(raw));
    }
    if (waiting?.size === 0) waitingByToken.delete(jti);
  }

  /** A worker's replica of the document, loaded from storage inside its queue (so it holds what memory holds). */
  function ensureReplica(doc: SharedDoc): Promise<void> {
    if (answers.isReplicated(doc.name)) return Promise.resolve();
    return enqueue(doc, async () => {
      if (answers.isReplicated(doc.name) || docs.get(doc.name) !== doc) return;
      const stored = await store.load(doc.name);
      answers.load(doc.name, stored.updates);
    });
  }

  function deliverAnswer(
    conn: Connection,
    doc: SharedDoc,
    messages: readonly Uint8Array[],
    full: boolean,
    started: number,
    by: 'cache' | 'main' | 'worker',
  ): void {
    if (conn.closing || conn.ws.readyState !== conn.ws.OPEN) return;
    const bytes = messages.reduce((sum, piece) => sum + piece.length, 0);
    if (queuedBytes() + bytes > config.maxQueuedBytes) {
      closeConn(conn, CLOSE_CODES.SERVER_BUSY, 'the server send queue is full');
      return;
    }
    const detail = { conn: conn.id, doc: doc.name, pieces: messages.length, by };
    if (full && conn.gzipAnswer && messages.length > 1) {
      // Updates received meanwhile are relayed before it; the client applies them with it.
      const gzipped = doc.fullState.peek() === messages ? doc.fullState.gzipped() : gzipMessages(messages);
      gzipped.then(
        (compressed) => {
          answerBudget.charge(conn.claims.jti, compressed.length);
          send(conn, encodeGzipAnswer(compressed));
          const ms = Math.round(performance.now() - started);
          log.debug({ ...detail, bytes, gzipped: compressed.length, ms }, 'answered');
        },
        (error: unknown) => {
          log.error({ ...detail, err: error }, 'answer could not be compressed; sent as it is');
          answerBudget.charge(conn.claims.jti, bytes);
          sendAnswer(conn, messages);
        },
      );
      return;
    }
    answerBudget.charge(conn.claims.jti, bytes);
    sendAnswer(conn, messages);
    log.debug({ ...detail, bytes, ms: Math.round(performance.now() - started) }, 'answered');
  }

  function handleMessage(conn: Connection, doc: SharedDoc, message: ClientMessage): void {
    switch (message.kind) {
      case 'sync-step-1': {
        let stateVector: Map<number, number>;
        try {
          stateVector = Y.decodeStateVector(message.stateVector);
        } catch (error) {
          closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, `bad state vector: ${errorText(error)}`);
          return;
        }
        requestAnswer(conn, message.stateVector, stateVector);
        return;
      }
      case 'sync-step-2':
      case 'update':
        handleUpdate(conn, doc, message.update, message.kind === 'sync-step-2');
        return;
      case 'awareness':
        if (!acceptAwareness(conn, message.update)) return;
        try {
          awarenessProtocol.applyAwarenessUpdate(doc.awareness, message.update, conn);
        } catch (error) {
          closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, `bad awareness update: ${errorText(error)}`);
          return;
        }
        if (conn.awarenessIds.size > MAX_AWARENESS_IDS) {
          // One connection speaks for one client (a few, in a test): not for hundreds of made-up ones.
          awarenessProtocol.removeAwarenessStates(doc.awareness, [...conn.awarenessIds], null);
          closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, `more than ${MAX_AWARENESS_IDS} awareness clients`);
        }
        return;
      case 'query-awareness':
        if (config.awareness === 'off') return;
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
      closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, `message could not be handled: ${errorText(error)}`);
    }
  }

  function handleSocketMessage(conn: Connection, data: RawData, isBinary: boolean): void {
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
        if (states.size > 0 && config.awareness === 'on') {
          send(conn, encodeAwareness(doc.awareness, [...states.keys()]));
        }
        const pending = conn.pending ?? [];
        conn.pending = null;
        try {
          for (const frame of pending) onFrame(conn, frame);
        } catch (error) {
          metrics.messageErrors.inc();
          log.warn({ conn: conn.id, jti: conn.claims.jti, doc: docName, err: error }, 'message could not be handled');
          closeConn(conn, CLOSE_CODES.MALFORMED_MESSAGE, `message could not be handled: ${errorText(error)}`);
        }
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
    return { ok: true, claims, access };
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
    if (shuttingDown) {
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
    wss.handleUpgrade(req, socket, head, (ws) =>
      onConnection(ws, claims, docName, access === 'write', gzipAnswer, remote),
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
    // A client that offered its token as a subprotocol gets ours selected (a browser insists on one); the token
    // itself is never echoed. Stock clients offer none and get none.
    handleProtocols: (protocols) => (protocols.has(SYNC_SUBPROTOCOL) ? SYNC_SUBPROTOCOL : false),
  });
  // A socket that sends no request head within 10 s is dropped (checked every second), not held for a minute.
  const http: Server = createServer({ headersTimeout: 10_000, connectionsCheckingInterval: 1_000 }, onRequest);
  http.on('connection', (socket) => {
    // Pre-auth limit per address: counted from the TCP connection, before any byte of a request is read. A local
    // reverse proxy's address is everyone's: it is exempt, and limits connections itself.
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
  });
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
          answerBudget.sweep();
          upgradeLimiter.sweep();
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
    await answers.close();
  }

  return { port, host: config.host, metrics, close };
}

function destroySocket(this: Duplex): void {
  this.destroy();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Origin of the server's restoring transactions. */
const GUARD_ORIGIN = { kind: 'server-guard' } as const;
/** Awareness client ids one connection may speak for. */
const MAX_AWARENESS_IDS = 4;
/**
 * An answer of at most this many structs is encoded on the main thread at once (a device reconnecting after a few
 * edits): a few milliseconds at most. Anything bigger goes to an answer worker.
 */
const CHEAP_ANSWER_STRUCTS = 2_000;

/** How many structs of the document lie beyond a state vector: what an answer to it would carry. */
function missingStructs(ydoc: Y.Doc, stateVector: ReadonlyMap<number, number>): number {
  let missing = 0;
  for (const [client, structs] of ydoc.store.clients) {
    const known = stateVector.get(client) ?? 0;
    const last = structs[structs.length - 1];
    if (last === undefined || last.id.clock + last.length <= known) continue;
    missing += known <= 0 ? structs.length : structs.length - Y.findIndexSS(structs, known);
    if (missing > CHEAP_ANSWER_STRUCTS) return missing;
  }
  return missing;
}

function stampOf(conn: { readonly claims: SyncTokenClaims }): UpdateStamp {
  return { jti: conn.claims.jti, user: conn.claims.sub };
}

/** Whether an audit entry names `user` as its author (by id or by name). */
function namesUser(entry: unknown, user: string): boolean {
  if (entry === null || typeof entry !== 'object') return false;
  const { userId, userName } = entry as { userId?: unknown; userName?: unknown };
  return userId === user || userName === user;
}

function authorOf(entry: unknown): string {
  if (entry === null || typeof entry !== 'object') return '?';
  const { userId, userName } = entry as { userId?: unknown; userName?: unknown };
  return `${typeof userName === 'string' ? userName : '?'} (${typeof userId === 'string' ? userId : '?'})`;
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
