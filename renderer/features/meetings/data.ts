import { useCallback, useState } from 'react';
import type * as Y from 'yjs';
import type { MeetingsCommandContext } from '@shared/domain/meetings/commands';
import type { DomainError, Result } from '@shared/domain/result';
import { listMeetings, readMeeting, type StoredMeeting } from '@shared/ydoc/meetings';
import { snapshotRegistry, type RegistrySnapshot } from '@shared/ydoc/registry';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { useDocValue, useStore } from '../../data/hooks';

/**
 * Data access of the meetings area, over the store's document hooks. A meeting lives in the document of the year it
 * is held in; the list reads this year and last year, the two the sync manager keeps on every device.
 */
export function meetingsDoc(community: CommunityId, year: number): string {
  return docName({ community, collection: 'meetings', year });
}

export function thisYear(): number {
  return new Date().getFullYear();
}

/** The year of a meeting starting at `startsAt`, in China (a meeting at 00:30 on 1 January belongs to the new year). */
export function yearOf(startsAt: string): number {
  return Number(new Date(Date.parse(startsAt) + 8 * 3_600_000).toISOString().slice(0, 4));
}

export interface ListedMeeting {
  readonly year: number;
  readonly meeting: StoredMeeting;
}

const readList = (doc: Y.Doc) => listMeetings(doc);

/** Meetings of this year and last year, live; `undefined` while either document loads. */
export function useMeetingList(community: CommunityId | null): ListedMeeting[] | undefined {
  const year = thisYear();
  const current = useDocValue(community ? meetingsDoc(community, year) : null, readList);
  const previous = useDocValue(community ? meetingsDoc(community, year - 1) : null, readList);
  if (current === undefined || previous === undefined) return undefined;
  return [
    ...previous.map((meeting) => ({ year: year - 1, meeting })),
    ...current.map((meeting) => ({ year, meeting })),
  ];
}

/** One meeting, live: `undefined` while loading, `null` when the document has no such meeting. */
export function useMeeting(community: CommunityId | null, year: number, id: string): StoredMeeting | null | undefined {
  const reader = useCallback((doc: Y.Doc) => readMeeting(doc, id), [id]);
  return useDocValue(community ? meetingsDoc(community, year) : null, reader);
}

type MeetingCommand<T> = (doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown) => Result<T, DomainError>;
type RegistryCommand<T> = (
  doc: Y.Doc,
  ctx: MeetingsCommandContext,
  input: unknown,
  registry: RegistrySnapshot,
) => Result<T, DomainError>;

/**
 * Runs meeting commands against one yearly document and keeps the last refusal for the form that caused it.
 * `runWithRegistry` hands commands that need the registry (create, start, vote) a snapshot taken at that moment.
 */
export function useMeetingCommand(community: CommunityId | null, year: number) {
  const store = useStore();
  const [error, setError] = useState<DomainError | null>(null);
  const [busy, setBusy] = useState(false);
  const finish = useCallback(<T>(result: Result<T, DomainError>): T | null => {
    if (!result.ok) {
      setError(result.error);
      return null;
    }
    setError(null);
    return result.value;
  }, []);
  const run = useCallback(
    async <T>(command: MeetingCommand<T>, input: unknown): Promise<T | null> => {
      if (!community) return null;
      setBusy(true);
      try {
        return finish(await store.runOn(meetingsDoc(community, year), command, input));
      } finally {
        setBusy(false);
      }
    },
    [store, community, year, finish],
  );
  const runWithRegistry = useCallback(
    async <T>(command: RegistryCommand<T>, input: unknown): Promise<T | null> => {
      if (!community) return null;
      setBusy(true);
      try {
        const { doc } = await store.registry(community);
        const registry = snapshotRegistry(doc);
        return finish(
          await store.runOn(meetingsDoc(community, year), (d, ctx, i: unknown) => command(d, ctx, i, registry), input),
        );
      } finally {
        setBusy(false);
      }
    },
    [store, community, year, finish],
  );
  const clear = useCallback(() => setError(null), []);
  return { run, runWithRegistry, error, busy, clear, setError };
}

export type MeetingCommands = ReturnType<typeof useMeetingCommand>;
