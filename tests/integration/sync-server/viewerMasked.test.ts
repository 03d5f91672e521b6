/**
 * Viewers receive the registry masked (docs/security.md; sync-server/masking.ts). Against a real server process over
 * real websockets, with a demo community of a few hundred residents: a viewer's whole answer and every update relayed
 * to it hold no valid 18-digit ID number and no full mobile; an editor's change of a phone reaches the viewer masked;
 * a viewer's access-log entry reaches the registry once; the registry refuses an update carrying structs of the masked
 * copy; a restart keeps the copy's history, so a viewer reconnecting converges without duplicates; with
 * `--viewers-masked false` viewers get today's registry in full.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import type { AuditEntry } from '@shared/domain/registry/types';
import { CLOSE_CODES } from '@shared/sync/protocol';
import { appendAudit, auditArray, listRecords, readRecord, setFields } from '@shared/ydoc/registry';
import { fullValuesIn } from './fullValues';
import {
  adminInProcess,
  connectProvider,
  docUrl,
  issueToken,
  rawAttempt,
  RawClient,
  ServerProcess,
  syncFrame,
  tempDataDir,
  waitFor,
  whenSynced,
} from './harness';

const COMMUNITY = 'shunqing-xihe';
const REGISTRY = `${COMMUNITY}/registry`;
const MASKED = `${COMMUNITY}/registry-masked`;
const NEW_PHONE = '13712345678';

function printEntry(id: string): AuditEntry {
  return {
    id,
    at: new Date().toISOString(),
    userId: 'leader',
    userName: 'leader',
    deviceId: 'device-viewer',
    action: 'print',
    collection: 'residents',
    recordId: 'r1',
    fields: { document: 'agreement', unmasked: false },
  };
}

const ids = (doc: Y.Doc): string[] =>
  auditArray(doc)
    .toArray()
    .map((e) => e.id);

/** A raw viewer socket that asks for everything and keeps every byte it receives. */
async function rawViewer(server: ServerProcess, token: string): Promise<RawClient> {
  const client = await RawClient.open(docUrl(server, MASKED, token));
  client.send(syncFrame(0, Y.encodeStateVector(new Y.Doc())));
  return client;
}

const received = (client: RawClient): Buffer => Buffer.concat(client.messages);

