/**
 * Sync as the rest of the renderer sees it: the header's badge, the viewer's banner, the signed-in role and its
 * permissions, the words for a sync state, and the sync screen (loaded on first use). The sync engine itself is
 * renderer/sync; docs/sync-client.md tells how it works.
 */
import { lazyNamed } from '../../ui/lazy';

export { SyncBadge } from './SyncBadge';
export { ViewerBanner } from './ViewerBanner';
export { usePermissions, useRole, useRolesVersion } from './useRole';
export { STATE_LABELS } from './labels';

export const SyncScreen = lazyNamed(() => import('./SyncScreen'), 'SyncScreen');
