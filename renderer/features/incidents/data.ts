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
import { officeLimits } from '@shared/domain/incidents/officeLimits';
import type { IncidentActor } from '@shared/domain/incidents/machine';
import type { IncidentState } from '@shared/domain/incidents/state';
import type { CommandContext, CommandResult } from '@shared/domain/kernel';
import type { DomainError } from '@shared/domain/result';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { listIncidents, readIncident } from '@shared/ydoc/incidents';
import { calendarOf, useWorkingCalendar } from '../../data/calendar';
import { useDocValue, useRegistryValue, useStore } from '../../data/hooks';
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

/**
 * The office's limits, read from the community's registry (docs/incidents-model.md, "an office's own limits"): its
 * versions, or the Sichuan 12345 defaults while it has set none (an old registry reads them too). Each stage of an
 * event is counted with the version in force on the day it started.
 */
export function incidentLimits(registry: Y.Doc): IncidentLimits {
  return officeLimits(registry);
}

/**
 * The office's limits, live: a version set here or arriving by sync is read at once; the same object while they do
 * not change. The defaults while the registry loads or no community is open.
 */
export function useIncidentLimits(community: CommunityId | null): IncidentLimits {
  return useRegistryValue(community, incidentLimits) ?? DEFAULT_LIMITS;
}

/** What an incident command needs, for a screen: the community's calendar and limits as read live. */
export function incidentsEnvWith(calendar: WorkingCalendar, limits: IncidentLimits): IncidentsEnv {
  return { calendar, limits };
}

/** What an incident command about to run on a community needs: its calendar and its limits as they stand. */
export async function incidentsEnvOf(store: WorkstationStore, community: CommunityId): Promise<IncidentsEnv> {
  const calendar = await calendarOf(store, community);
  return incidentsEnvWith(calendar, incidentLimits((await store.registry(community)).doc));
}

export interface ListedIncident {
  readonly year: number;
  readonly state: IncidentState;
}

/** The incidents of last year and this year, live, read with the office's limits; `undefined` while either loads. */
export function useIncidentList(community: CommunityId | null): ListedIncident[] | undefined {
  const year = thisYear();
  const limits = useIncidentLimits(community);
  const readList = useCallback((doc: Y.Doc) => listIncidents(doc, limits), [limits]);
  const last = useDocValue(community ? incidentsDoc(community, year - 1) : null, readList);
  const current = useDocValue(community ? incidentsDoc(community, year) : null, readList);
  return useMemo(() => {
    if (last === undefined || current === undefined) return undefined;
    return [...current.map((state) => ({ year, state })), ...last.map((state) => ({ year: year - 1, state }))];
  }, [last, current, year]);
}

/** One incident, live: `undefined` while loading, `null` when the document does not hold it. */
export function useIncident(community: CommunityId | null, year: number, id: string): IncidentState | null | undefined {
  const limits = useIncidentLimits(community);
  const reader = useCallback((doc: Y.Doc) => readIncident(doc, id, limits), [id, limits]);
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
