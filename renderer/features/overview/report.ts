/**
 * What the dashboard, its Excel export and its 通报 show (docs/dashboard-model.md): the period chosen by month,
 * quarter or year, the street's dashboard (shared/domain/dashboard/street.ts) over the chosen communities, the
 * mediation figures of the same period (shared/domain/mediation/stats.ts), and per person the grid events each one
 * reported and handled. Every number is computed from the histories; this file only chooses, orders and lays out.
 */
import type { WorkingCalendar } from '@shared/domain/calendar';
import {
  communityFigures,
  dashboardOf,
  type CommunityFigures,
  type Dashboard,
  type Kpi,
  type RankingWeights,
  type Thresholds,
} from '@shared/domain/dashboard/street';
import type { IncidentLimits } from '@shared/domain/incidents/limits';
import type { IncidentState } from '@shared/domain/incidents/state';
import { incidentFiguresBy } from '@shared/domain/incidents/stats';
import { rate } from '@shared/domain/figures';
import { inPeriod as mediationInPeriod, mediationStats, type MediationFigures } from '@shared/domain/mediation/stats';
import type { MediationCase } from '@shared/domain/mediation/types';
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

/** A mediation case cut to what its figures read (`mediationStats`): kept beside a community's figures. */
export type MediationStatCase = Parameters<typeof mediationStats>[0] extends Iterable<infer C> ? C : never;

function statCase(c: MediationCase): MediationStatCase {
  return {
    registeredAt: c.registeredAt,
    outcome: c.outcome === null ? null : ({ kind: c.outcome.kind, at: c.outcome.at } as MediationCase['outcome']),
    steps: c.steps.map((step) => ({ level: step.level })) as unknown as MediationCase['steps'],
    startDate: c.startDate,
    dueDate: c.dueDate,
    extensions: c.extensions.map((e) => ({ days: e.days })) as unknown as MediationCase['extensions'],
    followUps: c.followUps.map((f) => ({
      date: f.date,
      satisfaction: f.satisfaction,
    })) as unknown as MediationCase['followUps'],
    category: c.category,
    level: c.level,
  };
}

/**
 * Everything the report reads of one community for a period and day (docs/dashboard-model.md, "per-community
 * figures"): its dashboard figures, the grid events handed to each person (by the assignee's key: handled, closed on
 * time, open past the limit), the assignees' names and its mediation cases of the period cut to what their figures
 * read. Plain JSON: kept sealed beside the community's rows, so that a street drawn later adds its communities up
 * without reading their records again (`reportOf`).
 */
export interface CommunityReport {
  /** The part's format: parts of another are made again. */
  readonly format: number;
  readonly code: string;
  readonly asOf: string;
  readonly figures: CommunityFigures;
  /** Assignee key, events of the period handed to them, 应结案, closed on time, open past the limit. */
  readonly handled: readonly (readonly [string, number, number, number, number])[];
  /** Assignee key and name (the name as the last event handed to them says). */
  readonly assignees: readonly (readonly [string, string])[];
  readonly cases: readonly MediationStatCase[];
}

/** Bumped whenever what a `CommunityReport` holds or how it is computed changes. */
export const COMMUNITY_REPORT_FORMAT = 1;

function figureOptions(o: ReportOptions) {
  const period = periodOfChoice(o.choice);
  return {
    period,
    dashboard: {
      period: { from: period.from, to: period.to },
      asOf: o.asOf,
      calendar: o.calendar,
      limits: o.limits,
      weights: o.weights,
      thresholds: o.thresholds,
    },
  };
}

