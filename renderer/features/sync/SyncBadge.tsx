import { Badge, Tooltip } from '@mantine/core';
import { useLocation } from 'wouter';
import { useCommunities, useCurrentCommunity } from '../../data/hooks';
import { useT, type MessageKey } from '../../i18n';
import { useSync } from '../../sync/react';
import { communitySync, type CommunitySyncState } from '../../sync/syncState';
import { formatTime, STATE_LABELS } from './labels';

const BADGE: Record<CommunitySyncState, { color: string; label: MessageKey }> = {
  local: { color: 'gray', label: 'sync.badge.local' },
  unsynced: { color: 'gray', label: 'syncPage.badge.unsynced' },
  offline: { color: 'orange', label: 'syncui.badge.offline' },
  connecting: { color: 'yellow', label: 'syncui.badge.connecting' },
  syncing: { color: 'blue', label: 'syncui.badge.syncing' },
  synced: { color: 'green', label: 'syncui.badge.synced' },
  refused: { color: 'red', label: 'syncui.badge.refused' },
};

/**
 * The header's sync state at a glance, for the community that is open (renderer/sync/syncState.ts): its state, and
 * how many of its local changes the server has not stored yet. A community the token does not name says it stays on
 * this device, even while the other communities are up to date.
 */
export function SyncBadge() {
  const t = useT();
  const sync = useSync();
  const { community } = useCurrentCommunity();
  const communities = useCommunities();
  const [, navigate] = useLocation();
  const view = communitySync(sync, community?.id ?? null);
  const badge = BADGE[view.state];
  const nameOf = (id: string) => communities?.find((row) => row.id === id)?.name ?? id;
  const label = t(badge.label) + (view.pending > 0 ? ` · ${t('syncui.badge.pending', { n: view.pending })}` : '');
  let hint: string;
  if (view.state === 'local') hint = t('sync.badge.localHint');
  else if (view.state === 'unsynced') {
    hint = t('syncPage.badge.unsyncedHint', {
      community: community?.name ?? '',
      names: sync.communities.map(nameOf).join('、'),
    });
  } else if (community === null) {
    hint = t('syncui.badge.hint', {
      state: t(STATE_LABELS[view.state]),
      n: view.pending,
      time: formatTime(t, view.lastFullSync),
    });
  } else {
    hint = t('syncPage.badge.hint', {
      community: community.name,
      state: t(STATE_LABELS[view.state]),
      n: view.pending,
      time: formatTime(t, view.lastFullSync),
    });
  }
  return (
    <Tooltip label={hint} multiline maw={320}>
      <Badge
        variant="light"
        color={badge.color}
        data-testid="sync-badge"
        data-state={view.state}
        data-pending={view.pending}
        component="button"
        style={{ cursor: 'pointer' }}
        onClick={() => navigate('/sync')}
        aria-label={hint}
      >
        {label}
      </Badge>
    </Tooltip>
  );
}
