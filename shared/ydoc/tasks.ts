/**
 * Yjs layout of a `<community>/tasks/<year>` document (name built by `docName`, never by hand): the task instances of
 * one community for one year, with their events (docs/tasks-model.md). An instance belongs to the year of its period.
 *
 * | top-level name | Yjs type                      | holds                                                          |
 * | -------------- | ----------------------------- | -------------------------------------------------------------- |
 * | `templates`    | `Y.Map<id, TaskTemplate>`     | each template as last published to this community (plain JSON) |
 * | `tasks`        | `Y.Map<taskId, TaskBase>`     | each instance as published: set once, never changed            |
 * | `events`       | `Y.Array<StoredTaskEvent>`    | every event of every instance, in arrival order; append-only   |
 * | `audit`        | `Y.Array<TaskAuditEntry>`     | one entry per command write, appended in the same transaction  |
 * | `files`        | `Y.Map<fileId, TaskFile>`     | a report's photos and files (shared/domain/tasks/files.ts)     |
 *
 * Why this shape:
 * - An instance's state is read from its events (shared/domain/tasks/state.ts), so two devices working offline (the
 *   community reporting progress, the street raising a card) both keep what they wrote: appends to one array merge.
 * - Events sit in ONE top-level array with the instance id, not in an array created inside each instance: two street
 *   devices publishing the same round offline would each create that inner array, and the merge would keep one of
 *   them and lose the events written into the other. A top-level array never loses an entry.
 * - The instance id is made of template, community and period (periods.ts), so the same instance published twice is
 *   the same key with the same value.
 * - Nothing is a counter: every figure is computed from the events (stats.ts).
 *
 * Fields are only added, never renamed or removed; readers keep unknown fields. Only shared/domain/tasks/commands.ts
 * writes through the helpers marked "write".
 *
 * Reading: any device with a token may append anything (the sync server keeps `events` and `audit` append-only, no
 * more), so the readers below leave out, without throwing, every entry that does not fit the shapes the commands write
 * (shared/domain/tasks/types.ts, "reading what a document holds"): a malformed or oversized event, an event of an
 * instance this document does not hold, an instance whose id does not name its own template, community and period.
 */
import type * as Y from 'yjs';
import { checker } from './checker';
import { taskIdOf } from '../domain/tasks/periods';
import { taskState, type TaskState } from '../domain/tasks/state';
import {
  taskBaseSchema,
  taskEventSchema,
  templateSchema,
  type TaskBase,
  type TaskEvent,
  type TaskTemplate,
} from '../domain/tasks/types';

export const TASK_TEMPLATES_MAP = 'templates';
export const TASKS_MAP = 'tasks';
export const TASK_EVENTS_ARRAY = 'events';
export const TASK_AUDIT_ARRAY = 'audit';

/** An event as stored: with the instance it belongs to. */
export type StoredTaskEvent = TaskEvent & { readonly taskId: string };

/** The note the task commands add to the kernel's audit stamp. */
export interface TaskAuditNote {
  readonly action: string;
  /** The instance (or the template, for a template write). */
  readonly recordId: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface TaskAuditEntry extends TaskAuditNote {
  readonly id: string;
  readonly at: string;
  readonly userId: string;
  readonly userName: string;
  readonly deviceId: string;
}

export function templatesMap(doc: Y.Doc): Y.Map<TaskTemplate> {
  return doc.getMap<TaskTemplate>(TASK_TEMPLATES_MAP);
}

export function tasksMap(doc: Y.Doc): Y.Map<TaskBase> {
  return doc.getMap<TaskBase>(TASKS_MAP);
}

export function taskEventsArray(doc: Y.Doc): Y.Array<StoredTaskEvent> {
  return doc.getArray<StoredTaskEvent>(TASK_EVENTS_ARRAY);
}

export function taskAuditArray(doc: Y.Doc): Y.Array<TaskAuditEntry> {
  return doc.getArray<TaskAuditEntry>(TASK_AUDIT_ARRAY);
}

// --- read ----------------------------------------------------------------------------------------------------------

const isTemplate = checker<TaskTemplate>(templateSchema);

const isStoredEvent = checker<StoredTaskEvent>(
  taskEventSchema,
  (e) => typeof e.taskId === 'string' && e.taskId.length <= 200,
);

const isBase = checker<TaskBase>(
  taskBaseSchema,
  (b) => b.template.id === b.templateId && b.id === taskIdOf(b.templateId, b.community, b.period),
);

/** The instance stored under `id`, when it is a well-formed instance of that id. */
function baseOf(doc: Y.Doc, id: string): TaskBase | null {
  const base: unknown = tasksMap(doc).get(id);
  return isBase(base) && base.id === id ? base : null;
}

export function readTemplate(doc: Y.Doc, id: string): TaskTemplate | null {
  const template: unknown = templatesMap(doc).get(id);
  return isTemplate(template) && template.id === id ? template : null;
}

export function listTemplates(doc: Y.Doc): TaskTemplate[] {
  return [...templatesMap(doc).values()]
    .filter(isTemplate)
    .sort((a, b) => (a.docNo < b.docNo ? -1 : a.docNo > b.docNo ? 1 : 0));
}

/** Every well-formed event of the document grouped by instance (arrival order; state.ts orders them by time). */
export function eventsByTask(doc: Y.Doc): Map<string, StoredTaskEvent[]> {
  const out = new Map<string, StoredTaskEvent[]>();
  for (const event of taskEventsArray(doc).toArray() as unknown[]) {
    if (!isStoredEvent(event)) continue;
    const list = out.get(event.taskId);
    if (list === undefined) out.set(event.taskId, [event]);
    else list.push(event);
  }
  return out;
}

export function readTask(doc: Y.Doc, id: string): TaskState | null {
  const base = baseOf(doc, id);
  if (base === null) return null;
  return taskState(base, eventsByTask(doc).get(id) ?? []);
}

/** Every instance of the document, by period then id. */
export function listTasks(doc: Y.Doc): TaskState[] {
  const events = eventsByTask(doc);
  const out: TaskState[] = [];
  tasksMap(doc).forEach((base: unknown, id) => {
    if (isBase(base) && base.id === id) out.push(taskState(base, events.get(id) ?? []));
  });
  return out.sort((a, b) => (a.period !== b.period ? (a.period < b.period ? -1 : 1) : a.id < b.id ? -1 : 1));
}

export function readTaskAudit(doc: Y.Doc): TaskAuditEntry[] {
  return taskAuditArray(doc).toArray();
}

// --- write (shared/domain/tasks/commands.ts only; call inside a transaction) ----------------------------------------

/** Write: stores a template as published (replaces the previous version of the same id). */
export function putTemplate(doc: Y.Doc, template: TaskTemplate): void {
  templatesMap(doc).set(template.id, template);
}

/** Write: creates an instance (once: an instance already there is left as it is). */
export function insertTask(doc: Y.Doc, base: TaskBase): boolean {
  const map = tasksMap(doc);
  if (map.has(base.id)) return false;
  map.set(base.id, base);
  return true;
}

/** Write: appends events. */
export function appendTaskEvents(doc: Y.Doc, events: readonly StoredTaskEvent[]): void {
  if (events.length > 0) taskEventsArray(doc).push([...events]);
}

/** Write: appends audit entries (the kernel's journal for the task commands). */
export function appendTaskAudit(doc: Y.Doc, entries: readonly TaskAuditEntry[]): void {
  taskAuditArray(doc).push([...entries]);
}
