import { useEffect, useState } from 'react';
import type { Permission } from '@shared/domain/registry/types';
import type { Role } from '@shared/sync/protocol';
import { useStore } from '../../data/hooks';

/**
 * A number that changes whenever a role changes (joined or left, an account signed in, a kept role granted or
 * forgotten), for screens that show what the person may do.
 */
export function useRolesVersion(): number {
  const store = useStore();
  const [version, setVersion] = useState(0);
  useEffect(() => store.onRolesChange(() => setVersion((v) => v + 1)), [store]);
  return version;
}

/** The acting person's role in a community (the one the screens show when not given), live: see `roleIn`. */
export function useRole(community?: string | null): Role | null {
  const store = useStore();
  useRolesVersion();
  return store.roleIn(community);
}

/** What the acting person may do in a community (the one the screens show when not given), live. */
export function usePermissions(community?: string | null): ReadonlySet<Permission> {
  const store = useStore();
  useRolesVersion();
  return store.permissions(community);
}
