/**
 * The working-day calendar a community works by, as the screens and commands read it (docs/tasks-model.md,
 * "working-day calendar", *stored*): the national seed with the district's, street's and community's layers kept in
 * the community's registry (shared/ydoc/calendarLayers.ts). Every deadline a command computes for a community is
 * counted on that community's calendar.
 */
import { useCallback } from 'react';
import type * as Y from 'yjs';
import { nationalCalendar, type WorkingCalendar } from '@shared/domain/calendar';
import { communityCalendar } from '@shared/domain/calendar/commands';
import type { CommunityId } from '@shared/ydoc/docName';
import { useRegistryValue } from './hooks';
import type { WorkstationStore } from './store';

/** The calendar of a community, read from its registry as it stands (for a command about to run). */
export async function calendarOf(store: WorkstationStore, community: CommunityId): Promise<WorkingCalendar> {
  const { doc } = await store.registry(community);
  return communityCalendar(doc, community);
}

/**
 * The calendar of a community, live: a layer edited here or arriving by sync changes it at once. The national
 * calendar while the registry loads (no layer can be read before it), or when no community is open.
 */
export function useWorkingCalendar(community: CommunityId | null): WorkingCalendar {
  const reader = useCallback(
    (doc: Y.Doc) => (community ? communityCalendar(doc, community) : nationalCalendar()),
    [community],
  );
  return useRegistryValue(community, reader) ?? nationalCalendar();
}
