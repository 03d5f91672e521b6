import type { Role } from '@shared/sync/protocol';
import { parseDocName } from '@shared/ydoc/docName';
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
  'outdated-server': 'syncui.refusal.outdated-server',
  'rejected-data': 'syncui.refusal.rejected-data',
  missing: 'syncui.refusal.missing',
};

export function formatTime(t: Translate, time: number | null): string {
  return time === null ? t('syncui.never') : new Date(time).toLocaleString();
}

/** What a document holds, in the worker's words (居民信息, 调解案件 2026…), not its name on the server. */
export function docLabel(t: Translate, docName: string): string {
  const ref = parseDocName(docName);
  if (ref === null) return t('syncPage.doc.other');
  if (!('year' in ref)) return t('syncPage.doc.registry');
  return t(`syncPage.doc.${ref.collection}`, { year: ref.year });
}

/** The community of a document, by name when this device knows it. */
export function docCommunity(docName: string, nameOf: (id: string) => string): string {
  const ref = parseDocName(docName);
  return ref === null ? '' : nameOf(ref.community);
}
