/**
 * Bounded Yjs client ids: a device reuses its ids from one app session to the next instead of a new one per session
 * (every Yjs transaction and the server's check of each update cost O(client ids) of the document). The rule and why
 * it is safe: docs/sync-client.md ("Client ids") and docs/decisions.md ("Bounded Yjs client ids").
 *
 * In short: a profile (one workstation database) has a few id *slots*; a window holds one through a Web Lock for as
 * long as its session runs, so two windows of one profile never share ids. A slot keeps, per document, the id its
 * last session used and that id's clock when the session ended. The next session of the slot reuses an id only if
 *   1. that last session ended *clean*: everything it made was on disk and it made nothing more with its ids (a
 *      crash, a failed write or a window closed with writes in flight end it dirty: every id of the slot is new), and
 *   2. the document loaded from disk holds exactly that clock of the id (its data was not removed, restored from an
 *      older copy, or joined by someone else's use of the id).
 * Anything else gets a fresh random id, which is always safe. The session that is about to run is claimed on disk
 * (IndexedDB, awaited) before any document is handed out, and a clean end is written synchronously (localStorage) at
 * the end, naming that claim: a crash at any moment leaves a claim with no matching clean end.
 */
import * as Y from 'yjs';
import type { WorkstationDb } from './db';

/** Slots per profile: windows of one profile open at the same time beyond this many get fresh ids. */
export const ID_SLOTS = 8;

/** The id a document used in a slot's session and its clock when that session ended (or closed the document). */
export interface IdEntry {
  readonly id: number;
  readonly clock: number;
}

/** A slot's clean end: the session it ends and, per document name, the id to reuse and its clock. */
export interface CleanMark {
  readonly session: string;
  readonly docs: Readonly<Record<string, IdEntry>>;
}

/** Where a slot's claim lives: durable, written and awaited before the session hands out any document. */
export interface ClaimStore {
  /** The session that last claimed the slot. */
  read(slot: number): Promise<string | undefined>;
  write(slot: number, session: string): Promise<void>;
}

/** Where a slot's clean end lives: written synchronously, as a window closes (no await is possible there). */
export interface CleanMarks {
  read(slot: number): CleanMark | undefined;
  write(slot: number, mark: CleanMark): void;
}

/** Exclusive, non-blocking locks that a dead window gives back (Web Locks). */
export interface SlotLocks {
  /** Takes the lock if nobody holds it: its release, or `null` when it is held elsewhere. */
  take(name: string): Promise<(() => void) | null>;
}

/** What a session asks of the documents it hands ids to (LocalDocs). */
export interface SessionHost {
  /** The documents open now, by name. */
  openDocs(): Iterable<readonly [string, Y.Doc]>;
  /** Every update made so far is on disk and nothing is being written. */
  idle(): boolean;
}

/** A random client id that `doc` has no content of (Yjs's own ids are random 32-bit numbers too). */
export function freshClientId(doc?: Y.Doc): number {
  const word = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(word);
    const id = word[0] ?? 0;
    if (doc === undefined || !doc.store.clients.has(id)) return id;
  }
}

/** The clock `id` has reached in `doc` (0: no content of it). */
function clockOf(doc: Y.Doc, id: number): number {
  return Y.getState(doc.store, id);
}

function newSessionName(): string {
  return `${Date.now().toString(36)}-${freshClientId().toString(36)}-${freshClientId().toString(36)}`;
}

interface HeldSlot {
  readonly index: number;
  readonly session: string;
  /** From the slot's last session if it ended clean; empty otherwise. */
  readonly entries: Readonly<Record<string, IdEntry>>;
  readonly release: () => void;
}

/**
 * One window's use of client ids, from its first document to the end of the session (`end`): which id each document
 * gets, and whether the session ends clean.
 */
export class ClientIdSession {
  private ended = false;
  private failedWrite = false;
  /** Documents closed during this session: the id they had and its clock at closing (after their last write). */
  private readonly closedDocs = new Map<string, IdEntry>();

