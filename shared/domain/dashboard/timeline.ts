/**
 * A record's timeline for the dashboard (docs/dashboard-model.md, "figure rows"): its state as it stands and its
 * state as it stood at the end of each day one of its entries was written, so that a figure "as of" any day takes a
 * state instead of folding the record's history again. Each state is computed by the domain's own "as of" function
 * (`incidentAsOf`, `applicationAsOf`, `stateAsOf`), so the timeline answers exactly what that function answers:
 *
 * - the entries written on or before a day D are those written on or before the last entry day ≤ D, so between two
 *   entry days the state does not change;
 * - from the last entry day on, the state is the one as it stands (`writtenBy` gives null then);
 * - before the first entry day, the state folded from no entry.
 *
 * A timeline is plain JSON (it is kept on disk, sealed, beside its document): the state as it stands without its
 * history, and each earlier state as the fields that differ from it. The states it gives carry no history (`history`
 * and `ignored` are empty): they are already as of their day, and the figures' own "as of" leaves them as they are.
 */
import { addDays } from '../dates';

/** What a history-folded state has: the entries applied and those set aside, each with its China day. */
export interface Folded {
  readonly history: readonly { readonly on: string }[];
  readonly ignored: readonly { readonly on: string }[];
}

export interface StoredTimeline {
  /** The state as it stands, without `history` and `ignored`. */
  readonly now: Record<string, unknown>;
  /** The last day an entry was written, or null for a record without entries. */
  readonly last: string | null;
  /** Ascending days before `last` on which entries were written. */
  readonly days: readonly string[];
  /** For each of `days`, the fields of the state at the end of that day that differ from `now`. */
  readonly at: readonly Record<string, unknown>[];
  /** The fields of the state before any entry that differ from `now`. */
  readonly before: Record<string, unknown>;
}

function withoutHistory(state: object): Record<string, unknown> {
  const { history: _history, ignored: _ignored, ...rest } = state as Record<string, unknown>;
  return rest;
}

function differences(state: object, now: Record<string, unknown>): Record<string, unknown> {
  const diff: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(withoutHistory(state))) {
    if (JSON.stringify(value) !== JSON.stringify(now[key])) diff[key] = value;
  }
  return diff;
}

/** The timeline of one record, from its state as it stands and the domain's "as of" function. */
export function timelineOf<S extends Folded>(state: S, asOf: (state: S, day: string) => S): StoredTimeline {
  const days = [...new Set([...state.history, ...state.ignored].map((e) => e.on))].sort();
  const now = withoutHistory(state);
  const last = days.at(-1) ?? null;
  const first = days[0];
  if (last === null || first === undefined) return { now, last: null, days: [], at: [], before: {} };
  const earlier = days.slice(0, -1);
  return {
    now,
    last,
    days: earlier,
    at: earlier.map((day) => differences(asOf(state, day), now)),
    before: differences(asOf(state, addDays(first, -1)), now),
  };
}

/**
 * Reads stored timelines back: the states as they stand, and the states as of a day. The `now` object of each
 * timeline is shared by every state made from it, so the nested values (a grid event's `base`) are the same objects
 * whatever the day.
 */
export class Timelines<S> {
  private readonly nowStates: S[];
  private readonly cache = new Map<string, S[]>();

  /**
   * `finish` completes each state made (as it stands or as of a day) with what the rows leave out on purpose: a grid
   * event's `handleDays`, set from its community's own limits (rows.ts, `RecordsFromRows`).
   */
  constructor(
    private readonly stored: readonly StoredTimeline[],
    private readonly finish: (state: S) => S = (state) => state,
  ) {
    this.nowStates = stored.map((t) => finish({ ...t.now, history: [], ignored: [] } as S));
  }

  /** Each record as it stands. */
  get now(): readonly S[] {
    return this.nowStates;
  }

  /** Each record as it stood at the end of `day` (the same answer as the domain's "as of"). */
  asOf(day: string): readonly S[] {
    let states = this.cache.get(day);
    if (states === undefined) {
      states = this.stored.map((t, i) => {
        const now = this.nowStates[i] as S;
        if (t.last === null || day >= t.last) return now;
        const diff = dayDiff(t, day);
        return Object.keys(diff).length === 0 ? now : this.finish({ ...now, ...diff });
      });
      if (this.cache.size > 8) this.cache.clear();
      this.cache.set(day, states);
    }
    return states;
  }
}

/** The differences of the state at the end of `day` (before the last entry day) from the state as it stands. */
function dayDiff(t: StoredTimeline, day: string): Record<string, unknown> {
  // The last entry day at or before `day` (the days are ascending).
  let low = 0;
  let high = t.days.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((t.days[middle] as string) <= day) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? t.before : (t.at[low - 1] as Record<string, unknown>);
}
