import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createResident, deleteResident, updateCompound, updateResident } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { makeIdNumber } from '@shared/domain/registry/idNumber';
import { residentSearchKeys } from '@shared/domain/registry/searchKeys';
import { makeRowsSnapshot } from '@shared/sync/rowsSnapshot';
import { collectionMap, listRecords } from '@shared/ydoc/registry';
import { WorkstationDb } from '../../../../renderer/data/db';
import { MemoryKeyRing } from '../../../../renderer/data/keyring';
import { RegistryProjection, type ProjectionChange } from '../../../../renderer/data/projection';
import { changedSince } from '../../../../renderer/data/projectionCatchUp';
import { readListHead, readRecordRows, readResidentRows } from '../../../../renderer/data/projectionRows';
import { SealedRows } from '../../../../renderer/data/sealed';
import { makeCtx } from '../../shared/domain/registry/fixtures';

const DOC = 'demo/registry';
const dbs: WorkstationDb[] = [];

function freshDb(): WorkstationDb {
  const db = new WorkstationDb(`adopt-${Math.random().toString(36).slice(2)}`, new SealedRows(new MemoryKeyRing()));
  dbs.push(db);
  return db;
}

afterEach(async () => {
  for (const db of dbs.splice(0)) {
    db.close();
    await db.delete();
  }
});

async function tables(db: WorkstationDb) {
  const residents = (await readResidentRows(db, DOC)).sort((a, b) => a.id.localeCompare(b.id));
  const records = (await readRecordRows(db, DOC)).sort((a, b) =>
    `${a.collection}/${a.id}`.localeCompare(`${b.collection}/${b.id}`),
  );
  const head = await readListHead(db, DOC);
  return { residents, records, head: head && { total: head.total, ids: head.rows.map((row) => row.id) } };
}

/** The server's edits after it made the rows: new, changed, moved and deleted residents, a rename, a removed field. */
function editAfterRows(server: Y.Doc): void {
  const ctx = makeCtx({ user: 'editor', device: 'office', idPrefix: 'after-' });
  const residents = listRecords(server, 'residents');
  updateResident(server, ctx, { id: residents[1]!.id, changes: { phone: '13900000001' } });
  updateResident(server, ctx, { id: residents[4]!.id, changes: { householdId: residents[300]!.householdId } });
  deleteResident(server, ctx, { id: residents[6]!.id });
  createResident(server, ctx, {
    name: '曾小贤',
    idNumber: makeIdNumber('511302', '1988-04-12', 321),
    householdId: residents[10]!.householdId,
  });
  const compound = listRecords(server, 'compounds')[0]!;
  updateCompound(server, ctx, { id: compound.id, changes: { name: `${compound.name}新` } });
  // A delete that adds no struct: a field set after the rows, then removed (a field set before them, removed after
  // them, is the case of the test below).
  collectionMap(server, 'residents').get(residents[1]!.id)?.delete('phone');
}

