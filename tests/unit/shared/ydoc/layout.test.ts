import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand, plan, type AuditStamp, type CommandContext } from '@shared/domain/kernel';
import { canWriteLayout, CURRENT_LAYOUT, documentLayout, LAYOUT_MAP, markLayout } from '@shared/ydoc/layout';

const ctx: CommandContext = {
  actor: { userId: 'u1', userName: '王芳', deviceId: 'd1' },
  now: () => new Date('2026-12-02T08:00:00Z'),
  newId: () => 'id-1',
  permissions: new Set(['registry.edit']),
};

const setName = defineCommand({
  name: 'setName',
  permission: 'registry.edit',
  input: z.object({ name: z.string() }),
  journal: (doc: Y.Doc, entries: readonly (AuditStamp & { action: string })[]) => {
    doc.getArray('audit').push([...entries]);
  },
  plan: (doc, input) =>
    plan(input.name, (audit) => {
      doc.getMap<string>('meta').set('name', input.name);
      audit({ action: 'update' });
    }),
});

/** Syncs `from` into `to` the way two devices do (whole state as one update). */
function syncInto(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

describe('document layout versions', () => {
  it('reads a document without marks as layout 1, and the highest mark otherwise', () => {
    const doc = new Y.Doc();
    expect(documentLayout(doc)).toBe(1);
    markLayout(doc, 3);
    markLayout(doc, 2);
    doc.getMap(LAYOUT_MAP).set('note', 'not a mark');
    expect(documentLayout(doc)).toBe(3);
  });

  it('keeps the higher layout when two devices mark at once (one key per version, not a last-writer-wins number)', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.clientID = 1;
    b.clientID = 2;
    markLayout(a, 3);
    markLayout(b, 2);
    syncInto(a, b);
    syncInto(b, a);
    expect(documentLayout(a)).toBe(3);
    expect(documentLayout(b)).toBe(3);
  });

  it('writes no mark for layout 1 and none twice', () => {
    const doc = new Y.Doc();
    markLayout(doc, 1);
    expect(doc.getMap(LAYOUT_MAP).size).toBe(0);
    markLayout(doc, 2);
    const before = Y.encodeStateAsUpdate(doc).byteLength;
    markLayout(doc, 2);
    expect(Y.encodeStateAsUpdate(doc).byteLength).toBe(before);
  });

  it('an older app reads and syncs a document a newer app marked, but its commands refuse to write to it', () => {
    const newer = new Y.Doc();
    newer.transact(() => {
      newer.getMap<string>('meta').set('name', '东湖社区');
      newer.getMap<unknown>('residentsByCompound').set('c1', 'a layout this app does not know');
      markLayout(newer, CURRENT_LAYOUT + 1);
    });
    const older = new Y.Doc();
    syncInto(newer, older);
    expect(canWriteLayout(older)).toBe(false);
    expect(older.getMap<string>('meta').get('name')).toBe('东湖社区');

    const before = Y.encodeStateVector(older);
    const refused = setName(older, ctx, { name: '改名' });
    expect(refused.ok ? null : refused.error.code).toBe('layout-too-new');
    expect(refused.ok ? null : refused.error.params).toEqual({ layout: CURRENT_LAYOUT + 1 });
    expect(Y.encodeStateVector(older)).toEqual(before);
    expect(older.getMap<string>('meta').get('name')).toBe('东湖社区');

    // What it does not know is passed on untouched to a third device.
    const third = new Y.Doc();
    syncInto(older, third);
    expect(third.getMap<unknown>('residentsByCompound').get('c1')).toBe('a layout this app does not know');
  });

  it('writes as usual to documents of its own layout or older', () => {
    const doc = new Y.Doc();
    const done = setName(doc, ctx, { name: '东湖社区' });
    expect(done.ok).toBe(true);
    expect(doc.getMap<string>('meta').get('name')).toBe('东湖社区');
    expect(documentLayout(doc)).toBe(CURRENT_LAYOUT);
    // Reading the layout adds nothing to a document (no empty `layout` map a twin or a reader would then see).
    expect(doc.share.has(LAYOUT_MAP)).toBe(false);
  });
});
