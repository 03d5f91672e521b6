import * as Y from 'yjs';
import type { CommandContext, CommandResult } from '@shared/domain/registry/commands';
import { setCommunityMeta } from '@shared/domain/registry/commands';
import type { ResidentMatch } from '@shared/domain/registry/search';
import { ResidentSearchIndex } from '@shared/domain/registry/searchIndex';
import { headRefSchema, type HeadRef, type Permission } from '@shared/domain/registry/types';
import type { Result } from '@shared/domain/result';
import type { Role } from '@shared/sync/protocol';
import {
  docName,
  isCommunityId,
  maskedYearlyName,
  parseDocName,
  toCommunityId,
  unmaskedYearlyName,
  type CommunityId,
  type DocRef,
} from '@shared/ydoc/docName';
import { DB_NAME, WorkstationDb, type ProjectionStateRow, type ResidentRow } from './db';
import { LocalDocs } from './docs';
import { figureRows } from './figureRows';
import { markSealed, migrateToSealed, readSealedMark, type SealProgress } from './migrateToSealed';
import { RegistryProjection, type ProjectionChange } from './projection';
import { KeysFirst, listMatches, matchOf } from './keysFirst';
import {
  LIST_HEAD_SIZE,
  listRowOf,
  readListHead,
  readResidentRows,
  RESIDENT_KEYS_FORMAT,
  type ListHead,
} from './projectionRows';
import { narrower, permissionsOf, readKeptRoles } from './roles';
import { SealedRows } from './sealed';
import {
  type UserIdentity,
  type ActingAccount,
  type ResidentFilter,
  type ResidentHit,
  type ResidentListHit,
  DEMO_COMMUNITY_ID,
  type StoreOptions,
  type CodecStoreOptions,
  MissingKeysError,
  afterPaint,
  inBackground,
  personKey,
  LEGACY_USER_SETTING,
  randomId,
} from './storeParts';

// What the app and the tests take from the store of its types and helpers (storeParts.ts).
export {
  afterPaint,
  LEGACY_USER_SETTING,
  MissingKeysError,
  personKey,
  type CodecStoreOptions,
  type ResidentFilter,
  type ResidentHit,
  type ResidentListHit,
  type StoreOptions,
} from './storeParts';

/** How long one slice of `indexInSlices` may hold the main thread: a key pressed meanwhile waits at most this. */
const INDEX_SLICE_MS = 8;
/** Residents indexed between two looks at the clock (about a millisecond's work). */
const INDEX_BATCH = 200;

export type Command<I, T> = (doc: Y.Doc, ctx: CommandContext, input: I) => CommandResult<T>;

/**
 * Told once when a document of a collection is first opened on this device (for example to watch the cases of a year
 * for edits of signed records arriving by sync). Registered by the feature that owns the collection.
 */
export type DocOpener = (doc: Y.Doc, ref: DocRef, store: WorkstationStore) => void;

/** A projection's change of some rows, applied to a community's index of everyone. */
function applyChange(index: ResidentSearchIndex<ResidentRow>, change: ProjectionChange): void {
  for (const row of change.residents) index.set(row);
  for (const id of change.removedResidents) index.delete(id);
}

/**
 * The data service of the renderer: the Dexie database, the Yjs documents on this device, their projections and the
 * in-memory search index. Screens reach it through the hooks of ./hooks.ts; nothing else touches Dexie.
 */
export class WorkstationStore {
  readonly docs: LocalDocs;
  private readonly projections = new Map<string, Promise<RegistryProjection>>();
  /**
   * Per registry document: resident rows by id with their search index, kept in step row by row by the projection
   * (search asks it for matches; docs/registry-model.md, "Resident search and its index"). In memory only.
   */
  private readonly residentIndex = new Map<string, ResidentSearchIndex<ResidentRow>>();
  private readonly indexListeners = new Set<() => void>();
  private readonly indexLoads = new Map<string, Promise<ResidentSearchIndex<ResidentRow>>>();
  /**
   * Changes the projection told while a registry's rows were being read from disk (the read may have been made before
   * they were written): applied over those rows once read.
   */
  private readonly changesDuringLoad = new Map<string, ProjectionChange[]>();
  private readonly headReads = new Map<string, Promise<ListHead | null>>();
  /** Reads of a registry's resident rows in progress: its document waits for them (see `document`). */
  private readonly rowReads = new Map<string, Promise<unknown>>();
  /** The search keys of registries whose rows are being read: search answers from them meanwhile. */
  private readonly keysFirst: KeysFirst;
  /** Per registry being read: whether its search keys were read first (resolves before its rows are read). */
  private readonly keyReads = new Map<string, Promise<boolean>>();
  private deviceIdValue = '';
  private identity: UserIdentity = { userId: 'local', userName: '' };
  private account: ActingAccount | null = null;
  private role: Role | null = null;
  /** Per community: the role it was received with, kept on this device (renderer/data/roles.ts). */
  private readonly keptRoles = new Map<string, Role>();
  /** Communities whose registry this device holds as the server's masked copy (a viewer's: roles.ts). */
  private readonly maskedRegistries = new Set<string>();
  /** The signed-in account's role (renderer/data/vault.ts); `null` while the device has no accounts. */
  private accountRole: Role | null = null;
  /** The community the screens show: the one `permissions()` answers for when not told. */
  private current: string | null = null;
  private readonly roleListeners = new Set<() => void>();
  private readonly openers = new Map<string, DocOpener[]>();
  private readonly opened = new Map<string, Promise<Y.Doc>>();

