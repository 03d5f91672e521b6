/**
 * The audit archiver (docs/registry-model.md, "Where the audit lives"; docs/sync-server.md, "The audit archiver"):
 * every `auditArchiveEveryMs` each loaded registry's audit entries of closed years (before 1 January of last year,
 * shared/ydoc/auditArchive.ts) are moved into their yearly documents, `<community>/audit/<year>`, so that the
 * registry every device and every load carries holds about two years of entries, not all of them.
 *
 * A pass over one registry, in this order, so that no entry is ever only in memory:
 * 1. the entries to move are read from the registry (outside its queue: reading only);
 * 2. each year's archive is loaded and the entries it lacks (by id) are appended and **stored** (its queue);
 * 3. in the registry's queue, the entries the stored archives hold are deleted, the years noted in `auditArchive`,
 *    and that update stored and relayed (a server-origin transaction: the guard inspects clients' updates only);
 * 4. the same entries are deleted from the masked copy, if one is linked (masking.ts), and that stored and relayed,
 *    so that a load's reconciliation does not carry them back into the registry as a viewer's entries.
 * A pass stopped anywhere (a crash, storage failing) leaves entries in both places at worst; the next pass finds them
 * in the archive and deletes them. Readers merge by id (`mergeAuditEntries`), so a double never shows.
 *
 * One node at a time: with PostgreSQL the pass runs under the advisory lock compaction takes on the registry
 * (`cgw-compact:<name>`, storage/postgres.ts), held for the pass as a session lock: a node that cannot take it skips
 * (another is archiving or compacting that registry; the next tick tries again). SQLite is one node: the registry's
 * queue is enough.
 */
import * as Y from 'yjs';
import {
  appendToArchive,
  archivedIds,
  deleteArchived,
  entriesToArchive,
  noteArchivedYears,
} from '@shared/ydoc/auditArchive';
import { auditArchiveName, parseDocName } from '@shared/ydoc/docName';
import { maskText } from '@shared/ydoc/registryMasked';
import { errorText, type Core, type SharedDoc } from './core';
import { encodeUpdate } from './protocol';
import { SERVER_STAMP } from './storage/types';

/** Origin of the archiver's writes (never a client's: the guard does not inspect them). */
export const ARCHIVE_ORIGIN = { kind: 'server-archive' } as const;

/** What one pass over a registry did. */
export interface ArchivePass {
  readonly registry: string;
  /** Entries deleted from the registry, by year. */
  readonly moved: ReadonlyMap<number, number>;
  /** Entries newly appended to the archives. */
  readonly appended: number;
  readonly ms: number;
}

/** PostgreSQL's pool as storage/postgres.ts exposes it (`pool`), read by shape so SQLite needs nothing. */
export interface PoolLike {
  connect(): Promise<{
    query(text: string, values: unknown[]): Promise<{ rows: { locked?: unknown }[] }>;
    release(error?: boolean): void;
  }>;
}

function isPool(value: unknown): value is PoolLike {
  return value !== null && typeof value === 'object' && typeof (value as Partial<PoolLike>).connect === 'function';
}

function poolOf(...candidates: unknown[]): PoolLike | null {
  for (const candidate of candidates) {
    if (candidate === null || typeof candidate !== 'object' || !('pool' in candidate)) continue;
    if (isPool(candidate.pool)) return candidate.pool;
  }
  return null;
}

/**
 * Runs `task` holding compaction's advisory lock on the document `name` (PostgreSQL: `pool`), as a session lock for
 * the task's length, or at once without a pool (SQLite, one node); `null` without running it when another session
 * holds the lock (a node compacting or archiving that document).
 */
export async function underCompactionLock<T>(
  pool: PoolLike | null,
  name: string,
  task: () => Promise<T>,
): Promise<T | null> {
  if (pool === null) return task();
  const client = await pool.connect();
  let broken = false;
  try {
    const locked = (
      await client.query("SELECT pg_try_advisory_lock(hashtextextended('cgw-compact:' || $1, 0)) AS locked", [name])
    ).rows[0]?.locked;
    if (locked !== true) return null;
    try {
      return await task();
    } finally {
      await client
        .query("SELECT pg_advisory_unlock(hashtextextended('cgw-compact:' || $1, 0)) AS locked", [name])
        .catch(() => (broken = true));
    }
  } finally {
    client.release(broken);
  }
}

