import { Group, Loader, Progress, Stack, Text } from '@mantine/core';
import { useT } from '../../i18n';
import { AccountFrame } from './AccountFrame';

/** How far the encryption of data stored before sign-in existed has come (rows sealed of all rows). */
export interface MigrationProgress {
  readonly done: number;
  readonly total: number;
}

/**
 * Between sign-in and the workstation: the store opens with the session's keys. On the first sign-in after an update
 * from a version without accounts, the data already on this device is encrypted in place first, with its progress.
 */
export function OpeningScreen({ name, progress }: { name: string; progress: MigrationProgress | null }) {
  const t = useT();
  if (progress === null) {
    return (
      <AccountFrame title={t('account.opening.title', { name })} testId="opening">
        <Group gap="sm" role="status">
          <Loader size="sm" />
          <Text>{t('account.opening.body')}</Text>
        </Group>
      </AccountFrame>
    );
  }
  const percent = progress.total === 0 ? 100 : Math.min(100, Math.round((progress.done / progress.total) * 100));
  return (
    <AccountFrame title={t('account.migrating.title')} testId="migrating">
      <Stack gap="sm">
        <Text size="sm">{t('account.migrating.body')}</Text>
        <Progress value={percent} size="lg" aria-label={t('account.migrating.title')} animated />
        <Text size="sm" role="status" data-testid="migration-progress">
          {t('account.migrating.count', { done: progress.done, total: progress.total, percent })}
        </Text>
      </Stack>
    </AccountFrame>
  );
}
