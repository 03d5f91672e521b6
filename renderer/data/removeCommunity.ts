/**
 * 从本机删除本社区数据: removing a community's data from this device (docs/security.md, "Roles, removal and the access
 * log"), offered when leaving sync. A shared office desktop must not keep residents' data it no longer needs (PIPL
 * art. 19 and 47: kept no longer than needed, deleted when the purpose ends); the server keeps the community's copy.
 *
 * What goes, in one IndexedDB transaction (all or nothing):
 *
 * | table             | rows removed |
 * | ----------------- | ------------ |
 * | `docUpdates`      | every update of the community's documents (`<community>/...`) |
 * | `residentBuckets` | the residents' projection of its registry |
 * | `residentKeys`    | the search keys of those buckets (since version 6) |
 * | `recordBuckets`   | the other registry collections' projection |
 * | `records`         | the legacy projection (empty since version 4, removed all the same) |
 * | `projections`     | the projection states and list heads |
 * | `settings`        | every setting keyed by the community (`isCommunitySetting`) |
 * | `communities`     | its row in the community list |
 *
 * Before that, the community's data key is forgotten (`KeyRing.forget`): rows are sealed with it (sealed.ts), so a
 * copy of the database taken before, or a row IndexedDB had not yet freed, no longer opens. Then the store lets go
 * of what it holds in memory (projections, documents, search index), so nothing writes a row of it again.
 */
import { isCommunityId } from '@shared/ydoc/docName';
import type { KeyRing } from './keyring';
import type { WorkstationStore } from './store';

/**
 * Prefix of a community's kept role setting (`role.<community>`, roles.ts). Written here and taken by roles.ts, which
 * uses this module to drop a registry copy: one definition, no import cycle.
 */
export const ROLE_KEY_PREFIX = 'role.';

export function keptRoleKey(community: string): string {
  return `${ROLE_KEY_PREFIX}${community}`;
}

/** Settings of the device itself, never removed with a community whatever its id (`config`, `sealed`...). */
const DEVICE_SETTINGS: ReadonlySet<string> = new Set([
  'deviceId',
  'user',
  'currentCommunity',
  'sync.config',
  'storage.sealed',
]);

/**
 * Whether a setting belongs to a community: the families the app writes (`sync.doc.<docName>`, `sync.away.<c>`,
 * `person:<c>[:<account>]`, `role.<c>`), and by convention any key holding one of its document names (`.<c>/` or
 * `:<c>/`) or the community as a colon-separated part (`<purpose>:<c>[:...]`). A new setting about a community
 * follows that convention, and is removed with it.
 */
export function isCommunitySetting(key: string, community: string): boolean {
  if (DEVICE_SETTINGS.has(key)) return false;
  if (key === `sync.away.${community}` || key === keptRoleKey(community)) return true;
  if (key.includes(`.${community}/`) || key.includes(`:${community}/`)) return true;
  const parts = key.split(':');
  return parts.length > 1 && parts.slice(1).includes(community);
}

export interface RemovedRows {
  readonly docUpdates: number;
  readonly residentBuckets: number;
  readonly residentKeys: number;
  readonly recordBuckets: number;
  readonly records: number;
  readonly projections: number;
  readonly settings: number;
  readonly communities: number;
}

/**
 * Removes every row of a community from this device, and its key. `keyRing`: the signed-in session's (vault.ts
 * `Session`), whose `forget` drops the community's key from the vault; `null` when nobody is signed in.
 */
export async function removeCommunityData(
  store: WorkstationStore,
  community: string,
  keyRing: KeyRing | null,
): Promise<RemovedRows> {
  // The key first: if the removal is cut short (the app killed), what is left is already unreadable. The sign-in
  // hands the session's KeyRing to the sync manager (SyncManager.setKeyRing); without one (nobody signed in, tests)
  // there is no key to forget here, and the rows are removed all the same.
  if (keyRing !== null) await keyRing.forget(community);
  await store.closeCommunity(community);
  const db = store.db;
  const prefix = `${community}/`;
  const removed = await db.transaction(
    'rw',
    [
      db.docUpdates,
      db.residentBuckets,
      db.residentKeys,
      db.recordBuckets,
      db.records,
      db.projections,
      db.settings,
      db.communities,
    ],
    async () => {
      const keys = (await db.settings.toCollection().primaryKeys()).filter((key) => isCommunitySetting(key, community));
      await db.settings.bulkDelete(keys);
      const current = await db.settings.get('currentCommunity');
      if (current?.value === community) await db.settings.delete('currentCommunity');
      return {
        docUpdates: await db.docUpdates.where('docName').startsWith(prefix).delete(),
        residentBuckets: await db.residentBuckets.where('docName').startsWith(prefix).delete(),
        residentKeys: await db.residentKeys.where('docName').startsWith(prefix).delete(),
        recordBuckets: await db.recordBuckets.where('docName').startsWith(prefix).delete(),
        records: await db.records.filter((row) => row.docName.startsWith(prefix)).delete(),
        projections: await db.projections.where('docName').startsWith(prefix).delete(),
        settings: keys.length,
        communities: await db.communities.where('id').equals(community).delete(),
      };
    },
  );
  store.setKeptRole(community, null);
  // The screens go on with the community opened last, if any is left.
  const next = await db.communities.orderBy('lastOpenedAt').last();
  if (next !== undefined && (await db.settings.get('currentCommunity')) === undefined) {
    if (isCommunityId(next.id)) await store.setCurrentCommunity(next.id);
  }
  return removed;
}

/**
 * Removes one document of a community from this device: its updates, its projections and the settings keyed by its
 * name (its sync state), in one IndexedDB transaction, after the store let go of the community's documents. Used
 * when a community's registry changes hands between the full document and the server's masked copy (roles.ts
 * `keepTokenRole`): a viewer's device must not keep the full one, and a masked copy must never be read, edited or
 * synced as the registry.
 */
export async function removeDocumentData(store: WorkstationStore, docName: string): Promise<number> {
  const community = docName.split('/')[0] ?? '';
  await store.closeCommunity(community);
  const db = store.db;
  return db.transaction(
    'rw',
    [db.docUpdates, db.residentBuckets, db.residentKeys, db.recordBuckets, db.records, db.projections, db.settings],
    async () => {
      const keys = (await db.settings.toCollection().primaryKeys()).filter(
        (key) => key.endsWith(`.${docName}`) || key.endsWith(`:${docName}`),
      );
      await db.settings.bulkDelete(keys);
      await db.residentBuckets.where('docName').equals(docName).delete();
      await db.residentKeys.where('docName').equals(docName).delete();
      await db.recordBuckets.where('docName').equals(docName).delete();
      await db.records.filter((row) => row.docName === docName).delete();
      await db.projections.where('docName').equals(docName).delete();
      return db.docUpdates.where('docName').equals(docName).delete();
    },
  );
}
