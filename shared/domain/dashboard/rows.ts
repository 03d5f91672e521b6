/**
 * The figure rows of one yearly document (docs/dashboard-model.md, "figure rows"): every grid event, service
 * application or task instance of the document as a timeline (timeline.ts), made by the domain's own fold and "as
 * of" functions. The dashboard reads these rows instead of opening the document and folding every history again;
 * they are plain JSON, kept on disk beside the document (renderer/data/figureRows.ts) and sealed like it.
 */
import type * as Y from 'yjs';
import { DEFAULT_LIMITS, handleDaysOf, type IncidentLimits } from '../incidents/limits';
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
 * base holds only the fields the figures read (`figureBase`). 3: a grid event's rows hold no limits (`handleDays` left
 * out, set from the community's own limits when read: `RecordsFromRows`), and a registry's calendar rows carry the
 * office's limit versions.
 */
export const FIGURE_ROWS_FORMAT = 3;

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

/**
 * The fields of a state the rows leave out because they depend on the office's limits: a grid event's handling limit
 * (`handleDays`). Every other field of a folded state is the same whatever the limits (the fold reads them only to set
 * it; a 结案 keeps its on-time verdict as written), so rows without it hold nothing of the limits and can never carry
 * old ones: the reader sets it from the community's limit versions (`handleDaysOf`), as the fold would.
 */
const LIMITS_FIELDS: ReadonlySet<string> = new Set(['handleDays']);

function withoutLimits(fields: Record<string, unknown>): Record<string, unknown> {
  if (!Object.keys(fields).some((key) => LIMITS_FIELDS.has(key))) return fields;
  return Object.fromEntries(Object.entries(fields).filter(([key]) => !LIMITS_FIELDS.has(key)));
}

/**
 * The timeline as the rows keep it: its state's base cut to `figureBase` (earlier states never differ in it), and a
 * grid event's states without the fields set by the limits (`LIMITS_FIELDS`).
 */
export function figureTimeline(collection: FigureCollection, timeline: StoredTimeline): StoredTimeline {
  const base = timeline.now.base;
  if (collection === 'tasks' || base === null || typeof base !== 'object') return timeline;
  const now = { ...timeline.now, base: figureBase(collection, base as Record<string, unknown>) };
  if (collection !== 'incidents') return { ...timeline, now };
  return {
    ...timeline,
    now: withoutLimits(now),
    at: timeline.at.map(withoutLimits),
    before: withoutLimits(timeline.before),
  };
}

export interface FigureRows {
  readonly format: number;
  readonly collection: FigureCollection;
  readonly timelines: readonly StoredTimeline[];
}

/**
 * The rows of a document of `collection` as it stands. They hold nothing of the office's limits: the grid events are
 * folded with the defaults and kept without the one field the limits set (`figureTimeline`), so the same document
 * gives the same rows whatever limits its community sets, and a limit version arriving later (set here or synced)
 * leaves them right: the reader applies the versions (`RecordsFromRows`).
 */
export function figureRowsOf(collection: FigureCollection, doc: Y.Doc): FigureRows {
  const limits = DEFAULT_LIMITS;
  const full =
    collection === 'incidents'
      ? listIncidents(doc, limits).map((s) => timelineOf(s, (x, day) => incidentAsOf(x, day, limits)))
      : collection === 'services'
        ? listApplications(doc).map((s) => timelineOf(s, applicationAsOf))
        : listTasks(doc).map((s) => timelineOf(s, stateAsOf));
  const timelines = full.map((t) => figureTimeline(collection, t));
  return { format: FIGURE_ROWS_FORMAT, collection, timelines };
}

/** Whether stored rows can be used for a collection (else they are made again). */
export function usableRows(rows: FigureRows, collection: FigureCollection): boolean {
  return rows.format === FIGURE_ROWS_FORMAT && rows.collection === collection;
}

/** Completes a grid event's state read from rows with its handling limit under `limits` (`handleDaysOf`). */
export function withLimits(limits: IncidentLimits): (state: IncidentState) => IncidentState {
  return (state) => ({ ...state, handleDays: handleDaysOf(state, limits) });
}

/**
 * A community's records read from the rows of its documents: as they stand, and as of any day. Each grid event's
 * state gets its handling limit from `limits`, the community's own (its office's versions, each stage with the one in
 * force on the day it started: docs/incidents-model.md, "an office's own limits"), exactly as the full fold with those
 * limits sets it (`handleDaysOf`).
 */
export class RecordsFromRows {
  private readonly incidents: Timelines<IncidentState>;
  private readonly services: Timelines<ApplicationState>;
  private readonly tasks: Timelines<TaskState>;

  constructor(
    rows: readonly FigureRows[],
    readonly limits: IncidentLimits = DEFAULT_LIMITS,
  ) {
    const of = (collection: FigureCollection) =>
      rows.filter((r) => r.collection === collection).flatMap((r) => r.timelines);
    this.incidents = new Timelines<IncidentState>(of('incidents'), withLimits(limits));
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
