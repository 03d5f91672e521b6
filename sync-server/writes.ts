/**
 * Updates from clients: checked, stored (durable before anything else), applied, what the law makes permanent put back
 * (guard.ts), and relayed. All of it inside the document's write queue.
 */
import * as Y from 'yjs';
import { inYjsOrder, inYjsOrderUpdate } from '@shared/sync/chunks';
import { CLOSE_CODES, type SyncTokenClaims } from '@shared/sync/protocol';
import { enforceLocks } from '@shared/ydoc/cases';
import { viewerAppendableArrays } from '@shared/ydoc/permanent';
import { errorText, type Connection, type Core, type Part, type SharedDoc } from './core';
import { auditEntriesAdded, type Capture, type Restored } from './guard';
import { encodeUpdate } from './protocol';
import { SERVER_STAMP, type UpdateStamp } from './storage/types';
import { holdsAlready } from './updates';
import { auditAppendOnly } from './viewerWrites';

/** Origin of the server's restoring transactions. */
const GUARD_ORIGIN = { kind: 'server-guard' } as const;

export function createWrites(core: Core): Part<'handleUpdate'> {
  const { config, log, metrics, store } = core;

  function handleUpdate(conn: Connection, doc: SharedDoc, received: Uint8Array, catchUp: boolean): void {
    metrics.updatesReceived.inc();
    const viewerArrays = conn.canWrite ? null : viewerAppendableArrays(doc.name);
    if (viewerArrays !== null && viewerArrays.length === 0) {
      // Read-only token on a document it may not append to: dropped, never stored nor relayed.
      metrics.updatesRefused.inc('viewer');
      return;
    }
    let decoded: ReturnType<typeof Y.decodeUpdate>;
    try {
      decoded = Y.decodeUpdate(received);
    } catch (error) {
      metrics.updatesRefused.inc('invalid');
      core.closeConn(conn, CLOSE_CODES.INVALID_UPDATE, `update cannot be read: ${errorText(error)}`);
      return;
    }
    // An app older than 2026-12-04 cut its pieces with their clients smallest first. Stored so, the log's merge when
    // the document next loads (Y.mergeUpdates) could lose structs without an error; stored in Yjs's order, it cannot
    // (shared/sync/chunks.ts, `inYjsOrder`; docs/sync-server.md, "Updates in another order").
    let update = received;
    if (!inYjsOrder(decoded)) {
      try {
        update = inYjsOrderUpdate(decoded);
      } catch (error) {
        // Read by Yjs but not writable again: refused like an unreadable one, never a throw out of the socket handler.
        metrics.updatesRefused.inc('invalid');
        core.closeConn(conn, CLOSE_CODES.INVALID_UPDATE, `update cannot be read: ${errorText(error)}`);
        return;
      }
      log.debug({ conn: conn.id, doc: doc.name, bytes: received.byteLength }, 'update written again in Yjs order');
    }
    if (doc.kind !== 'masked') {
      // A device's masked copy merged into its registry (or a yearly document into its twin's source) would overwrite
      // real ID numbers and phones (masking.ts). Costs nothing for a document without a masked copy.
      const client = core.maskedClientIn(doc, decoded);
      if (client !== null) {
        metrics.updatesRefused.inc('masked');
        const detail = { conn: conn.id, jti: conn.claims.jti, user: conn.claims.sub, doc: doc.name, client };
        log.warn(detail, 'update carries structs of the masked registry; refused');
        void recordAttempt(conn, doc, 'masked-structs', { client });
        core.closeConn(conn, CLOSE_CODES.MASKED_COPY, 'update carries structs of the masked registry');
        return;
      }
    }
    // A sync-step-2 answering our "saved" signal often repeats what the document already holds (updates still in
    // flight, the client's whole delete set): nothing to store, apply or relay.
    if (holdsAlready(doc.ydoc, decoded)) return;
    if (viewerArrays !== null) {
      void core.enqueue(doc, () => vetViewerUpdate(doc, { conn, update, decoded, catchUp }, viewerArrays));
      return;
    }
    doc.incoming.push({ conn, update, decoded, catchUp });
    if (doc.incoming.length === 1) void core.enqueue(doc, () => drain(doc));
  }

  /**
   * A viewer's update, looked at in the document's queue, so against everything stored before it (two prints in a
   * row: the second entry follows the first): accepted only when it does nothing but append entries to the access
   * log (viewerWrites.ts), then stored, applied and relayed like an editor's; anything else is dropped whole.
   */
  async function vetViewerUpdate(
    doc: SharedDoc,
    entry: SharedDoc['incoming'][number],
    arrays: readonly string[],
  ): Promise<void> {
    if (core.docs.get(doc.name) !== doc) return;
    const verdict = auditAppendOnly(doc.ydoc, entry.decoded, arrays);
    if (!verdict.ok) {
      metrics.updatesRefused.inc('viewer');
      const { conn } = entry;
      log.debug(
        { conn: conn.id, jti: conn.claims.jti, doc: doc.name, reason: verdict.reason },
        'viewer update dropped',
      );
      return;
    }
    doc.incoming.push(entry);
    await drain(doc);
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
      core.evict(doc, error);
      return;
    }
    metrics.persistLatency.observe((performance.now() - started) / 1000);
    metrics.updatesStored.inc('', batch.length);
    doc.lastSeq = Math.max(doc.lastSeq, ...seqs);
    doc.logLength += batch.length;
    for (const { update } of batch) core.stats.bytesStored += update.byteLength;
    // Stored; now apply, put back what the law makes permanent, and relay exactly what was new to the document.
    /** To every connection of the document but `except`, or to `only`. */
    const outgoing: { readonly update: Uint8Array; readonly except?: Connection; readonly only?: Connection }[] = [];
    const guardUpdates: Uint8Array[] = [];
    for (const [index, { conn, update, decoded, catchUp }] of batch.entries()) {
      const fresh = applyFromClient(doc, conn, update, decoded);
      // Stored and applied: the document holds this log entry (compaction need not fold it in again). Not when Yjs
      // refused it: then it is folded from the log like any entry the document lacks. In the queue, as all of drain.
      const seq = seqs[index];
      if (fresh.applied && seq !== undefined) doc.heldSeqs.add(seq);
      if (fresh.updates.length > 0 && fresh.restore.length > 0) {
        // The offender gets the restoring update; everyone else one message with both, so nobody sees the removal.
        guardUpdates.push(...fresh.restore);
        outgoing.push({ except: conn, update: Y.mergeUpdates([...fresh.updates, ...fresh.restore]) });
        outgoing.push({ only: conn, update: Y.mergeUpdates(fresh.restore) });
      } else {
        for (const u of fresh.updates) outgoing.push({ except: conn, update: u });
      }
      // A viewer's access-log entries in the masked copy go on into the registry (masking.ts).
      if (doc.kind === 'masked' && fresh.auditAdded.length > 0) core.carryAudit(doc, conn, fresh.auditAdded);
      core.scheduleAck(conn, catchUp);
    }
    if (guardUpdates.length > 0) {
      // Durable before relay holds for the server's own updates too.
      try {
        const guardSeqs = await Promise.all(guardUpdates.map((u) => store.append(doc.name, u, SERVER_STAMP)));
        doc.lastSeq = Math.max(doc.lastSeq, ...guardSeqs);
        doc.logLength += guardUpdates.length;
        // Made on the document itself (the guard's transactions, captured as Yjs emitted them): held.
        for (const seq of guardSeqs) doc.heldSeqs.add(seq);
      } catch (error) {
        core.evict(doc, error);
        return;
      }
    }
    for (const entry of outgoing) {
      const message = encodeUpdate(entry.update);
      if (entry.only !== undefined) {
        core.send(entry.only, message);
        continue;
      }
      for (const other of doc.conns) {
        if (other === entry.except) continue;
        core.send(other, message);
        metrics.updatesRelayed.inc();
      }
    }
    if (doc.logLength >= config.compactAfter) await core.compact(doc);
  }

  /**
   * Applies one stored update of a client and, in a transaction of the server's, puts back whatever of the
   * permanent structures it removed (guard.ts). Returns the document's updates: the client's, as Yjs emitted them
   * (only what was new), and the server's restoring ones, and the audit entries it appended; `applied`: Yjs applied
   * the update without an error (false: refused, the connection closed). Never throws.
   */
  function applyFromClient(
    doc: SharedDoc,
    conn: Connection,
    update: Uint8Array,
    decoded: ReturnType<typeof Y.decodeUpdate>,
  ): { updates: Uint8Array[]; restore: Uint8Array[]; auditAdded: unknown[]; applied: boolean } {
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
    let applied = false;
    try {
      Y.applyUpdate(doc.ydoc, update, conn);
      applied = true;
    } catch (error) {
      metrics.updatesRefused.inc('invalid');
      core.closeConn(conn, CLOSE_CODES.INVALID_UPDATE, `update cannot be applied: ${errorText(error)}`);
    } finally {
      doc.ydoc.off('update', capture);
      doc.ydoc.off('afterTransaction', afterTransaction);
    }
    if (updates.length === 0) return { updates, restore, auditAdded, applied };
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
    return { updates, restore, auditAdded, applied };
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

  return { handleUpdate };
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
