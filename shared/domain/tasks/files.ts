/**
 * Photos and files of progress reports (docs/tasks-model.md, "layout"): kept in the task's own yearly document, in a
 * top-level map `files`, as small data URLs, the way a case keeps its files (shared/ydoc/cases.ts `CaseFile`). A report
 * names them as `file:<id>` in its `attachments`. Written once by `storeTaskFile`, never changed; the reader leaves out
 * anything that does not fit (any device holding a token may write into the map).
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { defineCommand, plan, refuse, type AuditStamp } from '../kernel';
import { appendTaskAudit, readTask, type TaskAuditNote } from '../../ydoc/tasks';
import { MAX_CASE_FILE_CHARS } from '../../ydoc/cases';

export const TASK_FILES_MAP = 'files';

export interface TaskFile {
  readonly id: string;
  /** The instance whose report carries it. */
  readonly taskId: string;
  readonly name: string;
  /** MIME type, e.g. image/jpeg. */
  readonly type: string;
  /** `data:<type>;base64,...` */
  readonly data: string;
  readonly addedAt: string;
  readonly addedBy: string;
}

/** Largest stored file, as data-URL characters (about 300 kB), the same bound as a case's files. */
export const MAX_TASK_FILE_CHARS = MAX_CASE_FILE_CHARS;

const storedFile = z.object({
  id: z.string().min(1).max(200),
  taskId: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  data: z.string().startsWith('data:').max(MAX_TASK_FILE_CHARS),
  addedAt: z.string().max(40),
  addedBy: z.string().max(200),
});

const FILE_REF = /^file:(.+)$/;

export function taskFileRef(id: string): string {
  return `file:${id}`;
}

export function taskFilesMap(doc: Y.Doc): Y.Map<TaskFile> {
  return doc.getMap<TaskFile>(TASK_FILES_MAP);
}

/** The file a `file:<id>` reference names, when it is there and well formed; null otherwise (or not synced yet). */
export function readTaskFile(doc: Y.Doc, ref: string): TaskFile | null {
  const id = FILE_REF.exec(ref)?.[1];
  if (id === undefined) return null;
  const value: unknown = taskFilesMap(doc).get(id);
  const parsed = storedFile.safeParse(value);
  return parsed.success && parsed.data.id === id ? (value as TaskFile) : null;
}

export const taskFileSchema = z.object({
  taskId: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  type: z.string().trim().min(1).max(100),
  data: z.string().startsWith('data:').max(MAX_TASK_FILE_CHARS),
});

/** Stores a photo or file for a report on an instance; returns its reference (`file:<id>`) for `reportProgress`. */
export const storeTaskFile = defineCommand({
  name: 'storeTaskFile',
  permission: 'tasks.edit',
  input: taskFileSchema,
  journal: (doc: Y.Doc, entries: readonly (AuditStamp & TaskAuditNote)[]) => appendTaskAudit(doc, entries),
  plan: (doc: Y.Doc, v, ctx) => {
    if (readTask(doc, v.taskId) === null) return refuse('not-found', 'taskId');
    const id = ctx.newId();
    const ref = taskFileRef(id);
    return plan(ref, (audit, at) => {
      taskFilesMap(doc).set(id, {
        id,
        taskId: v.taskId,
        name: v.name,
        type: v.type,
        data: v.data,
        addedAt: at,
        addedBy: ctx.actor.userName,
      });
      audit({
        action: 'storeTaskFile',
        recordId: v.taskId,
        fields: { ref, name: v.name, type: v.type, chars: v.data.length },
      });
    });
  },
});
