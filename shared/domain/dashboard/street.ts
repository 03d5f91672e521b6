/**
 * The street leader's dashboard (docs/dashboard-model.md): KPI cards with the change on the previous period, a ranking
 * of communities by a weighted score with threshold lines and A-D grades, the monthly trend, the breakdown by category,
 * hot spots by grid and building, the overdue list and per-person figures. Everything is computed from the histories
 * (grid events, services, tasks) through each domain's figures: nothing is a stored counter, and the same histories
 * give the same dashboard.
 */
import type { WorkingCalendar } from '../calendar/types';
import { addDays } from '../dates';
import { rate } from '../figures';
import type { IncidentLimits } from '../incidents/limits';
import { incidentAsOf, incidentFigures, type IncidentFigures } from '../incidents/stats';
import { currentClock, isOpen, type IncidentState } from '../incidents/state';
import { workdaysBetween } from '../calendar/workdays';
import type { ApplicationState } from '../services/state';
import { serviceFigures, type ServiceFigures } from '../services/stats';
import { openCards, type TaskState } from '../tasks/state';
import { stateAsOf, taskFigures, type TaskFigures } from '../tasks/stats';

/** A community's records of grid events, services and tasks, each as it stands (or as of a day: `RecordsAsOf`). */
export interface CommunityRecords {
  readonly incidents: readonly IncidentState[];
  readonly services: readonly ApplicationState[];
  readonly tasks: readonly TaskState[];
}

export interface CommunityHistories extends CommunityRecords {
  readonly id: string;
  readonly name: string;
  /**
   * The community's own working-day calendar (its district's, street's and community's layers over the national seed:
   * docs/tasks-model.md); the options' `calendar` when left out. Limits, lights and overdue days of its records are
   * counted on it.
   */
  readonly calendar?: WorkingCalendar;
  /**
   * The community's own grid-event time limits (its office's versions, each stage judged by the one in force on the
   * day it started: docs/incidents-model.md, "an office's own limits"); the options' `limits` when left out. Records
   * given folded must have been folded with these (`listIncidents(doc, limits)`, `RecordsFromRows(rows, limits)`).
   */
  readonly limits?: IncidentLimits;
  /**
   * The records as they stood at the end of a day, when the caller has them already (the figure rows of
   * docs/dashboard-model.md: each record's state at each day a step was written). Left out, each figure reads its
   * records again from their histories as of the day (`incidentAsOf`, `applicationAsOf`, `stateAsOf`); given, it must
   * answer exactly that, and the states it gives carry no history after the day.
   */
  readonly asOf?: (day: string) => CommunityRecords;
}

export interface Period {
  readonly from: string;
  readonly to: string;
}

/** Weights of the ranking's score (响应, 解决, 满意), in points adding up to 100. */
export interface RankingWeights {
  readonly onTime: number;
  readonly closed: number;
  readonly satisfied: number;
}

export const DEFAULT_WEIGHTS: RankingWeights = { onTime: 30, closed: 35, satisfied: 35 };

