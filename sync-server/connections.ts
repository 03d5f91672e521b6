/** Sending to a connection, closing it, forgetting it, its "saved on the server" signal, and its awareness limits. */
import * as awarenessProtocol from 'y-protocols/awareness';
import { CLOSE_CODES } from '@shared/sync/protocol';
import type { CloseCodeValue, Connection, Core, Part } from './core';
import { encodeSyncStep1 } from './protocol';

/** How often the sockets' send buffers are summed again (`queuedBytes`). */
export const QUEUED_BYTES_SUM_MS = 50;

export function createConnections(
  core: Core,
): Part<'send' | 'sendAnswer' | 'closeConn' | 'detach' | 'scheduleAck' | 'queuedBytes' | 'acceptAwareness'> {
  const { config, log, metrics, docs, allConns, connsByToken } = core;

  /** The pieces of one answer, all or none: the slow-reader check is made once, before the first. */
  function sendAnswer(conn: Connection, messages: readonly Uint8Array[]): void {
    const [first, ...rest] = messages;
    if (first === undefined) return;
    send(conn, first);
    if (conn.closing || conn.ws.readyState !== conn.ws.OPEN) return;
    for (const message of rest) {
      conn.ws.send(message);
      queued += message.length;
    }
  }

  function send(conn: Connection, message: Uint8Array): void {
    if (conn.closing || conn.ws.readyState !== conn.ws.OPEN) return;
    if (conn.ws.bufferedAmount > config.maxBufferedBytes) {
      closeConn(conn, CLOSE_CODES.TOO_SLOW, 'client does not read');
      return;
    }
    conn.ws.send(message);
    queued += message.length;
    conn.lastSentAt = performance.now();
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
    core.forgetWaiting(conn);
    const doc = conn.doc;
    if (doc !== null && doc.conns.delete(conn)) {
      awarenessProtocol.removeAwarenessStates(doc.awareness, [...conn.awarenessIds], null);
      if (doc.conns.size === 0 && !core.isShuttingDown()) core.scheduleUnload(doc);
    }
    if (allConns.size === 0 && docs.size === 0) core.maybeCollectGarbage();
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

  /**
   * The sum of bytes waiting in every socket's send buffer: summed over the sockets at most every
   * `QUEUED_BYTES_SUM_MS`, with what was sent since added. Summed at every answer, it was 2-4 s of each node's event
   * loop in a restart storm (2,700 sockets summed for each of 2,700 answers: docs/bench-cluster.md, "Where a restart
   * storm's time goes"). What the sockets wrote out meanwhile still counts until the next sum: an overestimate, by at
   * most that interval's traffic, of a limit of hundreds of megabytes.
   */
  let queued = 0;
  let summedAt = Number.NEGATIVE_INFINITY;
  function queuedBytes(): number {
    const now = performance.now();
    if (now - summedAt >= QUEUED_BYTES_SUM_MS) {
      queued = 0;
      for (const conn of allConns) queued += conn.ws.bufferedAmount;
      summedAt = now;
    }
    return queued;
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

  return { send, sendAnswer, closeConn, detach, scheduleAck, queuedBytes, acceptAwareness };
}
