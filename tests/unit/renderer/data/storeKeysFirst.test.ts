import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { updateResident } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import type { ResidentId } from '@shared/domain/registry/types';
import { listRowOf, RESIDENT_BUCKETS, RESIDENT_KEYS_FORMAT } from '@shared/ydoc/registryRows';
import { KEY_SEARCH_MAX_BUCKETS, KeysFirst } from '../../../../renderer/data/keysFirst';
import { EMPTY_STATE_VECTOR, readResidentKeys, readResidentRows } from '../../../../renderer/data/projectionRows';
import { SealedRowError } from '../../../../renderer/data/sealed';
import { WorkstationStore } from '../../../../renderer/data/store';
import { RegistryProjection } from '../../../../renderer/data/projection';
import type { CommunityId } from '@shared/ydoc/docName';
import { keysOf, useTestStore } from '../storeFixture';
import { rawRows, rowsInClear } from './rawRows';

/** Every query a person might type, and a filter: their answers must not depend on which index gave them. */
function queriesOf(rows: readonly { keys: { idTail4: string; name: string; phoneTail4: string } }[]): string[] {
  const some = rows[Math.floor(rows.length / 2)]!;
  return [some.keys.idTail4, some.keys.phoneTail4, some.keys.name, some.keys.name.slice(0, 1), 'zh', 'w', '3栋', ''];
}

