/**
 * What the parts of the sync server share (server.ts builds it; docs/sync-server.md, "Design notes"): the settings,
 * the log, storage, the loaded documents and the open connections, and the functions one part calls in another,
 * bound late (every part is made before any is called). Each part is a module of its own: documents.ts (loading,
 * the write queue, compaction, unloading), connections.ts (sending, closing, the "saved" signal, awareness limits),
 * writes.ts (storing, applying, restoring and relaying updates), answering.ts (answers to sync-step-1 within their
 * budgets), upgrade.ts (the token check before the websocket opens, and the per-address limits).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import type * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { CLOSE_CODES, SyncTokenClaims } from '@shared/sync/protocol';
import type { AnswerPool } from './answers';
import type { BackgroundWorker } from './background';
import type { ServerConfig } from './config';
import type { FullStateCache } from './docState';
import type { PermanentGuard } from './guard';
import type { Metrics } from './metrics';
import type { AccessRegistry, DocumentStore } from './storage/types';

/**
 * A `ws` socket that knows its connection, so that one set of listeners (per server, not per socket) serves every
 * socket: a connection costs no closures of its own.
 */
export class ConnSocket extends WebSocket {
  conn: Connection | null = null;
}

export const connOf = (ws: WebSocket): Connection | null => (ws instanceof ConnSocket ? ws.conn : null);

export interface Connection {
  readonly ws: ConnSocket;
  readonly id: number;
  readonly claims: SyncTokenClaims;
  readonly docName: string;
  readonly canWrite: boolean;
  /** The client's address (or the proxy's, unless `--trust-proxy`). */
  readonly remote: string;
  doc: SharedDoc | null;
  /** A sync-step-1 waiting for this token's answer in flight (only the newest is kept). */
  waitingStateVector: Uint8Array | null;
  /** Awareness messages in the current minute. */
  awarenessCount: number;
  awarenessWindow: number;
  /** Frames that arrived while the document was loading, handled in order once it is loaded. */
  pending: Uint8Array[] | null;
  /** Awareness client ids this connection controls, removed when it closes. */
  readonly awarenessIds: Set<number>;
  alive: boolean;
  /** When a message was last sent to it (`performance.now()`): the keepalive goes to connections quiet for long. */
  lastSentAt: number;
  closing: boolean;
  ackDeadline: number;
  ackTimer: NodeJS.Timeout | null;
  /** When the last catch-up was acknowledged at once (performance.now()). */
  lastImmediateAck: number;
  /** The client asked for its first answer gzipped (MESSAGE_GZIP_ANSWER). */
  readonly gzipAnswer: boolean;
}

export interface SharedDoc {
  readonly name: string;
  readonly ydoc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  /** The sync-step-2 for clients holding nothing; invalidated before anything is applied to `ydoc`. */
  readonly fullState: FullStateCache;
  readonly conns: Set<Connection>;
  /** Updates received and checked but not yet stored. */
  incoming: {
    readonly conn: Connection;
    readonly update: Uint8Array;
    readonly decoded: ReturnType<typeof Y.decodeUpdate>;
    readonly catchUp: boolean;
  }[];
  /** Counts every change applied, so that an answer computed in a worker is cached only if nothing changed since. */
  version: number;
  /** What the law makes permanent in this document (shared/ydoc/permanent.ts), or null for none. */
  readonly guard: PermanentGuard | null;
  /** Top-level audit arrays, whose new entries are compared with the token's user. */
  readonly auditArrays: readonly Y.Array<unknown>[];
  /** A cases document: signed records are also checked against their signed copy (enforceLocks). */
  readonly isCases: boolean;
  /** A community's registry, its masked copy for viewers (masking.ts), or any other document. */
  readonly kind: 'registry' | 'masked' | 'other';
  /**
   * With masking on: the registry's masked copy, or the masked copy's registry. The two are loaded, kept in step and
   * unloaded together.
   */
  partner: SharedDoc | null;
  /**
   * A registry: the Yjs client ids of its masked copy as stored (while masking is off, no copy is loaded beside it),
   * whose structs the registry refuses (masking.ts).
   */
  storedMaskedClients: ReadonlySet<number>;
  /** Tail of the write queue: appends, applies and compactions of this document, one at a time. */
  queue: Promise<void>;
  lastSeq: number;
  logLength: number;
  /** A compaction under way (documents.ts): its snapshot is being encoded or stored; at most one per document. */
  compacting: Promise<void> | null;
  /**
   * What the document is known to hold of the stored state, so that compaction folds in only the rest
   * (documents.ts `compact`, storage/postgres.ts): the whole content of the stored snapshot of this version (loaded,
   * or written from this document with nothing folded in), or null; and the log entries, by seq, applied to it
   * (loaded, or stored and then applied without an error: writes.ts, masking.ts, auditArchiver.ts, relay.ts). Only
   * changed inside the document's queue. Never holds what the document might lack: what is missing here is folded.
   */
  heldSnapshot: string | null;
  readonly heldSeqs: Set<number>;
  idleTimer: NodeJS.Timeout | null;
}