describe('viewers receive the registry masked', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let editorToken: string;
  let viewerToken: string;
  const demo = generateDemoCommunity(11, { residents: 300 });
  const someone = listRecords(demo.doc, 'residents').find((r) => r.phone !== null && r.phone.startsWith('1'))!;

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    server = await ServerProcess.start(data.dir);
    editorToken = (await issueToken(data.dir, 'editor', COMMUNITY, 'editor')).token;
    viewerToken = (await issueToken(data.dir, 'leader', COMMUNITY, 'viewer')).token;
    // The community's registry, in full, from an editor.
    const editor = connectProvider(server, REGISTRY, editorToken);
    await whenSynced(editor);
    Y.applyUpdate(editor.doc, Y.encodeStateAsUpdate(demo.doc));
    const fresh = connectProvider(server, REGISTRY, editorToken);
    await waitFor(async () => {
      await whenSynced(fresh);
      return listRecords(fresh.doc, 'residents').length === demo.counts.residents;
    });
    fresh.destroy();
    editor.destroy();
  });

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  it('refuses a viewer the registry itself, with the reason, and gives an editor the registry in full', async () => {
    expect((await rawAttempt(docUrl(server, REGISTRY, viewerToken))).status).toBe(403);
    const check = await fetch(`${server.http}/auth/check?doc=${encodeURIComponent(REGISTRY)}`, {
      headers: { Authorization: `Bearer ${viewerToken}` },
    });
    expect(check.status).toBe(403);
    expect(await check.json()).toMatchObject({ reason: 'registry-masked-only' });
    const masked = await fetch(`${server.http}/auth/check?doc=${encodeURIComponent(MASKED)}`, {
      headers: { Authorization: `Bearer ${viewerToken}` },
    });
    expect(await masked.json()).toMatchObject({ role: 'viewer', access: 'read', registry: 'masked' });
    const editor = connectProvider(server, REGISTRY, editorToken);
    await whenSynced(editor);
    expect(readRecord(editor.doc, 'residents', someone.id)?.idNumber).toBe(someone.idNumber);
    editor.destroy();
  });

  it('sends a viewer no full ID number nor mobile, in its answer or in any update, and follows an edit masked', async () => {
    const raw = await rawViewer(server, viewerToken);
    const viewer = connectProvider(server, MASKED, viewerToken);
    await whenSynced(viewer);
    expect(listRecords(viewer.doc, 'residents')).toHaveLength(demo.counts.residents);
    const copy = readRecord(viewer.doc, 'residents', someone.id)!;
    expect(copy.name).toBe(someone.name);
    expect(copy.idNumber).toBe(`${someone.idNumber.slice(0, 4)}**********${someone.idNumber.slice(14)}`);
    expect(copy.phone).toBe(`${someone.phone!.slice(0, 3)}****${someone.phone!.slice(7)}`);
    await waitFor(() => received(raw).byteLength > 100_000, 10_000, 'the whole answer');
    expect(fullValuesIn(received(raw))).toEqual({ idNumbers: [], mobiles: [] });
    expect(fullValuesIn(Y.encodeStateAsUpdate(viewer.doc))).toEqual({ idNumbers: [], mobiles: [] });

    const before = received(raw).byteLength;
    const editor = connectProvider(server, REGISTRY, editorToken);
    await whenSynced(editor);
    editor.doc.transact(() => {
      // A second number typed into the note the way people write it (3-4-4 with hyphens, and with +86).
      setFields(editor.doc, 'residents', someone.id, {
        phone: NEW_PHONE,
        note: '女儿 139-8765-4321，+86 136 1111 2222',
      });
      appendAudit(editor.doc, [{ ...printEntry('e-update'), action: 'update', fields: { phone: NEW_PHONE } }]);
    });
    await waitFor(() => readRecord(viewer.doc, 'residents', someone.id)?.phone === '137****5678', 10_000, 'masked');
    expect(readRecord(viewer.doc, 'residents', someone.id)?.note).toBe('女儿 139-****-4321，+86 136 **** 2222');
    await waitFor(() => received(raw).byteLength > before, 10_000, 'the relayed update');
    expect(fullValuesIn(received(raw))).toEqual({ idNumbers: [], mobiles: [] });
    expect(JSON.stringify(auditArray(viewer.doc).toArray())).not.toContain(NEW_PHONE);
    raw.ws.close();
    viewer.destroy();
    editor.destroy();
  });

  it("carries a viewer's access-log entry into the registry once", async () => {
    const viewer = connectProvider(server, MASKED, viewerToken);
    const editor = connectProvider(server, REGISTRY, editorToken);
    await Promise.all([whenSynced(viewer), whenSynced(editor)]);
    appendAudit(viewer.doc, [printEntry('v-print-1')]);
    await waitFor(() => ids(editor.doc).includes('v-print-1'), 10_000, "the viewer's entry in the registry");
    // The mirror of the carried entry comes back to the copy and is recognised: a later edit passes it by.
    editor.doc.getMap('meta').set('marker', 'after');
    await waitFor(() => viewer.doc.getMap('meta').get('marker') === 'after');
    expect(ids(viewer.doc).filter((id) => id === 'v-print-1')).toHaveLength(1);
    expect(ids(editor.doc).filter((id) => id === 'v-print-1')).toHaveLength(1);
    const line = await server.waitForLog((l) => l.msg === "viewer's audit entries carried");
    expect(line).toMatchObject({ doc: REGISTRY, entries: 1, user: 'leader' });
    // Anything else a viewer writes to the copy is dropped, as for the registry.
    setFields(viewer.doc, 'residents', someone.id, { name: '改名' });
    editor.doc.getMap('meta').set('marker', 'later');
    await waitFor(() => viewer.doc.getMap('meta').get('marker') === 'later');
    expect(readRecord(editor.doc, 'residents', someone.id)?.name).toBe(someone.name);
    viewer.destroy();
    editor.destroy();
  });

  it('refuses and logs an update to the registry that carries structs of the masked copy', async () => {
    const viewer = connectProvider(server, MASKED, viewerToken);
    await whenSynced(viewer);
    // A device whose masked copy ended up in its registry document sends it as an editor.
    const wrong = await RawClient.open(docUrl(server, REGISTRY, editorToken));
    wrong.send(syncFrame(2, Y.encodeStateAsUpdate(viewer.doc)));
    const closed = await wrong.closed;
    expect(closed.code).toBe(CLOSE_CODES.MASKED_COPY);
    await server.waitForLog((l) => l.msg === 'update carries structs of the masked registry; refused');
    const metrics = await server.metrics();
    expect(metrics.get('sync_updates_refused_total{reason="masked"}')).toBeGreaterThanOrEqual(1);
    const editor = connectProvider(server, REGISTRY, editorToken);
    await whenSynced(editor);
    expect(readRecord(editor.doc, 'residents', someone.id)?.phone).toBe(NEW_PHONE);
    expect(readRecord(editor.doc, 'residents', someone.id)?.idNumber).toBe(someone.idNumber);
    viewer.destroy();
    editor.destroy();
  });

  it('keeps the masked copy across a restart: a viewer reconnects and converges, nothing twice', async () => {
    const viewerDoc = new Y.Doc();
    const viewer = connectProvider(server, MASKED, viewerToken, viewerDoc);
    await whenSynced(viewer);
    const auditBefore = ids(viewerDoc);
    viewer.destroy();
    expect(await server.stop()).toBe(0);
    server = await ServerProcess.start(data.dir);
    // A change while the viewer is away, then the viewer back with what it held.
    const editor = connectProvider(server, REGISTRY, editorToken);
    await whenSynced(editor);
    editor.doc.transact(() => {
      setFields(editor.doc, 'residents', someone.id, { phone: '13698765432' });
      appendAudit(editor.doc, [{ ...printEntry('e-after-restart'), action: 'update', fields: {} }]);
    });
    const back = connectProvider(server, MASKED, viewerToken, viewerDoc);
    await whenSynced(back);
    await waitFor(() => readRecord(viewerDoc, 'residents', someone.id)?.phone === '136****5432', 10_000, 'converged');
    const newcomer = connectProvider(server, MASKED, viewerToken);
    await whenSynced(newcomer);
    await waitFor(() => ids(newcomer.doc).includes('e-after-restart'));
    await waitFor(() => ids(viewerDoc).includes('e-after-restart'));
    expect(ids(viewerDoc)).toEqual(ids(newcomer.doc));
    expect(new Set(ids(viewerDoc)).size).toBe(ids(viewerDoc).length);
    expect(ids(viewerDoc)).toEqual([...auditBefore, 'e-after-restart']);
    expect(viewerDoc.getMap('residents').toJSON()).toEqual(newcomer.doc.getMap('residents').toJSON());
    expect(fullValuesIn(Y.encodeStateAsUpdate(viewerDoc))).toEqual({ idNumbers: [], mobiles: [] });
    back.destroy();
    newcomer.destroy();
    editor.destroy();
  });
});