describe('search keys read before the residents rows (renderer/data/keysFirst.ts)', () => {
  const store = useTestStore();

  async function projected(residents: number): Promise<{ community: CommunityId; name: string }> {
    const { doc } = generateDemoCommunity(33, { residents });
    const community = await store().addDemoCommunity(Y.encodeStateAsUpdate(doc));
    await store().registry(community);
    await store().flush();
    return { community, name: store().registryName(community) };
  }

  async function reopen(): Promise<WorkstationStore> {
    const dbName = store().db.name;
    await store().close();
    return WorkstationStore.open(dbName, { keys: keysOf(store()) });
  }

  it('a projection keeps every bucket’s keys, sealed, in the rows’ order, and its state says they are complete', async () => {
    const { name } = await projected(400);
    expect((await store().db.projections.get(name))?.keysFormat).toBe(RESIDENT_KEYS_FORMAT);
    expect(await store().db.residentKeys.where('docName').equals(name).count()).toBe(RESIDENT_BUCKETS);
    const rows = await readResidentRows(store().db, name);
    expect(rows.length).toBeGreaterThan(0);
    expect(await readResidentKeys(store().db, name)).toEqual(rows.map(listRowOf));
    // A sealed key row is bound to its bucket and table: moved, it does not open (never someone else's keys).
    const [zero, one] = await store().db.residentKeys.bulkGet([
      [name, 0],
      [name, 1],
    ]);
    await expect(store().db.rows.openResidentKeys({ ...zero!, bucket: 1 })).rejects.toThrow(SealedRowError);
    await expect(store().db.rows.openResidentBucket(one!)).rejects.toThrow(SealedRowError);

    await store().close();
    const raw = await rawRows(store().db.name);
    const keyRows = raw.filter((row) => row.table === 'residentKeys');
    expect(keyRows).toHaveLength(RESIDENT_BUCKETS);
    expect(rowsInClear(raw)).toEqual([]);
    // Nobody's name or ID tail is readable in a key row on disk.
    const onDisk = new TextDecoder('latin1').decode(keyRows[0]!.row.sealed as Uint8Array);
    expect(onDisk).not.toContain(rows[0]!.keys.idTail4);
  });

  it('after a restart a search answers from the keys before everyone’s rows are read, as the full index answers', async () => {
    const { community } = await projected(400);
    const rows = await readResidentRows(store().db, store().registryName(community));
    const queries = queriesOf(rows);
    const byBuilding = { buildingId: rows[0]!.buildingId };
    const tail = rows[Math.floor(rows.length / 2)]!.keys.idTail4;

    // The answers of the full index after a restart (its rows in their order on disk, as the keys are).
    const reference = new Map<string, Awaited<ReturnType<WorkstationStore['searchResidents']>>>();
    const first = await reopen();
    try {
      await first.residentRow(community, rows[0]!.id);
      for (const query of queries) reference.set(query, await first.searchResidents(community, query, {}, 200));
      reference.set('building', await first.searchResidents(community, '', byBuilding, 200));
      await first.flush();
    } finally {
      await first.close();
    }

    const again = await WorkstationStore.open(store().db.name, { keys: keysOf(store()) });
    try {
      performance.clearMarks('cgw:resident-rows-parsed');
      performance.clearMarks('cgw:resident-keys-index');
      const answer = await again.searchResidents(community, tail, {}, 200);
      // Answered from the keys: everyone's rows were not read yet.
      expect(performance.getEntriesByName('cgw:resident-keys-index')).toHaveLength(1);
      expect(performance.getEntriesByName('cgw:resident-rows-parsed')).toHaveLength(0);
      expect(answer.hits.length).toBeGreaterThan(0);
      expect(answer).toEqual(reference.get(tail));

      // Every other query, from whichever index holds by then: the same answers.
      for (const query of queries) {
        expect(await again.searchResidents(community, query, {}, 200)).toEqual(reference.get(query));
      }
      expect(await again.searchResidents(community, '', byBuilding, 200)).toEqual(reference.get('building'));
      await again.flush();
    } finally {
      await again.close();
    }
  });

  it('after a restart the residents list answers any query from the keys alone, as the full index answers', async () => {
    const { community } = await projected(400);
    const rows = await readResidentRows(store().db, store().registryName(community));
    // Broad queries too: everyone by address (two pages: more than the list head), a surname's initial, a building.
    // (The first page of everyone is the list head's, read apart: not asked here.)
    const asked: [string, { buildingId?: string }, number][] = [
      ...queriesOf(rows)
        .filter((query) => query !== '')
        .map((query): [string, { buildingId?: string }, number] => [query, {}, 200]),
      ['', {}, 400],
      ['', { buildingId: rows[0]!.buildingId }, 200],
    ];
    const first = await reopen();
    const reference: Awaited<ReturnType<WorkstationStore['listResidents']>>[] = [];
    try {
      await first.residentRow(community, rows[0]!.id);
      for (const [query, filter, limit] of asked)
        reference.push(await first.listResidents(community, query, filter, limit));
      await first.flush();
    } finally {
      await first.close();
    }
    // What the full index lists is each row as the list shows it, ID numbers masked.
    expect(reference[asked.length - 2]!.hits.map((hit) => hit.row.id)).toHaveLength(400);
    for (const { row } of reference[0]!.hits) expect(row).not.toHaveProperty('record');

    const again = await WorkstationStore.open(store().db.name, { keys: keysOf(store()) });
    try {
      performance.clearMarks('cgw:resident-rows-parsed');
      performance.clearMarks('cgw:resident-buckets-read');
      const answers = [];
      for (const [query, filter, limit] of asked)
        answers.push(await again.listResidents(community, query, filter, limit));
      // Every answer came from the keys: no bucket of rows was read meanwhile.
      expect(performance.getEntriesByName('cgw:resident-buckets-read')).toHaveLength(0);
      expect(answers).toEqual(reference);
      await again.flush();
    } finally {
      await again.close();
    }
  });

  it('opening a registry reads its keys and its document, not everyone’s rows, until a search needs records', async () => {
    const { community, name } = await projected(300);
    const rows = await readResidentRows(store().db, name);
    const again = await reopen();
    try {
      performance.clearMarks('cgw:resident-buckets-read');
      performance.clearMarks('cgw:resident-keys-index');
      const notified: number[] = [];
      again.onIndexChange(() => notified.push(1));
      // As the screens do: the list asks, and `useRecords` opens the registry in the background.
      const first = await again.listResidents(community, 'zh', {}, 200);
      expect(first.total).toBeGreaterThan(0);
      again.openLater(community);
      const projections = (again as unknown as { projections: Map<string, Promise<unknown>> }).projections;
      await expect.poll(() => projections.has(name), { timeout: 5000 }).toBe(true);
      await projections.get(name);
      expect(performance.getEntriesByName('cgw:resident-keys-index')).toHaveLength(1);
      expect(performance.getEntriesByName('cgw:resident-buckets-read')).toHaveLength(0);

      // An edit while the keys answer: the list follows it from the keys (told, and its card and keys changed).
      const target = rows[3]!;
      const before = notified.length;
      const renamed = await again.run(community, updateResident, {
        id: target.id as ResidentId,
        changes: { name: '欧阳修', phone: '13912345678' },
      });
      expect(renamed.ok).toBe(true);
      await again.flush();
      expect(notified.length).toBeGreaterThan(before);
      const found = await again.listResidents(community, 'oyx', {}, 200);
      expect(found.hits.map((hit) => hit.row.id)).toContain(target.id);
      expect(found.hits.find((hit) => hit.row.id === target.id)?.row.card).toMatchObject({
        name: '欧阳修',
        phoneMasked: '139****5678',
      });
      expect(performance.getEntriesByName('cgw:resident-buckets-read')).toHaveLength(0);

      // A search that needs records over every bucket (a picker listing everyone) reads everyone's rows: once.
      const everyone = await again.searchResidents(community, '', {}, 300);
      expect(everyone.total).toBe(300);
      expect(everyone.hits.find((hit) => hit.row.id === target.id)?.row.record.name).toBe('欧阳修');
      expect(performance.getEntriesByName('cgw:resident-buckets-read')).toHaveLength(1);
      await again.flush();
    } finally {
      await again.close();
    }
  });

  it('answers from the keys only when its page lies in a few buckets; otherwise the caller waits for the rows', async () => {
    const { name } = await projected(400);
    const keys = new KeysFirst(store().db);
    const index = await keys.read(name);
    expect(index?.size).toBe(400);
    const rows = await readResidentRows(store().db, name);
    // An ID tail: a resident or a few, in as many buckets.
    const one = rows[7]!;
    const found = await keys.search(name, one.keys.idTail4, {}, 200);
    expect(found?.hits.map((hit) => hit.row)).toContainEqual(one);
    // Everyone listed by address: the first 200 lie in more buckets than a key answer reads.
    expect(await keys.search(name, '', {}, 200)).toBeNull();
    expect(KEY_SEARCH_MAX_BUCKETS).toBeLessThan(RESIDENT_BUCKETS);
    keys.drop(name);
    expect(await keys.search(name, one.keys.idTail4, {}, 200)).toBeNull();
  });

  it('an edit rewrites its bucket’s keys with the bucket, and the keys stay complete', async () => {
    const { community, name } = await projected(200);
    const [first] = await readResidentRows(store().db, name);
    const renamed = await store().run(community, updateResident, {
      id: first!.id as ResidentId,
      changes: { name: '欧阳修' },
    });
    expect(renamed.ok).toBe(true);
    await store().flush();
    const keys = await readResidentKeys(store().db, name);
    expect(keys?.find((row) => row.id === first!.id)?.keys).toMatchObject({ name: '欧阳修', initials: 'oyx' });
    expect(keys).toEqual((await readResidentRows(store().db, name)).map(listRowOf));
    const again = await reopen();
    try {
      const answer = await again.searchResidents(community, 'oyx', {}, 200);
      expect(answer.hits.map((hit) => hit.row.record.name)).toContain('欧阳修');
    } finally {
      await again.close();
    }
  });

  it('a projection written before keys were kept is read from its buckets, then gets its keys written once', async () => {
    const { community, name } = await projected(300);
    const expected = await readResidentKeys(store().db, name);
    // As an older build left it: no keys, no `keysFormat`.
    await store().db.residentKeys.clear();
    const state = await store().db.projections.get(name);
    const { keysFormat: _dropped, ...older } = state!;
    await store().db.projections.put(older);
    expect(await readResidentKeys(store().db, name)).toBeNull();

    const again = await reopen();
    try {
      const answer = await again.searchResidents(community, 'zh', {}, 200);
      expect(answer.total).toBeGreaterThan(0);
      await expect
        .poll(async () => (await again.db.projections.get(name))?.keysFormat, { timeout: 5000 })
        .toBe(RESIDENT_KEYS_FORMAT);
      expect(await readResidentKeys(again.db, name)).toEqual(expected);
      await again.flush();
    } finally {
      await again.close();
    }
  });

  it('keys of an older format (no list cards) are not read: the buckets are, and the keys are written anew', async () => {
    const { community, name } = await projected(150);
    const expected = await readResidentKeys(store().db, name);
    const state = await store().db.projections.get(name);
    // As the build of format 1 left it: its own keys, its number.
    await store().db.projections.put({ ...state!, keysFormat: 1 });
    expect(await readResidentKeys(store().db, name)).toBeNull();

    const again = await reopen();
    try {
      const answer = await again.listResidents(community, 'zh', {}, 200);
      expect(answer.total).toBeGreaterThan(0);
      await expect
        .poll(async () => (await again.db.projections.get(name))?.keysFormat, { timeout: 5000 })
        .toBe(RESIDENT_KEYS_FORMAT);
      expect(await readResidentKeys(again.db, name)).toEqual(expected);
      await again.flush();
    } finally {
      await again.close();
    }
  });

  it('keys are not written over a projection that changed while everyone was read', async () => {
    const { community, name } = await projected(100);
    const keys = new KeysFirst(store().db);
    await store().db.residentKeys.clear();
    const { keysFormat: _dropped, ...older } = (await store().db.projections.get(name))!;
    await store().db.projections.put(older);
    const rows = await readResidentRows(store().db, name);
    // A flush comes between the read and the write of the keys.
    const [first] = rows;
    expect(
      (await store().run(community, updateResident, { id: first!.id as ResidentId, changes: { note: '走访' } })).ok,
    ).toBe(true);
    await store().flush();
    const after = await store().db.projections.get(name);
    // That flush touched one bucket, so it did not make the keys complete; the keys of the read before are refused.
    expect(after?.keysFormat).toBeUndefined();
    expect(await keys.writeMissingKeys(name, older, rows)).toBe(false);
    expect(await keys.writeMissingKeys(name, after!, await readResidentRows(store().db, name))).toBe(true);
    expect((await store().db.projections.get(name))?.keysFormat).toBe(RESIDENT_KEYS_FORMAT);
  });
  it('a projection of the empty document (a first sync closed before its rows were written) is not shown: the list waits for the rebuild', async () => {
    const { community, name } = await projected(300);
    const everyone = (await readResidentRows(store().db, name)).length;
    // What a new device projects before its first sync brings anything, left on disk as the app closed.
    const empty = new RegistryProjection(store().db, name, new Y.Doc());
    await empty.start();
    empty.stop();
    expect((await store().db.projections.get(name))?.stateVector).toEqual(EMPTY_STATE_VECTOR);
    expect(await readResidentRows(store().db, name)).toEqual([]);

    const again = await reopen();
    try {
      const totals: number[] = [];
      again.onIndexChange(() => {
        void again.listResidents(community, '', {}, 50).then((answer) => totals.push(answer.total));
      });
      again.openLater(community);
      // The first answer is everyone (after the rebuild from the document on disk), never a list of nobody.
      const answer = await again.listResidents(community, '', {}, 50);
      expect(answer.total).toBe(everyone);
      await again.flush();
      expect(totals).not.toContain(0);
      expect((await again.db.projections.get(name))?.stateVector).not.toEqual(EMPTY_STATE_VECTOR);
    } finally {
      await again.close();
    }
  });
});
