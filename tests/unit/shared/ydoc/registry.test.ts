import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { recordHistory, updateResident } from '@shared/domain/registry/commands';
import {
  CREATED_FIELDS,
  collectionMap,
  listRecords,
  readRecord,
  recordField,
  recordValue,
  snapshotRegistry,
} from '@shared/ydoc/registry';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
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

  it('creates a record as one created value, and a later edit as one key of its own that wins over it', () => {
    const { doc, ctx, household } = smallRegistry();
    const id = unwrap(addResident(doc, ctx, household, { name: '赵六', phone: '13800000000' }));
    const map = collectionMap(doc, 'residents').get(id)!;
    expect([...map.keys()]).toEqual([CREATED_FIELDS]);
    unwrap(updateResident(doc, ctx, { id, changes: { phone: '13911112222' } }));
    expect([...map.keys()].sort()).toEqual([CREATED_FIELDS, 'phone', 'updatedAt'].sort());
    expect(JSON.parse(map.get(CREATED_FIELDS) as string)).toMatchObject({ phone: '13800000000' }); // overridden
    expect(recordField(map, 'phone')).toBe('13911112222');
    expect(recordField(map, 'name')).toBe('赵六');
    expect(readRecord(doc, 'residents', id)).toMatchObject({ id, name: '赵六', phone: '13911112222' });
    expect(recordValue(map)).not.toHaveProperty(CREATED_FIELDS);
    // Cleared to null: the null wins over the created value too.
    unwrap(updateResident(doc, ctx, { id, changes: { phone: null } }));
    expect(readRecord(doc, 'residents', id)?.phone).toBeNull();
  });

  it('reads a record written one key per field (before created values) the same way', () => {
    const { doc } = smallRegistry();
    doc.transact(() => {
      const map = collectionMap(doc, 'residents').set('old-1', new Y.Map<unknown>());
      for (const [key, value] of Object.entries({ id: 'old-1', name: '钱七', phone: '13700000000', tags: ['独居'] })) {
        map.set(key, value);
      }
    });
    const map = collectionMap(doc, 'residents').get('old-1')!;
    expect(recordField(map, 'name')).toBe('钱七');
    expect(recordField(map, 'missing')).toBeUndefined();
    expect(readRecord(doc, 'residents', 'old-1')).toEqual({
      id: 'old-1',
      name: '钱七',
      phone: '13700000000',
      tags: ['独居'],
    });
  });

  it('reads a record whose created value is not JSON as its own keys, without throwing', () => {
    const { doc } = smallRegistry();
    doc.transact(() => {
      const map = collectionMap(doc, 'residents').set('odd-1', new Y.Map<unknown>());
      map.set(CREATED_FIELDS, '{"name": "孙八"'); // cut short
      map.set('id', 'odd-1');
    });
    expect(readRecord(doc, 'residents', 'odd-1')).toEqual({ id: 'odd-1' });
    expect(recordField(collectionMap(doc, 'residents').get('odd-1')!, 'name')).toBeUndefined();
  });

  it('keeps a big registry to about two Yjs items per record', () => {
    const { doc } = generateDemoCommunity(7, { residents: 2_000 });
    let items = 0;
    doc.store.clients.forEach((structs) => (items += structs.length));
    const records = ['residents', 'households', 'buildings', 'entrances'] as const;
    const count = records.reduce((sum, c) => sum + collectionMap(doc, c).size, 0);
    // One key per field was 21 items per resident (households included); a record map and its created value are 2.
    expect(count).toBeGreaterThan(2_000);
    expect(items / count).toBeLessThan(2.2);
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

  it('keeps both edits of different fields of a resident created on one device and edited on both', () => {
    const { desktop, laptop, resident } = twoDevices();
    // The resident was created (one created value) on the desktop before the laptop copied it.
    expect([...collectionMap(laptop, 'residents').get(resident)!.keys()]).toEqual([CREATED_FIELDS]);
    unwrap(updateResident(desktop, makeCtx({ user: 'office' }), { id: resident, changes: { name: '赵六一' } }));
    unwrap(updateResident(laptop, makeCtx({ user: 'field' }), { id: resident, changes: { phone: '13911112222' } }));
    sync(desktop, laptop);
    for (const doc of [desktop, laptop]) {
      expect(readRecord(doc, 'residents', resident)).toMatchObject({ name: '赵六一', phone: '13911112222' });
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
