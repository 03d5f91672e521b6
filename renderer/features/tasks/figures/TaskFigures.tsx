import { BarChart, DonutChart } from '@mantine/charts';
import {
  Alert,
  Button,
  Card,
  Group,
  NativeSelect,
  ScrollArea,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import { chinaDate } from '@shared/domain/dates';
import { isCommunityId } from '@shared/ydoc/docName';
import { useCommunities, useRecordsOf } from '../../../data/hooks';
import { useT } from '../../../i18n';
import { cardReason } from '../labels';
import { usePlatform } from '../../../platform';
import { FigureCard } from '../../../ui/FigureCard';
import { tasksDoc, useTaskStates } from '../data';
import { writeFiguresWorkbook } from './exportFigures';
import { decimalText, figureText, percentText, periodLabel } from './format';
import {
  FIGURE_COLUMNS,
  PERIOD_KINDS,
  currentChoice,
  defaultAsOf,
  figureCell,
  figuresReport,
  type FigureRow,
  type GridDirectory,
  periodOfChoice,
  type PeriodChoice,
  type PeriodKind,
} from './report';
import { TaskBulletin } from './TaskBulletin';
import { DateField } from '../../../ui/DateField';

/** A chart and the table of its numbers side by side (the table is what a screen reader and the print read). */
function ChartWithTable({ title, chart, table }: { title: string; chart: ReactNode; table: ReactNode }) {
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <div role="img" aria-label={title}>
          {chart}
        </div>
        <ScrollArea>{table}</ScrollArea>
      </SimpleGrid>
    </Card>
  );
}

