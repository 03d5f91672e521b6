/**
 * Who acts and what they may do: the context every domain command runs in (docs/architecture.md, "commands").
 *
 * The context is built by the app (renderer/data/store.ts `commandContext`) from the signed-in account and the role
 * the device holds for the community; domain code never reads a clock, an id generator or a role from anywhere else,
 * so the same command gives the same result in a test, on a laptop and after a merge.
 */

/**
 * Every permission a role can grant. `admin` implies all of them (see `hasPermission`). A new domain adds its
 * permission here, and renderer/data/roles.ts says which roles hold it.
 */
export const PERMISSIONS = [
  'registry.edit',
  'registry.reveal',
  'registry.special-care',
  'cases.edit',
  'meetings.edit',
  'tasks.edit',
  'tasks.supervise',
  'incidents.edit',
  'incidents.dispatch',
  'services.edit',
  'party.edit',
  'resources.edit',
  'admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface Actor {
  /** The signed-in account (or the sync token's user): never a free-text name. */
  readonly userId: string;
  /** Shown in records and audit entries next to the id; kept as it was when the entry was written. */
  readonly userName: string;
  readonly deviceId: string;
}

export interface CommandContext {
  readonly actor: Actor;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly permissions: ReadonlySet<Permission>;
}

/** The transaction origin of every command write: persistence and sync tell local commands from remote updates by it. */
export interface CommandOrigin {
  readonly kind: 'command';
  readonly command: string;
  readonly actor: Actor;
}

export function isCommandOrigin(origin: unknown): origin is CommandOrigin {
  if (typeof origin !== 'object' || origin === null) return false;
  const o = origin as Partial<Record<keyof CommandOrigin, unknown>>;
  return o.kind === 'command' && typeof o.command === 'string' && typeof o.actor === 'object' && o.actor !== null;
}

/** True when the permissions hold `permission` or `admin`. */
export function hasPermission(permissions: ReadonlySet<Permission>, permission: Permission): boolean {
  return permissions.has(permission) || permissions.has('admin');
}
