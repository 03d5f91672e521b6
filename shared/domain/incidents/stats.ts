/**
 * Figures of grid events (docs/incidents-model.md, "figures"), computed from the steps only: each incident is read
 * again from the steps written on or before the day asked (`asOf`), so a figure "as of 30 June" stays the same
 * whatever happened after, and the closure day is the real 结案 day (the last `closed` step), never "last updated".
 *
 * The cohort is the incidents reported within the period (`from`..`to`, by report day). Rates are fractions (0..1),
 * or null when their denominator is 0. `group` splits the cohort by community, grid, category or person.
 */
import type { WorkingCalendar } from '../calendar/types';
import { median, rate } from '../figures';
import { writtenBy } from '../history';
import { type IncidentLimits } from './limits';
import { incidentState, isOpen, lightOf, type IncidentState } from './state';

export interface IncidentFigures {
  /** 受理量 (workload): incidents reported in the period, duplicates and refusals included. */
  readonly reported: number;
  /** 不予受理 and 合并为重复 (重复件). */
  readonly rejected: number;
  readonly duplicates: number;
  /** 应结案: reported less refused and duplicates. */
  readonly due: number;
  /** 结案 (closed, visited or archived as of the day), 结案率 = 结案 / 应结案. */
  readonly closed: number;
  readonly closeRate: number | null;
  /** Closed within the handling limit, 按期结案率 = that / 应结案. */
  readonly closedOnTime: number;
  readonly onTimeRate: number | null;
  /** 实质性 and 程序性 closures apart, and their shares of 结案. */
  readonly substantive: number;
  readonly procedural: number;
  readonly substantiveRate: number | null;
  /** 在办, of them 超期 (the running stage past its limit). */
  readonly open: number;
  readonly openOverdue: number;
  /** Working days from acceptance to the request to close (suspended days left out), over closed incidents. */
  readonly averageWorkdays: number | null;
  readonly medianWorkdays: number | null;
  /** Return visits (the last one of each incident), by grade 1..5, and 满意率 = grades 4-5 / visited. */
  readonly ratings: readonly [number, number, number, number, number];
  readonly satisfactionRate: number | null;
  /** 返工 (reopened by a bad rating), 回退 (sent back), 核查退回, 上报 and 越级. */
  readonly reopened: number;
  readonly sentBack: number;
  readonly verifyRefused: number;
  readonly escalated: number;
  readonly skipLevel: number;
}

export interface IncidentFigureOptions {
  readonly asOf: string;
  readonly from?: string;
  readonly to?: string;
  readonly calendar: WorkingCalendar;
  /**
   * The calendar of each incident when they are not all counted on one (a street's communities each on its own:
   * docs/dashboard-model.md); `calendar` when left out.
   */
  readonly calendarOf?: (state: IncidentState) => WorkingCalendar;
  readonly limits: IncidentLimits;
  /**
   * The limits of each incident when they are not all judged by one office's (a street's communities each with its
   * own: docs/dashboard-model.md); `limits` when left out.
   */
  readonly limitsOf?: (state: IncidentState) => IncidentLimits;
}

/** An incident as it stood at the end of `day`. */
export function incidentAsOf(state: IncidentState, day: string, limits: IncidentLimits): IncidentState {
  const steps = writtenBy(state, day);
  return steps === null ? state : incidentState(state.base, steps, limits);
}

function inPeriod(state: IncidentState, o: IncidentFigureOptions): boolean {
  const day = state.base.reportedOn;
  if (o.from !== undefined && day < o.from) return false;
  if (o.to !== undefined && day > o.to) return false;
  return day <= o.asOf;
}

const CLOSED = new Set(['closed', 'visited', 'archived']);

export function incidentFigures(states: readonly IncidentState[], o: IncidentFigureOptions): IncidentFigures {
  const limitsOf = o.limitsOf ?? (() => o.limits);
  const cohort = states.filter((s) => inPeriod(s, o)).map((s) => incidentAsOf(s, o.asOf, limitsOf(s)));
  const rejected = cohort.filter((s) => s.status === 'rejected' || (s.status === 'archived' && s.closed === null));
  const duplicates = cohort.filter((s) => s.status === 'merged');
  const closed = cohort.filter((s) => CLOSED.has(s.status) && s.closed !== null);
  const open = cohort.filter(isOpen);
  const due = cohort.length - rejected.length - duplicates.length;
  const closedOnTime = closed.filter((s) => s.closed?.onTime === true).length;
  const substantive = closed.filter((s) => s.closeRequest?.closure === 'substantive').length;
  const taken = closed.map((s) => s.closed?.workdaysTaken ?? 0);
  const ratings: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const s of cohort) {
    const last = s.visits[s.visits.length - 1];
    if (last !== undefined) ratings[last.rating - 1] = (ratings[last.rating - 1] ?? 0) + 1;
  }
  const visited = ratings.reduce((a, b) => a + b, 0);
  const escalations = cohort.flatMap((s) => s.escalations);
  return {
    reported: cohort.length,
    rejected: rejected.length,
    duplicates: duplicates.length,
    due,
    closed: closed.length,
    closeRate: rate(closed.length, due),
    closedOnTime,
    onTimeRate: rate(closedOnTime, due),
    substantive,
    procedural: closed.length - substantive,
    substantiveRate: rate(substantive, closed.length),
    open: open.length,
    openOverdue: open.filter((s) => lightOf(s, o.calendarOf?.(s) ?? o.calendar, limitsOf(s), o.asOf) === 'red').length,
    averageWorkdays: taken.length === 0 ? null : taken.reduce((a, b) => a + b, 0) / taken.length,
    medianWorkdays: median(taken),
    ratings,
    satisfactionRate: rate(ratings[3] + ratings[4], visited),
    reopened: cohort.reduce((n, s) => n + s.reopened, 0),
    sentBack: cohort.reduce((n, s) => n + s.sentBack, 0),
    verifyRefused: cohort.reduce((n, s) => n + s.verifyRefused, 0),
    escalated: escalations.length,
    skipLevel: escalations.filter((e) => e.skipLevel).length,
  };
}

/** The figures of each group of the cohort (a community, a grid, a category, a person), by key. */
export function incidentFiguresBy(
  states: readonly IncidentState[],
  keyOf: (state: IncidentState) => string | null,
  o: IncidentFigureOptions,
): Map<string, IncidentFigures> {
  const groups = new Map<string, IncidentState[]>();
  for (const s of states) {
    const key = keyOf(s);
    if (key === null) continue;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [s]);
    else list.push(s);
  }
  return new Map([...groups].map(([key, list]) => [key, incidentFigures(list, o)]));
}
