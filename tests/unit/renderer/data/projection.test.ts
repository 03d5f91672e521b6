import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  createHousehold,
  createResident,
  deleteResident,
  updateCompound,
  updateResident,
} from '@shared/domain/registry/commands';
import { generateDemoCommunity, mulberry32 } from '@shared/domain/registry/demo';
import { makeIdNumber } from '@shared/domain/registry/idNumber';
import { collectionMap, listRecords } from '@shared/ydoc/registry';
import { WorkstationDb } from '../../../../renderer/data/db';
import { MemoryKeyRing } from '../../../../renderer/data/keyring';
import { SealedRows } from '../../../../renderer/data/sealed';
import { RegistryProjection, type ProjectionChange } from '../../../../renderer/data/projection';
import {
  BUCKETS_PER_STEP,
  EMPTY_STATE_VECTOR,
  LIST_HEAD_SIZE,
  RESIDENT_BUCKETS,
  RESIDENT_KEYS_FORMAT,
  listHeadOf,
  readListHead,
  readRecordRows,
  readResidentRows,
} from '../../../../renderer/data/projectionRows';
import { makeCtx } from '../../shared/domain/registry/fixtures';

const DOC = 'demo/registry';
const dbs: WorkstationDb[] = [];

function freshDb(): WorkstationDb {
  const db = new WorkstationDb(
    `projection-${Math.random().toString(36).slice(2)}`,
    new SealedRows(new MemoryKeyRing()),
  );
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
  return { residents, records };
}

/** Another device corrected a household's address; it arrives by sync as a plain field change. */
function renameHouseholdRemotely(doc: Y.Doc, householdId: string, address: string): void {
  const remote = new Y.Doc();
  Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
  collectionMap(remote, 'households').get(householdId)?.set('address', address);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)), 'sync');
}

/** A random sequence of edits as offices make them: new people, moves, corrections, departures, renames. */
function randomEdits(doc: Y.Doc, seed: number, steps: number): void {
  const random = mulberry32(seed);
  const ctx = makeCtx({ user: 'editor', device: 'desk', idPrefix: `s${seed}-` });
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  for (let step = 0; step < steps; step++) {
    const residents = listRecords(doc, 'residents').filter((resident) => !resident.deletedAt);
    const households = listRecords(doc, 'households');
    const roll = random();
    if (roll < 0.25) {
      createResident(doc, ctx, {
        name: pick(['张三', '李四', '王五', '赵敏', '曾小贤']),
        idNumber: makeIdNumber(
          '511302',
          `19${String(50 + Math.floor(random() * 49))}-0${1 + Math.floor(random() * 8)}-1${Math.floor(random() * 9)}`,
          100 + step,
        ),
        householdId: pick(households).id,
      });
    } else if (roll < 0.5) {
      updateResident(doc, ctx, { id: pick(residents).id, changes: { phone: `139${String(step).padStart(8, '0')}` } });
    } else if (roll < 0.6) {
      updateResident(doc, ctx, { id: pick(residents).id, changes: { householdId: pick(households).id } });
    } else if (roll < 0.7) {
      deleteResident(doc, ctx, { id: pick(residents).id });
    } else if (roll < 0.8) {
      const household = pick(households);
      createHousehold(doc, ctx, { buildingId: household.buildingId, doorNumber: `${900 + step}` });
    } else if (roll < 0.85) {
      const compound = pick(listRecords(doc, 'compounds'));
      updateCompound(doc, ctx, { id: compound.id, changes: { name: `${compound.name.slice(0, 4)}${step}` } });
    } else if (roll < 0.9) {
      renameHouseholdRemotely(doc, pick(households).id, `${step}号院`);
    } else {
      // Another device's edit arriving by sync: applied as a remote update, not through this device's commands.
      const remote = new Y.Doc();
      Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
      updateResident(remote, makeCtx({ user: 'laptop', device: 'field' }), {
        id: pick(residents).id,
        changes: { note: `field visit ${step}` },
      });
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)), 'sync');
    }
  }
}