export function createAuditArchiver(core: Core): {
  archive(registry: SharedDoc, now?: Date): Promise<ArchivePass | null>;
  start(): () => void;
} {
  const { config, log, metrics, store } = core;
  const pool = poolOf(core.registry, store);
  let running = false;

  /** Runs `write` on a document and returns its updates (one per transaction). */
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
   * caller enqueues it). The updates were made on the document first (captured as Yjs emitted them), so once stored
   * the document holds the entry (`heldSeqs`: compaction need not fold it in again).
   */
  async function persist(doc: SharedDoc, updates: readonly Uint8Array[]): Promise<boolean> {
    if (updates.length === 0) return true;
    const update = updates.length === 1 && updates[0] !== undefined ? updates[0] : Y.mergeUpdates([...updates]);
    let seq: number;
    try {
      seq = await store.append(doc.name, update, SERVER_STAMP);
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

  async function pass(registry: SharedDoc, now: Date): Promise<ArchivePass | null> {
    const started = performance.now();
    const ref = parseDocName(registry.name);
    if (ref === null || ref.collection !== 'registry') return null;
    const byYear = entriesToArchive(registry.ydoc, now);
    if (byYear.size === 0) return null;
    // 2. Each year's entries stored in its archive first.
    const stored = new Set<string>();
    let appended = 0;
    for (const [year, entries] of byYear) {
      // Stopping: no document is loaded any more (close() writes out those loaded); the next start moves the rest.
      if (core.isShuttingDown()) return null;
      const archive = await core.acquire(auditArchiveName(ref.community, year));
      // Set inside the queue's task (a holder: the compiler does not follow the assignment into the callback).
      const done = { stored: false };
      await core.enqueue(archive, async () => {
        if (core.docs.get(archive.name) !== archive) return;
        let count = 0;
        const updates = capture(archive, () => (count = appendToArchive(archive.ydoc, entries, ARCHIVE_ORIGIN)));
        done.stored = await persist(archive, updates);
        if (done.stored) appended += count;
      });
      if (archive.conns.size === 0) core.scheduleUnload(archive);
      if (!done.stored) {
        log.warn({ doc: archive.name }, 'audit archive not stored; its entries stay in the registry');
        continue;
      }
      const held = archivedIds(archive.ydoc);
      for (const entry of entries) if (held.has(entry.id)) stored.add(entry.id);
    }
    if (stored.size === 0) return null;
    // 3. Deleted from the registry: only what a stored archive holds.
    const moved = new Map<number, number>();
    const deletion = { stored: false };
    await core.enqueue(registry, async () => {
      if (core.docs.get(registry.name) !== registry) return;
      const updates = capture(registry, () => {
        registry.ydoc.transact(() => {
          deleteArchived(registry.ydoc, stored, ARCHIVE_ORIGIN);
          noteArchivedYears(registry.ydoc, [...byYear.keys()], now.toISOString(), ARCHIVE_ORIGIN);
        }, ARCHIVE_ORIGIN);
      });
      deletion.stored = await persist(registry, updates);
    });
    if (!deletion.stored) return null;
    for (const [year, entries] of byYear) {
      moved.set(year, entries.filter((entry) => stored.has(entry.id)).length);
    }
    // 4. And from the masked copy for viewers.
    const masked = registry.partner;
    if (masked !== null) {
      await core.enqueue(masked, async () => {
        if (core.docs.get(masked.name) !== masked) return;
        // A copy written before ids were kept unmasked holds some masked (registryMasked.ts, `maskedEntry`).
        const ids = new Set([...stored, ...[...stored].map(maskText)]);
        const updates = capture(masked, () => deleteArchived(masked.ydoc, ids, ARCHIVE_ORIGIN));
        await persist(masked, updates);
      });
    }
    const result: ArchivePass = {
      registry: registry.name,
      moved,
      appended,
      ms: Math.round(performance.now() - started),
    };
    log.info(
      { doc: registry.name, moved: Object.fromEntries(moved), appended, ms: result.ms },
      'audit entries of closed years moved to their yearly documents',
    );
    return result;
  }

  async function archive(registry: SharedDoc, now = new Date()): Promise<ArchivePass | null> {
    try {
      return await underCompactionLock(pool, registry.name, () => pass(registry, now));
    } catch (error) {
      log.error({ doc: registry.name, err: errorText(error) }, 'audit archive pass failed; the entries stay');
      return null;
    }
  }

  /** Starts the periodic passes over the loaded registries; returns the stop function. */
  function start(): () => void {
    if (config.auditArchiveEveryMs <= 0) return () => undefined;
    const timer = setInterval(() => {
      if (running || core.isShuttingDown()) return;
      running = true;
      void (async () => {
        try {
          for (const doc of [...core.docs.values()]) {
            if (core.isShuttingDown()) break;
            if (doc.kind === 'registry') await archive(doc);
          }
        } finally {
          running = false;
        }
      })();
    }, config.auditArchiveEveryMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  return { archive, start };
}
