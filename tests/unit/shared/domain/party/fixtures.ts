/** A small registry and a context for the party-building tests: built by hand, the records the commands read. */
import * as Y from 'yjs';
import type { CommandContext, CommandResult, Permission } from '@shared/domain/kernel';
import { insertRecord } from '@shared/ydoc/registry';

export const COMPOUND = 'cmp-1';
export const OTHER_COMPOUND = 'cmp-2';
/** Party members 王建国 and 李秀英, 张伟 who is not one, and 赵敏 who moved away (deleted). */
export const MEMBER = 'res-wang';
export const MEMBER2 = 'res-li';
export const RESIDENT = 'res-zhang';
export const GONE = 'res-zhao';

export function must<T>(result: CommandResult<T>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

let n = 0;
export function ctxAt(day: string, permissions: readonly Permission[] = ['party.edit']): CommandContext {
  return {
    actor: { userId: 'u-office', userName: '社区 刘芳', deviceId: 'dev-1' },
    now: () => new Date(`${day}T02:00:00Z`),
    newId: () => `id-${String(++n).padStart(4, '0')}`,
    permissions: new Set(permissions),
  };
}

function resident(id: string, name: string, tags: string[], extra: Record<string, unknown> = {}) {
  return {
    id,
    name,
    sex: 'male',
    birthDate: '1970-01-01',
    idNumber: '',
    phone: null,
    householdId: 'hh-1',
    relation: 'self',
    tags,
    partyCheckIn: null,
    note: '',
    deletedAt: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

export function registryDoc(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const [id, name] of [
      [COMPOUND, '锦绣花园'],
      [OTHER_COMPOUND, '滨江小区'],
    ] as const) {
      insertRecord(doc, 'compounds', id, { id, name, kind: 'commercial', address: '', ownersCommittee: [] });
    }
    insertRecord(doc, 'residents', MEMBER, resident(MEMBER, '王建国', ['party-member']));
    insertRecord(doc, 'residents', MEMBER2, resident(MEMBER2, '李秀英', ['party-member']));
    insertRecord(doc, 'residents', RESIDENT, resident(RESIDENT, '张伟', []));
    insertRecord(
      doc,
      'residents',
      GONE,
      resident(GONE, '赵敏', ['party-member'], { deletedAt: '2026-02-01T00:00:00Z' }),
    );
  });
  return doc;
}
