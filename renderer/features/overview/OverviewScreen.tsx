import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  NativeSelect,
  NumberInput,
  ScrollArea,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS, type RankingWeights } from '@shared/domain/dashboard/street';
import { chinaDate } from '@shared/domain/dates';
import { INCIDENT_CATEGORIES } from '@shared/domain/incidents/types';
import { isCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { useCommunities, useCurrentCommunity, useRecords } from '../../data/hooks';
import { useT, type MessageKey } from '../../i18n';
import { usePlatform } from '../../platform';
import { FigureCard } from '../../ui/FigureCard';
import { RankingChart, TrendChart } from './charts';
import { DashboardBulletin } from './DashboardBulletin';
import { useReportParts } from './data';
import { partyFigures } from '@shared/domain/dashboard/partyFigures';
import { resourcesFigures } from '@shared/domain/dashboard/resourcesFigures';
import { usePartyResources } from './partyData';
import { figureGroups, PartyResourcesSection } from './PartyResourcesSection';
import { partySheets } from './partyTables';
import { writeDashboardWorkbook } from './exportDashboard';
import { changeText, kpiText } from './format';
import {
  currentChoice,
  defaultAsOf,
  keptReport,
  KPI_ORDER,
  kpiBetter,
  PERIOD_KINDS,
  periodOfChoice,
  type PeriodChoice,
  type PeriodKind,
} from './report';
import { cellText, dashboardTables, type DashboardTable, type TableKey } from './tables';
import { identityOf, Kept } from './identity';

/** The party and resources figures and the tables, kept by what they were made from (identity.ts). */
const keptParty = new Kept<{
  party: ReturnType<typeof partyFigures>;
  resources: ReturnType<typeof resourcesFigures>;
}>(16);
const keptTables = new Kept<ReturnType<typeof dashboardTables>>(16);

const isCategory = (value: string): value is (typeof INCIDENT_CATEGORIES)[number] =>
  (INCIDENT_CATEGORIES as readonly string[]).includes(value);

/**
 * Rows a table draws on screen: a street's overdue list or its people may run to thousands of rows, which nobody reads
 * on screen and which took most of the drawing's time (docs/dashboard-model.md, "measured"); the Excel export and
 * the printed bulletin keep every row.
 */
export const SCREEN_ROWS = 200;

function TableCard({
  table,
  none,
  testId,
  aside,
}: {
  table: DashboardTable;
  none: string;
  testId: string;
  aside?: ReactNode;
}) {
  const t = useT();
  const shown = table.rows.slice(0, SCREEN_ROWS);
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb="xs">
        {table.name}
      </Title>
      <SimpleGrid cols={{ base: 1, lg: aside === undefined ? 1 : 2 }}>
        {aside}
        {table.rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('overview.nothing')}
          </Text>
        ) : (
          <ScrollArea>
            <Table withTableBorder striped fz="sm" data-testid={testId}>
              <Table.Thead>
                <Table.Tr>
                  {table.headers.map((h) => (
                    <Table.Th key={h}>{h}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((row, i) => (
                  <Table.Tr key={i}>
                    {row.map((cell, j) => (
                      <Table.Td key={j}>{cellText(table, i, j, cell, none)}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {shown.length < table.rows.length && (
              <Text size="xs" c="dimmed" mt={4} data-testid={`${testId}-shown`}>
                {t('overview.rowsShown', { total: table.rows.length, shown: shown.length })}
              </Text>
            )}
          </ScrollArea>
        )}
      </SimpleGrid>
    </Card>
  );
}

/** Weights in points adding up to 100; else the form says so and the ranking keeps the last weights that did. */
function weightsProblem(w: Record<keyof RankingWeights, number | string>): MessageKey | null {
  const values = Object.values(w).map((v) => (typeof v === 'number' ? v : Number.NaN));
  if (values.some((v) => !Number.isInteger(v) || v < 0 || v > 100)) return 'overview.weights.range';
  if (values.reduce((a, b) => a + b, 0) !== 100) return 'overview.weights.sum';
  return null;
}

/**
 * 数据看板 (docs/dashboard-model.md): for this community or every community held on this computer, the KPI cards with
 * the change on the previous period, the communities ranked by a weighted score against threshold lines, the monthly
 * trend, categories, hot spots, overdue events with their owner, people, mediation; the period picked by month,
 * quarter or year as of a day; the 通报 exported to Excel and printed on A4. Every figure is computed from the
 * histories on each change.
 */
export function OverviewScreen() {
  const t = useT();
  const platform = usePlatform();
  const { community: current, loading } = useCurrentCommunity();
  const communities = useCommunities();
  const today = chinaDate(new Date());
  const [choice, setChoice] = useState<PeriodChoice>(() => currentChoice('month', today));
  const period = useMemo(() => periodOfChoice(choice), [choice]);
  const [asOfInput, setAsOfInput] = useState<{ code: string; value: string } | null>(null);
  const asOf = asOfInput !== null && asOfInput.code === period.code ? asOfInput.value : defaultAsOf(period.to, today);
  const [all, setAll] = useState(false);
  const [weightsInput, setWeightsInput] = useState<Record<keyof RankingWeights, number | string>>({
    ...DEFAULT_WEIGHTS,
  });
  const [weights, setWeights] = useState<RankingWeights>(DEFAULT_WEIGHTS);
  const [thresholdsInput, setThresholdsInput] = useState({
    satisfaction: DEFAULT_THRESHOLDS.satisfaction * 100,
    onTime: DEFAULT_THRESHOLDS.onTime * 100,
  });
  const thresholds = useMemo(
    () => ({ satisfaction: thresholdsInput.satisfaction / 100, onTime: thresholdsInput.onTime / 100 }),
    [thresholdsInput],
  );
  const [printing, setPrinting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const communityId: CommunityId | null = current && isCommunityId(current.id) ? current.id : null;
  const scope = useMemo(() => {
    const list = all ? (communities ?? []) : current ? [current] : [];
    return list.map((c) => ({ id: c.id, name: c.name }));
  }, [all, communities, current]);
  // The period's year and the one before: the previous period, and what was begun last year.
  const years = useMemo(() => [choice.year - 1, choice.year], [choice.year]);
  const parts = useReportParts(scope, years, choice, asOf);
  const partyData = usePartyResources(scope, years);
  const partyResources = useMemo(() => {
    if (partyData === undefined) return undefined;
    const figurePeriod = { from: period.from, to: period.to, asOf };
    // Kept by the very rows they are computed from (identity.ts): drawn again, they are not computed again.
    const key = JSON.stringify([
      partyData.map((c) => [c.id, identityOf(c.registry), c.activities.map((a) => identityOf(a))]),
      figurePeriod,
    ]);
    return keptParty.get(key, () => ({
      party: partyFigures(partyData, figurePeriod),
      resources: resourcesFigures(partyData, figurePeriod),
    }));
  }, [partyData, period, asOf]);
  const report = useMemo(() => {
    if (parts === undefined) return undefined;
    performance.mark('cgw:dashboard figures-start');
    // Each community's part is its own figures (data.ts); adding them up and ranking them is all that is left.
    const r = keptReport(parts, { choice, asOf, weights, thresholds });
    performance.mark('cgw:dashboard figures-done');
    return r;
  }, [parts, choice, asOf, weights, thresholds]);

  const grids = useRecords(communityId, 'grids');
  const buildings = useRecords(communityId, 'buildings');
  const names = useMemo(() => {
    const communityNames = new Map((communities ?? []).map((c) => [c.id, c.name]));
    const placeNames = new Map<string, string>();
    for (const r of [...(grids ?? []), ...(buildings ?? [])]) {
      const name: unknown = (r as { name?: unknown }).name;
      if (typeof name === 'string') placeNames.set(r.id, name);
    }
    return {
      community: (id: string) => communityNames.get(id) ?? id,
      place: (_kind: 'grid' | 'building', ref: string) => placeNames.get(ref) ?? ref.slice(0, 8),
      category: (category: string) => (isCategory(category) ? t(`overview.category.${category}`) : category),
    };
  }, [communities, grids, buildings, t]);
  const tables = useMemo(
    () =>
      report === undefined
        ? undefined
        : keptTables.get(JSON.stringify([identityOf(report), identityOf(t), identityOf(names)]), () =>
            dashboardTables(t, report, names),
          ),
    [t, report, names],
  );
  const table = (key: TableKey) => tables?.find((x) => x.key === key);
  // For the benchmark's profile (tests/bench/dashboard-profile.ts): the figures committed to the page.
  useEffect(() => {
    if (tables !== undefined) performance.mark('cgw:dashboard drawn');
  }, [tables]);
  const none = t('overview.none');
  const periodText = t(`overview.periodLabel.${choice.kind}`, { year: choice.year, n: choice.part });

  if (loading) return null;
  if (current === null) {
    return (
      <Stack>
        <Title order={2}>{t('nav.overview')}</Title>
        <Alert color="blue">{t('overview.noCommunity')}</Alert>
      </Stack>
    );
  }

  const setWeight = (key: keyof RankingWeights, value: number | string) => {
    const next = { ...weightsInput, [key]: value };
    setWeightsInput(next);
    if (weightsProblem(next) === null) {
      setWeights({ onTime: Number(next.onTime), closed: Number(next.closed), satisfied: Number(next.satisfied) });
    }
  };
  const weightsError = weightsProblem(weightsInput);

  const exportExcel = async () => {
    if (report === undefined || tables === undefined) return;
    setBusy(true);
    setMessage(null);
    try {
      const bytes = await writeDashboardWorkbook({
        title: t('overview.sheetTitle', { period: periodText, from: report.from, to: report.to, asOf: report.asOf }),
        sheets: [
          ...tables,
          ...(partyResources === undefined
            ? []
            : partySheets(t, partyResources.party, partyResources.resources, names.community)),
        ],
      });
      const saved = await platform.saveFile({
        defaultName: t('overview.fileName', { period: period.code }),
        content: bytes,
        filters: [{ name: 'Excel', extensions: ['xlsx'] }],
      });
      if (saved !== null) setMessage({ ok: true, text: t('overview.exported', { file: saved.path }) });
    } catch (error) {
      setMessage({
        ok: false,
        text: t('overview.exportFailed', { message: error instanceof Error ? error.message : String(error) }),
      });
    } finally {
      setBusy(false);
    }
  };

  const setKind = (kind: PeriodKind) => setChoice(currentChoice(kind, `${choice.year}${today.slice(4)}`));
  const thisYear = Number(today.slice(0, 4));
  const yearList = [...new Set([thisYear - 2, thisYear - 1, thisYear, choice.year])].sort();
  const d = report?.dashboard;
  const ranking = table('ranking');
  const trend = table('trend');

  return (
    <Stack>
      <Title order={2}>{t('nav.overview')}</Title>
      <Text size="sm" c="dimmed">
        {t('overview.intro')}
      </Text>
      <Group align="end" wrap="wrap" className="cgw-no-print">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="overview-kind">
            {t('overview.periodKind')}
          </Text>
          <SegmentedControl
            aria-labelledby="overview-kind"
            value={choice.kind}
            onChange={(value) => setKind(value)}
            data={PERIOD_KINDS.map((k) => ({ value: k, label: t(`overview.kind.${k}`) }))}
          />
        </Stack>
        <NativeSelect
          label={t('overview.year')}
          value={String(choice.year)}
          onChange={(e) => setChoice({ ...choice, year: Number(e.currentTarget.value) })}
          data={yearList.map(String)}
        />
        {choice.kind === 'month' && (
          <NativeSelect
            label={t('overview.month')}
            value={String(choice.part)}
            onChange={(e) => setChoice({ ...choice, part: Number(e.currentTarget.value) })}
            data={Array.from({ length: 12 }, (_, i) => ({
              value: String(i + 1),
              label: t('overview.monthN', { n: i + 1 }),
            }))}
          />
        )}
        {choice.kind === 'quarter' && (
          <NativeSelect
            label={t('overview.quarter')}
            value={String(choice.part)}
            onChange={(e) => setChoice({ ...choice, part: Number(e.currentTarget.value) })}
            data={[1, 2, 3, 4].map((q) => ({ value: String(q), label: t('overview.quarterN', { n: q }) }))}
          />
        )}
        <TextInput
          type="date"
          label={t('overview.asOf')}
          value={asOf}
          max={today}
          onChange={(e) => {
            const value = e.currentTarget.value;
            if (value !== '') setAsOfInput({ code: period.code, value });
          }}
        />
        {(communities?.length ?? 0) > 1 && (
          <Stack gap={4}>
            <Text size="sm" fw={500} id="overview-scope">
              {t('overview.scope')}
            </Text>
            <SegmentedControl
              aria-labelledby="overview-scope"
              value={all ? 'all' : 'one'}
              onChange={(value) => setAll(value === 'all')}
              data={[
                { value: 'one', label: t('overview.scope.one') },
                { value: 'all', label: t('overview.scope.all', { count: communities?.length ?? 0 }) },
              ]}
            />
          </Stack>
        )}
      </Group>
      <Group>
        <Button variant="default" onClick={() => void exportExcel()} loading={busy} disabled={report === undefined}>
          {busy ? t('overview.exporting') : t('overview.export')}
        </Button>
        <Button variant="default" onClick={() => setPrinting(true)} disabled={report === undefined}>
          {t('overview.print')}
        </Button>
      </Group>
      {message && (
        <Alert color={message.ok ? 'green' : 'red'} role="status">
          {message.text}
        </Alert>
      )}
      {report === undefined || d === undefined || tables === undefined ? (
        <Text c="dimmed">{t('overview.loading')}</Text>
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, md: 4, lg: 7 }} data-testid="overview-kpis">
            {KPI_ORDER.map((key) => {
              const kpi = d.kpis.find((k) => k.key === key);
              const better = kpiBetter(key);
              const change = kpi?.change ?? null;
              const good =
                change === null || change === 0 || better === 'none' ? null : change > 0 === (better === 'up');
              return (
                <FigureCard
                  key={key}
                  label={t(`overview.kpi.${key}`)}
                  value={kpiText(key, kpi?.value ?? null, none)}
                  testId={`ov-kpi-${key}`}
                  note={t('overview.kpi.change', {
                    previous: kpiText(key, kpi?.previous ?? null, none),
                    change: changeText(key, change, none),
                  })}
                  noteColor={good === null ? undefined : good ? 'teal' : 'red'}
                />
              );
            })}
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('overview.definitions')}
          </Text>
          {ranking && (
            <Card withBorder>
              <Title order={3} size="h5" mb="xs">
                {ranking.name}
              </Title>
              <Group align="end" mb="xs" className="cgw-no-print">
                <NumberInput
                  label={t('overview.weights.onTime')}
                  value={weightsInput.onTime}
                  min={0}
                  max={100}
                  w={140}
                  onChange={(v) => setWeight('onTime', v)}
                />
                <NumberInput
                  label={t('overview.weights.closed')}
                  value={weightsInput.closed}
                  min={0}
                  max={100}
                  w={140}
                  onChange={(v) => setWeight('closed', v)}
                />
                <NumberInput
                  label={t('overview.weights.satisfied')}
                  value={weightsInput.satisfied}
                  min={0}
                  max={100}
                  w={140}
                  onChange={(v) => setWeight('satisfied', v)}
                />
                <NumberInput
                  label={t('overview.threshold.onTime')}
                  value={thresholdsInput.onTime}
                  min={0}
                  max={100}
                  w={150}
                  onChange={(v) => setThresholdsInput({ ...thresholdsInput, onTime: typeof v === 'number' ? v : 0 })}
                />
                <NumberInput
                  label={t('overview.threshold.satisfaction')}
                  value={thresholdsInput.satisfaction}
                  min={0}
                  max={100}
                  w={150}
                  onChange={(v) =>
                    setThresholdsInput({ ...thresholdsInput, satisfaction: typeof v === 'number' ? v : 0 })
                  }
                />
              </Group>
              {weightsError !== null && (
                <Alert color="red" role="alert" p="xs" mb="xs" data-testid="overview-weights-error">
                  {t(weightsError, {
                    onTime: weights.onTime,
                    closed: weights.closed,
                    satisfied: weights.satisfied,
                  })}
                </Alert>
              )}
              <Text size="xs" c="dimmed" mb="xs">
                {t('overview.rankingRule', {
                  onTime: weights.onTime,
                  closed: weights.closed,
                  satisfied: weights.satisfied,
                })}
              </Text>
              <SimpleGrid cols={{ base: 1, lg: 2 }}>
                <ScrollArea>
                  <RankingChart
                    rows={d.ranking}
                    thresholds={thresholds}
                    label={ranking.name}
                    legend={{ onTime: t('overview.kpi.onTimeRate'), satisfaction: t('overview.kpi.satisfaction') }}
                  />
                </ScrollArea>
                <ScrollArea>
                  <Table withTableBorder striped fz="sm" data-testid="overview-ranking">
                    <Table.Thead>
                      <Table.Tr>
                        {ranking.headers.map((h) => (
                          <Table.Th key={h}>{h}</Table.Th>
                        ))}
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {ranking.rows.map((row, i) => (
                        <Table.Tr key={i} data-testid="overview-ranking-row">
                          {row.map((cell, j) =>
                            j === 7 && typeof cell === 'string' && cell !== '' ? (
                              <Table.Td key={j}>
                                <Badge color="red" variant="light">
                                  {cell}
                                </Badge>
                              </Table.Td>
                            ) : (
                              <Table.Td key={j}>{cellText(ranking, i, j, cell, none)}</Table.Td>
                            ),
                          )}
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollArea>
              </SimpleGrid>
            </Card>
          )}
          {trend && (
            <TableCard
              table={trend}
              none={none}
              testId="overview-trend"
              aside={
                <ScrollArea>
                  <TrendChart
                    trend={d.trend}
                    label={trend.name}
                    legend={{ reported: t('overview.col.reported'), closed: t('overview.col.closed') }}
                  />
                </ScrollArea>
              }
            />
          )}
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            {(['categories', 'hotspots'] as const).map((key) => {
              const x = table(key);
              return x && <TableCard key={key} table={x} none={none} testId={`overview-${key}`} />;
            })}
          </SimpleGrid>
          {(['overdue', 'people', 'mediation', 'kpis'] as const).map((key) => {
            const x = table(key);
            return x && <TableCard key={key} table={x} none={none} testId={`overview-${key}`} />;
          })}
          {partyResources === undefined ? (
            <Text c="dimmed">{t('overview.loading')}</Text>
          ) : (
            <PartyResourcesSection party={partyResources.party} resources={partyResources.resources} links={!all} />
          )}
          {printing && (
            <DashboardBulletin
              report={report}
              tables={tables}
              periodText={periodText}
              onClose={() => setPrinting(false)}
              party={
                partyResources === undefined
                  ? undefined
                  : figureGroups(t, partyResources.party, partyResources.resources)
              }
            />
          )}
        </>
      )}
    </Stack>
  );
}
