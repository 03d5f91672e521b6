import { Alert } from '@mantine/core';
import { useT } from '../../i18n';
import { useSync } from '../../sync/react';

/** Shown on every screen while the joined token is a viewer's: the app is read-only. */
export function ViewerBanner() {
  const t = useT();
  const { role } = useSync();
  if (role !== 'viewer') return null;
  return (
    <Alert color="yellow" mb="md" data-testid="viewer-banner" role="status">
      {t('syncui.viewer.banner')}
    </Alert>
  );
}
