/**
 * Fixtures for the grid-event tests: the people (a grid worker, the office, a building head) with clocks the tests
 * move, the national calendar with the default limits, and an incident as a grid worker records it.
 */
import type * as Y from 'yjs';
import { nationalCalendar } from '@shared/domain/calendar';
import { reportIncident, type IncidentsEnv } from '@shared/domain/incidents/commands';
import { DEFAULT_LIMITS } from '@shared/domain/incidents/limits';
import type { IncidentState } from '@shared/domain/incidents/state';
import type { IncidentFieldsInput } from '@shared/domain/incidents/types';
import { readIncident } from '@shared/ydoc/incidents';
import { makeCtx, unwrap } from '../tasks/fixtures';

export { errorOf, unwrap } from '../tasks/fixtures';

export const env: IncidentsEnv = { calendar: nationalCalendar(), limits: DEFAULT_LIMITS };

export const gridWorker = (day?: string) =>
  makeCtx(['incidents.edit'], { userId: 'u-grid', userName: '网格员王芳' }, day);
export const office = (day?: string) =>
  makeCtx(['incidents.edit', 'incidents.dispatch'], { userId: 'u-office', userName: '社区干部李明' }, day);
export const head = (day?: string) => makeCtx(['incidents.edit'], { userId: 'u-head', userName: '楼栋长赵强' }, day);

export const COMMUNITY = 'shunqing-xihe';

export function fields(overrides: Partial<IncidentFieldsInput> = {}): IncidentFieldsInput {
  return {
    title: '3栋楼道堆放杂物',
    content: '3栋2单元楼道堆放纸箱，居民反映有消防隐患。',
    occurredAt: '2026-09-28T01:30:00Z',
    place: { grid: 'grid-1', compound: 'compound-1', building: 'b-3', household: null, text: '' },
    category: 'opinion',
    subCategory: '消防隐患',
    kind: 'complaint',
    urgency: 'normal',
    peopleInvolved: 3,
    reporter: { name: '刘阿姨', phone: '13800001234', anonymous: false },
    source: 'patrol',
    attachments: ['file:photo-1'],
    ...overrides,
  };
}

/** Records an incident with `ctx` on its clock's day; returns its id. */
export function report(doc: Y.Doc, ctx: ReturnType<typeof gridWorker>, overrides: Partial<IncidentFieldsInput> = {}) {
  return unwrap(reportIncident(doc, ctx, { community: COMMUNITY, ...fields(overrides) }));
}

export function read(doc: Y.Doc, id: string): IncidentState {
  const state = readIncident(doc, id, env.limits);
  if (state === null) throw new Error(`no incident ${id}`);
  return state;
}

export const headAssignee = { kind: 'head' as const, name: '楼栋长赵强', ref: 'u-head' };
