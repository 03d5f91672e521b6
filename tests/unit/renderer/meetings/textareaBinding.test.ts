import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  bindTextarea,
  diffText,
  transformPosition,
} from '../../../../renderer/features/meetings/minutes/textareaBinding';

/** Types into a textarea the way a browser does: the value changes, the caret moves, an `input` event fires. */
function typeAt(textarea: HTMLTextAreaElement, at: number, typed: string, deleteBefore = 0): void {
  const value = textarea.value;
  textarea.value = value.slice(0, at - deleteBefore) + typed + value.slice(at);
  const caret = at - deleteBefore + typed.length;
  textarea.setSelectionRange(caret, caret);
  textarea.dispatchEvent(new Event('input', { bubbles: true }));
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  document.body.innerHTML = '';
});

function device(): { doc: Y.Doc; text: Y.Text; textarea: HTMLTextAreaElement } {
  const doc = new Y.Doc();
  const text = doc.getText('minutes');
  const textarea = document.createElement('textarea');
  document.body.append(textarea);
  cleanups.push(bindTextarea(text, textarea));
  return { doc, text, textarea };
}

describe('diffText', () => {
  it('finds one insertion in the middle', () => {
    expect(diffText('会议讨论', '会议充分讨论', 4)).toEqual({ index: 2, deleteCount: 0, insert: '充分' });
  });

  it('uses the caret where the change is ambiguous', () => {
    expect(diffText('aa', 'aaa', 1)).toEqual({ index: 0, deleteCount: 0, insert: 'a' });
    expect(diffText('aa', 'aaa', 3)).toEqual({ index: 2, deleteCount: 0, insert: 'a' });
    expect(diffText('aa', 'a', 0)).toEqual({ index: 0, deleteCount: 1, insert: '' });
  });

  it('replaces a selection as one delete and insert', () => {
    expect(diffText('同意加装电梯', '同意维修电梯', 4)).toEqual({ index: 2, deleteCount: 2, insert: '维修' });
  });

  it('never splits a surrogate pair', () => {
    const change = diffText('a😀b', 'a😃b', 3);
    expect(change).toEqual({ index: 1, deleteCount: 2, insert: '😃' });
  });

  it('reports nothing when the text is unchanged', () => {
    expect(diffText('一样', '一样')).toBeNull();
  });
});

describe('transformPosition', () => {
  it('moves a position after an insertion before it and not one before it', () => {
    expect(transformPosition(5, [{ retain: 2 }, { insert: 'abc' }])).toBe(8);
    expect(transformPosition(1, [{ retain: 2 }, { insert: 'abc' }])).toBe(1);
    expect(transformPosition(2, [{ retain: 2 }, { insert: 'abc' }])).toBe(2);
  });

  it('pulls a position back over a deletion and clamps it inside a deleted range', () => {
    expect(transformPosition(6, [{ retain: 1 }, { delete: 3 }])).toBe(3);
    expect(transformPosition(2, [{ retain: 1 }, { delete: 3 }])).toBe(1);
  });
});

describe('bindTextarea', () => {
  it('writes typing into the Y.Text as minimal changes', () => {
    const { text, textarea } = device();
    typeAt(textarea, 0, '主持人宣布开会');
    typeAt(textarea, 3, '张三');
    expect(text.toJSON()).toBe('主持人张三宣布开会');
    // A minimal change keeps the untouched text as the same items: the delta of the last edit is one insert.
    const deltas: unknown[] = [];
    text.observe((event) => deltas.push(event.delta));
    typeAt(textarea, 9, '。');
    expect(deltas).toEqual([[{ retain: 9 }, { insert: '。' }]]);
  });

  it('merges two writers typing into the same minutes, interleaved and offline, and both texts remain', () => {
    const a = device();
    const b = device();
    typeAt(a.textarea, 0, '议题一：加装电梯。');
    sync(a.doc, b.doc);
    expect(b.textarea.value).toBe('议题一：加装电梯。');

    // Both type while apart (no sync between them): A at the end, B at the start.
    typeAt(a.textarea, a.textarea.value.length, '甲：同意。');
    typeAt(b.textarea, 0, '乙：补充记录。');
    typeAt(a.textarea, a.textarea.value.length, '甲：再议。');
    typeAt(b.textarea, 7, '费用分摊待定。');
    sync(a.doc, b.doc);

    expect(a.text.toJSON()).toBe(b.text.toJSON());
    expect(a.textarea.value).toBe(a.text.toJSON());
    expect(b.textarea.value).toBe(b.text.toJSON());
    expect(a.textarea.value).toBe('乙：补充记录。费用分摊待定。议题一：加装电梯。甲：同意。甲：再议。');
  });

  it('keeps the caret on the same text when the other writer inserts before it', () => {
    const a = device();
    const b = device();
    typeAt(a.textarea, 0, '讨论情况');
    sync(a.doc, b.doc);
    // B's caret sits after "讨论" (position 2), with "情况" selected.
    b.textarea.setSelectionRange(2, 4);
    typeAt(a.textarea, 0, '【第一项】');
    sync(a.doc, b.doc);
    expect(b.textarea.value).toBe('【第一项】讨论情况');
    expect([b.textarea.selectionStart, b.textarea.selectionEnd]).toEqual([7, 9]);
    expect(b.textarea.value.slice(b.textarea.selectionStart, b.textarea.selectionEnd)).toBe('情况');
  });

  it('pulls the caret back when text before it is deleted remotely', () => {
    const a = device();
    const b = device();
    typeAt(a.textarea, 0, '多余的字讨论');
    sync(a.doc, b.doc);
    b.textarea.setSelectionRange(6, 6);
    typeAt(a.textarea, 4, '', 4);
    sync(a.doc, b.doc);
    expect(b.textarea.value).toBe('讨论');
    expect(b.textarea.selectionStart).toBe(2);
  });

  it('holds remote changes while an input method composes and merges them after', () => {
    const a = device();
    const b = device();
    typeAt(a.textarea, 0, '开始');
    sync(a.doc, b.doc);
    b.textarea.dispatchEvent(new Event('compositionstart'));
    b.textarea.value = '开始ni';
    b.textarea.setSelectionRange(4, 4);
    b.textarea.dispatchEvent(new Event('input'));
    typeAt(a.textarea, 0, '甲');
    sync(a.doc, b.doc);
    // Not rewritten under the composition, and nothing of the half-composed pinyin reached the document.
    expect(b.textarea.value).toBe('开始ni');
    expect(b.text.toJSON()).toBe('甲开始');
    b.textarea.value = '开始你';
    b.textarea.setSelectionRange(3, 3);
    b.textarea.dispatchEvent(new Event('compositionend'));
    expect(b.text.toJSON()).toBe('甲开始你');
    expect(b.textarea.value).toBe('甲开始你');
    expect(b.textarea.selectionStart).toBe(4);
  });

  it('undoes on screen a change the apply function refused', () => {
    const doc = new Y.Doc();
    const text = doc.getText('minutes');
    text.insert(0, '已锁定');
    const textarea = document.createElement('textarea');
    document.body.append(textarea);
    cleanups.push(bindTextarea(text, textarea, { apply: () => undefined }));
    typeAt(textarea, 3, '改动');
    expect(textarea.value).toBe('已锁定');
  });
});
