import { useCallback, useEffect, useMemo, useState } from 'react';
import * as Y from 'yjs';
import { formatCaseNumber } from '@shared/domain/mediation/caseNumber';
import { chinaDate } from '@shared/domain/dates';
import type { CommandContext } from '@shared/domain/kernel';
import type { HeadRef } from '@shared/domain/registry/types';
import type { DomainError, Result } from '@shared/domain/result';
import type { MediationCase } from '@shared/domain/mediation/types';
import { caseFromMap, casesMap, readCase, readCaseFile, readRefusedChanges, type CaseFile } from '@shared/ydoc/cases';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { readMeta, readRecord } from '@shared/ydoc/registry';
import { installCaseGuards } from '../../data/cases';
import { useDocValue, useRegistryValue, useStore } from '../../data/hooks';

/** The years whose cases the screens show: this year and the last (the ones the sync manager keeps in step). */
export function caseYears(today = chinaDate(new Date())): number[] {
  const year = Number(today.slice(0, 4));
  return [year, year - 1];
}

export function casesDocName(community: CommunityId, year: number): string {
  return docName({ community, collection: 'cases', year });
}

/** Registers the lock guard and renumbering for cases documents (once per store). */
export function useCaseGuards(): void {
  const store = useStore();
  useEffect(() => installCaseGuards(store), [store]);
}

interface CaseCache {
  readonly values: Map<string, MediationCase>;
  /** Cases changed since the last read; `null` means every case. */
  dirty: Set<string> | null;
}

const caches = new WeakMap<Y.Doc, CaseCache>();

/**
 * Every case of a document, re-reading only the cases that changed since the last call: a year of a busy community
 * holds a few thousand cases, and reading them all after each command costs about 0.1-0.2 s (measured with 2,000),
 * where one case costs well under a millisecond. The first call watches the document (for its life).
 */
export function listCasesCached(doc: Y.Doc): MediationCase[] {
  let cache = caches.get(doc);
  if (cache === undefined) {
    const created: CaseCache = { values: new Map(), dirty: null };
    caches.set(doc, created);
    casesMap(doc).observeDeep((events) => {
      if (created.dirty === null) return;
      for (const event of events) {
        if (event instanceof Y.YMapEvent && event.target === casesMap(doc)) {
          for (const key of event.keysChanged) created.dirty.add(String(key));
        } else if (typeof event.path[0] === 'string') created.dirty.add(event.path[0]);
        else created.dirty = null;
        if (created.dirty === null) return;
      }
    });
    cache = created;
  }
  const map = casesMap(doc);
  const ids = cache.dirty ?? new Set(map.keys());
  if (cache.dirty === null) cache.values.clear();
  for (const id of ids) {
    const caseMap = map.get(id);
    if (caseMap instanceof Y.Map) cache.values.set(id, caseFromMap(caseMap));
    else cache.values.delete(id);
  }
  cache.dirty = new Set();
  return [...cache.values.values()];
}

/** Every case of this year and the last, newest first; `undefined` while the documents load. */
export function useAllCases(community: CommunityId | null): MediationCase[] | undefined {
  useCaseGuards();
  const [thisYear, lastYear] = caseYears();
  const current = useDocValue(community ? casesDocName(community, thisYear as number) : null, listCasesCached);
  const previous = useDocValue(community ? casesDocName(community, lastYear as number) : null, listCasesCached);
  return useMemo(() => {
    if (current === undefined || previous === undefined) return undefined;
    return [...current, ...previous].sort((a, b) => (a.registeredAt < b.registeredAt ? 1 : -1));
  }, [current, previous]);
}

/** One case, live; `null` when the document has no such case, `undefined` while loading. */
export function useCase(community: CommunityId | null, year: number, id: string): MediationCase | null | undefined {
  useCaseGuards();
  const reader = useCallback((doc: Y.Doc) => readCase(doc, id), [id]);
  return useDocValue(community ? casesDocName(community, year) : null, reader);
}

export function useCaseFile(community: CommunityId | null, year: number, ref: string | null): CaseFile | null {
  const reader = useCallback((doc: Y.Doc) => (ref === null ? null : readCaseFile(doc, ref)), [ref]);
  return useDocValue(community && ref ? casesDocName(community, year) : null, reader) ?? null;
}

/** The stored files a case refers to (`file:<id>`), by reference, live: a file arriving by sync appears. */
export function useCaseFiles(
  community: CommunityId | null,
  year: number,
  refs: readonly string[],
): ReadonlyMap<string, CaseFile> {
  const key = refs.join('\n');
  const reader = useCallback(
    (doc: Y.Doc) => {
      const found = new Map<string, CaseFile>();
      for (const ref of key.split('\n')) {
        const file = ref === '' ? null : readCaseFile(doc, ref);
        if (file !== null) found.set(ref, file);
      }
      return found;
    },
    [key],
  );
  return useDocValue(community && key ? casesDocName(community, year) : null, reader) ?? EMPTY_FILES;
}

