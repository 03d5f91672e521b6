/**
 * Data access of the grid-events area (社情民意, docs/incidents-model.md), over the store's document hooks. An incident
 * lives in the `<community>/incidents/<year>` document of the year it was reported; the queue reads this year and last
 * year, the two the sync manager keeps on every device (renderer/sync/manager.ts `documentsOf`).
 */
import { useCallback, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import type { WorkingCalendar } from '@shared/domain/calendar';
import { chinaDate } from '@shared/domain/dates';
import type { IncidentsEnv } from '@shared/domain/incidents/commands';
import { readIncidentFile, type IncidentFile } from '@shared/domain/incidents/files';
import { DEFAULT_LIMITS, type IncidentLimits } from '@shared/domain/incidents/limits';
import type { IncidentActor } from '@shared/domain/incidents/machine';
import type { IncidentState } from '@shared/domain/incidents/state';
import type { CommandContext, CommandResult } from '@shared/domain/kernel';
import type { DomainError } from '@shared/domain/result';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { listIncidents, readIncident } from '@shared/ydoc/incidents';
import { calendarOf, useWorkingCalendar } from '../../data/calendar';
import { useDocValue, useStore } from '../../data/hooks';
import type { WorkstationStore } from '../../data/store';
import { usePermissions } from '../sync';

export function incidentsDoc(community: CommunityId, year: number): string {
  return docName({ community, collection: 'incidents', year });
}

/** Today in China (`YYYY-MM-DD`). */
export function today(): string {
  return chinaDate(new Date());
}

export function thisYear(): number {
  return Number(today().slice(0, 4));
}

/**
 * The working calendar every limit of a community's events is counted on: the national seed with the district's,
 * street's and community's layers its registry holds (renderer/data/calendar.ts; docs/tasks-model.md "working-day
 * calendar"), live.
 */
export const useIncidentCalendar = useWorkingCalendar;

/** The office's limits: the defaults (Sichuan 12345) until an office's own are stored somewhere the app reads. */
export function incidentLimits(): IncidentLimits {
  return DEFAULT_LIMITS;
}

/** What an incident command needs, for a screen: the community's calendar as read live, and the limits. */
export function incidentsEnvWith(calendar: WorkingCalendar): IncidentsEnv {
  return { calendar, limits: incidentLimits() };
}

/** What an incident command about to run on a community needs: its calendar as it stands, and the limits. */
export async function incidentsEnvOf(store: WorkstationStore, community: CommunityId): Promise<IncidentsEnv> {
  return incidentsEnvWith(await calendarOf(store, community));
}

export interface ListedIncident {
  readonly year: number;
  readonly state: IncidentState;
}

const readList = (doc: Y.Doc) => listIncidents(doc, incidentLimits());

/** The incidents of last year and this year, live; `undefined` while either document loads. */
export function useIncidentList(community: CommunityId | null): ListedIncident[] | undefined {
  const year = thisYear();
  const last = useDocValue(community ? incidentsDoc(community, year - 1) : null, readList);
  const current = useDocValue(community ? incidentsDoc(community, year) : null, readList);
  return useMemo(() => {
    if (last === undefined || current === undefined) return undefined;
    return [...current.map((state) => ({ year, state })), ...last.map((state) => ({ year: year - 1, state }))];
  }, [last, current, year]);
}

/** One incident, live: `undefined` while loading, `null` when the document does not hold it. */
export function useIncident(community: CommunityId | null, year: number, id: string): IncidentState | null | undefined {
  const reader = useCallback((doc: Y.Doc) => readIncident(doc, id, incidentLimits()), [id]);
  return useDocValue(community ? incidentsDoc(community, year) : null, reader);
}

const readFiles = (doc: Y.Doc) => {
  // Files are written once and never change, so a later look-up gives what this read saw.
  return (ref: string): IncidentFile | null => readIncidentFile(doc, ref);
};

/** The photos and files of a year's document, by `file:<id>` reference, live; `undefined` while loading. */
export function useIncidentFiles(
  community: CommunityId | null,
  year: number,
): ((ref: string) => IncidentFile | null) | undefined {
  return useDocValue(community ? incidentsDoc(community, year) : null, readFiles);
}

/** The person at the keyboard as the machine asks of them (`allowedActions`), live with the role. */
export function useIncidentActor(community: CommunityId | null): IncidentActor {
  const store = useStore();
  const permissions = usePermissions(community);
  return useMemo(
    () => ({ userId: store.user.userId, userName: store.user.userName, permissions }),
    [store, permissions],
  );
}

/** An incident command: the kernel's command with the incidents' environment (calendar and limits). */
export type IncidentCommand<I, T> = (doc: Y.Doc, ctx: CommandContext, input: I, env: IncidentsEnv) => CommandResult<T>;

/** Runs incident commands against one community's yearly document and keeps the last refusal for the form. */
export function useIncidentCommand(community: CommunityId | null, year: number) {
  const store = useStore();
  const [error, setError] = useState<DomainError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <I, T>(command: IncidentCommand<I, T>, input: I, name?: string): Promise<T | null> => {
      if (!community) return null;
      setBusy(true);
      try {
        const env = await incidentsEnvOf(store, community);
        const result = await store.runOn(
          name ?? incidentsDoc(community, year),
          (doc, ctx, i: I) => command(doc, ctx, i, env),
          input,
        );
        if (!result.ok) {
          setError(result.error);
          return null;
        }
        setError(null);
        return result.value;
      } finally {
        setBusy(false);
      }
    },
    [store, community, year],
  );
  const clear = useCallback(() => setError(null), []);
  const fail = useCallback((e: DomainError) => setError(e), []);
  return { run, error, busy, clear, fail };
}

export type IncidentCommands = ReturnType<typeof useIncidentCommand>;

/** The link of an incident's page. */
export function incidentHref(year: number, id: string): string {
  return `/e/${year}/${encodeURIComponent(id)}`;
}