  private constructor(
    private readonly slot: HeldSlot | null,
    private readonly marks: CleanMarks | null,
  ) {}

  /** A session without a slot: every document gets a fresh id (no locks, every slot taken, or ids not kept). */
  static unslotted(): ClientIdSession {
    return new ClientIdSession(null, null);
  }

  /**
   * Takes the first free slot of the profile `profile` and claims it on disk for a new session (awaited: nothing is
   * handed out before the claim is stored). Reuses the slot's ids only if its last session ended clean.
   */
  static async start(options: {
    readonly profile: string;
    readonly locks: SlotLocks;
    readonly claims: ClaimStore;
    readonly marks: CleanMarks;
    readonly slots?: number;
  }): Promise<ClientIdSession> {
    const { profile, locks, claims, marks, slots = ID_SLOTS } = options;
    for (let index = 0; index < slots; index++) {
      const release = await locks.take(`cgw-client-ids:${profile}:${index}`);
      if (release === null) continue;
      try {
        const last = await claims.read(index);
        const mark = marks.read(index);
        const entries = last !== undefined && mark?.session === last ? mark.docs : {};
        const session = newSessionName();
        await claims.write(index, session);
        return new ClientIdSession({ index, session, entries, release }, marks);
      } catch (error) {
        release();
        console.warn('client ids: the id slot could not be claimed; this window uses fresh ids', error);
        return ClientIdSession.unslotted();
      }
    }
    return ClientIdSession.unslotted();
  }

  /** The slot held (for tests and the benchmark), or `null`. */
  get slotIndex(): number | null {
    return this.slot?.index ?? null;
  }

  /**
   * Gives `doc` (just loaded from disk, no local transaction yet) its client id and sets it. Must run after the
   * stored updates are applied: Yjs gives a document a new id when a non-local transaction (loading is one) changes
   * the content of the document's own id (yjs Transaction.js, cleanupTransactions).
   */
  choose(name: string, doc: Y.Doc): { id: number; reused: boolean } {
    const known = this.ended || this.slot === null ? undefined : (this.closedDocs.get(name) ?? this.slot.entries[name]);
    const reused = known !== undefined && clockOf(doc, known.id) === known.clock;
    const id = reused ? known.id : freshClientId(doc);
    doc.clientID = id;
    return { id, reused };
  }

  /** `doc` is closing after its last write: its id may be given to it again if it is opened again. */
  closed(name: string, doc: Y.Doc): void {
    if (this.ended) return;
    this.closedDocs.set(name, { id: doc.clientID, clock: clockOf(doc, doc.clientID) });
  }

  /** A write to disk failed: what was made may have left the device without being stored; this session is dirty. */
  failed(): void {
    this.failedWrite = true;
  }

  /** Whether this session has ended. */
  get isEnded(): boolean {
    return this.ended;
  }

  /**
   * Ends the session (the window closes, the store closes). If it holds a slot, nothing ever failed to be written and
   * `host` is idle, the slot's clean end is written (synchronously) with each document's id and clock. Then every
   * document still open gets a fresh id, so anything a later transaction of this window makes (a page kept alive, a
   * late handler) is never under an id that the slot may give again; the slot is let go. Returns whether it ended
   * clean.
   */
  end(host: SessionHost): boolean {
    if (this.ended) return false;
    this.ended = true;
    const open = [...host.openDocs()];
    let clean = false;
    if (this.slot !== null && this.marks !== null && !this.failedWrite && host.idle()) {
      const docs: Record<string, IdEntry> = { ...this.slot.entries };
      for (const [name, entry] of this.closedDocs) docs[name] = entry;
      for (const [name, doc] of open) docs[name] = { id: doc.clientID, clock: clockOf(doc, doc.clientID) };
      try {
        this.marks.write(this.slot.index, { session: this.slot.session, docs });
        clean = true;
      } catch (error) {
        console.warn('client ids: the clean end could not be written; the next session uses fresh ids', error);
      }
    }
    for (const [, doc] of open) doc.clientID = freshClientId(doc);
    this.slot?.release();
    return clean;
  }
}