describe('rows adopted for a first sync', () => {
  it('list before the document arrives, then follow only what changed after them: a rebuild gives the same', async () => {
    const { doc: server } = generateDemoCommunity(21, { residents: 420, buildings: 6 });
    const rows = makeRowsSnapshot(server, DOC, residentSearchKeys);
    editAfterRows(server);

    const device = new Y.Doc();
    const db = freshDb();
    const projection = new RegistryProjection(db, DOC, device);
    const changes: ProjectionChange[] = [];
    projection.onChange((change) => changes.push(change));
    await projection.start();
    const rebuild = vi.spyOn(projection, 'rebuild');
    expect(await projection.adoptRows(rows)).toBe(true);
    expect(projection.awaitingDocument).toBe(true);
    // The list and the search index before any of the document: the rows as the server made them.
    const before = await tables(db);
    expect(before.residents).toHaveLength(420);
    expect(before.head?.total).toBe(rows.total);
    expect(changes.at(-1)?.everyone).toHaveLength(420);

    // The document arrives.
    Y.applyUpdate(device, Y.encodeStateAsUpdate(server), 'sync');
    await projection.settle();
    await projection.idle();
    expect(projection.awaitingDocument).toBe(false);
    expect(rebuild).not.toHaveBeenCalled();
    // Only the changed residents were projected after the rows, not everyone.
    const last = changes.at(-1)!;
    expect(last.everyone).toBeUndefined();
    expect(last.residents.length).toBeLessThan(420);

    const scratchDb = freshDb();
    const scratch = new RegistryProjection(scratchDb, DOC, device);
    await scratch.start();
    expect(await tables(db)).toEqual(await tables(scratchDb));
    expect((await db.projections.get(DOC))?.stateVector).toEqual(Y.encodeStateVector(device));
    // The next start finds the projection current: no rebuild.
    projection.stop();
    const again = new RegistryProjection(db, DOC, device);
    const rebuildAgain = vi.spyOn(again, 'rebuild');
    await again.start();
    expect(rebuildAgain).not.toHaveBeenCalled();
  });

  it('with nothing changed after them, are stamped with the document state without projecting anything', async () => {
    const { doc: server } = generateDemoCommunity(22, { residents: 90, buildings: 4 });
    const rows = makeRowsSnapshot(server, DOC, residentSearchKeys);
    const device = new Y.Doc();
    const db = freshDb();
    const projection = new RegistryProjection(db, DOC, device);
    await projection.start();
    expect(await projection.adoptRows(rows)).toBe(true);
    const rebuild = vi.spyOn(projection, 'rebuild');
    Y.applyUpdate(device, Y.encodeStateAsUpdate(server), 'sync');
    await projection.idle();
    expect(rebuild).not.toHaveBeenCalled();
    expect(changedSince(device, Y.decodeSnapshot(Uint8Array.from(rows.snapshot)))?.size).toBe(0);
    expect((await db.projections.get(DOC))?.stateVector).toEqual(Y.encodeStateVector(device));
  });

  it('are replaced by a rebuild when the document never holds their state', async () => {
    const { doc: server } = generateDemoCommunity(23, { residents: 120, buildings: 4 });
    const rows = makeRowsSnapshot(server, DOC, residentSearchKeys);
    // The server's document was replaced meanwhile: another history, which does not hold the rows' state.
    const { doc: other } = generateDemoCommunity(24, { residents: 80, buildings: 4 });
    const device = new Y.Doc();
    const db = freshDb();
    const projection = new RegistryProjection(db, DOC, device);
    await projection.start();
    expect(await projection.adoptRows(rows)).toBe(true);
    Y.applyUpdate(device, Y.encodeStateAsUpdate(other), 'sync');
    await projection.idle();
    // Still the rows until the answer is known whole.
    expect((await tables(db)).residents).toHaveLength(120);
    await projection.settle();
    await projection.idle();
    const scratchDb = freshDb();
    await new RegistryProjection(scratchDb, DOC, device).start();
    expect(await tables(db)).toEqual(await tables(scratchDb));
    expect((await tables(db)).residents).toHaveLength(80);
  });

  it('catch up a delete that adds no struct, and nothing deleted before them', () => {
    const { doc } = generateDemoCommunity(26, { residents: 40, buildings: 4 });
    const [first, second] = listRecords(doc, 'residents');
    const ctx = makeCtx({ user: 'editor', device: 'office' });
    // Fields set after a record was created are keys of their own (the first ones sit in its `@created` value).
    updateResident(doc, ctx, { id: first!.id, changes: { note: 'one' } });
    updateResident(doc, ctx, { id: second!.id, changes: { note: 'two' } });
    collectionMap(doc, 'residents').get(first!.id)?.delete('note');
    const since = Y.snapshot(doc);
    expect(changedSince(doc, since)?.size).toBe(0);
    collectionMap(doc, 'residents').get(second!.id)?.delete('note');
    expect(changedSince(doc, since)).toEqual(new Map([['residents', new Set([second!.id])]]));
    // A state the document does not hold: no catch-up.
    const { doc: other } = generateDemoCommunity(27, { residents: 5, buildings: 4 });
    expect(changedSince(new Y.Doc(), Y.snapshot(other))).toBeNull();
  });

  it('are refused for another document, or a document that already holds their state', async () => {
    const { doc: server } = generateDemoCommunity(25, { residents: 30, buildings: 4 });
    const projection = new RegistryProjection(freshDb(), DOC, server);
    await projection.start();
    expect(await projection.adoptRows(makeRowsSnapshot(server, DOC, residentSearchKeys))).toBe(false);
    expect(await projection.adoptRows(makeRowsSnapshot(server, 'other/registry', residentSearchKeys))).toBe(false);
  });
  it('are told to the screens, then sealed a bucket per task: the page draws and takes input in between', async () => {
    const { doc: server } = generateDemoCommunity(22, { residents: 640, buildings: 6 });
    const rows = makeRowsSnapshot(server, DOC, residentSearchKeys);
    const db = freshDb();
    const projection = new RegistryProjection(db, DOC, new Y.Doc());
    await projection.start();
    const seal = vi.spyOn(db.rows, 'residentBucket');
    /** Buckets handed to the sealing when each task scheduled as the screens hear of the rows ran. */
    const seenByTasks: number[] = [];
    projection.onChange(() => {
      for (let task = 0; task < 3; task++) setTimeout(() => seenByTasks.push(seal.mock.calls.length), 0);
    });
    expect(await projection.adoptRows(rows)).toBe(true);
    expect(seal).toHaveBeenCalledTimes(rows.residentBuckets.length);
    // In one go, every bucket was handed over before any other task ran (64 before the first timer).
    expect(seenByTasks).toHaveLength(3);
    expect(seenByTasks[2]).toBeLessThan(rows.residentBuckets.length / 4);
    expect((await tables(db)).residents).toHaveLength(640);
  });
});
