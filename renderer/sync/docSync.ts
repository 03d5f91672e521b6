/**
 * One document's link to the sync server: a y-websocket provider on the document LocalDocs already loaded from
 * Dexie (the screen never waits for the network), the "saved on the server" signal, pending-change markers, and
 * reconnects with backoff and jitter.
 *
 * The provider is created with `shouldReconnect: () => false`: whenever the server side ends a connection (refused
 * upgrade, close code, network loss) the provider stops and reports `closed`, and this class decides whether and
 * when to try again. That is how a refused token stops retrying instead of hammering the server.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ACCESS_ACTIONS } from '@shared/domain/registry/accessLog';
import type { AuditEntry } from '@shared/domain/registry/types';
import { applyPieces, CLIENT_MESSAGE_BYTES, encodeStateAsUpdates } from '@shared/sync/chunks';
import { GZIP_ANSWER_PARAM, MESSAGE_GZIP_ANSWER, MESSAGE_SYNC, tokenSubprotocols } from '@shared/sync/protocol';
import { isMaskedRegistryDocName, isRegistryDocName } from '@shared/ydoc/docName';
import { auditArray } from '@shared/ydoc/registry';
import { LOAD_ORIGIN } from '../data/docs';
import type { AwayChange, StoredDocSyncState } from '../data/syncState';
import { RetrySteps } from './backoff';
import { PendingChanges, stateVectorFromJSON, stateVectorToJSON } from './pending';
import { refusalForClose, type Refusal } from './refusal';

/** y-protocols' message types inside a sync message. */
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

export type DocConnection = 'offline' | 'connecting' | 'syncing' | 'synced' | 'refused' | 'stopped';

export interface DocSyncStatus {
  readonly docName: string;
  readonly connection: DocConnection;
  /** Local changes the server has not stored yet. */
  readonly pending: number;
  readonly lastFullSync: number | null;
  readonly refusal: Refusal | null;
}

/** What a DocSync needs from its manager. */
export interface DocSyncHost {
  readonly server: string;
  readonly token: string;
  readonly deviceId: string;
  readonly WebSocketImpl?: typeof WebSocket | undefined;
  readonly random: () => number;
  readonly backoffBaseMs?: number | undefined;
  isOnline(): boolean;
  changed(): void;
  persist(docName: string, state: StoredDocSyncState): Promise<void>;
  /** A connection failed before it opened: ask the server over HTTP why (deduplicated by the manager). */
  probe(docName: string): Promise<Refusal | null>;
  /** A refusal of the token as a whole: the manager stops every document. */
  tokenRefused(refusal: Refusal): void;
  /** This document synced after failed attempts: the server is back, the others need not wait out their backoff. */
  serverReached?(docName: string): void;
  awayChanges(docName: string, changes: AwayChange[]): void;
  /**
   * Applies the pieces of the server's answer in one transaction with `origin` (LocalDocs.applyReceived, which also
   * stores them as they came). Without it they are applied here, in one transaction too.
   */
  applyReceived?(docName: string, doc: Y.Doc, updates: readonly Uint8Array[], origin: unknown): void;
  /** A promise to wait for before applying this document's answer (another document's goes first); or none. */
  answerGate?(docName: string): Promise<void> | null;
}

/** Raises `state` to the clocks a transaction reached for the clients it changed; true when something moved. */
function advance(state: Map<number, number>, transaction: Y.Transaction): boolean {
  let moved = false;
  for (const [client, after] of transaction.afterState) {
    if (after > (transaction.beforeState.get(client) ?? 0) && after > (state.get(client) ?? 0)) {
      state.set(client, after);
      moved = true;
    }
  }
  return moved;
}

/** Pointwise maximum of two state vectors. */
function maxState(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): Map<number, number> {
  const out = new Map(a);
  for (const [client, clock] of b) if (clock > (out.get(client) ?? 0)) out.set(client, clock);
  return out;
}

