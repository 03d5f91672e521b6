/**
 * The figures of a period as the screens, the Excel export and the 通报 show them (docs/tasks-model.md, "figures"):
 * the period chosen by month, quarter or year, the figures overall, per community (ranked), per grid and per person,
 * and the cards issued in the period. Every number comes from shared/domain/tasks/stats.ts, computed from the events; this
 * file only chooses, orders and lays them out.
 */
import { periodRange } from '@shared/domain/tasks/periods';
import { stateAsOf, figuresBy, figuresByKeys, taskFigures, type TaskFigures } from '@shared/domain/tasks/stats';
import type { TaskState } from '@shared/domain/tasks/state';
import type { CardLevel } from '@shared/domain/tasks/types';
import { naturalCompare } from '@shared/domain/naturalOrder';

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
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return { kind, year, part: kind === 'quarter' ? Math.ceil(month / 3) : kind === 'month' ? month : 1 };
}

/**
 * The day figures are taken: the period's last day, or today while the period runs (or is still ahead: as of today
 * nothing of it is handed down yet, and the figures say so rather than guess).
 */
export function defaultAsOf(to: string, today: string): string {
  return to < today ? to : today;
}

/** The figures a table shows, in order; the i18n key of each is `taskFigures.fig.<key>`. */
export type FigureKey =
  | 'published'
  | 'claimedOnTime'
  | 'claimOnTimeRate'
  | 'claimedLate'
  | 'open'
  | 'openNormal'
  | 'openOverdue'
  | 'closed'
  | 'closeRate'
  | 'due'
  | 'closedOnTime'
  | 'onTimeCloseRate'
  | 'substantive'
  | 'procedural'
  | 'averageWorkdays'
  | 'medianWorkdays'
  | 'cardsNormal'
  | 'cardsYellow'
  | 'cardsRed'
  | 'cardsCancelled'
  | 'extensionsRequested'
  | 'extensionsGranted'
  | 'extensionDaysGranted'
  | 'returns';

/** One figure column: its key and how it reads from the figures. */
export interface FigureColumn {
  readonly key: FigureKey;
  readonly value: (f: TaskFigures) => number | null;
  /** A rate (a fraction, shown as a percentage). */
  readonly rate?: boolean;
  /** A mean or median of working days (shown to one decimal). */
  readonly days?: boolean;
}

export const FIGURE_COLUMNS: readonly FigureColumn[] = [
  { key: 'published', value: (f) => f.published },
  { key: 'claimedOnTime', value: (f) => f.claimedOnTime },
  { key: 'claimOnTimeRate', value: (f) => f.claimOnTimeRate, rate: true },
  { key: 'claimedLate', value: (f) => f.claimedLate },
  { key: 'open', value: (f) => f.open },
  { key: 'openNormal', value: (f) => f.openNormal },
  { key: 'openOverdue', value: (f) => f.openOverdue },
  { key: 'closed', value: (f) => f.closed },
  { key: 'closeRate', value: (f) => f.closeRate, rate: true },
  { key: 'due', value: (f) => f.due },
  { key: 'closedOnTime', value: (f) => f.closedOnTime },
  { key: 'onTimeCloseRate', value: (f) => f.onTimeCloseRate, rate: true },
  { key: 'substantive', value: (f) => f.substantive },
  { key: 'procedural', value: (f) => f.procedural },
  { key: 'averageWorkdays', value: (f) => f.averageWorkdays, days: true },
  { key: 'medianWorkdays', value: (f) => f.medianWorkdays, days: true },
  { key: 'cardsNormal', value: (f) => f.cards.normal },
  { key: 'cardsYellow', value: (f) => f.cards.yellow },
  { key: 'cardsRed', value: (f) => f.cards.red },
  { key: 'cardsCancelled', value: (f) => f.cardsCancelled },
  { key: 'extensionsRequested', value: (f) => f.extensionsRequested },
  { key: 'extensionsGranted', value: (f) => f.extensionsGranted },
  { key: 'extensionDaysGranted', value: (f) => f.extensionDaysGranted },
  { key: 'returns', value: (f) => f.returns },
];

/** A figure as the sheet holds it: counts as they are, rates as fractions, days rounded to one decimal. */
export function figureCell(column: FigureColumn, f: TaskFigures): number | null {
  const v = column.value(f);
  if (v === null) return null;
  return column.days ? Math.round(v * 10) / 10 : v;
}

export interface FigureRow {
  /** The group's key (community id, person reference or name; `''` for nobody). */
  readonly key: string;
  readonly figures: TaskFigures;
}

export interface RankedRow extends FigureRow {
  /** 1 for the best; rows that tie share a rank (1, 2, 2, 4). */
  readonly rank: number;
}

function desc(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return b - a;
}

function compareForRank(a: TaskFigures, b: TaskFigures): number {
  return (
    desc(a.onTimeCloseRate, b.onTimeCloseRate) ||
    desc(a.closeRate, b.closeRate) ||
    desc(a.claimOnTimeRate, b.claimOnTimeRate) ||
    desc(-a.openOverdue, -b.openOverdue)
  );
}

/**
 * Communities ranked for the 通报: by 按期办结率, then 办结率, then 按期领办率, then fewer overdue; a rate nobody
 * could reach (null) comes after every rate. Rows equal on all four share a rank; ties keep the key order.
 */
export function rankRows(rows: readonly FigureRow[]): RankedRow[] {
  const sorted = [...rows].sort((a, b) => compareForRank(a.figures, b.figures) || a.key.localeCompare(b.key));
  const out: RankedRow[] = [];
  sorted.forEach((row, i) => {
    const previous = out[i - 1];
    const rank = previous !== undefined && compareForRank(previous.figures, row.figures) === 0 ? previous.rank : i + 1;
    out.push({ ...row, rank });
  });
  return out;
}

