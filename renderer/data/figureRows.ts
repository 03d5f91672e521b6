/**
 * The dashboard's figure rows on this device (docs/dashboard-model.md, "figure rows"): for each yearly document of
 * grid events, services and tasks, its records as timelines (shared/domain/dashboard/rows.ts), and for each registry
 * the community's calendar layers and place; so the dashboard reads compact rows instead of opening hundreds of Yjs
 * documents and folding every history.
 *
 * Kept in step with the documents, never trusted blindly:
 * - A document open on this device (a screen or the sync opened it) is the truth: its rows are made from it, again
 *   after every change (local or by sync), and every change is told to the listeners (the dashboard reads again).
 * - On disk the rows sit beside the document, sealed with the community's key like the document itself
 *   (`recordBuckets`, collection `figure-rows`, under the document's stored name, a registry's with `#calendar`:
 *   docs/security.md), with the seqs of the document's update rows they were made from. They are used only while
 *   those seqs are exactly the document's on disk (and the app's version and their format the current ones); any
 *   other write, a compaction included, makes them stale, and the document is opened and the rows made again.
 * - The grid events' rows hold nothing of the office's time limits (shared/domain/dashboard/rows.ts): the limit
 *   versions are kept in the registry's row beside its calendar layers, made again with it whenever the registry
 *   changes (a version set here or synced), and applied when the rows are read (`limits`).
 * - Rows are written a moment after the last change, once every update of the document before them is on disk; a
 *   change meanwhile cancels the write (the next one writes).
 */
import * as Y from 'yjs';
import {
  calendarFor,
  layersFor,
  type CalendarLayer,
  type CalendarPlace,
  type WorkingCalendar,
} from '@shared/domain/calendar';
import { communityPlace } from '@shared/domain/calendar/commands';
import {
  FIGURE_COLLECTIONS,
  figureRowsOf,
  FIGURE_ROWS_FORMAT,
  usableRows,
  type FigureCollection,
  type FigureRows,
} from '@shared/domain/dashboard/rows';
import { pack, unpack, type Packed } from '@shared/domain/dashboard/pack';
import {
  activityRowsOf,
  emptyRegistryFigureRows,
  registryFigureRowsOf,
  REGISTRY_FIGURE_ROWS_FORMAT,
  usableActivityRows,
  type ActivityRows,
  type RegistryFigureRows,
} from '@shared/domain/dashboard/activityRows';
import { DEFAULT_LIMITS, scheduleOf, type IncidentLimits, type LimitsVersion } from '@shared/domain/incidents/limits';
import { readLimitVersions } from '@shared/domain/incidents/officeLimits';
import { readCalendarLayers } from '@shared/ydoc/calendarLayers';
import { docName, parseDocName, type CommunityId, type DocRef } from '@shared/ydoc/docName';
import type { RecordBucketRow } from './db';
import { changedDoc, yieldToBrowser } from './docs';
import type { WorkstationStore } from './store';

/** The `recordBuckets` collection the rows are kept under (one row per document, bucket 0). */
export const FIGURE_ROWS_COLLECTION = 'figure-rows';
/** Milliseconds after a document's last change before its rows are written. */
export const PERSIST_AFTER_MS = 1000;

/** A community's calendar as its registry says: its place and the calendar layers kept there. */
export interface CalendarRows {
  readonly format: number;
  readonly place: CalendarPlace;
  readonly layers: readonly CalendarLayer[];
  /**
   * The office's own grid-event limit versions as stored in the registry (`readLimitVersions`: every well-formed
   * version, in key order); none for an office that set none. Rows of format 3 and later hold them.
   */
  readonly limits: readonly LimitsVersion[];
  /**
   * What the dashboard counts of the registry's party members, units, posts, venues, projects and fund entries
   * (shared/domain/dashboard/activityRows.ts); rows written before it existed lack it and are made again.
   */
  readonly figures?: RegistryFigureRows;
}

