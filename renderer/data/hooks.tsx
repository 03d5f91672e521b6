import { useLiveQuery } from 'dexie-react-hooks';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type * as Y from 'yjs';
import type { HeadRef } from '@shared/domain/registry/types';
import type { RegistryCollection, StoredRecord } from '@shared/ydoc/registry';
import { isCommunityId, type CommunityId } from '@shared/ydoc/docName';
import type { CommunityRow } from './db';
import { changedDoc } from './docs';
import { readRecords } from './projectionRows';
import type { ResidentFilter, ResidentHit, ResidentListHit, WorkstationStore } from './store';

const StoreContext = createContext<WorkstationStore | null>(null);

export function StoreProvider({ store, children }: { store: WorkstationStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useStore(): WorkstationStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore must be used inside <StoreProvider>');
  return store;
}

/** Communities held on this device, most recently opened first; `undefined` while loading. */
export function useCommunities(): CommunityRow[] | undefined {
  const store = useStore();
  return useLiveQuery(() => store.db.communities.orderBy('lastOpenedAt').reverse().toArray(), [store]);
}

/** The community the person works on now: the chosen one if it is still on this device, else the latest opened. */
export function useCurrentCommunity(): { community: CommunityRow | null; loading: boolean } {
  const store = useStore();
  const result = useLiveQuery(async () => {
    const chosen = await store.db.settings.get('currentCommunity');
    const id = typeof chosen?.value === 'string' ? chosen.value : undefined;
    const row = id ? await store.db.communities.get(id) : undefined;
    return row ?? (await store.db.communities.orderBy('lastOpenedAt').last()) ?? null;
  }, [store]);
  return { community: result ?? null, loading: result === undefined };
}

/**
 * The registry person (resident or volunteer) linked to this device's user in a community, live; `null` when not
 * linked, `undefined` while loading. Set in 设置 (store.setPersonIn).
 */
export function useMyPerson(community: CommunityId | null): HeadRef | null | undefined {
  const store = useStore();
  // The query's answer names its community: while another community's answer is still shown, say "loading".
  const answer = useLiveQuery(
    async () => ({ community, person: community ? await store.personIn(community) : null }),
    [store, community],
  );
  return answer && answer.community === community ? answer.person : undefined;
}

export function useCommunityId(): CommunityId | null {
  const { community } = useCurrentCommunity();
  return community && isCommunityId(community.id) ? community.id : null;
}

/**
 * Records of one registry collection from the projection table, live: they follow every local command and every
 * change that arrives by sync. Starts the community's projection if it is not running yet.
 */
export function useRecords<C extends RegistryCollection>(
  community: CommunityId | null,
  collection: C,
): StoredRecord<C>[] | undefined {
  const store = useStore();
  // Lists read the projection on disk at once; the document and its projection (which keeps the list following
  // commands and sync) open after the first paint, so reading a list never waits for the document.
  useEffect(() => {
    if (!community) return;
    store.openLater(community);
  }, [store, community]);
  return useLiveQuery(async () => {
    if (!community) return undefined;
    const name = store.registryName(community);
    return (await readRecords(store.db, name, collection)) as StoredRecord<C>[];
  }, [store, community, collection]);
}

/**
 * Records of one registry collection of several communities (a street's view), from their projections on disk, live;
 * by community. A community this device does not hold has no entry. Does not open the documents.
 */
export function useRecordsOf<C extends RegistryCollection>(
  communities: readonly CommunityId[],
  collection: C,
): ReadonlyMap<CommunityId, StoredRecord<C>[]> | undefined {
  const store = useStore();
  const key = communities.join('\n');
  return useLiveQuery(async () => {
    const out = new Map<CommunityId, StoredRecord<C>[]>();
    for (const community of key === '' ? [] : (key.split('\n') as CommunityId[])) {
      out.set(community, (await readRecords(store.db, store.registryName(community), collection)) as StoredRecord<C>[]);
    }
    return out;
  }, [store, key, collection]);
}

/** Residents matching a query and filter, with their records, recomputed as the person types and as the data changes. */
export function useResidentSearch(
  community: CommunityId | null,
  query: string,
  filter: ResidentFilter,
  limit = 200,
): ResidentAnswer<ResidentHit> {
  return useResidentAnswer(SEARCH, community, query, filter, limit);
}

/**
 * The residents list's answer: as `useResidentSearch`, each resident as the list shows it (keys and card, no record),
 * answered from the search keys alone while everyone's rows are read (`WorkstationStore.listResidents`).
 */
export function useResidentList(
  community: CommunityId | null,
  query: string,
  filter: ResidentFilter,
  limit = 200,
): ResidentAnswer<ResidentListHit> {
  return useResidentAnswer(LIST, community, query, filter, limit);
}

interface ResidentAnswer<Hit> {
  hits: Hit[];
  total: number;
  loading: boolean;
}

type Ask<Hit> = (
  store: WorkstationStore,
  community: CommunityId,
  query: string,
  filter: ResidentFilter,
  limit: number,
) => Promise<{ hits: Hit[]; total: number }>;

const SEARCH: Ask<ResidentHit> = (store, ...asked) => store.searchResidents(...asked);
const LIST: Ask<ResidentListHit> = (store, ...asked) => store.listResidents(...asked);

function useResidentAnswer<Hit>(
  ask: Ask<Hit>,
  community: CommunityId | null,
  query: string,
  filter: ResidentFilter,
  limit: number,
): ResidentAnswer<Hit> {
  const store = useStore();
  const [state, setState] = useState<ResidentAnswer<Hit>>({ hits: [], total: 0, loading: true });
  const [version, setVersion] = useState(0);
  useEffect(() => store.onIndexChange(() => setVersion((v) => v + 1)), [store]);
  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    if (!community) return;
    let live = true;
    void ask(store, community, query, JSON.parse(filterKey) as ResidentFilter, limit).then(
      (result) => {
        if (live) setState({ ...result, loading: false });
      },
      (error: unknown) => {
        // A read cut short because the screen went away (the store closed at sign-out) is nobody's concern.
        if (live) console.error(error);
      },
    );
    return () => {
      live = false;
    };
  }, [ask, store, community, query, filterKey, limit, version]);
  return state;
}

