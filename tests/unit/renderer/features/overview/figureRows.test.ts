/**
 * The dashboard's figure rows on disk (renderer/data/figureRows.ts): written beside their document, sealed, once its
 * updates are stored; read back by a store opened later without opening the document; never used once the document
 * has another update on disk than the rows were made from (written by something the keeper did not see); made again
 * from the document, and told to the listeners, after an edit and after an update arriving by sync; a year never
 * written is read as empty without opening its document; rows held in memory are given again (the same object, the
 * row not read) only while the document's update rows on disk are exactly theirs; rows longer than a piece are
 * written in pieces each under Chromium's 64 KiB blob threshold, read back whole, written again with fewer pieces
 * without leaving one behind, and made again from the document when a piece is missing.
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
import { incidentsMap } from '@shared/ydoc/incidents';
import {
  figureRows,
  FIGURE_ROWS_COLLECTION,
  joinPieces,
  PIECE_BYTES,
  piecesOf,
} from '../../../../../renderer/data/figureRows';
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

  it('cut the stored text into pieces under 64 KiB in UTF-8, never inside a surrogate pair, and join them back', () => {
    const texts = [
      '',
      '{"a":1}',
      'x'.repeat(PIECE_BYTES * 2 + 7),
      '楼道堆放杂物'.repeat(30_000),
      `${'a'.repeat(PIECE_BYTES - 1)}😀${'社区'.repeat(40_000)}😀`,
    ];
    const encoder = new TextEncoder();
    for (const text of texts) {
      const pieces = piecesOf(text);
      for (const piece of pieces) {
        expect(encoder.encode(piece).length).toBeLessThanOrEqual(PIECE_BYTES + 16);
        // A lone surrogate would not survive UTF-8: every piece encodes and decodes to itself.
        expect(new TextDecoder().decode(encoder.encode(piece))).toBe(piece);
      }
      expect(joinPieces(pieces)).toBe(text);
      if (pieces.length > 1) expect(joinPieces(pieces.slice(0, -1))).toBeNull();
    }
    expect(piecesOf('x'.repeat(PIECE_BYTES * 2 + 7))).toHaveLength(3);
    // Rows written before pieces: one bucket of JSON.
    expect(joinPieces(['{"seqs":[]}'])).toBe('{"seqs":[]}');
    expect(joinPieces(['{"seqs":[]}', 'more'])).toBeNull();
  });

  it('longer than a piece are written in pieces, read back whole, and made again when a piece is missing', async () => {
    const store = getStore();
    await store.createCommunity({ id: A, name: '西河A社区' });
    const doc = await store.document(NAME);
    // Distinct long titles, so that the packed rows are far over one piece.
    const many = 600;
    for (let i = 0; i < many; i++) reportOne(doc, `${i} ${'居民反映楼道堆放杂物'.repeat(9)}`);
    await store.flush();
    const pieces = await store.db.recordBuckets
      .where('[docName+collection]')
      .equals([NAME, FIGURE_ROWS_COLLECTION])
      .toArray();
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.map((p) => p.bucket)).toEqual(pieces.map((_, i) => i));
    for (const piece of pieces) expect(piece.sealed?.length).toBeLessThan(64 * 1024);
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

    // A piece lost: the rows are stale, made again from the document (opened) and written whole again.
    const third = await WorkstationStore.open(dbName, { keys });
    try {
      await third.db.recordBuckets.delete([NAME, FIGURE_ROWS_COLLECTION, 1]);
      const rows = await figureRows(third).rows(NAME);
      expect(rows.timelines).toHaveLength(many);
      expect(third.docs.isOpen(NAME)).toBe(true);
      await third.flush();
      const written = await third.db.recordBuckets
        .where('[docName+collection]')
        .equals([NAME, FIGURE_ROWS_COLLECTION])
        .toArray();
      expect(written.map((p) => p.bucket)).toEqual(pieces.map((p) => p.bucket));
    } finally {
      await third.close();
    }
  });

  it('written again in fewer pieces leave none of the pieces before', async () => {
    const store = getStore();
    await store.createCommunity({ id: A, name: '西河A社区' });
    const doc = await store.document(NAME);
    const ids = Array.from({ length: 600 }, (_, i) => reportOne(doc, `${i} ${'居民反映楼道堆放杂物'.repeat(9)}`));
    await store.flush();
    const piecesNow = () =>
      store.db.recordBuckets.where('[docName+collection]').equals([NAME, FIGURE_ROWS_COLLECTION]).count();
    const before = await piecesNow();
    expect(before).toBeGreaterThan(2);
    // The long titles written shorter through the document's own map: the rows shrink to fewer pieces.
    doc.transact(() => {
      const map = incidentsMap(doc);
      for (const id of ids) {
        const base = map.get(id);
        if (base !== undefined) map.set(id, { ...base, title: 'short' });
      }
    });
    await store.flush();
    expect(await piecesNow()).toBeLessThan(before);
    const dbName = store.db.name;
    const keys = keysOf(store);
    const expected = JSON.parse(JSON.stringify(figureRowsOf('incidents', doc))) as unknown;
    await store.close();
    const again = await WorkstationStore.open(dbName, { keys });
    try {
      expect(await figureRows(again).rows(NAME)).toEqual(expected);
      expect(again.docs.isOpen(NAME)).toBe(false);
    } finally {
      await again.close();
    }
  });
});
