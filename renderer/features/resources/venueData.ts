/**
 * The bookings the venue screens show, with the parts of a regular service across a year end read together
 * (docs/resources-model.md, "venues"): a series keeps one part per year in that year's activities document, so the
 * screens read last year's, this year's and next year's documents (those a device keeps in step for activities) and
 * show each series once, with its whole span as far as the device holds it.
 */
import { useMemo } from 'react';
import type { CommandContext, CommandResult } from '@shared/domain/kernel';
import type { Attendance, Booking } from '@shared/domain/resources/types';
import {
  bookingConflicts,
  seriesKey,
  venuesEnv,
  type BookingConflict,
  type VenuesEnv,
  type YearDocs,
} from '@shared/domain/resources/venues';
import type { CommunityId } from '@shared/ydoc/docName';
import type { WorkstationStore } from '../../data/store';
import { activitiesDoc, useBookings, type YearBookings } from './data';

export interface HeldBookings {
  readonly year: number;
  /** This year's bookings, their conflicts and attendance. */
  readonly current: YearBookings;
  /** The bookings of the years read, by series key (`seriesKey`), each series' parts by first day. */
  readonly series: ReadonlyMap<string, readonly Booking[]>;
  /** The conflicts of this year and next year (a December office books January). */
  readonly conflicts: readonly BookingConflict[];
  /** The attendance of the years read. */
  readonly attendance: readonly Attendance[];
}

/** This year's bookings with the other parts of their series, live. */
export function useHeldBookings(community: CommunityId, year: number): HeldBookings | undefined {
  const last = useBookings(community, year - 1);
  const current = useBookings(community, year);
  const next = useBookings(community, year + 1);
  return useMemo(() => {
    if (current === undefined) return undefined;
    const series = new Map<string, Booking[]>();
    for (const data of [last, current, next]) {
      for (const b of data?.bookings ?? []) series.set(seriesKey(b), [...(series.get(seriesKey(b)) ?? []), b]);
    }
    for (const parts of series.values()) parts.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return {
      year,
      current,
      series,
      // Parts of one series live in different documents and never clash with each other; the pairs of each year are
      // read on that year's document alone, as `bookingConflicts` reads them.
      conflicts: [...current.conflicts, ...(next ? bookingConflicts(next.bookings) : [])],
      attendance: [...(last?.attendance ?? []), ...current.attendance, ...(next?.attendance ?? [])],
    };
  }, [year, last, current, next]);
}

/** The first and last day of a series (or a booking of its own) as the parts held say. */
export function spanOf(parts: readonly Booking[]): { from: string; until: string } {
  let from = '9999-12-31';
  let until = '0000-01-01';
  for (const p of parts) {
    if (p.date < from) from = p.date;
    const last = p.repeat?.until ?? p.date;
    if (last > until) until = last;
  }
  return { from, until };
}

/**
 * Runs a command over several yearly activities documents (a series' parts) with the venues as the registry holds
 * them now: `bookSeries`, `cancelSeries`, `moveSeries` (shared/domain/resources/venues.ts).
 */
export async function runOnYears<T>(
  store: WorkstationStore,
  community: CommunityId,
  years: readonly number[],
  command: (docs: YearDocs, ctx: CommandContext, env: VenuesEnv) => CommandResult<T>,
): Promise<CommandResult<T>> {
  const { doc: registry } = await store.registry(community);
  const env = venuesEnv(registry);
  const docs = new Map(
    await Promise.all(
      [...new Set(years)].map(async (y) => [y, await store.document(activitiesDoc(community, y))] as const),
    ),
  );
  return command(docs, store.commandContext(community), env);
}
