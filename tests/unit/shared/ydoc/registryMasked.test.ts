import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { updateResident } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { maskIdNumber, maskPhone } from '@shared/domain/registry/mask';
import { appendAudit, AUDIT_ARRAY, auditArray, CREATED_FIELDS, listRecords, readRecord } from '@shared/ydoc/registry';
import {
  applyMaskedChanges,
  MaskedChanges,
  MASK_DEPTH,
  MASKING_MAP,
  MASKING_VERSION,
  maskText,
  maskValue,
  reconcileMasked,
} from '@shared/ydoc/registryMasked';
import { fullValuesIn, holdsNoFullValue } from '../../../integration/sync-server/fullValues';
import { addResident, makeCtx, smallRegistry, unwrap } from '../domain/registry/fixtures';

const ORIGIN = { kind: 'test-mask' };

/** The audit array as a device writing outside the commands sees it: any value. */
const rawAudit = (doc: Y.Doc) => doc.getArray<unknown>(AUDIT_ARRAY);

function masked(source: Y.Doc): { target: Y.Doc; known: Set<string> } {
  const target = new Y.Doc();
  const { knownAudit } = reconcileMasked(source, target, ORIGIN);
  return { target, known: knownAudit };
}

describe('the masked registry', () => {
  it('holds every record, meta and audit entry of the registry, with no full ID number or mobile anywhere', () => {
    const { doc } = generateDemoCommunity(7, { residents: 300 });
    const full = Y.encodeStateAsUpdate(doc);
    // The demo holds full values (else this test proves nothing).
    expect(fullValuesIn(full).idNumbers.length).toBeGreaterThan(250);
    expect(fullValuesIn(full).mobiles.length).toBeGreaterThan(100);

    const { target } = masked(doc);
    expect(fullValuesIn(Y.encodeStateAsUpdate(target))).toEqual({ idNumbers: [], mobiles: [] });
    const residents = listRecords(doc, 'residents');
    const maskedResidents = new Map(listRecords(target, 'residents').map((r) => [r.id, r]));
    expect(maskedResidents.size).toBe(residents.length);
    for (const resident of residents) {
      const copy = maskedResidents.get(resident.id);
      expect(copy).toEqual({
        ...resident,
        idNumber: maskIdNumber(resident.idNumber),
        phone: resident.phone === null ? null : maskPhone(resident.phone),
      });
    }
    for (const collection of ['households', 'buildings', 'zones', 'compounds', 'partyOrgs'] as const) {
      expect(listRecords(target, collection)).toEqual(listRecords(doc, collection));
    }
    const grid = listRecords(target, 'grids')[0];
    expect(grid?.workers[0]?.phone).toMatch(/^1\d\d\*{4}\d{4}$/);
    expect(target.getMap('meta').toJSON()).toEqual(doc.getMap('meta').toJSON());
    expect(auditArray(target).length).toBe(auditArray(doc).length);
  });

  it('follows a registry change with a write of that change only, masked', () => {
    const { doc, ctx, household } = smallRegistry(makeCtx({ user: 'office' }));
    const id = unwrap(addResident(doc, ctx, household, { name: '赵六', phone: '13800000000' }));
    const { target, known } = masked(doc);
    const changes = new MaskedChanges();
    doc.on('afterTransaction', (transaction: Y.Transaction) => changes.collect(transaction));
    const written: Uint8Array[] = [];
    target.on('update', (update: Uint8Array) => written.push(update));

    unwrap(updateResident(doc, ctx, { id, changes: { phone: '13999998888', note: '手机 13511112222' } }));
    expect([...(changes.records.get('residents')?.get(id) ?? [])].sort()).toEqual(['note', 'phone', 'updatedAt']);
    applyMaskedChanges(doc, target, changes, known, ORIGIN);
    changes.clear();

    expect(readRecord(target, 'residents', id)?.phone).toBe('139****8888');
    expect(readRecord(target, 'residents', id)?.note).toBe('手机 135****2222');
    expect(written).toHaveLength(1);
    // The change's bytes, and its audit entry (which keeps the values written), hold nothing in full.
    expect(holdsNoFullValue(written[0]!)).toBe(true);
    const last = auditArray(target).get(auditArray(target).length - 1) as { fields: Record<string, unknown> };
    expect(last.fields.phone).toBe('139****8888');
    // A small change costs a small write, not a copy of the community.
    expect(written[0]!.byteLength).toBeLessThan(1_000);
  });

  it('writes nothing when the masked document is already in line (a restart loads it, compares, and moves on)', () => {
    const { doc } = generateDemoCommunity(3, { residents: 100 });
    const { target } = masked(doc);
    const written: Uint8Array[] = [];
    target.on('update', (update: Uint8Array) => written.push(update));
    reconcileMasked(doc, target, ORIGIN);
    expect(written).toEqual([]);
  });

  it('compares created values again when the copy was written under other masking rules', () => {
    const { doc, ctx, household } = smallRegistry(makeCtx({ user: 'office' }));
    const id = unwrap(addResident(doc, ctx, household, { phone: '13800000000' }));
    const { target } = masked(doc);
    expect(target.getMap(MASKING_MAP).get('version')).toBe(MASKING_VERSION);
    // A copy of an older version, whose created value masked less (here: nothing).
    const record = target.getMap<Y.Map<unknown>>('residents').get(id)!;
    record.set(CREATED_FIELDS, doc.getMap<Y.Map<unknown>>('residents').get(id)!.get(CREATED_FIELDS));
    reconcileMasked(doc, target, ORIGIN);
    expect(readRecord(target, 'residents', id)?.phone).toBe('13800000000');
    target.getMap(MASKING_MAP).set('version', 0);
    reconcileMasked(doc, target, ORIGIN);
    expect(readRecord(target, 'residents', id)?.phone).toBe('138****0000');
    expect(target.getMap(MASKING_MAP).get('version')).toBe(MASKING_VERSION);
  });

  it("reports the viewer's entries the registry lacks, and does not append them twice when they come back", () => {
    const { doc, ctx, household } = smallRegistry(makeCtx({ user: 'office' }));
    unwrap(addResident(doc, ctx, household));
    const { target } = masked(doc);
    const print = {
      id: 'viewer-print-1',
      at: '2026-03-01T03:00:00.000Z',
      userId: 'leader',
      userName: '领导',
      deviceId: 'd-viewer',
      action: 'print' as const,
      collection: 'residents',
      recordId: 'x',
      fields: { document: 'agreement' },
    };
    appendAudit(target, [print]);
    const { missingInSource, knownAudit } = reconcileMasked(doc, target, ORIGIN);
    expect(missingInSource).toEqual([print]);
    // The server carries it into the registry; the registry's change comes back and is recognised.
    const changes = new MaskedChanges();
    doc.on('afterTransaction', (transaction: Y.Transaction) => changes.collect(transaction));
    appendAudit(doc, [print]);
    expect(changes.audit).toEqual([print]);
    applyMaskedChanges(doc, target, changes, knownAudit, ORIGIN);
    const ids = auditArray(target)
      .toArray()
      .map((entry) => entry.id);
    expect(ids.filter((id) => id === print.id)).toHaveLength(1);
    expect(ids).toHaveLength(auditArray(doc).length);
  });

  it('follows a record removed and a meta key changed', () => {
    const { doc, ctx, household } = smallRegistry(makeCtx({ user: 'office' }));
    const id = unwrap(addResident(doc, ctx, household));
    const { target, known } = masked(doc);
    const changes = new MaskedChanges();
    doc.on('afterTransaction', (transaction: Y.Transaction) => changes.collect(transaction));
    doc.transact(() => {
      doc.getMap('residents').delete(id);
      doc.getMap('meta').set('communityName', '西河社区');
    });
    applyMaskedChanges(doc, target, changes, known, ORIGIN);
    expect(readRecord(target, 'residents', id)).toBeNull();
    expect(target.getMap('meta').get('communityName')).toBe('西河社区');
  });

  it('masks ID numbers and mobiles inside free text, and keys named idNumber and phone whatever their shape', () => {
    expect(maskText('电话13812345678，身份证511302198005170011。')).toBe('电话138****5678，身份证5113**********0011。');
    expect(maskText('编号 2026030100001')).toBe('编号 2026030100001');
    expect(maskValue({ workers: [{ name: '甲', phone: '0817-2345678' }], idNumber: 'A1234567' })).toEqual({
      workers: [{ name: '甲', phone: '0817-***5678' }],
      idNumber: '****4567',
    });
  });
  it('masks numbers written in groups, with +86, or in full-width digits, and leaves dates, amounts and ids alone', () => {
    const cases: [string, string][] = [
      ['电话 138-1234-5678。', '电话 138-****-5678。'],
      ['电话 138 1234 5678', '电话 138 **** 5678'],
      ['电话 138 12345678', '电话 138 ****5678'],
      ['手机 +86 138 1234 5678', '手机 +86 138 **** 5678'],
      ['手机+8613812345678', '手机+86138****5678'],
      ['手机８６１３８１２３４５６７８', '手机８６１３８****５６７８'],
      ['电话１３８－１２３４－５６７８', '电话１３８－****－５６７８'],
      ['身份证 511302 19800517 0011', '身份证 5113** ******** 0011'],
      ['身份证 511302-19800517-001X', '身份证 5113**-********-001X'],
      ['身份证５１１３０２１９８００５１７００１１', '身份证５１１３**********００１１'],
    ];
    for (const [text, expected] of cases) expect(maskText(text)).toBe(expected);
    // Whole numbers mask exactly as the screens' masks do.
    expect(maskText('电话13812345678')).toBe('电话138****5678');
    // Not numbers of a person: left as they are.
    for (const text of [
      '2026-12-01 13:00 收费 1200 元',
      'id 550e8400-e29b-41d4-a716-446655440000',
      '1 2 3 4 5 6 7 8 9 10 11',
      '(2026)顺人调字第 3 号 面积 100-200 平方米',
      '编号 2026030100001',
    ]) {
      expect(maskText(text)).toBe(text);
    }
    // Masking twice changes nothing more.
    for (const [, expected] of cases) expect(maskText(expected)).toBe(expected);
  });
  it('an audit entry nested 4,000 deep (which Yjs reads) neither throws nor stops the copy: its depth is withheld', () => {
    const { doc, ctx, household } = smallRegistry(makeCtx({ user: 'office' }));
    const id = unwrap(addResident(doc, ctx, household, { name: '赵六', phone: '13800000000' }));
    let deep: unknown = '13812345678';
    for (let level = 0; level < 4_000; level++) deep = [deep];
    // Written by a hostile device outside the commands, and received as the server receives it.
    const hostile = new Y.Doc();
    Y.applyUpdate(hostile, Y.encodeStateAsUpdate(doc));
    rawAudit(hostile).push([{ id: 'deep-1', fields: { note: deep } }]);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(hostile, Y.encodeStateVector(doc)));

    const { target, known } = masked(doc);
    const copied = auditArray(target)
      .toArray()
      .find((entry) => (entry as { id?: string }).id === 'deep-1');
    expect(copied).toBeDefined();
    expect(fullValuesIn(Y.encodeStateAsUpdate(target))).toEqual({ idNumbers: [], mobiles: [] });

    // The same entry arriving after the copy was made, with a change next to it: both written, the change masked.
    const changes = new MaskedChanges();
    doc.on('afterTransaction', (transaction: Y.Transaction) => changes.collect(transaction));
    rawAudit(hostile).push([{ id: 'deep-2', fields: { note: deep } }]);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(hostile, Y.encodeStateVector(doc)));
    unwrap(updateResident(doc, ctx, { id, changes: { phone: '13999998888' } }));
    applyMaskedChanges(doc, target, changes, known, ORIGIN);
    expect(readRecord(target, 'residents', id)?.phone).toBe('139****8888');
    expect(known.has('deep-2')).toBe(true);
  });

  it('keeps MASK_DEPTH levels of a value and withholds what lies deeper (the walk is bounded whatever the input)', () => {
    let deep: unknown = '13812345678';
    for (let level = 0; level < MASK_DEPTH + 5; level++) deep = { inner: deep };
    let masked = maskValue(deep);
    for (let level = 0; level < MASK_DEPTH; level++) masked = (masked as { inner: unknown }).inner;
    expect(masked).toBeNull();
    let shallow: unknown = '13812345678';
    for (let level = 0; level < MASK_DEPTH; level++) shallow = [shallow];
    expect(JSON.stringify(maskValue(shallow))).toContain('138****5678');
  });

  it('copies an audit entry without an id once, not again at every load (nor two alike as one)', () => {
    const { doc } = smallRegistry(makeCtx({ user: 'office' }));
    rawAudit(doc).push([
      { action: 'note', text: '电话 13812345678' },
      { action: 'note', text: '电话 13812345678' },
    ]);
    const { target } = masked(doc);
    const unnamed = () =>
      auditArray(target)
        .toArray()
        .filter((entry) => (entry as { id?: unknown }).id === undefined);
    expect(unnamed()).toEqual([
      { action: 'note', text: '电话 138****5678' },
      { action: 'note', text: '电话 138****5678' },
    ]);
    // Each load of the server compares the whole registry again.
    reconcileMasked(doc, target, ORIGIN);
    reconcileMasked(doc, target, ORIGIN);
    expect(unnamed()).toHaveLength(2);
    rawAudit(doc).push([{ action: 'note', text: '电话 13812345678' }]);
    reconcileMasked(doc, target, ORIGIN);
    expect(unnamed()).toHaveLength(3);
  });
});