/** A sync message (sync-step-2 or update) carrying one v1 update. */
function syncMessage(kind: typeof SYNC_STEP_2 | typeof SYNC_UPDATE, update: Uint8Array): Uint8Array<ArrayBuffer> {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, kind);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Decompresses gzip natively (DecompressionStream: off the JavaScript engine). */
async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  // Written while read: a big body would otherwise wait on the stream's back-pressure forever.
  const written = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
  // A garbled body fails both sides; the reader reports it.
  written.catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  await written;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The updates of a whole answer's sync messages (updates, then a sync-step-2); `null` if it is not that. */
export function answerUpdates(body: Uint8Array): Uint8Array[] | null {
  const decoder = decoding.createDecoder(body);
  const updates: Uint8Array[] = [];
  let complete = false;
  try {
    while (decoding.hasContent(decoder)) {
      // The sync-step-2 is the last message: anything after it is not an answer.
      if (complete || decoding.readVarUint(decoder) !== MESSAGE_SYNC) return null;
      const kind = decoding.readVarUint(decoder);
      if (kind !== SYNC_STEP_2 && kind !== SYNC_UPDATE) return null;
      updates.push(decoding.readVarUint8Array(decoder));
      complete = kind === SYNC_STEP_2;
    }
  } catch {
    return null;
  }
  return complete ? updates : null;
}

/** Audit actions that change nothing (revealing, exporting, printing) are not "changes by others". */
const QUIET_ACTIONS = new Set<string>(ACCESS_ACTIONS);

