import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteResident, updateResident } from '@shared/domain/registry/commands';
import { idNumberIndex } from '@shared/domain/registry/idIndex';
import type { ResidentId } from '@shared/domain/registry/types';
import { collectionMap, listRecords } from '@shared/ydoc/registry';
import { addResident, errorOf, freshId, makeCtx, smallRegistry, unwrap } from './fixtures';

/** Two devices holding one registry; `sync` exchanges what each lacks. */
function twoDevices() {
  const here = smallRegistry(makeCtx({ user: 'here' }));
  const there = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(there, Y.encodeStateAsUpdate(here.doc, Y.encodeStateVector(there)), 'remote');
    Y.applyUpdate(here.doc, Y.encodeStateAsUpdate(there, Y.encodeStateVector(here.doc)), 'remote');
  };
  sync();
  return { ...here, there, thereCtx: makeCtx({ user: 'there' }), sync };
}

/** The index as a scan of the document would build it: ID number -> living residents holding it. */
function scan(doc: Y.Doc): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { id, deletedAt, idNumber } of listRecords(doc, 'residents')) {
    if (deletedAt != null) continue;
    if (typeof idNumber === 'string') out.set(idNumber, [...(out.get(idNumber) ?? []), id].sort());
  }
  return out;
}

function expectIndexMatchesScan(doc: Y.Doc): void {
  const index = idNumberIndex(doc);
  const expected = scan(doc);
  expect(index.size).toBe(expected.size);
  for (const [idNumber, ids] of expected) expect([...index.holders(idNumber)].sort()).toEqual(ids);
}

describe('the ID-number index follows the document', () => {
  it('refuses a duplicate after a remote create, frees the number on delete, refuses it again after a restore', () => {
    const { doc, ctx, household, there, thereCtx, sync } = twoDevices();
    const mine = unwrap(addResident(doc, ctx, household));
    idNumberIndex(doc); // built now; from here on it only follows changes

    // Another device registers someone with an ID number; it arrives by sync.
    const taken = freshId();
    const theirs = unwrap(addResident(there, thereCtx, household, { name: '李四', idNumber: taken }));
    sync();
    expect(errorOf(updateResident(doc, ctx, { id: mine, changes: { idNumber: taken } })).code).toBe(
      'id-number.duplicate',
    );
    expect(errorOf(addResident(doc, ctx, household, { idNumber: taken })).code).toBe('id-number.duplicate');

    // They delete that person (soft delete): the number is free here once it arrives.
    unwrap(deleteResident(there, thereCtx, { id: theirs }));
    sync();
    expect(unwrap(updateResident(doc, ctx, { id: mine, changes: { idNumber: taken } }))).toContain('idNumber');

    // Give it back, then the deleted record is restored on the other device (deletedAt cleared).
    const other = freshId();
    unwrap(updateResident(doc, ctx, { id: mine, changes: { idNumber: other } }));
    sync();
    there.transact(() => collectionMap(there, 'residents').get(theirs)?.set('deletedAt', null));
    sync();
    expect(errorOf(updateResident(doc, ctx, { id: mine, changes: { idNumber: taken } })).code).toBe(
      'id-number.duplicate',
    );

    // A remote change of their ID number frees the old one and takes the new one.
    const next = freshId();
    unwrap(updateResident(there, thereCtx, { id: theirs, changes: { idNumber: next } }));
    sync();
    expect(unwrap(updateResident(doc, ctx, { id: mine, changes: { idNumber: taken } }))).toContain('idNumber');
    expect(errorOf(addResident(doc, ctx, household, { idNumber: next })).code).toBe('id-number.duplicate');
    expectIndexMatchesScan(doc);
  });

  it('a duplicate made by a merge is indexed under both, and does not block other edits of either', () => {
    const { doc, ctx, household, there, thereCtx, sync } = twoDevices();
    idNumberIndex(doc);
    const same = freshId();
    const a = unwrap(addResident(doc, ctx, household, { idNumber: same }));
    const b = unwrap(addResident(there, thereCtx, household, { idNumber: same, name: '张三' }));
    sync();
    expect([...idNumberIndex(doc).holders(same)].sort()).toEqual([a, b].sort());
    expect(unwrap(updateResident(doc, ctx, { id: a, changes: { phone: '13900002222' } }))).toEqual(['phone']);
    // Fixing one of them to another number resolves it.
    unwrap(updateResident(doc, ctx, { id: b, changes: { idNumber: freshId() } }));
    expect([...idNumberIndex(doc).holders(same)]).toEqual([a]);
    expectIndexMatchesScan(doc);
  });

  it('equals a scan of the document after random local and remote edits, deletes and restores', () => {
    const { doc, ctx, household, there, thereCtx, sync } = twoDevices();
    idNumberIndex(doc);
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const numbers = Array.from({ length: 12 }, () => freshId());
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    for (let step = 0; step < 300; step++) {
      const [target, targetCtx] = next() < 0.5 ? [doc, ctx] : [there, thereCtx];
      const ids = [...collectionMap(target, 'residents').keys()] as ResidentId[];
      const roll = next();
      if (roll < 0.3 || ids.length === 0) addResident(target, targetCtx, household, { idNumber: pick(numbers) });
      else if (roll < 0.55) updateResident(target, targetCtx, { id: pick(ids), changes: { idNumber: pick(numbers) } });
      else if (roll < 0.7) deleteResident(target, targetCtx, { id: pick(ids) });
      else if (roll < 0.8) {
        // Restore (what a history restore or an older device may write): clear deletedAt.
        const id = pick(ids);
        target.transact(() => collectionMap(target, 'residents').get(id)?.set('deletedAt', null));
      } else if (roll < 0.85) {
        // A raw remote write of the ID number field itself.
        const id = pick(ids);
        target.transact(() => collectionMap(target, 'residents').get(id)?.set('idNumber', pick(numbers)));
      }
      if (next() < 0.3) sync();
      expectIndexMatchesScan(doc);
    }
    sync();
    expectIndexMatchesScan(doc);
    expectIndexMatchesScan(there);
  });
});
