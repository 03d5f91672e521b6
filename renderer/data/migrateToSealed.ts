/**
 * Sealing in place a store written before encryption at rest (docs/decisions.md "Encryption at rest"). The app calls
 * it after sign-in (`WorkstationStore.migrateToSealed`), with the signed-in person's keys.
 *
 * Table by table, a batch of rows at a time: the batch is read, its rows in clear are sealed (outside any
 * transaction: WebCrypto is asynchronous, and an IndexedDB transaction commits when a task waits on anything else),
 * then one short transaction puts the sealed rows in place of those that are still in clear. A kill half-way loses
 * nothing: every row is either as it was or sealed, readers accept both, and the next run skips what is sealed and
 * goes on. Once every table is done the store is marked sealed (`storage.sealed`, itself sealed with the device key),
 * and from then on a row in clear is refused (it was not written by this app).
 *
 * The projections (buckets, list heads) are derived and could be dropped and rebuilt instead; they are sealed in
 * place like the rest, so that the first start after the migration shows the list from its head at once rather than
 * after a rebuild from the document (1-3 s at 20,000 residents). The legacy `records` table (empty since version 4)
 * is emptied.
 */
import type { Table } from 'dexie';
import type { WorkstationDb } from './db';
import { PLAIN_SETTINGS, SealedRows } from './sealed';

/** The setting that marks a store whose every row is sealed (sealed with the device key, like other settings). */
export const SEALED_MARK = 'storage.sealed';

/** Told after each batch: rows looked at so far (sealed now, or already), of all rows of the tables sealed. */
export type SealProgress = (done: number, total: number) => void;

/**
 * Rows per batch, a few MB each: the update log's rows are up to 1 MiB each, resident buckets about 200 kB at 20,000
 * residents, the rest small. Each batch is one transaction, and its cost is mostly per transaction.
 */
export const MIGRATION_BATCH = { docUpdates: 8, residentBuckets: 32, recordBuckets: 64, projections: 16, settings: 64 };

/**
 * Whether the store is marked sealed. The mark is opened with the device key, so a store sealed by other keys (of
 * another device, or another vault) fails here, at open, with `SealedRowError`. A mark in clear is not one.
 */
export async function readSealedMark(db: WorkstationDb): Promise<boolean> {
  const row = await db.settings.get(SEALED_MARK);
  if (row?.sealed === undefined) return false;
  return (await db.sealedSettings.get(SEALED_MARK)) !== undefined;
}

/** Marks the store sealed and makes its rows refuse anything in clear from now on. */
export async function markSealed(db: WorkstationDb, rows: SealedRows): Promise<void> {
  await db.sealedSettings.put({ key: SEALED_MARK, value: { at: new Date().toISOString(), version: 1 } });
  rows.refusePlainRows();
}

/**
 * Seals the rows of one table that are still in clear, a batch at a time, each batch in one transaction that
 * replaces only rows still in clear (a row the app rewrote meanwhile is sealed already and stays as it is).
 */
async function sealTable<R, K, I>(
  db: WorkstationDb,
  table: Table<R, K, I>,
  batch: number,
  inClear: (row: R) => boolean,
  seal: (row: R) => Promise<I>,
  done: (rows: number) => void,
): Promise<void> {
  const keys = await table.toCollection().primaryKeys();
  for (let from = 0; from < keys.length; from += batch) {
    const slice = keys.slice(from, from + batch);
    const found = await table.bulkGet(slice);
    const clearKeys: K[] = [];
    const clearRows: R[] = [];
    found.forEach((row, index) => {
      const key = slice[index];
      if (row !== undefined && key !== undefined && inClear(row)) {
        clearKeys.push(key);
        clearRows.push(row);
      }
    });
    if (clearRows.length > 0) {
      const sealed = await Promise.all(clearRows.map(seal));
      await db.transaction('rw', table, async () => {
        const now = await table.bulkGet(clearKeys);
        await table.bulkPut(
          sealed.filter((_, index) => {
            const current = now[index];
            return current !== undefined && inClear(current);
          }),
        );
      });
    }
    done(slice.length);
  }
}

/**
 * Seals every row of the store still in clear (see the file comment), telling `onProgress` after each batch, and
 * marks the store sealed. Does nothing on a store marked sealed already.
 */
export async function migrateToSealed(db: WorkstationDb, onProgress: SealProgress = () => undefined): Promise<void> {
  const rows = db.rows;
  if (!(rows instanceof SealedRows))
    throw new Error('this store writes rows in clear (tests only): nothing to seal with');
  if (rows.refusesPlainRows) return;
  const counts = await Promise.all([
    db.docUpdates.count(),
    db.residentBuckets.count(),
    db.residentKeys.count(),
    db.recordBuckets.count(),
    db.projections.count(),
    db.settings.count(),
  ]);
  const total = counts.reduce((sum, count) => sum + count, 0);
  let progress = 0;
  const done = (count: number) => {
    progress = Math.min(total, progress + count);
    onProgress(progress, total);
  };
  onProgress(0, total);

  await sealTable(
    db,
    db.docUpdates,
    MIGRATION_BATCH.docUpdates,
    (row) => row.sealed === undefined && row.update !== undefined,
    (row) => {
      if (row.seq === undefined || row.update === undefined) throw new Error('an update row with no seq or update');
      return rows.updateRow(row.docName, row.seq, row.update, row.at);
    },
    done,
  );
  await sealTable(
    db,
    db.residentBuckets,
    MIGRATION_BATCH.residentBuckets,
    (row) => row.sealed === undefined && row.json !== undefined,
    (row) => rows.residentBucket(row.docName, row.bucket, row.json ?? '[]'),
    done,
  );
  // Stores in clear of version 6 exist in tests only (plain rows): the app seals every key row it writes.
  await sealTable(
    db,
    db.residentKeys,
    MIGRATION_BATCH.residentBuckets,
    (row) => row.sealed === undefined && row.json !== undefined,
    (row) => rows.residentKeys(row.docName, row.bucket, row.json ?? '[]'),
    done,
  );
  await sealTable(
    db,
    db.recordBuckets,
    MIGRATION_BATCH.recordBuckets,
    (row) => row.sealed === undefined && row.json !== undefined,
    (row) => rows.recordBucket(row.docName, row.collection, row.bucket, row.json ?? '[]'),
    done,
  );
  await sealTable(
    db,
    db.projections,
    MIGRATION_BATCH.projections,
    (row) => row.sealedHead === undefined && row.head !== undefined,
    async ({ head, ...row }) => ({ ...row, ...(head ? await rows.listHead(row.docName, head) : {}) }),
    done,
  );
  await sealTable(
    db,
    db.settings,
    MIGRATION_BATCH.settings,
    (row) => row.sealed === undefined && row.value !== undefined && !PLAIN_SETTINGS.has(row.key),
    (row) => rows.setting(row.key, row.value),
    done,
  );
  // Derived and unused since version 4 (its upgrade emptied it): anything in it is dropped, not sealed.
  await db.records.clear();
  await markSealed(db, rows);
}
