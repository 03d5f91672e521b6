/**
 * Photos and files of grid events (docs/incidents-model.md, "photos"): kept in the incident's yearly document, in a
 * top-level map `files`, as small data URLs, the way a task's report keeps its files (shared/domain/tasks/files.ts). A
 * report or a handling step names them as `file:<id>` in its `attachments`. A grid worker stores the photos first and
 * then reports (the incident as reported is set once, with its attachments), so a file does not need its incident to
 * exist yet. Written once by `storeIncidentFile`, never changed; the reader leaves out anything that does not fit (any
 * device holding a token may write into the map).
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { defineCommand, plan, type AuditStamp } from '../kernel';
import { appendIncidentAudit, type IncidentAuditNote } from '../../ydoc/incidents';
import { MAX_CASE_FILE_CHARS } from '../../ydoc/cases';

export const INCIDENT_FILES_MAP = 'files';

export interface IncidentFile {
  readonly id: string;
  readonly name: string;
  /** MIME type, e.g. image/jpeg. */
  readonly type: string;
  /** `data:<type>;base64,...` */
  readonly data: string;
  readonly addedAt: string;
  readonly addedBy: string;
}

/** Largest stored file, as data-URL characters (about 300 kB), the same bound as a case's and a task's files. */
export const MAX_INCIDENT_FILE_CHARS = MAX_CASE_FILE_CHARS;

const storedFile = z.object({
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  data: z.string().startsWith('data:').max(MAX_INCIDENT_FILE_CHARS),
  addedAt: z.string().max(40),
  addedBy: z.string().max(200),
});

const FILE_REF = /^file:(.+)$/;

export function incidentFileRef(id: string): string {
  return `file:${id}`;
}

export function incidentFilesMap(doc: Y.Doc): Y.Map<IncidentFile> {
  return doc.getMap<IncidentFile>(INCIDENT_FILES_MAP);
}

/** The file a `file:<id>` reference names, when it is there and well formed; null otherwise (or not synced yet). */
export function readIncidentFile(doc: Y.Doc, ref: string): IncidentFile | null {
  const id = FILE_REF.exec(ref)?.[1];
  if (id === undefined) return null;
  const value: unknown = incidentFilesMap(doc).get(id);
  const parsed = storedFile.safeParse(value);
  return parsed.success && parsed.data.id === id ? (value as IncidentFile) : null;
}

export const incidentFileSchema = z.object({
  name: z.string().trim().min(1).max(200),
  type: z.string().trim().min(1).max(100),
  data: z.string().startsWith('data:').max(MAX_INCIDENT_FILE_CHARS),
});

/** Stores a photo or file for a report or a handling step; returns its reference (`file:<id>`). */
export const storeIncidentFile = defineCommand({
  name: 'storeIncidentFile',
  permission: 'incidents.edit',
  input: incidentFileSchema,
  journal: (doc: Y.Doc, entries: readonly (AuditStamp & IncidentAuditNote)[]) => appendIncidentAudit(doc, entries),
  plan: (doc: Y.Doc, v, ctx) => {
    const id = ctx.newId();
    const ref = incidentFileRef(id);
    return plan(ref, (audit, at) => {
      incidentFilesMap(doc).set(id, {
        id,
        name: v.name,
        type: v.type,
        data: v.data,
        addedAt: at,
        addedBy: ctx.actor.userName,
      });
      audit({
        action: 'storeIncidentFile',
        recordId: ref,
        fields: { name: v.name, type: v.type, chars: v.data.length },
      });
    });
  },
});
