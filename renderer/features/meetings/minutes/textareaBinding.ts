/**
 * Binds a plain `<textarea>` to a `Y.Text` so that two people can type into the same minutes (issue 7, "minutes
 * written by two at once") without an editor library: y-prosemirror and y-codemirror are not part of the app.
 *
 * - A local edit is turned into the smallest change (common prefix and suffix, with the caret as a hint where the
 *   change is ambiguous, e.g. typing "a" into "aa") and applied to the `Y.Text` as one delete + insert. Applying a
 *   diff, never replacing the whole text, is what lets two writers merge: Yjs keeps both insertions.
 * - A remote change (from sync, or another binding on the same document) re-renders the textarea and moves the caret
 *   and selection through the change's delta, so text arriving before the caret does not throw the writer off.
 * - While an input method composes (Chinese pinyin), remote changes wait until the composition ends: rewriting the
 *   value under an open composition would cancel it.
 */
import type * as Y from 'yjs';

export interface TextChange {
  readonly index: number;
  readonly deleteCount: number;
  readonly insert: string;
}

/**
 * The smallest single change from `prev` to `next`. `caret` (where the caret is in `next`) decides ambiguous cases:
 * the inserted text ends at the caret, as it does when someone types.
 */
export function diffText(prev: string, next: string, caret = next.length): TextChange | null {
  if (prev === next) return null;
  const maxPrefix = Math.min(prev.length, next.length);
  let prefix = 0;
  while (prefix < maxPrefix && prev.charCodeAt(prefix) === next.charCodeAt(prefix)) prefix++;
  // The change cannot start after the caret (the caret sits at the end of what was typed).
  prefix = Math.min(prefix, Math.max(0, Math.min(caret, next.length) - Math.max(0, next.length - prev.length)));
  let suffix = 0;
  const maxSuffix = Math.min(prev.length, next.length) - prefix;
  while (
    suffix < maxSuffix &&
    prev.charCodeAt(prev.length - 1 - suffix) === next.charCodeAt(next.length - 1 - suffix)
  ) {
    suffix++;
  }
  // Never split a UTF-16 surrogate pair (emoji, rare CJK characters outside the BMP).
  while (prefix > 0 && isHighSurrogate(next.charCodeAt(prefix - 1))) prefix--;
  while (suffix > 0 && isLowSurrogate(next.charCodeAt(next.length - suffix))) suffix--;
  return {
    index: prefix,
    deleteCount: prev.length - prefix - suffix,
    insert: next.slice(prefix, next.length - suffix),
  };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

type DeltaOp = { insert?: unknown; retain?: number; delete?: number };

/**
 * Where a position of the text before a change lands after it. Text inserted exactly at the position goes after it
 * (the writer's caret stays in front of what the other person types at the same spot).
 */
export function transformPosition(position: number, delta: readonly DeltaOp[]): number {
  let index = 0;
  let result = position;
  for (const op of delta) {
    if (op.retain !== undefined) {
      index += op.retain;
    } else if (op.insert !== undefined) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1;
      if (index < result) result += length;
      index += length;
    } else if (op.delete !== undefined) {
      if (index < result) result -= Math.min(op.delete, result - index);
    }
  }
  return result;
}

export interface TextareaBindingOptions {
  /**
   * Applies a local change to the text. Defaults to a delete + insert in one transaction; the app passes its own
   * to tag the transaction and note the edit in the audit. Whatever it does, the textarea is then reset to the text,
   * so a refused change (a locked record) disappears from the screen too.
   */
  readonly apply?: (text: Y.Text, change: TextChange) => void;
}

function defaultApply(text: Y.Text, change: TextChange): void {
  const write = () => {
    if (change.deleteCount > 0) text.delete(change.index, change.deleteCount);
    if (change.insert !== '') text.insert(change.index, change.insert);
  };
  if (text.doc) text.doc.transact(write);
  else write();
}

/** Binds `textarea` to `text` until the returned function is called. The textarea must be uncontrolled. */
export function bindTextarea(
  text: Y.Text,
  textarea: HTMLTextAreaElement,
  options: TextareaBindingOptions = {},
): () => void {
  const apply = options.apply ?? defaultApply;
  let applying = false;
  let composing = false;
  /** The text as the textarea last showed it; local changes are measured against it. */
  let shown = text.toJSON();
  /** Remote changes that arrived while an input method was composing, not yet shown. */
  let waiting: (readonly DeltaOp[])[] = [];
  textarea.value = shown;

  const show = (deltas: readonly (readonly DeltaOp[])[], caretHint: number | null) => {
    let start = caretHint ?? textarea.selectionStart;
    let end = caretHint ?? textarea.selectionEnd;
    const direction = textarea.selectionDirection;
    for (const delta of deltas) {
      start = transformPosition(start, delta);
      end = transformPosition(end, delta);
    }
    shown = text.toJSON();
    textarea.value = shown;
    // Kept whether or not the textarea has focus: the selection is still there when the writer comes back to it.
    textarea.setSelectionRange(Math.min(start, shown.length), Math.min(end, shown.length), direction);
  };

  const onInput = () => {
    if (composing) return;
    const change = diffText(shown, textarea.value, textarea.selectionEnd);
    const deltas = waiting;
    waiting = [];
    if (change === null) {
      if (deltas.length > 0) show(deltas, null);
      return;
    }
    // Measured against what was shown; carried through remote changes the textarea has not shown yet.
    let from = change.index;
    let to = change.index + change.deleteCount;
    for (const delta of deltas) {
      from = transformPosition(from, delta);
      to = Math.max(from, transformPosition(to, delta));
    }
    const caretAfter = from + change.insert.length;
    applying = true;
    try {
      apply(text, { index: from, deleteCount: to - from, insert: change.insert });
    } finally {
      applying = false;
    }
    if (deltas.length > 0 || textarea.value !== text.toJSON()) show([], caretAfter);
    else shown = textarea.value;
  };

  const observer = (event: Y.YTextEvent) => {
    if (applying) return;
    const delta = event.delta as DeltaOp[];
    if (composing) waiting.push(delta);
    else show([delta], null);
  };

  const onCompositionStart = () => {
    composing = true;
  };
  const onCompositionEnd = () => {
    composing = false;
    onInput();
  };

  text.observe(observer);
  textarea.addEventListener('input', onInput);
  textarea.addEventListener('compositionstart', onCompositionStart);
  textarea.addEventListener('compositionend', onCompositionEnd);
  return () => {
    text.unobserve(observer);
    textarea.removeEventListener('input', onInput);
    textarea.removeEventListener('compositionstart', onCompositionStart);
    textarea.removeEventListener('compositionend', onCompositionEnd);
  };
}