  private constructor(readonly db: WorkstationDb) {
    this.docs = new LocalDocs(db);
    this.keysFirst = new KeysFirst(db);
  }

  /**
   * Opens the workstation's database (`DB_NAME` unless named) with the signed-in person's keys. A store from before
   * encryption at rest opens too (its rows in clear are read as they are): call `migrateToSealed` then. A new
   * database is sealed from its first row. At sign-out or the idle lock, `close()` the store before the keys are
   * forgotten (it writes out what is pending, sealed).
   */
  static async open(dbName: string | undefined, options: StoreOptions | CodecStoreOptions): Promise<WorkstationStore> {
    // Types refuse a call without keys; a caller in plain JavaScript gets the error.
    if ((options as StoreOptions | CodecStoreOptions | undefined) === undefined) throw new MissingKeysError();
    const rows = 'keys' in options ? new SealedRows(options.keys) : options.rows;
    const store = new WorkstationStore(new WorkstationDb(dbName ?? DB_NAME, rows));
    await store.db.open();
    try {
      if (rows instanceof SealedRows) {
        // A database made now holds nothing in clear, ever; one marked sealed refuses rows in clear (and, its mark
        // being sealed with the device key, one sealed by other keys fails here).
        if (store.db.created) await markSealed(store.db, rows);
        else if (await readSealedMark(store.db)) rows.refusePlainRows();
      }
      // What the screens show first, meanwhile (not waited for): the key of the community they open and the first
      // page of its residents list, read and opened while the workstation draws its shell (the list asks for it then).
      void store.db.settings
        .get('currentCommunity')
        .then((row) => {
          if (typeof row?.value !== 'string') return;
          if (rows instanceof SealedRows) rows.prefetch(row.value);
          if (isCommunityId(row.value)) void store.readHeadOnce(store.registryName(row.value)).catch(() => undefined);
        })
        .catch(() => undefined);
      await store.loadDevice();
      await store.loadRoles();
      // The dashboard's figure rows follow every document opened from now on (docs/dashboard-model.md).
      figureRows(store);
    } catch (error) {
      // Not left open: a store that cannot be read (other keys) must not hold the database.
      store.db.close();
      throw error;
    }
    return store;
  }

  /**
   * Whether every row of the store is sealed. `false` for a store written before encryption at rest until
   * `migrateToSealed` has run to its end.
   */
  get sealed(): boolean {
    return this.db.rows instanceof SealedRows && this.db.rows.refusesPlainRows;
  }

  /**
   * Seals in place every row still in clear (a store from before encryption at rest), in batches of one
   * transaction each, telling `onProgress(done, total)` after each; a run cut short (the app killed) loses nothing,
   * and the next run goes on. Does nothing on a sealed store: the app may call it after every sign-in.
   */
  async migrateToSealed(onProgress?: SealProgress): Promise<void> {
    await migrateToSealed(this.db, onProgress);
  }

  private async loadDevice(): Promise<void> {
    const device = await this.db.settings.get('deviceId');
    if (typeof device?.value === 'string') this.deviceIdValue = device.value;
    else {
      this.deviceIdValue = randomId();
      await this.db.settings.put({ key: 'deviceId', value: this.deviceIdValue });
    }
    // Until `actAs`, nobody is named: records name the signed-in account only (docs/accounts.md). The free-text name
    // of versions before accounts (setting `user`) is never read again; it is deleted, as it may name a person.
    this.identity = { userId: `local-${this.deviceIdValue.slice(0, 8)}`, userName: '' };
    await this.db.sealedSettings.delete(LEGACY_USER_SETTING);
  }

  get deviceId(): string {
    return this.deviceIdValue;
  }

  get user(): UserIdentity {
    return this.identity;
  }

  /**
   * The signed-in account acts from now on (renderer/features/account calls this as the store opens): every audit
   * entry, signature and history line names it, by account id and name, never by a typed name.
   */
  actAs(account: ActingAccount): void {
    this.account = account;
    this.identity = { userId: account.id, userName: account.name };
  }

