import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  commit,
  defineCommand,
  isCommandOrigin,
  plan,
  refuse,
  type AuditStamp,
  type CommandContext,
  type Permission,
} from '@shared/domain/kernel';

interface Note {
  readonly action: string;
  readonly recordId: string;
}

const journal = (doc: Y.Doc, entries: readonly (AuditStamp & Note)[]) => {
  doc.getArray<AuditStamp & Note>('audit').push([...entries]);
};

function context(permissions: Permission[]): CommandContext {
  let n = 0;
  return {
    actor: { userId: 'u1', userName: '王芳', deviceId: 'd1' },
    now: () => new Date('2026-12-01T08:00:00Z'),
    newId: () => `id-${++n}`,
    permissions: new Set(permissions),
  };
}

const rename = defineCommand({
  name: 'rename',
  permission: 'registry.edit',
  input: z.object({ id: z.string().min(1), name: z.string().trim().min(1), note: z.string().default('') }),
  journal,
  plan: (doc, input, _ctx, env: { readonly suffix: string } | undefined) => {
    const names = doc.getMap<string>('names');
    if (!names.has(input.id)) return refuse('not-found', 'id');
    const name = input.name + (env?.suffix ?? '');
    if (names.get(input.id) === name) return plan(name, null);
    return plan(name, (audit) => {
      names.set(input.id, name);
      audit({ action: 'update', recordId: input.id });
    });
  },
});

function seeded(): Y.Doc {
  const doc = new Y.Doc();
  doc.getMap<string>('names').set('a', 'old');
  return doc;
}

describe('the command kernel', () => {
  it('checks the permission first, then the input, then the rule, and writes nothing on a refusal', () => {
    const doc = seeded();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    expect(rename(doc, context(['cases.edit']), { id: '', name: '' })).toEqual({
      ok: false,
      error: { code: 'permission-denied' },
    });
    expect(rename(doc, context(['registry.edit']), { id: 'a', name: ' ' })).toEqual({
      ok: false,
      error: { code: 'required', field: 'name' },
    });
    expect(rename(doc, context(['registry.edit']), { id: 'zz', name: 'x' })).toEqual({
      ok: false,
      error: { code: 'not-found', field: 'id' },
    });
    expect(updates).toHaveLength(0);
  });

  it('writes and audits in one transaction tagged with the command origin', () => {
    const doc = seeded();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const result = rename(doc, context(['admin']), { id: 'a', name: ' 新名 ' }, { suffix: '栋' });
    expect(result).toEqual({ ok: true, value: '新名栋' });
    expect(doc.getMap('names').get('a')).toBe('新名栋');
    expect(doc.getArray('audit').toArray()).toEqual([
      {
        id: 'id-1',
        at: '2026-12-01T08:00:00.000Z',
        userId: 'u1',
        userName: '王芳',
        deviceId: 'd1',
        action: 'update',
        recordId: 'a',
      },
    ]);
    expect(origins).toHaveLength(1);
    expect(isCommandOrigin(origins[0])).toBe(true);
    expect(origins[0]).toMatchObject({ command: 'rename', actor: { userId: 'u1' } });
    expect(rename.commandName).toBe('rename');
  });

  it('makes no transaction when the rule decides nothing changes', () => {
    const doc = seeded();
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    expect(rename(doc, context(['registry.edit']), { id: 'a', name: 'old' })).toEqual({ ok: true, value: 'old' });
    expect(transactions).toBe(0);
  });

  it('rolls nothing half-way: an audit entry exists exactly when its write does', () => {
    const doc = seeded();
    commit(doc, context(['admin']), 'two', journal, (audit) => {
      doc.getMap<string>('names').set('b', 'x');
      audit({ action: 'create', recordId: 'b' });
      doc.getMap<string>('names').set('c', 'y');
      audit({ action: 'create', recordId: 'c' });
    });
    const audit = doc.getArray<Note>('audit').toArray();
    expect(audit.map((e) => e.recordId)).toEqual(['b', 'c']);
    expect(new Set(audit.map((e) => (e as unknown as AuditStamp).id)).size).toBe(2);
  });

  it('types the input at the call site', () => {
    const doc = seeded();
    const ctx = context(['registry.edit']);
    // @ts-expect-error a field the command does not know is a compile error
    const wrong = rename(doc, ctx, { id: 'a', nmae: 'x' });
    expect(wrong.ok).toBe(false);
    // A default may be left out; the env is optional when the command allows undefined.
    expect(rename(doc, ctx, { id: 'a', name: 'y' }).ok).toBe(true);
  });
});
