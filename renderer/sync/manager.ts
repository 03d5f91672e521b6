/**
 * The sync client of the workstation (docs/sync-client.md): joins a district server with an enrolment token,
 * keeps one DocSync per document of the communities the token names, follows the OS's online/offline reports, and
 * publishes one snapshot of the state for the header badge and the sync screen.
 *
 * Local work never depends on it: documents are loaded from Dexie first and edited there; the server only ever
 * receives and sends Yjs updates. Refusals stop the connections and leave every local byte where it is.
 */
import type * as Y from 'yjs';
import type { Role } from '@shared/sync/protocol';
import { metaMap } from '@shared/ydoc/registry';
import {
  docName as buildDocName,
  isCommunityId,
  isMaskedRegistryDocName,
  isRegistryDocName,
  parseDocName,
  YEARLY_COLLECTIONS,
  type CommunityId,
} from '@shared/ydoc/docName';
import type { KeyRing } from '../data/keyring';
import { removeCommunityData, type RemovedRows } from '../data/removeCommunity';
import { keepTokenRole, type RegistryKind } from '../data/roles';
import type { WorkstationStore } from '../data/store';
import {
  addAwayChanges,
  ensureCommunity,
  loadDocSyncState,
  loadSyncConfig,
  saveDocSyncState,
  saveSyncConfig,
  type AwayChange,
  type SyncConfig,
} from '../data/syncState';
import type { RegistryProjection } from '../data/projection';
import { DocSync, type DocSyncHost, type DocSyncStatus } from './docSync';
import { fetchRows, rowsAlongFirstSync, type FirstRowsProgress } from './firstRows';
import { readOnce } from './readOnce';
import { checkToken, refusal, type Refusal } from './refusal';
import { isPlainRemote, normaliseServerAddress, readToken } from './token';

/**
 * Longest wait of the other documents' answers for a new device's registry (see `startNow`): on a slow line they
 * are applied after this anyway.
 */
export const FIRST_ANSWER_WAIT_MS = 5_000;

/** Longest a first sync's rows progress waits to be shown again (at most 5 updates a second). */
export const FIRST_ROWS_SHOWN_MS = 200;

/** Name of the token in the platform's secret store (OS keychain on the desktop). */
export const TOKEN_SECRET = 'sync-token';

export interface SecretStore {
  storeSecret(name: string, value: string): Promise<void>;
  loadSecret(name: string): Promise<string | null>;
  deleteSecret(name: string): Promise<void>;
  /**
   * Tells the platform which server the app talks to (the desktop widens its Content-Security-Policy for it).
   * Resolves `true` when the window must reload for the change to take effect.
   */
  setSyncServer?(server: string | null): Promise<boolean>;
}

export interface SyncEnvironment {
  /** A WebSocket class for environments without one (Node tests: `ws`). */
  readonly WebSocketImpl?: typeof WebSocket;
  readonly fetchImpl?: typeof fetch;
  readonly random?: () => number;
  /** Base of the reconnect backoff (tests shorten it). */
  readonly backoffBaseMs?: number;
  isOnline(): boolean;
  /** Subscribes to the OS's online/offline reports; returns the unsubscribe. */
  onOnlineChange(listener: (online: boolean) => void): () => void;
  /** Years whose yearly documents are synced (default: this year and the last). */
  years?(): readonly number[];
  /** Longest wait of the other documents' answers for a new device's registry (default `FIRST_ANSWER_WAIT_MS`). */
  readonly firstAnswerWaitMs?: number;
}

export function browserEnvironment(): SyncEnvironment {
  return {
    isOnline: () => navigator.onLine,
    onOnlineChange: (listener) => {
      const online = () => listener(true);
      const offline = () => listener(false);
      window.addEventListener('online', online);
      window.addEventListener('offline', offline);
      return () => {
        window.removeEventListener('online', online);
        window.removeEventListener('offline', offline);
      };
    },
  };
}

export type OverallState = 'local' | 'offline' | 'connecting' | 'syncing' | 'synced' | 'refused';

export interface SyncSnapshot {
  readonly joined: boolean;
  readonly server: string | null;
  readonly user: string | null;
  readonly role: Role | null;
  readonly communities: readonly string[];
  readonly expiresAt: number | null;
  readonly online: boolean;
  readonly state: OverallState;
  /** Local changes of every document not yet stored on the server. */
  readonly pending: number;
  /** The oldest of the documents' last full syncs; `null` when one has never fully synced. */
  readonly lastFullSync: number | null;
  /** The refusal to show: of the token, or of a document, or "unreachable" while retrying. */
  readonly refusal: Refusal | null;
  readonly docs: readonly DocSyncStatus[];
}

