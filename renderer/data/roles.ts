/**
 * The role each community was received with, kept on this device (docs/security.md, "Roles, removal and the access
 * log"). A community that came with a viewer's sync token stays read-only on this device after the device leaves
 * sync: leaving forgets the token, not what the district decided this device may do with the data it received. Only
 * an admin of the device lifts it (`grantRole`); joining again with another token sets it to that token's role.
 *
 * What a person may do in a community is the narrowest of three roles (`WorkstationStore.roleIn`): the joined token's
 * (while joined), the community's kept role, and the signed-in account's (renderer/data/vault.ts). A missing one does
 * not restrict: a community created on this device has no kept role.
 *
 * In the `settings` table, sealed like every setting but PLAIN_SETTINGS (through `db.sealedSettings`, settings.ts):
 *
 * | key                  | value |
 * | -------------------- | ----- |
 * | `role.<community>`   | `KeptRole`: the role, where it came from (a token, or an admin's grant), when and by whom |
 */
import { PERMISSIONS, type Permission } from '@shared/domain/registry/types';
import { err, ok, type Result } from '@shared/domain/result';
import { isRole, ROLES, type Role } from '@shared/sync/protocol';
import { docName, isCommunityId, pairedMaskedName, parseDocName } from '@shared/ydoc/docName';
import type { WorkstationDb } from './db';
import { keptRoleKey, removeDocumentData, ROLE_KEY_PREFIX } from './removeCommunity';
import type { WorkstationStore } from './store';

export interface KeptRole {
  readonly role: Role;
  /** `token`: the role of the sync token the community came with; `grant`: set by an admin of this device. */
  readonly source: 'token' | 'grant';
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** Who granted it (`grant` only): the acting account, as audit entries name it. */
  readonly by: { readonly userId: string; readonly userName: string } | null;
  /**
   * `masked`: the device holds the community's registry as the server's masked copy (`<community>/registry-masked`,
   * what a viewer's token syncs while the server masks: docs/security.md), and reads it in place of the registry.
   * Absent: the registry itself.
   */
  readonly registry?: 'masked';
}

/** Which registry document a community's data comes in: the full one or the server's masked copy. */
export type RegistryKind = 'full' | 'masked';

export { keptRoleKey, ROLE_KEY_PREFIX } from './removeCommunity';

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** The narrower of two roles; `null` stands for "no restriction from this side". */
export function narrower(a: Role | null, b: Role | null): Role | null {
  if (a === null) return b;
  if (b === null) return a;
  return RANK[a] <= RANK[b] ? a : b;
}

const ALL: ReadonlySet<Permission> = new Set(PERMISSIONS);
/** Not an editor's: the admin's steps, and supervising tasks (the street's, docs/tasks-model.md "who supervises"). */
const NOT_EDITOR: ReadonlySet<Permission> = new Set<Permission>(['admin', 'tasks.supervise']);
const EDITOR: ReadonlySet<Permission> = new Set(PERMISSIONS.filter((permission) => !NOT_EDITOR.has(permission)));
const NONE: ReadonlySet<Permission> = new Set();

/**
 * What a role may do. A viewer may change nothing and see no full ID number or phone (no reveal, no unmasked export
 * or print); an editor (a community's worker) everything but the admin's steps and supervising tasks (publishing,
 * verifying, returning, cards: the street's, which holds an admin's token for its communities); no role at all (a
 * device working alone, its own office) everything.
 */
export function permissionsOf(role: Role | null): ReadonlySet<Permission> {
  if (role === 'viewer') return NONE;
  if (role === 'editor') return EDITOR;
  return ALL;
}

export function parseKeptRole(value: unknown): KeptRole | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<Record<keyof KeptRole, unknown>>;
  if (typeof v.role !== 'string' || !isRole(v.role)) return null;
  const by = v.by as { userId?: unknown; userName?: unknown } | null | undefined;
  return {
    role: v.role,
    source: v.source === 'grant' ? 'grant' : 'token',
    at: typeof v.at === 'number' ? v.at : 0,
    by:
      by && typeof by.userId === 'string' && typeof by.userName === 'string'
        ? { userId: by.userId, userName: by.userName }
        : null,
    ...(v.registry === 'masked' ? { registry: 'masked' as const } : {}),
  };
}

/**
 * Every kept role on this device. A kept role that cannot be read (a row sealed with another key, altered) counts as
 * a viewer's: the device fails closed, and an admin can grant again.
 */
export async function readKeptRoles(db: WorkstationDb): Promise<Map<string, KeptRole>> {
  const keys = await db.settings.where('key').startsWith(ROLE_KEY_PREFIX).primaryKeys();
  const roles = new Map<string, KeptRole>();
  for (const key of keys) {
    const community = key.slice(ROLE_KEY_PREFIX.length);
    let kept: KeptRole | null;
    try {
      kept = parseKeptRole((await db.sealedSettings.get(key))?.value);
    } catch (error) {
      console.warn(`roles: the kept role of ${community} cannot be read; read-only until an admin grants`, error);
      kept = null;
    }
    roles.set(community, kept ?? { role: 'viewer', source: 'token', at: 0, by: null });
  }
  return roles;
}

export async function readKeptRole(store: WorkstationStore, community: string): Promise<KeptRole | null> {
  return (await readKeptRoles(store.db)).get(community) ?? null;
}

