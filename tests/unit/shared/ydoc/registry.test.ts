import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { recordHistory, updateResident } from '@shared/domain/registry/commands';
import { collectionMap, listRecords, readRecord, snapshotRegistry } from '@shared/ydoc/registry';
import { addResident, makeCtx, smallRegistry, unwrap } from '../domain/registry/fixtures';

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function twoDevices() {
  const base = smallRegistry(makeCtx({ user: 'office' }));
  const resident = unwrap(addResident(base.doc, base.ctx, base.household, { name: '赵六', phone: '13800000000' }));
  const laptop = new Y.Doc();
  Y.applyUpdate(laptop, Y.encodeStateAsUpdate(base.doc));
  return { ...base, resident, desktop: base.doc, laptop };
}

describe('registry document layout', () => {
  it('keeps fields it does not know through a read and an update (a newer laptop wrote them)', () => {
    const { doc, ctx, household } = smallRegistry();
    const id = unwrap(addResident(doc, ctx, household));
    // A newer client adds a field this version does not know.
    doc.transact(() => collectionMap(doc, 'residents').get(id)?.set('healthCode', { level: 'green' }));
    expect(readRecord(doc, 'residents', id)).toMatchObject({ healthCode: { level: 'green' } });
    unwrap(updateResident(doc, ctx, { id, changes: { name: '张三丰' } }));
    expect(readRecord(doc, 'residents', id)).toMatchObject({ name: '张三丰', healthCode: { level: 'green' } });
    expect(listRecords(doc, 'residents').find((r) => r.id === id)).toMatchObject({ healthCode: { level: 'green' } });
  });

  it('returns null for an unknown id and a snapshot keyed by id', () => {
    const { doc, building } = smallRegistry();
    expect(readRecord(doc, 'residents', 'nope')).toBeNull();
    expect(snapshotRegistry(doc).buildings.get(building)?.name).toBe('3栋');
  });
});

describe('concurrent edits on two devices', () => {
  it('keeps both edits when two people change different fields of one resident offline', () => {
    const { desktop, laptop, resident } = twoDevices();
    unwrap(updateResident(desktop, makeCtx({ user: 'office' }), { id: resident, changes: { phone: '13911112222' } }));
    unwrap(updateResident(laptop, makeCtx({ user: 'field' }), { id: resident, changes: { note: '独居，每周探访' } }));
    sync(desktop, laptop);
    for (const doc of [desktop, laptop]) {
      expect(readRecord(doc, 'residents', resident)).toMatchObject({ phone: '13911112222', note: '独居，每周探访' });
    }
  });

  it('shows both values with who and when in the history when one field is edited concurrently', () => {
    const { desktop, laptop, resident } = twoDevices();
    const office = makeCtx({ user: 'office', start: '2026-03-02T01:00:00.000Z', idPrefix: 'o' });
    const field = makeCtx({ user: 'field', start: '2026-03-02T03:00:00.000Z', idPrefix: 'f' });
    unwrap(updateResident(desktop, office, { id: resident, changes: { phone: '13911112222' } }));
    unwrap(updateResident(laptop, field, { id: resident, changes: { phone: '13733334444' } }));
    sync(desktop, laptop);
    const winner = readRecord(desktop, 'residents', resident)?.phone;
    expect(readRecord(laptop, 'residents', resident)?.phone).toBe(winner);
    expect(['13911112222', '13733334444']).toContain(winner);
    const phoneEdits = recordHistory(desktop, 'residents', resident).filter(
      (e) => e.fields.phone !== undefined && e.action === 'update',
    );
    expect(phoneEdits.map((e) => [e.userId, e.at, e.fields.phone])).toEqual([
      ['office', '2026-03-02T01:00:00.000Z', '13911112222'],
      ['field', '2026-03-02T03:00:00.000Z', '13733334444'],
    ]);
    expect(recordHistory(laptop, 'residents', resident)).toEqual(recordHistory(desktop, 'residents', resident));
  });
});
