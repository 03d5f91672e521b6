/**
 * The registry's audit in a bounded home (docs/registry-model.md, "Where the audit lives"). Commands keep appending
 * their entries to the registry's `audit` (registry.ts), atomic with their write and offline. The sync server moves
 * the entries of closed years out: it copies them into the year's document, `<community>/audit/<year>` (name:
 * docName.ts `auditArchiveName`), stores that, then deletes them from the registry (and from its masked copy) in a
 * transaction of its own, and notes the year in the registry's `auditArchive` map so that devices know which years to
 * read on demand.
 *
 * | document                  | top-level name | Yjs type               | holds                                           |
 * | ------------------------- | -------------- | ---------------------- | ----------------------------------------------- |
 * | `<community>/audit/<year>` | `audit`        | `Y.Array<AuditEntry>`  | the registry's entries whose `at` is in `year`  |
 * | `<community>/registry`    | `auditArchive` | `Y.Map<year, string>`  | years archived, each with when it first was     |
 *
 * The archive's array has the registry's name (`audit`), so `readAudit`, the guard's append-only rule and every
 * reader of entries read it unchanged. An entry's year is its `at`'s (an ISO instant in UTC: its first four
 * characters). Entries are matched by `id`, so a pass is idempotent: an entry the archive holds already is not
 * appended again, and one late entry of an archived year (a laptop offline for months) is moved at the next pass.
 *
 * Clients never delete audit entries (the server's guard puts back any deletion of theirs, sync-server/guard.ts);
 * only the server's archiver does, and only entries the stored archive holds.
 */
import type * as Y from 'yjs';
import type { AuditEntry } from '../domain/registry/types';
import { AUDIT_ARRAY } from './registry';

/** The registry's map of archived years: year (as text) -> ISO time of the first pass that moved entries there. */
export const AUDIT_ARCHIVE_MAP = 'auditArchive';

/** The archive's array of entries (same name as the registry's). */
export function archiveArray(doc: Y.Doc): Y.Array<AuditEntry> {
  return doc.getArray<AuditEntry>(AUDIT_ARRAY);
}

/** The years whose entries a registry (or its masked copy) has had moved out, oldest first. */
export function archivedAuditYears(registry: Y.Doc): number[] {
  const years: number[] = [];
  for (const key of registry.getMap<unknown>(AUDIT_ARCHIVE_MAP).keys()) {
    const year = Number(key);
    if (Number.isInteger(year) && /^\d{4}$/.test(key)) years.push(year);
  }
  return years.sort((a, b) => a - b);
}

/** The year an entry belongs to (its `at`'s UTC year), or `null` for an entry without a readable time. */
export function auditYearOf(entry: unknown): number | null {
  if (entry === null || typeof entry !== 'object') return null;
  const at = (entry as { at?: unknown }).at;
  if (typeof at !== 'string' || !/^\d{4}-/.test(at)) return null;
  return Number(at.slice(0, 4));
}

function idOf(entry: unknown): string | null {
  if (entry === null || typeof entry !== 'object') return null;
  const id = (entry as { id?: unknown }).id;
  return typeof id === 'string' ? id : null;
}

/**
 * The first year kept in the registry at `now`: last year. Entries before 1 January of last year (UTC) are moved, so a
 * laptop offline for up to a year still lands its entries in the registry, and this year's and last year's history and
 * access log read without opening an archive.
 */
export function firstKeptYear(now: Date): number {
  return now.getUTCFullYear() - 1;
}

/**
 * The registry's entries to move at `now`, by year: those with an id and a year before `firstKeptYear`. Entries
 * without an id or a time stay (none of the app's; nothing could match them in an archive).
 */
export function entriesToArchive(registry: Y.Doc, now: Date): Map<number, AuditEntry[]> {
  const kept = firstKeptYear(now);
  const byYear = new Map<number, AuditEntry[]>();
  for (const entry of archiveArray(registry).toArray()) {
    const year = auditYearOf(entry);
    if (year === null || year >= kept || idOf(entry) === null) continue;
    let list = byYear.get(year);
    if (list === undefined) byYear.set(year, (list = []));
    list.push(entry);
  }
  return byYear;
}

/** The ids of the entries an archive (or any document with an `audit` array) holds. */
export function archivedIds(archive: Y.Doc): Set<string> {
  const ids = new Set<string>();
  for (const entry of archiveArray(archive).toArray()) {
    const id = idOf(entry);
    if (id !== null) ids.add(id);
  }
  return ids;
}

/** Write (the server's archiver only): appends the entries the archive lacks (by id); returns how many. */
export function appendToArchive(archive: Y.Doc, entries: readonly AuditEntry[], origin: unknown): number {
  const held = archivedIds(archive);
  const fresh: AuditEntry[] = [];
  for (const entry of entries) {
    const id = idOf(entry);
    if (id === null || held.has(id)) continue;
    held.add(id);
    fresh.push(entry);
  }
  if (fresh.length > 0) archive.transact(() => archiveArray(archive).push(fresh), origin);
  return fresh.length;
}

/**
 * Write (the server's archiver only): deletes from a document's `audit` the entries whose id is in `ids`, in one
 * transaction of `origin`, runs of neighbours in one delete each (old entries sit together at the array's start, so a
 * pass over years of entries is a handful of deletes). Returns how many entries were deleted.
 */
export function deleteArchived(doc: Y.Doc, ids: ReadonlySet<string>, origin: unknown): number {
  const array = archiveArray(doc);
  const runs: { index: number; length: number }[] = [];
  let index = 0;
  for (const entry of array.toArray()) {
    const id = idOf(entry);
    if (id !== null && ids.has(id)) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last.index + last.length === index) last.length++;
      else runs.push({ index, length: 1 });
    }
    index++;
  }
  if (runs.length === 0) return 0;
  let deleted = 0;
  doc.transact(() => {
    // From the end, so that earlier indexes stay valid.
    for (const run of runs.reverse()) {
      array.delete(run.index, run.length);
      deleted += run.length;
    }
  }, origin);
  return deleted;
}

/** Write (the server's archiver only): notes archived years in the registry (a year noted once keeps its time). */
export function noteArchivedYears(registry: Y.Doc, years: readonly number[], at: string, origin: unknown): void {
  const map = registry.getMap<unknown>(AUDIT_ARCHIVE_MAP);
  const fresh = years.filter((year) => !map.has(String(year)));
  if (fresh.length === 0) return;
  registry.transact(() => {
    for (const year of fresh) map.set(String(year), at);
  }, origin);
}

/**
 * Entries of several documents (the registry's and archives') as one list without doubles: an entry the archive and
 * the registry both hold for a moment (a device that has not yet received the server's deletion) is listed once.
 */
export function mergeAuditEntries(...lists: readonly (readonly AuditEntry[])[]): AuditEntry[] {
  const seen = new Set<string>();
  const merged: AuditEntry[] = [];
  for (const list of lists) {
    for (const entry of list) {
      const id = idOf(entry);
      if (id !== null) {
        if (seen.has(id)) continue;
        seen.add(id);
      }
      merged.push(entry);
    }
  }
  return merged;
}
