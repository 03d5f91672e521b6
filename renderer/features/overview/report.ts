/**
 * What the dashboard, its Excel export and its 通报 show (docs/dashboard-model.md): the period chosen by month,
 * quarter or year, the street's dashboard (shared/domain/dashboard/street.ts) over the chosen communities, the
 * mediation figures of the same period (shared/domain/mediation/stats.ts), and per person the grid events each one
 * reported and handled. Every number is computed from the histories; this file only chooses, orders and lays out.
 */
import type { WorkingCalendar } from '@shared/domain/calendar';
import {
  streetDashboard,
  type Dashboard,
  type Kpi,
  type RankingWeights,
  type Thresholds,
} from '@shared/domain/dashboard/street';
import type { IncidentLimits } from '@shared/domain/incidents/limits';
import type { IncidentState } from '@shared/domain/incidents/state';
import { incidentFiguresBy } from '@shared/domain/incidents/stats';
import { mediationStats, type MediationFigures } from '@shared/domain/mediation/stats';
import { periodRange } from '@shared/domain/tasks/periods';
import type { CommunityData } from './data';
import { identityOf, Kept } from './identity';

export const PERIOD_KINDS = ['month', 'quarter', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface PeriodChoice {
  readonly kind: PeriodKind;
  readonly year: number;
  /** Month 1-12 or quarter 1-4; ignored for a year. */
  readonly part: number;
}

/** The period's code (`2026-09`, `2026-Q3`, `2026`) and its first and last day. */
export function periodOfChoice(choice: PeriodChoice): { code: string; from: string; to: string } {
  const code =
    choice.kind === 'year'
      ? String(choice.year)
      : choice.kind === 'quarter'
        ? `${choice.year}-Q${choice.part}`
        : `${choice.year}-${String(choice.part).padStart(2, '0')}`;
  const range = periodRange(code);
  if (range === null) throw new Error(`not a period: ${code}`);
  return { code, ...range };
}

/** The period holding `today` for a kind (this month, this quarter, this year). */
export function currentChoice(kind: PeriodKind, today: string): PeriodChoice {
  const month = Number(today.slice(5, 7));
  return {
    kind,
    year: Number(today.slice(0, 4)),
    part: kind === 'quarter' ? Math.ceil(month / 3) : kind === 'month' ? month : 1,
  };
}

/** The figures' day: the period's last day once past, else today. */
export function defaultAsOf(to: string, today: string): string {
  return to < today ? to : today;
}

/** The KPI cards in the order they are drawn; the i18n key of each is `overview.kpi.<key>`. */
export const KPI_ORDER: readonly Kpi['key'][] = [
  'workload',
  'closeRate',
  'onTimeRate',
  'averageWorkdays',
  'satisfaction',
  'overdue',
  'openCards',
];

/** How a KPI reads: a rate, working days, or a count. */
export function kpiKind(key: Kpi['key']): 'rate' | 'days' | 'count' {
  return key === 'closeRate' || key === 'onTimeRate' || key === 'satisfaction'
    ? 'rate'
    : key === 'averageWorkdays'
      ? 'days'
      : 'count';
}

/** Whether a KPI's rise is good news (rates, fewer overdue) or neutral (workload). */
export function kpiBetter(key: Kpi['key']): 'up' | 'down' | 'none' {
  return key === 'workload'
    ? 'none'
    : key === 'overdue' || key === 'openCards' || key === 'averageWorkdays'
      ? 'down'
      : 'up';
}

export interface PersonRow {
  readonly userId: string;
  readonly name: string;
  /** Grid events reported by the person in the period (上报). */
  readonly reported: number;
  /** Grid events of the period handed to the person (as the assignee, a head or a grid worker). */
  readonly handled: number;
  readonly closedOnTime: number;
  /** 按期结案率 of the events handed to the person. */
  readonly onTimeRate: number | null;
  readonly openOverdue: number;
}

export interface MediationRow {
  readonly community: string;
  readonly name: string;
  readonly figures: MediationFigures;
}

export interface DashboardReport {
  readonly code: string;
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly dashboard: Dashboard;
  readonly people: readonly PersonRow[];
  readonly mediation: MediationFigures;
  readonly mediationBy: readonly MediationRow[];
}

export interface ReportOptions {
  readonly choice: PeriodChoice;
  readonly asOf: string;
  /** The calendar of a community the data does not give one for (each community's own is in its data). */
  readonly calendar: WorkingCalendar;
  /** The limits of a community the data does not give them for (each community's own are in its data). */
  readonly limits: IncidentLimits;
  readonly weights: RankingWeights;
  readonly thresholds: Thresholds;
}

export function dashboardReport(data: readonly CommunityData[], o: ReportOptions): DashboardReport {
  const period = periodOfChoice(o.choice);
  const range = { from: period.from, to: period.to };
  const dashboard = streetDashboard(data, {
    period: range,
    asOf: o.asOf,
    calendar: o.calendar,
    limits: o.limits,
    weights: o.weights,
    thresholds: o.thresholds,
  });
  // Handled: the events of the period grouped by their assignee as the event stands (the account when known, else
  // the name), each counted as it stood on the day; every event on its community's calendar.
  const keyOf = (s: IncidentState) => (s.assignee === null ? null : (s.assignee.ref ?? `name:${s.assignee.name}`));
  const incidents = data.flatMap((c) => c.incidents);
  const asOfStates: IncidentState[] = [];
  const keys = new Map<IncidentState, string | null>();
  const calendars = new Map<object, WorkingCalendar>();
  const limitsByBase = new Map<object, IncidentLimits>();
  for (const c of data) {
    const asOf = c.asOf === undefined ? c.incidents : c.asOf(o.asOf).incidents;
    c.incidents.forEach((s, i) => {
      const then = asOf[i] ?? s;
      asOfStates.push(then);
      keys.set(then, keyOf(s));
      calendars.set(s.base, c.calendar);
      limitsByBase.set(s.base, c.limits);
    });
  }
  const figureOptions = {
    ...range,
    asOf: o.asOf,
    calendar: o.calendar,
    calendarOf: (s: IncidentState) => calendars.get(s.base) ?? o.calendar,
    limits: o.limits,
    // Each event judged by its own community's limits, as the events screens judge it.
    limitsOf: (s: IncidentState) => limitsByBase.get(s.base) ?? o.limits,
  };
  const handled = incidentFiguresBy(asOfStates, (s) => keys.get(s) ?? null, figureOptions);
  const assigneeNames = new Map<string, string>();
  for (const s of incidents) {
    if (s.assignee !== null) assigneeNames.set(s.assignee.ref ?? `name:${s.assignee.name}`, s.assignee.name);
  }
  const people = new Map<string, PersonRow>();
  for (const p of dashboard.people) {
    people.set(p.userId, { ...p, handled: 0, closedOnTime: 0, onTimeRate: null, openOverdue: 0 });
  }
  for (const [key, f] of handled) {
    if (f.reported === 0) continue;
    const before = people.get(key);
    people.set(key, {
      userId: key,
      name: before?.name ?? assigneeNames.get(key) ?? key,
      reported: before?.reported ?? 0,
      handled: f.due,
      closedOnTime: f.closedOnTime,
      onTimeRate: f.onTimeRate,
      openOverdue: f.openOverdue,
    });
  }
  // Mediation cases are kept as they stand (docs/mediation-model.md), not as steps to read again as of a day: their
  // figures are those of the cases registered in the period, as they stand now.
  const mediationBy = data.map((c) => ({ community: c.id, name: c.name, figures: mediationStats(c.cases, range) }));
  return {
    code: period.code,
    from: period.from,
    to: period.to,
    asOf: o.asOf,
    dashboard,
    people: [...people.values()].sort(
      (a, b) => b.reported + b.handled - (a.reported + a.handled) || a.name.localeCompare(b.name, 'zh-CN'),
    ),
    mediation: mediationStats(
      data.flatMap((c) => c.cases),
      range,
    ),
    mediationBy,
  };
}

/** Reports computed, by the very data objects and the options they were computed from (identity.ts). */
const reports = new Kept<DashboardReport>(16);

/**
 * `dashboardReport`, kept: the same data objects (made again whenever a row, a calendar or a case changes: data.ts)
 * asked with the same options give the report computed the first time, which is exactly what computing it again
 * gives (docs/dashboard-model.md, "drawn again").
 */
export function keptReport(data: readonly CommunityData[], o: ReportOptions): DashboardReport {
  const key = JSON.stringify([
    data.map((c) => identityOf(c)),
    identityOf(o.calendar),
    o.choice,
    o.asOf,
    o.limits,
    o.weights,
    o.thresholds,
  ]);
  return reports.get(key, () => dashboardReport(data, o));
}
