import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { toCommunityId } from '@shared/ydoc/docName';
import { RESIDENT_KEYS_FORMAT } from '@shared/ydoc/registryRows';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5, WorkstationDb } from '../../../../renderer/data/db';
import { MemoryKeyRing } from '../../../../renderer/data/keyring';
import { SealedRows } from '../../../../renderer/data/sealed';
import { readListHead, readRecordRows, readResidentRows } from '../../../../renderer/data/projectionRows';
import { WorkstationStore } from '../../../../renderer/data/store';
import { loadSyncConfig } from '../../../../renderer/data/syncState';
import { rawRows, rowsInClear } from './rawRows';

describe('Dexie schema upgrades', () => {
  it('v1 → v2 (and on to v4) keeps the stored documents and settings and adds empty projection tables', async () => {
    const name = `migration-${Math.random().toString(36).slice(2)}`;
    const source = new Y.Doc();
    source.getMap('residents').set('r1', 'kept');

    // The database as version 1 of the app left it.
    const v1 = new Dexie(name);
    v1.version(1).stores(SCHEMA_V1);
    await v1.open();
    await v1.table('docUpdates').add({ docName: 'demo/registry', update: Y.encodeStateAsUpdate(source), at: 1 });
    await v1.table('settings').put({ key: 'deviceId', value: 'device-1' });
    await v1.table('communities').put({ id: 'demo', name: '示范社区', addedAt: 1, lastOpenedAt: 1 });
    v1.close();

    const db = new WorkstationDb(name, new SealedRows(new MemoryKeyRing()));
    await db.open();
    expect(db.verno).toBe(6);
    const rows = await db.docUpdates.toArray();
    expect(rows).toHaveLength(1);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await db.rows.openUpdate(rows[0]!));
    expect(doc.getMap('residents').get('r1')).toBe('kept');
    expect(await db.settings.get('deviceId')).toEqual({ key: 'deviceId', value: 'device-1' });
    expect(await db.communities.get('demo')).toMatchObject({ name: '示范社区' });
    expect(await db.residentBuckets.count()).toBe(0);
    expect(await db.projections.count()).toBe(0);
    db.close();
    await db.delete();
  });

  it('v2 → v3 (and v4) empties the projections (buckets change to JSON) so they are rebuilt, keeping everything else', async () => {
    const name = `migration-${Math.random().toString(36).slice(2)}`;
    const source = new Y.Doc();
    source.getMap('residents').set('r1', 'kept');

    // The database as version 2 left it: bucket rows as arrays of objects, a projection state.
    const v2 = new Dexie(name);
    v2.version(1).stores(SCHEMA_V1);
    v2.version(2).stores(SCHEMA_V2);
    await v2.open();
    await v2.table('docUpdates').add({ docName: 'demo/registry', update: Y.encodeStateAsUpdate(source), at: 1 });
    await v2.table('communities').put({ id: 'demo', name: '示范社区', addedAt: 1, lastOpenedAt: 1 });
    await v2.table('residentBuckets').put({ docName: 'demo/registry', bucket: 3, rows: [{ id: 'r1' }] });
    await v2
      .table('records')
      .put({ docName: 'demo/registry', collection: 'buildings', id: 'b1', record: { id: 'b1', name: '1栋' } });
    await v2.table('projections').put({ docName: 'demo/registry', stateVector: new Uint8Array([0]), builtAt: 1 });
    v2.close();

    const db = new WorkstationDb(name, new SealedRows(new MemoryKeyRing()));
    await db.open();
    expect(db.verno).toBe(6);
    expect(await db.residentBuckets.count()).toBe(0);
    expect(await readResidentRows(db, 'demo/registry')).toEqual([]);
    expect(await db.projections.count()).toBe(0); // so the next opening rebuilds from the document
    expect(await db.records.count()).toBe(0); // v4: the records moved to recordBuckets
    expect(await db.docUpdates.count()).toBe(1);
    expect(await db.communities.get('demo')).toMatchObject({ name: '示范社区' });
    db.close();
    await db.delete();
  });

  it('v3 → v4 moves the other collections to record buckets: records emptied, projection rebuilt on next opening', async () => {
    const name = `migration-${Math.random().toString(36).slice(2)}`;
    const v3 = new Dexie(name);
    v3.version(1).stores(SCHEMA_V1);
    v3.version(2).stores(SCHEMA_V2);
    v3.version(3).stores(SCHEMA_V3);
    await v3.open();
    await v3.table('docUpdates').add({ docName: 'demo/registry', update: new Uint8Array([0, 0]), at: 1 });
    await v3.table('residentBuckets').put({ docName: 'demo/registry', bucket: 3, json: '[]' });
    await v3
      .table('records')
      .put({ docName: 'demo/registry', collection: 'buildings', id: 'b1', record: { id: 'b1', name: '1栋' } });
    await v3.table('projections').put({ docName: 'demo/registry', stateVector: new Uint8Array([0]), builtAt: 1 });
    v3.close();

    const db = new WorkstationDb(name, new SealedRows(new MemoryKeyRing()));
    await db.open();
    expect(db.verno).toBe(6);
    expect(await db.records.count()).toBe(0);
    expect(await readRecordRows(db, 'demo/registry')).toEqual([]);
    expect(await db.projections.count()).toBe(0);
    expect(await db.docUpdates.count()).toBe(1);
    expect(await db.residentBuckets.count()).toBe(1);
    db.close();
    await db.delete();
  });

  it('v4 → v5 opens a store of version 4 as it is (rows in clear), and migrateToSealed seals every row in place', async () => {
    const name = `migration-${Math.random().toString(36).slice(2)}`;
    const source = new Y.Doc();
    source.getMap('residents').set('r1', '110101199003071234');
    const resident = { id: 'r1', keys: { name: '张三', address: '1栋' }, record: { phone: '13812345678' } };
    const head = { total: 1, json: JSON.stringify([resident]) };

    // The database as version 4 left it: every row in clear.
    const v4 = new Dexie(name);
    v4.version(1).stores(SCHEMA_V1);
    v4.version(2).stores(SCHEMA_V2);
    v4.version(3).stores(SCHEMA_V3);
    v4.version(4).stores(SCHEMA_V4);
    await v4.open();
    await v4.table('docUpdates').add({ docName: 'demo/registry', update: Y.encodeStateAsUpdate(source), at: 1 });
    await v4.table('residentBuckets').put({ docName: 'demo/registry', bucket: 3, json: JSON.stringify([resident]) });
    await v4.table('recordBuckets').put({
      docName: 'demo/registry',
      collection: 'volunteers',
      bucket: 1,
      json: '[{"id":"v1","phone":"13900000000"}]',
    });
    // The state of the document above (a projection of the empty document is not shown: projectsNothing).
    await v4.table('projections').put({
      docName: 'demo/registry',
      stateVector: Y.encodeStateVector(source),
      builtAt: 1,
      head,
    });
    await v4.table('settings').bulkPut([
      { key: 'deviceId', value: 'device-1' },
      { key: 'currentCommunity', value: 'demo' },
      { key: 'person:demo', value: { kind: 'resident', id: 'r1' } },
      { key: 'sync.config', value: { server: 'wss://s', user: '王', role: 'editor', communities: ['demo'] } },
    ]);
    await v4.table('communities').put({ id: 'demo', name: '示范社区', addedAt: 1, lastOpenedAt: 1 });
    v4.close();

    const keys = new MemoryKeyRing();
    const store = await WorkstationStore.open(name, { keys });
    expect(store.db.verno).toBe(6);
    expect(store.sealed).toBe(false);
    const read = async (s: WorkstationStore) => ({
      doc: (await s.document('demo/registry')).getMap('residents').get('r1'),
      residents: await readResidentRows(s.db, 'demo/registry'),
      records: await readRecordRows(s.db, 'demo/registry'),
      head: await readListHead(s.db, 'demo/registry'),
      person: await s.personIn(toCommunityId('demo')),
      config: (await loadSyncConfig(s))?.server,
      deviceId: s.deviceId,
    });
    const before = await read(store);
    expect(before).toMatchObject({ doc: '110101199003071234', person: { id: 'r1' }, config: 'wss://s' });
    expect(before.head?.rows).toEqual([resident]);
    expect(before.deviceId).toBe('device-1');

    await store.migrateToSealed();
    expect(store.sealed).toBe(true);
    await store.close();
    expect(rowsInClear(await rawRows(name))).toEqual([]);

    const again = await WorkstationStore.open(name, { keys });
    expect(again.sealed).toBe(true);
    expect(await read(again)).toEqual(before);
    expect(await again.db.communities.get('demo')).toMatchObject({ name: '示范社区' });
    await again.close();
    await Dexie.delete(name);
  });

  it('v5 → v6 adds empty resident keys: a projection of 5 is searched from its buckets, then gets its keys', async () => {
    const name = `migration-${Math.random().toString(36).slice(2)}`;
    const keys = new MemoryKeyRing();
    // A sealed store of version 5 with a projected registry: made by today's code, then taken back to 5.
    const { doc } = generateDemoCommunity(5, { residents: 120 });
    const made = await WorkstationStore.open(name, { keys });
    const community = await made.addDemoCommunity(Y.encodeStateAsUpdate(doc));
    await made.registry(community);
    await made.flush();
    const docName = made.registryName(community);
    const reference = await made.searchResidents(community, 'zh', {}, 200);
    await made.close();
    const v6 = new Dexie(name);
    await v6.open();
    const states = (await v6.table('projections').toArray()) as Record<string, unknown>[];
    v6.close();
    await Dexie.delete(name);
    const v5 = new Dexie(name);
    for (const [version, schema] of [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5].entries()) {
      v5.version(version + 1).stores(schema);
    }
    await v5.open();
    // Buckets and states as version 5 wrote them (sealed the same way), without keys or `keysFormat`.
    const source = await WorkstationStore.open(`${name}-copy`, { keys });
    await source.addDemoCommunity(Y.encodeStateAsUpdate(doc));
    await source.registry(community);
    await source.flush();
    await v5.table('docUpdates').bulkAdd((await source.db.docUpdates.toArray()).map(({ seq: _seq, ...row }) => row));
    await v5.table('residentBuckets').bulkPut(await source.db.residentBuckets.toArray());
    await v5.table('recordBuckets').bulkPut(await source.db.recordBuckets.toArray());
    await v5.table('settings').bulkPut(await source.db.settings.toArray());
    await v5.table('communities').bulkPut(await source.db.communities.toArray());
    await v5
      .table('projections')
      .bulkPut((await source.db.projections.toArray()).map(({ keysFormat: _keys, ...state }) => state));
    await source.close();
    await Dexie.delete(`${name}-copy`);
    v5.close();
    expect(states.length).toBeGreaterThan(0);

    const store = await WorkstationStore.open(name, { keys });
    try {
      expect(store.db.verno).toBe(6);
      expect(await store.db.residentKeys.count()).toBe(0);
      const answer = await store.searchResidents(community, 'zh', {}, 200);
      expect(answer.total).toBe(reference.total);
      await expect
        .poll(async () => (await store.db.projections.get(docName))?.keysFormat, { timeout: 5000 })
        .toBe(RESIDENT_KEYS_FORMAT);
      expect(await store.db.residentKeys.where('docName').equals(docName).count()).toBe(64);
      await store.flush();
    } finally {
      await store.close();
      await Dexie.delete(name);
    }
  });
});
