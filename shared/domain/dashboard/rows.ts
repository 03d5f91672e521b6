/**
 * The figure rows of one yearly document (docs/dashboard-model.md, "figure rows"): every grid event, service
 * application or task instance of the document as a timeline (timeline.ts), made by the domain's own fold and "as
 * of" functions. The dashboard reads these rows instead of opening the document and folding every history again;
 * they are plain JSON, kept on disk beside the document (renderer/data/figureRows.ts) and sealed like it.
 */
import type * as Y from 'yjs';
import type { IncidentLimits } from '../incidents/limits';
import { incidentAsOf } from '../incidents/stats';
import type { IncidentState } from '../incidents/state';
import { applicationAsOf, type ApplicationState } from '../services/state';
import type { TaskState } from '../tasks/state';
import { stateAsOf } from '../tasks/stats';
import { listIncidents } from '../../ydoc/incidents';
import { listApplications } from '../../ydoc/services';
import { listTasks } from '../../ydoc/tasks';
import { timelineOf, Timelines, type StoredTimeline } from './timeline';
import type { CommunityRecords } from './street';

/** The collections that have figure rows. */
export const FIGURE_COLLECTIONS = ['incidents', 'services', 'tasks'] as const;
export type FigureCollection = (typeof FIGURE_COLLECTIONS)[number];

/**
 * Bumped whenever what a row holds or how it is made changes: rows of another format are made again. 2: a record's
 * base holds only the fields the figures read (`figureBase`).
 */
export const FIGURE_ROWS_FORMAT = 2;

/**
 * A grid event's or an application's base as the rows keep it: only what the figures and the dashboard read
 * (docs/dashboard-model.md, "figure rows": the day, the kind and urgency that set the limits, the category, the place's
 * grid and building, who reported it, the title of the overdue list; an application's day and promise). The rest
 * (the resident's words, phone and name, attachments, materials, notes) stays in the documents: the rows are smaller
 * to read and hold less about people. tests/unit/shared/domain/dashboard/rows.test.ts varies every field left out and
 * still finds the full fold's dashboard.
 */
export function figureBase(collection: FigureCollection, base: Record<string, unknown>): Record<string, unknown> {
  if (collection === 'incidents') {
    const place = base.place as { grid?: unknown; building?: unknown } | undefined;
    return {
      id: base.id,
      community: base.community,
      title: base.title,
      category: base.category,
      kind: base.kind,
      urgency: base.urgency,
      place: { grid: place?.grid ?? null, building: place?.building ?? null },
      reportedOn: base.reportedOn,
      reportedBy: base.reportedBy,
    };
  }
  if (collection === 'services') {
    return {
      id: base.id,
      community: base.community,
      itemId: base.itemId,
      itemName: base.itemName,
      promiseDays: base.promiseDays,
      acceptedOn: base.acceptedOn,
    };
  }
  return base;
}

/** The timeline as the rows keep it: its state's base cut to `figureBase` (earlier states never differ in it). */
export function figureTimeline(collection: FigureCollection, timeline: StoredTimeline): StoredTimeline {
  const base = timeline.now.base;
  if (collection === 'tasks' || base === null || typeof base !== 'object') return timeline;
  return { ...timeline, now: { ...timeline.now, base: figureBase(collection, base as Record<string, unknown>) } };
}

export interface FigureRows {
  readonly format: number;
  readonly collection: FigureCollection;
  /** The grid events' limits the rows were folded with (a reopening's fix limit is folded in): JSON, or '' else. */
  readonly limits: string;
  readonly timelines: readonly StoredTimeline[];
}

export function limitsKey(collection: FigureCollection, limits: IncidentLimits): string {
  return collection === 'incidents' ? JSON.stringify(limits) : '';
}

/** The rows of a document of `collection` as it stands. */
export function figureRowsOf(collection: FigureCollection, doc: Y.Doc, limits: IncidentLimits): FigureRows {
  const full =
    collection === 'incidents'
      ? listIncidents(doc, limits).map((s) => timelineOf(s, (x, day) => incidentAsOf(x, day, limits)))
      : collection === 'services'
        ? listApplications(doc).map((s) => timelineOf(s, applicationAsOf))
        : listTasks(doc).map((s) => timelineOf(s, stateAsOf));
  const timelines = full.map((t) => figureTimeline(collection, t));
  return { format: FIGURE_ROWS_FORMAT, collection, limits: limitsKey(collection, limits), timelines };
}

/** Whether stored rows can be used for a collection with these limits (else they are made again). */
export function usableRows(rows: FigureRows, collection: FigureCollection, limits: IncidentLimits): boolean {
  return (
    rows.format === FIGURE_ROWS_FORMAT &&
    rows.collection === collection &&
    rows.limits === limitsKey(collection, limits)
  );
}

/** A community's records read from the rows of its documents: as they stand, and as of any day. */
export class RecordsFromRows {
  private readonly incidents: Timelines<IncidentState>;
  private readonly services: Timelines<ApplicationState>;
  private readonly tasks: Timelines<TaskState>;

  constructor(rows: readonly FigureRows[]) {
    const of = (collection: FigureCollection) =>
      rows.filter((r) => r.collection === collection).flatMap((r) => r.timelines);
    this.incidents = new Timelines(of('incidents'));
    this.services = new Timelines(of('services'));
    this.tasks = new Timelines(of('tasks'));
  }

  get now(): CommunityRecords {
    return { incidents: this.incidents.now, services: this.services.now, tasks: this.tasks.now };
  }

  asOf(day: string): CommunityRecords {
    return { incidents: this.incidents.asOf(day), services: this.services.asOf(day), tasks: this.tasks.asOf(day) };
  }
}