export type JoinResult =
  | { readonly ok: true; readonly reload: boolean }
  /** `plain-address`: unencrypted (`ws://`) to another computer, and the person has not confirmed it. */
  | { readonly ok: false; readonly error: 'bad-address' | 'bad-token' | 'plain-address' }
  | { readonly ok: false; readonly error: 'refused'; readonly refusal: Refusal };

const LOCAL_SNAPSHOT: SyncSnapshot = {
  joined: false,
  server: null,
  user: null,
  role: null,
  communities: [],
  expiresAt: null,
  online: true,
  state: 'local',
  pending: 0,
  lastFullSync: null,
  refusal: null,
  docs: [],
};

/** A community's registry as this device syncs it: the registry itself or the server's masked copy. */
function isAnyRegistry(name: string): boolean {
  return isRegistryDocName(name) || isMaskedRegistryDocName(name);
}

/**
 * Meetings are planned ahead (the December notice announces January's representatives meeting), and so are the rooms:
 * a regular service across the year end keeps its part of next year in next year's activities document, and January
 * is booked in December (docs/resources-model.md, "venues"), so next year's meetings and activities documents are kept
 * in step too; cases and tasks only exist from the day they are registered.
 */
const YEARS_AHEAD: Partial<Record<(typeof YEARLY_COLLECTIONS)[number], number>> = { meetings: 1, activities: 1 };

/**
 * The documents synced for one community: the registry (or, for a viewer's community while the server masks, the
 * server's masked copy of it: docs/security.md), and the yearly documents of the given years (plus the years ahead a
 * collection plans into), for such a community their masked twins (`<community>/cases-masked/<year>`, …): the server
 * masks both or neither.
 */
export function documentsOf(community: string, years: readonly number[], registry: RegistryKind = 'full'): string[] {
  if (!isCommunityId(community)) return [];
  const names = [buildDocName({ community, collection: registry === 'masked' ? 'registry-masked' : 'registry' })];
  const latest = Math.max(...years);
  for (const collection of YEARLY_COLLECTIONS) {
    const ahead = Array.from({ length: YEARS_AHEAD[collection] ?? 0 }, (_, i) => latest + 1 + i);
    for (const year of [...ahead, ...years]) {
      names.push(buildDocName({ community, collection, year, ...(registry === 'masked' ? { masked: true } : {}) }));
    }
  }
  return names;
}

export class SyncManager {
  private config: SyncConfig | null = null;
  private token = '';
  private readonly docs = new Map<string, DocSync>();
  private tokenRefusal: Refusal | null = null;
  private online: boolean;
  private snapshot: SyncSnapshot = LOCAL_SNAPSHOT;
  private readonly listeners = new Set<() => void>();
  private readonly probes = new Map<string, Promise<Refusal | null>>();
  private readonly cleanups: (() => void)[] = [];
  private notifyQueued = false;
  private dirty = true;
  private generation = 0;
  private awayWrites: Promise<void> = Promise.resolve();
  /** While a new device's registry is on its way: the other documents apply their answers after it. */
  private gate: Promise<void> | null = null;
  /** The signed-in session's keys, to forget a community's key when its data is removed (`leave`). */
  private keyRing: KeyRing | null = null;

  constructor(
    private readonly store: WorkstationStore,
    private readonly secrets: SecretStore,
    private readonly env: SyncEnvironment,
  ) {
    this.online = env.isOnline();
  }

  // --- state for the UI --------------------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Always current (recomputed after any change), and the same object until something changes. */
  getSnapshot = (): SyncSnapshot => {
    if (this.dirty) {
      this.dirty = false;
      this.snapshot = this.computeSnapshot();
    }
    return this.snapshot;
  };

  /** What the first syncs' rows are doing (the residents list shows it while it has nobody to list). */
  getFirstRows = (): readonly FirstRowsProgress[] => this.firstRowsShown;

