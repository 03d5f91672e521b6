/**
 * An event's links to what it became (docs/incidents-model.md, "links"): a mediation case, a meeting's agenda item,
 * a task. A feature of its own, depending on no other, so that the events area (which makes the links) and the
 * cases, meetings and tasks areas (which show the way back) can all use it without a cycle. The event keeps the link (a `linked` step naming `<year>/<id>` of the target's yearly document); the target's
 * page finds its event by reading the events of its own year and the year before (an event becomes something on or
 * after the day it is reported, and the lists offer this year's and last year's events).
 */
import { useCallback } from 'react';
import type * as Y from 'yjs';
import { DEFAULT_LIMITS } from '@shared/domain/incidents/limits';
import type { LinkKind } from '@shared/domain/incidents/types';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { listIncidents } from '@shared/ydoc/incidents';
import { useDocValue } from '../../data/hooks';

function incidentsDoc(community: CommunityId, year: number): string {
  return docName({ community, collection: 'incidents', year });
}

/** An event's page (the events area's route, `~/` leaving the nested route of the page linking to it). */
export function eventHref(year: number, id: string): string {
  return `~/events/e/${year}/${encodeURIComponent(id)}`;
}

/** The link an event keeps to a record of a yearly document: `<year>/<id>`. */
export function linkId(year: number, id: string): string {
  return `${year}/${id}`;
}

/** Where a linked record's page is, by the link kept on the event (`~/` leaves the events area's nested route). */
export function linkHref(link: LinkKind, recordId: string): string | null {
  const slash = recordId.indexOf('/');
  if (slash <= 0) return null;
  const year = recordId.slice(0, slash);
  const id = encodeURIComponent(recordId.slice(slash + 1));
  if (!/^\d{4}$/.test(year) || id === '') return null;
  if (link === 'case') return `~/mediation/case/${recordId}`;
  if (link === 'meeting') return `~/meetings/m/${year}/${id}`;
  return `~/tasks/t/${year}/${id}`;
}

/** An event another record was made from. */
export interface EventSource {
  readonly year: number;
  readonly id: string;
  readonly title: string;
  readonly reportedOn: string;
}

/** The events of one yearly document that link to `recordId` as `link`. */
export function eventsLinkingTo(doc: Y.Doc, year: number, link: LinkKind, recordId: string): EventSource[] {
  // Only the links and the base are read: the limits change no link (the events area uses the office's own).
  return listIncidents(doc, DEFAULT_LIMITS)
    .filter((state) => state.links.some((l) => l.link === link && l.recordId === recordId))
    .map((state) => ({ year, id: state.base.id, title: state.base.title, reportedOn: state.base.reportedOn }));
}

/**
 * The events a record of `year`'s document was made from, live: those of that year's and the year before's events
 * documents that link to `<year>/<id>`; `undefined` while either loads.
 */
export function useEventSources(
  community: CommunityId,
  link: LinkKind,
  year: number,
  id: string,
): EventSource[] | undefined {
  const recordId = linkId(year, id);
  const readThis = useCallback((doc: Y.Doc) => eventsLinkingTo(doc, year, link, recordId), [year, link, recordId]);
  const readBefore = useCallback(
    (doc: Y.Doc) => eventsLinkingTo(doc, year - 1, link, recordId),
    [year, link, recordId],
  );
  const current = useDocValue(incidentsDoc(community, year), readThis);
  const before = useDocValue(incidentsDoc(community, year - 1), readBefore);
  if (current === undefined || before === undefined) return undefined;
  return [...current, ...before];
}