describe('with --viewers-masked false', () => {
  const data = tempDataDir();
  let server: ServerProcess;

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    server = await ServerProcess.start(data.dir, ['--viewers-masked', 'false']);
  });

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  it('gives viewers the registry in full, as before, and no masked copy', async () => {
    const editorToken = (await issueToken(data.dir, 'editor', COMMUNITY, 'editor')).token;
    const viewerToken = (await issueToken(data.dir, 'leader', COMMUNITY, 'viewer')).token;
    const editor = connectProvider(server, REGISTRY, editorToken);
    await whenSynced(editor);
    editor.doc.getMap('residents').set('r1', new Y.Map());
    setFields(editor.doc, 'residents', 'r1', { phone: NEW_PHONE });
    const viewer = connectProvider(server, REGISTRY, viewerToken);
    await waitFor(() => readRecord(viewer.doc, 'residents', 'r1')?.phone === NEW_PHONE);
    appendAudit(viewer.doc, [printEntry('v-full')]);
    await waitFor(() => ids(editor.doc).includes('v-full'));
    expect((await rawAttempt(docUrl(server, MASKED, viewerToken))).status).toBe(403);
    const check = await fetch(`${server.http}/auth/check?doc=${encodeURIComponent(REGISTRY)}`, {
      headers: { Authorization: `Bearer ${viewerToken}` },
    });
    expect(await check.json()).toMatchObject({ role: 'viewer', registry: 'full' });
    viewer.destroy();
    editor.destroy();
  });
});