  private firstRows = new Map<string, FirstRowsProgress>();
  private firstRowsShown: readonly FirstRowsProgress[] = [];
  private firstRowsTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * Records a first sync's rows progress (`gone`: finished, either way), told to the screens at most every
   * `FIRST_ROWS_SHOWN_MS` (a download reports every chunk of the body), a new phase and the end at once.
   */
  private showFirstRows(progress: FirstRowsProgress, gone = false): void {
    const before = this.firstRows.get(progress.docName);
    if (gone) this.firstRows.delete(progress.docName);
    else this.firstRows.set(progress.docName, progress);
    if (gone || before?.phase !== progress.phase) {
      if (this.firstRowsTimer !== null) clearTimeout(this.firstRowsTimer);
      this.firstRowsTimer = null;
      this.publishFirstRows();
    } else if (this.firstRowsTimer === null) {
      this.firstRowsTimer = setTimeout(() => {
        this.firstRowsTimer = null;
        this.publishFirstRows();
      }, FIRST_ROWS_SHOWN_MS);
    }
  }

  private publishFirstRows(): void {
    this.firstRowsShown = [...this.firstRows.values()];
    this.changed();
  }

  private changed(): void {
    this.dirty = true;
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    queueMicrotask(() => {
      this.notifyQueued = false;
      for (const listener of this.listeners) listener();
    });
  }

  private computeSnapshot(): SyncSnapshot {
    const config = this.config;
    if (config === null) return { ...LOCAL_SNAPSHOT, online: this.online };
    const docs = [...this.docs.values()].map((doc) => doc.status());
    const pending = docs.reduce((sum, doc) => sum + doc.pending, 0);
    let lastFullSync: number | null = docs.length === 0 ? null : Infinity;
    for (const doc of docs) {
      if (doc.lastFullSync === null || lastFullSync === null) lastFullSync = null;
      else lastFullSync = Math.min(lastFullSync, doc.lastFullSync);
    }
    const docRefusal = docs.find((doc) => doc.refusal !== null)?.refusal ?? null;
    let state: OverallState;
    if (this.tokenRefusal !== null) state = 'refused';
    else if (!this.online) state = 'offline';
    else if (docs.length > 0 && docs.every((doc) => doc.connection === 'refused')) state = 'refused';
    else if (docs.some((doc) => doc.connection === 'connecting' || doc.connection === 'offline')) state = 'connecting';
    else if (docs.some((doc) => doc.connection === 'syncing') || pending > 0) state = 'syncing';
    else state = 'synced';
    return {
      joined: true,
      server: config.server,
      user: config.user,
      role: config.role,
      communities: config.communities,
      expiresAt: config.expiresAt,
      online: this.online,
      state,
      pending,
      lastFullSync: lastFullSync === Infinity ? null : lastFullSync,
      refusal: this.tokenRefusal ?? docRefusal,
      docs,
    };
  }

  // --- lifecycle ---------------------------------------------------------------------------------------------

  private lifecycle: Promise<void> = Promise.resolve();

  /** Runs start/stop/join/leave one after another (React may start and stop the manager in quick succession). */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lifecycle.then(work);
    this.lifecycle = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Starts syncing with the joined server, if any. Documents load from disk first; the network comes after. */
  start(): Promise<void> {
    return this.serial(() => this.startNow());
  }

  stop(): Promise<void> {
    return this.serial(() => this.stopNow());
  }

