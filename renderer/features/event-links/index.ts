/**
 * Links between a grid event and what it became (a case, a meeting's agenda item, a task), as the other areas see
 * them: the kept link's form and page, and the way back shown on the case's, meeting's and task's page
 * (docs/incidents-model.md, "links").
 */
export { FromEvent } from './FromEvent';
export { eventHref, eventsLinkingTo, linkHref, linkId, useEventSources, type EventSource } from './links';
