import { Button, Card, SegmentedControl, Stack, Table, Text, Title, useMantineColorScheme } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { AppInfo } from '@shared/ipc/contract';
import { AccountsCard, IdleLockCard } from '../account';
import { useI18n } from '../../i18n';
import { usePlatform } from '../../platform';
import { CalendarCard } from './CalendarCard';
import { IdentityCard } from './IdentityCard';
import { LimitsCard } from './LimitsCard';
import { SyncCard } from './SyncCard';

/** Throws while rendering, so that the error view can be checked from the app itself (Diagnostics). */
function Crash({ message }: { message: string }): never {
  throw new Error(message);
}

export function SettingsScreen() {
  const { t, language, setLanguage } = useI18n();
  const platform = usePlatform();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [crash, setCrash] = useState(false);

  useEffect(() => {
    let live = true;
    void platform.getAppInfo().then((value) => {
      if (live) setInfo(value);
    });
    return () => {
      live = false;
    };
  }, [platform]);

  return (
    <Stack maw={720}>
      <Title order={2}>{t('settings.title')}</Title>
      <Card withBorder>
        <Stack gap="md">
          <div>
            <Text fw={500} id="settings-language">
              {t('settings.language')}
            </Text>
            <SegmentedControl
              aria-labelledby="settings-language"
              value={language}
              onChange={(value) => setLanguage(value)}
              data={[
                { value: 'zh-CN', label: t('settings.language.zh') },
                { value: 'en', label: t('settings.language.en') },
              ]}
            />
          </div>
          <div>
            <Text fw={500} id="settings-theme">
              {t('settings.theme')}
            </Text>
            <SegmentedControl
              aria-labelledby="settings-theme"
              value={colorScheme}
              onChange={(value) => setColorScheme(value)}
              data={[
                { value: 'light', label: t('settings.theme.light') },
                { value: 'dark', label: t('settings.theme.dark') },
                { value: 'auto', label: t('settings.theme.auto') },
              ]}
            />
          </div>
        </Stack>
      </Card>
      <IdentityCard />
      <AccountsCard />
      <IdleLockCard />
      <SyncCard />
      <CalendarCard />
      <LimitsCard />
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          {t('settings.about')}
        </Title>
        {info ? (
          <Table>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th>{t('settings.version')}</Table.Th>
                <Table.Td data-testid="app-version">{info.version}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('settings.platform')}</Table.Th>
                <Table.Td>
                  {platform.kind === 'desktop' ? t('settings.platform.desktop') : t('settings.platform.browser')}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('settings.dataFolder')}</Table.Th>
                <Table.Td>{info.dataFolder}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        ) : (
          <Text c="dimmed">{t('settings.loading')}</Text>
        )}
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="xs">
          {t('settings.diagnostics')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('settings.diagnostics.hint')}
        </Text>
        <Button variant="default" onClick={() => setCrash(true)}>
          {t('settings.diagnostics.crash')}
        </Button>
        {crash && <Crash message={t('settings.diagnostics.crashMessage')} />}
      </Card>
    </Stack>
  );
}
