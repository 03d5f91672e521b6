import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { ServerProcess, adminInProcess, issueToken, tempDataDir, waitFor } from '../sync-server/harness';
import { Device, YEAR } from './support';

const XIHE = 'shunqing-xihe';
const REGISTRY = `${XIHE}/registry`;

async function people(device: Device): Promise<Y.Map<string>> {
  return (await device.store.docs.get(REGISTRY)).getMap<string>('people');
}

describe('sync client against the real server', () => {
  const data = tempDataDir();
  const other = tempDataDir();
  let server: ServerProcess;
  let editorA: string;
  let editorB: string;
  const devices: Device[] = [];

  async function device(name: string): Promise<Device> {
    const d = await Device.open(name);
    devices.push(d);
    return d;
  }

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', XIHE, '--name', '西河社区');
    editorA = (await issueToken(data.dir, 'li', XIHE, 'editor')).token;
    editorB = (await issueToken(data.dir, 'wang', XIHE, 'editor')).token;
    server = await ServerProcess.start(data.dir);
  });

  afterEach(async () => {
    for (const d of devices.splice(0)) await d.shutdown().catch(() => undefined);
  });

  afterAll(async () => {
    await server.stop();
    data.cleanup();
    other.cleanup();
  });

  it('joins with a token, syncs both ways and counts pending changes down to 0 from the server state vector', async () => {
    const a = await device('a');
    const b = await device('b');
    expect(a.snapshot.state).toBe('local');
    expect(await a.manager.join(server.url, editorA)).toEqual({ ok: true, reload: false });
    expect(await b.manager.join(`127.0.0.1:${server.port}`, editorB)).toEqual({ ok: true, reload: false });
    await a.waitFor((s) => s.state === 'synced', 'a synced');
    expect(a.snapshot).toMatchObject({ joined: true, role: 'editor', communities: [XIHE], pending: 0 });
    expect(a.snapshot.lastFullSync).not.toBeNull();
    // The community named by the token is listed on the device even though it came from nowhere.
    expect((await a.store.db.communities.get(XIHE))?.id).toBe(XIHE);

    (await people(a)).set('r1', '张三');
    expect(a.snapshot.pending).toBe(1);
    expect(a.snapshot.state).toBe('syncing');
    await a.waitFor((s) => s.pending === 0 && s.state === 'synced', 'a acknowledged');
    await waitFor(async () => (await people(b)).get('r1') === '张三', 10_000, 'b sees a');
    (await people(b)).set('r2', '李四');
    await waitFor(async () => (await people(a)).get('r2') === '李四', 10_000, 'a sees b');
  });

  it('opens the yearly documents through the store, so the collection guards watch them before any screen does', async () => {
    const a = await device('a');
    const opened: string[] = [];
    a.store.onDocOpen('cases', (_doc, ref) => opened.push('year' in ref ? `cases/${ref.year}` : ref.collection));
    a.store.onDocOpen('meetings', (_doc, ref) => opened.push('year' in ref ? `meetings/${ref.year}` : ref.collection));
    await a.manager.join(server.url, editorA);
    await a.waitFor((s) => s.state === 'synced', 'a synced');
    expect(opened.sort()).toEqual([`cases/${YEAR}`, `meetings/${YEAR}`, `meetings/${YEAR + 1}`]);
  });

  it('keeps offline edits and their pending count across a reload, then converges with no loss nor duplicate', async () => {
    const a = await device('a');
    const b = await device('b');
    await a.manager.join(server.url, editorA);
    await b.manager.join(server.url, editorB);
    await b.waitFor((s) => s.state === 'synced', 'b synced');

    b.setOnline(false);
    await b.waitFor((s) => s.state === 'offline', 'b offline');
    const bPeople = await people(b);
    for (let i = 0; i < 5; i++) bPeople.set(`b${i}`, `乙${i}`);
    bPeople.set('same', '乙的值');
    (await people(a)).set('same', '甲的值');
    (await people(a)).set('a1', '甲1');
    await b.waitFor((s) => s.pending === 6, 'six pending on b');

    await b.reload(); // still offline
    b.setOnline(false);
    expect(b.snapshot.pending).toBe(6);
    expect((await people(b)).get('b4')).toBe('乙4');

    b.setOnline(true);
    await b.waitFor((s) => s.pending === 0 && s.state === 'synced', 'b saved', 20_000);
    await a.waitFor((s) => s.pending === 0 && s.state === 'synced', 'a saved');
    await waitFor(async () => (await people(a)).get('b4') === '乙4', 10_000, 'a got b');
    const pa = (await people(a)).toJSON();
    const pb = (await people(b)).toJSON();
    expect(pa).toEqual(pb);
    expect(['甲的值', '乙的值']).toContain(pa.same);
  });

  it('counts one pending change per local transaction, not the changes of others received while online', async () => {
    const a = await device('a');
    const b = await device('b');
    await a.manager.join(server.url, editorA);
    await b.manager.join(server.url, editorB);
    await b.waitFor((s) => s.state === 'synced', 'b synced');
    // Another device edits while b is online: b receives it from the server.
    (await people(a)).set('from-a', '甲在线');
    await waitFor(async () => (await people(b)).get('from-a') === '甲在线', 10_000, 'b sees a');
    await b.waitFor((s) => s.state === 'synced' && s.pending === 0, 'b still up to date');

    b.setOnline(false);
    await b.waitFor((s) => s.state === 'offline', 'b offline');
    const bPeople = await people(b);
    bPeople.set('one', '乙1');
    bPeople.set('two', '乙2');
    expect(b.snapshot.pending).toBe(2);
    // Also after a reload, and with a third change.
    await b.reload();
    b.setOnline(false);
    expect(b.snapshot.pending).toBe(2);
    (await people(b)).set('three', '乙3');
    expect(b.snapshot.pending).toBe(3);
    b.setOnline(true);
    await b.waitFor((s) => s.pending === 0 && s.state === 'synced', 'b saved', 20_000);
  });

  it('shows 0 pending only once the server stored the changes: a SIGKILL right after loses nothing', async () => {
    const a = await device('a');
    await a.manager.join(server.url, editorA);
    await a.waitFor((s) => s.state === 'synced', 'a synced');
    const map = await people(a);
    for (let i = 0; i < 50; i++) map.set(`k${i}`, `值${i}`);
    expect(a.snapshot.pending).toBe(50);
    await a.waitFor((s) => s.pending === 0, 'a saved');
    await server.stop('SIGKILL');
    server = await ServerProcess.start(data.dir);
    const fresh = await device('fresh');
    await fresh.manager.join(server.url, editorB);
    await fresh.waitFor((s) => s.state === 'synced', 'fresh synced');
    const got = await people(fresh);
    for (let i = 0; i < 50; i++) expect(got.get(`k${i}`)).toBe(`值${i}`);
  });

  it('lists the records changed by others while this device was away', async () => {
    const a = await device('a');
    const b = await device('b');
    await a.manager.join(server.url, editorA);
    await b.manager.join(server.url, editorB);
    await b.waitFor((s) => s.state === 'synced', 'b synced');
    b.setOnline(false);
    const docA = await a.store.docs.get(REGISTRY);
    docA.transact(() => {
      docA.getArray('audit').push([
        {
          id: 'e1',
          at: new Date().toISOString(),
          userId: 'li',
          userName: '李',
          deviceId: a.store.deviceId,
          action: 'update',
          collection: 'residents',
          recordId: 'res-1',
          fields: { phone: '13800000000' },
        },
      ]);
    });
    await a.waitFor((s) => s.pending === 0, 'a saved');
    b.setOnline(true);
    await b.waitFor((s) => s.state === 'synced', 'b back');
    const { loadAwayChanges } = await import('../../../renderer/data/syncState');
    await b.manager.flush();
    const away = await loadAwayChanges(b.store, XIHE);
    expect(away).toMatchObject([{ recordId: 'res-1', userName: '李', action: 'update', fields: ['phone'] }]);
    // Its own changes are never listed.
    expect(await loadAwayChanges(a.store, XIHE)).toEqual([]);
  });

  it('stops at once and for good on a revoked token, keeping every local change', async () => {
    const issued = await issueToken(data.dir, 'zhao', XIHE, 'editor');
    const a = await device('a');
    await a.manager.join(server.url, issued.token);
    await a.waitFor((s) => s.state === 'synced', 'a synced');
    await adminInProcess(data.dir, 'token', 'revoke', issued.jti);
    await a.waitFor((s) => s.state === 'refused', 'refused', 10_000);
    expect(a.snapshot.refusal?.kind).toBe('revoked');
    (await people(a)).set('after', '吊销后');
    const before = (await server.metrics()).get('sync_auth_failures_total{reason="token-revoked"}') ?? 0;
    await new Promise((r) => setTimeout(r, 1_500));
    const after = (await server.metrics()).get('sync_auth_failures_total{reason="token-revoked"}') ?? 0;
    expect(after).toBe(before); // no retry storm: not one more attempt
    expect((await people(a)).get('after')).toBe('吊销后');
    await a.reload();
    expect((await people(a)).get('after')).toBe('吊销后');
  });

  it('tells a token of another district, and an unreachable server, apart', async () => {
    await adminInProcess(other.dir, 'community', 'add', XIHE, '--name', '西河社区');
    const foreign = (await issueToken(other.dir, 'li', XIHE, 'editor')).token;
    const a = await device('a');
    const refused = await a.manager.join(server.url, foreign);
    expect(refused).toMatchObject({ ok: false, error: 'refused', refusal: { kind: 'foreign' } });
    const unreachable = await a.manager.join('ws://127.0.0.1:9', editorA);
    expect(unreachable).toMatchObject({ ok: false, error: 'refused', refusal: { kind: 'unreachable' } });
    expect(await a.manager.join(server.url, 'not-a-token')).toEqual({ ok: false, error: 'bad-token' });
    expect(a.snapshot.state).toBe('local');
  });

  it('a viewer token makes the store read-only, and the community it brought stays read-only after leaving', async () => {
    const viewer = (await issueToken(data.dir, 'chen', XIHE, 'viewer')).token;
    const a = await device('a');
    expect(a.store.permissions().has('registry.edit')).toBe(true);
    await a.manager.join(server.url, viewer);
    await a.waitFor((s) => s.state === 'synced', 'viewer synced');
    expect(a.snapshot.role).toBe('viewer');
    expect(a.store.permissions().size).toBe(0);
    await a.manager.leave();
    expect(a.snapshot.joined).toBe(false);
    // The role the community was received with is kept on the device (renderer/data/roles.ts).
    expect(a.store.permissions(XIHE).size).toBe(0);
    expect(a.store.permissions().size).toBe(0);
    // Another community of the device is not the token's: nothing restricts it.
    expect(a.store.permissions('local-only').has('registry.edit')).toBe(true);
  });

  it('leaves and removes the community from this computer: no row of it is left, the server keeps it', async () => {
    const a = await device('a');
    await a.manager.join(server.url, editorA);
    await a.waitFor((s) => s.state === 'synced', 'a synced');
    (await people(a)).set('r9', '赵六');
    await a.waitFor((s) => s.pending === 0 && s.state === 'synced', 'a acknowledged');
    const rows = async () => ({
      docUpdates: await a.store.db.docUpdates.where('docName').startsWith(`${XIHE}/`).count(),
      settings: (await a.store.db.settings.toCollection().primaryKeys()).filter((key) => key.includes(XIHE)).length,
      communities: await a.store.db.communities.where('id').equals(XIHE).count(),
    });
    expect((await rows()).docUpdates).toBeGreaterThan(0);
    expect((await rows()).settings).toBeGreaterThan(0);

    const removed = await a.manager.leave({ remove: [XIHE] });
    expect(removed.get(XIHE)?.docUpdates).toBeGreaterThan(0);
    expect(await rows()).toEqual({ docUpdates: 0, settings: 0, communities: 0 });
    expect(a.snapshot.joined).toBe(false);

    // The server's copy is untouched: another device gets the edit.
    const b = await device('b');
    await b.manager.join(server.url, editorB);
    await waitFor(async () => (await people(b)).get('r9') === '赵六', 10_000, 'b gets it from the server');
  });
});
