/**
 * What the sync client (renderer/sync) keeps on this device, in the `settings` table (no schema change), sealed with
 * the device key (`db.sealedSettings`, see renderer/data/sealed.ts):
 *
 * | key                          | value |
 * | ---------------------------- | ----- |
 * | `sync.config`                | the joined server: address, user, role, communities and token id (never the token) |
 * | `sync.doc.<docName>`         | per document: pending-change markers, the server's last known state vector, last full sync |
 * | `sync.away.<community>`      | records changed by others, found while catching up after a reconnect |
 *
 * The token itself is a secret: on the desktop it lives in the OS keychain (Electron `safeStorage`, see
 * electron/main/secrets.ts); in a plain browser it lives in a separate small IndexedDB database (`browserSecrets`
 * below), which any script of the same origin can read: weaker, and said so in docs/sync-client.md.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { Role } from '@shared/sync/protocol';
import { isCommunityId } from '@shared/ydoc/docName';
import type { WorkstationStore } from './store';

export interface SyncConfig {
  /** `ws://host:port` or `wss://host`. */
  server: string;
  user: string;
  role: Role;
  communities: string[];
  tokenId: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  joinedAt: number;
}

export interface StoredDocSyncState {
  /** Per Yjs client id (as a string key): clocks after each local transaction not yet known to be on the server. */
  markers: Record<string, number[]>;
  /** The server's state vector as last seen (client id -> clock). */
  serverState: Record<string, number>;
  /** Milliseconds since the epoch of the last moment everything was exchanged both ways; `null`: never. */
  lastFullSync: number | null;
}

export interface AwayChange {
  docName: string;
  collection: string;
  recordId: string;
  action: string;
  userName: string;
  deviceId: string;
  /** ISO instant of the change (from its audit entry). */
  at: string;
  fields: string[];
  /** Milliseconds since the epoch when this device received it. */
  receivedAt: number;
}

const CONFIG_KEY = 'sync.config';
const docKey = (docName: string) => `sync.doc.${docName}`;
const awayKey = (community: string) => `sync.away.${community}`;
/** The list of changes by others is for reading at a glance, not an archive (the audit log is). */
export const AWAY_LIMIT = 500;

export async function loadSyncConfig(store: WorkstationStore): Promise<SyncConfig | null> {
  const row = await store.db.sealedSettings.get(CONFIG_KEY);
  const value = row?.value as Partial<SyncConfig> | undefined;
  if (!value || typeof value.server !== 'string' || typeof value.role !== 'string' || !Array.isArray(value.communities))
    return null;
  return value as SyncConfig;
}

export async function saveSyncConfig(store: WorkstationStore, config: SyncConfig | null): Promise<void> {
  if (config === null) await store.db.sealedSettings.delete(CONFIG_KEY);
  else await store.db.sealedSettings.put({ key: CONFIG_KEY, value: config });
}

export async function loadDocSyncState(store: WorkstationStore, docName: string): Promise<StoredDocSyncState> {
  const row = await store.db.sealedSettings.get(docKey(docName));
  const value = row?.value as Partial<StoredDocSyncState> | undefined;
  return {
    markers: value?.markers ?? {},
    serverState: value?.serverState ?? {},
    lastFullSync: value?.lastFullSync ?? null,
  };
}

export async function saveDocSyncState(
  store: WorkstationStore,
  docName: string,
  state: StoredDocSyncState,
): Promise<void> {
  await store.db.sealedSettings.put({ key: docKey(docName), value: state });
}

export async function loadAwayChanges(store: WorkstationStore, community: string): Promise<AwayChange[]> {
  return awayList((await store.db.sealedSettings.get(awayKey(community)))?.value);
}

function awayList(value: unknown): AwayChange[] {
  return Array.isArray(value) ? (value as AwayChange[]) : [];
}

/** Adds changes to a community's list: one line per record (the newest change wins), newest first, capped. */
export async function addAwayChanges(store: WorkstationStore, community: string, changes: AwayChange[]): Promise<void> {
  if (changes.length === 0) return;
  // Read, merged and written as one step (sealed outside the transaction, written only over the list read).
  await store.db.sealedSettings.update(awayKey(community), (stored) => {
    const byRecord = new Map<string, AwayChange>();
    for (const change of [...awayList(stored), ...changes]) {
      const key = `${change.docName}\u0000${change.collection}\u0000${change.recordId}`;
      const seen = byRecord.get(key);
      if (!seen || seen.at <= change.at) byRecord.set(key, change);
    }
    return [...byRecord.values()].sort((a, b) => b.at.localeCompare(a.at)).slice(0, AWAY_LIMIT);
  });
}

export async function clearAwayChanges(store: WorkstationStore, community: string): Promise<void> {
  await store.db.sealedSettings.delete(awayKey(community));
}

/**
 * Makes sure a community named by the token is listed on this device, so that a device with no community yet can
 * open it while its registry arrives by sync. The name is the id until the registry's meta arrives.
 */
export async function ensureCommunity(store: WorkstationStore, id: string): Promise<void> {
  if (!isCommunityId(id)) return;
  const now = Date.now();
  const existing = await store.db.communities.get(id);
  if (!existing) await store.db.communities.put({ id, name: id, addedAt: now, lastOpenedAt: now - 1 });
  const current = await store.db.settings.get('currentCommunity');
  if (typeof current?.value !== 'string') await store.setCurrentCommunity(id);
}

/** Live-query helper for the sync screen: the changes by others of one community. */
export function awayChangesQuery(store: WorkstationStore, community: string): () => Promise<AwayChange[]> {
  return () => loadAwayChanges(store, community);
}

// --- browser secrets -------------------------------------------------------------------------------------------

interface SecretRow {
  name: string;
  value: string;
}

class SecretsDb extends Dexie {
  secrets!: EntityTable<SecretRow, 'name'>;
  constructor() {
    super('community-workstation-secrets');
    this.version(1).stores({ secrets: 'name' });
  }
}

let secretsDb: SecretsDb | null = null;
const secrets = (): SecretsDb => (secretsDb ??= new SecretsDb());

/**
 * Secrets in a plain browser: a separate IndexedDB database of this origin. Weaker than the OS keychain: not
 * encrypted at rest, readable by any script of the origin and by anyone with the browser profile.
 */
export const browserSecrets = {
  async store(name: string, value: string): Promise<void> {
    await secrets().secrets.put({ name, value });
  },
  async load(name: string): Promise<string | null> {
    return (await secrets().secrets.get(name))?.value ?? null;
  },
  async delete(name: string): Promise<void> {
    await secrets().secrets.delete(name);
  },
};
