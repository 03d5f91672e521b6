import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useLocation } from 'wouter';
import { useI18n } from '../../i18n';
import { useSync } from '../../sync/react';
import { STATE_LABELS } from '../sync';

/**
 * 设置 → 同步: where this device syncs to and how it stands, and the way to the sync page (joining a server with an
 * enrolment token, the documents, leaving). The sync page itself stays one click away in the navigation too.
 */
export function SyncCard() {
  const { t } = useI18n();
  const [, navigate] = useLocation();
  const sync = useSync();
  return (
    <Card withBorder aria-labelledby="settings-sync">
      <Title order={3} size="h4" mb="sm" id="settings-sync">
        {t('settings.sync')}
      </Title>
      <Stack gap="xs">
        <Text data-testid="settings-sync-state">
          {sync.joined
            ? t('settings.sync.joined', { server: sync.server ?? '', state: t(STATE_LABELS[sync.state]) })
            : t('settings.sync.local')}
        </Text>
        <Group>
          <Button variant="light" onClick={() => navigate('/sync')}>
            {sync.joined ? t('settings.sync.open') : t('settings.sync.join')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