  /**
   * Who the person at this device is in a community's registry (a resident or a volunteer, as heads are), so "my
   * cases" and "my action items" follow the person rather than a typed name. `null` when not linked yet.
   */
  async personIn(community: CommunityId): Promise<HeadRef | null> {
    const account = this.account;
    let row = await this.db.sealedSettings.get(personKey(community, account?.id));
    if (row === undefined && account !== null && account.createdBy === null) {
      row = await this.db.sealedSettings.get(personKey(community));
    }
    const parsed = headRefSchema.safeParse(row?.value);
    return parsed.success ? parsed.data : null;
  }

  async setPersonIn(community: CommunityId, person: HeadRef | null): Promise<void> {
    const key = personKey(community, this.account?.id);
    // An account's unlink is kept as `null`, so the first account does not fall back to the device's old link.
    if (person === null && this.account === null) await this.db.sealedSettings.delete(key);
    else await this.db.sealedSettings.put({ key, value: person === null ? null : headRefSchema.parse(person) });
  }

  /** The kept roles of the communities on this device, and the community the screens show (roles.ts). */
  private async loadRoles(): Promise<void> {
    for (const [community, kept] of await readKeptRoles(this.db)) {
      this.keptRoles.set(community, kept.role);
      if (kept.registry === 'masked') this.maskedRegistries.add(community);
    }
    const current = await this.db.settings.get('currentCommunity');
    this.current = typeof current?.value === 'string' ? current.value : null;
  }

  /**
   * The role the acting person has in a community: the narrowest of the joined sync token's (while joined), the
   * community's kept role (the role it was received with, kept after leaving sync: roles.ts) and the signed-in
   * account's. `null` when none restricts (a device working alone on its own communities). Without a community, the
   * one the screens show; with none known, the narrowest kept role of all (fail closed).
   */
  roleIn(community: string | null = this.current): Role | null {
    let role = narrower(this.accountRole, this.role);
    if (community !== null) return narrower(role, this.keptRoles.get(community) ?? null);
    for (const kept of this.keptRoles.values()) role = narrower(role, kept);
    return role;
  }

  /**
   * What the acting person may do in a community (by default the one the screens show). With no sync server and no
   * restriction kept, the person at the keyboard runs their own office and holds every permission; a token, a kept
   * viewer's role or the account's role narrows it (see `roleIn`).
   */
  permissions(community?: string | null): ReadonlySet<Permission> {
    return permissionsOf(this.roleIn(community));
  }

  /**
   * The role of the sync token this device joined with (renderer/sync), or `null` when it works alone. A viewer may
   * change nothing but the access log (the server drops the rest), so the app refuses other writes before they are
   * made. Leaving sync does not lift a community's kept role (roles.ts).
   */
  setRole(role: Role | null): void {
    this.role = role;
    this.rolesChanged();
  }

  /** The signed-in account's role (renderer/data/vault.ts `Account.role`); `null` at sign-out or without accounts. */
  setAccountRole(role: Role | null): void {
    this.accountRole = role;
    this.rolesChanged();
  }

  /** @internal (roles.ts) a community's kept role as just stored, or `null` when forgotten. */
  setKeptRole(community: string, role: Role | null, maskedRegistry = false): void {
    if (role === null) this.keptRoles.delete(community);
    else this.keptRoles.set(community, role);
    if (role !== null && maskedRegistry) this.maskedRegistries.add(community);
    else this.maskedRegistries.delete(community);
    this.rolesChanged();
  }

  /**
   * The name of the registry document this device reads for a community: `<community>/registry`, or the server's
   * masked copy `<community>/registry-masked` for a community received as a viewer's (docs/security.md). The two are
   * never both held: roles.ts drops one when the other takes its place.
   */
  registryName(community: CommunityId): string {
    return docName({ community, collection: this.maskedRegistries.has(community) ? 'registry-masked' : 'registry' });
  }

  /**
   * The name a yearly document is stored and synced under on this device: its masked twin
   * (`<community>/cases-masked/<year>`, shared/ydoc/yearlyMasked.ts) for a community whose registry it holds masked
   * (a viewer's: the server masks both), else the name itself. Screens ask for `<community>/cases/<year>` either way.
   */
  storedName(name: string): string {
    const logical = unmaskedYearlyName(name);
    const community = parseDocName(logical)?.community;
    return community !== undefined && this.maskedRegistries.has(community) ? maskedYearlyName(logical) : logical;
  }

  /**
   * Whether the acting person may set a community's role on this device (roles.ts `grantRole`): an admin of the
   * device, whatever the community's kept role. Until sign-in gives accounts, that is the store's admin permission
   * without a community (no account role narrows it, and no joined token but an admin's).
   */
  mayGrantRoles(): boolean {
    return permissionsOf(narrower(this.accountRole, this.role)).has('admin');
  }

  /** Told when any role changes (joined or left, account signed in, a kept role granted or forgotten). */
  onRolesChange(listener: () => void): () => void {
    this.roleListeners.add(listener);
    return () => this.roleListeners.delete(listener);
  }

  private rolesChanged(): void {
    for (const listener of this.roleListeners) listener();
  }

