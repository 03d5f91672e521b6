/**
 * Answers to a client's sync-step-1: at once when cheap (cached, or a reconnect's few structs), else by an answer
 * worker (answers.ts), one in flight per token, within the token's budget of answer bytes per minute and the cap on
 * bytes queued for all sockets.
 */
import * as Y from 'yjs';
import { CLOSE_CODES } from '@shared/sync/protocol';
import type { Connection, Core, Part, SharedDoc } from './core';
import { AnswerWorkerFailed } from './answers';
import { gzipMessages } from './docState';
import { ANSWER_MESSAGE_BYTES, encodeGzipAnswer, encodeSyncAnswer } from './protocol';
import { RateLimiter } from './rateLimit';

/**
 * An answer of at most this many structs is encoded on the main thread at once (a device reconnecting after a few
 * edits): a few milliseconds at most. Anything bigger goes to an answer worker.
 */
const CHEAP_ANSWER_STRUCTS = 2_000;
/**
 * An answer not delivered within this many of its worker's timeouts (`--answer-timeout-ms`, scaled by size), plus the
 * time a restarted worker has to start, closes its connection with 4529: time to wait for the document's queue, and
 * for the worker and a restarted one.
 */
const ANSWER_DEADLINE_TIMEOUTS = 3;

export function createAnswering(core: Core): Part<'requestAnswer' | 'forgetWaiting'> {
  const { config, log, metrics, store, answers, docs } = core;
  const answerBudget = new RateLimiter(config.answerBytesPerMinute);
  /** Tokens with an answer being encoded, and connections of each waiting for theirs. */
  const answering = new Set<string>();
  const waitingByToken = new Map<string, Set<Connection>>();
  // The budgets are forgotten when full again (the map does not grow over months).
  setInterval(() => answerBudget.sweep(), 60_000).unref();

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
      core.closeConn(
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
    // Settled once: by the worker's answer or failure, or by the deadline if the document's queue or the worker is
    // stuck (then the connection is closed with a retryable code and the token's next answer starts).
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(deadline);
      answering.delete(jti);
      // After this turn: `nextAnswer` may start another answer, which must not run inside this one's callbacks.
      queueMicrotask(() => nextAnswer(jti));
      return true;
    };
    const deadlineMs = ANSWER_DEADLINE_TIMEOUTS * answers.timeoutFor(doc.name) + answers.startupMs;
    const deadline = setTimeout(() => {
      if (!settle()) return;
      metrics.answerDeadlines.inc();
      log.error({ conn: conn.id, doc: doc.name, ms: deadlineMs }, 'answer not ready in time; connection closed');
      core.closeConn(conn, CLOSE_CODES.SERVER_BUSY, 'answer not ready in time');
    }, deadlineMs);
    deadline.unref();
    encodeInWorker(doc, raw).then(
      (messages) => {
        if (!settle()) return;
        if (full && doc.version === version && docs.get(doc.name) === doc) doc.fullState.fill(messages);
        deliverAnswer(conn, doc, messages, full, started, 'worker');
      },
      (error: unknown) => {
        if (!settle()) return;
        log.error({ conn: conn.id, doc: doc.name, err: error }, 'answer could not be encoded');
        if (error instanceof AnswerWorkerFailed) core.closeConn(conn, CLOSE_CODES.SERVER_BUSY, 'answer worker failed');
        else core.closeConn(conn, CLOSE_CODES.STORAGE_ERROR, 'answer could not be encoded');
      },
    );
  }

  /**
   * The answer from the document's worker. A worker that exits or hangs (answers.ts restarts it) is asked once more:
   * the restarted worker replicates the document again from storage first.
   */
  async function encodeInWorker(doc: SharedDoc, raw: Uint8Array): Promise<Uint8Array[]> {
    try {
      await ensureReplica(doc);
      return await answers.answer(doc.name, raw, ANSWER_MESSAGE_BYTES);
    } catch (error) {
      if (!(error instanceof AnswerWorkerFailed) || docs.get(doc.name) !== doc || core.isShuttingDown()) throw error;
      log.warn({ doc: doc.name, err: error }, 'answer worker failed; the answer is asked of the restarted worker');
    }
    try {
      await ensureReplica(doc);
      const messages = await answers.answer(doc.name, raw, ANSWER_MESSAGE_BYTES);
      metrics.answerRetries.inc('answered');
      return messages;
    } catch (error) {
      metrics.answerRetries.inc('failed');
      throw error;
    }
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
    return core.enqueue(doc, async () => {
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
    if (core.queuedBytes() + bytes > config.maxQueuedBytes) {
      core.closeConn(conn, CLOSE_CODES.SERVER_BUSY, 'the server send queue is full');
      return;
    }
    const detail = { conn: conn.id, doc: doc.name, pieces: messages.length, by };
    if (full && conn.gzipAnswer && messages.length > 1) {
      // Updates received meanwhile are relayed before it; the client applies them with it.
      const gzipped = doc.fullState.peek() === messages ? doc.fullState.gzipped() : gzipMessages(messages);
      gzipped.then(
        (compressed) => {
          answerBudget.charge(conn.claims.jti, compressed.length);
          core.send(conn, encodeGzipAnswer(compressed));
          const ms = Math.round(performance.now() - started);
          log.debug({ ...detail, bytes, gzipped: compressed.length, ms }, 'answered');
        },
        (error: unknown) => {
          log.error({ ...detail, err: error }, 'answer could not be compressed; sent as it is');
          answerBudget.charge(conn.claims.jti, bytes);
          core.sendAnswer(conn, messages);
        },
      );
      return;
    }
    answerBudget.charge(conn.claims.jti, bytes);
    core.sendAnswer(conn, messages);
    log.debug({ ...detail, bytes, ms: Math.round(performance.now() - started) }, 'answered');
  }

  function forgetWaiting(conn: Connection): void {
    conn.waitingStateVector = null;
    waitingByToken.get(conn.claims.jti)?.delete(conn);
  }

  return { requestAnswer, forgetWaiting };
}

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
