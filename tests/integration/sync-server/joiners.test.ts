import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import {
  adminInProcess,
  connectProvider,
  issueToken,
  ServerProcess,
  tempDataDir,
  waitFor,
  whenSynced,
} from './harness';

const COMMUNITY = 'shunqing-xihe';
const DOC = `${COMMUNITY}/registry`;

/** Clients joining with nothing get the cached whole document; a restart loads snapshot and log merged. */
describe('joining clients and loading from storage', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let token: string;
  const providers: WebsocketProvider[] = [];
  const join = async (): Promise<WebsocketProvider> => {
    const p = connectProvider(server, DOC, token);
    providers.push(p);
    await whenSynced(p);
    return p;
  };
  const start = (): Promise<ServerProcess> =>
    ServerProcess.start(data.dir, ['--compact-after', '1000', '--log-level', 'debug']);

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    token = (await issueToken(data.dir, 'editor', COMMUNITY, 'editor')).token;
    server = await start();
  });

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await server.stop('SIGKILL');
    data.cleanup();
  });

  it('sends every joiner the document as it is now, also right after a change', async () => {
    const writer = await join();
    const residents = writer.doc.getMap<string>('residents');
    residents.set('r1', '张三');
    const first = await join();
    await waitFor(() => first.doc.getMap('residents').get('r1') === '张三', 10_000, 'first joiner');
    // Several joiners at once share one encoded state; a change afterwards must reach the next joiners.
    const burst = await Promise.all([join(), join(), join()]);
    for (const p of burst) expect(p.doc.getMap('residents').toJSON()).toEqual({ r1: '张三' });
    residents.set('r2', '李四');
    await waitFor(() => first.doc.getMap('residents').size === 2, 10_000, 'relay');
    const late = await join();
    expect(late.doc.getMap('residents').toJSON()).toEqual({ r1: '张三', r2: '李四' });
    residents.delete('r1');
    await waitFor(() => first.doc.getMap('residents').size === 1, 10_000, 'relay of the delete');
    const later = await join();
    expect(later.doc.getMap('residents').toJSON()).toEqual({ r2: '李四' });
  });

  it('after a crash, loads snapshot and log as one merged update and serves joiners from it', async () => {
    const writer = await join();
    const residents = writer.doc.getMap<string>('residents');
    for (let i = 0; i < 40; i++) residents.set(`k${i}`, `v${i}`);
    const watcher = await join();
    await waitFor(() => watcher.doc.getMap('residents').size === 41, 10_000, 'relay');
    // kill -9: nothing is compacted, the restart reads the whole log.
    await server.stop('SIGKILL');
    for (const p of providers.splice(0)) p.destroy();
    server = await start();
    const fresh = await join();
    await waitFor(() => fresh.doc.getMap('residents').size === 41, 10_000, 'cold joiner');
    expect(fresh.doc.getMap('residents').get('k39')).toBe('v39');
    const loaded = await server.waitForLog((l) => l.msg === 'document loaded' && l.doc === DOC);
    expect(loaded.applied).toBe(1);
    expect(loaded.updates).toBeGreaterThan(40);
    // The cached state from storage is dropped by the next change.
    fresh.doc.getMap<string>('residents').set('after', 'restart');
    await waitFor(async () => (await server.metrics()).get('sync_updates_stored_total') === 1, 10_000, 'stored');
    const next = await join();
    expect(next.doc.getMap('residents').get('after')).toBe('restart');
  });
});