type Rows = FigureRows | CalendarRows | ActivityRows;
/** What a watched document keeps rows of. */
type Kept = FigureCollection | 'registry' | 'activities';

/** A row as stored: the seqs of the update rows it was made from, and the rows in their compact form (pack.ts). */
interface Stored {
  readonly seqs: readonly number[];
  /** The app's version that made them: the fold may change with it, so another version's rows are made again. */
  readonly build: string;
  readonly packed: Packed;
}

declare const __APP_VERSION__: string;
const BUILD = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';

/** A community's figures as stored (`FigureRowsKeeper.keepPart`). */
interface StoredPart {
  readonly stamp: string;
  readonly part: unknown;
}

/**
 * The row key of a community's figures of a period (`FigureRowsKeeper.part`): under its registry's stored name, so
 * that the community's key seals it and removing the community removes it.
 */
export function partKey(registryStored: string, code: string): string {
  return `${registryStored}${PART_MARK}${code}`;
}

const PART_MARK = '#part:';

interface Watched {
  readonly name: string;
  readonly stored: string;
  /** The `docName` its rows are kept under (see `rowsKeyOf`). */
  readonly rowsKey: string;
  readonly doc: Y.Doc;
  readonly collection: Kept;
  rows: Rows | null;
  /** Changes seen since the document was opened. */
  changes: number;
  timer: ReturnType<typeof setTimeout> | null;
  writing: Promise<void>;
}

const keepers = new WeakMap<WorkstationStore, FigureRowsKeeper>();

/** The store's keeper of figure rows, started on first use (the store starts it as it opens). */
export function figureRows(store: WorkstationStore): FigureRowsKeeper {
  let keeper = keepers.get(store);
  if (keeper === undefined) keepers.set(store, (keeper = new FigureRowsKeeper(store)));
  return keeper;
}

const calendars = new Map<string, WorkingCalendar>();

/**
 * The calendar of the rows. The same layers give the same object, found before it is resolved (resolving copies the
 * national seed's days: a street's 82 communities on one calendar resolve it once) and with its working-day index
 * built once.
 */
export function calendarOfRows(rows: CalendarRows): WorkingCalendar {
  const key = JSON.stringify(layersFor(rows.layers, rows.place));
  const known = calendars.get(key);
  if (known !== undefined) return known;
  const resolved = calendarFor(rows.place, rows.layers);
  if (calendars.size > 256) calendars.clear();
  calendars.set(key, resolved);
  return resolved;
}

const limitsByRows = new WeakMap<CalendarRows, IncidentLimits>();

/**
 * The grid-event limits of the rows' community: its office's versions (`scheduleOf`, as `officeLimits` reads them
 * from the registry itself), the defaults while it set none. The same rows give the same object, so what the
 * dashboard computed with them is kept by their identity.
 */
export function limitsOfRows(rows: CalendarRows): IncidentLimits {
  let limits = limitsByRows.get(rows);
  if (limits === undefined) {
    limits = rows.limits.length === 0 ? DEFAULT_LIMITS : scheduleOf(rows.limits);
    limitsByRows.set(rows, limits);
  }
  return limits;
}

/** The seqs of update rows (always set on stored rows: LocalDocs gives them). */
function seqsOf(keys: readonly (number | undefined)[]): number[] {
  return keys.filter((seq): seq is number => seq !== undefined).sort((a, b) => a - b);
}

/**
 * The `docName` a document's rows are kept under in `recordBuckets`: a yearly document's own stored name (nothing else
 * keeps rows there), a registry's name with `#calendar` (the registry's projection reads every bucket of its own name).
 * Either starts with the community, so its key seals them and removing the community removes them.
 */
function rowsKeyOf(stored: string, registry: boolean): string {
  return registry ? `${stored}#calendar` : stored;
}

function sameSeqs(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((seq, i) => seq === b[i]);
}

