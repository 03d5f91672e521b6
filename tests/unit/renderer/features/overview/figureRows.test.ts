/**
 * The dashboard's figure rows on disk (renderer/data/figureRows.ts): written beside their document, sealed, once its
 * updates are stored; read back by a store opened later without opening the document; never used once the document
 * has another update on disk than the rows were made from (written by something the keeper did not see); made again
 * from the document, and told to the listeners, after an edit and after an update arriving by sync; a year never
 * written is read as empty without opening its document; rows held in memory are given again (the same object, the
 * row not read) only while the document's update rows on disk are exactly theirs.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { describe, expect, it, vi } from 'vitest';
import { nationalCalendar } from '@shared/domain/calendar';
import { figureRowsOf } from '@shared/domain/dashboard/rows';
import { acceptIncident, reportIncident } from '@shared/domain/incidents/commands';
import { DEFAULT_LIMITS } from '@shared/domain/incidents/limits';
import type { CommandContext } from '@shared/domain/kernel';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { figureRows, FIGURE_ROWS_COLLECTION } from '../../../../../renderer/data/figureRows';
import { WorkstationStore } from '../../../../../renderer/data/store';
import { keysOf, useTestStore } from '../../storeFixture';

const getStore = useTestStore();
const A = toCommunityId('xihe-a');
const NAME = docName({ community: A, collection: 'incidents', year: 2026 });
const env = { calendar: nationalCalendar(), limits: DEFAULT_LIMITS };

let n = 0;
const ctx = (day: string): CommandContext => ({
  actor: { userId: 'u-office', userName: '李明', deviceId: 'dev' },
  now: () => new Date(`${day}T02:00:00Z`),
  newId: () => `id-${++n}`,
  permissions: new Set(['admin']),
});

function reportOne(doc: Y.Doc, title: string): string {
  const result = reportIncident(doc, ctx('2026-11-02'), {
    community: A,
    title,
    content: '居民反映',
    occurredAt: '2026-11-02T01:00:00Z',
    place: { grid: 'grid-1', compound: null, building: null, household: null, text: '' },
    category: 'opinion',
    kind: 'consult',
    reporter: { name: '王大爷', phone: '', anonymous: false },
    source: 'resident',
  });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const titles = (rows: Awaited<ReturnType<ReturnType<typeof figureRows>['rows']>>) =>
  rows.timelines.map((t) => (t.now.base as { title: string }).title).sort();

describe('figure rows on disk', () => {
  it('are written sealed beside the document and read back later without opening it', async () => {
    const store = getStore();
    await store.createCommunity({ id: A, name: '西河A社区' });
    const doc = await store.document(NAME);
    const id = reportOne(doc, '楼道堆放杂物');
    const accepted = acceptIncident(doc, ctx('2026-11-03'), { incidentId: id }, env);
    expect(accepted.ok).toBe(true);
    await store.flush();
    const row = await store.db.recordBuckets.get([NAME, FIGURE_ROWS_COLLECTION, 0]);
    expect(row?.sealed).toBeInstanceOf(Uint8Array);
    expect(row?.json).toBeUndefined();
    const expected = JSON.parse(JSON.stringify(figureRowsOf('incidents', doc))) as unknown;
    const dbName = store.db.name;
    const keys = keysOf(store);
    await store.close();

    const again = await WorkstationStore.open(dbName, { keys });
    try {
      const rows = await figureRows(again).rows(NAME);
      expect(rows).toEqual(expected);
      expect(again.docs.isOpen(NAME)).toBe(false);
    } finally {
      await again.close();
    }
  });

  it('are not used once the document has an update on disk they were not made from', async () => {
    const store = getStore();
    await store.createCommunity({ id: A, name: '西河A社区' });
    reportOne(await store.document(NAME), '楼道堆放杂物');
    await store.flush();
    const dbName = store.db.name;
    const keys = keysOf(store);
    await store.close();

    // Another store writes the document behind the keeper's back (straight through the update log).
    const other = await WorkstationStore.open(dbName, { keys });
    reportOne(await other.docs.get(NAME), '路灯不亮');
    await other.docs.flush();
    await other.docs.closeAll();
    other.db.close();

    const again = await WorkstationStore.open(dbName, { keys });
    try {
      const rows = await figureRows(again).rows(NAME);
      expect(titles(rows)).toEqual(['楼道堆放杂物', '路灯不亮']);
      expect(again.docs.isOpen(NAME)).toBe(true);
    } finally {
      await again.close();
    }
  });

  it('are held in memory while current, and never once another update of the document is on disk', async () => {
    const store = getStore();
    await store.createCommunity({ id: A, name: '西河A社区' });
    reportOne(await store.document(NAME), '楼道堆放杂物');
    await store.flush();
    const dbName = store.db.name;
    const keys = keysOf(store);
    await store.close();

    const again = await WorkstationStore.open(dbName, { keys });
    try {
      const keeper = figureRows(again);
      const first = await keeper.rows(NAME);
      expect(titles(first)).toEqual(['楼道堆放杂物']);
      // Read again with nothing changed: the rows held, not the stored row decrypted again.
      const opened = vi.spyOn(again.db.rows, 'openRecordBucket');
      expect(await keeper.rows(NAME)).toBe(first);
      expect(opened).not.toHaveBeenCalled();

      // Another store writes the document behind this keeper's back (straight through the update log).
      const other = await WorkstationStore.open(dbName, { keys });
      reportOne(await other.docs.get(NAME), '路灯不亮');
      await other.docs.flush();
      await other.docs.closeAll();
      other.db.close();

      const after = await keeper.rows(NAME);
      expect(after).not.toBe(first);
      expect(titles(after)).toEqual(['楼道堆放杂物', '路灯不亮']);
    } finally {
      await again.close();
    }
  });

  it('are not written from a document that changed while they were made (the change writes its own)', async () => {
    const store = getStore();
    await store.createCommunity({ id: A, name: '西河A社区' });
    const doc = await store.document(NAME);
    reportOne(doc, '楼道堆放杂物');
    const keeper = figureRows(store);
    // The rows are made, then the write yields to the page: an edit comes in right after they are made.
    const made = keeper as unknown as { current: (w: unknown) => unknown };
    const current = made.current.bind(keeper);
    let edited = false;
    vi.spyOn(made, 'current').mockImplementation((w) => {
      const rows = current(w);
      if (!edited) {
        edited = true;
        reportOne(doc, '路灯不亮');
      }
      return rows;
    });
    const written: string[] = [];
    const seal = store.db.rows.recordBucket.bind(store.db.rows);
    vi.spyOn(store.db.rows, 'recordBucket').mockImplementation((docName, collection, bucket, json) => {
      if (docName === NAME) written.push(json);
      return seal(docName, collection, bucket, json);
    });
    await store.flush();
    expect(edited).toBe(true);
    // The edit's own write, a moment later.
    await store.flush();
    expect(written.length).toBe(1);
    expect(written[0]).toContain('路灯不亮');
    const rows = await figureRows(store).rows(NAME);
    expect(titles(rows)).toEqual(['楼道堆放杂物', '路灯不亮']);
  });

  it('follow an edit and an update arriving by sync, and tell the listeners', async () => {
    const store = getStore();
    await store.createCommunity({ id: A, name: '西河A社区' });
    const doc = await store.document(NAME);
    reportOne(doc, '楼道堆放杂物');
    const keeper = figureRows(store);
    expect(titles(await keeper.rows(NAME))).toEqual(['楼道堆放杂物']);
    const told: string[] = [];
    keeper.onChange((name) => told.push(name));

    reportOne(doc, '路灯不亮');
    expect(told).toEqual([NAME]);
    expect(titles(await keeper.rows(NAME))).toEqual(['楼道堆放杂物', '路灯不亮']);

    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    reportOne(remote, '井盖缺失');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)), 'sync');
    expect(told).toEqual([NAME, NAME]);
    expect(titles(await keeper.rows(NAME))).toEqual(['井盖缺失', '楼道堆放杂物', '路灯不亮']);

    // On disk too, once written: a store opened later reads the three.
    await store.flush();
    const dbName = store.db.name;
    const keys = keysOf(store);
    await store.close();
    const again = await WorkstationStore.open(dbName, { keys });
    try {
      expect(titles(await figureRows(again).rows(NAME))).toEqual(['井盖缺失', '楼道堆放杂物', '路灯不亮']);
      expect(again.docs.isOpen(NAME)).toBe(false);
    } finally {
      await again.close();
    }
  });

  it('read a year that was never written as empty without opening it, and tell when it is opened and changed', async () => {
    const store = getStore();
    await store.createCommunity({ id: A, name: '西河A社区' });
    const keeper = figureRows(store);
    const tasks = docName({ community: A, collection: 'tasks', year: 2025 });
    const cases = docName({ community: A, collection: 'cases', year: 2025 });
    expect((await keeper.rows(tasks)).timelines).toEqual([]);
    expect(await keeper.isEmpty(cases)).toBe(true);
    expect(store.docs.isOpen(tasks)).toBe(false);
    expect(store.docs.isOpen(cases)).toBe(false);

    const told: string[] = [];
    keeper.onChange((name) => told.push(name));
    (await store.document(cases)).getMap('cases').set('c1', 'x');
    expect(told).toEqual([cases]);
    expect(await keeper.isEmpty(cases)).toBe(false);
    const incidents = docName({ community: A, collection: 'incidents', year: 2025 });
    reportOne(await store.document(incidents), '楼道堆放杂物');
    expect(told).toEqual([cases, incidents]);
    expect(titles(await keeper.rows(incidents))).toEqual(['楼道堆放杂物']);
  });
});