  /** The context of a command in a community (by default the one the screens show): who acts, and may do what. */
  commandContext(community?: string | null): CommandContext {
    return {
      actor: {
        userId: this.identity.userId,
        userName: this.identity.userName || this.identity.userId,
        deviceId: this.deviceIdValue,
      },
      now: () => new Date(),
      newId: randomId,
      permissions: this.permissions(community),
    };
  }

  // --- communities ---------------------------------------------------------------------------------------------

  async createCommunity(input: { id: string; name: string; streetName?: string; districtName?: string }) {
    const id = toCommunityId(input.id.trim());
    if (await this.db.communities.get(id)) throw new Error(`community ${id} exists`);
    const doc = await this.docs.get(docName({ community: id, collection: 'registry' }));
    const result = setCommunityMeta(doc, this.commandContext(id), {
      communityName: input.name,
      streetName: input.streetName ?? '',
      districtName: input.districtName ?? '',
    });
    if (!result.ok) return result;
    const now = Date.now();
    await this.docs.flush();
    await this.db.communities.put({ id, name: input.name.trim(), addedAt: now, lastOpenedAt: now });
    await this.setCurrentCommunity(id);
    return result;
  }

  /**
   * Adds the generated demo community (see shared/domain/registry/demo.ts): the update is applied to a new local
   * registry document exactly as if it had arrived by sync.
   */
  async addDemoCommunity(update: Uint8Array, id = DEMO_COMMUNITY_ID): Promise<CommunityId> {
    const community = toCommunityId(id);
    const doc = await this.docs.get(docName({ community, collection: 'registry' }));
    Y.applyUpdate(doc, update, 'demo');
    await this.docs.flush();
    const name = (doc.getMap('meta').get('communityName') as string | undefined) ?? id;
    const now = Date.now();
    await this.db.communities.put({ id: community, name, addedAt: now, lastOpenedAt: now });
    await this.setCurrentCommunity(community);
    return community;
  }

  async setCurrentCommunity(id: CommunityId): Promise<void> {
    await this.db.transaction('rw', this.db.settings, this.db.communities, async () => {
      await this.db.settings.put({ key: 'currentCommunity', value: id });
      await this.db.communities.update(id, { lastOpenedAt: Date.now() });
    });
    this.current = id;
    this.rolesChanged();
  }

  /** Keeps the community list's name in step with the registry document (renamed here or on another device). */
  async refreshCommunityName(id: CommunityId, name: string): Promise<void> {
    const row = await this.db.communities.get(id);
    if (row && row.name !== name && name) await this.db.communities.update(id, { name });
  }

  // --- documents and commands ----------------------------------------------------------------------------------

  /** The registry document of a community, loaded from disk, with its projection running. */
  async registry(community: CommunityId): Promise<{ doc: Y.Doc; projection: RegistryProjection }> {
    const name = this.registryName(community);
    const doc = await this.document(name);
    let projection = this.projections.get(name);
    if (!projection) {
      projection = this.startProjection(name, doc);
      this.projections.set(name, projection);
      projection.catch(() => this.projections.delete(name));
    }
    return { doc, projection: await projection };
  }

  private async startProjection(name: string, doc: Y.Doc): Promise<RegistryProjection> {
    const projection = new RegistryProjection(this.db, name, doc);
    projection.onChange((change) => {
      const index = this.residentIndex.get(name);
      if (change.everyone) {
        // A rebuild or a first sync knows everyone: the index is that (the same map: a load in progress holds it),
        // and need not be read back from disk.
        const next = index ?? new ResidentSearchIndex<ResidentRow>();
        next.replaceAll(change.everyone);
        this.residentIndex.set(name, next);
        this.indexInSlices(() => this.residentIndex.get(name) === next, next);
        this.headReads.delete(name);
        // The keys answer no more (everyone is known): let them go.
        this.keysFirst.drop(name);
        if (!index) performance.mark('cgw:resident-index');
        this.notifyIndex();
        return;
      }
      for (const row of change.residents) this.keysFirst.set(name, row);
      for (const id of change.removedResidents) this.keysFirst.delete(name, id);
      if (!index && this.indexLoads.has(name)) {
        // Everyone's rows are being read: the read may come before this change is written (a flush tells first).
        const told = this.changesDuringLoad.get(name) ?? [];
        told.push(change);
        this.changesDuringLoad.set(name, told);
      }
      if (index) applyChange(index, change);
      // The lists follow whichever index answers them: everyone's rows, or the keys.
      if (index || this.keysFirst.indexOf(name)) this.notifyIndex();
    });
    await projection.start();
    return projection;
  }

