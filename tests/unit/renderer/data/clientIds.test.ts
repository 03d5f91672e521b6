import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  claimKey,
  ClientIdSession,
  databaseClaims,
  profileClientIds,
  storageMarks,
  webLocks,
} from '../../../../renderer/data/clientIds';
import { WorkstationDb } from '../../../../renderer/data/db';
import { LocalDocs } from '../../../../renderer/data/docs';
import { MemoryKeyRing } from '../../../../renderer/data/keyring';
import { SealedRows } from '../../../../renderer/data/sealed';
import { MemoryLocks } from './clientIdsSupport';

const DOC = 'c1/registry';
const keys = new MemoryKeyRing();
const opened: WorkstationDb[] = [];
let counter = 0;

function freshDbName(): string {
  counter += 1;
  return `client-ids-test-${counter}-${Math.random().toString(36).slice(2)}`;
}

function openDb(name: string): WorkstationDb {
  const db = new WorkstationDb(name, new SealedRows(keys));
  opened.push(db);
  return db;
}

/**
 * One app window on the profile `name`: its own database connection (nothing kept in memory from an earlier
 * window), the profile's locks, claims in the database and clean ends in localStorage, as in the app.
 */
function openWindow(name: string, locks: MemoryLocks) {
  const db = openDb(name);
  const view = locks.window();
  const docs = new LocalDocs(db, () =>
    ClientIdSession.start({
      profile: name,
      locks: view,
      claims: databaseClaims(db),
      marks: storageMarks(localStorage, name),
    }),
  );
  return { db, docs, view };
}

function edit(doc: Y.Doc, key: string, value: string): void {
  doc.getMap<string>('residents').set(key, value);
}

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