describe('registry projection', () => {
  it.each([1, 2, 3])('equals a from-scratch rebuild after a random edit sequence (seed %i)', async (seed) => {
    const { doc } = generateDemoCommunity(seed, { residents: 150, buildings: 6 });
    const live = new RegistryProjection(freshDb(), DOC, doc);
    await live.start();
    randomEdits(doc, seed, 60);
    await live.idle();
    live.stop();

    const scratch = new RegistryProjection(freshDb(), DOC, doc);
    await scratch.start(); // nothing stored yet: builds from scratch
    const incremental = await tables(dbs[0]!);
    const rebuilt = await tables(dbs[1]!);
    expect(incremental.residents.length).toBeGreaterThan(150);
    expect(incremental.residents).toEqual(rebuilt.residents);
    expect(incremental.records).toEqual(rebuilt.records);
  });

  it.each([4, 5])(
    'keeps the first page of the list equal to one computed from everyone, edit after edit (seed %i)',
    async (seed) => {
      // More residents than the page holds, so the page has a boundary and edits cross it both ways.
      const { doc } = generateDemoCommunity(seed, { residents: 320, buildings: 5 });
      const db = freshDb();
      const live = new RegistryProjection(db, DOC, doc);
      await live.start();
      for (let round = 0; round < 25; round++) {
        randomEdits(doc, seed * 100 + round, 4);
        await live.idle();
        const head = await readListHead(db, DOC);
        const expected = listHeadOf(await readResidentRows(db, DOC));
        expect(head?.total).toBe(expected.total);
        expect(head?.rows.map((row) => row.id)).toEqual(expected.rows.map((row) => row.id));
        expect(head?.rows).toEqual(expected.rows);
      }
      live.stop();
      const head = await readListHead(db, DOC);
      expect(head?.rows).toHaveLength(LIST_HEAD_SIZE);
      expect(head?.total).toBeGreaterThan(LIST_HEAD_SIZE);
    },
  );

  it('tells everyone after a first sync into an empty projection, and only the changed after an edit', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    const live = new RegistryProjection(db, DOC, doc);
    await live.start();
    const changes: ProjectionChange[] = [];
    live.onChange((change) => changes.push(change));
    // A whole community arrives from the server: every bucket is touched, so the flush knows everyone.
    const { doc: server } = generateDemoCommunity(11, { residents: 400, buildings: 5 });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), 'sync');
    await live.idle();
    const stored = (await readResidentRows(db, DOC)).map((row) => row.id).sort();
    expect(stored).toHaveLength(400);
    expect(
      changes
        .at(-1)
        ?.everyone?.map((row) => row.id)
        .sort(),
    ).toEqual(stored);

    const ctx = makeCtx({ user: 'editor', device: 'desk', idPrefix: 'e-' });
    const someone = listRecords(doc, 'residents')[0]!;
    expect(updateResident(doc, ctx, { id: someone.id, changes: { note: '上门走访' } }).ok).toBe(true);
    await live.idle();
    live.stop();
    expect(changes.at(-1)?.residents.map((row) => row.id)).toEqual([someone.id]);
    expect(changes.at(-1)?.everyone).toBeUndefined();
    expect((await readResidentRows(db, DOC)).find((row) => row.id === someone.id)?.record.note).toBe('上门走访');
  });

  it('writes a first sync in steps, with other tasks between them, and its state vector last', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    const live = new RegistryProjection(db, DOC, doc);
    await live.start();
    const bucketWrites = vi.spyOn(db.residentBuckets, 'bulkPut');
    const stateWrites = vi.spyOn(db.projections, 'put');
    // A task queued when the screens are told: it runs before the last buckets are written (the list the person
    // opens meanwhile is not held up by 12 MB of writes).
    let writesBeforeTimer = -1;
    live.onChange(() => setTimeout(() => (writesBeforeTimer = bucketWrites.mock.calls.length), 0));
    const { doc: server } = generateDemoCommunity(13, { residents: 600, buildings: 6 });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), 'sync');
    await live.idle();
    live.stop();
    expect(bucketWrites.mock.calls.length).toBe(RESIDENT_BUCKETS / BUCKETS_PER_STEP);
    expect(bucketWrites.mock.calls.every(([rows]) => (rows as unknown[]).length <= BUCKETS_PER_STEP)).toBe(true);
    expect(writesBeforeTimer).toBeGreaterThanOrEqual(0);
    expect(writesBeforeTimer).toBeLessThan(bucketWrites.mock.calls.length);
    const lastBucketWrite = Math.max(...bucketWrites.mock.invocationCallOrder);
    expect(stateWrites.mock.invocationCallOrder.at(-1)).toBeGreaterThan(lastBucketWrite);
    expect(await readResidentRows(db, DOC)).toHaveLength(listRecords(server, 'residents').length);
    // A later start finds the projection of this very state: no rebuild.
    const rebuilt = vi.spyOn(RegistryProjection.prototype, 'rebuild');
    const again = new RegistryProjection(db, DOC, doc);
    await again.start();
    again.stop();
    expect(rebuilt).not.toHaveBeenCalled();
    rebuilt.mockRestore();
  });

  it("opens the buckets of another device's edits to every bucket one per task, not all in one", async () => {
    const db = freshDb();
    const { doc: server } = generateDemoCommunity(15, { residents: 600, buildings: 6 });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
    const live = new RegistryProjection(db, DOC, doc);
    await live.start();
    await live.idle();
    // Another device's note on everyone (every bucket), arriving by sync as one update.
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    const ctx = makeCtx({ user: 'other', device: 'laptop', idPrefix: 'o-' });
    for (const { id } of listRecords(remote, 'residents')) {
      expect(updateResident(remote, ctx, { id, changes: { note: '入户核实' } }).ok).toBe(true);
    }
    // When the first bucket is opened, a task is queued (a socket's message, a key): it runs after at most one more
    // bucket is opened, not after all of them.
    const open = db.rows.openResidentBucket.bind(db.rows);
    let opened = 0;
    let openedBeforeTask = -1;
    vi.spyOn(db.rows, 'openResidentBucket').mockImplementation((row) => {
      if (opened++ === 0) setTimeout(() => (openedBeforeTask = opened), 0);
      return open(row);
    });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)), 'sync');
    await live.idle();
    live.stop();
    expect(opened).toBe(RESIDENT_BUCKETS);
    expect(openedBeforeTask).toBeGreaterThan(0);
    expect(openedBeforeTask).toBeLessThanOrEqual(2);
    const rows = await readResidentRows(db, DOC);
    expect(rows).toHaveLength(600);
    expect(rows.every((row) => row.record.note === '入户核实')).toBe(true);
  });

  it('a start whose rebuild fails stops following the document: no flush writes over the projection of before', async () => {
    const db = freshDb();
    const { doc } = generateDemoCommunity(21, { residents: 40, buildings: 2 });
    const projection = new RegistryProjection(db, DOC, doc);
    // Web mode reloaded offline: the search-key code cannot be fetched, so the rebuild fails.
    vi.spyOn(projection, 'rebuild').mockRejectedValue(new Error('search keys unavailable offline'));
    const told: ProjectionChange[] = [];
    projection.onChange((change) => told.push(change));
    const starting = projection.start();
    // An edit heard while the start runs: its flush must not mark a projection that was never built as current.
    const [first] = [...collectionMap(doc, 'residents').values()];
    first?.set('note', '离线时改的');
    await expect(starting).rejects.toThrow('offline');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(told).toEqual([]);
    expect(await db.projections.get(DOC)).toBeUndefined();
  });

  it('tells the screens of a first sync before sealing its buckets, and marks it half-written only while it puts them', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    const live = new RegistryProjection(db, DOC, doc);
    await live.start();
    // Slow writes, as a big community's are: 30 ms a step. Each step looks at the mark on disk as it begins.
    const put = db.residentBuckets.bulkPut.bind(db.residentBuckets);
    const marks: (true | undefined)[] = [];
    const bucketWrites = vi.spyOn(db.residentBuckets, 'bulkPut').mockImplementation((async (
      rows: Parameters<typeof put>[0],
    ) => {
      marks.push((await db.projections.get(DOC))?.partial);
      await new Promise((resolve) => setTimeout(resolve, 30));
      return put(rows);
    }) as typeof put);
    const told = new Promise<void>((resolve) => live.onChange(() => resolve()));
    const { doc: server } = generateDemoCommunity(14, { residents: 600, buildings: 6 });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), 'sync');
    await told;
    // Told before anything is written: the projection on disk is still the whole one of before, of the empty
    // document (which a start does not show: projectionRows.ts `projectsNothing`).
    expect(bucketWrites).not.toHaveBeenCalled();
    const before = await db.projections.get(DOC);
    expect(before?.partial).toBeUndefined();
    expect(before?.stateVector).toEqual(EMPTY_STATE_VECTOR);
    expect(before?.keysFormat).toBe(RESIDENT_KEYS_FORMAT);
    expect(await readListHead(db, DOC)).toBeNull();
    await live.idle();
    live.stop();
    // Every step was put under the mark, and the last write took it away.
    expect(marks).toEqual(Array.from({ length: RESIDENT_BUCKETS / BUCKETS_PER_STEP }, () => true));
    expect((await db.projections.get(DOC))?.partial).toBeUndefined();
    expect((await readListHead(db, DOC))?.total).toBe(listRecords(server, 'residents').length);
  });

  it('left by an app closed while a big change is sealed, is the whole projection of before, brought up to date by a start', async () => {
    const keys = new MemoryKeyRing();
    const name = `projection-${Math.random().toString(36).slice(2)}`;
    const db = new WorkstationDb(name, new SealedRows(keys));
    dbs.push(db);
    const { doc: server } = generateDemoCommunity(16, { residents: 600, buildings: 6 });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
    const live = new RegistryProjection(db, DOC, doc);
    await live.start();
    await live.idle();
    const before = await tables(db);
    // Another device's note on everyone (every bucket). The app closes while the buckets are being sealed.
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    const ctx = makeCtx({ user: 'other', device: 'laptop', idPrefix: 'o-' });
    for (const { id } of listRecords(remote, 'residents')) {
      expect(updateResident(remote, ctx, { id, changes: { note: '入户核实' } }).ok).toBe(true);
    }
    const seal = db.rows.residentBucket.bind(db.rows);
    let sealing = 0;
    const closed = new Promise<void>((resolve) => {
      vi.spyOn(db.rows, 'residentBucket').mockImplementation((...args) => {
        if (++sealing === 3) {
          db.close();
          resolve();
        }
        return seal(...args);
      });
    });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)), 'sync');
    await closed;
    await live.idle();
    live.stop();
    errors.mockRestore();

    // Opened again: whole (not marked), its head there to show at once, every row as it was before the change.
    const again = new WorkstationDb(name, new SealedRows(keys));
    dbs.push(again);
    expect((await again.projections.get(DOC))?.partial).toBeUndefined();
    expect((await readListHead(again, DOC))?.total).toBe(600);
    expect(await tables(again)).toEqual(before);
    // The document is ahead of it: the start brings it up to date.
    const next = new RegistryProjection(again, DOC, doc);
    await next.start();
    await next.idle();
    next.stop();
    const rows = await readResidentRows(again, DOC);
    expect(rows).toHaveLength(600);
    expect(rows.every((row) => row.record.note === '入户核实')).toBe(true);
  });

  it('projects a resident that arrived in pieces once the record is whole', async () => {
    const { doc } = generateDemoCommunity(12, { residents: 30, buildings: 2 });
    const db = freshDb();
    const live = new RegistryProjection(db, DOC, doc);
    await live.start();
    const household = listRecords(doc, 'households')[0]!;
    // Another device's new resident; a relay delivers the first fields before the rest.
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    const record = new Y.Map<unknown>();
    collectionMap(remote, 'residents').set('late-1', record);
    record.set('id', 'late-1');
    record.set('name', '迟到');
    const firstPiece = Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc));
    const errors = vi.spyOn(console, 'error');
    Y.applyUpdate(doc, firstPiece, 'sync');
    await live.idle();
    // Not a failed projection (and a rebuild): the half record simply waits.
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
    expect((await readResidentRows(db, DOC)).some((row) => row.id === 'late-1')).toBe(false);

    const before = Y.encodeStateVector(doc);
    remote.transact(() => {
      record.set('idNumber', makeIdNumber('110101', '1990-01-01', 7));
      record.set('householdId', household.id);
      record.set('tags', []);
      record.set('deletedAt', null);
    });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, before), 'sync');
    await live.idle();
    live.stop();
    const row = (await readResidentRows(db, DOC)).find((r) => r.id === 'late-1');
    expect(row?.keys.name).toBe('迟到');
    expect(row?.keys.address).toContain(household.address);
  });

  it('writes the list head of a projection stored before heads were kept, when the document opens', async () => {
    const { doc } = generateDemoCommunity(9, { residents: 60, buildings: 4 });
    const db = freshDb();
    const first = new RegistryProjection(db, DOC, doc);
    await first.start();
    first.stop();
    const state = await db.projections.get(DOC);
    await db.projections.put({ docName: DOC, stateVector: state!.stateVector, builtAt: state!.builtAt });
    expect(await readListHead(db, DOC)).toBeNull();
    const second = new RegistryProjection(db, DOC, doc);
    await second.start();
    second.stop();
    const head = await readListHead(db, DOC);
    expect(head?.total).toBe(listRecords(doc, 'residents').filter((resident) => !resident.deletedAt).length);
    expect(head?.rows).toEqual(listHeadOf(await readResidentRows(db, DOC)).rows);
  });

  it('rebuilds on start when the stored projection is of an older document state', async () => {
    const { doc } = generateDemoCommunity(7, { residents: 40, buildings: 4 });
    const db = freshDb();
    const first = new RegistryProjection(db, DOC, doc);
    await first.start();
    first.stop();
    // Changes arrive while no projection is running (e.g. the app was closed and sync brought them in).
    randomEdits(doc, 7, 10);
    const second = new RegistryProjection(db, DOC, doc);
    await second.start();
    second.stop();
    const scratch = new RegistryProjection(freshDb(), DOC, doc);
    await scratch.start();
    expect((await tables(db)).residents).toEqual((await tables(dbs[1]!)).residents);
  });

  it('updates the address of everyone in a household whose address another device corrected', async () => {
    const { doc } = generateDemoCommunity(11, { residents: 60, buildings: 4 });
    const db = freshDb();
    const projection = new RegistryProjection(db, DOC, doc);
    await projection.start();
    const resident = listRecords(doc, 'residents')[0]!;
    renameHouseholdRemotely(doc, resident.householdId, '新地址1号');
    await projection.idle();
    const rows = (await readResidentRows(db, DOC)).filter((row) => row.householdId === resident.householdId);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.keys.address).toContain('新地址1号');
  });
});
