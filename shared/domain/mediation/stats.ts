/**
 * Figures offices report on mediation (docs/domain.md): accepted, settled, settlement rate (调解成功率), settled on the spot
 * (就地化解率), on-time rate, average days, satisfaction; by category and by level, for a chosen period.
 *
 * Definitions (keep them written here; a dashboard that explains a figure quotes this):
 * - **accepted** (受理数): cases registered in the period (China calendar day of `registeredAt` within `from..to`).
 * - **settled** (调解成功数): accepted cases whose outcome is an agreement in force (written or oral).
 * - **settlement rate**: settled / accepted. Cases still open count against it, as in the usual 调解成功率 =
 *   调解成功件数 / 受理件数.
 * - **settled on the spot** (就地化解): settled while the case never left the building or courtyard level, i.e. every
 *   step is at `building` or `courtyard` (a case that started at the committee because the posts were empty is not
 *   on the spot). **On-the-spot rate** = settled on the spot / accepted.
 * - **on time**: an outcome (agreement, no agreement, referral) on or before the due day with extensions.
 *   **On-time rate** = on time / cases with an outcome.
 * - **average days**: mean calendar days from registration to outcome, over cases with an outcome.
 * - **satisfaction**: mean of each case's latest follow-up rating (1-5), over cases with a follow-up.
 * - **by level**: grouped by the level a case is at when counted (where it was settled or still sits).
 * Rates are null when their denominator is 0 (the UI shows "—", not 0 %).
 */
import { chinaDate, daysBetween } from '../dates';
import { finishedInTime } from './deadline';
import {
  CASE_CATEGORIES,
  FIRST_LEVELS,
  MEDIATION_LEVELS,
  type CaseCategory,
  type MediationCase,
  type MediationLevel,
} from './types';

export interface MediationFigures {
  readonly accepted: number;
  readonly settled: number;
  readonly settlementRate: number | null;
  readonly settledOnTheSpot: number;
  readonly onTheSpotRate: number | null;
  readonly concluded: number;
  readonly onTime: number;
  readonly onTimeRate: number | null;
  readonly averageDays: number | null;
  readonly averageSatisfaction: number | null;
}

export interface MediationStats extends MediationFigures {
  readonly byCategory: Readonly<Record<CaseCategory, MediationFigures>>;
  readonly byLevel: Readonly<Record<MediationLevel, MediationFigures>>;
}

export interface Period {
  /** `YYYY-MM-DD`, inclusive. */
  readonly from: string;
  readonly to: string;
}

type StatCase = Pick<
  MediationCase,
  'registeredAt' | 'outcome' | 'steps' | 'startDate' | 'dueDate' | 'extensions' | 'followUps' | 'category' | 'level'
>;

const FIRST: ReadonlySet<MediationLevel> = new Set(FIRST_LEVELS);

export function isSettled(c: Pick<MediationCase, 'outcome'>): boolean {
  return c.outcome?.kind === 'agreement';
}

export function settledOnTheSpot(c: Pick<MediationCase, 'outcome' | 'steps'>): boolean {
  return isSettled(c) && c.steps.length > 0 && c.steps.every((s) => FIRST.has(s.level));
}

function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function latestSatisfaction(c: StatCase): number | null {
  let latest: MediationCase['followUps'][number] | null = null;
  for (const f of c.followUps) if (latest === null || f.date >= latest.date) latest = f;
  return latest?.satisfaction ?? null;
}

export function figures(cases: readonly StatCase[]): MediationFigures {
  const settled = cases.filter(isSettled).length;
  const spot = cases.filter(settledOnTheSpot).length;
  const concluded = cases.filter((c) => c.outcome !== null);
  const onTime = concluded.filter((c) => finishedInTime(c) === true).length;
  const days = concluded.map((c) =>
    daysBetween(chinaDate(new Date(c.registeredAt)), chinaDate(new Date((c.outcome as { at: string }).at))),
  );
  const ratings = cases.map(latestSatisfaction).filter((r): r is number => r !== null);
  return {
    accepted: cases.length,
    settled,
    settlementRate: ratio(settled, cases.length),
    settledOnTheSpot: spot,
    onTheSpotRate: ratio(spot, cases.length),
    concluded: concluded.length,
    onTime,
    onTimeRate: ratio(onTime, concluded.length),
    averageDays: mean(days),
    averageSatisfaction: mean(ratings),
  };
}

/** The cases registered in the period (China calendar days, inclusive). */
export function inPeriod<C extends Pick<MediationCase, 'registeredAt'>>(cases: Iterable<C>, period: Period): C[] {
  return [...cases].filter((c) => {
    const day = chinaDate(new Date(c.registeredAt));
    return day >= period.from && day <= period.to;
  });
}

/** All figures for a period, overall, by category and by level. Pure over plain case snapshots. */
export function mediationStats(cases: Iterable<StatCase>, period: Period): MediationStats {
  const chosen = inPeriod(cases, period);
  const byCategory = Object.fromEntries(
    CASE_CATEGORIES.map((category) => [category, figures(chosen.filter((c) => c.category === category))]),
  ) as Record<CaseCategory, MediationFigures>;
  const byLevel = Object.fromEntries(
    MEDIATION_LEVELS.map((level) => [level, figures(chosen.filter((c) => c.level === level))]),
  ) as Record<MediationLevel, MediationFigures>;
  return { ...figures(chosen), byCategory, byLevel };
}