interface DiskRead {
  /** The stored row; not read (undefined) when its seqs are those the caller already holds rows of (`known`). */
  readonly row: RecordBucketRow | undefined;
  readonly seqs: readonly number[];
  /** The update rows on disk are exactly `known`: the rows the caller holds are current, the row was not read. */
  readonly known: boolean;
}

interface PendingRead {
  readonly stored: string;
  /** The row to read beside the document's update seqs; null for the seqs alone. */
  readonly rowsKey: string | null;
  /** The seqs of the rows already held in memory for this document, if any. */
  readonly known: readonly number[] | undefined;
  readonly resolve: (read: DiskRead) => void;
  readonly reject: (error: unknown) => void;
}

/** Rows read from disk kept in memory (`FigureRowsKeeper.held`): more documents than this and they are all let go. */
const HELD_MAX = 4096;

export class FigureRowsKeeper {
  private readonly watched = new Map<string, Watched>();
  /**
   * Rows read from disk, unpacked, with the seqs of the update rows they were made from (docs/dashboard-model.md,
   * "figure rows": drawn again). Used only while those seqs are exactly the document's update rows on disk, checked
   * on every read (keys only: the sealed row is neither read nor decrypted then); any other write makes them stale as
   * it makes the stored row stale. The same object is given back while they are current, so what the dashboard
   * computed from them can be kept by their identity (renderer/features/overview/data.ts).
   */
  private readonly held = new Map<string, { readonly seqs: readonly number[]; readonly rows: Rows }>();
  private pendingReads: PendingRead[] | null = null;
  private readonly listeners = new Set<(name: string) => void>();
  /**
   * Documents changed in memory since this keeper started (a local edit, an update by sync): their state may be ahead
   * of their update rows on disk, so what was computed from them is not kept on disk nor read back from it (`part`).
   */
  private readonly touched = new Set<string>();
  /** Parts read from disk, by their row's key, with the stamp they were found current against (`part`). */
  private readonly heldParts = new Map<string, { readonly stamp: string; readonly part: unknown }>();

  constructor(private readonly store: WorkstationStore) {
    for (const collection of [...FIGURE_COLLECTIONS, 'registry', 'registry-masked', 'activities'] as const) {
      store.onDocOpen(collection, (doc, ref) => this.watch(doc, ref));
    }
    // The mediation cases have no rows (they are kept as they stand): their changes are only told.
    store.onDocOpen('cases', (doc, ref) => {
      const name = docName(ref);
      doc.on('afterTransaction', (transaction: Y.Transaction) => {
        if (!changedDoc(transaction)) return;
        this.touched.add(name);
        for (const listener of this.listeners) listener(name);
      });
    });
  }

  /**
   * Whether a document is empty without opening it: nothing of it on disk and not open on this device. Once opened
   * (the sync brings it), its changes are told to the listeners.
   */
  async isEmpty(name: string): Promise<boolean> {
    const stored = this.store.storedName(name);
    if (this.store.docs.isOpen(stored)) return false;
    const { seqs } = await this.diskRead(stored, null, undefined);
    return seqs.length === 0 && !this.store.docs.isOpen(stored);
  }