  private async startNow(): Promise<void> {
    const generation = ++this.generation;
    const config = await loadSyncConfig(this.store);
    if (generation !== this.generation) return;
    this.config = config;
    this.tokenRefusal = null;
    if (config === null) {
      this.store.setRole(null);
      this.changed();
      return;
    }
    this.store.setRole(config.role);
    // A device joined before roles were kept per community: keep the token's role now (roles.ts).
    await keepTokenRole(this.store, config.communities, config.role, { ifMissing: true });
    if (generation !== this.generation) return;
    this.token = (await this.secrets.loadSecret(TOKEN_SECRET)) ?? '';
    if (generation !== this.generation) return;
    if (this.token === '') this.tokenRefusal = refusal('missing');
    else if (config.expiresAt * 1000 <= Date.now()) this.tokenRefusal = refusal('expired');
    this.cleanups.push(
      this.env.onOnlineChange((online) => {
        this.online = online;
        for (const doc of this.docs.values()) {
          if (online) doc.goOnline();
          else doc.goOffline();
        }
        this.changed();
      }),
    );
    this.online = this.env.isOnline();
    const years = this.env.years?.() ?? [new Date().getFullYear(), new Date().getFullYear() - 1];
    for (const community of config.communities) await ensureCommunity(this.store, community);
    // Every document is read from disk at once, then connected in order (the registry of each community first).
    // One after the other, the last ones would wait for IndexedDB and the main thread behind the first answers (a
    // new device's registry is megabytes), and the badge with them.
    const loaded = await Promise.all(
      config.communities.flatMap((community) =>
        documentsOf(community, years, registryKindIn(this.store, community)).map(async (name) => {
          const [doc, stored] = await Promise.all([this.store.document(name), loadDocSyncState(this.store, name)]);
          return { community, name, doc, stored };
        }),
      ),
    );
    if (generation !== this.generation) return;
    const registries: DocSync[] = [];
    const others: DocSync[] = [];
    /** Registries of a first sync: their rows are fetched and adopted while the document syncs (firstRows.ts). */
    const rowsFirst = new Map<DocSync, Promise<RegistryProjection>>();
    for (const { community, name, doc, stored } of loaded) {
      const sync = new DocSync(name, doc, stored, this.host());
      this.docs.set(name, sync);
      if (isAnyRegistry(name)) {
        this.followCommunityName(community, doc);
        registries.push(sync);
        // The residents list and search follow the registry from the first piece the server sends: a new device's
        // answer is then projected as it is applied, not rebuilt later when a screen first asks.
        if (isCommunityId(community)) {
          const started = this.store.registry(community);
          started.catch((error: unknown) => console.error('projection could not start', error));
          if (sync.isFirstSync())
            rowsFirst.set(
              sync,
              started.then((registry) => registry.projection),
            );
        }
      } else others.push(sync);
    }
    // A new device's registry is megabytes: the other documents' answers are applied once it is (they arrive
    // meanwhile), so that they do not hold the main thread while it comes; the residents come first.
    const first = registries.filter((sync) => sync.isFirstSync());
    this.gate =
      first.length === 0
        ? null
        : Promise.race([
            Promise.all(first.map((sync) => sync.firstApplied)).then(() => undefined),
            new Promise<void>((resolve) => setTimeout(resolve, this.env.firstAnswerWaitMs ?? FIRST_ANSWER_WAIT_MS)),
          ]).then(() => {
            if (generation === this.generation) this.gate = null;
          });
    if (this.tokenRefusal === null) {
      for (const sync of [...registries, ...others]) {
        const projection = rowsFirst.get(sync);
        if (projection === undefined || !this.online) sync.start();
        else {
          // The document's sync starts at once; the rows come meanwhile (firstRows.ts: either may arrive first).
          const { docName } = sync;
          const show = (phase: FirstRowsProgress['phase'], done: number, total: number | null) => {
            if (generation === this.generation) this.showFirstRows({ docName, phase, done, total });
          };
          const rows = (signal: AbortSignal) =>
            fetchRows(config.server, this.token, docName, this.env.fetchImpl, {
              signal,
              onProgress: ({ residents, total }) => show('download', residents, total),
            });
          void rowsAlongFirstSync(sync, projection, rows, (written, total) => show('write', written, total)).finally(
            () => {
              if (generation === this.generation)
                this.showFirstRows({ docName, phase: 'write', done: 0, total: null }, true);
            },
          );
        }
      }
    }
    this.changed();
    if (this.tokenRefusal === null && config.role === 'viewer') void this.recheckRegistry(generation, config);
  }

  /**
   * A viewer's registry follows the server's choice (docs/security.md): a device that joined before the server masked
   * (or before this version) syncs the registry itself, and the server now refuses it (`registry-masked-only`); one
   * that syncs the masked copy while the server stopped masking is refused that (`masking-off`). Either way the kept
   * registry changes (roles.ts drops the copy no longer read) and syncing starts again.
   */
  private async recheckRegistry(generation: number, config: SyncConfig): Promise<void> {
    const first = config.communities.find((community): community is CommunityId => isCommunityId(community));
    if (first === undefined) return;
    const current = registryKindIn(this.store, first);
    const check = await checkToken(config.server, this.token, this.store.registryName(first), this.env.fetchImpl);
    if (generation !== this.generation || check.ok) return;
    const wanted: RegistryKind | null =
      check.reason === 'registry-masked-only' ? 'masked' : check.reason === 'masking-off' ? 'full' : null;
    if (wanted === null || wanted === current) return;
    await this.serial(async () => {
      if (generation !== this.generation) return;
      await this.stopNow();
      await keepTokenRole(this.store, config.communities, config.role, { registry: wanted });
      await this.startNow();
    });
  }

