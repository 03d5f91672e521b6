import type { MessageKey } from './i18n';

/** The work areas of the navigation, in menu order. Alt+1 … Alt+7 jump to them; the Electron menu sends the same paths. */
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
  { path: '/sync', label: 'nav.sync' },
  { path: '/settings', label: 'nav.settings' },
];

export function areaOf(location: string): Area | undefined {
  return (
    AREAS.find((area) => area.path !== '/' && (location === area.path || location.startsWith(`${area.path}/`))) ??
    AREAS.find((area) => area.path === location)
  );
}
