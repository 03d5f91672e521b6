/**
 * The storage seen by the protocol code. It is deliberately narrow and asynchronous so that a PostgreSQL adapter
 * (city-wide deployment, several nodes) can implement it without touching server.ts or docs.ts:
 *
 * - `DocumentStore`: a document is a snapshot plus an append-only log of Yjs v1 updates, each with a sequence number
 *   that grows per store. `append` resolves only once the update is durable: the protocol code relays and
 *   acknowledges an update only after that. Every update is stamped with the token and user that sent it, kept in a
 *   history that compaction does not touch; what the sync guard refused is kept too (`recordAttempt`).
 * - `AccessRegistry`: what the upgrade handler and the revocation watcher ask about tokens and communities.
 *
 * The admin CLI works on the SQLite file directly (sqlite.ts); a PostgreSQL deployment would bring its own.
 */

export interface StoredDocument {
  /** The snapshot (if any) followed by the log, oldest first. Applying them in order rebuilds the document. */
  readonly updates: Uint8Array[];
  /** Sequence number of the newest log entry, 0 when the log is empty. */
  readonly lastSeq: number;
  /** Number of log entries after the snapshot. */
  readonly logLength: number;
  /**
   * The stored snapshot's row version (PostgreSQL: `xmin` and `updated_at`), absent without a snapshot or for a store
   * that does not say (SQLite). With `logSeqs`: what a node that applied all of `updates` holds of the stored state, so
   * that its compaction folds in only the rest (`HeldState`).
   */
  readonly snapshotVersion?: string;
  /** The sequence numbers of the log entries in `updates`, oldest first (absent for a store that does not say). */
  readonly logSeqs?: readonly number[];
}

/** Who stored an update: the token id (`jti`) and user name of the connection it came from. */
export interface UpdateStamp {
  readonly jti: string;
  readonly user: string;
}

/** The stamp of the updates the server writes itself (e.g. restoring what a client deleted or unlocked). */
export const SERVER_STAMP: UpdateStamp = Object.freeze({ jti: 'server', user: 'sync-server' });

/** Something the sync guard undid or refused, kept for district IT (`sync-admin history`, `sync-admin attempts`). */
export interface GuardAttempt {
  readonly doc: string;
  readonly jti: string;
  readonly user: string;
  /** What was attempted, e.g. `restored-deletion`, `restored-lock`, `audit-author-mismatch`. */
  readonly kind: string;
  /** A short JSON text with the particulars (which record, which field). */
  readonly detail: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

/** `snapshot` merged with whatever of `older` (stored updates it replaces) it lacks (docState.ts foldMissing). */
export type FoldUpdates = (snapshot: Uint8Array, older: readonly Uint8Array[]) => Promise<Uint8Array>;

/**
 * What a node's document is known to hold of the stored state when its snapshot was asked for (documents.ts
 * `compact`): the whole content of the stored snapshot of this row version (or of none), and these log entries. Only
 * what was really applied counts (stored and then applied without an error), so that compaction may skip folding it.
 */
export interface HeldState {
  readonly snapshotVersion: string | null;
  readonly seqs: ReadonlySet<number>;
}

/** What a compaction did (a store that never folds, SQLite, says nothing). */
export interface CompactResult {
  /** The snapshot was written; false when another node compacts or compacted meanwhile (nothing changed then). */
  readonly written: boolean;
  /** The written snapshot's row version, when written. */
  readonly version?: string;
  /** Stored parts folded into the node's snapshot: the stored snapshot unless held, and each log entry not held. */
  readonly folded: number;
  /** The log entries up to `throughSeq` the compaction read (deleted when written), by seq. */
  readonly read: readonly number[];
}

/**
 * The rows a device holding nothing lists from first (shared/sync/rowsSnapshot.ts), made at a registry's compaction
 * and kept beside its document: gzipped JSON, the format it was made in and the state vector it covers.
 */
export interface StoredRows {
  readonly format: number;
  readonly stateVector: Uint8Array;
  /** `RowsSnapshot` as JSON, gzipped (sent as it is, `Content-Encoding: gzip`). */
  readonly gzipped: Uint8Array;
  /** Milliseconds since the epoch. */
  readonly updatedAt: number;
}

export interface DocumentStore {
  load(doc: string): Promise<StoredDocument>;
  /**
   * Appends one update to the document's log; resolves with its sequence number once it is durable. The stamp
   * (token id, user, time and size) is stored in the same transaction and outlives compaction. Appends made
   * concurrently (the protocol code issues a document's pending updates together) should share one commit.
   */
  append(doc: string, update: Uint8Array, stamp: UpdateStamp): Promise<number>;
  /** Keeps one guard attempt; resolves once it is stored. */
  recordAttempt(attempt: GuardAttempt): Promise<void>;
  /**
   * Replaces the snapshot with `snapshot` and deletes the log entries up to `throughSeq`, in one transaction; entries
   * after `throughSeq` (stored while the snapshot was being made) stay. `snapshot` must contain every update up to
   * `throughSeq` (it may contain later ones too). A store that must merge encoded updates to compact (PostgreSQL:
   * what another node stored meanwhile) does so with `fold` when given (an answer worker: off the event loop), and only
   * with what `held` (what `snapshot` holds of the stored state for sure) does not cover.
   */
  compact(
    doc: string,
    snapshot: Uint8Array,
    throughSeq: number,
    fold?: FoldUpdates,
    held?: HeldState,
  ): Promise<CompactResult> | Promise<void>;
  /** Total bytes the documents occupy in storage (for /metrics). */
  bytesStored(): Promise<number>;
  /** Keeps a registry's rows for first syncs, replacing those kept before (absent: the store keeps none). */
  putRows?(doc: string, rows: StoredRows): Promise<void>;
  /** The rows kept for a registry, if any. */
  loadRows?(doc: string): Promise<StoredRows | undefined>;
}

export interface TokenRecord {
  readonly jti: string;
  readonly user: string;
  readonly communities: readonly string[];
  readonly role: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
}

export interface ServerStatus {
  readonly pid: number;
  readonly address: string;
  readonly startedAt: number;
  readonly updatedAt: number;
  readonly connections: number;
  readonly documentsLoaded: number;
}

export interface AccessRegistry {
  getToken(jti: string): Promise<TokenRecord | undefined>;
  /** Which of `jtis` are revoked now (one cheap indexed query; called every second by the revocation watcher). */
  revokedAmong(jtis: readonly string[]): Promise<Set<string>>;
  communityExists(id: string): Promise<boolean>;
  /** Heartbeat read by `sync-admin stats`. */
  writeStatus(status: ServerStatus): Promise<void>;
}
