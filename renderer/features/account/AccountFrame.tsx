import { Box, Card, Center, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';
import { useI18n } from '../../i18n';

/**
 * The frame of the screens shown before the workstation opens (first account, sign-in, opening, locking): the
 * app's name, the language switch, and one card. Nothing of the data is on these screens.
 */
export function AccountFrame({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  const { t, language, setLanguage } = useI18n();
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t('app.title');
  }, [language, t]);
  return (
    <Box mih="100vh" p="md" bg="var(--mantine-color-body)">
      <Group justify="space-between" mb="xl">
        <Text fw={700} size="lg">
          {t('app.title')}
        </Text>
        <SegmentedControl
          size="xs"
          aria-label={t('header.language')}
          value={language}
          onChange={(value) => setLanguage(value)}
          data={[
            { value: 'zh-CN', label: t('settings.language.zh') },
            { value: 'en', label: t('settings.language.en') },
          ]}
        />
      </Group>
      <Center>
        <Card withBorder shadow="sm" p="xl" w="100%" maw={480} component="main" data-testid={testId}>
          <Stack gap="md">
            <Title order={1} size="h3">
              {title}
            </Title>
            {children}
          </Stack>
        </Card>
      </Center>
    </Box>
  );
}