/** Threshold lines: a community under one of them is marked in the ranking. */
export interface Thresholds {
  readonly satisfaction: number;
  readonly onTime: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { satisfaction: 0.85, onTime: 0.9 };

export interface DashboardOptions {
  readonly period: Period;
  /** The figures' day (usually today, or the period's end when it is past). */
  readonly asOf: string;
  readonly calendar: WorkingCalendar;
  /** The limits of a community given without its own (`CommunityHistories.limits`). */
  readonly limits: IncidentLimits;
  readonly weights?: RankingWeights;
  readonly thresholds?: Thresholds;
}

export interface Kpi {
  readonly key: 'workload' | 'closeRate' | 'onTimeRate' | 'averageWorkdays' | 'satisfaction' | 'overdue' | 'openCards';
  readonly value: number | null;
  readonly previous: number | null;
  /** value − previous, or null when either is missing. */
  readonly change: number | null;
}

export interface RankingRow {
  readonly community: string;
  readonly name: string;
  /** 0-100, or null for a community with nothing to rate in the period. */
  readonly score: number | null;
  readonly grade: 'A' | 'B' | 'C' | 'D' | null;
  readonly below: readonly ('satisfaction' | 'onTime')[];
  /** The community's own KPI values, computed as the cards compute them for the whole. */
  readonly kpis: Readonly<Record<Kpi['key'], number | null>>;
  readonly incidents: IncidentFigures;
  readonly services: ServiceFigures;
  readonly tasks: TaskFigures;
}

export interface Dashboard {
  readonly kpis: readonly Kpi[];
  readonly ranking: readonly RankingRow[];
  readonly trend: readonly { readonly month: string; readonly reported: number; readonly closed: number }[];
  readonly byCategory: readonly {
    readonly category: string;
    readonly count: number;
    readonly satisfaction: number | null;
  }[];
  readonly hotspots: readonly { readonly kind: 'grid' | 'building'; readonly ref: string; readonly count: number }[];
  readonly overdue: readonly {
    readonly community: string;
    readonly incidentId: string;
    readonly title: string;
    readonly owner: string | null;
    readonly workdaysOver: number;
  }[];
  readonly people: readonly { readonly userId: string; readonly name: string; readonly reported: number }[];
}

/** The period of the same length just before `period`. */
export function previousPeriod(period: Period): Period {
  const days = Math.round((Date.parse(period.to) - Date.parse(period.from)) / 86_400_000) + 1;
  return { from: addDays(period.from, -days), to: addDays(period.from, -1) };
}

function gradeOf(score: number): 'A' | 'B' | 'C' | 'D' {
  return score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 60 ? 'C' : 'D';
}

/** The records of a community as of a day: from the caller's `asOf` when it has them, else as they stand. */
function recordsOf(c: CommunityHistories, day: string): CommunityRecords {
  return c.asOf === undefined ? c : c.asOf(day);
}

/**
 * The calendar each record is counted on and the limits each grid event is judged by: its community's
 * (docs/dashboard-model.md, "calendars", "limits"). A record read again as of a day keeps the very `base` object of
 * its history, so the base names its community whatever the day.
 */
function calendarsOf(communities: readonly CommunityHistories[], o: DashboardOptions) {
  const byBase = new Map<object, WorkingCalendar>();
  const limitsByBase = new Map<object, IncidentLimits>();
  for (const c of communities) {
    if (c.calendar !== undefined) {
      for (const s of c.incidents) byBase.set(s.base, c.calendar);
      for (const s of c.services) byBase.set(s.base, c.calendar);
    }
    if (c.limits !== undefined) for (const s of c.incidents) limitsByBase.set(s.base, c.limits);
  }
  return {
    incident: (s: IncidentState) => byBase.get(s.base) ?? o.calendar,
    service: (s: ApplicationState) => byBase.get(s.base) ?? o.calendar,
    limits: (s: IncidentState) => limitsByBase.get(s.base) ?? o.limits,
  };
}

type Calendars = ReturnType<typeof calendarsOf>;

/** One combined figure set of a set of communities for a period. */
function combined(
  all: readonly CommunityHistories[],
  period: Period,
  asOf: string,
  o: DashboardOptions,
  calendars: Calendars,
) {
  const records = all.map((c) => recordsOf(c, asOf));
  const incidents = incidentFigures(
    records.flatMap((c) => c.incidents),
    {
      ...period,
      asOf,
      calendar: o.calendar,
      calendarOf: calendars.incident,
      limits: o.limits,
      limitsOf: calendars.limits,
    },
  );
  const services = serviceFigures(
    records.flatMap((c) => c.services),
    { ...period, asOf, calendar: o.calendar, calendarOf: calendars.service },
  );
  const tasks = taskFigures(
    records.flatMap((c) => c.tasks),
    { ...period, asOf },
  );
  return { incidents, services, tasks };
}

/** Yellow and red cards open (neither answered nor cancelled) on the day, over every task of the communities. */
function cardsOpen(all: readonly CommunityHistories[], asOf: string): number {
  return all
    .flatMap((c) => recordsOf(c, asOf).tasks)
    .filter((t) => t.publishedOn <= asOf)
    .reduce((n, t) => n + openCards(stateAsOf(t, asOf)).filter((card) => card.level !== 'normal').length, 0);
}

/**
 * What the KPI cards add up over communities (docs/dashboard-model.md, "per-community figures"): each count as the
 * domains' figures give it, and each domain's working days as their sum and how many closures they are over (working
 * days are whole numbers, so the sums are exact and the street's average is the one a fold of every record gives).
 */
export interface KpiSums {
  readonly workload: number;
  readonly closed: number;
  readonly due: number;
  readonly onTime: number;
  readonly rated: number;
  readonly satisfied: number;
  readonly overdue: number;
  readonly cards: number;
  /** Working days taken, per domain (grid events, services, tasks): their sum and the closures they are over. */
  readonly taken: readonly (readonly [number, number])[];
}

/** The sum of `average × n` as the whole number it is (the working days averaged are whole numbers). */
function takenSum(average: number | null, n: number): number {
  return average === null ? 0 : Math.round(average * n);
}

function sumsOf(now: ReturnType<typeof combined>, cards: number): KpiSums {
  const rated = now.incidents.ratings.reduce((a, b) => a + b, 0) + now.services.ratings.reduce((a, b) => a + b, 0);
  return {
    workload: now.incidents.reported + now.services.accepted + now.tasks.published,
    closed: now.incidents.closed + now.services.done + now.tasks.closed,
    due: now.incidents.due + (now.services.accepted - now.services.transferred) + now.tasks.published,
    onTime: now.incidents.closedOnTime + now.services.doneOnTime + now.tasks.closedOnTime,
    rated,
    satisfied: now.incidents.ratings[3] + now.incidents.ratings[4] + now.services.ratings[3] + now.services.ratings[4],
    overdue: now.incidents.openOverdue + now.services.overdue + now.tasks.openOverdue,
    cards,
    taken: [
      [takenSum(now.incidents.averageWorkdays, now.incidents.closed), now.incidents.closed],
      [takenSum(now.services.averageWorkdays, now.services.done), now.services.done],
      [takenSum(now.tasks.averageWorkdays, now.tasks.closed), now.tasks.closed],
    ],
  };
}

/** Several communities' sums as one. */
function addSums(list: readonly KpiSums[]): KpiSums {
  const add = (key: Exclude<keyof KpiSums, 'taken'>) => list.reduce((a, x) => a + x[key], 0);
  return {
    workload: add('workload'),
    closed: add('closed'),
    due: add('due'),
    onTime: add('onTime'),
    rated: add('rated'),
    satisfied: add('satisfied'),
    overdue: add('overdue'),
    cards: add('cards'),
    taken: [0, 1, 2].map(
      (d) =>
        [
          list.reduce((a, x) => a + (x.taken[d]?.[0] ?? 0), 0),
          list.reduce((a, x) => a + (x.taken[d]?.[1] ?? 0), 0),
        ] as const,
    ),
  };
}

function kpisOf(s: KpiSums): Record<Kpi['key'], number | null> {
  // Each domain's average over its closures, then their mean weighted by the closures.
  const taken = s.taken.filter(([, n]) => n > 0).map(([sum, n]) => ({ avg: sum / n, n }));
  const n = taken.reduce((a, x) => a + x.n, 0);
  return {
    workload: s.workload,
    closeRate: rate(s.closed, s.due),
    onTimeRate: rate(s.onTime, s.due),
    averageWorkdays: n === 0 ? null : taken.reduce((a, x) => a + x.avg * x.n, 0) / n,
    satisfaction: rate(s.satisfied, s.rated),
    overdue: s.overdue,
    openCards: s.cards,
  };
}

/** A community's overdue event, as the dashboard lists it. */
export interface OverdueEvent {
  readonly community: string;
  readonly incidentId: string;
  readonly title: string;
  readonly owner: string | null;
  readonly workdaysOver: number;
}

/**
 * Everything the dashboard reads of one community for a period and day (docs/dashboard-model.md, "per-community
 * figures"): plain JSON, so it can be kept (sealed, beside the community's rows) and the street's dashboard made from
 * its communities' figures without reading their records again (`dashboardOf`). The lists keep the order in which
 * the community's records first gave each key, so that adding communities up in their order gives exactly what one
 * pass over every record gives.
 */
export interface CommunityFigures {
  readonly community: string;
  readonly name: string;
  readonly now: KpiSums;
  readonly before: KpiSums;
  /** The community's own figures of the period (its ranking row but the score, which the weights make). */
  readonly kpis: Readonly<Record<Kpi['key'], number | null>>;
  readonly incidents: IncidentFigures;
  readonly services: ServiceFigures;
  readonly tasks: TaskFigures;
  /** Month, events reported, events closed (by the month of their real 结案 day). */
  readonly trend: readonly (readonly [string, number, number])[];
  /** Category, events, events rated, events rated 4-5. */
  readonly categories: readonly (readonly [string, number, number, number])[];
  readonly spots: readonly (readonly ['grid' | 'building', string, number])[];
  /** Who reported (user id, name, events reported). */
  readonly people: readonly (readonly [string, string, number])[];
  readonly overdue: readonly OverdueEvent[];
}

/** A community's figures for the period and day of the options (`CommunityFigures`). */
export function communityFigures(c: CommunityHistories, o: DashboardOptions): CommunityFigures {
  const previous = previousPeriod(o.period);
  const calendars = calendarsOf([c], o);
  const figures = combined([c], o.period, o.asOf, o, calendars);
  const now = sumsOf(figures, cardsOpen([c], o.asOf));
  const beforeDay = previous.to < o.asOf ? previous.to : o.asOf;
  const before = sumsOf(combined([c], previous, beforeDay, o, calendars), cardsOpen([c], beforeDay));

  const inPeriod = recordsOf(c, o.asOf)
    .incidents.filter(
      (s) => s.base.reportedOn >= o.period.from && s.base.reportedOn <= o.period.to && s.base.reportedOn <= o.asOf,
    )
    .map((s) => incidentAsOf(s, o.asOf, c.limits ?? o.limits));

  // The monthly trend: reported by report month, closed by the month of the real 结案 day.
  const months = new Map<string, [string, number, number]>();
  const month = (day: string) => {
    const key = day.slice(0, 7);
    let m = months.get(key);
    if (m === undefined) months.set(key, (m = [key, 0, 0]));
    return m;
  };
  const categories = new Map<string, [string, number, number, number]>();
  const spots = new Map<string, ['grid' | 'building', string, number]>();
  const people = new Map<string, [string, string, number]>();
  for (const state of inPeriod) {
    month(state.base.reportedOn)[1]++;
    if (state.closed !== null && state.closed.on <= o.period.to) month(state.closed.on)[2]++;
  }
  for (const state of inPeriod) {
    const cat = categories.get(state.base.category) ?? [state.base.category, 0, 0, 0];
    cat[1]++;
    const last = state.visits[state.visits.length - 1];
    if (last !== undefined) {
      cat[2]++;
      if (last.rating >= 4) cat[3]++;
    }
    categories.set(state.base.category, cat);
    for (const [kind, ref] of [
      ['grid', state.base.place.grid],
      ['building', state.base.place.building],
    ] as const) {
      if (ref === null) continue;
      const key = `${kind}\u0000${ref}`;
      const spot = spots.get(key) ?? [kind, ref, 0];
      spot[2]++;
      spots.set(key, spot);
    }
    const by = state.base.reportedBy;
    const person = people.get(by.userId) ?? [by.userId, by.userName, 0];
    person[2]++;
    people.set(by.userId, person);
  }

  const overdue = inPeriod.filter(isOpen).flatMap((state): OverdueEvent[] => {
    const calendar = calendars.incident(state);
    const clock = currentClock(state, calendar, calendars.limits(state));
    if (clock === null || clock.due.date >= o.asOf) return [];
    const over = workdaysBetween(calendar, clock.due.date, o.asOf).days;
    return [
      {
        community: c.id,
        incidentId: state.base.id,
        title: state.base.title,
        owner: state.assignee?.name ?? null,
        workdaysOver: over,
      },
    ];
  });

  return {
    community: c.id,
    name: c.name,
    now,
    before,
    kpis: kpisOf(now),
    incidents: figures.incidents,
    services: figures.services,
    tasks: figures.tasks,
    trend: [...months.values()],
    categories: [...categories.values()],
    spots: [...spots.values()],
    people: [...people.values()],
    overdue,
  };
}

/**
 * The dashboard of several communities from each one's figures (`communityFigures`, for the same period and day):
 * every count added up, every rate and average taken again from the sums, the lists merged in the communities' order.
 */
export function dashboardOf(
  parts: readonly CommunityFigures[],
  o: Pick<DashboardOptions, 'period' | 'weights' | 'thresholds'>,
): Dashboard {
  const weights = o.weights ?? DEFAULT_WEIGHTS;
  const thresholds = o.thresholds ?? DEFAULT_THRESHOLDS;
  const now = kpisOf(addSums(parts.map((p) => p.now)));
  const before = kpisOf(addSums(parts.map((p) => p.before)));
  const kpis = (Object.keys(now) as Kpi['key'][]).map((key) => {
    const value = now[key];
    const prev = before[key];
    return { key, value, previous: prev, change: value === null || prev === null ? null : value - prev };
  });

  const ranking = parts
    .map((p): RankingRow => {
      const k = p.kpis;
      const rated = [
        { w: weights.onTime, v: k.onTimeRate },
        { w: weights.closed, v: k.closeRate },
        { w: weights.satisfied, v: k.satisfaction },
      ].filter((x) => x.v !== null);
      const weight = rated.reduce((a, x) => a + x.w, 0);
      const score = weight === 0 ? null : (rated.reduce((a, x) => a + x.w * (x.v ?? 0), 0) / weight) * 100;
      const below: ('satisfaction' | 'onTime')[] = [];
      if (k.satisfaction !== null && k.satisfaction < thresholds.satisfaction) below.push('satisfaction');
      if (k.onTimeRate !== null && k.onTimeRate < thresholds.onTime) below.push('onTime');
      return {
        community: p.community,
        name: p.name,
        score,
        grade: score === null ? null : gradeOf(score),
        below,
        kpis: k,
        incidents: p.incidents,
        services: p.services,
        tasks: p.tasks,
      };
    })
    .sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.name.localeCompare(b.name, 'zh-CN'));