/** A card issued in the period, for the 通报's list. */
export interface IssuedCard {
  readonly community: string;
  readonly docNo: string;
  readonly title: string;
  readonly period: string;
  readonly level: CardLevel;
  readonly raisedOn: string;
  /** The rule that raised it, or null when raised by hand (then `reason` is the issuer's words). */
  readonly rule: 'claim-overdue' | 'warning' | 'overdue' | null;
  readonly reason: string;
  readonly issuer: string;
  readonly state: 'open' | 'replied' | 'cancelled';
}

const LEVEL_ORDER: Readonly<Record<CardLevel, number>> = { red: 0, yellow: 1, normal: 2 };

/** Cards raised from `from` to `to` (and by `asOf`), on any instance: red first, then by day and community. */
export function issuedCards(states: readonly TaskState[], from: string, to: string, asOf: string): IssuedCard[] {
  const last = to < asOf ? to : asOf;
  const out: IssuedCard[] = [];
  for (const s of states) {
    if (!s.cards.some((c) => c.raisedOn >= from && c.raisedOn <= last)) continue;
    const seen = stateAsOf(s, asOf);
    for (const c of seen.cards) {
      if (c.raisedOn < from || c.raisedOn > last) continue;
      out.push({
        community: s.community,
        docNo: s.template.docNo,
        title: s.template.title,
        period: s.period,
        level: c.level,
        raisedOn: c.raisedOn,
        rule: c.rule,
        reason: c.reason,
        issuer: c.issuer.userName,
        state: c.cancelled !== null ? 'cancelled' : c.reply !== null ? 'replied' : 'open',
      });
    }
  }
  return out.sort(
    (a, b) =>
      LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
      a.raisedOn.localeCompare(b.raisedOn) ||
      a.community.localeCompare(b.community) ||
      a.docNo.localeCompare(b.docNo),
  );
}

export interface FiguresReport {
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly overall: TaskFigures;
  readonly byCommunity: readonly RankedRow[];
  readonly byPerson: readonly FigureRow[];
  /** The name of each person key (as held on `asOf`). */
  readonly personNames: ReadonlyMap<string, string>;
  /**
   * Per grid (key `<community>/<grid id>`; `''` for instances held by nobody or by someone who is no grid worker of
   * their community): an instance counts for each grid whose 网格员 holds it as of `asOf` (docs/tasks-model.md).
   */
  readonly byGrid: readonly FigureRow[];
  /** The name of each grid key. */
  readonly gridNames: ReadonlyMap<string, string>;
  readonly cards: readonly IssuedCard[];
}

/** A community's grids and the names of their 网格员 (role grid-worker), as the registry holds them. */
export type GridDirectory = ReadonlyMap<
  string,
  readonly { readonly id: string; readonly name: string; readonly workers: readonly string[] }[]
>;

/**
 * The grids an instance counts for: those of its community whose 网格员 include the person holding it (matched by
 * name: a task's holder is a person, a grid names its workers; docs/tasks-model.md, "figures").
 */
export function gridKeysOf(state: TaskState, grids: GridDirectory): string[] {
  const holder = state.owner?.name.trim();
  if (holder === undefined || holder === '') return [''];
  const keys = (grids.get(state.community) ?? [])
    .filter((grid) => grid.workers.some((name) => name.trim() === holder))
    .map((grid) => `${state.community}/${grid.id}`);
  return keys.length === 0 ? [''] : keys;
}

/** Everything the figures page, the export and the 通报 show for a period. */
export function figuresReport(
  states: readonly TaskState[],
  period: { readonly from: string; readonly to: string },
  asOf: string,
  grids: GridDirectory = new Map(),
): FiguresReport {
  const options = { from: period.from, to: period.to, asOf };
  const byCommunity = rankRows(
    [...figuresBy(states, 'community', options)]
      .map(([key, figures]) => ({ key, figures }))
      .filter((row) => row.figures.published > 0),
  );
  const personNames = new Map<string, string>();
  for (const s of states) {
    const owner = stateAsOf(s, asOf).owner;
    if (owner !== null) personNames.set(owner.ref ?? owner.name, owner.name);
  }
  const byPerson = [...figuresBy(states, 'person', options)]
    .map(([key, figures]) => ({ key, figures }))
    .filter((row) => row.figures.published > 0)
    .sort((a, b) => b.figures.published - a.figures.published || a.key.localeCompare(b.key));
  const gridNames = new Map<string, string>();
  for (const [community, list] of grids) for (const grid of list) gridNames.set(`${community}/${grid.id}`, grid.name);
  const byGrid = [...figuresByKeys(states, (s) => gridKeysOf(s, grids), options)]
    .map(([key, figures]) => ({ key, figures }))
    .filter((row) => row.figures.published > 0)
    // Grids first, by their name's natural order within each community; what no grid holds last.
    .sort((a, b) =>
      a.key === ''
        ? 1
        : b.key === ''
          ? -1
          : naturalCompare(a.key.split('/')[0] ?? '', b.key.split('/')[0] ?? '') ||
            naturalCompare(gridNames.get(a.key) ?? a.key, gridNames.get(b.key) ?? b.key),
    );
  return {
    from: period.from,
    to: period.to,
    asOf,
    overall: taskFigures(states, options),
    byCommunity,
    byPerson,
    personNames,
    byGrid,
    gridNames,
    cards: issuedCards(states, period.from, period.to, asOf),
  };
}