/**
 * Origin of updates applied from other nodes (relay.ts). The node that stored an update also wrote what follows from
 * it (a masked copy's change), which arrives relayed too: nothing is derived again from a transaction of this origin.
 */
export const RELAY_ORIGIN = { kind: 'relay' } as const;

export type CloseCodeValue = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface Core {
  readonly config: ServerConfig;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly store: DocumentStore;
  readonly registry: AccessRegistry;
  readonly answers: AnswerPool;
  /** Work nobody waits for, at the lowest priority (background.ts): compaction's fold. */
  readonly background: BackgroundWorker;
  /** The websocket server's upgrade (ws's `WebSocketServer`, made with `ConnSocket`). */
  readonly wss: {
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, done: (ws: ConnSocket) => void): void;
  };
  /** Documents in memory, and those being loaded. */
  readonly docs: Map<string, SharedDoc>;
  readonly loading: Map<string, Promise<SharedDoc>>;
  readonly allConns: Set<Connection>;
  readonly connsByToken: Map<string, Set<Connection>>;
  readonly stats: { bytesStored: number };
  isShuttingDown(): boolean;

  // documents.ts
  enqueue(doc: SharedDoc, task: () => Promise<void>): Promise<void>;
  acquire(name: string): Promise<SharedDoc>;
  /**
   * Folds the log into a snapshot. Called inside the document's queue; resolves once the snapshot's state is fixed
   * (the queue may go on while a worker encodes it), or, with `untilStored`, once it is stored.
   */
  compact(doc: SharedDoc, untilStored?: boolean): Promise<void>;
  scheduleUnload(doc: SharedDoc): void;
  unloadsDone(): Promise<void>;
  maybeCollectGarbage(): void;
  evict(doc: SharedDoc, error: unknown): void;
  // connections.ts
  send(conn: Connection, message: Uint8Array): void;
  sendAnswer(conn: Connection, messages: readonly Uint8Array[]): void;
  closeConn(conn: Connection, code: CloseCodeValue, reason: string): void;
  detach(conn: Connection): void;
  scheduleAck(conn: Connection, catchUp: boolean): void;
  queuedBytes(): number;
  acceptAwareness(conn: Connection, update: Uint8Array): boolean;
  // masking.ts
  linkMasked(registry: SharedDoc, masked: SharedDoc, maskedStored?: readonly Uint8Array[]): Promise<void>;
  carryAudit(masked: SharedDoc, conn: Connection, entries: readonly unknown[]): void;
  maskedClientIn(registry: SharedDoc, decoded: ReturnType<typeof Y.decodeUpdate>): number | null;
  maskedClientsStored(registryName: string): Promise<ReadonlySet<number>>;
  // writes.ts
  handleUpdate(conn: Connection, doc: SharedDoc, update: Uint8Array, catchUp: boolean): void;
  // answering.ts
  requestAnswer(conn: Connection, raw: Uint8Array, stateVector: Map<number, number>): void;
  forgetWaiting(conn: Connection): void;
  // upgrade.ts
  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  onAuthCheck(req: IncomingMessage, res: ServerResponse): Promise<void>;
  onRows(req: IncomingMessage, res: ServerResponse): Promise<void>;
  onTcpConnection(socket: Socket): void;
  // server.ts
  onConnection(
    ws: ConnSocket,
    claims: SyncTokenClaims,
    docName: string,
    canWrite: boolean,
    gzipAnswer: boolean,
    remote: string,
  ): void;
}

/** The functions a part adds to the core. */
export type Part<K extends keyof Core> = Pick<Core, K>;
