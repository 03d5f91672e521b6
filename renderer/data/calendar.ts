/**
 * The working-day calendar a community works by, as the screens and commands read it (docs/tasks-model.md,
 * "working-day calendar", *stored* and *read*): the national seed with the district's, street's and community's layers
 * kept in the community's registry (shared/ydoc/calendarLayers.ts). Every deadline a command computes for a community
 * is counted on that community's calendar.
 *
 * The resolved calendar is cached per registry document and community, and resolved again only when the registry's
 * meta changes a key it is built from: a `calendar:` layer revision, the district's or the street's name. A resident
 * edited, a household moved or a case written leaves it alone (docs/tasks-model.md, "read").
 */
import { useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { nationalCalendar, type WorkingCalendar } from '@shared/domain/calendar';
import type { CalendarLayer } from '@shared/domain/calendar';
import {
  communityCalendar,
  communityPlace,
  currentLayer,
  setCalendarDay,
  type SetCalendarDayInput,
} from '@shared/domain/calendar/commands';
import type { CommandResult } from '@shared/domain/kernel';
import { CALENDAR_KEY_PREFIX } from '@shared/ydoc/calendarLayers';
import { isCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { metaMap } from '@shared/ydoc/registry';
import { useStore } from './hooks';
import type { WorkstationStore } from './store';

/** The meta keys a community's calendar is built from besides the layers: where the community sits. */
const PLACE_KEYS: ReadonlySet<string> = new Set(['districtName', 'streetName']);

/** Whether a changed meta key can change a resolved calendar. */
export function isCalendarKey(key: string): boolean {
  return key.startsWith(CALENDAR_KEY_PREFIX) || PLACE_KEYS.has(key);
}

interface DocCalendars {
  /** Resolved calendars by community id, dropped together when a calendar key changes. */
  readonly byCommunity: Map<string, WorkingCalendar>;
  /** Told after the cache was dropped (a layer edited here or arriving by sync). */
  readonly listeners: Set<() => void>;
}

const cache = new WeakMap<Y.Doc, DocCalendars>();

/** How many times a calendar was resolved from a registry (what the cache saves; read by its tests). */
export const calendarResolutions = { count: 0 };

function entryOf(doc: Y.Doc): DocCalendars {
  let entry = cache.get(doc);
  if (entry !== undefined) return entry;
  const created: DocCalendars = { byCommunity: new Map(), listeners: new Set() };
  // Observing the meta map alone: a change anywhere else in the registry never reaches this listener, and
  // `keysChanged` names the keys one transaction (local or by sync) set or deleted.
  metaMap(doc).observe((event) => {
    if (![...event.keysChanged].some(isCalendarKey)) return;
    created.byCommunity.clear();
    for (const listener of [...created.listeners]) listener();
  });
  cache.set(doc, created);
  entry = created;
  return entry;
}

/** The calendar of a community from its registry document, resolved once per change of its calendar keys. */
export function cachedCalendar(doc: Y.Doc, community: string): WorkingCalendar {
  const entry = entryOf(doc);
  const known = entry.byCommunity.get(community);
  if (known !== undefined) return known;
  calendarResolutions.count++;
  const resolved = communityCalendar(doc, community);
  entry.byCommunity.set(community, resolved);
  return resolved;
}

/** Calls `listener` after each change of a calendar key of the document; returns the unsubscribe. */
function onCalendarChange(doc: Y.Doc, listener: () => void): () => void {
  const entry = entryOf(doc);
  entry.listeners.add(listener);
  return () => entry.listeners.delete(listener);
}

/** The calendar of a community, read from its registry as it stands (for a command about to run). */
export async function calendarOf(store: WorkstationStore, community: CommunityId): Promise<WorkingCalendar> {
  const { doc } = await store.registry(community);
  return cachedCalendar(doc, community);
}

/**
 * The calendars of several communities, live: a layer edited here or arriving by sync changes its community's at
 * once, and nothing else re-reads them. A community whose registry is still loading works by the national calendar
 * meanwhile (no layer can be read before it). `communities` is compared by content.
 */
export function useWorkingCalendars(communities: readonly CommunityId[]): ReadonlyMap<CommunityId, WorkingCalendar> {
  const store = useStore();
  const key = communities.join('\n');
  const [value, setValue] = useState<{ key: string; calendars: ReadonlyMap<CommunityId, WorkingCalendar> }>({
    key: '',
    calendars: new Map(),
  });
  useEffect(() => {
    const wanted = key === '' ? [] : (key.split('\n') as CommunityId[]);
    let live = true;
    const unsubscribe: (() => void)[] = [];
    const docs = new Map<CommunityId, Y.Doc>();
    const read = () => {
      if (!live) return;
      const next = new Map<CommunityId, WorkingCalendar>();
      for (const [community, doc] of docs) next.set(community, cachedCalendar(doc, community));
      setValue((previous) => {
        // The same calendars (a layer of another office, or a revision resolving alike) keep the same map.
        const same =
          previous.key === key &&
          previous.calendars.size === next.size &&
          [...next].every(([c, calendar]) => previous.calendars.get(c) === calendar);
        return same ? previous : { key, calendars: next };
      });
    };
    for (const community of wanted) {
      void store.registry(community).then(({ doc }) => {
        if (!live) return;
        docs.set(community, doc);
        unsubscribe.push(onCalendarChange(doc, read));
        read();
      });
    }
    return () => {
      live = false;
      for (const off of unsubscribe) off();
    };
  }, [store, key]);
  return useMemo(() => {
    const wanted = key === '' ? [] : (key.split('\n') as CommunityId[]);
    const held = value.key === key ? value.calendars : new Map<CommunityId, WorkingCalendar>();
    if (wanted.every((c) => held.has(c))) return held;
    return new Map(wanted.map((c) => [c, held.get(c) ?? nationalCalendar()]));
  }, [value, key]);
}

/**
 * The calendar of a community, live (see `useWorkingCalendars`). The national calendar while the registry loads, or
 * when no community is open.
 */
export function useWorkingCalendar(community: CommunityId | null): WorkingCalendar {
  const calendars = useWorkingCalendars(useMemo(() => (community ? [community] : []), [community]));
  return (community ? calendars.get(community) : undefined) ?? nationalCalendar();
}

export type CalendarDayEdit = Omit<SetCalendarDayInput, 'base'>;

/** What one edit did in each community it reached, the community it was made in first. */
export interface CalendarEditResult {
  readonly community: CommunityId;
  readonly result: CommandResult<CalendarLayer>;
}

/**
 * Edits one date of a calendar layer (docs/tasks-model.md, "edited") in every community of this device the layer
 * belongs to. A community's layer lives in its own registry only; the district's and the street's are kept in the
 * registry of each of their communities (the registry is what reaches the community's own devices), so district IT
 * or a street office holding several communities edits them all at once: every community of this device whose
 * registry names the same district (and, for the street's layer, the same street) and where the acting person is an
 * admin. The edit starts from the highest revision of the layer among them (`base`), so they all end on the same
 * layer and revision; a community whose copy lagged behind catches up with this edit.
 */
export async function setCalendarDayAcross(
  store: WorkstationStore,
  community: CommunityId,
  edit: CalendarDayEdit,
): Promise<CalendarEditResult[]> {
  if (edit.scope === 'community') return [{ community, result: await store.run(community, setCalendarDay, edit) }];
  const origin = communityPlace((await store.registry(community)).doc, community);
  const held = (await store.db.communities.toArray()).map((row) => row.id).filter(isCommunityId);
  const targets: { community: CommunityId; doc: Y.Doc }[] = [];
  for (const id of [community, ...held.filter((c) => c !== community)]) {
    if (id !== community && !store.permissions(id).has('admin')) continue;
    const { doc } = await store.registry(id);
    const place = communityPlace(doc, id);
    const same =
      edit.scope === 'district'
        ? place.district === edit.orgId
        : place.street === edit.orgId && place.district === origin.district;
    if (id === community || same) targets.push({ community: id, doc });
  }
  // The first of the highest revisions (the community the edit is made in comes first): every target starts there.
  let base: CalendarLayer | null = null;
  for (const { doc } of targets) {
    const layer = currentLayer(doc, edit.scope, edit.orgId);
    if (layer !== null && (base === null || layer.revision > base.revision)) base = layer;
  }
  const results: CalendarEditResult[] = [];
  for (const target of targets) {
    const input = base === null ? edit : { ...edit, base };
    results.push({ community: target.community, result: await store.run(target.community, setCalendarDay, input) });
  }
  return results;
}
