/**
 * The masked registry for viewers (docs/security.md, "Does the server send viewers masked ID numbers and phones?";
 * docs/sync-server.md, *Roles*). With `--viewers-masked` (the default) a community's registry is loaded together with
 * its masked copy, `<community>/registry-masked` (shared/ydoc/registryMasked.ts), which viewers sync instead:
 *
 * - At load the copy is compared with the whole registry and brought in line (nothing written when it already is).
 *   Then every registry transaction (an editor's update, the guard's restore, an entry carried in) is collected as
 *   what it touched, and written into the copy a moment later (`MASK_DELAY_MS`: a burst of typing is one write), in
 *   proportion to what changed: never a pass over the community per keystroke.
 * - The copy is stored like any document (snapshot and log), so its Yjs history is continuous across restarts. Every
 *   load writes under a new client id (the Y.Doc's own), never under one a device may already hold other content of.
 * - A viewer's access-log entries appended to the copy (vetted as for the registry: viewerWrites.ts) are carried into
 *   the registry's `audit` by the server, stamped with the viewer's token; their mirror back is recognised by the
 *   entry's id and not appended twice. Entries the registry lacks at load (the server stopped between the two) are
 *   carried then.
 * - Data-loss guard: an update to the registry that carries a struct of any client of the copy (the server's or a
 *   viewer's) is refused whole and logged: a device's masked copy merged into the registry would overwrite real ID
 *   numbers and phones with masked ones.
 *
 * Each yearly document (cases, meetings, tasks and every collection of `YEARLY_COLLECTIONS`) has a masked twin the same
 * way, `<community>/<collection>-masked/<year>` (shared/ydoc/yearlyMasked.ts): loaded with its document, reconciled
 * at load, written about `MASK_DELAY_MS` after each change in proportion to it, stored like any document, and guarded
 * alike (its clients' structs refused in the document). Viewers write nothing to a twin (no access log there), so
 * nothing is carried back.
 */
import * as Y from 'yjs';
import { isMaskedYearlyDocName, pairedMaskedName } from '@shared/ydoc/docName';
import { AUDIT_ARRAY } from '@shared/ydoc/registry';
import { applyMaskedChanges, auditIds, entryId, MaskedChanges, reconcileMasked } from '@shared/ydoc/registryMasked';
import { applyTwinChanges, reconcileTwin, TwinChanges } from '@shared/ydoc/yearlyMasked';
import { errorText, RELAY_ORIGIN, type Connection, type Core, type Part, type SharedDoc } from './core';
import { readMaskedReconciled, sameStateVector } from './maskedReconcile';
import { encodeUpdate } from './protocol';
import { SERVER_STAMP, type UpdateStamp } from './storage/types';

/** Origin of the server's writes into a masked copy. */
const MASK_ORIGIN = { kind: 'server-mask' } as const;
/** Origin of the server's writes of viewers' entries into a registry. */
const CARRY_ORIGIN = { kind: 'server-carry' } as const;
/** Registry changes are written into the copy this long after the first of a burst. */
export const MASK_DELAY_MS = 40;

interface Link {
  readonly registry: SharedDoc;
  readonly masked: SharedDoc;
  readonly changes: MaskedChanges;
  /** Ids of the copy's audit entries. */
  knownAudit: Set<string>;
  /** Ids of the registry's audit entries. */
  readonly registryAudit: Set<string>;
  timer: NodeJS.Timeout | null;
  /** Entries of the copy the registry lacks, as the worker found them at load (`reconcileInWorker`). */
  missingAtLoad: unknown[];
  /** How many slices the worker's update at load came in (0: applied whole). */
  slicesAtLoad: number;
}