/**
 * The yearly documents (cases, meetings, tasks, …) this device holds anything of for a community, in full or as masked
 * twins, each named both ways (`x/cases/2026` and `x/cases-masked/2026`): the rows of a twin's projections are kept
 * under the name the screens ask for.
 */
async function yearlyDocNames(store: WorkstationStore, community: string): Promise<string[]> {
  const db = store.db;
  const prefix = `${community}/`;
  const stored = [
    ...(await db.docUpdates.where('docName').startsWith(prefix).uniqueKeys()),
    ...(await db.projections.where('docName').startsWith(prefix).primaryKeys()),
    ...(await db.recordBuckets.where('docName').startsWith(prefix).uniqueKeys()),
  ].map(String);
  const names = new Set<string>();
  for (const name of stored) {
    const ref = parseDocName(name);
    if (ref === null || !('year' in ref)) continue;
    names.add(name);
    const paired = pairedMaskedName(name);
    if (paired !== null) names.add(paired);
  }
  return [...names];
}

/**
 * Keeps a community's role. When its registry changes from one document to the other, the one no longer read is
 * removed from this device first (`removeDocumentData`): a viewer's device drops the full registry it held once the
 * masked copy takes its place (it must not hold what it may not see), and a community lifted above viewer drops its
 * masked copy, so that masked values can never be edited or synced as the registry's (the server refuses them too).
 * The registry is then synced fresh. The yearly documents follow the registry (the server masks both or neither):
 * every one of the community, full or twin, and what was projected from it, is removed and synced fresh in the form
 * now read (`WorkstationStore.storedName`).
 */
async function keep(store: WorkstationStore, community: string, kept: KeptRole): Promise<void> {
  const before = (await readKeptRoles(store.db)).get(community);
  const wasMasked = before?.registry === 'masked';
  const masked = kept.registry === 'masked';
  // A masked copy an admin's grant let this device edit, joined again with a viewer's token: the server drops any
  // update of the copy that is more than an access-log append, and every later entry of this device's Yjs client
  // follows those edits, so none would reach the district. The copy is synced fresh instead (its edits could never
  // reach anyone: docs/sync-client.md).
  const editedCopy =
    wasMasked && masked && before.source === 'grant' && before.role !== 'viewer' && kept.source === 'token';
  if (isCommunityId(community) && (before === undefined ? masked : wasMasked !== masked || editedCopy)) {
    // The copy no longer read (the full registry of a viewer's device of before masking, or the masked one), or
    // the masked copy edited under a grant.
    await removeDocumentData(
      store,
      docName({ community, collection: masked && !editedCopy ? 'registry' : 'registry-masked' }),
    );
    for (const name of await yearlyDocNames(store, community)) await removeDocumentData(store, name);
  }
  await store.db.sealedSettings.put({ key: keptRoleKey(community), value: kept });
  store.setKeptRole(community, kept.role, masked);
}

/**
 * Keeps a sync token's role for the communities it names, and which registry document the token syncs (`registry`:
 * the server's answer at joining, `checkToken`). At joining the token is the district's word and replaces what was
 * kept (up or down); at a start (`ifMissing`) it only fills in communities a device joined before roles were kept,
 * never overriding an admin's grant.
 */
export async function keepTokenRole(
  store: WorkstationStore,
  communities: readonly string[],
  role: Role,
  { ifMissing = false, registry = 'full' }: { readonly ifMissing?: boolean; readonly registry?: RegistryKind } = {},
): Promise<void> {
  const kept = ifMissing ? await readKeptRoles(store.db) : new Map<string, KeptRole>();
  for (const community of communities) {
    if (ifMissing && kept.has(community)) continue;
    await keep(store, community, {
      role,
      source: 'token',
      at: Date.now(),
      by: null,
      ...(registry === 'masked' ? { registry } : {}),
    });
  }
}

/** Which registry document the device holds for a community (roles.ts `KeptRole.registry`). */
export async function keptRegistryKind(store: WorkstationStore, community: string): Promise<RegistryKind> {
  return (await readKeptRole(store, community))?.registry === 'masked' ? 'masked' : 'full';
}

export type GrantError = 'not-admin' | 'unknown-role';

/**
 * An admin of this device sets a community's role on it (lifting a viewer's community to editor, say). Refused to
 * anyone else: while device accounts do not exist yet, "admin" is the store's own admin permission (no account role
 * narrows it, and no joined token other than an admin's), see `WorkstationStore.mayGrantRoles`.
 */
export async function grantRole(
  store: WorkstationStore,
  community: string,
  role: Role,
): Promise<Result<KeptRole, GrantError>> {
  if (!store.mayGrantRoles()) return err('not-admin');
  if (!(ROLES as readonly string[]).includes(role)) return err('unknown-role');
  const user = store.user;
  // The registry stays the document it is: a grant on this device brings no other copy. A masked one is only left
  // when the device joins with a token whose registry is the full one (`keepTokenRole`; docs/security.md).
  const masked = (await readKeptRole(store, community))?.registry === 'masked';
  const kept: KeptRole = {
    role,
    source: 'grant',
    at: Date.now(),
    by: { userId: user.userId, userName: user.userName || user.userId },
    ...(masked ? { registry: 'masked' as const } : {}),
  };
  await keep(store, community, kept);
  return ok(kept);
}

/** Forgets a community's kept role (its data is being removed from this device). */
export async function forgetKeptRole(store: WorkstationStore, community: string): Promise<void> {
  await store.db.sealedSettings.delete(keptRoleKey(community));
  store.setKeptRole(community, null);
}
