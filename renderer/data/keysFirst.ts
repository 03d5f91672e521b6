/**
 * Search before everyone's rows are read (docs/registry-model.md, "Search keys read first"). Reading a registry's
 * resident buckets takes seconds at 100,000 residents (75 MB read, opened and parsed); their search keys and list
 * cards, kept per bucket in `residentKeys`, are about a quarter of that. The store reads the keys first and indexes
 * them; until the rows are all in memory the residents list answers from them alone (`list`), and any other search
 * reads only the buckets of the residents it lists (`search`). The answers are the ones the full index gives: the same
 * keys, in the same order (bucket by bucket).
 *
 * A projection written before its keys were kept (no `keysFormat` in its state row), or with keys of another format,
 * is read from its buckets as before, and gets its keys written once everyone has been read (`writeMissingKeys`).
 */
import {
  matchPrepared,
  prepareQuery,
  type ResidentMatch,
  type ResidentSearchKeys,
} from '@shared/domain/registry/search';
import { ResidentSearchIndex } from '@shared/domain/registry/searchIndex';
import type { ProjectionStateRow, ResidentRow, WorkstationDb } from './db';
import {
  bucketOf,
  insertListed,
  KEYS_COMPLETE,
  keyRowsJson,
  openResidentBuckets,
  readResidentKeys,
  listRowOf,
  RESIDENT_BUCKETS,
  RESIDENT_KEYS_FORMAT,
  sameState,
  type ResidentKeyRow,
  type ResidentListRow,
} from './projectionRows';
import type { ResidentFilter, ResidentHit, ResidentListHit } from './storeParts';

/**
 * At most this many buckets are read for one answer from the keys (a sixteenth of their bytes each, with 64): an
 * ID tail's few residents. A query whose first page spreads wider (a surname: everyone's buckets) waits for the rows,
 * which are on their way anyway.
 */
export const KEY_SEARCH_MAX_BUCKETS = 16;

/** Whether a row passes a list filter (the same test on a full row and on a key row). */
export function passes(row: ResidentKeyRow, filter: ResidentFilter): boolean {
  if (!filter.includeDeleted && row.deleted) return false;
  if (filter.buildingId && row.buildingId !== filter.buildingId) return false;
  if (filter.compoundId && row.compoundId !== filter.compoundId) return false;
  if (filter.tag && !row.tags.includes(filter.tag)) return false;
  return true;
}

/**
 * The rows a search lists and how many match, from any index of rows or key rows: with a query, the index's matches
 * in its order; with none, everyone in list order (the first `limit` by address).
 */
export function listMatches<Row extends ResidentKeyRow>(
  index: ResidentSearchIndex<Row>,
  rows: Iterable<Row>,
  query: string,
  filter: ResidentFilter,
  limit: number,
): { listed: Row[]; total: number } {
  const prepared = prepareQuery(query);
  const byAddress = prepared.q === '';
  const listed: Row[] = [];
  let total = 0;
  for (const row of byAddress ? rows : index.matches(prepared)) {
    if (!passes(row, filter)) continue;
    total += 1;
    if (byAddress) insertListed(listed, row, (r) => r, limit);
    else if (listed.length < limit) listed.push(row);
  }
  return { listed, total };
}

/**
 * How a listed row matched `query` (what the list highlights), prepared once for a page: `null` for every row when
 * nothing is typed (everyone in address order). One rule for answers from the keys and from everyone's rows.
 */
export function matchOf(query: string): (keys: ResidentSearchKeys) => ResidentMatch | null {
  const prepared = prepareQuery(query);
  return prepared.q === '' ? () => null : (keys) => matchPrepared(keys, prepared);
}

/** The key index of one registry while its rows are read, and the reads of buckets that answers from it made. */
interface KeysOfDoc {
  readonly index: ResidentSearchIndex<ResidentListRow>;
  /** Bucket reads for answers in progress: the read of everyone waits for them (see `settled`). */
  readonly reads: Set<Promise<unknown>>;
}

export class KeysFirst {
  private readonly docs = new Map<string, KeysOfDoc>();

  constructor(private readonly db: WorkstationDb) {}

  /**
   * Reads and indexes a registry's search keys; `null` when its projection has none complete (read the buckets). The
   * index answers `search` until `drop`.
   */
  async read(docName: string): Promise<ResidentSearchIndex<ResidentListRow> | null> {
    const keys = await readResidentKeys(this.db, docName);
    if (keys === null) return null;
    const index = new ResidentSearchIndex(keys, { deferred: true });
    this.docs.set(docName, { index, reads: new Set() });
    return index;
  }

