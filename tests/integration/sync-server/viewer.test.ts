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
const DOC = `${COMMUNITY}/tasks/2026`;
/** What a viewer syncs in place of the tasks while the server masks (its default: sync-server/masking.ts). */
const TWIN = `${COMMUNITY}/tasks-masked/2026`;

describe('a viewer token', () => {
  const data = tempDataDir();
  let server: ServerProcess;

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    server = await ServerProcess.start(data.dir);
  });

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  it('reads, but its writes reach neither other clients nor storage', async () => {
    const editorToken = (await issueToken(data.dir, 'editor', COMMUNITY, 'editor')).token;
    const viewerToken = (await issueToken(data.dir, 'leader', COMMUNITY, 'viewer')).token;
    const editor = connectProvider(server, DOC, editorToken);
    await whenSynced(editor);
    editor.doc.getMap('tasks').set('t1', 'from editor');
    const viewer = connectProvider(server, TWIN, viewerToken);
    await whenSynced(viewer);
    await waitFor(() => viewer.doc.getMap('tasks').get('t1') === 'from editor');

    viewer.doc.getMap('tasks').set('t2', 'from viewer');
    await waitFor(async () => ((await server.metrics()).get('sync_updates_refused_total{reason="viewer"}') ?? 0) >= 2);
    // The server handles one connection's messages in order: once the viewer sees a later edit, the editor would
    // have seen the viewer's edit, had it been relayed.
    editor.doc.getMap('tasks').set('t3', 'later');
    await waitFor(() => viewer.doc.getMap('tasks').get('t3') === 'later');
    expect(editor.doc.getMap('tasks').has('t2')).toBe(false);
    editor.destroy();
    viewer.destroy();

    expect(await server.stop()).toBe(0);
    server = await ServerProcess.start(data.dir);
    const fresh = connectProvider(server, DOC, editorToken);
    await whenSynced(fresh);
    expect(fresh.doc.getMap('tasks').toJSON()).toEqual({ t1: 'from editor', t3: 'later' });
    fresh.destroy();
  });
});