export function createMasking(
  core: Core,
): Part<'linkMasked' | 'carryAudit' | 'maskedClientIn' | 'maskedClientsStored'> {
  const { config, log, metrics, store } = core;
  /** By the masked copy. */
  const links = new WeakMap<SharedDoc, Link>();

  /** Runs `write` on a document, returning the updates it made (one per transaction). */
  function capture(doc: SharedDoc, write: () => void): Uint8Array[] {
    const updates: Uint8Array[] = [];
    const onUpdate = (update: Uint8Array): void => void updates.push(update);
    doc.fullState.invalidate();
    doc.ydoc.on('update', onUpdate);
    try {
      write();
    } finally {
      doc.ydoc.off('update', onUpdate);
    }
    return updates;
  }

  /**
   * Stores the server's updates of a document, then relays them to its clients. Inside the document's queue (every
   * caller enqueues it). The updates were made on the document first (captured as Yjs emitted them, or the worker's
   * update applied without an error: `reconcileInWorker`), so once stored the document holds the entry (`heldSeqs`:
   * compaction need not fold it in again).
   */
  async function persist(doc: SharedDoc, updates: readonly Uint8Array[], stamp: UpdateStamp): Promise<boolean> {
    if (updates.length === 0) return true;
    const update = updates.length === 1 && updates[0] !== undefined ? updates[0] : Y.mergeUpdates([...updates]);
    let seq: number;
    try {
      seq = await store.append(doc.name, update, stamp);
    } catch (error) {
      core.evict(doc, error);
      return false;
    }
    doc.lastSeq = Math.max(doc.lastSeq, seq);
    doc.heldSeqs.add(seq);
    doc.logLength += 1;
    core.stats.bytesStored += update.byteLength;
    metrics.updatesStored.inc();
    const message = encodeUpdate(update);
    for (const conn of doc.conns) {
      core.send(conn, message);
      metrics.updatesRelayed.inc();
    }
    if (doc.logLength >= config.compactAfter) await core.compact(doc);
    return true;
  }

  /** A yearly document and its twin: kept in step from now on, and brought in line now. */
  async function linkTwin(source: SharedDoc, twin: SharedDoc): Promise<void> {
    source.partner = twin;
    twin.partner = source;
    const changes = new TwinChanges();
    let timer: NodeJS.Timeout | null = null;
    const flushTwin = async (): Promise<void> => {
      if (core.docs.get(twin.name) !== twin || changes.empty) return;
      const updates = capture(twin, () => applyTwinChanges(source.ydoc, twin.ydoc, changes, MASK_ORIGIN));
      changes.clear();
      await persist(twin, updates, SERVER_STAMP);
    };
    source.ydoc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.origin === RELAY_ORIGIN) return; // masked by the node that stored it (core.ts)
      changes.collect(transaction);
      if (!changes.empty && timer === null) {
        timer = setTimeout(() => {
          timer = null;
          void core.enqueue(twin, flushTwin);
        }, MASK_DELAY_MS);
      }
    });
    await core.enqueue(twin, async () => {
      const started = performance.now();
      const updates = capture(twin, () => reconcileTwin(source.ydoc, twin.ydoc, MASK_ORIGIN));
      changes.clear();
      const ms = Math.round(performance.now() - started);
      if (!(await persist(twin, updates, SERVER_STAMP))) return;
      log.info(
        { doc: twin.name, ms, bytes: updates.reduce((sum, u) => sum + u.byteLength, 0) },
        'masked twin brought in line with its document',
      );
    });
  }

  /**
   * A registry and its masked copy: kept in step from now on, and brought in line now. `maskedStored`: the copy's
   * updates as stored, which its document holds exactly (it is not handed out before this is done); given, and the
   * registry replicated in its answer worker, the worker brings the copy in line (maskedReconcile.ts), else the event
   * loop does.
   */
  async function linkMasked(
    registry: SharedDoc,
    masked: SharedDoc,
    maskedStored?: readonly Uint8Array[],
  ): Promise<void> {
    if (isMaskedYearlyDocName(masked.name)) return linkTwin(registry, masked);
    registry.partner = masked;
    masked.partner = registry;
    const link: Link = {
      registry,
      masked,
      changes: new MaskedChanges(),
      knownAudit: new Set(),
      registryAudit: auditIds(registry.ydoc),
      timer: null,
      missingAtLoad: [],
      slicesAtLoad: 0,
    };
    links.set(masked, link);
    registry.ydoc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.origin === RELAY_ORIGIN) return; // masked by the node that stored it (core.ts)
      const before = link.changes.audit.length;
      link.changes.collect(transaction);
      for (const entry of link.changes.audit.slice(before)) {
        const id = entryId(entry);
        if (id !== null) link.registryAudit.add(id);
      }
      if (!link.changes.empty && link.timer === null) {
        link.timer = setTimeout(() => {
          link.timer = null;
          void core.enqueue(masked, () => flush(link));
        }, MASK_DELAY_MS);
      }
    });
    let missing: unknown[] = [];
    await core.enqueue(masked, async () => {
      const started = performance.now();
      let by: 'worker' | 'main' = 'worker';
      let updates = maskedStored === undefined ? null : await reconcileInWorker(link, maskedStored);
      if (updates === null) {
        by = 'main';
        updates = capture(masked, () => {
          const reconciled = reconcileMasked(registry.ydoc, masked.ydoc, MASK_ORIGIN);
          link.knownAudit = reconciled.knownAudit;
          missing = reconciled.missingInSource;
        });
        link.changes.clear();
      } else {
        missing = link.missingAtLoad;
      }
      link.missingAtLoad = [];
      const ms = Math.round(performance.now() - started);
      if (!(await persist(masked, updates, SERVER_STAMP))) return;
      log.info(
        {
          doc: masked.name,
          ms,
          by,
          slices: link.slicesAtLoad,
          bytes: updates.reduce((sum, u) => sum + u.byteLength, 0),
        },
        'masked registry brought in line with the registry',
      );
    });
    // Entries a viewer appended to the copy that the registry lacks (the server stopped before carrying them).
    if (missing.length > 0) carry(link, missing, SERVER_STAMP);
  }

  /**
   * The copy brought in line by the registry's answer worker, as of the registry now (maskedReconcile.ts): the update
   * it wrote, applied to the copy here (to be stored and relayed by the caller), or `null` when the worker cannot do
   * it (registry not replicated, worker failed, or its copy or replica differ from the documents here): the caller
   * reconciles on the event loop then. Inside the copy's queue, before the copy is handed out.
   */
  async function reconcileInWorker(link: Link, maskedStored: readonly Uint8Array[]): Promise<Uint8Array[] | null> {
    const { registry, masked } = link;
    if (!core.answers.isReplicated(registry.name)) return null;
    const posted = core.answers.reconcileMasked(registry.name, Y.encodeStateVector(registry.ydoc), maskedStored);
    // The worker reconciles the registry as of now; what it changes from now on is written by `flush` after this.
    link.changes.clear();
    try {
      const reconciled = readMaskedReconciled(await posted);
      if (!sameStateVector(reconciled.maskedStateVector, Y.encodeStateVector(masked.ydoc)))
        throw new Error("the worker's masked copy is not the one loaded");
      link.knownAudit = reconciled.knownAudit;
      link.missingAtLoad = reconciled.missingInSource;
      link.slicesAtLoad = reconciled.slices.length;
      if (reconciled.update === null) return [];
      masked.fullState.invalidate();
      if (reconciled.slices.length === 0) Y.applyUpdate(masked.ydoc, reconciled.update, MASK_ORIGIN);
      for (const slice of reconciled.slices) {
        // The copy made whole (megabytes): a slice per task, the event loop free between them (docSlices.ts).
        Y.applyUpdate(masked.ydoc, slice, MASK_ORIGIN);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      // Applied: stored as the worker wrote it whatever happens now (not expected: something of it left pending).
      if (!sameStateVector(Y.encodeStateVector(masked.ydoc), reconciled.maskedStateVectorAfter))
        log.error({ doc: masked.name }, "masked registry: the worker's update did not apply whole");
      // A copy made big now is replicated at once from what it holds, as a big document is at load: the first
      // viewer's answer does not read it back from storage (PostgreSQL parses a big log entry as hex text).
      else if (reconciled.slices.length > 0 && !core.answers.isReplicated(masked.name))
        core.answers.load(masked.name, [...maskedStored, reconciled.update]);
      return [reconciled.update];
    } catch (error) {
      log.warn(
        { doc: masked.name, err: errorText(error) },
        'masked registry: the worker did not reconcile; on the event loop',
      );
      return null;
    }
  }

  /** Writes what the registry's transactions touched into the copy. Inside the copy's queue. */
  async function flush(link: Link): Promise<void> {
    const { registry, masked, changes } = link;
    if (core.docs.get(masked.name) !== masked || changes.empty) return;
    const updates = capture(masked, () =>
      applyMaskedChanges(registry.ydoc, masked.ydoc, changes, link.knownAudit, MASK_ORIGIN),
    );
    changes.clear();
    await persist(masked, updates, SERVER_STAMP);
  }

  /** Appends entries the registry lacks to its `audit`, in the registry's queue. */
  function carry(link: Link, entries: readonly unknown[], stamp: UpdateStamp): void {
    const { registry } = link;
    void core.enqueue(registry, async () => {
      // Still loading (entries found at load) counts as loaded; another copy of the registry loaded since does not.
      const current = core.docs.get(registry.name);
      if (current !== undefined && current !== registry) return;
      const fresh = entries.filter((entry) => {
        const id = entryId(entry);
        return id !== null && !link.registryAudit.has(id);
      });
      if (fresh.length === 0) return;
      const updates = capture(registry, () =>
        registry.ydoc.transact(() => registry.ydoc.getArray<unknown>(AUDIT_ARRAY).push(fresh), CARRY_ORIGIN),
      );
      if (await persist(registry, updates, stamp)) {
        log.info({ doc: registry.name, entries: fresh.length, user: stamp.user }, "viewer's audit entries carried");
      }
    });
  }

  /** A viewer's entries, just applied to the copy: known there, and carried into the registry with its stamp. */
  function carryAudit(masked: SharedDoc, conn: Connection, entries: readonly unknown[]): void {
    const link = links.get(masked);
    if (link === undefined) return;
    for (const entry of entries) {
      const id = entryId(entry);
      if (id !== null) link.knownAudit.add(id);
    }
    carry(link, entries, { jti: conn.claims.jti, user: conn.claims.sub });
  }

  /** The first client of the update's structs that belongs to the document's masked copy (or twin), or `null`. */
  function maskedClientIn(registry: SharedDoc, decoded: ReturnType<typeof Y.decodeUpdate>): number | null {
    const copyClients = registry.partner?.ydoc.store.clients;
    const stored = registry.storedMaskedClients;
    if ((copyClients === undefined || copyClients.size === 0) && stored.size === 0) return null;
    for (const struct of decoded.structs) {
      const client = struct.id.client;
      if (copyClients?.has(client) === true || stored.has(client)) return client;
    }
    return null;
  }

  /** The client ids of a document's masked copy (or twin) as stored (empty when there is none). */
  async function maskedClientsStored(registryName: string): Promise<ReadonlySet<number>> {
    const maskedName = pairedMaskedName(registryName);
    if (maskedName === null) return new Set();
    try {
      const stored = await store.load(maskedName);
      if (stored.updates.length === 0) return new Set();
      const vector = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(Y.mergeUpdates(stored.updates)));
      return new Set(vector.keys());
    } catch (error) {
      log.error({ doc: maskedName, err: errorText(error) }, 'masked registry could not be read');
      return new Set();
    }
  }

  return { linkMasked, carryAudit, maskedClientIn, maskedClientsStored };
}