  /**
   * Opens a community's registry in the background, after its residents list has been read from disk and painted:
   * its search keys first (the list answers from them), then its document (loading a big document holds the main
   * thread for a moment, so it must not come before the first list). Everyone's rows are read only when something
   * needs their records (a picker's broad search, an export: `residentRows`), or when the projection has no keys.
   */
  openLater(community: CommunityId): void {
    // A screen unmounting while the app closes may still ask: nothing to open any more.
    if (!this.db.isOpen()) return;
    const name = this.registryName(community);
    // Everyone is in memory already (a first sync told them, or a screen before this one read them): no head to read.
    if (this.residentIndex.has(name)) return;
    // The keys are read once the list head has painted: reading megabytes holds the main thread, and the first list a
    // person sees must neither wait for it nor freeze under it.
    void this.readHeadOnce(name)
      .then(() => new Promise<void>((resolve) => afterPaint(resolve)))
      .then(() => (this.db.isOpen() ? this.residentKeys(community) : undefined))
      .catch((error: unknown) => console.error(error));
  }

  /** Registers a `DocOpener` for every document of a collection opened from now on (and those already open). */
  onDocOpen(collection: DocRef['collection'], opener: DocOpener): void {
    const list = this.openers.get(collection) ?? [];
    list.push(opener);
    this.openers.set(collection, list);
    for (const [name, doc] of this.opened) {
      const ref = parseDocName(name);
      if (ref?.collection === collection) void doc.then((loaded) => opener(loaded, ref, this));
    }
  }

  /**
   * Any document of a community by name (`docName(...)`): the registry, or a yearly document of cases, meetings or
   * tasks. Loaded from disk on first use, with the collection's openers told once.
   */
  async document(name: string): Promise<Y.Doc> {
    // A yearly document is asked for by its own name, and opened under the name it is stored by (`storedName`).
    name = unmaskedYearlyName(name);
    let doc = this.opened.get(name);
    if (!doc) {
      const ref = parseDocName(name);
      if (!ref) throw new Error(`not a document name: ${name}`);
      // A registry whose resident rows are being read waits for them: the search answers from those rows, and
      // loading the document (megabytes, for sync) meanwhile held the read back by seconds (docs/bench-scale.md,
      // "search_ready_ms"). Any other document of the community waits for the registry's search keys, read first:
      // the yearly documents opened by sync in the same second held the keys' read back (docs/bench-scale.md,
      // "Search keys read first").
      const rowsFirst =
        ref.collection === 'registry' || ref.collection === 'registry-masked'
          ? (this.rowReads.get(name) ?? this.keyReads.get(name))
          : this.keyReads.get(this.registryName(ref.community));
      const load = rowsFirst
        ? rowsFirst.then(
            () => this.docs.get(this.storedName(name)),
            () => this.docs.get(this.storedName(name)),
          )
        : this.docs.get(this.storedName(name));
      doc = load.then((loaded) => {
        for (const opener of this.openers.get(ref.collection) ?? []) opener(loaded, ref, this);
        return loaded;
      });
      this.opened.set(name, doc);
      doc.catch(() => this.opened.delete(name));
    }
    return doc;
  }

  /** Runs a domain command against any document of a community (see `document`). */
  async runOn<I, T, E>(
    name: string,
    command: (doc: Y.Doc, ctx: CommandContext, input: I) => Result<T, E>,
    input: I,
  ): Promise<Result<T, E>> {
    const doc = await this.document(name);
    return command(doc, this.commandContext(parseDocName(name)?.community ?? null), input);
  }

  /** Runs a domain command against a community's registry; the projection and the screens follow. */
  async run<I, T>(community: CommunityId, command: Command<I, T>, input: NoInfer<I>): Promise<CommandResult<T>> {
    const { doc } = await this.registry(community);
    return command(doc, this.commandContext(community), input);
  }

  // --- search --------------------------------------------------------------------------------------------------

  /**
   * The first page of the residents list kept by the projection, while the whole community is not in memory yet
   * (then `null`: the index answers). Starts loading the index, which tells the lists when it is there.
   */
  private async listHead(community: CommunityId): Promise<{ total: number; rows: readonly ResidentRow[] } | null> {
    const name = this.registryName(community);
    if (this.residentIndex.has(name)) return null;
    const head = await this.readHeadOnce(name);
    if (this.residentIndex.has(name)) return null;
    if (head) this.openLater(community);
    return head;
  }

  /**
   * One read of a document's list head until its index is in memory. The index waits for it (see `openLater`):
   * IndexedDB answers one read after the other, and the head must not queue behind megabytes of buckets.
   */
  private readHeadOnce(name: string): Promise<ListHead | null> {
    let read = this.headReads.get(name);
    if (!read) {
      performance.mark('cgw:list-head-read');
      read = readListHead(this.db, name).then(
        (head) => {
          performance.mark(head ? 'cgw:list-head' : 'cgw:list-head-missing');
          return head;
        },
        (error: unknown) => {
          // A read that failed (the store closed meanwhile, say) is not kept: the next asks again.
          if (this.headReads.get(name) === read) this.headReads.delete(name);
          throw error;
        },
      );
      this.headReads.set(name, read);
    }
    return read;
  }

