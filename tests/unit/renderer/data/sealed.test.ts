import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { updateResident } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import type { VolunteerId } from '@shared/domain/registry/types';
import { listRecords } from '@shared/ydoc/registry';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { WorkstationDb } from '../../../../renderer/data/db';
import { LocalDocs } from '../../../../renderer/data/docs';
import { MemoryKeyRing, type KeyRing } from '../../../../renderer/data/keyring';
import { readListHead, readRecordRows, readResidentRows } from '../../../../renderer/data/projectionRows';
import {
  IV_BYTES,
  PLAIN_SETTINGS,
  SealedRowError,
  SealedRows,
  rowAad,
  sealBytes,
} from '../../../../renderer/data/sealed';
import {
  MissingKeysError,
  personKey,
  WorkstationStore,
  type CodecStoreOptions,
  type StoreOptions,
} from '../../../../renderer/data/store';
import {
  addAwayChanges,
  loadAwayChanges,
  loadSyncConfig,
  saveDocSyncState,
  saveSyncConfig,
  type SyncConfig,
} from '../../../../renderer/data/syncState';
import { PlainRows } from './plainRows';
import { findPersonalData, personalDataOf, rawRows, rowsInClear } from './rawRows';

const names: string[] = [];
function freshName(): string {
  const name = `sealed-${Math.random().toString(36).slice(2)}`;
  names.push(name);
  return name;
}
const opened: { close(): unknown }[] = [];

afterEach(async () => {
  for (const db of opened.splice(0)) db.close();
  for (const name of names.splice(0)) await Dexie.delete(name);
});

const community = toCommunityId('c1');

const registry = docName({ community, collection: 'registry' });

const SYNC_CONFIG: SyncConfig = {
  server: 'wss://sync.example',
  user: '王小明',
  role: 'editor',
  communities: ['c1'],
  tokenId: 'token-1',
  expiresAt: 2_000_000_000,
  joinedAt: 1,
};

/** A store holding a generated community as the app leaves it: log, projections, settings about people. */
async function storeWithCommunity(
  name: string,
  options: StoreOptions | CodecStoreOptions,
  residents = 300,
): Promise<{ store: WorkstationStore; doc: Y.Doc; newPhone: string }> {
  const store = await WorkstationStore.open(name, options);
  const { doc } = generateDemoCommunity(21, { residents, buildings: 6 });
  await store.addDemoCommunity(Y.encodeStateAsUpdate(doc), community);
  await store.registry(community);
  const someone = listRecords(doc, 'residents')[0]!;
  // A local edit: a row of its own in the log, and a flush of the projection.
  const newPhone = '13912345678';
  const edited = await store.run(community, updateResident, { id: someone.id, changes: { phone: newPhone } });
  expect(edited.ok).toBe(true);
  await store.setPersonIn(community, { kind: 'resident', id: someone.id });
  await saveSyncConfig(store, SYNC_CONFIG);
  await saveDocSyncState(store, registry, { markers: { '1': [3] }, serverState: { '1': 2 }, lastFullSync: 5 });
  await addAwayChanges(store, community, [
    {
      docName: registry,
      collection: 'residents',
      recordId: someone.id,
      action: 'update',
      userName: '李四',
      deviceId: 'laptop',
      at: '2026-11-01T08:00:00.000Z',
      fields: ['phone'],
      receivedAt: 1,
    },
  ]);
  await store.flush();
  return { store, doc, newPhone };
}