export { useLiveQuery } from 'dexie-react-hooks';

/**
 * A value computed from any document of a community (by `docName(...)`; `null` while none applies), recomputed
 * whenever the document changes (local command or sync). Cases and meetings of a year are a few thousand records at
 * most, so their screens read the loaded document directly; the registry's big lists use the projection tables.
 */
export function useDocValue<T>(
  name: string | null,
  /** Must be stable between renders (wrap it in useCallback): a new function re-reads the document. */
  reader: (doc: Y.Doc) => T,
): T | undefined {
  const store = useStore();
  const [value, setValue] = useState<{ name: string; value: T } | undefined>(undefined);
  useEffect(() => {
    if (!name) return;
    let live = true;
    let doc: Y.Doc | null = null;
    let scheduled = false;
    const refresh = (transaction: Y.Transaction) => {
      if (!live || !doc || scheduled || !changedDoc(transaction)) return;
      // Many updates in one burst (a first sync, a typed sentence) are read once.
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        if (live && doc) setValue({ name, value: reader(doc) });
      });
    };
    void store.document(name).then((loaded) => {
      if (!live) return;
      doc = loaded;
      doc.on('afterTransaction', refresh);
      setValue({ name, value: reader(loaded) });
    });
    return () => {
      live = false;
      doc?.off('afterTransaction', refresh);
    };
  }, [store, name, reader]);
  return value && value.name === name ? value.value : undefined;
}

/**
 * A value computed from a community's registry document, recomputed whenever the document changes (local command
 * or sync). For small reads such as one record's history; lists come from the projection tables instead.
 */
export function useRegistryValue<T>(
  community: CommunityId | null,
  /** Must be stable between renders (wrap it in useCallback): a new function re-reads the document. */
  reader: (doc: Y.Doc) => T,
): T | undefined {
  const store = useStore();
  const [value, setValue] = useState<{ value: T } | undefined>(undefined);
  useEffect(() => {
    if (!community) return;
    let live = true;
    let doc: Y.Doc | null = null;
    const read = () => {
      if (live && doc) setValue({ value: reader(doc) });
    };
    const refresh = (transaction: Y.Transaction) => {
      if (changedDoc(transaction)) read();
    };
    void store.registry(community).then((registry) => {
      if (!live) return;
      doc = registry.doc;
      doc.on('afterTransaction', refresh);
      read();
    });
    return () => {
      live = false;
      doc?.off('afterTransaction', refresh);
    };
  }, [store, community, reader]);
  return value?.value;
}
