import { useCallback, useState } from 'react';
import type * as Y from 'yjs';
import { chinaDate } from '@shared/domain/dates';
import type { Command, CommandResult } from '@shared/domain/kernel';
import type { DomainError } from '@shared/domain/result';
import type { MeetingFile } from '@shared/domain/meetings/types';
import { listMeetings, readMeeting, readMeetingFile, signInPhotos, type StoredMeeting } from '@shared/ydoc/meetings';
import { snapshotRegistry, type RegistrySnapshot } from '@shared/ydoc/registry';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { useDocValue, useStore } from '../../data/hooks';

/**
 * Data access of the meetings area, over the store's document hooks. A meeting lives in the document of the year it
 * is held in; the lists read next year, this year and last year, the three the sync manager keeps on every device
 * (renderer/sync/manager.ts `documentsOf`: a meeting set in December for January is in next year's document).
 */
export function meetingsDoc(community: CommunityId, year: number): string {
  return docName({ community, collection: 'meetings', year });
}

/** This year in China (on 1 January from 00:00 China time, whatever the device's zone), as `yearOf` counts. */
export function thisYear(): number {
  return Number(chinaDate(new Date()).slice(0, 4));
}

/** The year of a meeting starting at `startsAt`, in China (a meeting at 00:30 on 1 January belongs to the new year). */
export function yearOf(startsAt: string): number {
  return Number(chinaDate(new Date(startsAt)).slice(0, 4));
}

export interface ListedMeeting {
  readonly year: number;
  readonly meeting: StoredMeeting;
}

const readList = (doc: Y.Doc) => listMeetings(doc);

/** The years whose meetings documents the lists read, oldest first: last year, this year, next year. */
export function listedYears(): readonly [number, number, number] {
  const year = thisYear();
  return [year - 1, year, year + 1];
}

/**
 * A value read from each listed year's document, live, tagged with its year, oldest year first; `undefined` while
 * any of the three loads. `reader` must be stable (useCallback), as for `useDocValue`.
 */
export function useYearsValue<T>(
  community: CommunityId | null,
  reader: (doc: Y.Doc) => readonly T[],
): { readonly year: number; readonly value: T }[] | undefined {
  const [last, current, next] = listedYears();
  const previous = useDocValue(community ? meetingsDoc(community, last) : null, reader);
  const present = useDocValue(community ? meetingsDoc(community, current) : null, reader);
  const ahead = useDocValue(community ? meetingsDoc(community, next) : null, reader);
  if (previous === undefined || present === undefined || ahead === undefined) return undefined;
  return [
    ...previous.map((value) => ({ year: last, value })),
    ...present.map((value) => ({ year: current, value })),
    ...ahead.map((value) => ({ year: next, value })),
  ];
}

/** Meetings of last year, this year and next year, live; `undefined` while any document loads. */
export function useMeetingList(community: CommunityId | null): ListedMeeting[] | undefined {
  return useYearsValue(community, readList)?.map(({ year, value }) => ({ year, meeting: value }));
}

/** One meeting, live: `undefined` while loading, `null` when the document has no such meeting. */
export function useMeeting(community: CommunityId | null, year: number, id: string): StoredMeeting | null | undefined {
  const reader = useCallback((doc: Y.Doc) => readMeeting(doc, id), [id]);
  return useDocValue(community ? meetingsDoc(community, year) : null, reader);
}

export interface MeetingFiles {
  /** Photos of the signed paper sign-in sheet, oldest first. */
  readonly signInPhotos: readonly MeetingFile[];
  /** The file a `file:<id>` reference names (a signature image), null when unknown or not synced yet. */
  readonly byRef: (ref: string | null | undefined) => MeetingFile | null;
}

/** The files of one meeting (sign-in sheet photos, signature images), live; `undefined` while loading. */
export function useMeetingFiles(community: CommunityId | null, year: number, id: string): MeetingFiles | undefined {
  const reader = useCallback(
    (doc: Y.Doc): MeetingFiles => {
      // Files are written once and never change, so looking one up later gives what this read saw.
      const signInSheet = signInPhotos(doc, id);
      return {
        signInPhotos: signInSheet,
        byRef: (ref) => {
          const file = readMeetingFile(doc, ref);
          return file !== null && file.meetingId === id ? file : null;
        },
      };
    },
    [id],
  );
  return useDocValue(community ? meetingsDoc(community, year) : null, reader);
}

/**
 * Runs meeting commands against one yearly document and keeps the last refusal for the form that caused it.
 * `runWithRegistry` hands commands that need the registry (create, start, vote) a snapshot taken at that moment.
 */
export function useMeetingCommand(community: CommunityId | null, year: number) {
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
  const run = useCallback(
    async <I, T>(command: Command<I, T>, input: I): Promise<T | null> => {
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
    async <I, T>(command: Command<I, T, RegistrySnapshot>, input: I): Promise<T | null> => {
      if (!community) return null;
      setBusy(true);
      try {
        const { doc } = await store.registry(community);
        const registry = snapshotRegistry(doc);
        return finish(
          await store.runOn(meetingsDoc(community, year), (d, ctx, i: I) => command(d, ctx, i, registry), input),
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