describe('encryption at rest: what is on disk', () => {
  it('leaves no ID number and no mobile of a generated community in any row, as text or as bytes', async () => {
    const name = freshName();
    const { store, doc, newPhone } = await storeWithCommunity(name, { keys: new MemoryKeyRing() });
    await store.close();
    const { idNumbers, mobiles } = personalDataOf(doc);
    mobiles.add(newPhone);
    expect(idNumbers.size).toBeGreaterThanOrEqual(300);
    expect(mobiles.size).toBeGreaterThan(100);
    const rows = await rawRows(name);
    // Every table but `records` (unused and empty since version 4) holds rows.
    expect(new Set(rows.map((row) => row.table))).toEqual(
      new Set([
        'docUpdates',
        'communities',
        'settings',
        'residentBuckets',
        'residentKeys',
        'recordBuckets',
        'projections',
      ]),
    );
    expect(findPersonalData(rows, mobiles, idNumbers)).toEqual([]);
    expect(rowsInClear(rows)).toEqual([]);
  });

  it('finds them in every table of a store in clear (so the scan above is not empty by mistake)', async () => {
    const name = freshName();
    const { store, doc, newPhone } = await storeWithCommunity(name, { rows: new PlainRows() });
    await store.close();
    const { idNumbers, mobiles } = personalDataOf(doc);
    mobiles.add(newPhone);
    const found = findPersonalData(await rawRows(name), mobiles, idNumbers);
    const tables = new Set(found.map((where) => where.split(' ')[0]));
    expect(tables).toEqual(new Set(['docUpdates', 'residentBuckets', 'recordBuckets', 'projections']));
    expect(found.some((where) => where.includes(`mobile ${newPhone}`))).toBe(true);
  });

  it('keeps only the settings of PLAIN_SETTINGS in clear, and seals every row of every other table', async () => {
    const name = freshName();
    const { store } = await storeWithCommunity(name, { keys: new MemoryKeyRing() }, 80);
    await store.close();
    const rows = await rawRows(name);
    for (const { table, row } of rows) {
      if (table === 'docUpdates') expect(Object.keys(row).sort()).toEqual(['at', 'docName', 'sealed', 'seq']);
      if (table === 'residentBuckets') expect(Object.keys(row).sort()).toEqual(['bucket', 'docName', 'sealed']);
      if (table === 'recordBuckets') {
        expect(Object.keys(row).sort()).toEqual(['bucket', 'collection', 'docName', 'sealed']);
      }
      if (table === 'projections') expect(row.sealedHead).toBeInstanceOf(Uint8Array);
      if (table === 'settings') {
        if (PLAIN_SETTINGS.has(String(row.key))) expect(row.sealed).toBeUndefined();
        else expect(Object.keys(row).sort()).toEqual(['key', 'sealed']);
      }
    }
    const settings = rows.filter((row) => row.table === 'settings').map((row) => String(row.row.key));
    expect(settings).toEqual(
      expect.arrayContaining([
        'deviceId',
        'currentCommunity',
        'storage.sealed',
        personKey(community),
        'sync.config',
        `sync.doc.${registry}`,
        `sync.away.${community}`,
      ]),
    );
  });
});