describe('client ids of LocalDocs', () => {
  it('reuses the id of a slot whose last session ended clean, with its clock going on', async () => {
    const name = freshDbName();
    const locks = new MemoryLocks();
    const first = openWindow(name, locks);
    const doc1 = await first.docs.get(DOC);
    edit(doc1, 'r1', 'one');
    const id = doc1.clientID;
    await first.docs.closeAll();

    const second = openWindow(name, locks);
    const doc2 = await second.docs.get(DOC);
    expect(doc2.clientID).toBe(id);
    edit(doc2, 'r2', 'two');
    expect(Y.getState(doc2.store, id)).toBe(2);
    await second.docs.closeAll();

    const third = openWindow(name, locks);
    const doc3 = await third.docs.get(DOC);
    expect(doc3.clientID).toBe(id);
    expect(doc3.getMap('residents').toJSON()).toEqual({ r1: 'one', r2: 'two' });
    expect(doc3.store.clients.size).toBe(1);
  });

  it('gives two windows of one profile open at the same time different ids, each kept in its slot', async () => {
    const name = freshDbName();
    const locks = new MemoryLocks();
    const a = openWindow(name, locks);
    const b = openWindow(name, locks);
    const docA = await a.docs.get(DOC);
    const docB = await b.docs.get(DOC);
    expect(docA.clientID).not.toBe(docB.clientID);
    const [idA, idB] = [docA.clientID, docB.clientID];
    edit(docA, 'a', 'A');
    edit(docB, 'b', 'B');
    await a.docs.closeAll();
    await b.docs.closeAll();

    // Both slots free again: the next two windows get the two ids back, one each.
    const c = openWindow(name, locks);
    const d = openWindow(name, locks);
    const docC = await c.docs.get(DOC);
    const docD = await d.docs.get(DOC);
    expect(new Set([docC.clientID, docD.clientID])).toEqual(new Set([idA, idB]));
  });

  it('gives new ids after a crash: what the crashed window sent but never stored cannot clash', async () => {
    const name = freshDbName();
    const locks = new MemoryLocks();
    const server = new Y.Doc();
    const first = openWindow(name, locks);
    const doc1 = await first.docs.get(DOC);
    edit(doc1, 'r1', 'stored');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(doc1));
    const id = doc1.clientID;
    await first.docs.closeAll();

    // The next window reuses the id, sends an edit to the server and dies before the edit reaches the disk.
    const second = openWindow(name, locks);
    const doc2 = await second.docs.get(DOC);
    expect(doc2.clientID).toBe(id);
    doc2.on('update', (update: Uint8Array) => Y.applyUpdate(server, update, 'sent'));
    edit(doc2, 'r2', 'sent, never stored');
    second.db.close();
    second.view.crash();

    const third = openWindow(name, locks);
    const doc3 = await third.docs.get(DOC);
    expect(doc3.getMap('residents').toJSON()).toEqual({ r1: 'stored' });
    expect(doc3.clientID).not.toBe(id);
    edit(doc3, 'r3', 'after the crash');
    // Synced both ways: both sides hold every edit, the same.
    Y.applyUpdate(server, Y.encodeStateAsUpdate(doc3, Y.encodeStateVector(server)));
    Y.applyUpdate(doc3, Y.encodeStateAsUpdate(server, Y.encodeStateVector(doc3)));
    const all = { r1: 'stored', r2: 'sent, never stored', r3: 'after the crash' };
    expect(server.getMap('residents').toJSON()).toEqual(all);
    expect(doc3.getMap('residents').toJSON()).toEqual(all);
  });

  it('(why) reusing the id of a crashed window would lose an edit on one side, silently', () => {
    const server = new Y.Doc();
    const device = new Y.Doc();
    device.clientID = 7;
    edit(device, 'r1', 'stored');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(device));
    const beforeCrash = Y.encodeStateAsUpdate(device);
    edit(device, 'r2', 'sent, never stored');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(device, Y.encodeStateVector(server)));
    // The device restarts from disk with id 7 and edits at the clock the server already holds.
    const restarted = new Y.Doc();
    Y.applyUpdate(restarted, beforeCrash);
    restarted.clientID = 7;
    edit(restarted, 'r3', 'after the crash');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(restarted, Y.encodeStateVector(server)));
    Y.applyUpdate(restarted, Y.encodeStateAsUpdate(server, Y.encodeStateVector(restarted)));
    expect(server.getMap('residents').toJSON()).not.toEqual(restarted.getMap('residents').toJSON());
  });

  it('gives new ids when the window closed with writes in flight, and keeps them when it closed idle', async () => {
    const name = freshDbName();
    const locks = new MemoryLocks();
    const first = openWindow(name, locks);
    const doc1 = await first.docs.get(DOC);
    edit(doc1, 'r1', 'one');
    await first.docs.flush();
    const id = doc1.clientID;
    window.dispatchEvent(new Event('pagehide'));
    // The session ended: whatever the window still does is under another id, never the slot's.
    expect(doc1.clientID).not.toBe(id);
    first.view.crash();

    const second = openWindow(name, locks);
    const doc2 = await second.docs.get(DOC);
    expect(doc2.clientID).toBe(id);
    edit(doc2, 'r2', 'pending');
    // Closed at once: the update is not on disk yet.
    window.dispatchEvent(new Event('pagehide'));
    second.view.crash();
    await second.docs.flush();

    const third = openWindow(name, locks);
    const doc3 = await third.docs.get(DOC);
    expect(doc3.clientID).not.toBe(id);
  });

  it('gives a new id after a failed write, even if later writes succeed', async () => {
    const name = freshDbName();
    const locks = new MemoryLocks();
    const first = openWindow(name, locks);
    const doc1 = await first.docs.get(DOC);
    edit(doc1, 'r1', 'one');
    const id = doc1.clientID;
    await first.docs.closeAll();

    const second = openWindow(name, locks);
    const errors: unknown[] = [];
    second.docs.onWriteError((error) => errors.push(error));
    const doc2 = await second.docs.get(DOC);
    expect(doc2.clientID).toBe(id);
    const bulkAdd = vi.spyOn(second.db.docUpdates, 'bulkAdd').mockRejectedValueOnce(new Error('QuotaExceededError'));
    edit(doc2, 'r2', 'lost');
    await second.docs.flush();
    bulkAdd.mockRestore();
    edit(doc2, 'r3', 'stored');
    await second.docs.closeAll();
    expect(errors).toHaveLength(1);

    const third = openWindow(name, locks);
    expect((await third.docs.get(DOC)).clientID).not.toBe(id);
  });

  it("gives a document a new id when its clock is not the one the slot kept (data removed, or the id's content came from elsewhere)", async () => {
    const name = freshDbName();
    const locks = new MemoryLocks();
    const first = openWindow(name, locks);
    const registry = await first.docs.get(DOC);
    const cases = await first.docs.get('c1/cases/2026');
    edit(registry, 'r1', 'one');
    edit(cases, 'k1', 'one');
    const [registryId, casesId] = [registry.clientID, cases.clientID];
    await first.docs.closeAll();

    // The cases' rows are removed (as removeDocumentData does); someone else's use of the registry's id is stored.
    const db = openDb(name);
    await db.docUpdates.where('docName').equals('c1/cases/2026').delete();
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(registry));
    elsewhere.clientID = registryId;
    edit(elsewhere, 'r9', 'from a copy of this profile');
    const received = new LocalDocs(db, () => Promise.resolve(ClientIdSession.unslotted()));
    Y.applyUpdate(await received.get(DOC), Y.encodeStateAsUpdate(elsewhere), 'sync');
    await received.flush();

    const second = openWindow(name, locks);
    expect((await second.docs.get(DOC)).clientID).not.toBe(registryId);
    expect((await second.docs.get('c1/cases/2026')).clientID).not.toBe(casesId);
  });

  it('opens a document closed during the session with its id again only if its data is still there', async () => {
    const name = freshDbName();
    const locks = new MemoryLocks();
    const win = openWindow(name, locks);
    const doc = await win.docs.get(DOC);
    edit(doc, 'r1', 'one');
    const id = doc.clientID;
    await win.docs.close(DOC);
    const again = await win.docs.get(DOC);
    expect(again.clientID).toBe(id);
    edit(again, 'r2', 'two');
    await win.docs.close(DOC);
    await win.db.docUpdates.where('docName').equals(DOC).delete();
    const emptied = await win.docs.get(DOC);
    expect(emptied.clientID).not.toBe(id);
  });

  it('claims the slot on disk before the first document is handed out, and does not read a clean end of another claim', async () => {
    const name = freshDbName();
    const locks = new MemoryLocks();
    const first = openWindow(name, locks);
    const id = (await first.docs.get(DOC)).clientID;
    const claimed = await first.db.sealedSettings.get(claimKey(0));
    expect(typeof claimed?.value).toBe('string');
    await first.docs.closeAll();
    const mark = storageMarks(localStorage, name).read(0);
    expect(mark?.session).toBe(claimed?.value);
    expect(mark?.docs[DOC]?.id).toBe(id);

    // A database put back from an older copy holds an older claim: the clean end does not match it.
    await first.db.sealedSettings.put({ key: claimKey(0), value: 'an older session' });
    const second = openWindow(name, locks);
    expect((await second.docs.get(DOC)).clientID).not.toBe(id);
  });

  it('uses fresh ids where the platform has no Web Locks', async () => {
    expect(typeof (navigator as Partial<Navigator>).locks).toBe('undefined');
    const name = freshDbName();
    const first = new LocalDocs(openDb(name), profileClientIds(openDb(name)));
    const doc1 = await first.get(DOC);
    edit(doc1, 'r1', 'one');
    await first.closeAll();
    const second = new LocalDocs(openDb(name));
    expect((await second.get(DOC)).clientID).not.toBe(doc1.clientID);
  });
});

