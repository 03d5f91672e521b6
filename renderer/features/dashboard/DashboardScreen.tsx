import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { AREAS } from '../../areas';
import { useCurrentCommunity } from '../../data/hooks';
import { useT, type MessageKey } from '../../i18n';
import { LazyBoundary, lazyNamed } from '../../ui/lazy';
import { WelcomePanel } from '../community';
import { MediationDashboard } from '../mediation';
import { MeetingsDashboard } from '../meetings';

const TodayCard = lazyNamed(() => import('./TodayCard'), 'TodayCard');

const SUMMARIES: Partial<Record<string, MessageKey>> = {
  '/registry': 'registry.summary',
  '/mediation': 'mediation.summary',
  '/meetings': 'meetings.summary',
  '/tasks': 'tasks.summary',
  '/sync': 'sync.summary',
};

/**
 * 工作台, the home screen. With no community on this device (first start) it opens on what to do first: 新建社区 or
 * 载入示范社区. With one open, on what is due today, then the mediation and meetings overviews.
 */
export function DashboardScreen() {
  const t = useT();
  const { community, loading } = useCurrentCommunity();
  return (
    <Stack>
      {!loading && community === null ? (
        <WelcomePanel />
      ) : (
        <>
          <Title order={2}>{t('dashboard.title')}</Title>
          <Text>{t('dashboard.intro')}</Text>
          {community !== null && (
            <>
              <LazyBoundary>
                <TodayCard />
              </LazyBoundary>
              <SimpleGrid cols={{ base: 1, lg: 2 }}>
                <LazyBoundary>
                  <MediationDashboard />
                </LazyBoundary>
                <LazyBoundary>
                  <MeetingsDashboard />
                </LazyBoundary>
              </SimpleGrid>
            </>
          )}
        </>
      )}
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
