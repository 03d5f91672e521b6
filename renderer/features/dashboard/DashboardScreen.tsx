import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { AREAS } from '../../areas';
import { useT, type MessageKey } from '../../i18n';
import { LazyBoundary, lazyNamed } from '../../ui/lazy';

const MediationDashboard = lazyNamed(() => import('../mediation/MediationDashboard'), 'MediationDashboard');
const MeetingsDashboard = lazyNamed(() => import('../meetings/MeetingsDashboard'), 'MeetingsDashboard');

const SUMMARIES: Partial<Record<string, MessageKey>> = {
  '/registry': 'registry.summary',
  '/mediation': 'mediation.summary',
  '/meetings': 'meetings.summary',
  '/tasks': 'tasks.summary',
  '/sync': 'sync.summary',
};

export function DashboardScreen() {
  const t = useT();
  return (
    <Stack>
      <Title order={2}>{t('dashboard.title')}</Title>
      <Text>{t('dashboard.intro')}</Text>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <LazyBoundary>
          <MediationDashboard />
        </LazyBoundary>
        <LazyBoundary>
          <MeetingsDashboard />
        </LazyBoundary>
      </SimpleGrid>
      <Title order={3} size="h4">
        {t('dashboard.areas')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {AREAS.flatMap((area) => {
          const summary = SUMMARIES[area.path];
          if (!summary) return [];
          return [
            <Card key={area.path} withBorder component="a" href={`#${area.path}`} padding="md">
              <Text fw={600}>{t(area.label)}</Text>
              <Text size="sm" c="dimmed">
                {t(summary)}
              </Text>
            </Card>,
          ];
        })}
      </SimpleGrid>
    </Stack>
  );
}