  /** The key index of a registry, while it answers. */
  indexOf(docName: string): ResidentSearchIndex<ResidentListRow> | undefined {
    return this.docs.get(docName)?.index;
  }

  /**
   * Waits for the bucket reads of answers given from the keys. The read of everyone comes after them: measured at
   * 100,000 residents, a search's few buckets read while everyone's were read in groups, opened and parsed on the
   * same thread took 1.7 s to answer instead of 0.6 s (docs/bench-scale.md, "Search keys read first").
   */
  async settled(docName: string): Promise<void> {
    const reads = this.docs.get(docName)?.reads;
    if (reads) await Promise.allSettled([...reads]);
  }

  /** Everyone's rows are in memory: the keys answer no more. */
  drop(docName: string): void {
    this.docs.delete(docName);
  }

  /** A changed row (a flush while the rows are read) changes its keys and card too. */
  set(docName: string, row: ResidentRow): void {
    this.docs.get(docName)?.index.set(listRowOf(row));
  }

  delete(docName: string, id: string): void {
    this.docs.get(docName)?.index.delete(id);
  }

  /**
   * The residents list answered from the keys alone: the matching rows in list order, as the list shows them (keys
   * and card), reading no bucket. `null` when the keys are not there (any more).
   */
  list(
    docName: string,
    query: string,
    filter: ResidentFilter,
    limit: number,
  ): { hits: ResidentListHit[]; total: number } | null {
    const held = this.docs.get(docName);
    if (!held) return null;
    const { listed, total } = listMatches(held.index, held.index.values(), query, filter, limit);
    const match = matchOf(query);
    return { hits: listed.map((row) => ({ row, match: match(row.keys) })), total };
  }

  /**
   * A search answered from the keys: the matching key rows, and the full rows of those listed read from their
   * buckets. `null` when the keys are not there (any more), or the listed rows lie in more than
   * `KEY_SEARCH_MAX_BUCKETS` buckets: the caller waits for everyone's rows.
   */
  async search(
    docName: string,
    query: string,
    filter: ResidentFilter,
    limit: number,
  ): Promise<{ hits: ResidentHit[]; total: number } | null> {
    const held = this.docs.get(docName);
    if (!held) return null;
    const { listed, total } = listMatches(held.index, held.index.values(), query, filter, limit);
    const buckets = [...new Set(listed.map((row) => bucketOf(row.id)))].sort((a, b) => a - b);
    if (buckets.length > KEY_SEARCH_MAX_BUCKETS) return null;
    const read = this.db.residentBuckets
      .bulkGet(buckets.map((bucket): [string, number] => [docName, bucket]))
      .then((stored) => openResidentBuckets(this.db, stored));
    held.reads.add(read);
    const opened = await read.finally(() => held.reads.delete(read));
    const rows = new Map<string, ResidentRow>();
    for (const bucketRows of opened) for (const row of bucketRows) rows.set(row.id, row);
    const match = matchOf(query);
    const hits: ResidentHit[] = [];
    let missing = 0;
    for (const keyRow of listed) {
      const row = rows.get(keyRow.id);
      // Rewritten meanwhile without it (removed for good): not listed, and not counted.
      if (row === undefined) missing += 1;
      else hits.push({ row, match: match(row.keys) });
    }
    return { hits, total: total - missing };
  }

  /**
   * Writes the search keys of a projection read before they were kept (or kept in an older format), from everyone's
   * rows as read with `state`:
   * sealed first, then written in one transaction with the state row's `keysFormat`, only if the projection is still
   * the one read (a flush meanwhile rewrote some buckets: the next read tries again). Killed half-way, nothing is
   * marked and the keys written are simply written again.
   */
  async writeMissingKeys(docName: string, state: ProjectionStateRow, rows: readonly ResidentRow[]): Promise<boolean> {
    if (state.partial || state.keysFormat === RESIDENT_KEYS_FORMAT) return false;
    const byBucket: ResidentRow[][] = Array.from({ length: RESIDENT_BUCKETS }, () => []);
    for (const row of rows) byBucket[bucketOf(row.id)]?.push(row);
    const sealed = await Promise.all(
      byBucket.map((bucketRows, bucket) => this.db.rows.residentKeys(docName, bucket, keyRowsJson(bucketRows))),
    );
    return this.db.transaction('rw', this.db.residentKeys, this.db.projections, async () => {
      const now = await this.db.projections.get(docName);
      if (!sameState(now, state) || now === undefined || now.keysFormat === RESIDENT_KEYS_FORMAT) return false;
      await this.db.residentKeys.bulkPut(sealed);
      await this.db.projections.put({ ...now, ...KEYS_COMPLETE });
      return true;
    });
  }
}
