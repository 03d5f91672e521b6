import type { MessageKey } from './i18n';

/**
 * The work areas of the navigation, in menu order. Alt+1 … Alt+9 and Alt+0 jump to the first ten (`shortcutOf`);
 * 设置, the eleventh, takes Ctrl+, as on every desktop. The Electron menu sends the same paths with the same keys.
 */
export interface Area {
  path: string;
  label: MessageKey;
}

export const AREAS: readonly Area[] = [
  { path: '/', label: 'nav.dashboard' },
  { path: '/registry', label: 'nav.registry' },
  { path: '/mediation', label: 'nav.mediation' },
  { path: '/meetings', label: 'nav.meetings' },
  { path: '/tasks', label: 'nav.tasks' },
  { path: '/events', label: 'nav.events' },
  { path: '/services', label: 'nav.services' },
  { path: '/party', label: 'nav.party' },
  { path: '/overview', label: 'nav.overview' },
  { path: '/sync', label: 'nav.sync' },
  { path: '/settings', label: 'nav.settings' },
];

/** The digit of an area's shortcut: 1 … 9 for the first nine, 0 for the tenth (as on the keyboard's top row). */
export function shortcutDigit(index: number): number {
  return (index + 1) % 10;
}

/** The key that opens 设置 (the areas past the tenth have no digit): Ctrl+, as in most desktop programs. */
export const SETTINGS_SHORTCUT = 'Ctrl+,';

/**
 * An area's shortcut as shown and announced (`aria-keyshortcuts`): `Alt+N` for the first ten, Ctrl+, for 设置,
 * `null` for any other past the tenth.
 */
export function shortcutOf(index: number): string | null {
  if (index < 10) return `Alt+${shortcutDigit(index)}`;
  return AREAS[index]?.path === '/settings' ? SETTINGS_SHORTCUT : null;
}

export function areaOf(location: string): Area | undefined {
  return (
    AREAS.find((area) => area.path !== '/' && (location === area.path || location.startsWith(`${area.path}/`))) ??
    AREAS.find((area) => area.path === location)
  );
}