describe('encryption at rest: round trips', () => {
  it('reads every table back as it was written, after a restart with the same keys', async () => {
    const name = freshName();
    const keys = new MemoryKeyRing();
    const { store, newPhone } = await storeWithCommunity(name, { keys }, 150);
    const everyone = await store.searchResidents(community, '', {}, 10_000);
    const records = await readRecordRows(store.db, registry);
    const head = await readListHead(store.db, registry);
    const stateVector = Y.encodeStateVector((await store.registry(community)).doc);
    await store.close();

    const again = await WorkstationStore.open(name, { keys });
    opened.push(again.db);
    expect(again.sealed).toBe(true);
    // projections: list head, resident and record buckets
    expect(await readListHead(again.db, registry)).toEqual(head);
    expect(await readRecordRows(again.db, registry)).toEqual(records);
    const listed = await again.searchResidents(community, '', {}, 10_000);
    expect(listed.hits.map((hit) => hit.row.id)).toEqual(everyone.hits.map((hit) => hit.row.id));
    expect((await again.searchResidents(community, newPhone.slice(-4))).total).toBeGreaterThan(0);
    // update log
    const reloaded = await again.document(registry);
    expect(Y.encodeStateVector(reloaded)).toEqual(stateVector);
    expect(listRecords(reloaded, 'residents').find((r) => r.phone === newPhone)).toBeDefined();
    // settings
    expect(await again.personIn(community)).toMatchObject({ kind: 'resident' });
    expect(await loadSyncConfig(again)).toEqual(SYNC_CONFIG);
    expect((await loadAwayChanges(again, community)).map((change) => change.userName)).toEqual(['李四']);
    await again.flush();
    await again.close();
  });

  it('asks for the key of the community the screens open first while the store opens, not when its list is read', async () => {
    const name = freshName();
    const keys = new MemoryKeyRing();
    const { store } = await storeWithCommunity(name, { keys }, 20);
    await store.close();
    const asked: string[] = [];
    const watched: KeyRing = {
      keyFor: (of) => {
        asked.push(of);
        return keys.keyFor(of);
      },
      deviceKey: () => keys.deviceKey(),
      forget: (of) => keys.forget(of),
    };
    const again = await WorkstationStore.open(name, { keys: watched });
    opened.push(again.db);
    // No list has asked for anything yet: the vault is asked for the community's key meanwhile (and again by the
    // read of its list head the store starts as it opens, which the vault answers with the same key: vault.ts).
    await vi.waitFor(() => expect(asked.length).toBeGreaterThan(0));
    expect(new Set(asked)).toEqual(new Set(['c1']));
  });

  it('seals each kind of row with its own additional data and opens it back', async () => {
    const rows = new SealedRows(new MemoryKeyRing());
    const update = Y.encodeStateAsUpdate(generateDemoCommunity(3, { residents: 5 }).doc);
    const sealedUpdate = await rows.updateRow(registry, 7, update, 1);
    expect(sealedUpdate.update).toBeUndefined();
    expect(await rows.openUpdate(sealedUpdate)).toEqual(update);
    const bucket = await rows.residentBucket(registry, 3, '[{"id":"r1"}]');
    expect(await rows.openResidentBucket(bucket)).toBe('[{"id":"r1"}]');
    const records = await rows.recordBucket(registry, 'households', 2, '[]');
    expect(await rows.openRecordBucket(records)).toBe('[]');
    const head = await rows.listHead(registry, { total: 1, json: '[]' });
    expect(
      await rows.openListHead({ docName: registry, stateVector: new Uint8Array([0]), builtAt: 1, ...head }),
    ).toEqual({
      total: 1,
      json: '[]',
    });
    const setting = await rows.setting('person:c1', { kind: 'resident', id: 'r1' });
    expect(setting.value).toBeUndefined();
    expect(await rows.openSetting(setting)).toEqual({ kind: 'resident', id: 'r1' });
    expect(await rows.setting('deviceId', 'd-1')).toEqual({ key: 'deviceId', value: 'd-1' });
  });

  it('gives every sealed value a fresh 12-byte IV, so the same content never looks the same twice', async () => {
    const key = await new MemoryKeyRing().keyFor('c1');
    const plain = new TextEncoder().encode('110101199001011234');
    const aad = rowAad('settings', 'x');
    const [a, b] = await Promise.all([sealBytes(key, aad, plain), sealBytes(key, aad, plain)]);
    expect(a.length).toBe(IV_BYTES + plain.length + 16);
    expect(Buffer.from(a.subarray(0, IV_BYTES)).equals(Buffer.from(b.subarray(0, IV_BYTES)))).toBe(false);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});

describe('encryption at rest: what does not open', () => {
  it('refuses a store sealed with other keys at open, with SealedRowError, never garbage', async () => {
    const name = freshName();
    const { store } = await storeWithCommunity(name, { keys: new MemoryKeyRing() }, 40);
    await store.close();
    await expect(WorkstationStore.open(name, { keys: new MemoryKeyRing() })).rejects.toThrow(SealedRowError);
    // Reached below the store too: the update log with another key does not load.
    const db = new WorkstationDb(name, new SealedRows(new MemoryKeyRing()));
    opened.push(db);
    await expect(new LocalDocs(db).get(registry)).rejects.toThrow(/does not open/);
    await expect(readResidentRows(db, registry)).rejects.toThrow(SealedRowError);
  });

  it('refuses a row of which any byte changed (IV, ciphertext or tag)', async () => {
    const name = freshName();
    const keys = new MemoryKeyRing();
    const { store } = await storeWithCommunity(name, { keys }, 40);
    await store.close();
    const db = new WorkstationDb(name, new SealedRows(keys));
    opened.push(db);
    const flip = (bytes: Uint8Array, at: number) => {
      const copy = Uint8Array.from(bytes);
      copy[at] = (copy[at] ?? 0) ^ 1;
      return copy;
    };
    const [update] = await db.docUpdates.where('docName').equals(registry).toArray();
    for (const at of [0, IV_BYTES + 3, update!.sealed!.length - 1]) {
      await expect(db.rows.openUpdate({ ...update!, sealed: flip(update!.sealed!, at) })).rejects.toThrow(
        SealedRowError,
      );
    }
    const [bucket] = await db.residentBuckets.where('docName').equals(registry).toArray();
    await db.residentBuckets.put({ ...bucket!, sealed: flip(bucket!.sealed!, 20) });
    await expect(readResidentRows(db, registry)).rejects.toThrow(/residentBuckets row .* does not open/);
    const state = (await db.projections.get(registry))!;
    await db.projections.put({ ...state, sealedHead: flip(state.sealedHead!, 40) });
    await expect(readListHead(db, registry)).rejects.toThrow(SealedRowError);
  });

  it('refuses a sealed value moved to another row: another bucket, seq, document or setting', async () => {
    const name = freshName();
    const keys = new MemoryKeyRing();
    const { store } = await storeWithCommunity(name, { keys }, 60);
    await store.setPersonIn(toCommunityId('c2'), { kind: 'volunteer', id: 'v-1' as VolunteerId });
    await store.close();
    const db = new WorkstationDb(name, new SealedRows(keys));
    opened.push(db);

    const [a, b] = await db.residentBuckets.where('docName').equals(registry).toArray();
    await db.residentBuckets.bulkPut([
      { ...a!, sealed: b!.sealed! },
      { ...b!, sealed: a!.sealed! },
    ]);
    await expect(readResidentRows(db, registry)).rejects.toThrow(SealedRowError);

    const [row] = await db.docUpdates.where('docName').equals(registry).toArray();
    await expect(db.rows.openUpdate({ ...row!, seq: row!.seq! + 1000 })).rejects.toThrow(SealedRowError);
    // Same community (same key), another document.
    const cases = docName({ community, collection: 'cases', year: 2026 });
    await expect(db.rows.openUpdate({ ...row!, docName: cases })).rejects.toThrow(SealedRowError);

    const [c1, c2] = await Promise.all([db.settings.get(personKey(community)), db.settings.get('person:c2')]);
    await db.settings.put({ key: personKey(community), sealed: c2!.sealed! });
    const moved = await WorkstationStore.open(name, { keys });
    opened.push(moved.db);
    await expect(moved.personIn(community)).rejects.toThrow(SealedRowError);
    expect(c1?.sealed).toBeInstanceOf(Uint8Array);
  });

  it('refuses a row in clear in a sealed store (it was not written by this app)', async () => {
    const name = freshName();
    const keys = new MemoryKeyRing();
    const { store } = await storeWithCommunity(name, { keys }, 30);
    expect(store.sealed).toBe(true);
    const planted = new Y.Doc();
    planted.getMap('residents').set('x', 'planted');
    await store.db.docUpdates.add({ docName: 'c1/meetings/2026', update: Y.encodeStateAsUpdate(planted), at: 1 });
    await expect(store.document('c1/meetings/2026')).rejects.toThrow(/in clear in a sealed store/);
    await store.db.settings.put({ key: personKey(community), value: { kind: 'resident', id: 'r-planted' } });
    await expect(store.personIn(community)).rejects.toThrow(SealedRowError);
    await store.close();
  });

  it('does not open a store without keys', async () => {
    // The call the app's start made before sign-in passed keys: the types refuse it now, the store still does.
    const open = (dbName: string) =>
      (WorkstationStore as unknown as { open(name: string): Promise<unknown> }).open(dbName);
    await expect(open(freshName())).rejects.toThrow(MissingKeysError);
  });
});

describe('encryption at rest: the update log', () => {
  it('gives a row new seqs and seals it again when another window took them meanwhile', async () => {
    const name = freshName();
    const keys = new MemoryKeyRing();
    const [one, two] = [new WorkstationDb(name, new SealedRows(keys)), new WorkstationDb(name, new SealedRows(keys))];
    opened.push(one, two);
    const first = new LocalDocs(one);
    const second = new LocalDocs(two);
    // Both read the last seq (none) before either writes: they would give the same seqs.
    const [a, b] = await Promise.all([first.get('c1/cases/2026'), second.get('c1/meetings/2026')]);
    a.getMap('m').set('k', 'from one');
    await first.flush();
    b.getMap('m').set('k', 'from two');
    await second.flush();
    const seqs = (await one.docUpdates.toArray()).map((row) => row.seq);
    expect(new Set(seqs).size).toBe(2);
    const reader = new LocalDocs(new WorkstationDb(name, new SealedRows(keys)));
    expect((await reader.get('c1/cases/2026')).getMap('m').get('k')).toBe('from one');
    expect((await reader.get('c1/meetings/2026')).getMap('m').get('k')).toBe('from two');
    await reader.closeAll();
  });
});