  /** Told the (logical) name of a document whose rows changed; returns the unsubscribe. */
  onChange(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The figure rows of a yearly document (`docName(...)` of incidents, services or tasks) as it stands. */
  async rows(name: string): Promise<FigureRows> {
    const collection = parseDocName(name)?.collection;
    if (collection !== 'incidents' && collection !== 'services' && collection !== 'tasks') {
      throw new Error(`no figure rows for ${name}`);
    }
    const rows = await this.read(name, this.store.storedName(name), collection);
    return rows as FigureRows;
  }

  /** A community's working-day calendar, from its registry's calendar rows (the registry opened only when stale). */
  async calendar(community: CommunityId): Promise<WorkingCalendar> {
    const stored = this.store.registryName(community);
    const name = docName({ community, collection: 'registry' });
    return calendarOfRows((await this.read(stored === name ? name : stored, stored, 'registry')) as CalendarRows);
  }

  /**
   * A community's own grid-event time limits (docs/incidents-model.md, "an office's own limits"), from its registry's
   * rows (the registry opened only when stale: a version set on this device or synced changes the registry, so its
   * rows are made again before they are used).
   */
  async limits(community: CommunityId): Promise<IncidentLimits> {
    const stored = this.store.registryName(community);
    const name = docName({ community, collection: 'registry' });
    return limitsOfRows((await this.read(stored === name ? name : stored, stored, 'registry')) as CalendarRows);
  }

  /**
   * The party-building and resources rows of a yearly activities document (`docName(...)` of `activities`) as it
   * stands (docs/dashboard-model.md, "party building and resources").
   */
  async activityRows(name: string): Promise<ActivityRows> {
    if (parseDocName(name)?.collection !== 'activities') throw new Error(`no activity rows for ${name}`);
    return (await this.read(name, this.store.storedName(name), 'activities')) as ActivityRows;
  }

  /** What the dashboard counts of a community's registry (party members, units, posts, venues, projects, funds). */
  async registryFigures(community: CommunityId): Promise<RegistryFigureRows> {
    const stored = this.store.registryName(community);
    const name = docName({ community, collection: 'registry' });
    const rows = (await this.read(stored === name ? name : stored, stored, 'registry')) as CalendarRows;
    return rows.figures ?? emptyRegistryFigureRows();
  }

  /**
   * What a community's figures of a period were computed from (docs/dashboard-model.md, "per-community figures"):
   * the app's version and each document's update rows on disk, by their stored names; null while one of them has
   * changed in memory on this device (its rows on disk may be behind it). `names` are the documents' names as the
   * dashboard reads them (a registry by `store.registryName`).
   */
  async stamp(names: readonly string[]): Promise<string | null> {
    if (names.some((name) => this.touched.has(name))) return null;
    const stored = names.map((name) => this.storedOf(name));
    const reads = await Promise.all(stored.map((s) => this.diskRead(s, null, undefined)));
    if (names.some((name) => this.touched.has(name))) return null;
    return JSON.stringify([BUILD, stored.map((s, i) => [s, reads[i]?.seqs ?? []])]);
  }

  /**
   * A community's figures kept on disk under `key` (see `partKey`), when they were made from exactly the documents as
   * they are now (`stamp`); else null. Sealed with the community's key like its rows; held in memory once read, and
   * given again without decrypting while the stamp is the same.
   */
  async part(key: string, names: readonly string[]): Promise<{ stamp: string | null; part: unknown }> {
    const [stamp, read] = await Promise.all([
      this.stamp(names),
      this.diskRead(this.storedOf(names[0] ?? key), key, undefined),
    ]);
    if (stamp === null) return { stamp, part: null };
    const held = this.heldParts.get(key);
    if (held !== undefined && held.stamp === stamp) return { stamp, part: held.part };
    if (read.row === undefined) return { stamp, part: null };
    let kept: StoredPart;
    try {
      kept = JSON.parse(await this.store.db.rows.openRecordBucket(read.row)) as StoredPart;
    } catch (error) {
      // A row that does not open (damaged, or sealed with a key this device no longer holds) is only a lost head
      // start: the figures are computed from the documents and kept again.
      console.warn('kept figures not readable', key, error);
      return { stamp, part: null };
    }
    if (kept.stamp !== stamp) return { stamp, part: null };
    if (this.heldParts.size >= HELD_MAX) this.heldParts.clear();
    this.heldParts.set(key, { stamp, part: kept.part });
    return { stamp, part: kept.part };
  }

  /**
   * Keeps a community's figures under `key`, made from the documents as they stood at `stamp` (read before they were
   * read): written only if nothing was written or changed since (the stamp is read again), so a part on disk is
   * always the one its documents give.
   */
  async keepPart(key: string, names: readonly string[], stamp: string, part: unknown): Promise<boolean> {
    const db = this.store.db;
    if ((await this.stamp(names)) !== stamp || !db.isOpen()) return false;
    const sealed = await db.rows.recordBucket(key, FIGURE_ROWS_COLLECTION, 0, JSON.stringify({ stamp, part }));
    if ((await this.stamp(names)) !== stamp || !db.isOpen()) return false;
    await db.recordBuckets.put(sealed);
    if (this.heldParts.size >= HELD_MAX) this.heldParts.clear();
    this.heldParts.set(key, { stamp, part });
    return true;
  }

  /**
   * The communities (id and name, as the communities list has them) with figures of a period kept on disk, by the
   * period's code (`partKey`): what the dashboard drew lately, for its preparation ahead of a new day. Keys only:
   * nothing is read or decrypted.
   */
  async keptPeriods(): Promise<Map<string, [string, string][]>> {
    const db = this.store.db;
    const [keys, communities] = await Promise.all([
      db.recordBuckets.toCollection().primaryKeys(),
      db.communities.toArray(),
    ]);
    const names = new Map(communities.map((c) => [c.id, c.name]));
    const drawn = new Map<string, Map<string, string>>();
    for (const key of keys) {
      const name = Array.isArray(key) ? key[0] : undefined;
      if (typeof name !== 'string') continue;
      const at = name.indexOf(PART_MARK);
      const community = at < 0 ? undefined : parseDocName(name.slice(0, at))?.community;
      const communityName = community === undefined ? undefined : names.get(community);
      if (community === undefined || communityName === undefined) continue;
      const code = name.slice(at + PART_MARK.length);
      const held = drawn.get(code) ?? new Map<string, string>();
      held.set(community, communityName);
      drawn.set(code, held);
    }
    return new Map([...drawn].map(([code, held]) => [code, [...held]]));
  }

  /** The stored name of a document as the dashboard names it (a registry is named by its stored name already). */
  private storedOf(name: string): string {
    const collection = parseDocName(name)?.collection;
    return collection === 'registry' || collection === 'registry-masked' ? name : this.store.storedName(name);
  }

  /** Writes every pending row now (before the store closes). */
  async flush(): Promise<void> {
    for (const w of this.watched.values()) {
      if (w.timer !== null) {
        clearTimeout(w.timer);
        w.timer = null;
        w.writing = w.writing.then(() => this.persist(w));
      }
    }
    await Promise.all([...this.watched.values()].map((w) => w.writing));
  }

  private async read(name: string, stored: string, collection: Kept): Promise<Rows> {
    const open = this.watched.get(name);
    if (open !== undefined) return this.current(open);
    const db = this.store.db;
    const rowsKey = rowsKeyOf(stored, collection === 'registry');
    const held = this.held.get(rowsKey);
    const { row, seqs, known } = await this.diskRead(stored, rowsKey, held?.seqs);
    const later = this.watched.get(name);
    if (later !== undefined) return this.current(later);
    // The rows held are those of exactly these update rows (an open document is watched, and answered above).
    if (known && held !== undefined && sameSeqs(held.seqs, seqs) && !this.store.docs.isOpen(stored)) {
      return held.rows;
    }
    if (row !== undefined) {
      const kept = JSON.parse(await db.rows.openRecordBucket(row)) as Stored;
      if (sameSeqs(kept.seqs, seqs) && kept.build === BUILD) {
        const rows = unpack(kept.packed) as Rows;
        if (this.usable(rows, collection)) return this.hold(rowsKey, seqs, rows);
      }
    }
    // Nothing on disk and not open: the document is empty (opened later, its changes are told).
    if (row === undefined && seqs.length === 0 && !this.store.docs.isOpen(stored)) {
      return this.hold(rowsKey, seqs, this.make(collection, new Y.Doc(), name));
    }
    // Stale, missing or of another format: read from the document (opening it watches it).
    const doc = await this.store.document(name);
    const watched = this.watched.get(name) ?? this.watch(doc, parseDocName(name));
    return this.current(watched);
  }

  private hold(rowsKey: string, seqs: readonly number[], rows: Rows): Rows {
    if (this.held.size >= HELD_MAX) this.held.clear();
    this.held.set(rowsKey, { seqs, rows });
    return rows;
  }

  /**
   * The stored rows of a document and the seqs of its update rows, read together (one view of the disk). Asked in
   * the same moment (a street's 82 communities: hundreds of documents), the reads share one transaction: IndexedDB's
   * cost is per request and per transaction far more than per byte. A document whose update rows are exactly `known`
   * (the rows held in memory) has its row left unread.
   */
  private diskRead(stored: string, rowsKey: string | null, known: readonly number[] | undefined): Promise<DiskRead> {
    return new Promise((resolve, reject) => {
      if (this.pendingReads === null) {
        this.pendingReads = [];
        setTimeout(() => void this.readBatch(), 0);
      }
      this.pendingReads.push({ stored, rowsKey, known, resolve, reject });
    });
  }

  private async readBatch(): Promise<void> {
    const batch = this.pendingReads ?? [];
    this.pendingReads = null;
    const db = this.store.db;
    try {
      const reads = await db.transaction('r', db.recordBuckets, db.docUpdates, async () => {
        // One request per document, all at once (IndexedDB's getAllKeys on the `docName` index): a cursor over them
        // all would wait for a round trip per update row.
        const names = [...new Set(batch.map((b) => b.stored))];
        const keys = await Promise.all(names.map((name) => db.docUpdates.where('docName').equals(name).primaryKeys()));
        const byDoc = new Map(names.map((name, i) => [name, keys[i] ?? []]));
        const seqs = batch.map((b) => seqsOf(byDoc.get(b.stored) ?? []));
        const known = batch.map((b, i) => b.known !== undefined && sameSeqs(b.known, seqs[i] ?? []));
        // Only the rows not held already are read (and then decrypted): the big values of the store.
        const unread = batch.filter((b, i) => !known[i] && b.rowsKey !== null);
        const found = await db.recordBuckets.bulkGet(
          unread.map((b) => [b.rowsKey as string, FIGURE_ROWS_COLLECTION, 0] as [string, string, number]),
        );
        const rowOf = new Map(unread.map((b, i) => [b, found[i]]));
        return batch.map((b, i): DiskRead => ({ row: rowOf.get(b), seqs: seqs[i] ?? [], known: known[i] ?? false }));
      });
      batch.forEach((b, i) => b.resolve(reads[i] as DiskRead));
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }

  private usable(rows: Rows, collection: Kept): boolean {
    if (collection === 'activities') return usableActivityRows(rows);
    if (collection === 'registry') {
      return (
        rows.format === FIGURE_ROWS_FORMAT &&
        'place' in rows &&
        Array.isArray(rows.limits) &&
        rows.figures?.format === REGISTRY_FIGURE_ROWS_FORMAT
      );
    }
    return 'timelines' in rows && usableRows(rows, collection);
  }

  private current(w: Watched): Rows {
    w.rows ??= this.make(w.collection, w.doc, w.name);
    return w.rows;
  }

  private make(collection: Kept, doc: Y.Doc, name: string): Rows {
    if (collection === 'activities') return activityRowsOf(doc);
    if (collection !== 'registry') return figureRowsOf(collection, doc);
    const community = parseDocName(name)?.community ?? '';
    return {
      format: FIGURE_ROWS_FORMAT,
      place: communityPlace(doc, community),
      layers: readCalendarLayers(doc),
      limits: readLimitVersions(doc),
      figures: registryFigureRowsOf(doc),
    };
  }

  private watch(doc: Y.Doc, ref: DocRef | null): Watched {
    if (ref === null) throw new Error('not a document of a community');
    const name = docName(ref);
    const known = this.watched.get(name);
    if (known !== undefined && known.doc === doc) return known;
    const collection =
      ref.collection === 'registry' || ref.collection === 'registry-masked' ? 'registry' : ref.collection;
    if (
      collection !== 'registry' &&
      collection !== 'activities' &&
      !(FIGURE_COLLECTIONS as readonly string[]).includes(collection)
    ) {
      throw new Error(`no figure rows for ${name}`);
    }
    const w: Watched = {
      name,
      stored: collection === 'registry' ? name : this.store.storedName(name),
      rowsKey: rowsKeyOf(collection === 'registry' ? name : this.store.storedName(name), collection === 'registry'),
      doc,
      collection: collection as Kept,
      rows: null,
      changes: 0,
      timer: null,
      writing: Promise.resolve(),
    };
    this.watched.set(name, w);
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (!changedDoc(transaction)) return;
      w.changes++;
      this.touched.add(name);
      w.rows = null;
      this.schedule(w);
      for (const listener of this.listeners) listener(name);
    });
    doc.on('destroy', () => {
      if (this.watched.get(name) === w) this.watched.delete(name);
      if (w.timer !== null) clearTimeout(w.timer);
    });
    // Rows on disk may be missing or stale (written by a version before them, or the app closed before writing).
    this.schedule(w);
    return w;
  }