  /**
   * Reads once a document the server keeps and this device does not sync: an archived year of a registry's audit
   * (docs/registry-model.md, "Where the audit lives"). Rejects when the device has joined no server, is offline, or
   * the server refuses (a viewer reading masked copies).
   */
  readArchive(docName: string): Promise<Y.Doc> {
    const server = this.config?.server ?? '';
    if (server === '' || this.token === '' || !this.online) {
      return Promise.reject(new Error('not connected to a sync server'));
    }
    return readOnce(server, this.token, docName, { WebSocketImpl: this.env.WebSocketImpl });
  }

  private host(): DocSyncHost {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the host object is read by DocSync later
    const manager = this;
    return {
      server: this.config?.server ?? '',
      token: this.token,
      deviceId: this.store.deviceId,
      WebSocketImpl: this.env.WebSocketImpl,
      random: this.env.random ?? Math.random,
      backoffBaseMs: this.env.backoffBaseMs,
      isOnline: () => manager.online,
      changed: () => manager.changed(),
      persist: (name, state) => saveDocSyncState(manager.store, name, state),
      probe: (name) => manager.probe(name),
      tokenRefused: (why) => manager.refuseToken(why),
      serverReached: (name) => {
        for (const [other, doc] of manager.docs) if (other !== name) doc.serverBack();
      },
      awayChanges: (name, changes) => manager.recordAway(name, changes),
      applyReceived: (name, doc, updates, origin) => manager.store.docs.applyReceived(name, doc, updates, origin),
      answerGate: (name) => (isAnyRegistry(name) ? null : manager.gate),
    };
  }

  private followCommunityName(community: string, doc: Y.Doc): void {
    if (!isCommunityId(community)) return;
    const meta = metaMap(doc);
    const refresh = () => {
      const name = meta.get('communityName');
      if (typeof name === 'string' && name !== '') void this.store.refreshCommunityName(community, name);
    };
    meta.observe(refresh);
    this.cleanups.push(() => meta.unobserve(refresh));
    refresh();
  }

  /** One HTTP token check at a time per document, whatever the number of failed sockets. */
  private probe(name: string): Promise<Refusal | null> {
    let running = this.probes.get(name);
    if (running === undefined) {
      const config = this.config;
      running = (
        config === null
          ? Promise.resolve(null)
          : checkToken(config.server, this.token, name, this.env.fetchImpl).then((check) =>
              check.ok ? null : check.refusal,
            )
      ).finally(() => this.probes.delete(name));
      this.probes.set(name, running);
    }
    return running;
  }

  private refuseToken(why: Refusal): void {
    this.tokenRefusal = why;
    for (const doc of this.docs.values()) doc.refuse(why);
    this.changed();
  }

  private recordAway(name: string, changes: AwayChange[]): void {
    const ref = parseDocName(name);
    if (ref === null) return;
    this.awayWrites = this.awayWrites
      .then(() => addAwayChanges(this.store, ref.community, changes))
      .catch((error: unknown) => console.warn('sync: could not record changes by others', error));
  }

