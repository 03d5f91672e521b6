import { Badge, Tooltip } from '@mantine/core';
import { useLocation } from 'wouter';
import { useT, type MessageKey } from '../../i18n';
import { useSync } from '../../sync/react';
import type { OverallState } from '../../sync/manager';
import { formatTime, STATE_LABELS } from './labels';

const BADGE: Record<OverallState, { color: string; label: MessageKey }> = {
  local: { color: 'gray', label: 'sync.badge.local' },
  offline: { color: 'orange', label: 'syncui.badge.offline' },
  connecting: { color: 'yellow', label: 'syncui.badge.connecting' },
  syncing: { color: 'blue', label: 'syncui.badge.syncing' },
  synced: { color: 'green', label: 'syncui.badge.synced' },
  refused: { color: 'red', label: 'syncui.badge.refused' },
};

/** The header's sync state at a glance: state, and how many local changes the server has not stored yet. */
export function SyncBadge() {
  const t = useT();
  const sync = useSync();
  const [, navigate] = useLocation();
  const badge = BADGE[sync.state];
  const label =
    t(badge.label) + (sync.joined && sync.pending > 0 ? ` · ${t('syncui.badge.pending', { n: sync.pending })}` : '');
  const hint = sync.joined
    ? t('syncui.badge.hint', {
        state: t(STATE_LABELS[sync.state]),
        n: sync.pending,
        time: formatTime(t, sync.lastFullSync),
      })
    : t('sync.badge.localHint');
  return (
    <Tooltip label={hint} multiline maw={320}>
      <Badge
        variant="light"
        color={badge.color}
        data-testid="sync-badge"
        data-state={sync.state}
        data-pending={sync.pending}
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
