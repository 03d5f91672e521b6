import { Card, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useT } from '../../i18n';
import { usePlatform } from '../../platform';
import { useAccount } from './AccountContext';
import { IDLE_MINUTE_CHOICES } from './idleLock';
import { useIdleMinutes } from './idleSetting';

/**
 * 设置 → 自动锁定: minutes without input before the workstation locks, for this device. An admin sets it (it is the
 * office's rule for a shared desktop); others see it.
 */
export function IdleLockCard() {
  const t = useT();
  const platform = usePlatform();
  const { account } = useAccount();
  const [minutes, setMinutes] = useIdleMinutes();
  const admin = account.role === 'admin';
  return (
    <Card withBorder aria-labelledby="settings-idle">
      <Title order={3} size="h4" mb="sm" id="settings-idle">
        {t('account.idle.title')}
      </Title>
      <Stack gap="xs">
        <NativeSelect
          label={t('account.idle.label')}
          description={admin ? t('account.idle.hint') : t('account.idle.adminOnly')}
          disabled={!admin}
          value={String(minutes)}
          onChange={(event) => setMinutes(Number(event.currentTarget.value))}
          data={IDLE_MINUTE_CHOICES.map((value) => ({
            value: String(value),
            label: t('account.idle.minutes', { n: value }),
          }))}
          data-testid="idle-minutes"
        />
        <Text size="xs" c="dimmed">
          {platform.onSystemLock ? t('account.idle.systemDesktop') : t('account.idle.systemBrowser')}
        </Text>
      </Stack>
    </Card>
  );
}
