import type { Role } from '@shared/sync/protocol';
import type { MessageKey, Translate } from '../../i18n';
import type { DocConnection } from '../../sync/docSync';
import type { OverallState } from '../../sync/manager';
import type { RefusalKind } from '../../sync/refusal';

export const STATE_LABELS: Record<OverallState | DocConnection, MessageKey> = {
  local: 'syncui.state.local',
  offline: 'syncui.state.offline',
  connecting: 'syncui.state.connecting',
  syncing: 'syncui.state.syncing',
  synced: 'syncui.state.synced',
  refused: 'syncui.state.refused',
  stopped: 'syncui.state.stopped',
};

export const ROLE_LABELS: Record<Role, MessageKey> = {
  viewer: 'syncui.role.viewer',
  editor: 'syncui.role.editor',
  admin: 'syncui.role.admin',
};

export const REFUSAL_MESSAGES: Record<RefusalKind, MessageKey> = {
  revoked: 'syncui.refusal.revoked',
  expired: 'syncui.refusal.expired',
  foreign: 'syncui.refusal.foreign',
  forbidden: 'syncui.refusal.forbidden',
  unreachable: 'syncui.refusal.unreachable',
  'not-a-server': 'syncui.refusal.not-a-server',
  'rejected-data': 'syncui.refusal.rejected-data',
  missing: 'syncui.refusal.missing',
};

export function formatTime(t: Translate, time: number | null): string {
  return time === null ? t('syncui.never') : new Date(time).toLocaleString();
}
