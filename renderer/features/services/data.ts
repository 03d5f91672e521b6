/**
 * Data access of the residents' services (便民服务, docs/services-model.md), over the store's document hooks. An
 * application lives in the `<community>/services/<year>` document of the year it was accepted; the lists read this
 * year and last year, as the task screens do (renderer/features/tasks/data.ts). The catalogue is kept in this year's
 * document; an item written only last year is still offered (this year's copy wins).
 */
import { useCallback, useState } from 'react';
import type * as Y from 'yjs';
import { chinaDate } from '@shared/domain/dates';
import type { CommandContext, CommandResult } from '@shared/domain/kernel';
import type { DomainError } from '@shared/domain/result';
import type { ServicesEnv } from '@shared/domain/services/commands';
import { applicationState, type ApplicationState } from '@shared/domain/services/state';
import type { ApplicationStep, ServiceItem } from '@shared/domain/services/types';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { listApplications, listServiceItems, readApplication } from '@shared/ydoc/services';
import { calendarOf, useWorkingCalendar } from '../../data/calendar';
import { useDocValue, useStore } from '../../data/hooks';
import type { WorkstationStore } from '../../data/store';

export function servicesDoc(community: CommunityId, year: number): string {
  return docName({ community, collection: 'services', year });
}

/** Today in China (`YYYY-MM-DD`). */
export function today(): string {
  return chinaDate(new Date());
}

export function thisYear(): number {
  return Number(today().slice(0, 4));
}

/**
 * The working calendar promises and fixes of a community are counted on: the national seed with its district's,
 * street's and community's layers (renderer/data/calendar.ts; docs/tasks-model.md "working-day calendar"), live.
 */
export const useServicesCalendar = useWorkingCalendar;

/** What a services command about to run on a community needs: its calendar as it stands. */
export async function servicesEnvOf(store: WorkstationStore, community: CommunityId): Promise<ServicesEnv> {
  return { calendar: await calendarOf(store, community) };
}

export interface ListedApplication {
  readonly year: number;
  readonly state: ApplicationState;
}

const readList = (doc: Y.Doc) => listApplications(doc);
const readItems = (doc: Y.Doc) => listServiceItems(doc);

/** The applications of last year and this year, newest first, live; `undefined` while either document loads. */
export function useApplications(community: CommunityId | null): ListedApplication[] | undefined {
  const year = thisYear();
  const last = useDocValue(community ? servicesDoc(community, year - 1) : null, readList);
  const current = useDocValue(community ? servicesDoc(community, year) : null, readList);
  if (last === undefined || current === undefined) return undefined;
  return [...current.map((state) => ({ year, state })), ...last.map((state) => ({ year: year - 1, state }))];
}

/** One application, live: `undefined` while loading, `null` when the document does not hold it. */
export function useApplication(community: CommunityId | null, year: number, id: string) {
  const reader = useCallback((doc: Y.Doc) => readApplication(doc, id), [id]);
  return useDocValue(community ? servicesDoc(community, year) : null, reader);
}

/** The catalogue (this year's items, then last year's not written again this year), by name; live. */
export function useCatalogue(community: CommunityId | null): ServiceItem[] | undefined {
  const year = thisYear();
  const last = useDocValue(community ? servicesDoc(community, year - 1) : null, readItems);
  const current = useDocValue(community ? servicesDoc(community, year) : null, readItems);
  if (last === undefined || current === undefined) return undefined;
  const ids = new Set(current.map((item) => item.id));
  return [...current, ...last.filter((item) => !ids.has(item.id))].sort((a, b) =>
    a.name.localeCompare(b.name, 'zh-CN'),
  );
}

/** A call of a services command on a document, given the services' environment (the working calendar). */
export type ServiceCall<T> = (doc: Y.Doc, ctx: CommandContext, env: ServicesEnv) => CommandResult<T>;

/** Runs services commands against one community's yearly document and keeps the last refusal for the form. */
export function useServiceCommand(community: CommunityId | null, year: number) {
  const store = useStore();
  const [error, setError] = useState<DomainError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T>(call: ServiceCall<T>): Promise<{ value: T } | null> => {
      if (!community) return null;
      setBusy(true);
      try {
        const env = await servicesEnvOf(store, community);
        const result = await store.runOn(
          servicesDoc(community, year),
          (doc, ctx, _: null) => call(doc, ctx, env),
          null,
        );
        if (!result.ok) {
          setError(result.error);
          return null;
        }
        setError(null);
        return { value: result.value };
      } finally {
        setBusy(false);
      }
    },
    [store, community, year],
  );
  const clear = useCallback(() => setError(null), []);
  return { run, error, busy, clear };
}

/** The link of an application's page. */
export function applicationHref(year: number, id: string): string {
  return `/a/${year}/${encodeURIComponent(id)}`;
}

export type StepType = ApplicationStep['type'];
export const STEP_TYPES: readonly StepType[] = ['done', 'refused', 'transferred', 'rated', 'rectified', 'called-back'];

/**
 * The steps the fold (shared/domain/services/state.ts) would apply next: each kind is tried on the application's
 * history and offered only when the fold keeps it. The screen asks the same rule the commands check, never its own.
 */
export function offeredSteps(state: ApplicationState, day: string): StepType[] {
  const by = { userId: 'probe', userName: 'probe' };
  const at = `${day}T23:59:59.999+08:00`;
  const probe = (type: StepType): ApplicationStep => {
    const stamp = { id: `~probe-${type}`, at, on: day, by };
    switch (type) {
      case 'done':
        return { ...stamp, type, result: '-', workdaysTaken: 0 };
      case 'refused':
        return { ...stamp, type, reason: '-' };
      case 'transferred':
        return { ...stamp, type, to: '-', reason: '-' };
      case 'rated':
        return { ...stamp, type, rating: 5, comment: '' };
      case 'rectified':
        return { ...stamp, type, note: '-' };
      case 'called-back':
        return { ...stamp, type, note: '-' };
    }
  };
  return STEP_TYPES.filter(
    (type) => applicationState(state.base, [...state.history, probe(type)]).ignored.length === 0,
  );
}