  /** One resident's row (from the in-memory index; loads it on first use). */
  async residentRow(community: CommunityId, id: string): Promise<ResidentRow | undefined> {
    return (await this.residentRows(community)).get(id);
  }

  private async residentRows(community: CommunityId): Promise<ResidentSearchIndex<ResidentRow>> {
    const name = this.registryName(community);
    const index = this.residentIndex.get(name);
    if (index) return index;
    // One read however many screens ask at once (the list, its filters and the store's own opening all do).
    let loading = this.indexLoads.get(name);
    if (!loading) {
      loading = this.loadResidentIndex(community, name);
      this.indexLoads.set(name, loading);
      void loading
        .finally(() => {
          this.indexLoads.delete(name);
          this.changesDuringLoad.delete(name);
        })
        .catch(() => undefined);
    }
    return loading;
  }

  /**
   * Reads a registry's search keys once (`true` when they answer; keysFirst.ts) and tells the lists; then opens its
   * document after a paint. A registry without keys (an older projection) reads everyone's rows instead, which open
   * the document after them (`indexEveryone`). The read stays known until the community is closed.
   */
  private residentKeys(community: CommunityId): Promise<boolean> {
    const name = this.registryName(community);
    const known = this.keyReads.get(name);
    if (known) return known;
    if (this.residentIndex.has(name)) return Promise.resolve(false);
    performance.mark('cgw:resident-read-start');
    const keys = this.readKeysFirst(name);
    this.keyReads.set(name, keys);
    void keys.then((answering) => {
      // Closed meanwhile (signed out, a test done): nothing more to open.
      if (!this.db.isOpen() || this.keyReads.get(name) !== keys) return;
      if (!answering) {
        void this.residentRows(community).catch((error: unknown) => {
          if (this.db.isOpen()) console.error(error);
        });
        return;
      }
      afterPaint(() => {
        if (!this.db.isOpen() || this.keyReads.get(name) !== keys) return;
        void this.registry(community).catch((error: unknown) => console.error(error));
      });
    });
    return keys;
  }

  private loadResidentIndex(community: CommunityId, name: string): Promise<ResidentSearchIndex<ResidentRow>> {
    // The list comes from the projection on disk at once; the document loads meanwhile, and if the projection
    // turns out stale (say the app was killed between a write and its projection) the rebuild refreshes the index.
    // The search keys first, then everyone's rows; the registry's document, asked for meanwhile, waits for both (see
    // `document`).
    const keys = this.residentKeys(community);
    const read = keys.then(async (answering) => {
      // The searches asked meanwhile read their few buckets before everyone's rows are read (keysFirst.ts `settled`):
      // they were started as soon as the keys were there, before this paint.
      if (answering) {
        await new Promise<void>((resolve) => afterPaint(resolve));
        await this.keysFirst.settled(name);
      }
      return this.readEveryone(name);
    });
    this.rowReads.set(name, read);
    void read
      .finally(() => {
        this.rowReads.delete(name);
        this.keysFirst.drop(name);
      })
      .catch(() => undefined);
    return read.then(({ rows, state }) => this.indexEveryone(community, name, rows, state));
  }

  /** Reads and indexes a registry's search keys, and tells the lists (they answer from them); `false` if it has none. */
  private async readKeysFirst(name: string): Promise<boolean> {
    const index = await this.keysFirst.read(name).catch((error: unknown) => {
      // Keys that do not open or parse are no reason not to read the rows: the search waits for those.
      console.error(error);
      return null;
    });
    if (index === null) return false;
    if (this.residentIndex.has(name)) {
      // Everyone's rows came first (a rebuild told them): the keys are not needed.
      this.keysFirst.drop(name);
      return false;
    }
    performance.mark('cgw:resident-keys-index');
    this.indexInSlices(() => this.keysFirst.indexOf(name) === index, index);
    this.notifyIndex();
    return true;
  }

  /** Everyone's rows, and the projection state they were read with. */
  private async readEveryone(name: string): Promise<{ rows: ResidentRow[]; state: ProjectionStateRow | undefined }> {
    let state = await this.db.projections.get(name);
    const running = this.projections.get(name);
    if (state?.partial === true && running) {
      // This page's projection is writing a big change in steps: read what it wrote once it is done.
      await (await running.catch(() => null))?.idle();
      state = await this.db.projections.get(name);
    }
    // Half-written buckets (the app closed while a big flush wrote them) are not shown: the rebuild comes first.
    const rows = state?.partial === true ? [] : await readResidentRows(this.db, name);
    return { rows, state };
  }