  /**
   * Joins a server with an enrolment token: checks it with the server, keeps it, and starts syncing. An unencrypted
   * address of another computer (`isPlainRemote`) is refused before the token goes anywhere, unless `allowPlain`
   * says the person confirmed it.
   */
  async join(
    serverInput: string,
    tokenInput: string,
    { allowPlain = false }: { readonly allowPlain?: boolean } = {},
  ): Promise<JoinResult> {
    performance.mark('cgw:join');
    const server = normaliseServerAddress(serverInput);
    if (server === null) return { ok: false, error: 'bad-address' };
    if (isPlainRemote(server) && !allowPlain) return { ok: false, error: 'plain-address' };
    const token = tokenInput.trim();
    const info = readToken(token);
    const first = info?.communities.find((community): community is CommunityId => isCommunityId(community));
    if (info === null || first === undefined) return { ok: false, error: 'bad-token' };
    // A viewer's token syncs the server's masked registry, unless the server sends viewers the registry in full.
    const registryOf = (kind: RegistryKind) =>
      buildDocName({ community: first, collection: kind === 'masked' ? 'registry-masked' : 'registry' });
    let check = await checkToken(
      server,
      token,
      registryOf(info.role === 'viewer' ? 'masked' : 'full'),
      this.env.fetchImpl,
    );
    if (!check.ok && check.reason === 'masking-off') {
      check = await checkToken(server, token, registryOf('full'), this.env.fetchImpl);
    } else if (!check.ok && check.reason === 'registry-masked-only') {
      check = await checkToken(server, token, registryOf('masked'), this.env.fetchImpl);
    }
    if (!check.ok) return { ok: false, error: 'refused', refusal: check.refusal };
    const registry = check.registry;
    return this.serial(async () => {
      await this.stopNow();
      // History entries name the signed-in account (store.actAs), never the token's user: the token names whom the
      // server lets in, not who is at the keyboard (docs/accounts.md).
      await this.secrets.storeSecret(TOKEN_SECRET, token);
      await saveSyncConfig(this.store, {
        server,
        user: check.user || info.user,
        role: check.role,
        communities: [...check.communities],
        tokenId: info.tokenId,
        expiresAt: info.expiresAt,
        joinedAt: Date.now(),
      });
      // The role the communities are received with stays on this device after leaving, and which registry document
      // they come in (roles.ts: a change drops the copy no longer read).
      await keepTokenRole(this.store, check.communities, check.role, { registry });
      const reload = (await this.secrets.setSyncServer?.(server)) ?? false;
      if (!reload) await this.startNow();
      return { ok: true, reload } as const;
    });
  }

  /**
   * The signed-in session's key ring (vault.ts `Session`), or `null` at sign-out: removing a community's data forgets
   * its key too. Set by the sign-in (renderer/features/account).
   */
  setKeyRing(keyRing: KeyRing | null): void {
    this.keyRing = keyRing;
  }

  /**
   * Leaves the server: forgets the token and stops syncing. Every local document stays, unless `remove` names
   * communities whose data is to be removed from this device (从本机删除本社区数据: every row and its key, see
   * data/removeCommunity.ts). The communities' kept roles stay with the data that stays (roles.ts).
   */
  leave({ remove = [] }: { readonly remove?: readonly string[] } = {}): Promise<Map<string, RemovedRows>> {
    return this.serial(async () => {
      await this.stopNow();
      await this.secrets.deleteSecret(TOKEN_SECRET);
      await saveSyncConfig(this.store, null);
      await this.secrets.setSyncServer?.(null);
      const removed = new Map<string, RemovedRows>();
      for (const community of remove) {
        removed.set(community, await removeCommunityData(this.store, community, this.keyRing));
      }
      await this.startNow();
      return removed;
    });
  }

  /** Tries again now (after a refusal the person fixed on the server side, or to skip the backoff). */
  retry(): void {
    this.tokenRefusal = null;
    for (const doc of this.docs.values()) doc.start();
    this.changed();
  }

  /**
   * Before the window closes: while connected with changes in flight, wait up to `timeoutMs` for the server to
   * store them. Offline (or nothing in flight) it resolves at once: the changes are safe on disk and go out next time.
   */
  async whenSaved(timeoutMs = 3_000): Promise<boolean> {
    const busy = () => this.online && [...this.docs.values()].some((doc) => doc.inFlight());
    const deadline = Date.now() + timeoutMs;
    while (busy()) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.flush();
    return true;
  }

  /** Writes the sync state (markers, server state vectors, changes by others) to disk. */
  async flush(): Promise<void> {
    await Promise.all([...this.docs.values()].map((doc) => doc.flush()));
    await this.awayWrites;
  }

  private async stopNow(): Promise<void> {
    this.generation++;
    this.gate = null;
    if (this.firstRowsTimer !== null) clearTimeout(this.firstRowsTimer);
    this.firstRowsTimer = null;
    this.firstRows.clear();
    if (this.firstRowsShown.length > 0) this.publishFirstRows();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    await Promise.all([...this.docs.values()].map((doc) => doc.stop()));
    this.docs.clear();
    await this.awayWrites;
    this.config = null;
    this.tokenRefusal = null;
    this.changed();
  }
}

/** Which registry document the device syncs and reads for a community (roles.ts `KeptRole.registry`). */
function registryKindIn(store: WorkstationStore, community: string): RegistryKind {
  return isCommunityId(community) && isMaskedRegistryDocName(store.registryName(community)) ? 'masked' : 'full';
}