const EMPTY_FILES: ReadonlyMap<string, CaseFile> = new Map();

export function useRefusedChanges(community: CommunityId | null) {
  useCaseGuards();
  const [thisYear, lastYear] = caseYears();
  const current = useDocValue(community ? casesDocName(community, thisYear as number) : null, readRefusedChanges);
  const previous = useDocValue(community ? casesDocName(community, lastYear as number) : null, readRefusedChanges);
  return useMemo(
    () => (current === undefined || previous === undefined ? undefined : [...current, ...previous]),
    [current, previous],
  );
}

/** A mediation command as the screens run it: its input is the command's own input type (its schema's input). */
export type CaseCommandFn<I, T> = (doc: Y.Doc, ctx: CommandContext, input: I) => Result<T, DomainError>;
/** Runs a command with a typed input: `NoInfer` makes the command, not the literal, fix the input type. */
export type CaseRun = <I, T>(command: CaseCommandFn<I, T>, input: NoInfer<I>) => Promise<T | null>;

/**
 * Runs mediation commands on the cases document of a year and keeps the last refusal for the form that asked.
 * Resolves to the command's value, or `null` when the domain refused (the error is then in `error`).
 */
export function useCaseCommand(community: CommunityId, year: number) {
  const store = useStore();
  const [error, setError] = useState<DomainError | null>(null);
  const [busy, setBusy] = useState(false);
  const run: CaseRun = useCallback(
    async <I, T>(command: CaseCommandFn<I, T>, input: NoInfer<I>): Promise<T | null> => {
      setBusy(true);
      try {
        const result = await store.runOn(casesDocName(community, year), command, input);
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

export interface PersonInfo {
  readonly name: string;
  readonly phone: string | null;
}

export interface RegistryInfo {
  /** The district's short name in case numbers (顺 for 顺庆区): the first character of the district's name. */
  readonly numberPrefix: string;
  readonly communityName: string;
  /** Name and phone of a head (a resident or a volunteer of the registry). */
  readonly person: (head: HeadRef | null) => PersonInfo | null;
}

function registryInfo(doc: Y.Doc): RegistryInfo {
  const meta = readMeta(doc);
  return {
    numberPrefix: (meta.districtName || '').slice(0, 1),
    communityName: meta.communityName,
    person: (head) => {
      if (head === null) return null;
      const record =
        head.kind === 'resident' ? readRecord(doc, 'residents', head.id) : readRecord(doc, 'volunteers', head.id);
      if (record === null) return null;
      return { name: record.name, phone: record.phone ?? null };
    },
  };
}

/** What mediation screens need from the registry: the number prefix and the names of heads (read lazily). */
export function useRegistryInfo(community: CommunityId | null): RegistryInfo | undefined {
  return useRegistryValue(community, registryInfo);
}

export function caseNumberText(c: Pick<MediationCase, 'year' | 'number'>, info: RegistryInfo | undefined): string {
  return formatCaseNumber(c.year, c.number, { prefix: info?.numberPrefix ?? '' });
}

/**
 * Who holds the case now: the head of the case's current step (楼栋长 … 片长), by name from the registry; null at the
 * committee or the street office.
 */
export function currentHead(c: MediationCase, info: RegistryInfo | undefined): PersonInfo | null {
  const step = c.steps[c.steps.length - 1];
  return step && info ? info.person(step.head) : null;
}

/** Who "me" is for "assigned to me": the registry person linked in 设置 → 我的身份, else the name typed there. */
export interface Me {
  /** The linked person (`useMyPerson`): null when not linked, undefined while loading. */
  readonly person: HeadRef | null | undefined;
  readonly userName: string;
}

/**
 * "Assigned to me": the head of the case's current step is the person at the keyboard. With a registry person linked
 * to this device's user (store.personIn), that is an exact match of the head's reference, so namesakes are told
 * apart and a renamed person keeps their cases. Without a link it falls back to the name the user gave: the head's
 * name in the registry equals it (a namesake's case may show; harmless, since every write needs `cases.edit`).
 */
export function isAssignedTo(c: MediationCase, me: Me, info: RegistryInfo | undefined): boolean {
  const head = c.steps[c.steps.length - 1]?.head ?? null;
  if (me.person) return head !== null && head.kind === me.person.kind && head.id === me.person.id;
  const name = me.userName.trim();
  if (name === '') return false;
  return currentHead(c, info)?.name === name;
}