/** How a LocalDocs gets its sessions. */
export type ClientIdSource = () => Promise<ClientIdSession>;

/** Every document gets a fresh id (no slots): where Web Locks or localStorage are missing. */
export const freshIds: ClientIdSource = () => Promise.resolve(ClientIdSession.unslotted());

/** Web Locks as SlotLocks: the lock is held until `release` is called or the window dies. */
export function webLocks(locks: Pick<LockManager, 'request'>): SlotLocks {
  return {
    take: (name) =>
      new Promise((resolve, reject) => {
        let release: () => void = () => undefined;
        const held = new Promise<void>((done) => (release = done));
        locks
          .request(name, { ifAvailable: true }, async (lock) => {
            if (lock === null) {
              resolve(null);
              return;
            }
            resolve(release);
            await held;
          })
          .catch(reject);
      }),
  };
}

/** Clean ends in localStorage (`cgw.clientIds.<profile>.<slot>`): document names, Yjs ids and clocks, nothing else. */
export function storageMarks(storage: Storage, profile: string): CleanMarks {
  const key = (slot: number) => `cgw.clientIds.${profile}.${slot}`;
  return {
    read(slot) {
      try {
        const raw = storage.getItem(key(slot));
        if (raw === null) return undefined;
        const mark = JSON.parse(raw) as { session?: unknown; docs?: unknown };
        if (typeof mark.session !== 'string' || typeof mark.docs !== 'object' || mark.docs === null) return undefined;
        const docs: Record<string, IdEntry> = {};
        for (const [name, entry] of Object.entries(mark.docs as Record<string, Partial<IdEntry> | null>)) {
          if (Number.isInteger(entry?.id) && Number.isInteger(entry?.clock)) docs[name] = entry as IdEntry;
        }
        return { session: mark.session, docs };
      } catch {
        return undefined;
      }
    },
    write(slot, mark) {
      storage.setItem(key(slot), JSON.stringify(mark));
    },
  };
}

/** The setting of the workstation database holding a slot's claim. */
export function claimKey(slot: number): string {
  return `clientIds.slot.${slot}`;
}

/**
 * Claims in the workstation database's `settings` (sealed like every setting), written in an IndexedDB transaction
 * of `strict` durability (flushed to disk before it completes, where the browser supports it).
 */
export function databaseClaims(db: WorkstationDb): ClaimStore {
  return {
    async read(slot) {
      const setting = await db.sealedSettings.get(claimKey(slot));
      return typeof setting?.value === 'string' ? setting.value : undefined;
    },
    async write(slot, session) {
      const row = await db.rows.setting(claimKey(slot), session);
      const idb = db.backendDB();
      await new Promise<void>((resolve, reject) => {
        const transaction = idb.transaction(db.settings.name, 'readwrite', { durability: 'strict' });
        transaction.objectStore(db.settings.name).put(row);
        transaction.oncomplete = () => resolve();
        transaction.onerror = () => reject(transaction.error ?? new Error('the claim could not be written'));
        transaction.onabort = () => reject(transaction.error ?? new Error('the claim was not written'));
      });
    },
  };
}

/**
 * The app's source: slots of the profile's database when the platform has Web Locks and localStorage (Chromium,
 * Electron; a browser only in a secure context), fresh ids otherwise.
 */
export function profileClientIds(db: WorkstationDb): ClientIdSource {
  const locks = typeof navigator === 'undefined' ? undefined : (navigator as Partial<Navigator>).locks;
  let storage: Storage | undefined;
  try {
    storage = typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    storage = undefined;
  }
  if (locks === undefined || storage === undefined) return freshIds;
  const marks = storageMarks(storage, db.name);
  return () => ClientIdSession.start({ profile: db.name, locks: webLocks(locks), claims: databaseClaims(db), marks });
}
