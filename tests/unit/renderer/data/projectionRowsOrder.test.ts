/**
 * Rows adopted for a first sync while the document syncs at the same time (renderer/sync/firstRows.ts): whatever the
 * order of the rows and the document's answer, the projection ends as a rebuild from the document, without being
 * rebuilt. The order "rows first" is tests/unit/renderer/data/projectionRowsAdopt.test.ts's; with the real server,
 * tests/integration/sync-client/firstRows.test.ts.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { updateResident } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { residentSearchKeys } from '@shared/domain/registry/searchKeys';
import { makeRowsSnapshot } from '@shared/sync/rowsSnapshot';
import { listRecords } from '@shared/ydoc/registry';
import { WorkstationDb } from '../../../../renderer/data/db';
import { MemoryKeyRing } from '../../../../renderer/data/keyring';
import { RegistryProjection, type ProjectionChange } from '../../../../renderer/data/projection';
import { readListHead, readRecordRows, readResidentRows } from '../../../../renderer/data/projectionRows';
import { SealedRows } from '../../../../renderer/data/sealed';
import { makeCtx } from '../../shared/domain/registry/fixtures';

const DOC = 'demo/registry';
const dbs: WorkstationDb[] = [];

function freshDb(): WorkstationDb {
  const db = new WorkstationDb(`order-${Math.random().toString(36).slice(2)}`, new SealedRows(new MemoryKeyRing()));
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

/** The server's document, its rows, then one phone edited after them. */
function serverWithRows(seed: number, residents: number) {
  const { doc } = generateDemoCommunity(seed, { residents, buildings: 5 });
  const rows = makeRowsSnapshot(doc, DOC, residentSearchKeys);
  const edited = listRecords(doc, 'residents')[2]!;
  updateResident(doc, makeCtx({ user: 'editor', device: 'office' }), {
    id: edited.id,
    changes: { phone: '13700000007' },
  });
  return { doc, rows, edited };
}

async function expectAsRebuild(db: WorkstationDb, device: Y.Doc): Promise<void> {
  const scratchDb = freshDb();
  await new RegistryProjection(scratchDb, DOC, device).start();
  expect(await tables(db)).toEqual(await tables(scratchDb));
  expect((await db.projections.get(DOC))?.stateVector).toEqual(Y.encodeStateVector(device));
}

describe('rows and the document in either order', () => {
  it('the answer applied before the rows are offered (its flush not yet run): refused, the document projected once', async () => {
    const { doc: server, rows, edited } = serverWithRows(41, 150);
    const device = new Y.Doc();
    const db = freshDb();
    const projection = new RegistryProjection(db, DOC, device);
    await projection.start();
    const changes: ProjectionChange[] = [];
    projection.onChange((change) => changes.push(change));
    const rebuild = vi.spyOn(projection, 'rebuild');
    Y.applyUpdate(device, Y.encodeStateAsUpdate(server), 'sync');
    // Offered in the same task: the document's flush is scheduled, not run.
    const progress = vi.fn();
    expect(await projection.adoptRows(rows, progress)).toBe(false);
    expect(progress).not.toHaveBeenCalled();
    await projection.idle();
    expect(rebuild).not.toHaveBeenCalled();
    expect(projection.awaitingDocument).toBe(false);
    // One flush of the document (everyone once), nothing of the rows.
    expect(changes).toHaveLength(1);
    expect(changes[0]!.residents).toHaveLength(150);
    expect(changes[0]!.residents.find((row) => row.id === edited.id)?.record.phone).toBe('13700000007');
    await expectAsRebuild(db, device);
  });

  it('the answer applied while the rows are sealed: they are written, then only the edit after them projected', async () => {
    const { doc: server, rows, edited } = serverWithRows(42, 180);
    const device = new Y.Doc();
    const db = freshDb();
    const projection = new RegistryProjection(db, DOC, device);
    await projection.start();
    const changes: ProjectionChange[] = [];
    projection.onChange((change) => changes.push(change));
    const rebuild = vi.spyOn(projection, 'rebuild');
    const seal = db.rows.residentBucket.bind(db.rows);
    let applied = false;
    vi.spyOn(db.rows, 'residentBucket').mockImplementation(async (...args) => {
      // The first bucket sealed lets the document in (as a websocket answer would arrive between two tasks).
      if (!applied) {
        applied = true;
        Y.applyUpdate(device, Y.encodeStateAsUpdate(server), 'sync');
      }
      return seal(...args);
    });
    const progress: [number, number][] = [];
    expect(await projection.adoptRows(rows, (written, total) => progress.push([written, total]))).toBe(true);
    expect(applied).toBe(true);
    await projection.settle();
    await projection.idle();
    expect(rebuild).not.toHaveBeenCalled();
    expect(changes[0]!.everyone).toHaveLength(180);
    expect(changes.slice(1).flatMap((change) => change.residents.map((row) => row.id))).toEqual([edited.id]);
    expect(changes.slice(1).every((change) => change.everyone === undefined)).toBe(true);
    // Progress from none to every row, never backwards.
    const total = rows.residentBuckets.flat().length;
    expect(progress[0]).toEqual([0, total]);
    expect(progress.at(-1)).toEqual([total, total]);
    expect(progress.every(([written], i) => i === 0 || written >= progress[i - 1]![0])).toBe(true);
    await expectAsRebuild(db, device);
  });
});
