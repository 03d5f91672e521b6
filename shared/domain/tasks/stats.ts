/**
 * Figures of task supervision (docs/tasks-model.md, "figures"), computed from the events only: each instance is read
 * again from the events written on or before the day asked (`asOf`), so a figure "as of 30 June" stays the same
 * whatever happened after. Nothing is a stored counter.
 *
 * The cohort is the instances published within the period (`from`..`to`, by publishing day). Rates are fractions
 * (0..1), or null when their denominator is 0.
 */
import { median, rate } from '../figures';
import { writtenBy } from '../history';
import { clockOf, taskState, type TaskState } from './state';
import type { CardLevel } from './types';

export interface TaskFigures {
  /** 下达数: instances published in the period. */
  readonly published: number;
  /** Claimed by the claim limit, and 按期领办率 = that / 下达数. */
  readonly claimedOnTime: number;
  readonly claimOnTimeRate: number | null;
  /** Claimed after the claim limit (领办逾期, still claimed). */
  readonly claimedLate: number;
  /** 在办: not closed as of the day; 正常 and 超期 (past the completion limit, clock running). */
  readonly open: number;
  readonly openNormal: number;
  readonly openOverdue: number;
  /** 办结数: verified (closed or archived); 办结率 = 办结数 / 下达数. */
  readonly closed: number;
  readonly closeRate: number | null;
  /** 应办结数: closed, or past the completion limit while open. */
  readonly due: number;
  /** Closed with the request to close made by the completion limit; 按期办结率 = that / 应办结数. */
  readonly closedOnTime: number;
  readonly onTimeCloseRate: number | null;
  /** 实质性 and 程序性 closures, apart. */
  readonly substantive: number;
  readonly procedural: number;
  /** Working days from publishing to the request to close, over closed instances. */
  readonly averageWorkdays: number | null;
  readonly medianWorkdays: number | null;
  /** Cards raised, by level (cancelled ones included), and how many were cancelled. */
  readonly cards: Readonly<Record<CardLevel, number>>;
  readonly cardsCancelled: number;
  readonly extensionsRequested: number;
  readonly extensionsGranted: number;
  readonly extensionDaysGranted: number;
  /** Requests to close returned by the street. */
  readonly returns: number;
}

export interface FigureOptions {
  /** The day the figures are taken: events after it are not counted. */
  readonly asOf: string;
  /** The period, by publishing day (inclusive); open ends when left out. */
  readonly from?: string;
  readonly to?: string;
}

/** An instance as it stood at the end of `day`: its state read from the events written on or before it. */
export function stateAsOf(state: TaskState, day: string): TaskState {
  const events = writtenBy(state, day);
  return events === null ? state : taskState(state, events);
}

function inPeriod(state: TaskState, options: FigureOptions): boolean {
  if (options.from !== undefined && state.publishedOn < options.from) return false;
  if (options.to !== undefined && state.publishedOn > options.to) return false;
  return state.publishedOn <= options.asOf;
}

/** The figures of a set of instances (one community, one person, everything). */
export function taskFigures(states: readonly TaskState[], options: FigureOptions): TaskFigures {
  const cohort = states.filter((s) => inPeriod(s, options)).map((s) => stateAsOf(s, options.asOf));
  let claimedOnTime = 0;
  let claimedLate = 0;
  let openNormal = 0;
  let openOverdue = 0;
  let closed = 0;
  let due = 0;
  let closedOnTime = 0;
  let substantive = 0;
  let procedural = 0;
  const taken: number[] = [];
  const cards: Record<CardLevel, number> = { normal: 0, yellow: 0, red: 0 };
  let cardsCancelled = 0;
  let extensionsRequested = 0;
  let extensionsGranted = 0;
  let extensionDaysGranted = 0;
  let returns = 0;
  for (const s of cohort) {
    if (s.claimedOn !== null) {
      if (s.claimLate) claimedLate++;
      else claimedOnTime++;
    }
    if (s.closure !== null) {
      closed++;
      due++;
      if (s.closure.onTime) closedOnTime++;
      if (s.closure.closure === 'substantive') substantive++;
      else procedural++;
      taken.push(s.closure.workdaysTaken);
    } else {
      const overdue = clockOf(s, options.asOf).overdue;
      if (options.asOf > s.deadlines.completionDue.date) due++;
      if (overdue) openOverdue++;
      else openNormal++;
    }
    for (const c of s.cards) {
      cards[c.level]++;
      if (c.cancelled !== null) cardsCancelled++;
    }
    for (const x of s.extensions) {
      extensionsRequested++;
      if (x.decision !== null && x.decision.granted > 0) {
        extensionsGranted++;
        extensionDaysGranted += x.decision.granted;
      }
    }
    returns += s.returns.length;
  }
  const published = cohort.length;
  return {
    published,
    claimedOnTime,
    claimOnTimeRate: rate(claimedOnTime, published),
    claimedLate,
    open: openNormal + openOverdue,
    openNormal,
    openOverdue,
    closed,
    closeRate: rate(closed, published),
    due,
    closedOnTime,
    onTimeCloseRate: rate(closedOnTime, due),
    substantive,
    procedural,
    averageWorkdays: taken.length === 0 ? null : taken.reduce((a, b) => a + b, 0) / taken.length,
    medianWorkdays: median(taken),
    cards,
    cardsCancelled,
    extensionsRequested,
    extensionsGranted,
    extensionDaysGranted,
    returns,
  };
}

/** How instances are grouped: by community, by the person who holds them (as of the day), by the lead unit. */
export const GROUPINGS = {
  community: (s: TaskState) => s.community,
  person: (s: TaskState) => s.owner?.ref ?? s.owner?.name ?? '',
  lead: (s: TaskState) => s.template.lead,
  category: (s: TaskState) => s.template.category,
} as const satisfies Record<string, (s: TaskState) => string>;

/**
 * Figures per group (the key `''` holds instances nobody has claimed, when grouping by person). The grouping reads
 * each instance as of the day, so an instance reassigned after it counts for whoever held it then.
 */
export function figuresBy(
  states: readonly TaskState[],
  grouping: keyof typeof GROUPINGS,
  options: FigureOptions,
): Map<string, TaskFigures> {
  return figuresByKeys(states, (s) => [GROUPINGS[grouping](s)], options);
}

/**
 * Figures per key, where an instance read as of the day may count in several groups (a grid worker serving two
 * grids) or in none (`keysOf` returns no key). The groups are made before the figures, each from its instances.
 */
export function figuresByKeys(
  states: readonly TaskState[],
  keysOf: (s: TaskState) => readonly string[],
  options: FigureOptions,
): Map<string, TaskFigures> {
  const groups = new Map<string, TaskState[]>();
  for (const s of states) {
    for (const key of new Set(keysOf(stateAsOf(s, options.asOf)))) {
      const list = groups.get(key);
      if (list === undefined) groups.set(key, [s]);
      else list.push(s);
    }
  }
  return new Map([...groups.entries()].map(([key, list]) => [key, taskFigures(list, options)]));
}
