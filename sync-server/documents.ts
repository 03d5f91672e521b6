/** Documents in memory: loading from storage, the write queue of each, compaction, unloading, eviction. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CLOSE_CODES } from '@shared/sync/protocol';
import { isMaskedDocName, pairedMaskedName, parseDocName } from '@shared/ydoc/docName';
import { AUDIT_ARRAYS, permanentRulesFor } from '@shared/ydoc/permanent';
import type { Connection, Core, Part, SharedDoc } from './core';
import { SLICE_STRUCTS } from './docSlices';
import { foldMissing, FullStateCache, rebuildDoc, serverDoc, type RebuiltDoc } from './docState';
import { PermanentGuard } from './guard';
import { encodeAwareness } from './protocol';
import { sameStateVector } from './maskedReconcile';
import { rowsMakerOf } from './registryRows';
import type { CompactResult, HeldState, StoredDocument } from './storage/types';

const GC_MIN_INTERVAL_MS = 10_000;
/** Above this many stored bytes a loaded document is replicated into its answer worker at once (answers.ts). */
const EAGER_REPLICA_BYTES = 1024 * 1024;
/**
 * A document of at most this many structs is encoded for compaction on the event loop (a few milliseconds); a bigger
 * one by its answer worker (`compact`).
 */
const CHEAP_SNAPSHOT_STRUCTS = 1_000;
/**
 * How long the slices a big document was loaded from are kept as the answer for a device joining with nothing, if
 * none asks: the device whose join loaded it asks within the load (docs/sync-server.md, "A new device's first answer").
 */
const SEEDED_SLICES_KEEP_MS = 60_000;

/**
 * A document that took longer than this to open (from the first client asking to the document in memory) is logged
 * with its parts (how long it waited for its own unload), and so is a slow load: what a slow reconnect's server side
 * is read from (docs/bench-scale.md, "Reconnects of 11-27 s").
 */
const SLOW_OPEN_MS = 2_000;

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