/** One community's part of the report (`CommunityReport`); the weights and thresholds play no part in it. */
export function communityReport(c: CommunityData, o: ReportOptions): CommunityReport {
  const { period, dashboard } = figureOptions(o);
  // Handled: the events of the period grouped by their assignee as the event stands (the account when known, else
  // the name), each counted as it stood on the day, on its community's calendar and judged by its limits.
  const keyOf = (s: IncidentState) => (s.assignee === null ? null : (s.assignee.ref ?? `name:${s.assignee.name}`));
  const asOf = c.asOf === undefined ? c.incidents : c.asOf(o.asOf).incidents;
  const asOfStates: IncidentState[] = [];
  const keys = new Map<IncidentState, string | null>();
  c.incidents.forEach((s, i) => {
    const then = asOf[i] ?? s;
    asOfStates.push(then);
    keys.set(then, keyOf(s));
  });
  const handled = incidentFiguresBy(asOfStates, (s) => keys.get(s) ?? null, {
    ...dashboard.period,
    asOf: o.asOf,
    calendar: c.calendar,
    limits: c.limits,
  });
  const assignees = new Map<string, string>();
  for (const s of c.incidents) {
    if (s.assignee !== null) assignees.set(s.assignee.ref ?? `name:${s.assignee.name}`, s.assignee.name);
  }
  // Mediation cases are kept as they stand (docs/mediation-model.md), not as steps to read again as of a day: their
  // figures are those of the cases registered in the period, as they stand now.
  const range = { from: period.from, to: period.to };
  return {
    format: COMMUNITY_REPORT_FORMAT,
    code: period.code,
    asOf: o.asOf,
    figures: communityFigures(c, dashboard),
    handled: [...handled].map(([key, f]) => [key, f.reported, f.due, f.closedOnTime, f.openOverdue] as const),
    assignees: [...assignees],
    cases: mediationInPeriod(c.cases, range).map(statCase),
  };
}

/** The report of several communities from each one's part (`communityReport`, for the same period and day). */
export function reportOf(
  parts: readonly CommunityReport[],
  o: Pick<ReportOptions, 'choice' | 'asOf' | 'weights' | 'thresholds'>,
): DashboardReport {
  const period = periodOfChoice(o.choice);
  const range = { from: period.from, to: period.to };
  const dashboard = dashboardOf(
    parts.map((p) => p.figures),
    { period: range, weights: o.weights, thresholds: o.thresholds },
  );
  const handled = new Map<string, { reported: number; due: number; closedOnTime: number; openOverdue: number }>();
  const assigneeNames = new Map<string, string>();
  for (const p of parts) {
    for (const [key, reported, due, closedOnTime, openOverdue] of p.handled) {
      const known = handled.get(key) ?? { reported: 0, due: 0, closedOnTime: 0, openOverdue: 0 };
      known.reported += reported;
      known.due += due;
      known.closedOnTime += closedOnTime;
      known.openOverdue += openOverdue;
      handled.set(key, known);
    }
    for (const [key, name] of p.assignees) assigneeNames.set(key, name);
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
      onTimeRate: rate(f.closedOnTime, f.due),
      openOverdue: f.openOverdue,
    });
  }
  const mediationBy = parts.map((p) => ({
    community: p.figures.community,
    name: p.figures.name,
    figures: mediationStats(p.cases, range),
  }));
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
      parts.flatMap((p) => p.cases),
      range,
    ),
    mediationBy,
  };
}

export function dashboardReport(data: readonly CommunityData[], o: ReportOptions): DashboardReport {
  return reportOf(
    data.map((c) => communityReport(c, o)),
    o,
  );
}

/** Reports made, by the very parts and the options they were made from (identity.ts). */
const reports = new Kept<DashboardReport>(16);

/**
 * `reportOf`, kept: the same part objects (the same object while a community's part is current: data.ts) asked with
 * the same options give the report made the first time, which is exactly what making it again gives
 * (docs/dashboard-model.md, "drawn again").
 */
export function keptReport(
  parts: readonly CommunityReport[],
  o: Pick<ReportOptions, 'choice' | 'asOf' | 'weights' | 'thresholds'>,
): DashboardReport {
  const key = JSON.stringify([parts.map((p) => identityOf(p)), o.choice, o.asOf, o.weights, o.thresholds]);
  return reports.get(key, () => reportOf(parts, o));
}
