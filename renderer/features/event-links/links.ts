/**
 * An event's links to what it became (docs/incidents-model.md, "links"): a mediation case, a meeting's agenda item,
 * a task. A feature of its own, depending on no other, so that the events area (which makes the links) and the
 * cases, meetings and tasks areas (which show the way back) can all use it without a cycle. The event keeps the link (a `linked` step naming `<year>/<id>` of the target's yearly document); the target's
 * page finds its event by reading the events of its own year and the year before (an event becomes something on or
 * after the day it is reported, and the lists offer this year's and last year's events).
 */
import { useCallback } from 'react';
import type * as Y from 'yjs';
import { DEFAULT_LIMITS, type IncidentLimits } from '@shared/domain/incidents/limits';
import { officeLimits } from '@shared/domain/incidents/officeLimits';
import type { LinkKind } from '@shared/domain/incidents/types';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { listIncidents } from '@shared/ydoc/incidents';
import { useDocValue, useRegistryValue } from '../../data/hooks';

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
  if (link === 'case') return `~/mediation/case/${year}/${id}`;
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

/**
 * The events of one yearly document that link to `recordId` as `link`, read with the office's limits (`limits`: the
 * community's, docs/incidents-model.md "an office's own limits"; the links themselves do not depend on them).
 */
export function eventsLinkingTo(
  doc: Y.Doc,
  year: number,
  link: LinkKind,
  recordId: string,
  limits: IncidentLimits = DEFAULT_LIMITS,
): EventSource[] {
  return listIncidents(doc, limits)
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
  // The office's limits, the same object while they do not change (the defaults while the registry loads).
  const limits = useRegistryValue(community, officeLimits) ?? DEFAULT_LIMITS;
  const readThis = useCallback(
    (doc: Y.Doc) => eventsLinkingTo(doc, year, link, recordId, limits),
    [year, link, recordId, limits],
  );
  const readBefore = useCallback(
    (doc: Y.Doc) => eventsLinkingTo(doc, year - 1, link, recordId, limits),
    [year, link, recordId, limits],
  );
  const current = useDocValue(incidentsDoc(community, year), readThis);
  const before = useDocValue(incidentsDoc(community, year - 1), readBefore);
  if (current === undefined || before === undefined) return undefined;
  return [...current, ...before];
}