describe('platform parts', () => {
  it('holds a Web Lock until released, and answers null while another holds it', async () => {
    // The Web Locks contract that matters here: ifAvailable calls back with null when taken, and the lock is held
    // until the callback's promise settles.
    const held = new Set<string>();
    const manager = {
      request: async (
        name: string,
        _options: LockOptions,
        callback: (lock: Lock | null) => Promise<unknown>,
      ): Promise<unknown> => {
        if (held.has(name)) return callback(null);
        held.add(name);
        try {
          return await callback({ name, mode: 'exclusive' });
        } finally {
          held.delete(name);
        }
      },
    } as unknown as Pick<LockManager, 'request'>;
    const locks = webLocks(manager);
    const release = await locks.take('slot');
    expect(release).not.toBeNull();
    expect(await locks.take('slot')).toBeNull();
    release?.();
    await Promise.resolve();
    await Promise.resolve();
    expect(await locks.take('slot')).not.toBeNull();
  });

  it('reads no clean end from a garbled mark, and drops entries that are not ids and clocks', () => {
    const marks = storageMarks(localStorage, 'p');
    localStorage.setItem('cgw.clientIds.p.0', '{not json');
    expect(marks.read(0)).toBeUndefined();
    localStorage.setItem(
      'cgw.clientIds.p.1',
      JSON.stringify({ session: 's', docs: { a: { id: 5, clock: 3 }, b: { id: 'x', clock: 1 }, c: null } }),
    );
    expect(marks.read(1)).toEqual({ session: 's', docs: { a: { id: 5, clock: 3 } } });
  });
});
