/**
 * Records name the signed-in account only (docs/accounts.md): the free-text user name of versions before accounts
 * (setting `user`) is neither read nor kept, and joining a sync server does not name the actor after the token's user.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { MemoryKeyRing } from '../../../../renderer/data/keyring';
import { LEGACY_USER_SETTING, WorkstationStore } from '../../../../renderer/data/store';
import { SyncManager, type SecretStore } from '../../../../renderer/sync/manager';
import { syncFrame } from '../../../integration/sync-server/harness';

function jwt(payload: object): string {
  const part = (value: object) =>
    btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}.signature`;
}

const stores: WorkstationStore[] = [];
let wss: WebSocketServer | null = null;

afterEach(async () => {
  for (const store of stores.splice(0)) {
    await store.flush();
    await store.close();
  }
  await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
  wss = null;
});

async function openStore(name: string, keys: MemoryKeyRing): Promise<WorkstationStore> {
  const store = await WorkstationStore.open(name, { keys });
  stores.push(store);
  return store;
}

describe('who records name', () => {
  it('ignores and deletes the old free-text user setting; the signed-in account is named', async () => {
    const name = `actor-${Math.random().toString(36).slice(2)}`;
    const keys = new MemoryKeyRing();
    const first = await openStore(name, keys);
    // What a version before accounts kept: a typed name, possibly someone else's.
    await first.db.sealedSettings.put({ key: LEGACY_USER_SETTING, value: { userId: 'u-typed', userName: '随便写的' } });
    await first.close();
    stores.splice(0);

    const store = await openStore(name, keys);
    expect(await store.db.sealedSettings.get(LEGACY_USER_SETTING)).toBeUndefined();
    const before = store.commandContext().actor;
    expect(before.userName).not.toBe('随便写的');
    expect(before.userId).not.toBe('u-typed');
    store.actAs({ id: 'account-1', name: '李主任', createdBy: null });
    expect(store.commandContext().actor).toMatchObject({ userId: 'account-1', userName: '李主任' });
  });

  it('joining with a token keeps the signed-in account as the actor, not the token user', async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (ws) => ws.send(syncFrame(0, Y.encodeStateVector(new Y.Doc()))));
    await new Promise((resolve) => wss?.once('listening', resolve));
    const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
    const token = jwt({ jti: 'j1', sub: 'token-user', com: ['xihe'], role: 'editor', exp: 4e9, iat: 1 });
    const fetchImpl = vi.fn<typeof fetch>(() =>
      Promise.resolve(new Response(JSON.stringify({ role: 'editor', communities: ['xihe'], user: 'token-user' }))),
    );
    const secrets = new Map<string, string>();
    const secretStore: SecretStore = {
      storeSecret: (key, value) => Promise.resolve(void secrets.set(key, value)),
      loadSecret: (key) => Promise.resolve(secrets.get(key) ?? null),
      deleteSecret: (key) => Promise.resolve(void secrets.delete(key)),
    };

    for (const signedIn of [true, false]) {
      const store = await openStore(`join-${Math.random().toString(36).slice(2)}`, new MemoryKeyRing());
      if (signedIn) store.actAs({ id: 'account-2', name: '王社工', createdBy: null });
      const manager = new SyncManager(store, secretStore, {
        fetchImpl,
        isOnline: () => true,
        onOnlineChange: () => () => undefined,
        years: () => [2026],
      });
      await manager.start();
      expect(await manager.join(url, token)).toEqual({ ok: true, reload: false });
      await manager.stop();
      const actor = store.commandContext().actor;
      expect(actor.userName).not.toBe('token-user');
      if (signedIn) expect(actor).toMatchObject({ userId: 'account-2', userName: '王社工' });
      else expect(store.user.userName).toBe('');
    }
  });
});