  const months = new Map<string, { reported: number; closed: number }>();
  const categories = new Map<string, { count: number; rated: number; satisfied: number }>();
  const spots = new Map<string, { kind: 'grid' | 'building'; ref: string; count: number }>();
  const people = new Map<string, { userId: string; name: string; reported: number }>();
  for (const p of parts) {
    for (const [m, reported, closed] of p.trend) {
      const known = months.get(m) ?? { reported: 0, closed: 0 };
      known.reported += reported;
      known.closed += closed;
      months.set(m, known);
    }
    for (const [category, count, rated, satisfied] of p.categories) {
      const known = categories.get(category) ?? { count: 0, rated: 0, satisfied: 0 };
      known.count += count;
      known.rated += rated;
      known.satisfied += satisfied;
      categories.set(category, known);
    }
    for (const [kind, ref, count] of p.spots) {
      const key = `${kind}\u0000${ref}`;
      const known = spots.get(key) ?? { kind, ref, count: 0 };
      known.count += count;
      spots.set(key, known);
    }
    for (const [userId, name, reported] of p.people) {
      const known = people.get(userId) ?? { userId, name, reported: 0 };
      known.reported += reported;
      people.set(userId, known);
    }
  }
  const trend = [...months]
    .filter(([m]) => m >= o.period.from.slice(0, 7) && m <= o.period.to.slice(0, 7))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([m, v]) => ({ month: m, ...v }));

  return {
    kpis,
    ranking,
    trend,
    byCategory: [...categories]
      .map(([category, c]) => ({ category, count: c.count, satisfaction: rate(c.satisfied, c.rated) }))
      .sort((a, b) => b.count - a.count),
    hotspots: [...spots.values()].sort((a, b) => b.count - a.count).slice(0, 20),
    overdue: parts.flatMap((p) => p.overdue).sort((a, b) => b.workdaysOver - a.workdaysOver),
    people: [...people.values()].sort((a, b) => b.reported - a.reported),
  };
}

export function streetDashboard(communities: readonly CommunityHistories[], o: DashboardOptions): Dashboard {
  return dashboardOf(
    communities.map((c) => communityFigures(c, o)),
    o,
  );
}
