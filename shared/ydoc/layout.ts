/**
 * Layout versions of synced documents (docs/architecture.md, "Layout versions").
 *
 * A laptop may be months behind the others and still sync. Adding a field is never a layout change: an older app keeps
 * fields it does not know (records are field-level `Y.Map`s; docs/conventions.md, habit 8) and Yjs passes on every
 * update whether the app understands it or not. A *layout* change is one an older app would misread or damage if it
 * wrote: records moved to other documents, a value stored in a new shape, a collection split. A release that makes
 * one raises `CURRENT_LAYOUT` and marks each document it writes; an older app then still opens, shows and syncs the
 * document, but its kernel refuses to write to it (`layout-too-new`, "update the app first"), so nothing it does
 * not understand is overwritten.
 *
 * The mark is a top-level `Y.Map` named `layout` with one key per version (`v2`, `v3`, …), never removed: the
 * document's layout is the highest key present. One key per version (not one `version` number) because two devices
 * marking at once must give the higher version, and a `Y.Map` key resolves last-writer-wins, not highest-wins.
 * A document without marks is layout 1 (everything written before layouts were versioned).
 */
import type * as Y from 'yjs';

/** The top-level map of the layout marks, in every kind of document. */
export const LAYOUT_MAP = 'layout';

/** The layout this app reads and writes. Raise it only with a note in docs/architecture.md, "Layout versions". */
export const CURRENT_LAYOUT = 1;

const MARK = /^v([1-9]\d{0,5})$/;

/** The highest layout any writer of the document has marked; 1 for a document without marks. */
export function documentLayout(doc: Y.Doc): number {
  let layout = 1;
  // Asking `getMap` of a document without marks would add an empty top-level type to it: a read must not.
  if (!doc.share.has(LAYOUT_MAP)) return layout;
  for (const key of doc.getMap<unknown>(LAYOUT_MAP).keys()) {
    const match = MARK.exec(key);
    if (match) layout = Math.max(layout, Number(match[1]));
  }
  return layout;
}

/** Whether an app that knows layouts up to `known` may write to the document without damaging what it holds. */
export function canWriteLayout(doc: Y.Doc, known: number = CURRENT_LAYOUT): boolean {
  return documentLayout(doc) <= known;
}

/**
 * Marks the document as holding data of layout `layout` (inside the writer's transaction). Layout 1 needs no mark;
 * a mark already there is not written again, so a document carries one small entry per layout it ever held.
 */
export function markLayout(doc: Y.Doc, layout: number = CURRENT_LAYOUT): void {
  if (layout <= 1) return;
  const marks = doc.getMap<unknown>(LAYOUT_MAP);
  const key = `v${layout}`;
  if (!marks.has(key)) marks.set(key, true);
}
