import { Group, NavLink } from '@mantine/core';
import { Link, useLocation } from 'wouter';

export interface SubNavLink {
  /** The path inside the area's nested route (`/` for its first page). */
  readonly path: string;
  readonly label: string;
}

/**
 * An area's sub-navigation, inside its nested route: one link per page, the current one marked (`aria-current`) for
 * screen readers; left out of print. Every area uses it, so that sub-pages look and behave the same everywhere (links
 * that are part of the address, reached by Tab and Enter).
 */
export function SubNav({
  label,
  links,
  current: shown,
}: {
  label: string;
  links: readonly SubNavLink[];
  /** The page shown, when the address does not say it (the registry's first page is also its bare address). */
  current?: string;
}) {
  const [location] = useLocation();
  const at = shown ?? location;
  // A section's own pages (`/venues/<id>`) keep its link marked.
  const current = (path: string) => at === path || (path !== '/' && at.startsWith(`${path}/`));
  return (
    <Group component="nav" aria-label={label} gap={4} className="cgw-no-print">
      {links.map((link) => (
        <NavLink
          key={link.path}
          component={Link}
          href={link.path}
          label={link.label}
          active={current(link.path)}
          aria-current={current(link.path) ? 'page' : undefined}
          w="auto"
        />
      ))}
    </Group>
  );
}
