import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SCHEMA_V1, WorkstationDb } from '../../../../renderer/data/db';

describe('Dexie schema upgrades', () => {
  it('v1 → v2 keeps the stored documents and settings and adds empty projection tables', async () => {
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

    const db = new WorkstationDb(name);
    await db.open();
    expect(db.verno).toBe(2);
    const rows = await db.docUpdates.toArray();
    expect(rows).toHaveLength(1);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, rows[0]!.update);
    expect(doc.getMap('residents').get('r1')).toBe('kept');
    expect(await db.settings.get('deviceId')).toEqual({ key: 'deviceId', value: 'device-1' });
    expect(await db.communities.get('demo')).toMatchObject({ name: '示范社区' });
    expect(await db.residentBuckets.count()).toBe(0);
    expect(await db.projections.count()).toBe(0);
    db.close();
    await db.delete();
  });
});