export function createDocuments(
  core: Core,
): Part<'enqueue' | 'acquire' | 'compact' | 'scheduleUnload' | 'maybeCollectGarbage' | 'evict' | 'unloadsDone'> {
  const { config, log, metrics, store, answers, docs, loading, allConns } = core;
  let lastGcAt = 0;
  /** A registry's rows for first syncs, made after each of its compactions (registryRows.ts). */
  const rowsMaker = rowsMakerOf(store, log, () => core.isShuttingDown());

  function enqueue(doc: SharedDoc, task: () => Promise<void>): Promise<void> {
    const run = doc.queue.then(task).catch((error: unknown) => {
      log.error({ doc: doc.name, err: error }, 'document task failed');
    });
    doc.queue = run;
    return run;
  }

  async function loadDoc(name: string, read?: StoredDocument): Promise<SharedDoc> {
    const started = performance.now();
    const stored = read ?? (await store.load(name));
    const storedBytes = stored.updates.reduce((sum, u) => sum + u.byteLength, 0);
    // A big document (a registry) is replicated into its answer worker at once (the first device that joins holding
    // nothing does not wait for a second load), and the event loop builds its own copy from slices the worker cuts
    // from the replica, one task each (docSlices.ts): integrated whole, a 20,000-resident registry held the event
    // loop for a second or more.
    const big = storedBytes > EAGER_REPLICA_BYTES;
    if (big) answers.load(name, stored.updates);
    const slicedLoad = big ? await integrateSlices(name) : undefined;
    const sliced = slicedLoad?.rebuilt;
    // Else (or if the worker failed) as before: a big document's snapshot and log merged by its answer worker, the
    // event loop integrating the one update; merged here too if the worker fails.
    const premerged =
      sliced === undefined && big && stored.updates.length > 1
        ? await answers.merge(name, stored.updates).catch((error: unknown) => {
            log.warn({ doc: name, err: error }, 'load: the worker did not merge; merging on the event loop');
            return undefined;
          })
        : undefined;
    if (sliced === undefined && big && !answers.isReplicated(name)) answers.load(name, stored.updates);
    const { ydoc, merged, applied, skipped } =
      sliced ??
      rebuildDoc(
        stored.updates,
        (error) => log.error({ doc: name, err: error }, 'stored update could not be applied; skipped'),
        premerged,
      );
    const fullState = new FullStateCache(ydoc);
    // The first device joining with nothing is answered with what the load made (docs/sync-server.md, "A new
    // device's first answer"): no whole-document encoding before its first byte.
    if (merged !== null) fullState.seed([merged]);
    else if (slicedLoad !== undefined) fullState.seed(slicedLoad.slices, SEEDED_SLICES_KEEP_MS);
    const awareness = new awarenessProtocol.Awareness(ydoc);
    awareness.setLocalState(null);
    const rules = permanentRulesFor(name);
    const ref = parseDocName(name);
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
      compacting: null,
      idleTimer: null,
      version: 0,
      guard: rules === null ? null : new PermanentGuard(ydoc, rules),
      auditArrays: AUDIT_ARRAYS.map((array) => ydoc.getArray<unknown>(array)),
      isCases: ref?.collection === 'cases',
      kind: ref?.collection === 'registry' ? 'registry' : isMaskedDocName(name) ? 'masked' : 'other',
      partner: null,
      storedMaskedClients: new Set(),
      // What the document holds of the stored state (compaction folds only the rest): all of it, unless Yjs refused a
      // stored update (skipped: which one is not known, so nothing counts as held and compaction folds everything).
      heldSnapshot: skipped === 0 ? (stored.snapshotVersion ?? null) : null,
      heldSeqs: new Set(skipped === 0 ? stored.logSeqs : []),
    };
    ydoc.on('update', (update: Uint8Array) => {
      // Every place that applies invalidates the cache before it does; this is the belt to those braces (the cache
      // must never answer with less than the document holds).
      fullState.invalidate();
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
        for (const conn of doc.conns) if (conn.canWrite) core.send(conn, message);
      },
    );
    const loadMs = Math.round(performance.now() - started);
    const loaded = { doc: name, updates: stored.updates.length, bytes: storedBytes, big, applied, skipped, ms: loadMs };
    // At info level when it was slow (the same line, which tests and benches look for).
    if (loadMs > SLOW_OPEN_MS) log.info({ ...loaded, slow: true }, 'document loaded');
    else log.debug(loaded, 'document loaded');
    return doc;
  }

  /**
   * The document as its answer worker's replica holds it (just loaded from storage), integrated slice by slice with
   * the event loop free between them; `undefined` (logged) if the worker fails or the result is not the replica.
   */
  async function integrateSlices(
    name: string,
  ): Promise<{ readonly rebuilt: RebuiltDoc; readonly slices: Uint8Array[] } | undefined> {
    let ydoc: Y.Doc | null = null;
    try {
      const { slices, stateVector } = await answers.slices(name, SLICE_STRUCTS);
      const built = serverDoc();
      ydoc = built;
      for (const slice of slices) {
        Y.applyUpdate(built, slice, 'storage');
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (!sameStateVector(Y.encodeStateVector(built), stateVector))
        throw new Error('the slices do not make the replica');
      return { rebuilt: { ydoc: built, merged: null, applied: slices.length, skipped: 0 }, slices };
    } catch (error) {
      ydoc?.destroy();
      log.warn({ doc: name, err: error }, 'load: the worker did not slice; integrating as before');
      return undefined;
    }
  }

  /** Masked copies being made for a registry already loaded, by registry name. */
  const attaching = new Map<string, Promise<SharedDoc>>();
  /** Documents being written out and dropped (`unload`), by name, and the end of that. */
  const unloading = new Map<string, { readonly doc: SharedDoc; readonly done: Promise<void> }>();

  /**
   * A registry (or a yearly document) and, with masking on, its masked copy (masking.ts) if one is stored or a viewer
   * asks for it: loaded together, the copy brought in line with the registry before either is handed out. A community
   * no viewer ever asked for has no copy (`attachMasked` makes it on the first request). With masking off, the client
   * ids of a masked copy stored earlier (devices may still hold it) are read so that the registry goes on refusing
   * them.
   */
  async function loadRegistry(name: string, withMasked: boolean): Promise<SharedDoc> {
    const registry = await loadDoc(name);
    const maskedName = pairedMaskedName(name);
    if (maskedName === null) return registry;
    if (!config.viewersMasked) {
      registry.storedMaskedClients = await core.maskedClientsStored(name);
      return registry;
    }
    const stored = await store.load(maskedName);
    if (!withMasked && stored.updates.length === 0) return registry;
    const masked = await loadDoc(maskedName, stored);
    await core.linkMasked(registry, masked, stored.updates);
    docs.set(maskedName, masked);
    return registry;
  }

  /** The masked copy of a registry loaded without one (no viewer had asked), made and brought in line now. */
  function attachMasked(registry: SharedDoc): Promise<SharedDoc> {
    let promise = attaching.get(registry.name);
    if (promise === undefined) {
      const maskedName = pairedMaskedName(registry.name) ?? '';
      promise = (async () => {
        const stored = await store.load(maskedName);
        const masked = await loadDoc(maskedName, stored);
        await core.linkMasked(registry, masked, stored.updates);
        docs.set(maskedName, masked);
        return masked;
      })().finally(() => attaching.delete(registry.name));
      attaching.set(registry.name, promise);
    }
    return promise;
  }

  function acquire(name: string): Promise<SharedDoc> {
    const loaded = docs.get(name);
    if (loaded !== undefined) return Promise.resolve(loaded);
    if (isMaskedDocName(name)) {
      // Loaded with its registry or yearly document (which it is derived from), never alone.
      if (!config.viewersMasked) return Promise.reject(new Error('masking is off: no masked copy is served'));
      const registryName = pairedMaskedName(name) ?? '';
      return acquireDoc(registryName, true).then((registry) => registry.partner ?? attachMasked(registry));
    }
    return acquireDoc(name, false);
  }

  function acquireDoc(name: string, withMasked: boolean): Promise<SharedDoc> {
    const loaded = docs.get(name);
    if (loaded !== undefined) return Promise.resolve(loaded);
    // A document the server derives a masked copy from (the registry, every yearly document).
    const masks = pairedMaskedName(name) !== null && !isMaskedDocName(name);
    let promise = loading.get(name);
    if (promise === undefined) {
      // A document (or its masked copy) being written out is loaded again once that is done.
      const maskedName = masks ? pairedMaskedName(name) : null;
      const before = [name, ...(maskedName === null ? [] : [maskedName])].flatMap((one) => {
        const done = unloading.get(one)?.done;
        return done === undefined ? [] : [done];
      });
      const written = before.length > 0 ? Promise.all(before) : null;
      const asked = performance.now();
      let unloadWaitMs = 0;
      const load = (): Promise<SharedDoc> => {
        unloadWaitMs = Math.round(performance.now() - asked);
        return masks ? loadRegistry(name, withMasked) : loadDoc(name);
      };
      promise = (written === null ? load() : written.then(load)).then(
        (doc) => {
          loading.delete(name);
          docs.set(name, doc);
          const ms = Math.round(performance.now() - asked);
          if (ms > SLOW_OPEN_MS) log.warn({ doc: name, ms, unloadWaitMs }, 'document slow to open');
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

  /**
   * Folds the log into a snapshot "as of `lastSeq`" (docs/sync-server.md, "Compaction off the event loop"). Called
   * inside the document's queue, where the document holds exactly what is stored up to `lastSeq` (with several nodes,
   * possibly less: storage/postgres.ts merges in what it is not known to hold, `heldSnapshot` and `heldSeqs`). The
   * snapshot is asked of the answer worker's replica at that moment (the worker handles its messages in order, so it
   * encodes the document as of `lastSeq` and nothing later), and the queue goes on meanwhile: updates stored after
   * `lastSeq` stay in the log. Resolves once the request is posted, or with `untilStored` once the snapshot is
   * stored. One compaction per document at a time.
   */
  async function compact(doc: SharedDoc, untilStored = false): Promise<void> {
    if (doc.compacting !== null) {
      if (!untilStored) return; // the log is folded again once it is long again
      await doc.compacting;
    }
    if (doc.logLength === 0) return;
    const throughSeq = doc.lastSeq;
    const folded = doc.logLength;
    const started = performance.now();
    const request = await requestSnapshot(doc);
    // What the document holds of the stored state at the moment its snapshot was asked for (still in the queue: the
    // worker encodes the replica as of this moment, pending structs merged in). The snapshot holds all of it, so the
    // store need not fold it in again (storage/postgres.ts `compact`). An encoding on the event loop after the fact
    // (the worker failed, below) holds at least as much: the document only grows.
    const held: HeldState = { snapshotVersion: doc.heldSnapshot, seqs: new Set(doc.heldSeqs) };
    const job = (async () => {
      let snapshot: Uint8Array;
      let by = request.by;
      try {
        snapshot = await request.encoded;
      } catch (error) {
        // The worker exited (or was closed) before answering: encode here. The document has only grown since
        // `throughSeq` (a Yjs document never loses what it integrated), so this snapshot holds at least as much.
        if (doc.ydoc.isDestroyed) throw error;
        log.warn({ doc: doc.name, err: error }, 'compaction: the worker did not encode; encoding on the event loop');
        snapshot = Y.encodeStateAsUpdate(doc.ydoc);
        by = 'main';
      }
      metrics.compactionEncodes.inc(by);
      // The fold (seconds of CPU for a 20k registry, nearly always finding nothing missing) at the lowest priority:
      // on busy cores it must not delay live updates (docs/sync-server.md, "Background work at low priority").
      const encodedMs = Math.round(performance.now() - started);
      const stored = await store.compact(
        doc.name,
        snapshot,
        throughSeq,
        (mine, older) =>
          core.background
            .fold(mine, older)
            .catch(() => answers.fold(doc.name, mine, older))
            .catch(() => foldMissing(mine, older)),
        held,
      );
      // What the store did: nothing said by a store that never folds (SQLite).
      const result: CompactResult | undefined = stored ? stored : undefined;
      noteCompacted(doc, held, throughSeq, result);
      // A registry's rows for first syncs, made from this snapshot in a worker of their own (registryRows.ts).
      rowsMaker.request(doc.name, snapshot);
      // The entries stored after `throughSeq` while the snapshot was made are still in the log.
      doc.logLength = Math.max(0, doc.logLength - folded);
      metrics.compactions.inc();
      core.stats.bytesStored = await store.bytesStored();
      log.info(
        {
          doc: doc.name,
          bytes: snapshot.byteLength,
          seq: throughSeq,
          by,
          ms: Math.round(performance.now() - started),
          encodedMs,
          folded: result?.folded ?? null,
          written: result?.written ?? null,
        },
        'log compacted',
      );
    })()
      .catch((error: unknown) => log.error({ doc: doc.name, err: error }, 'compaction failed; the log stays'))
      .finally(() => {
        doc.compacting = null;
        // Updates stored meanwhile may have made the log long again (a compaction asked meanwhile was skipped): folded
        // now rather than at the next update, which may never come.
        if (doc.logLength >= config.compactAfter && owns(doc) && !doc.ydoc.isDestroyed && !core.isShuttingDown())
          void enqueue(doc, () => compact(doc));
      });
    doc.compacting = job;
    if (untilStored) await job;
  }

  /**
   * What a compaction changed in what the document holds of the stored state (for a store that folds: PostgreSQL).
   * Written with nothing folded in: the stored snapshot is the document's own (all of it held) and the log entries it
   * replaced are gone. Written with something folded in: that snapshot may hold what the document lacks, so it is
   * not held (the next compaction reads and folds it). Not written (another node compacted): the stored snapshot is
   * someone else's. Log entries held when the snapshot was asked for that the compaction did not find in the log were
   * compacted away before (by another node): forgotten too. Only removing from `heldSeqs` and setting `heldSnapshot`
   * to a snapshot of the document's own: never more than the document holds. In the document's queue or in its
   * compaction (`doc.compacting`): nothing else changes these meanwhile but adding what was applied since.
   */
  function noteCompacted(doc: SharedDoc, held: HeldState, throughSeq: number, result: CompactResult | undefined): void {
    if (result === undefined) {
      // A store that never folds (SQLite, one node): the log up to `throughSeq` is gone; nothing to note but that.
      for (const seq of held.seqs) if (seq <= throughSeq) doc.heldSeqs.delete(seq);
      return;
    }
    const read = new Set(result.read);
    for (const seq of held.seqs) if (seq <= throughSeq && !read.has(seq)) doc.heldSeqs.delete(seq);
    if (result.written) {
      for (const seq of result.read) doc.heldSeqs.delete(seq);
      doc.heldSnapshot = result.folded === 0 && result.version !== undefined ? result.version : null;
    }
    if (result.folded === 0) metrics.compactionFolds.inc('skipped');
    else metrics.compactionFolds.inc('folded');
  }

  /** The document is this server's to speak for in its answer worker: loaded, or being unloaded (not yet replaced). */
  function owns(doc: SharedDoc): boolean {
    return docs.get(doc.name) === doc || unloading.get(doc.name)?.doc === doc;
  }

  /**
   * Asks for the document's whole state as of now. Inside the document's queue. A replicated document is encoded by
   * its worker; a big one not replicated yet is replicated from storage first (in the queue, storage holds what memory
   * holds); a small one (a few milliseconds of work) is encoded here at once.
   */
  async function requestSnapshot(
    doc: SharedDoc,
  ): Promise<{ readonly encoded: Promise<Uint8Array>; readonly by: 'worker' | 'main' }> {
    const here = () => ({ encoded: Promise.resolve(Y.encodeStateAsUpdate(doc.ydoc)), by: 'main' as const });
    if (!owns(doc)) return here(); // evicted: the worker's replica of this name may be another document's now
    if (!answers.isReplicated(doc.name)) {
      if (structCount(doc.ydoc) <= CHEAP_SNAPSHOT_STRUCTS) return here();
      const stored = await store.load(doc.name);
      if (!owns(doc)) return here();
      if (!answers.isReplicated(doc.name)) answers.load(doc.name, stored.updates);
    }
    // Pending structs and delete set (waiting for updates they depend on) are stored but emit no update: merged in,
    // so that the snapshot holds every update applied (compaction does not fold the held ones in again). Yjs keeps
    // them in its v2 encoding: written as v1 for the worker's merge (as `Y.encodeStateAsUpdate` does).
    const { pendingStructs, pendingDs } = doc.ydoc.store;
    const pending = [
      ...(pendingStructs === null ? [] : [Y.convertUpdateFormatV2ToV1(pendingStructs.update)]),
      ...(pendingDs === null ? [] : [Y.convertUpdateFormatV2ToV1(pendingDs)]),
    ];
    return { encoded: answers.snapshot(doc.name, pending), by: 'worker' };
  }

  function scheduleUnload(doc: SharedDoc): void {
    if (doc.idleTimer !== null) clearTimeout(doc.idleTimer);
    doc.idleTimer = setTimeout(() => {
      doc.idleTimer = null;
      if (doc.conns.size > 0 || docs.get(doc.name) !== doc || attaching.has(doc.name)) return;
      // A registry and its masked copy go together, once neither has a client.
      const partner = doc.partner;
      if (partner !== null && partner.conns.size > 0) return;
      for (const one of partner === null ? [doc] : [doc, partner]) unload(one);
    }, config.idleUnloadMs);
  }

  /**
   * Writes the document out (its snapshot encoded by its worker's replica) and drops it. Until that is done the
   * document is `unloading`: a client asking for it meanwhile waits, then loads it again from storage, so that no
   * two copies of one document share a replica in the answer worker.
   */
  function unload(doc: SharedDoc): void {
    if (doc.idleTimer !== null) clearTimeout(doc.idleTimer);
    doc.idleTimer = null;
    if (docs.get(doc.name) !== doc) return;
    docs.delete(doc.name);
    const done = enqueue(doc, async () => {
      await compact(doc, true);
      if (unloading.get(doc.name)?.doc === doc) answers.unload(doc.name);
      doc.awareness.destroy();
      doc.ydoc.destroy();
      metrics.unloads.inc();
      log.info({ doc: doc.name }, 'idle document unloaded');
    }).finally(() => {
      if (unloading.get(doc.name)?.doc === doc) unloading.delete(doc.name);
      maybeCollectGarbage();
    });
    unloading.set(doc.name, { doc, done });
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
    // A registry and its masked copy: the copy is derived from what the registry holds in memory, so both go.
    for (const one of doc.partner === null ? [doc] : [doc, doc.partner]) {
      if (docs.get(one.name) === one) {
        docs.delete(one.name);
        answers.unload(one.name);
      }
      for (const conn of [...one.conns]) core.closeConn(conn, CLOSE_CODES.STORAGE_ERROR, closeReason(error));
    }
  }

  /** Every unload under way has written its document out (shutdown waits for it before the worker and store close). */
  async function unloadsDone(): Promise<void> {
    await Promise.all([...unloading.values()].map((one) => one.done));
  }

  return { enqueue, acquire, compact, scheduleUnload, maybeCollectGarbage, evict, unloadsDone };
}

/** How many structs the document holds: what encoding it costs. */
function structCount(ydoc: Y.Doc): number {
  let count = 0;
  for (const structs of ydoc.store.clients.values()) count += structs.length;
  return count;
}

/** What clients are told when storage fails: PostgreSQL or Redis unreachable (storage/postgres.ts, relay.ts) say so. */
function closeReason(error: unknown): string {
  const reason = error instanceof Error ? (error as Error & { closeReason?: unknown }).closeReason : undefined;
  return typeof reason === 'string' ? reason : 'storage error';
}
