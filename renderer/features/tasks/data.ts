/**
 * Data access of the task-supervision area (docs/tasks-model.md), over the store's document hooks. An instance lives
 * in the `<community>/tasks/<year>` document of its period's year; the lists read this year and last year, the two the
 * sync manager keeps on every device (renderer/sync/manager.ts `documentsOf`); the figures read any years of several
 * communities (`useTaskStates`).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { chinaDate } from '@shared/domain/dates';
import type { CommandContext, CommandResult } from '@shared/domain/kernel';
import { applyCardRules, type TasksEnv } from '@shared/domain/tasks/commands';
import { readTaskFile, type TaskFile } from '@shared/domain/tasks/files';
import type { TaskState } from '@shared/domain/tasks/state';
import type { TaskTemplate } from '@shared/domain/tasks/types';
import type { DomainError } from '@shared/domain/result';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { listTasks, listTemplates, readTask } from '@shared/ydoc/tasks';
import { calendarOf, useWorkingCalendar } from '../../data/calendar';
import { changedDoc } from '../../data/docs';
import type { WorkstationStore } from '../../data/store';
import { useDocValue, useStore } from '../../data/hooks';
import { usePermissions } from '../sync';
import type { Me } from './mine';

export function tasksDoc(community: CommunityId, year: number): string {
  return docName({ community, collection: 'tasks', year });
}

/** Today in China (`YYYY-MM-DD`). */
export function today(): string {
  return chinaDate(new Date());
}

export function thisYear(): number {
  return Number(today().slice(0, 4));
}

/**
 * The working calendar every task command and every "working days left" of a community is counted on: the national
 * seed with the district's, street's and community's layers its registry holds (renderer/data/calendar.ts), live.
 */
export const useTaskCalendar = useWorkingCalendar;

/** What a task command about to run on a community needs: that community's calendar as it stands. */
export async function tasksEnvOf(store: WorkstationStore, community: CommunityId): Promise<TasksEnv> {
  return { calendar: await calendarOf(store, community) };
}

export interface ListedTask {
  /** The community whose document holds the instance (its calendar counts it; its page opens it). */
  readonly community: CommunityId;
  readonly year: number;
  readonly state: TaskState;
}

const readList = (doc: Y.Doc) => listTasks(doc);

/** The instances of last year and this year, live; `undefined` while either document loads. */
export function useTaskList(community: CommunityId | null): ListedTask[] | undefined {
  const year = thisYear();
  const last = useDocValue(community ? tasksDoc(community, year - 1) : null, readList);
  const current = useDocValue(community ? tasksDoc(community, year) : null, readList);
  return useMemo(() => {
    if (community === null || last === undefined || current === undefined) return undefined;
    return [
      ...last.map((state) => ({ community, year: year - 1, state })),
      ...current.map((state) => ({ community, year, state })),
    ];
  }, [community, last, current, year]);
}

/**
 * The instances of last year and this year of several communities (a street's list, docs/tasks-model.md,
 * "screens"), live; `undefined` until every document is loaded. A change of one document reads that document again
 * and no other, so an edit in one community does not fold the events of all. `communities` is compared by content.
 */
export function useTaskListOf(communities: readonly CommunityId[]): ListedTask[] | undefined {
  const store = useStore();
  const year = thisYear();
  const key = `${year}|${communities.join('\n')}`;
  const [value, setValue] = useState<{ key: string; lists: ReadonlyMap<string, ListedTask[]> } | undefined>();
  useEffect(() => {
    const [yearText = '', list = ''] = key.split('|');
    const y = Number(yearText);
    const wanted = (list === '' ? [] : (list.split('\n') as CommunityId[])).flatMap((community) =>
      [y - 1, y].map((docYear) => ({ community, year: docYear, name: tasksDoc(community, docYear) })),
    );
    let live = true;
    const docs = new Map<string, { doc: Y.Doc; community: CommunityId; year: number }>();
    const pending = new Set<string>();
    let scheduled = false;
    const read = (name: string): ListedTask[] => {
      const held = docs.get(name);
      if (held === undefined) return [];
      return listTasks(held.doc).map((state) => ({ community: held.community, year: held.year, state }));
    };
    const flush = () => {
      scheduled = false;
      if (!live) return;
      const updates = new Map([...pending].map((name) => [name, read(name)]));
      pending.clear();
      setValue((previous) => ({
        key,
        lists: new Map([...(previous?.key === key ? previous.lists : []), ...updates]),
      }));
    };
    const listeners: (() => void)[] = [];
    void Promise.all(wanted.map((w) => store.document(w.name))).then((loaded) => {
      if (!live) return;
      wanted.forEach((w, i) => {
        const doc = loaded[i];
        if (doc === undefined) return;
        docs.set(w.name, { doc, community: w.community, year: w.year });
        const refresh = (transaction: Y.Transaction) => {
          if (!live || !changedDoc(transaction)) return;
          pending.add(w.name);
          // A burst of updates (a first sync) is read once.
          if (scheduled) return;
          scheduled = true;
          queueMicrotask(flush);
        };
        doc.on('afterTransaction', refresh);
        listeners.push(() => doc.off('afterTransaction', refresh));
        pending.add(w.name);
      });
      flush();
    });
    return () => {
      live = false;
      for (const off of listeners) off();
    };
  }, [store, key]);
  return useMemo(() => {
    if (value === undefined || value.key !== key) return undefined;
    return [...value.lists.values()].flat();
  }, [value, key]);
}