  private schedule(w: Watched): void {
    if (w.timer !== null) clearTimeout(w.timer);
    w.timer = setTimeout(() => {
      w.timer = null;
      w.writing = w.writing.then(() => this.persist(w));
    }, PERSIST_AFTER_MS);
  }

  /** Writes the rows of a watched document, made from it as it stands once all its updates are on disk. */
  private async persist(w: Watched): Promise<void> {
    const db = this.store.db;
    try {
      if (!db.isOpen() || this.watched.get(w.name) !== w) return;
      const changes = w.changes;
      await this.store.docs.flush(w.stored);
      const [row, seqs] = await db
        .transaction('r', db.recordBuckets, db.docUpdates, () =>
          Promise.all([
            db.recordBuckets.get([w.rowsKey, FIGURE_ROWS_COLLECTION, 0]),
            db.docUpdates.where('docName').equals(w.stored).primaryKeys(),
          ]),
        )
        .then(([r, keys]) => [r, seqsOf(keys)] as const);
      // Changed meanwhile: the change scheduled its own write.
      if (w.changes !== changes) return;
      if (row !== undefined) {
        const kept = JSON.parse(await db.rows.openRecordBucket(row)) as Stored;
        const current = sameSeqs(kept.seqs, seqs) && kept.build === BUILD;
        if (current && this.usable(unpack(kept.packed) as Rows, w.collection)) return;
      }
      // A document never written (opened empty) has nothing to keep rows beside.
      if (seqs.length === 0) return;
      // Making, packing and writing out the rows are three tasks, not one: at 100,000 residents they were one task of
      // 0.9 s after every registry change (docs/bench-scale.md, "The figure rows' write after a registry change").
      const rows = this.current(w);
      await yieldToBrowser();
      if (w.changes !== changes) return;
      const packed = pack(rows);
      await yieldToBrowser();
      if (w.changes !== changes) return;
      const json = JSON.stringify({ seqs, build: BUILD, packed } satisfies Stored);
      const sealed = await db.rows.recordBucket(w.rowsKey, FIGURE_ROWS_COLLECTION, 0, json);
      if (w.changes !== changes || !db.isOpen()) return;
      await db.recordBuckets.put(sealed);
    } catch (error) {
      // The store closing under a pending write loses nothing: the rows are stale on disk and made again when read.
      if (db.isOpen()) console.error('figure rows not written', w.name, error);
    }
  }
}
