import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteResident, updateCompound, updateResident } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { residentSearchKeys } from '@shared/domain/registry/searchKeys';
import { listRecords } from '@shared/ydoc/registry';
import { LIST_HEAD_SIZE, recordBucketsOf, registryRows, RESIDENT_BUCKETS } from '@shared/ydoc/registryRows';
import { WorkstationDb } from '../../../../renderer/data/db';
import { MemoryKeyRing } from '../../../../renderer/data/keyring';
import { RegistryProjection } from '../../../../renderer/data/projection';
import { readListHead, readRecordRows, readResidentRows } from '../../../../renderer/data/projectionRows';
import { SealedRows } from '../../../../renderer/data/sealed';
import { makeCtx } from '../domain/registry/fixtures';

const DOC = 'demo/registry';
const dbs: WorkstationDb[] = [];

afterEach(async () => {
  for (const db of dbs.splice(0)) {
    db.close();
    await db.delete();
  }
});

function freshDb(): WorkstationDb {
  const db = new WorkstationDb(`rows-${Math.random().toString(36).slice(2)}`, new SealedRows(new MemoryKeyRing()));
  dbs.push(db);
  return db;
}

const byId = <T extends { id: string }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => a.id.localeCompare(b.id));
const byKey = <T extends { collection: string; id: string }>(rows: readonly T[]): T[] =>
  [...rows].sort((a, b) => `${a.collection}/${a.id}`.localeCompare(`${b.collection}/${b.id}`));

describe('registryRows (shared with the sync server)', () => {
  it('makes exactly the rows, buckets and list head the device projects, after edits', async () => {
    const { doc } = generateDemoCommunity(5, { residents: 450, buildings: 6 });
    const db = freshDb();
    const projection = new RegistryProjection(db, DOC, doc);
    await projection.start();
    // Edits followed incrementally by the device's projection (not a rebuild).
    const ctx = makeCtx({ user: 'editor', device: 'desk', idPrefix: 'rows-' });
    const residents = listRecords(doc, 'residents');
    updateResident(doc, ctx, { id: residents[3]!.id, changes: { phone: '13900000003' } });
    updateResident(doc, ctx, { id: residents[7]!.id, changes: { householdId: residents[100]!.householdId } });
    deleteResident(doc, ctx, { id: residents[9]!.id });
    const compound = listRecords(doc, 'compounds')[0]!;
    updateCompound(doc, ctx, { id: compound.id, changes: { name: `${compound.name}东` } });
    await projection.idle();
    projection.stop();

    const rows = registryRows(doc, DOC, residentSearchKeys);
    expect(rows.residents.length).toBe(residents.length);
    expect(byId(rows.residents)).toEqual(byId(await readResidentRows(db, DOC)));
    expect(byKey(rows.records)).toEqual(byKey(await readRecordRows(db, DOC)));
    expect(rows.residentBuckets).toHaveLength(RESIDENT_BUCKETS);
    expect(rows.residentBuckets.flat()).toHaveLength(rows.residents.length);
    const head = await readListHead(db, DOC);
    expect(head?.total).toBe(residents.length - 1);
    expect(rows.head.total).toBe(head?.total);
    expect(rows.head.rows).toHaveLength(LIST_HEAD_SIZE);
    expect(rows.head.rows.map((row) => row.id)).toEqual(head?.rows.map((row) => row.id));
    // Bucket by bucket, as the device stores them.
    for (const [bucket, bucketRows] of rows.residentBuckets.entries()) {
      const stored = await db.residentBuckets.get([DOC, bucket]);
      const opened = stored ? (JSON.parse(await db.rows.openResidentBucket(stored)) as { id: string }[]) : [];
      expect(byId(bucketRows).map((row) => row.id)).toEqual(byId(opened).map((row) => row.id));
    }
    const groups = recordBucketsOf(rows.records);
    expect(groups.reduce((sum, group) => sum + group.records.length, 0)).toBe(rows.records.length);
    expect(await db.recordBuckets.where('docName').equals(DOC).count()).toBe(groups.length);
  });

  it('leaves out a resident whose record arrived in part', () => {
    const { doc } = generateDemoCommunity(6, { residents: 20, buildings: 4 });
    const resident = listRecords(doc, 'residents')[0]!;
    const partial = new Y.Doc();
    Y.applyUpdate(partial, Y.encodeStateAsUpdate(doc));
    partial.getMap<Y.Map<unknown>>('residents').set('half', new Y.Map([['id', 'half']]));
    const rows = registryRows(partial, DOC, residentSearchKeys);
    expect(rows.residents.map((row) => row.id)).not.toContain('half');
    expect(rows.residents.map((row) => row.id)).toContain(resident.id);
  });
});