/** One instance, live: `undefined` while loading, `null` when the document does not hold it. */
export function useTask(community: CommunityId | null, year: number, id: string): TaskState | null | undefined {
  const reader = useCallback((doc: Y.Doc) => readTask(doc, id), [id]);
  return useDocValue(community ? tasksDoc(community, year) : null, reader);
}

/** The photos and files of an instance's reports, by `file:<id>` reference, live; `undefined` while loading. */
export function useTaskFiles(
  community: CommunityId | null,
  year: number,
  taskId: string,
): ((ref: string) => TaskFile | null) | undefined {
  const reader = useCallback(
    (doc: Y.Doc) =>
      (ref: string): TaskFile | null => {
        // Files are written once and never change, so a later look-up gives what this read saw.
        const file = readTaskFile(doc, ref);
        return file !== null && file.taskId === taskId ? file : null;
      },
    [taskId],
  );
  return useDocValue(community ? tasksDoc(community, year) : null, reader);
}

/**
 * Every instance held in the named documents (of several communities and years: the figures), live (recomputed after any change of any of them, local or by sync);
 * `undefined` until all are loaded. `names` is compared by content, so a new array each render is fine.
 */
export function useTaskStates(names: readonly string[]): TaskState[] | undefined {
  const store = useStore();
  const key = names.join('\n');
  const [value, setValue] = useState<{ key: string; states: TaskState[] } | undefined>(undefined);
  useEffect(() => {
    const wanted = key === '' ? [] : key.split('\n');
    let live = true;
    let docs: Y.Doc[] = [];
    let scheduled = false;
    const read = () => {
      if (live) setValue({ key, states: docs.flatMap((doc) => listTasks(doc)) });
    };
    const refresh = (transaction: Y.Transaction) => {
      if (!live || scheduled || !changedDoc(transaction)) return;
      // A burst of updates (a first sync) is read once.
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        read();
      });
    };
    void Promise.all(wanted.map((name) => store.document(name))).then((loaded) => {
      if (!live) return;
      docs = loaded;
      for (const doc of docs) doc.on('afterTransaction', refresh);
      read();
    });
    return () => {
      live = false;
      for (const doc of docs) doc.off('afterTransaction', refresh);
    };
  }, [store, key]);
  return useMemo(() => (value && value.key === key ? value.states : undefined), [value, key]);
}

const readTemplates = (doc: Y.Doc) => listTemplates(doc);

/** The templates published to a community in a year, live. */
export function useTemplates(community: CommunityId | null, year: number): TaskTemplate[] | undefined {
  return useDocValue(community ? tasksDoc(community, year) : null, readTemplates);
}

/**
 * The person at the keyboard as the machine asks of them (`allowedActions`): the account and what its role allows in
 * the community, live, so a role granted or taken by sync changes the actions and links offered at once.
 */
export function useMe(community: CommunityId | null): Me {
  const store = useStore();
  const permissions = usePermissions(community);
  return useMemo(
    () => ({ userId: store.user.userId, userName: store.user.userName, permissions }),
    [store, permissions],
  );
}

/** A task command: the kernel's command with the tasks' environment (the working calendar). */
export type TaskCommand<I, T> = (doc: Y.Doc, ctx: CommandContext, input: I, env: TasksEnv) => CommandResult<T>;

/** Runs task commands against one community's yearly document and keeps the last refusal for the form. */
export function useTaskCommand(community: CommunityId | null, year: number) {
  const store = useStore();
  const [error, setError] = useState<DomainError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <I, T>(command: TaskCommand<I, T>, input: I): Promise<T | null> => {
      if (!community) return null;
      setBusy(true);
      try {
        const env = await tasksEnvOf(store, community);
        const result = await store.runOn(
          tasksDoc(community, year),
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
  return { run, error, busy, clear };
}

export type TaskCommands = ReturnType<typeof useTaskCommand>;

/**
 * The link of an instance's page (ids hold `:`; encoded so the route reads them back whole). An instance of another
 * community than the one the screens show (a street's list) names its community: `/c/<community>/t/<year>/<id>`.
 */
export function taskHref(year: number, id: string, community?: CommunityId): string {
  const page = `/t/${year}/${encodeURIComponent(id)}`;
  return community === undefined ? page : `/c/${encodeURIComponent(community)}${page}`;
}

/**
 * The card rules (docs/tasks-model.md, "cards"), run by a device that supervises when it opens the tasks, in each
 * community it supervises (`communities`: none when it supervises nothing): the cards due today are raised on last
 * year's and this year's instances (a rule card's id names its task, rule and deadline, so
 * devices running them offline raise each once). Nothing is written when no card is due.
 */
export function useCardRules(communities: readonly CommunityId[]): void {
  const store = useStore();
  const key = communities.join('\n');
  useEffect(() => {
    const year = thisYear();
    for (const community of key === '' ? [] : (key.split('\n') as CommunityId[]))
      for (const y of [year - 1, year]) {
        void tasksEnvOf(store, community)
          .then((env) =>
            store.runOn(
              tasksDoc(community, y),
              (doc, ctx, input: Record<string, never>) => applyCardRules(doc, ctx, input, env),
              {},
            ),
          )
          .then((result) => {
            if (!result.ok) console.warn('tasks: card rules refused', result.error);
          })
          .catch((error: unknown) => console.error(error));
      }
  }, [store, key]);
}
