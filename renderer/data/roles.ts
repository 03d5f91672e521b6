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
import type { WorkstationDb } from './db';
import type { WorkstationStore } from './store';

export interface KeptRole {
  readonly role: Role;
  /** `token`: the role of the sync token the community came with; `grant`: set by an admin of this device. */
  readonly source: 'token' | 'grant';
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** Who granted it (`grant` only): the acting account, as audit entries name it. */
  readonly by: { readonly userId: string; readonly userName: string } | null;
}

export const ROLE_KEY_PREFIX = 'role.';

export function keptRoleKey(community: string): string {
  return `${ROLE_KEY_PREFIX}${community}`;
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** The narrower of two roles; `null` stands for "no restriction from this side". */
export function narrower(a: Role | null, b: Role | null): Role | null {
  if (a === null) return b;
  if (b === null) return a;
  return RANK[a] <= RANK[b] ? a : b;
}

const ALL: ReadonlySet<Permission> = new Set(PERMISSIONS);
const EDITOR: ReadonlySet<Permission> = new Set(PERMISSIONS.filter((permission) => permission !== 'admin'));
const NONE: ReadonlySet<Permission> = new Set();

/**
 * What a role may do. A viewer may change nothing and see no full ID number or phone (no reveal, no unmasked export
 * or print); an editor everything but the admin's steps; no role at all (a device working alone) everything.
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

async function keep(store: WorkstationStore, community: string, kept: KeptRole): Promise<void> {
  await store.db.sealedSettings.put({ key: keptRoleKey(community), value: kept });
  store.setKeptRole(community, kept.role);
}

/**
 * Keeps a sync token's role for the communities it names. At joining the token is the district's word and replaces
 * what was kept (up or down); at a start (`ifMissing`) it only fills in communities a device joined before roles were
 * kept, never overriding an admin's grant.
 */
export async function keepTokenRole(
  store: WorkstationStore,
  communities: readonly string[],
  role: Role,
  { ifMissing = false }: { readonly ifMissing?: boolean } = {},
): Promise<void> {
  const kept = ifMissing ? await readKeptRoles(store.db) : new Map<string, KeptRole>();
  for (const community of communities) {
    if (ifMissing && kept.has(community)) continue;
    await keep(store, community, { role, source: 'token', at: Date.now(), by: null });
  }
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
  const kept: KeptRole = {
    role,
    source: 'grant',
    at: Date.now(),
    by: { userId: user.userId, userName: user.userName || user.userId },
  };
  await keep(store, community, kept);
  return ok(kept);
}

/** Forgets a community's kept role (its data is being removed from this device). */
export async function forgetKeptRole(store: WorkstationStore, community: string): Promise<void> {
  await store.db.sealedSettings.delete(keptRoleKey(community));
  store.setKeptRole(community, null);
}
