/**
 * The dashboard's tables as rows of numbers and words, in the screen's language: drawn on the screen, written to the
 * workbook and printed in the 通报 from the same rows, so the three always agree. Rates are fractions here; the
 * screen and the 通报 show them as percentages, the workbook formats them.
 */
import type { Translate } from '../../i18n';
import type { Cell, SheetSpec } from './exportDashboard';
import { KPI_ORDER, kpiKind, type DashboardReport } from './report';

export interface Names {
  readonly community: (id: string) => string;
  /** A grid's or building's name by its registry id (its short id when this device does not know it). */
  readonly place: (kind: 'grid' | 'building', ref: string) => string;
  readonly category: (category: string) => string;
}

export type TableKey = 'kpis' | 'ranking' | 'trend' | 'categories' | 'hotspots' | 'overdue' | 'people' | 'mediation';

export interface DashboardTable extends SheetSpec {
  readonly key: TableKey;
}

/** Shares a rank among rows equal on the score (a community with nothing to rate comes last, unranked). */
function ranks(scores: readonly (number | null)[]): (number | null)[] {
  return scores.map((score) => (score === null ? null : scores.findIndex((s) => s === score) + 1));
}

export function dashboardTables(t: Translate, report: DashboardReport, names: Names): DashboardTable[] {
  const d = report.dashboard;
  const kpis = KPI_ORDER.map((key) => d.kpis.find((k) => k.key === key)).filter((k) => k !== undefined);
  const rank = ranks(d.ranking.map((r) => r.score));
  const m = (f: DashboardReport['mediation']): Cell[] => [
    f.accepted,
    f.settled,
    f.settlementRate,
    f.onTimeRate,
    f.averageDays,
    f.averageSatisfaction,
  ];
  return [
    {
      key: 'kpis',
      name: t('overview.sheet.kpis'),
      headers: [
        t('overview.col.figure'),
        t('overview.col.value'),
        t('overview.col.previous'),
        t('overview.col.change'),
      ],
      rowFormats: kpis.map((k) => {
        const kind = kpiKind(k.key);
        return kind === 'rate' ? 'rate' : kind === 'days' ? 'days' : null;
      }),
      rows: kpis.map((k) => [t(`overview.kpi.${k.key}`), k.value, k.previous, k.change]),
    },
    {
      key: 'ranking',
      name: t('overview.sheet.ranking'),
      headers: [
        t('overview.col.rank'),
        t('overview.col.community'),
        t('overview.col.score'),
        t('overview.col.grade'),
        t('overview.kpi.onTimeRate'),
        t('overview.kpi.closeRate'),
        t('overview.kpi.satisfaction'),
        t('overview.col.below'),
        t('overview.kpi.workload'),
        t('overview.kpi.overdue'),
      ],
      rateColumns: [4, 5, 6],
      dayColumns: [2],
      rows: d.ranking.map((r, i) => [
        rank[i] ?? null,
        names.community(r.community),
        r.score,
        r.grade,
        r.kpis.onTimeRate,
        r.kpis.closeRate,
        r.kpis.satisfaction,
        r.below.map((b) => t(`overview.below.${b}`)).join('、'),
        r.kpis.workload,
        r.kpis.overdue,
      ]),
    },
    {
      key: 'trend',
      name: t('overview.sheet.trend'),
      headers: [t('overview.col.month'), t('overview.col.reported'), t('overview.col.closed')],
      rows: d.trend.map((row) => [row.month, row.reported, row.closed]),
    },
    {
      key: 'categories',
      name: t('overview.sheet.categories'),
      headers: [t('overview.col.category'), t('overview.col.count'), t('overview.kpi.satisfaction')],
      rateColumns: [2],
      rows: d.byCategory.map((c) => [names.category(c.category), c.count, c.satisfaction]),
    },
    {
      key: 'hotspots',
      name: t('overview.sheet.hotspots'),
      headers: [t('overview.col.kind'), t('overview.col.place'), t('overview.col.count')],
      rows: d.hotspots.map((h) => [t(`overview.place.${h.kind}`), names.place(h.kind, h.ref), h.count]),
    },
    {
      key: 'overdue',
      name: t('overview.sheet.overdue'),
      headers: [
        t('overview.col.community'),
        t('overview.col.event'),
        t('overview.col.owner'),
        t('overview.col.workdaysOver'),
      ],
      rows: d.overdue.map((o) => [
        names.community(o.community),
        o.title,
        o.owner ?? t('overview.noOwner'),
        o.workdaysOver,
      ]),
    },
    {
      key: 'people',
      name: t('overview.sheet.people'),
      headers: [
        t('overview.col.person'),
        t('overview.col.personReported'),
        t('overview.col.handled'),
        t('overview.col.closedOnTime'),
        t('overview.col.personOnTime'),
        t('overview.col.openOverdue'),
      ],
      rateColumns: [4],
      rows: report.people.map((p) => [p.name, p.reported, p.handled, p.closedOnTime, p.onTimeRate, p.openOverdue]),
    },
    {
      key: 'mediation',
      name: t('overview.sheet.mediation'),
      headers: [
        t('overview.col.community'),
        t('overview.col.mAccepted'),
        t('overview.col.mSettled'),
        t('overview.col.mSettlementRate'),
        t('overview.col.mOnTimeRate'),
        t('overview.col.mAverageDays'),
        t('overview.col.mSatisfaction'),
      ],
      rateColumns: [3, 4],
      dayColumns: [5, 6],
      rows: [
        [t('overview.overall'), ...m(report.mediation)],
        ...report.mediationBy.map((row) => [names.community(row.community), ...m(row.figures)]),
      ],
    },
  ];
}

/** A cell as the screen and the 通报 show it. */
export function cellText(table: SheetSpec, row: number, column: number, cell: Cell, none: string): string {
  if (cell === null) return none;
  if (typeof cell === 'string') return cell;
  const format = table.rowFormats?.[row] ?? null;
  const rate = format === 'rate' || (format === null && table.rateColumns?.includes(column) === true);
  const days = format === 'days' || (format === null && table.dayColumns?.includes(column) === true);
  if (rate) return `${(cell * 100).toFixed(1)}%`;
  if (days) return cell.toFixed(1);
  return String(cell);
}
