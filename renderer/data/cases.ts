/**
 * Guards on the `<community>/cases/<year>` documents of this device (docs/mediation-model.md):
 *
 * - **Locked records** (signed session records, agreements in force): an edit made on an older laptop that had not
 *   seen the signature arrives by sync and would be merged by the CRDT. `guardLocks` puts the signed values back after
 *   every transaction that came from elsewhere and keeps the refused values in `refusedChanges` for an admin.
 * - **Case numbers**: two laptops that registered offline may have given the same number. After changes arrive,
 *   `renumberCases` settles the numbers (the later case moves) and writes a `renumber` event on the case, which the
 *   screens show as "原第 5 号，现第 7 号".
 *
 * Both run when a cases document is first opened on this device (the log on disk may already hold such changes) and
 * then after each transaction from elsewhere. Renumbering is debounced: a first sync arrives as a burst of updates,
 * and settling once after the burst gives the same result as settling after each.
 */
import type * as Y from 'yjs';
import { renumberCases } from '@shared/domain/mediation/commands';
import { renumberings } from '@shared/domain/mediation/caseNumber';
import { hasPermission } from '@shared/domain/kernel';
import { enforceLocks, guardLocks, listCases, type RefusedChange } from '@shared/ydoc/cases';
import { docName, parseDocName, type DocRef } from '@shared/ydoc/docName';
import type { WorkstationStore } from './store';

/** How long after the last change from elsewhere the numbers are settled. */
export const RENUMBER_DELAY_MS = 300;

export type CaseNotice =
  | { readonly kind: 'refused'; readonly docName: string; readonly changes: readonly RefusedChange[] }
  | { readonly kind: 'renumbered'; readonly docName: string; readonly count: number };

const installed = new WeakSet<WorkstationStore>();
const listeners = new Set<(notice: CaseNotice) => void>();

/** Told when the guards refused an edit or renumbered cases (the screens re-read the document anyway). */
export function onCaseNotice(listener: (notice: CaseNotice) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(notice: CaseNotice): void {
  for (const listener of listeners) listener(notice);
}

/**
 * Settles the case numbers of a document if two devices gave the same one; returns how many cases moved. It acts in
 * the role this device holds in `community`, the community whose cases document this is (not the community the
 * screens show: a sync brings every community's documents); `null` (a name that is not a community's) takes the
 * narrowest role the device holds anywhere.
 */
export function settleCaseNumbers(doc: Y.Doc, store: WorkstationStore, community: string | null): number {
  const ctx = store.commandContext(community);
  // A viewer cannot write; a device with the right to write will settle the numbers and sync them here.
  if (!hasPermission(ctx.permissions, 'cases.edit')) return 0;
  if (renumberings(listCases(doc)).length === 0) return 0;
  const result = renumberCases(doc, ctx);
  return result.ok ? result.value.length : 0;
}

/** Watches one cases document: lock guard and renumbering (see the file comment). Returns the unsubscribe. */
export function watchCasesDoc(doc: Y.Doc, name: string, store: WorkstationStore): () => void {
  const now = () => new Date();
  const community = parseDocName(name)?.community ?? null;
  const refused = enforceLocks(doc, store.deviceId, now());
  if (refused.length > 0) notify({ kind: 'refused', docName: name, changes: refused });
  const moved = settleCaseNumbers(doc, store, community);
  if (moved > 0) notify({ kind: 'renumbered', docName: name, count: moved });

  const stopGuard = guardLocks(doc, store.deviceId, now, (changes) =>
    notify({ kind: 'refused', docName: name, changes }),
  );
  let timer: ReturnType<typeof setTimeout> | null = null;
  const onTransaction = (transaction: Y.Transaction) => {
    if (transaction.local) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const count = settleCaseNumbers(doc, store, community);
      if (count > 0) notify({ kind: 'renumbered', docName: name, count });
    }, RENUMBER_DELAY_MS);
  };
  doc.on('afterTransaction', onTransaction);
  return () => {
    stopGuard();
    doc.off('afterTransaction', onTransaction);
    if (timer !== null) clearTimeout(timer);
  };
}

/**
 * Registers the guards once per store for every cases document opened from now on (and those already open). Safe to
 * call from every mediation screen: the second call does nothing.
 */
export function installCaseGuards(store: WorkstationStore): void {
  if (installed.has(store)) return;
  installed.add(store);
  store.onDocOpen('cases', (doc: Y.Doc, ref: DocRef, opened: WorkstationStore) => {
    if (ref.collection !== 'cases') return;
    // The watch lasts as long as the document stays open, which is the life of the store.
    watchCasesDoc(doc, docName(ref), opened);
  });
}