function SmallTable({ head, rows }: { head: readonly string[]; rows: readonly (readonly (string | number)[])[] }) {
  return (
    <Table withTableBorder striped fz="sm">
      <Table.Thead>
        <Table.Tr>
          {head.map((h) => (
            <Table.Th key={h}>{h}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row, i) => (
          <Table.Tr key={i}>
            {row.map((cell, j) => (
              <Table.Td key={j}>{cell}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Published and closed per group (grid or person), as a chart beside the group's main rates. */
function GroupFigures({
  title,
  head,
  rows,
  name,
}: {
  title: string;
  head: string;
  rows: readonly FigureRow[];
  name: (key: string) => string;
}) {
  const t = useT();
  const none = t('taskFigures.none');
  const published = t('taskFigures.fig.published');
  const closed = t('taskFigures.fig.closed');
  return (
    <ChartWithTable
      title={title}
      chart={
        <BarChart
          h={240}
          dataKey="name"
          data={rows.map((row) => ({
            name: name(row.key),
            [published]: row.figures.published,
            [closed]: row.figures.closed,
          }))}
          series={[
            { name: published, color: 'blue.6' },
            { name: closed, color: 'teal.6' },
          ]}
          withLegend
        />
      }
      table={
        <SmallTable
          head={[head, published, closed, t('taskFigures.fig.onTimeCloseRate'), t('taskFigures.fig.openOverdue')]}
          rows={rows.map((row) => [
            name(row.key),
            row.figures.published,
            row.figures.closed,
            percentText(row.figures.onTimeCloseRate, none),
            row.figures.openOverdue,
          ])}
        />
      }
    />
  );
}

/**
 * 任务统计 (docs/tasks-model.md, "figures"): the figures of a month, quarter or year, taken as of a day, for this
 * community or every community held on this computer (a street's token holds several); charts with their tables,
 * per community ranked and per person, the cards issued; an Excel export of the same tables and the 通报 to print.
 */
export function TaskFigures({ communityId }: { communityId: string }) {
  const t = useT();
  const platform = usePlatform();
  const today = chinaDate(new Date());
  const [choice, setChoice] = useState<PeriodChoice>(() => currentChoice('month', today));
  const period = useMemo(() => periodOfChoice(choice), [choice]);
  const [asOfInput, setAsOfInput] = useState<{ code: string; value: string } | null>(null);
  const asOf = asOfInput !== null && asOfInput.code === period.code ? asOfInput.value : defaultAsOf(period.to, today);
  const [allCommunities, setAllCommunities] = useState(false);
  const [printing, setPrinting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const communities = useCommunities();
  const names = useMemo(() => new Map((communities ?? []).map((c) => [c.id, c.name])), [communities]);
  const communityName = (id: string) => names.get(id) ?? id;
  const scope = useMemo(() => {
    const ids = allCommunities ? (communities ?? []).map((c) => c.id) : [];
    return [...new Set([communityId, ...ids])];
  }, [allCommunities, communities, communityId]);
  // A round published in January for last December lives in last year's document: read both years.
  const docNames = scope
    .filter(isCommunityId)
    .flatMap((id) => [choice.year - 1, choice.year].map((y) => tasksDoc(id, y)));
  const states = useTaskStates(docNames);
  const gridRecords = useRecordsOf(
    useMemo(() => scope.filter(isCommunityId), [scope]),
    'grids',
  );
  const grids = useMemo<GridDirectory>(
    () =>
      new Map(
        (gridRecords === undefined ? [] : [...gridRecords]).map(([community, list]) => [
          community,
          list.map((grid) => ({
            id: grid.id,
            name: grid.name,
            workers: grid.workers.filter((w) => w.role === 'grid-worker').map((w) => w.name),
          })),
        ]),
      ),
    [gridRecords],
  );
  const report = useMemo(
    () => (states === undefined ? undefined : figuresReport(states, period, asOf, grids)),
    [states, period, asOf, grids],
  );
  const none = t('taskFigures.none');
  const label = periodLabel(t, choice);
  const personName = (key: string) => (key === '' ? t('taskFigures.nobody') : (report?.personNames.get(key) ?? key));
  const gridName = (key: string) => {
    if (key === '') return t('taskFigures.noGrid');
    const name = report?.gridNames.get(key) ?? key;
    const community = key.split('/')[0] ?? '';
    // Across several communities a grid is named with its community (two may have a 第一网格).
    return scope.length > 1 ? `${communityName(community)} ${name}` : name;
  };
  const figureHeaders = FIGURE_COLUMNS.map((c) => t(`taskFigures.fig.${c.key}`));

  const exportExcel = async () => {
    if (report === undefined) return;
    setBusy(true);
    setMessage(null);
    try {
      const bytes = await writeFiguresWorkbook({
        report,
        title: t('taskFigures.sheetTitle', { period: label, from: report.from, to: report.to, asOf: report.asOf }),
        figureHeaders,
        sheetNames: {
          summary: t('taskFigures.sheet.summary'),
          community: t('taskFigures.sheet.community'),
          person: t('taskFigures.sheet.person'),
          grid: t('taskFigures.sheet.grid'),
          cards: t('taskFigures.sheet.cards'),
        },
        headers: {
          scope: t('taskFigures.col.scope'),
          rank: t('taskFigures.col.rank'),
          community: t('taskFigures.col.community'),
          person: t('taskFigures.col.person'),
          grid: t('taskFigures.col.grid'),
        },
        overallLabel: t('taskFigures.overall'),
        communityName,
        personName,
        gridName,
        cardHeaders: [
          t('taskFigures.col.level'),
          t('taskFigures.col.community'),
          t('taskFigures.col.docNo'),
          t('taskFigures.col.task'),
          t('taskFigures.col.raisedOn'),
          t('taskFigures.col.reason'),
          t('taskFigures.col.issuer'),
          t('taskFigures.col.cardState'),
        ],
        cardRows: report.cards.map((card) => [
          t(`taskFigures.level.${card.level}`),
          communityName(card.community),
          card.docNo,
          card.title,
          card.raisedOn,
          cardReason(t, card),
          card.issuer,
          t(`taskFigures.cardState.${card.state}`),
        ]),
      });
      const saved = await platform.saveFile({
        defaultName: t('taskFigures.fileName', { period: period.code }),
        content: bytes,
        filters: [{ name: 'Excel', extensions: ['xlsx'] }],
      });
      if (saved !== null) setMessage({ ok: true, text: t('taskFigures.exported', { file: saved.path }) });
    } catch (error) {
      setMessage({
        ok: false,
        text: t('taskFigures.exportFailed', { message: error instanceof Error ? error.message : String(error) }),
      });
    } finally {
      setBusy(false);
    }
  };

  const setKind = (kind: PeriodKind) => setChoice(currentChoice(kind, `${choice.year}${today.slice(4)}`));
  // Two years back, and next year (a round handed down ahead is counted from its period's first day).
  const thisYear = Number(today.slice(0, 4));
  const years = [...new Set([thisYear - 2, thisYear - 1, thisYear, thisYear + 1, choice.year])].sort();
  const f = report?.overall;

  return (
    <Stack>
      <Title order={2}>{t('taskFigures.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('taskFigures.intro')}
      </Text>
      <Group align="end" wrap="wrap">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="task-figures-kind">
            {t('taskFigures.periodKind')}
          </Text>
          <SegmentedControl
            aria-labelledby="task-figures-kind"
            value={choice.kind}
            onChange={(value) => setKind(value)}
            data={PERIOD_KINDS.map((k) => ({ value: k, label: t(`taskFigures.kind.${k}`) }))}
          />
        </Stack>
        <NativeSelect
          label={t('taskFigures.year')}
          value={String(choice.year)}
          onChange={(e) => setChoice({ ...choice, year: Number(e.currentTarget.value) })}
          data={years.map(String)}
        />
        {choice.kind === 'month' && (
          <NativeSelect
            label={t('taskFigures.month')}
            value={String(choice.part)}
            onChange={(e) => setChoice({ ...choice, part: Number(e.currentTarget.value) })}
            data={Array.from({ length: 12 }, (_, i) => ({
              value: String(i + 1),
              label: t('taskFigures.monthN', { n: i + 1 }),
            }))}
          />
        )}
        {choice.kind === 'quarter' && (
          <NativeSelect
            label={t('taskFigures.quarter')}
            value={String(choice.part)}
            onChange={(e) => setChoice({ ...choice, part: Number(e.currentTarget.value) })}
            data={[1, 2, 3, 4].map((q) => ({ value: String(q), label: t('taskFigures.quarterN', { n: q }) }))}
          />
        )}
        <DateField
          label={t('taskFigures.asOf')}
          value={asOf}
          maxDate={today}
          onChange={(value) => {
            if (value !== '') setAsOfInput({ code: period.code, value });
          }}
        />
        {(communities?.length ?? 0) > 1 && (
          <Stack gap={4}>
            <Text size="sm" fw={500} id="task-figures-scope">
              {t('taskFigures.scope')}
            </Text>
            <SegmentedControl
              aria-labelledby="task-figures-scope"
              value={allCommunities ? 'all' : 'one'}
              onChange={(value) => setAllCommunities(value === 'all')}
              data={[
                { value: 'one', label: t('taskFigures.scope.one') },
                { value: 'all', label: t('taskFigures.scope.all', { count: communities?.length ?? 0 }) },
              ]}
            />
          </Stack>
        )}
      </Group>
      <Group>
        <Button variant="default" onClick={() => void exportExcel()} loading={busy} disabled={report === undefined}>
          {busy ? t('taskFigures.exporting') : t('taskFigures.export')}
        </Button>
        <Button variant="default" onClick={() => setPrinting(true)} disabled={report === undefined}>
          {t('taskFigures.print')}
        </Button>
      </Group>
      {message && (
        <Alert color={message.ok ? 'green' : 'red'} role="status">
          {message.text}
        </Alert>
      )}
      {report === undefined || f === undefined ? (
        <Text c="dimmed">{t('taskFigures.loading')}</Text>
      ) : (
        <>
          {f.published === 0 && <Text c="dimmed">{t('taskFigures.empty')}</Text>}
          <SimpleGrid cols={{ base: 2, md: 4, lg: 8 }}>
            <FigureCard label={t('taskFigures.fig.published')} value={String(f.published)} testId="tf-published" />
            <FigureCard
              label={t('taskFigures.fig.claimOnTimeRate')}
              value={percentText(f.claimOnTimeRate, none)}
              testId="tf-claim-rate"
            />
            <FigureCard label={t('taskFigures.fig.openNormal')} value={String(f.openNormal)} testId="tf-open-normal" />
            <FigureCard
              label={t('taskFigures.fig.openOverdue')}
              value={String(f.openOverdue)}
              testId="tf-open-overdue"
            />
            <FigureCard label={t('taskFigures.fig.closed')} value={String(f.closed)} testId="tf-closed" />
            <FigureCard
              label={t('taskFigures.fig.closeRate')}
              value={percentText(f.closeRate, none)}
              testId="tf-close-rate"
            />
            <FigureCard
              label={t('taskFigures.fig.onTimeCloseRate')}
              value={percentText(f.onTimeCloseRate, none)}
              testId="tf-on-time-rate"
            />
            <FigureCard
              label={t('taskFigures.fig.averageWorkdays')}
              value={`${decimalText(f.averageWorkdays, none)} / ${decimalText(f.medianWorkdays, none)}`}
              testId="tf-days"
            />
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('taskFigures.definitions')}
          </Text>
          <ChartWithTable
            title={t('taskFigures.chart.communities')}
            chart={
              <BarChart
                h={240}
                dataKey="name"
                data={report.byCommunity.map((row) => ({
                  name: communityName(row.key),
                  [t('taskFigures.fig.published')]: row.figures.published,
                  [t('taskFigures.fig.closed')]: row.figures.closed,
                  [t('taskFigures.fig.openOverdue')]: row.figures.openOverdue,
                }))}
                series={[
                  { name: t('taskFigures.fig.published'), color: 'blue.6' },
                  { name: t('taskFigures.fig.closed'), color: 'teal.6' },
                  { name: t('taskFigures.fig.openOverdue'), color: 'red.6' },
                ]}
                withLegend
              />
            }
            table={
              <SmallTable
                head={[
                  t('taskFigures.col.rank'),
                  t('taskFigures.col.community'),
                  t('taskFigures.fig.published'),
                  t('taskFigures.fig.closeRate'),
                  t('taskFigures.fig.onTimeCloseRate'),
                  t('taskFigures.fig.openOverdue'),
                ]}
                rows={report.byCommunity.map((row) => [
                  row.rank,
                  communityName(row.key),
                  row.figures.published,
                  percentText(row.figures.closeRate, none),
                  percentText(row.figures.onTimeCloseRate, none),
                  row.figures.openOverdue,
                ])}
              />
            }
          />
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <ChartWithTable
              title={t('taskFigures.chart.status')}
              chart={
                <DonutChart
                  h={200}
                  withLabels
                  data={[
                    { name: t('taskFigures.fig.openNormal'), value: f.openNormal, color: 'blue.6' },
                    { name: t('taskFigures.fig.openOverdue'), value: f.openOverdue, color: 'red.6' },
                    { name: t('taskFigures.fig.closed'), value: f.closed, color: 'teal.6' },
                  ].filter((d) => d.value > 0)}
                />
              }
              table={
                <SmallTable
                  head={[t('taskFigures.col.figure'), t('taskFigures.col.value')]}
                  rows={[
                    [t('taskFigures.fig.openNormal'), f.openNormal],
                    [t('taskFigures.fig.openOverdue'), f.openOverdue],
                    [t('taskFigures.fig.closed'), f.closed],
                    [t('taskFigures.fig.claimedLate'), f.claimedLate],
                  ]}
                />
              }
            />
            <ChartWithTable
              title={t('taskFigures.chart.closure')}
              chart={
                <DonutChart
                  h={200}
                  withLabels
                  data={[
                    { name: t('taskFigures.fig.substantive'), value: f.substantive, color: 'teal.6' },
                    { name: t('taskFigures.fig.procedural'), value: f.procedural, color: 'gray.6' },
                  ].filter((d) => d.value > 0)}
                />
              }
              table={
                <SmallTable
                  head={[t('taskFigures.col.figure'), t('taskFigures.col.value')]}
                  rows={[
                    [t('taskFigures.fig.substantive'), f.substantive],
                    [t('taskFigures.fig.procedural'), f.procedural],
                    [t('taskFigures.fig.closedOnTime'), f.closedOnTime],
                    [t('taskFigures.fig.averageWorkdays'), decimalText(f.averageWorkdays, none)],
                    [t('taskFigures.fig.medianWorkdays'), decimalText(f.medianWorkdays, none)],
                  ]}
                />
              }
            />
          </SimpleGrid>
          <ChartWithTable
            title={t('taskFigures.chart.cards')}
            chart={
              <BarChart
                h={220}
                dataKey="name"
                data={[
                  { name: t('taskFigures.level.normal'), value: f.cards.normal, color: 'blue.6' },
                  { name: t('taskFigures.level.yellow'), value: f.cards.yellow, color: 'yellow.6' },
                  { name: t('taskFigures.level.red'), value: f.cards.red, color: 'red.6' },
                  { name: t('taskFigures.fig.extensionsRequested'), value: f.extensionsRequested, color: 'violet.6' },
                  { name: t('taskFigures.fig.returns'), value: f.returns, color: 'gray.6' },
                ]}
                series={[{ name: 'value', label: t('taskFigures.col.value'), color: 'blue.6' }]}
              />
            }
            table={
              <SmallTable
                head={[t('taskFigures.col.figure'), t('taskFigures.col.value')]}
                rows={[
                  [t('taskFigures.fig.cardsNormal'), f.cards.normal],
                  [t('taskFigures.fig.cardsYellow'), f.cards.yellow],
                  [t('taskFigures.fig.cardsRed'), f.cards.red],
                  [t('taskFigures.fig.cardsCancelled'), f.cardsCancelled],
                  [t('taskFigures.fig.extensionsRequested'), f.extensionsRequested],
                  [t('taskFigures.fig.extensionsGranted'), f.extensionsGranted],
                  [t('taskFigures.fig.extensionDaysGranted'), f.extensionDaysGranted],
                  [t('taskFigures.fig.returns'), f.returns],
                ]}
              />
            }
          />
          <GroupFigures
            title={t('taskFigures.chart.grids')}
            head={t('taskFigures.col.grid')}
            rows={report.byGrid}
            name={gridName}
          />
          <GroupFigures
            title={t('taskFigures.chart.people')}
            head={t('taskFigures.col.person')}
            rows={report.byPerson}
            name={personName}
          />
          <Card withBorder>
            <Title order={3} size="h5" mb="xs">
              {t('taskFigures.chart.all')}
            </Title>
            <ScrollArea>
              <Table withTableBorder striped fz="sm" data-testid="tf-all">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('taskFigures.col.community')}</Table.Th>
                    {figureHeaders.map((h) => (
                      <Table.Th key={h}>{h}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {[
                    { key: '', name: t('taskFigures.overall'), figures: f },
                    ...report.byCommunity.map((row) => ({ ...row, name: communityName(row.key) })),
                  ].map((row) => (
                    <Table.Tr key={`${row.key}-${row.name}`}>
                      <Table.Td>{row.name}</Table.Td>
                      {FIGURE_COLUMNS.map((c) => (
                        <Table.Td key={c.key}>{figureText(figureCell(c, row.figures), c, none)}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          </Card>
          <Card withBorder>
            <Title order={3} size="h5" mb="xs">
              {t('taskFigures.cardsIssued')}
            </Title>
            {report.cards.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('taskFigures.noCards')}
              </Text>
            ) : (
              <SmallTable
                head={[
                  t('taskFigures.col.level'),
                  t('taskFigures.col.community'),
                  t('taskFigures.col.docNo'),
                  t('taskFigures.col.task'),
                  t('taskFigures.col.raisedOn'),
                  t('taskFigures.col.reason'),
                  t('taskFigures.col.cardState'),
                ]}
                rows={report.cards.map((card) => [
                  t(`taskFigures.level.${card.level}`),
                  communityName(card.community),
                  card.docNo,
                  card.title,
                  card.raisedOn,
                  cardReason(t, card),
                  t(`taskFigures.cardState.${card.state}`),
                ])}
              />
            )}
          </Card>
          {printing && (
            <TaskBulletin
              report={report}
              periodText={label}
              communityName={communityName}
              onClose={() => setPrinting(false)}
            />
          )}
        </>
      )}
    </Stack>
  );
}