  private async indexEveryone(
    community: CommunityId,
    name: string,
    rows: ResidentRow[],
    state: ProjectionStateRow | undefined,
  ): Promise<ResidentSearchIndex<ResidentRow>> {
    // Nobody on disk: a community with no residents, or a projection of the empty document a new device starts with,
    // left by a first sync closed before its rows were written (projectionRows.ts `projectsNothing`). The document
    // says which: a list of nobody is not told before it is loaded (its projection's rebuild tells everyone).
    if (rows.length === 0 && !this.residentIndex.has(name)) await this.registry(community);
    const loaded = this.residentIndex.get(name);
    const index = loaded ?? new ResidentSearchIndex(rows, { deferred: true });
    if (!loaded) {
      // What changed while the rows were read, in the order told (writing a row again changes nothing).
      for (const change of this.changesDuringLoad.get(name) ?? []) applyChange(index, change);
    }
    this.changesDuringLoad.delete(name);
    this.residentIndex.set(name, index);
    if (!loaded) this.indexInSlices(() => this.residentIndex.get(name) === index, index);
    performance.mark('cgw:resident-index');
    this.headReads.delete(name);
    // A projection from before search keys were kept gets them now, in the background (keysFirst.ts).
    if (!loaded && state !== undefined && state.keysFormat !== RESIDENT_KEYS_FORMAT && rows.length > 0) {
      afterPaint(() => {
        // Closed meanwhile (signed out, or a test done): the next opening writes them.
        if (!this.db.isOpen()) return;
        void this.keysFirst.writeMissingKeys(name, state, rows).catch((error: unknown) => console.error(error));
      });
    }
    // Lists shown from the list head ask again, now over everyone.
    if (!loaded) this.notifyIndex();
    // Loading a big document takes a while (in slices, see LocalDocs): let the list paint first, then load it.
    if (rows.length > 0) {
      afterPaint(() => {
        if (this.db.isOpen()) void this.registry(community).catch((error: unknown) => console.error(error));
      });
    }
    return index;
  }

  /**
   * Indexes a community's residents a slice at a time between tasks: all 100,000 at once held the main thread for most
   * of a second (docs/bench-store.md, "Indexed search"). Searches meanwhile check the rows not indexed yet one by one,
   * with the same answers (docs/registry-model.md, "Resident search and its index").
   */
  private indexInSlices(current: () => boolean, index: { indexSome(count: number): boolean }): void {
    const step = () => {
      // A community closed or read again meanwhile (or its key index replaced by everyone's rows): let go.
      if (!current()) return;
      // Batches until the slice's time is spent: a fixed count of rows took 40-55 ms on a busy 2-core laptop, and a
      // key pressed meanwhile waited for it (docs/bench-scale.md, "Keys that waited behind background work").
      const until = performance.now() + INDEX_SLICE_MS;
      let more = true;
      while (more && performance.now() < until) more = index.indexSome(INDEX_BATCH);
      if (more) inBackground(step);
    };
    inBackground(step);
  }

  onIndexChange(listener: () => void): () => void {
    this.indexListeners.add(listener);
    return () => this.indexListeners.delete(listener);
  }

  private notifyIndex(): void {
    for (const listener of this.indexListeners) listener();
  }

  /**
   * Residents matching a query (name, pinyin initials, ID or phone tail, address) and a filter, as you type, with
   * their records (the pickers and exports read them). The whole community's keys sit in memory with an index over
   * them: a keystroke looks only at the residents the index finds, which are exactly those a pass over everyone would
   * match, in the order it would meet them (docs/registry-model.md, "Resident search and its index"). The residents
   * list itself asks `listResidents`, which needs no record.
   */
  async searchResidents(
    community: CommunityId,
    query: string,
    filter: ResidentFilter = {},
    limit = 200,
  ): Promise<{ hits: ResidentHit[]; total: number }> {
    const headRead = this.headAnswer(community, query, filter, limit);
    const head = headRead && (await headRead);
    if (head) return { hits: head.rows.slice(0, limit).map((row) => ({ row, match: null })), total: head.total };
    const name = this.registryName(community);
    const everyone = this.everyoneWatched(community);
    // While everyone's rows are read, the search keys (read first) answer if they are there.
    if (await this.keysAnswer(name, everyone)) {
      const answer = await this.keysFirst.search(name, query, filter, limit);
      if (answer) return answer;
    }
    return answerFrom(await everyone, query, filter, limit, (row) => row);
  }

  /**
   * The residents list: as `searchResidents`, each resident as the list shows it (keys and card: the masked ID and
   * phone, sex, birth date), without the record. Until everyone's rows are read it answers from the search keys alone,
   * whatever is typed, reading no bucket (docs/registry-model.md, "Search keys read first").
   */
  async listResidents(
    community: CommunityId,
    query: string,
    filter: ResidentFilter = {},
    limit = 200,
  ): Promise<{ hits: ResidentListHit[]; total: number }> {
    const headRead = this.headAnswer(community, query, filter, limit);
    const head = headRead && (await headRead);
    if (head) {
      return {
        hits: head.rows.slice(0, limit).map((row) => ({ row: listRowOf(row), match: null })),
        total: head.total,
      };
    }
    const name = this.registryName(community);
    // The keys answer the list for as long as everyone's rows are not in memory: those are read only when something
    // needs their records (see `openLater`).
    if ((await this.residentKeys(community)) && !this.residentIndex.has(name)) {
      const answer = this.keysFirst.list(name, query, filter, limit);
      if (answer) return answer;
    }
    return answerFrom(await this.residentRows(community), query, filter, limit, listRowOf);
  }

