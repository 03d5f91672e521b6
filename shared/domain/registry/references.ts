/**
 * Rules every registry command shares: a reference must name a record that exists (a resident one that is not
 * deleted), and a command reports the first problem it finds.
 */
import type * as Y from 'yjs';
import { domainError, type DomainError } from '../kernel';
import { hasRecord, readRecord, type RegistryCollection, type StoredRecord } from '../../ydoc/registry';
import type { HeadRef } from './types';

/** A resident that exists and is not deleted, or `null`. */
export function liveResident(doc: Y.Doc, id: string): StoredRecord<'residents'> | null {
  const resident = readRecord(doc, 'residents', id);
  return resident === null || resident.deletedAt != null ? null : resident;
}

/** `not-found` on `field` when `id` is set and names no record of the collection. */
export function checkRef(
  doc: Y.Doc,
  collection: RegistryCollection,
  id: string | null,
  field: string,
): DomainError | null {
  if (id === null) return null;
  return hasRecord(doc, collection, id) ? null : domainError('not-found', field);
}

/** A head (楼栋长, 院落长…) is a living resident or a volunteer. */
export function checkHead(doc: Y.Doc, head: HeadRef | null, field: string): DomainError | null {
  if (head === null) return null;
  if (head.kind === 'resident') return liveResident(doc, head.id) === null ? domainError('not-found', field) : null;
  return checkRef(doc, 'volunteers', head.id, field);
}

export function firstError(...errors: (DomainError | null)[]): DomainError | null {
  return errors.find((e) => e !== null) ?? null;
}
