import { Card, List, Stack, Text, Title } from '@mantine/core';
import { useT } from '../../i18n';
import { formatWhen, ROLE_LABELS } from './labels';
import type { MeetingContext } from './meetingContext';

/**
 * Signed versions and amendments. An amendment opens a new draft version with its reason; what was signed before
 * stays here as it was signed (the document keeps it append-only), with its signatures.
 */
export function VersionsSection({ ctx }: { ctx: MeetingContext }) {
  const t = useT();
  const { meeting } = ctx;
  if (meeting.versions.length === 0 && meeting.amendments.length === 0) return null;
  return (
    <Stack component="section" aria-labelledby="mtg-versions">
      <Title order={3} id="mtg-versions">
        {t('mtg.versions.title')}
      </Title>
      {meeting.amendments.length > 0 && (
        <List size="sm" data-testid="amendments">
          {meeting.amendments.map((a) => (
            <List.Item key={a.version}>
              {t('mtg.versions.amendment', {
                version: a.version,
                reason: a.reason,
                who: a.userName,
                at: formatWhen(a.at),
              })}
            </List.Item>
          ))}
        </List>
      )}
      {meeting.versions.map((v) => (
        <Card key={v.version} withBorder data-testid="signed-version">
          <Stack gap={4}>
            <Text fw={600}>{t('mtg.versions.signed', { version: v.version, at: formatWhen(v.signedAt) })}</Text>
            <Text size="sm">
              {v.signatures.map((s) => t('mtg.sign.short', { role: t(ROLE_LABELS[s.role]), name: s.name })).join(' ')}
            </Text>
            <details>
              <summary>{t('mtg.versions.content')}</summary>
              <Stack gap={4} mt="xs">
                <Text size="sm">{`${v.content.title} · ${formatWhen(v.content.startsAt)} · ${v.content.place}`}</Text>
                {v.content.agenda.map((item, i) => (
                  <Stack key={item.id} gap={0}>
                    <Text size="sm" fw={600}>{`${i + 1}. ${item.title}`}</Text>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {item.minutes}
                    </Text>
                    {item.resolution !== '' && (
                      <Text size="sm">{t('mtg.resolution.text', { text: item.resolution })}</Text>
                    )}
                  </Stack>
                ))}
              </Stack>
            </details>
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
