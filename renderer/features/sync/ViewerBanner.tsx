import { Alert } from '@mantine/core';
import { useT } from '../../i18n';
import { useSync } from '../../sync/react';
import { useRole } from './useRole';

/**
 * Shown on every screen while the community shown is read-only: the joined token is a viewer's, or the community was
 * received as a viewer's and stays so after leaving sync (data/roles.ts) until an admin of this device changes it.
 */
export function ViewerBanner() {
  const t = useT();
  const { role: tokenRole } = useSync();
  const role = useRole();
  if (tokenRole === 'viewer') {
    return (
      <Alert color="yellow" mb="md" data-testid="viewer-banner" role="status">
        {t('syncui.viewer.banner')}
      </Alert>
    );
  }
  if (role !== 'viewer') return null;
  return (
    <Alert color="yellow" mb="md" data-testid="viewer-banner" role="status">
      {t('syncui.viewer.kept')}
    </Alert>
  );
}
