import { BarChart } from '@mantine/charts';
import { Alert, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { chinaDate } from '@shared/domain/dates';
import { inPeriod, mediationStats, type MediationFigures } from '@shared/domain/mediation/stats';
import { CASE_CATEGORIES, MEDIATION_LEVELS } from '@shared/domain/mediation/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT, type MessageKey } from '../../i18n';
import { usePlatform } from '../../platform';
import { writeStatsWorkbook } from './exportStats';
import { decimal, formatDay, partiesLine, percent } from './labels';
import { caseNumberText, useAllCases, useRegistryInfo } from './useCases';
import { DateField } from '../../ui/DateField';

const FIGURE_HEADERS: readonly MessageKey[] = [
  'case.stats.accepted',
  'case.stats.settled',
  'case.stats.settlementRate',
  'case.stats.settledOnTheSpot',
  'case.stats.onTheSpotRate',
  'case.stats.concluded',
  'case.stats.onTime',
  'case.stats.onTimeRate',
  'case.stats.averageDays',
  'case.stats.satisfaction',
];

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={26} fw={700} data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}

/** One bar chart of accepted and settled cases, under its title (the chart is named by it for screen readers). */
function ChartCard({
  title,
  data,
  series,
}: {
  title: string;
  data: Record<string, string | number>[];
  series: { name: string; color: string }[];
}) {
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      <BarChart h={260} dataKey="label" data={data} series={series} withLegend aria-label={title} />
    </Card>
  );
}

/**
 * 调解统计 for a chosen period (registration day within it, shared/domain/mediation/stats.ts has the definitions):
 * the headline figures, bar charts by category and by level, and an Excel export of the same.
 */
export function StatsPage({ community }: { community: CommunityId }) {
  const t = useT();
  const platform = usePlatform();
  const cases = useAllCases(community);
  const info = useRegistryInfo(community);
  const today = chinaDate(new Date());
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const period = useMemo(() => ({ from, to }), [from, to]);
  const stats = useMemo(() => (cases ? mediationStats(cases, period) : null), [cases, period]);
  const none = t('case.stats.none');

  const chartRows = (rows: readonly [string, MediationFigures][]) =>
    rows
      .filter(([, f]) => f.accepted > 0)
      .map(([label, f]) => ({ label, [t('case.stats.accepted')]: f.accepted, [t('case.stats.settled')]: f.settled }));
  const series = [
    { name: t('case.stats.accepted'), color: 'blue.6' },
    { name: t('case.stats.settled'), color: 'teal.6' },
  ];

  const exportExcel = async () => {
    if (!stats || !cases) return;
    setBusy(true);
    setMessage(null);
    try {
      const chosen = inPeriod(cases, period);
      const bytes = await writeStatsWorkbook({
        title: `${t('case.stats.title')} ${from} ~ ${to}`,
        figureHeaders: FIGURE_HEADERS.map((key) => t(key)),
        overall: stats,
        byCategory: CASE_CATEGORIES.map((c) => ({ label: t(`case.category.${c}`), figures: stats.byCategory[c] })),
        byLevel: MEDIATION_LEVELS.map((l) => ({ label: t(`case.level.${l}`), figures: stats.byLevel[l] })),
        sheetNames: {
          summary: t('case.stats.title'),
          category: t('case.stats.byCategory'),
          level: t('case.stats.byLevel'),
          cases: t('case.list.title'),
        },
        caseHeaders: [
          t('case.list.col.number'),
          t('case.list.col.registered'),
          t('case.list.col.parties'),
          t('case.list.col.category'),
          t('case.list.col.level'),
          t('case.list.col.status'),
          t('case.list.col.risk'),
        ],
        cases: chosen.map((c) => [
          caseNumberText(c, info),
          formatDay(c.registeredAt),
          partiesLine(c),
          t(`case.category.${c.category}`),
          t(`case.level.${c.level}`),
          t(`case.status.${c.status}`),
          t(`case.riskShort.${c.risk}`),
        ]),
      });
      const saved = await platform.saveFile({
        defaultName: t('case.stats.fileName', { from, to }),
        content: bytes,
        filters: [{ name: 'Excel', extensions: ['xlsx'] }],
      });
      if (saved !== null) setMessage({ ok: true, text: t('case.stats.exported', { count: chosen.length }) });
    } catch (error) {
      setMessage({
        ok: false,
        text: t('case.stats.exportFailed', { message: error instanceof Error ? error.message : String(error) }),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack>
      <Title order={2}>{t('case.stats.title')}</Title>
      <Group align="end">
        <DateField label={t('case.stats.from')} value={from} onChange={setFrom} />
        <DateField label={t('case.stats.to')} value={to} onChange={setTo} />
        <Button onClick={() => void exportExcel()} loading={busy} disabled={!stats} variant="default">
          {busy ? t('case.stats.exporting') : t('case.stats.export')}
        </Button>
      </Group>
      {message && (
        <Alert color={message.ok ? 'green' : 'red'} role="status">
          {message.text}
        </Alert>
      )}
      {stats === null ? (
        <Text c="dimmed">{t('case.loading')}</Text>
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, md: 4, lg: 7 }}>
            <Figure label={t('case.stats.accepted')} value={String(stats.accepted)} testId="stat-accepted" />
            <Figure label={t('case.stats.settled')} value={String(stats.settled)} testId="stat-settled" />
            <Figure
              label={t('case.stats.settlementRate')}
              value={percent(stats.settlementRate, none)}
              testId="stat-settlement-rate"
            />
            <Figure
              label={t('case.stats.onTheSpotRate')}
              value={percent(stats.onTheSpotRate, none)}
              testId="stat-on-the-spot-rate"
            />
            <Figure
              label={t('case.stats.onTimeRate')}
              value={percent(stats.onTimeRate, none)}
              testId="stat-on-time-rate"
            />
            <Figure
              label={t('case.stats.averageDays')}
              value={decimal(stats.averageDays, none)}
              testId="stat-average-days"
            />
            <Figure
              label={t('case.stats.satisfaction')}
              value={decimal(stats.averageSatisfaction, none)}
              testId="stat-satisfaction"
            />
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('case.stats.definitions')}
          </Text>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <ChartCard
              title={t('case.stats.byCategory')}
              data={chartRows(CASE_CATEGORIES.map((c) => [t(`case.category.${c}`), stats.byCategory[c]]))}
              series={series}
            />
            <ChartCard
              title={t('case.stats.byLevel')}
              data={chartRows(MEDIATION_LEVELS.map((l) => [t(`case.level.${l}`), stats.byLevel[l]]))}
              series={series}
            />
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