  /**
   * The list head, for the first page of everyone unfiltered while the whole community is not in memory yet; `null`
   * at once for any other search (which then starts reading everyone in the same task: see `document`).
   */
  private headAnswer(
    community: CommunityId,
    query: string,
    filter: ResidentFilter,
    limit: number,
  ): Promise<{ total: number; rows: readonly ResidentRow[] } | null> | null {
    const unfiltered = !filter.buildingId && !filter.compoundId && !filter.tag && !filter.includeDeleted;
    return unfiltered && query.trim() === '' && limit <= LIST_HEAD_SIZE ? this.listHead(community) : null;
  }

  /**
   * Everyone's rows (read once), watched: not awaited when the keys answer, so a read that fails later (the store
   * closed meanwhile) is the next search's to report, not an unhandled rejection.
   */
  private everyoneWatched(community: CommunityId): Promise<ResidentSearchIndex<ResidentRow>> {
    const everyone = this.residentRows(community);
    everyone.catch(() => undefined);
    return everyone;
  }

  /** Whether the search keys answer now: read (and everyone's rows not) by the time the keys' read ends. */
  private async keysAnswer(name: string, everyone: Promise<unknown>): Promise<boolean> {
    if (this.residentIndex.has(name)) return false;
    const keysRead = this.keyReads.get(name);
    const first = keysRead ? await Promise.race([keysRead, everyone.then(() => false)]) : false;
    return first && !this.residentIndex.has(name);
  }

  /** Writes everything pending to disk (called before the window closes). */
  async flush(): Promise<void> {
    await this.docs.flush();
    await figureRows(this).flush();
    for (const projection of this.projections.values()) await (await projection).idle();
  }

  /**
   * Lets go of everything of one community held in memory, before its data is removed from this device (renderer/
   * data/removeCommunity.ts): projections stopped, documents written out and closed, its search index dropped, so that
   * nothing writes one of its rows again afterwards. A later use opens them again from disk.
   */
  async closeCommunity(community: string): Promise<void> {
    const prefix = `${community}/`;
    const mine = (name: string) => name.startsWith(prefix);
    for (const [name, projection] of [...this.projections].filter(([name]) => mine(name))) {
      this.projections.delete(name);
      const running = await projection.catch(() => null);
      running?.stop();
      await running?.idle();
    }
    const names = new Set([...this.opened.keys()].filter(mine));
    if (isCommunityId(community)) {
      names.add(docName({ community, collection: 'registry' }));
      names.add(docName({ community, collection: 'registry-masked' }));
    }
    for (const name of names) {
      await this.opened.get(name)?.catch(() => null);
      this.opened.delete(name);
      await this.docs.close(name);
      if (maskedYearlyName(name) !== name) await this.docs.close(maskedYearlyName(name));
    }
    for (const map of [this.residentIndex, this.indexLoads, this.headReads, this.changesDuringLoad]) {
      for (const name of [...map.keys()].filter(mine)) map.delete(name);
    }
    for (const name of [...this.keyReads.keys()].filter(mine)) {
      this.keyReads.delete(name);
      this.keysFirst.drop(name);
    }
    this.notifyIndex();
  }

  /**
   * Writes out what is pending (sealed: the keys must still be there) and closes the database; the documents and
   * the search index in memory are let go. At sign-out and at the idle lock, before the keys are forgotten.
   */
  async close(): Promise<void> {
    for (const projection of this.projections.values()) (await projection).stop();
    for (const projection of this.projections.values()) await (await projection).idle();
    await figureRows(this).flush();
    await this.docs.closeAll();
    this.residentIndex.clear();
    this.headReads.clear();
    this.db.close();
  }
}

/**
 * A search's answer from everyone's rows. With nothing typed the list is the registry in address order: the first
 * `limit` by address of all matching rows (kept sorted as they come, one comparison for most rows), not the first
 * `limit` read sorted. A query: the index's matches are exactly the rows `matchPrepared` accepts, in the order a pass
 * over everyone meets them; `matchPrepared` only names the kind of match of the rows listed.
 */
function answerFrom<Shown>(
  rows: ResidentSearchIndex<ResidentRow>,
  query: string,
  filter: ResidentFilter,
  limit: number,
  shownOf: (row: ResidentRow) => Shown,
): { hits: { row: Shown; match: ResidentMatch | null }[]; total: number } {
  const { listed, total } = listMatches(rows, rows.values(), query, filter, limit);
  const match = matchOf(query);
  return { hits: listed.map((row) => ({ row: shownOf(row), match: match(row.keys) })), total };
}