export class DocSync {
  private provider: WebsocketProvider | null = null;
  private readonly pendingChanges: PendingChanges;
  private serverState: Map<number, number>;
  private lastFullSync: number | null;
  /** Had this document ever fully synced when this connection started? (Cold starts list no "changes by others".) */
  private hadPriorSync: boolean;
  private connection: DocConnection = 'offline';
  private refusal: Refusal | null = null;
  /** The server's state vector arrived on the current connection. */
  private heardServer = false;
  private opened = false;
  private readonly retries: RetrySteps;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** The retry waits the time a busy server named (4529), not a backoff step. */
  private retryHinted = false;
  private persisting: Promise<void> = Promise.resolve();
  private persistQueued = false;
  private stopped = false;
  /** Counts connections, so that a gzipped answer decompressed after its connection ended is dropped. */
  private connectionSeq = 0;
  /** Pieces of the server's answer received on this connection, applied when its last piece (sync-step-2) comes. */
  private answer: Uint8Array[] = [];
  /**
   * Resolves when the server's first answer has been applied, or when this document stops trying for now (closed,
   * refused, offline, stopped): the other documents' answers wait for a new device's registry (see `answerGate`).
   */
  readonly firstApplied: Promise<void>;
  private answered: () => void = () => undefined;
  /** What this connection has sent (state vector); the answers to acknowledgements leave it out. */
  private sent = new Map<number, number>();
  private readonly onUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction): void => {
    const provider = this.provider;
    const ws = provider?.ws;
    if (provider === null || origin === provider || !provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return;
    if (update.length + 16 <= CLIENT_MESSAGE_BYTES) ws.send(syncMessage(SYNC_UPDATE, update));
    else {
      const updates = encodeStateAsUpdates(this.doc, transaction.beforeState, CLIENT_MESSAGE_BYTES);
      for (const part of updates) ws.send(syncMessage(SYNC_UPDATE, part));
    }
    advance(this.sent, transaction);
  };
  private readonly onTransaction = (transaction: Y.Transaction): void => {
    if (transaction.origin === LOAD_ORIGIN) return;
    if (this.provider !== null && transaction.origin === this.provider) {
      // Received from the server, so held by the server (it stores before it relays or answers): its known state
      // vector follows, or these changes by others would count as ours (one per other device) until its next ack.
      if (advance(this.serverState, transaction)) {
        this.schedulePersist();
        this.host.changed();
      }
      return;
    }
    const client = this.doc.clientID;
    const after = transaction.afterState.get(client) ?? 0;
    if (after > (transaction.beforeState.get(client) ?? 0)) {
      this.pendingChanges.mark(client, after);
      this.schedulePersist();
      this.host.changed();
    }
  };
  private readonly onAudit = (event: Y.YArrayEvent<AuditEntry>): void => {
    const provider = this.provider;
    if (provider === null || event.transaction.origin !== provider || provider.synced || !this.hadPriorSync) return;
    const changes: AwayChange[] = [];
    const receivedAt = Date.now();
    for (const part of event.changes.delta) {
      if (!Array.isArray(part.insert)) continue;
      for (const entry of part.insert as AuditEntry[]) {
        if (entry.deviceId === this.host.deviceId || QUIET_ACTIONS.has(entry.action)) continue;
        changes.push({
          docName: this.docName,
          collection: entry.collection,
          recordId: entry.recordId,
          action: entry.action,
          userName: entry.userName,
          deviceId: entry.deviceId,
          at: entry.at,
          fields: Object.keys(entry.fields),
          receivedAt,
        });
      }
    }
    if (changes.length > 0) this.host.awayChanges(this.docName, changes);
  };

  constructor(
    readonly docName: string,
    readonly doc: Y.Doc,
    stored: StoredDocSyncState,
    private readonly host: DocSyncHost,
  ) {
    this.pendingChanges = PendingChanges.fromJSON(stored.markers);
    this.serverState = stateVectorFromJSON(stored.serverState);
    this.lastFullSync = stored.lastFullSync;
    this.hadPriorSync = stored.lastFullSync !== null;
    this.firstApplied = new Promise((resolve) => (this.answered = resolve));
    this.retries = new RetrySteps(host.random, host.backoffBaseMs);
    doc.on('afterTransaction', this.onTransaction);
    doc.on('update', this.onUpdate);
    if (isRegistryDocName(docName) || isMaskedRegistryDocName(docName)) auditArray(doc).observe(this.onAudit);
  }

  status(): DocSyncStatus {
    const pending = this.pending();
    return {
      docName: this.docName,
      // A local edit since the last acknowledgement: still on its way until the server's state vector covers it.
      connection: this.connection === 'synced' && pending > 0 ? 'syncing' : this.connection,
      pending,
      lastFullSync: this.lastFullSync,
      refusal: this.refusal,
    };
  }

  pending(): number {
    return this.pendingChanges.count(Y.decodeStateVector(Y.encodeStateVector(this.doc)), this.serverState);
  }

  /** Connects now (or when the OS reports the network back). */
  start(): void {
    if (this.stopped) return;
    if (this.provider === null) this.provider = this.createProvider();
    this.refusal = null;
    if (this.host.isOnline()) this.connectNow();
    else {
      this.answered();
      this.setConnection('offline');
    }
  }

  /** Has this document never been fully synced (a new device: the server's answer is the whole document)? */
  isFirstSync(): boolean {
    return !this.hadPriorSync;
  }

  private createProvider(): WebsocketProvider {
    // A first answer gzipped (MESSAGE_GZIP_ANSWER) where the platform can decompress it.
    const params: Record<string, string> = {};
    if (typeof DecompressionStream === 'function') params[GZIP_ANSWER_PARAM.name] = GZIP_ANSWER_PARAM.value;
    const provider = new WebsocketProvider(this.host.server, this.docName, this.doc, {
      connect: false,
      params,
      // The token travels in the `Sec-WebSocket-Protocol` header, never in the URL: proxies write URLs to their
      // access logs (shared/sync/protocol.ts). The server selects SYNC_SUBPROTOCOL, the first one offered.
      protocols: tokenSubprotocols(this.host.token),
      disableBc: true,
      // Every close by the far side stops the provider; `onClosed` decides about retrying.
      shouldReconnect: () => false,
      ...(this.host.WebSocketImpl === undefined ? {} : { WebSocketPolyfill: this.host.WebSocketImpl }),
    });
    // "Saved on the server" (shared/sync/protocol.ts): the server's sync-step-1 carries its state vector, sent on
    // connect and again after it has stored updates of ours. The answer (a sync-step-2 with what the server lacks)
    // is written here rather than by y-protocols: cut into messages below the server's size limit
    // (shared/sync/chunks.ts), and leaving out what this connection already sent and the server has not yet
    // acknowledged (a big first upload would otherwise go out again at every acknowledgement).
    const handleSync = provider.messageHandlers[MESSAGE_SYNC];
    if (handleSync === undefined) throw new Error('y-websocket has no sync message handler');
    provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, messageType) => {
      const kind = decoding.peekVarUint(decoder);
      if (kind !== SYNC_STEP_1 && !p.synced && emitSynced) {
        // The server's answer to our sync-step-1 comes in pieces (update messages, then a sync-step-2; see
        // sync-server encodeSyncAnswer). They are held until the last one and applied together: the screens, the
        // projections and the guards of signed records never see half a record, and a connection lost half-way
        // leaves nothing half-applied (the server answers again on the next connection).
        decoding.readVarUint(decoder);
        this.answer.push(decoding.readVarUint8Array(decoder));
        if (this.answer.length === 1) performance.mark(`cgw:sync-first-piece ${this.docName}`);
        if (kind !== SYNC_STEP_2) return;
        this.completeAnswer(this.answer.splice(0), p);
        return;
      }
      if (kind !== SYNC_STEP_1) {
        handleSync(encoder, decoder, p, emitSynced, messageType);
        return;
      }
      decoding.readVarUint(decoder);
      const serverState = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
      const updates = encodeStateAsUpdates(this.doc, maxState(serverState, this.sent), CLIENT_MESSAGE_BYTES);
      this.sent = maxState(this.sent, Y.decodeStateVector(Y.encodeStateVector(this.doc)));
      const [only] = updates;
      if (updates.length === 1 && only !== undefined) {
        // One message: the provider sends what is written to `encoder`.
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        encoding.writeVarUint(encoder, SYNC_STEP_2);
        encoding.writeVarUint8Array(encoder, only);
      } else {
        for (const update of updates) provider.ws?.send(syncMessage(SYNC_STEP_2, update));
      }
      this.onServerState(serverState);
    };
    provider.messageHandlers[MESSAGE_GZIP_ANSWER] = (_encoder, decoder, p) => {
      void this.onGzipAnswer(decoding.readVarUint8Array(decoder), p, this.connectionSeq);
    };
    // Local updates go out as they happen, like y-websocket does, but a big one (an import while online) is cut
    // into messages below the server's limit instead of being refused with 1009.
    this.doc.off('update', provider._updateHandler);
    provider._updateHandler = () => undefined;
    provider.on('status', ({ status }) => {
      if (this.provider !== provider || this.stopped) return;
      if (status === 'connecting') {
        this.opened = false;
        this.heardServer = false;
        this.sent = new Map();
        this.answer = [];
        this.connectionSeq += 1;
        this.setConnection('connecting');
      } else if (status === 'connected') {
        performance.mark(`cgw:sync-connected ${this.docName}`);
        this.opened = true;
        this.setConnection('syncing');
      }
    });
    provider.on('sync', (synced) => {
      if (!synced || this.provider !== provider) return;
      if (this.retries.synced()) this.host.serverReached?.(this.docName);
      this.refusal = null;
      this.evaluate();
    });
    provider.on('closed', ({ code, reason }) => {
      if (this.provider !== provider || this.stopped) return;
      void this.onClosed(code, this.opened, reason);
    });
    return provider;
  }

  /**
   * The whole first answer in one gzipped message: decompressed natively, then applied like the pieces of a plain
   * answer, together with the updates relayed meanwhile. If it cannot be read, this document asks for plain answers
   * from now on and connects again.
   */
  private async onGzipAnswer(gzipped: Uint8Array, provider: WebsocketProvider, connection: number): Promise<void> {
    performance.mark(`cgw:sync-first-piece ${this.docName}`);
    let updates: Uint8Array[] | null;
    try {
      updates = answerUpdates(await gunzip(gzipped));
    } catch {
      updates = null;
    }
    if (this.provider !== provider || this.connectionSeq !== connection || provider.synced) return;
    if (updates === null) {
      console.error('sync: a compressed answer could not be read for', this.docName, '- asking for plain answers');
      provider.params = Object.fromEntries(
        Object.entries(provider.params).filter(([name]) => name !== GZIP_ANSWER_PARAM.name),
      );
      provider.ws?.close();
      return;
    }
    this.completeAnswer([...updates, ...this.answer.splice(0)], provider);
  }

  /**
   * Applies a whole answer (in one transaction) and counts the connection synced; first waits for the host's
   * `answerGate`, if any (updates relayed meanwhile join the answer).
   */
  private completeAnswer(pieces: readonly Uint8Array[], provider: WebsocketProvider): void {
    // User Timing marks of the first sync (read by `npm run bench:sync`, visible in DevTools).
    performance.mark(`cgw:sync-receive ${this.docName}`);
    const gate = this.host.answerGate?.(this.docName);
    if (!gate) {
      this.applyWhole(pieces, provider);
      return;
    }
    const connection = this.connectionSeq;
    void gate.then(() => {
      if (this.provider !== provider || this.connectionSeq !== connection || provider.synced) return;
      this.applyWhole([...pieces, ...this.answer.splice(0)], provider);
    });
  }

  private applyWhole(pieces: readonly Uint8Array[], provider: WebsocketProvider): void {
    try {
      this.applyAnswer(pieces, provider);
    } catch (error) {
      console.error("sync: the server's answer could not be applied to", this.docName, error);
    }
    performance.mark(`cgw:sync-applied ${this.docName}`);
    provider.synced = true;
    this.answered();
  }

  private applyAnswer(pieces: readonly Uint8Array[], origin: unknown): void {
    if (this.host.applyReceived) {
      this.host.applyReceived(this.docName, this.doc, pieces, origin);
      return;
    }
    // Not local, as Y.applyUpdate's transactions are not (the guards of signed records check non-local ones).
    Y.transact(
      this.doc,
      () => {
        applyPieces(this.doc, pieces, origin);
      },
      origin,
      false,
    );
  }

  private connectNow(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const provider = this.provider;
    if (provider === null || this.stopped) return;
    if (!provider.wsconnected && !provider.wsconnecting) {
      this.heardServer = false;
      provider.connect();
    }
  }

  private onServerState(serverState: Map<number, number>): void {
    if (this.connection !== 'synced') performance.mark(`cgw:sync-server-state ${this.docName}`);
    this.serverState = serverState;
    this.heardServer = true;
    this.pendingChanges.settle(serverState);
    this.evaluate();
    this.schedulePersist();
  }

  /** Up to date: we hold everything the server sent and the server has stored everything of ours. */
  private evaluate(): void {
    const provider = this.provider;
    if (provider?.synced === true && this.heardServer && provider.wsconnected) {
      if (this.pending() === 0) {
        if (this.connection !== 'synced') performance.mark(`cgw:sync-synced ${this.docName}`);
        this.lastFullSync = Date.now();
        this.hadPriorSync = true;
        this.setConnection('synced');
        this.schedulePersist();
      } else {
        this.setConnection('syncing');
      }
    }
    this.host.changed();
  }

  private async onClosed(code: number, opened: boolean, reason = ''): Promise<void> {
    this.heardServer = false;
    this.answer = [];
    this.answered();
    const final = refusalForClose(code);
    if (final !== null) {
      if (final.kind === 'revoked' || final.kind === 'expired') this.host.tokenRefused(final);
      else this.refuse(final);
      return;
    }
    if (!this.host.isOnline()) {
      this.setConnection('offline');
      return;
    }
    const hinted = this.retries.busyWait(code, reason);
    if (hinted !== null) {
      // The server is up and says when to come back: that, not a step grown while it was down. Its next refusal says
      // again; a server gone after this starts the backoff from its first step.
      this.scheduleRetry(hinted, true);
      return;
    }
    if (!opened) {
      // The upgrade failed: refused (401/403/429/503) or no server at all. A browser cannot see which: ask.
      const why = await this.host.probe(this.docName);
      if (this.stopped) return;
      if (why !== null && !why.retry) {
        if (why.kind === 'forbidden' || why.kind === 'not-a-server' || why.kind === 'outdated-server') {
          this.refuse(why);
        } else this.host.tokenRefused(why);
        return;
      }
      this.refusal = why;
    }
    this.scheduleRetry();
  }

  private scheduleRetry(delay = this.retries.nextStep(), hinted = false): void {
    if (this.stopped || this.retryTimer !== null) return;
    this.setConnection('connecting');
    this.retryHinted = hinted;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.host.isOnline()) this.connectNow();
      else this.setConnection('offline');
    }, delay);
  }

  /** Stops for good until the person acts (new token, another server). Local work is untouched. */
  refuse(refusal: Refusal): void {
    this.refusal = refusal;
    this.pause();
    this.setConnection('refused');
  }

  /**
   * Another document of this server synced after failing: it is back. A retry waiting out a backoff step comes within
   * a second instead; one waiting the time a busy server named keeps it.
   */
  serverBack(): void {
    if (this.stopped || this.retryTimer === null || this.retryHinted) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.scheduleRetry(this.retries.serverBack());
  }

  /** The OS reports no network: close the socket and stay quiet. */
  goOffline(): void {
    if (this.connection === 'refused' || this.stopped) return;
    this.pause();
    this.setConnection('offline');
  }

  /** The network is back: reconnect after a short random pause (a whole office comes back at once). */
  goOnline(): void {
    if (this.connection === 'refused' || this.stopped) return;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.scheduleRetry(this.retries.online());
  }

  private pause(): void {
    this.answered();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.heardServer = false;
    this.provider?.disconnect();
  }

  /** Whether this document is connected and may still be sending changes the server has not stored. */
  inFlight(): boolean {
    return this.provider?.wsconnected === true && this.pending() > 0;
  }

  private setConnection(connection: DocConnection): void {
    if (this.connection === connection) return;
    this.connection = connection;
    this.host.changed();
  }

  private schedulePersist(): void {
    if (this.persistQueued) return;
    this.persistQueued = true;
    this.persisting = this.persisting
      .then(() => new Promise<void>((resolve) => setTimeout(resolve, 0)))
      .then(() => {
        this.persistQueued = false;
        return this.host.persist(this.docName, {
          markers: this.pendingChanges.toJSON(),
          serverState: stateVectorToJSON(this.serverState),
          lastFullSync: this.lastFullSync,
        });
      })
      .catch((error: unknown) => {
        console.warn('sync: could not save the sync state of', this.docName, error);
      });
  }

  /** Resolves once the markers and the server's state vector are on disk. */
  async flush(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.persisting) {
      seen = this.persisting;
      await seen;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.pause();
    this.stopped = true;
    this.connection = 'stopped';
    this.doc.off('afterTransaction', this.onTransaction);
    this.doc.off('update', this.onUpdate);
    if (isRegistryDocName(this.docName) || isMaskedRegistryDocName(this.docName)) {
      auditArray(this.doc).unobserve(this.onAudit);
    }
    this.provider?.destroy();
    this.provider = null;
    await this.flush();
  }
}
