/**
 * Data access of the party-building sections (docs/party-model.md), over the store's document hooks: the registry's
 * units, posts and platforms (projection tables), the party members (the registry's residents tagged 党员, from the
 * search index), and a year's activities document (`<community>/activities/<year>`) read whole: a community's year
 * of check-ins, patrols and sessions is a few thousand records at most.
 */
import { useCallback, useState } from 'react';
import type * as Y from 'yjs';
import { chinaDate } from '@shared/domain/dates';
import { hasPermission, type CommandContext, type CommandResult } from '@shared/domain/kernel';
import type { PartyEnv } from '@shared/domain/party/commands';
import type { DomainError } from '@shared/domain/result';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { listPartyRecords, PARTY_MAPS, type PartyRecords } from '@shared/ydoc/party';
import { readRecord } from '@shared/ydoc/registry';
import { useDocValue, useRegistryValue, useResidentSearch, useStore } from '../../data/hooks';
import type { Command } from '../../data/store';
import { usePermissions } from '../sync';

export function activitiesDoc(community: CommunityId, year: number): string {
  return docName({ community, collection: 'activities', year });
}

/** Today in China (`YYYY-MM-DD`). */
export function today(): string {
  return chinaDate(new Date());
}

export function thisYear(): number {
  return Number(today().slice(0, 4));
}

export function yearOf(day: string): number {
  return Number(day.slice(0, 4));
}

export type Activities = { readonly [M in keyof PartyRecords]: readonly PartyRecords[M][] };

const readAll = (doc: Y.Doc): Activities =>
  Object.fromEntries(PARTY_MAPS.map((name) => [name, listPartyRecords(doc, name)])) as unknown as Activities;

/** A year's party records, live; `undefined` while the document loads. */
export function useActivities(community: CommunityId, year: number): Activities | undefined {
  return useDocValue(activitiesDoc(community, year), readAll);
}

/** Whether the person at this device may write party records here (`party.edit`: editors and admins). */
export function usePartyEdit(community: CommunityId): boolean {
  return hasPermission(usePermissions(community), 'party.edit');
}

export interface Member {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  /** The registry's 报到 day (`partyCheckIn`), if any. */
  readonly partyCheckIn: string | null;
}

/** The community's party members: living residents tagged 党员, in address order. `undefined` while loading. */
export function usePartyMembers(community: CommunityId): readonly Member[] | undefined {
  const search = useResidentSearch(community, '', { tag: 'party-member' }, 5000);
  if (search.loading) return undefined;
  return search.hits.map(({ row }) => ({
    id: row.id,
    name: typeof row.record.name === 'string' ? row.record.name : row.id,
    address: row.keys.address,
    partyCheckIn: typeof row.record.partyCheckIn === 'string' ? row.record.partyCheckIn : null,
  }));
}

/** The names of some residents by id, live (a name the registry does not hold shows as its id). */
export function useResidentNames(community: CommunityId, ids: readonly string[]): ReadonlyMap<string, string> {
  const key = [...new Set(ids)].sort().join('\u0000');
  const reader = useCallback(
    (doc: Y.Doc) => {
      const names = new Map<string, string>();
      for (const id of key === '' ? [] : key.split('\u0000')) {
        const name = readRecord(doc, 'residents', id)?.name;
        names.set(id, typeof name === 'string' ? name : id);
      }
      return names;
    },
    [key],
  );
  return useRegistryValue(community, reader) ?? EMPTY;
}
const EMPTY: ReadonlyMap<string, string> = new Map();

/** An activities command as the screens call it: the kernel's command with the registry and last year as env. */
export type ActivityCommand<I, T> = (doc: Y.Doc, ctx: CommandContext, input: I, env: PartyEnv) => CommandResult<T>;

/**
 * Runs party commands, on the registry or on a year's activities document (given the registry and last year's
 * document, PartyEnv), and keeps the last refusal for the form.
 */
export function usePartyCommand(community: CommunityId) {
  const store = useStore();
  const [error, setError] = useState<DomainError | null>(null);
  const [busy, setBusy] = useState(false);
  const finish = useCallback(<T>(result: CommandResult<T>): T | null => {
    if (!result.ok) {
      setError(result.error);
      return null;
    }
    setError(null);
    return result.value;
  }, []);
  const activity = useCallback(
    async <I, T>(year: number, command: ActivityCommand<I, T>, input: I): Promise<T | null> => {
      setBusy(true);
      try {
        const { doc: registry } = await store.registry(community);
        const lastYear = await store.document(activitiesDoc(community, year - 1));
        return finish(
          await store.runOn(
            activitiesDoc(community, year),
            (doc, ctx, value: I) => command(doc, ctx, value, { registry, lastYear }),
            input,
          ),
        );
      } finally {
        setBusy(false);
      }
    },
    [store, community, finish],
  );
  const registry = useCallback(
    async <I, T>(command: Command<I, T>, input: I): Promise<T | null> => {
      setBusy(true);
      try {
        return finish(await store.run(community, command, input));
      } finally {
        setBusy(false);
      }
    },
    [store, community, finish],
  );
  /** Runs an action over several documents the caller opens (a record that becomes a grid event, a case, a meeting). */
  const across = useCallback(
    async <T>(action: (ctx: CommandContext) => Promise<CommandResult<T>>): Promise<T | null> => {
      setBusy(true);
      try {
        return finish(await action(store.commandContext(community)));
      } finally {
        setBusy(false);
      }
    },
    [store, community, finish],
  );
  const clear = useCallback(() => setError(null), []);
  return { activity, registry, across, error, setError, busy, clear };
}
