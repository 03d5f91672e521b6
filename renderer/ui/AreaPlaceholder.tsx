import { Stack, Text, Title } from '@mantine/core';
import { useT, type MessageKey } from '../i18n';

/** The page of an area whose screens are not built yet: its name and what it will hold. */
export function AreaPlaceholder({ title, summary }: { title: MessageKey; summary: MessageKey }) {
  const t = useT();
  return (
    <Stack gap="sm">
      <Title order={2}>{t(title)}</Title>
      <Text>{t(summary)}</Text>
      <Text c="dimmed" size="sm">
        {t('area.comingSoon')}
      </Text>
    </Stack>
  );
}
