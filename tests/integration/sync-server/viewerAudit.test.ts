/**
 * A viewer's access-log entries reach the district (docs/sync-server.md, *Roles*): a viewer-role connection may append
 * entries to the registry's `audit` and nothing else. The server runs with `--viewers-masked false` (viewers sync the
 * registry itself, as before masking); viewerMasked.test.ts covers the masked copy. Against a real server process over real websockets: a viewer's
 * print entry arrives at an editor and survives a restart; a viewer's frame that appends an entry and changes a
 * resident, one that only changes a resident, and one that deletes an audit entry are dropped whole and reach nobody.
 * The app's own sync client (renderer/sync/docSync.ts) sends a viewer's entry and sees it acknowledged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AuditEntry } from '@shared/domain/registry/types';
import { viewerAppendableArrays } from '@shared/ydoc/permanent';
import { appendAudit, auditArray, insertRecord, readRecord, setFields } from '@shared/ydoc/registry';
import { DocSync } from '../../../renderer/sync/docSync';
import { auditAppendOnly } from '../../../sync-server/viewerWrites';
import {
  adminInProcess,
  connectProvider,
  docSyncHost,
  issueToken,
  ServerProcess,
  tempDataDir,
  waitFor,
  whenSynced,
} from './harness';

const COMMUNITY = 'shunqing-xihe';
const REGISTRY = `${COMMUNITY}/registry`;
const PHONE = '13800138000';

function entry(id: string, action: AuditEntry['action'], userName: string): AuditEntry {
  return {
    id,
    at: new Date().toISOString(),
    userId: `account-${userName}`,
    userName,
    deviceId: 'device-viewer',
    action,
    collection: 'residents',
    recordId: 'r1',
    fields: action === 'print' ? { document: 'agreement', unmasked: false, residentIds: ['r1'] } : {},
  };
}

const ids = (doc: Y.Doc): string[] =>
  auditArray(doc)
    .toArray()
    .map((e) => e.id);
const refusedViewer = async (server: ServerProcess): Promise<number> =>
  (await server.metrics()).get('sync_updates_refused_total{reason="viewer"}') ?? 0;

describe('a viewer token and the access log', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let editorToken: string;
  let viewerToken: string;

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    server = await ServerProcess.start(data.dir, ['--viewers-masked', 'false']);
    editorToken = (await issueToken(data.dir, 'editor', COMMUNITY, 'editor')).token;
    viewerToken = (await issueToken(data.dir, 'leader', COMMUNITY, 'viewer')).token;
  });

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  it("stores and relays a viewer's print entry, and drops its other writes whole", async () => {
    const editor = connectProvider(server, REGISTRY, editorToken);
    await whenSynced(editor);
    editor.doc.transact(() => {
      insertRecord(editor.doc, 'residents', 'r1', { name: '张三', phone: PHONE });
      appendAudit(editor.doc, [entry('e-create', 'create', '编辑')]);
    });

    const viewer = connectProvider(server, REGISTRY, viewerToken);
    await whenSynced(viewer);
    await waitFor(() => readRecord(viewer.doc, 'residents', 'r1')?.phone === PHONE);

    // 1. A print entry, alone in its frame: it reaches the editor.
    appendAudit(viewer.doc, [entry('v-print-1', 'print', '查看员')]);
    await waitFor(() => ids(editor.doc).includes('v-print-1'), 10_000, "the viewer's print entry at the editor");
    // The entry names the device's account, not the token's user: kept (append-only), and the server notes who really
    // stored it, as for an editor (docs/sync-server.md, *Roles*).
    const differs = await server.waitForLog(
      (line) => line.msg === 'audit entries name another author than the token' && line.user === 'leader',
    );
    expect(differs).toMatchObject({ user: 'leader', doc: REGISTRY, entries: 1, authors: ['查看员 (account-查看员)'] });

    // 2. Another print entry and a change of the resident's phone, in one frame: dropped whole.
    const refusedBefore = await refusedViewer(server);
    viewer.doc.transact(() => {
      appendAudit(viewer.doc, [entry('v-print-2', 'print', '查看员')]);
      setFields(viewer.doc, 'residents', 'r1', { phone: '13900000000' });
    });
    await waitFor(async () => (await refusedViewer(server)) > refusedBefore, 10_000, 'the mixed frame refused');

    // 3. From a second viewer device (its first frames start clean): a resident changed, an audit entry deleted.
    const second = connectProvider(server, REGISTRY, viewerToken);
    await whenSynced(second);
    await waitFor(() => ids(second.doc).includes('v-print-1'));
    const refusedMid = await refusedViewer(server);
    setFields(second.doc, 'residents', 'r1', { name: '李四' });
    await waitFor(async () => (await refusedViewer(server)) > refusedMid, 10_000, 'the resident change refused');
    const refusedLater = await refusedViewer(server);
    auditArray(second.doc).delete(0, 1);
    await waitFor(async () => (await refusedViewer(server)) > refusedLater, 10_000, 'the deletion refused');

    // One connection's messages are handled in order: once the viewers see a later edit, the editor would have seen
    // theirs, had any been relayed.
    editor.doc.getMap('meta').set('marker', 'later');
    await waitFor(() => viewer.doc.getMap('meta').get('marker') === 'later');
    await waitFor(() => second.doc.getMap('meta').get('marker') === 'later');
    expect(ids(editor.doc)).toEqual(['e-create', 'v-print-1']);
    expect(readRecord(editor.doc, 'residents', 'r1')).toMatchObject({ name: '张三', phone: PHONE });
    editor.destroy();
    viewer.destroy();
    second.destroy();

    // Stored: what a device joining after a restart receives.
    expect(await server.stop()).toBe(0);
    server = await ServerProcess.start(data.dir, ['--viewers-masked', 'false']);
    const fresh = connectProvider(server, REGISTRY, editorToken);
    await whenSynced(fresh);
    expect(ids(fresh.doc)).toEqual(['e-create', 'v-print-1']);
    expect(readRecord(fresh.doc, 'residents', 'r1')).toMatchObject({ name: '张三', phone: PHONE });
    fresh.destroy();
  });

  it("still drops every write of a viewer to a document other than the registry's", async () => {
    const doc = `${COMMUNITY}/cases/2026`;
    const editor = connectProvider(server, doc, editorToken);
    const viewer = connectProvider(server, doc, viewerToken);
    await Promise.all([whenSynced(editor), whenSynced(viewer)]);
    const before = await refusedViewer(server);
    auditArray(viewer.doc).push([entry('v-case', 'print', '查看员')]);
    await waitFor(async () => (await refusedViewer(server)) > before);
    editor.doc.getMap('meta').set('marker', 'later');
    await waitFor(() => viewer.doc.getMap('meta').get('marker') === 'later');
    expect(auditArray(editor.doc).length).toBe(0);
    editor.destroy();
    viewer.destroy();
  });

  it("the app's sync client sends a viewer's entry and the server acknowledges it", async () => {
    const editor = connectProvider(server, REGISTRY, editorToken);
    await whenSynced(editor);
    const doc = new Y.Doc();
    const host = docSyncHost(server.url, viewerToken, { deviceId: 'device-viewer' });
    const sync = new DocSync(REGISTRY, doc, { markers: {}, serverState: {}, lastFullSync: null }, host);
    sync.start();
    await waitFor(() => sync.status().connection === 'synced', 10_000, 'the app client synced');
    await waitFor(() => ids(doc).includes('v-print-1'));
    appendAudit(doc, [entry('v-export', 'export', '查看员')]);
    expect(sync.status().pending).toBeGreaterThan(0);
    await waitFor(() => ids(editor.doc).includes('v-export'), 10_000, 'the entry at the editor');
    await waitFor(() => sync.status().pending === 0, 10_000, 'the "saved" signal');
    await sync.stop();
    editor.destroy();
  });
});

describe('auditAppendOnly (the rule, in process)', () => {
  const arrays = viewerAppendableArrays(REGISTRY);

  /** The server's copy and a viewer's copy of one registry with two audit entries. */
  function pair(): { server: Y.Doc; viewer: Y.Doc } {
    const server = new Y.Doc();
    appendAudit(server, [entry('a', 'create', '编辑'), entry('b', 'update', '编辑')]);
    insertRecord(server, 'residents', 'r1', { name: '张三' });
    const viewer = new Y.Doc();
    Y.applyUpdate(viewer, Y.encodeStateAsUpdate(server));
    return { server, viewer };
  }
  /** What the viewer's `change` sends. */
  function sent(viewer: Y.Doc, change: () => void): ReturnType<typeof Y.decodeUpdate> {
    const updates: Uint8Array[] = [];
    const record = (update: Uint8Array): void => void updates.push(update);
    viewer.on('update', record);
    change();
    viewer.off('update', record);
    return Y.decodeUpdate(Y.mergeUpdates(updates));
  }

  it('accepts appends at the end, several in a row, and a whole sync-step-2 carrying the known delete set', () => {
    const { server, viewer } = pair();
    expect(arrays).toEqual(['audit']);
    const one = sent(viewer, () => appendAudit(viewer, [entry('p1', 'print', '查看员')]));
    expect(auditAppendOnly(server, one, arrays)).toEqual({ ok: true });
    const two = sent(viewer, () => {
      appendAudit(viewer, [entry('p2', 'print', '查看员')]);
      appendAudit(viewer, [entry('p3', 'export', '查看员')]);
    });
    // p2 and p3 follow p1, which the server does not hold yet: refused until p1 is there, then accepted.
    expect(auditAppendOnly(server, two, arrays).ok).toBe(false);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(viewer, Y.encodeStateVector(server)));
    const step2 = Y.decodeUpdate(Y.encodeStateAsUpdate(viewer, Y.encodeStateVector(new Y.Doc())));
    expect(auditAppendOnly(server, step2, arrays)).toEqual({ ok: true });
  });

  it('refuses a change of a record, an insertion before an entry, a deletion and a nested type', () => {
    const cases: [string, (viewer: Y.Doc) => void][] = [
      ['record', (viewer) => setFields(viewer, 'residents', 'r1', { name: '李四' })],
      ['insert before', (viewer) => auditArray(viewer).insert(0, [entry('p0', 'print', '查看员')])],
      ['delete', (viewer) => auditArray(viewer).delete(1, 1)],
      ['nested', (viewer) => (auditArray(viewer) as Y.Array<unknown>).push([new Y.Map()])],
      ['other array', (viewer) => viewer.getArray('other').push([1])],
      [
        'mixed',
        (viewer) =>
          viewer.transact(() => {
            appendAudit(viewer, [entry('p1', 'print', '查看员')]);
            viewer.getMap('meta').set('communityName', 'x');
          }),
      ],
    ];
    for (const [name, change] of cases) {
      const { server, viewer } = pair();
      expect({
        name,
        ok: auditAppendOnly(
          server,
          sent(viewer, () => change(viewer)),
          arrays,
        ).ok,
      }).toEqual({
        name,
        ok: false,
      });
    }
    expect(viewerAppendableArrays(`${COMMUNITY}/cases/2026`)).toEqual([]);
  });
});
