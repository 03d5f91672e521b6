import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('idle documents', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let token: string;

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    token = (await issueToken(data.dir, 'editor', COMMUNITY, 'editor')).token;
    server = await ServerProcess.start(data.dir, ['--idle-unload-ms', '200']);
  });

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  it('are written out and unloaded once their last client leaves, and load again intact', async () => {
    const docs = [`${COMMUNITY}/registry`, `${COMMUNITY}/cases/2026`, `${COMMUNITY}/tasks/2026`];
    const providers = docs.map((doc) => connectProvider(server, doc, token));
    await Promise.all(providers.map((p) => whenSynced(p)));
    providers.forEach((p, i) => p.doc.getMap('items').set('k', `value ${i}`));
    await waitFor(async () => ((await server.metrics()).get('sync_updates_stored_total') ?? 0) >= 3);
    expect((await server.metrics()).get('sync_documents_loaded')).toBe(3);

    for (const p of providers) p.destroy();
    const metrics = await waitFor(
      async () => {
        const m = await server.metrics();
        return m.get('sync_documents_loaded') === 0 ? m : undefined;
      },
      10_000,
      'unload',
    );
    expect(metrics.get('sync_documents_unloaded_total')).toBe(3);
    expect(metrics.get('sync_connections')).toBe(0);

    const again = connectProvider(server, docs[1]!, token);
    await whenSynced(again);
    expect(again.doc.getMap('items').get('k')).toBe('value 1');
    expect((await server.metrics()).get('sync_documents_loaded')).toBe(1);
    again.destroy();
  });
});
