/**
 * The registry's journal (docs/architecture.md, "commands"): every registry command's audit entries go to the
 * document's `audit` array, appended by the kernel in the command's own transaction. The kernel gives each entry its
 * stamp (id, time, user, device); the registry's note says what was done to which record (`RegistryNote`).
 *
 * Also the two writes most registry commands make (a new record, some changed fields) and the history of one record.
 */
import type * as Y from 'yjs';
import { archiveArray, mergeAuditEntries } from '../../ydoc/auditArchive';
import { plan, refuse, type AuditStamp, type CommandResult, type Journal, type Plan } from '../kernel';
import {
  appendAudit,
  auditArray,
  insertRecord,
  readRecord,
  setFields,
  type RegistryCollection,
} from '../../ydoc/registry';
import type { AuditAction, AuditEntry } from './types';

/** What a registry command says of each write: the action, the record, and the values it wrote. */
export type RegistryNote = Omit<AuditEntry, keyof AuditStamp>;

/** The registry's journal: the document's append-only `audit` array. */
export const registryJournal: Journal<RegistryNote> = appendAudit;

/** What a registry rule decides: the command's value and the write (with its audit entries) that makes it so. */
export type RegistryPlan<T> = CommandResult<Plan<T, RegistryNote>>;

/** Keeps only the fields whose value differs from the current record (compared as JSON: values are plain JSON). */
export function changedFields(
  current: Readonly<Record<string, unknown>>,
  next: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    if (value !== undefined && JSON.stringify(current[key]) !== JSON.stringify(value)) changed[key] = value;
  }
  return changed;
}

/** The fields every record starts with. */
export function stamp(at: string, id: string) {
  return { id, createdAt: at, updatedAt: at };
}

/** Creates one record with its fields, audited as `create` with those fields; the command returns its id. */
export function insertPlan<Id extends string>(
  doc: Y.Doc,
  collection: RegistryCollection,
  id: Id,
  fields: Readonly<Record<string, unknown>>,
): RegistryPlan<Id> {
  return plan(id, (audit, at) => {
    insertRecord(doc, collection, id, { ...stamp(at, id), ...fields });
    audit({ action: 'create', collection, recordId: id, fields });
  });
}

/**
 * Writes only the fields of `changes` that differ from the stored record, audited with those fields; the command
 * returns the names of the fields written. Nothing changed: no write, so no transaction, audit noise or sync traffic.
 */
export function updatePlan(
  doc: Y.Doc,
  collection: RegistryCollection,
  id: string,
  current: Readonly<Record<string, unknown>>,
  changes: Readonly<Record<string, unknown>>,
  action: AuditAction = 'update',
): RegistryPlan<string[]> {
  const changed = changedFields(current, changes);
  const keys = Object.keys(changed);
  if (keys.length === 0) return plan(keys, null);
  return plan(keys, (audit, at) => {
    setFields(doc, collection, id, { ...changed, updatedAt: at });
    audit({ action, collection, recordId: id, fields: changed });
  });
}

/** `updatePlan` of a record that must exist (`not-found` on `id` otherwise). */
export function updateExisting(
  doc: Y.Doc,
  collection: RegistryCollection,
  id: string,
  changes: Readonly<Record<string, unknown>>,
): RegistryPlan<string[]> {
  const current = readRecord(doc, collection, id);
  if (current === null) return refuse('not-found', 'id');
  return updatePlan(doc, collection, id, current, changes);
}

function byTime(a: AuditEntry, b: AuditEntry): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The audit entries of one record, oldest first. After a merge of concurrent edits to one field, both entries are
 * here (with who, when and the value each wrote) even though the record itself shows only the winning value.
 * Entries of closed years live in the yearly archives the sync server moves them to (docs/registry-model.md, "Where
 * the audit lives"): given those documents (`archived`, read on demand), their entries are here too, each once.
 */
export function recordHistory(
  doc: Y.Doc,
  collection: string,
  recordId: string,
  archived: readonly Y.Doc[] = [],
): AuditEntry[] {
  const importId = collection === 'residents' ? (readRecord(doc, 'residents', recordId)?.importId ?? null) : null;
  return mergeAuditEntries(auditArray(doc).toArray(), ...archived.map((archive) => archiveArray(archive).toArray()))
    .filter(
      (e) => e.collection === collection && (e.recordId === recordId || (importId !== null && e.recordId === importId)),
    )
    .sort(byTime);
}
