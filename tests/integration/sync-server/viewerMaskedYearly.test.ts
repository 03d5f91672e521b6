/**
 * Viewers receive cases, meetings and tasks masked (docs/security.md; sync-server/masking.ts,
 * shared/ydoc/yearlyMasked.ts). Against a real server process over real websockets, with the demo's cases, meetings
 * and tasks: a viewer is refused each yearly document itself and gets its twin; every byte it receives for a twin (the
 * whole answer, every update relayed) holds no valid 18-digit ID number and no 11-digit mobile; an editor's edit of a
 * party's phone reaches the viewer masked; a document refuses an update carrying structs of its twin (4409); a viewer
 * cannot write a twin; a restart keeps the twin's history, so a viewer reconnecting converges without duplicates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCases } from '@shared/domain/mediation/demo';
import { generateDemoMeetings } from '@shared/domain/meetings/demo';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { generateDemoTasks } from '@shared/domain/tasks/demo';
import { CLOSE_CODES } from '@shared/sync/protocol';
import { CASES_MAP, listCases } from '@shared/ydoc/cases';
import { listMeetings } from '@shared/ydoc/meetings';
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
const TODAY = '2026-06-15';
const NO_FULL = { idNumbers: [], mobiles: [] };
const NEW_PHONE = '13712345678';

const auditIds = (doc: Y.Doc): string[] =>
  doc
    .getArray<{ id?: string }>('audit')
    .toArray()
    .map((entry) => entry.id ?? '?');

const received = (client: RawClient): Buffer => Buffer.concat(client.messages);

describe('viewers receive cases, meetings and tasks masked', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let editorToken: string;
  let viewerToken: string;
  const { doc: registry } = generateDemoCommunity(11, { residents: 300, today: TODAY });
  const cases = generateDemoCases(5, { registry, today: TODAY });
  const meetings = generateDemoMeetings(3, { registry, today: TODAY, cases: [] });
  const tasks = generateDemoTasks(2, { community: COMMUNITY, today: TODAY });
  const [caseYear, casesDoc] = [...cases.docs.entries()][0]!;
  const [meetingYear, meetingsDoc] = [...meetings.docs.entries()][0]!;
  const CASES = `${COMMUNITY}/cases/${caseYear}`;
  const CASES_TWIN = `${COMMUNITY}/cases-masked/${caseYear}`;
  const MEETINGS = `${COMMUNITY}/meetings/${meetingYear}`;
  const MEETINGS_TWIN = `${COMMUNITY}/meetings-masked/${meetingYear}`;
  const TASKS = `${COMMUNITY}/tasks/${tasks.year}`;
  const TASKS_TWIN = `${COMMUNITY}/tasks-masked/${tasks.year}`;
  const withPhone = listCases(casesDoc).find((c) => c.parties.some((p) => typeof p.phone === 'string' && p.phone))!;

  async function upload(name: string, doc: Y.Doc): Promise<void> {
    const editor = connectProvider(server, name, editorToken);
    await whenSynced(editor);
    Y.applyUpdate(editor.doc, Y.encodeStateAsUpdate(doc));
    const fresh = connectProvider(server, name, editorToken);
    await waitFor(async () => {
      await whenSynced(fresh);
      return Y.encodeStateVector(fresh.doc).byteLength >= Y.encodeStateVector(doc).byteLength;
    });
    fresh.destroy();
    editor.destroy();
  }

  /** A raw viewer socket that asks for everything and keeps every byte it receives. */
  async function rawViewer(name: string): Promise<RawClient> {
    const client = await RawClient.open(docUrl(server, name, viewerToken));
    client.send(syncFrame(0, Y.encodeStateVector(new Y.Doc())));
    return client;
  }

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    server = await ServerProcess.start(data.dir);
    editorToken = (await issueToken(data.dir, 'editor', COMMUNITY, 'editor')).token;
    viewerToken = (await issueToken(data.dir, 'leader', COMMUNITY, 'viewer')).token;
    await upload(CASES, casesDoc);
    await upload(MEETINGS, meetingsDoc);
    await upload(TASKS, tasks.doc);
  }, 60_000);

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  it('refuses a viewer each yearly document itself, with the registry reason, and an editor its twin write', async () => {
    for (const name of [CASES, MEETINGS, TASKS]) {
      expect((await rawAttempt(docUrl(server, name, viewerToken))).status).toBe(403);
      const check = await fetch(`${server.http}/auth/check?doc=${encodeURIComponent(name)}`, {
        headers: { Authorization: `Bearer ${viewerToken}` },
      });
      expect(check.status).toBe(403);
      expect(await check.json()).toMatchObject({ reason: 'registry-masked-only' });
    }
    const twin = await fetch(`${server.http}/auth/check?doc=${encodeURIComponent(CASES_TWIN)}`, {
      headers: { Authorization: `Bearer ${editorToken}` },
    });
    expect(await twin.json()).toMatchObject({ role: 'editor', access: 'read' });
  });

  it('sends a viewer no full ID number nor mobile for cases, meetings or tasks, and follows an edit masked', async () => {
    // The uploaded documents hold full values (else this test proves little).
    const full = fullValuesIn(Y.encodeStateAsUpdate(casesDoc));
    expect(full.idNumbers.length + full.mobiles.length).toBeGreaterThan(5);
    const raws = await Promise.all([CASES_TWIN, MEETINGS_TWIN, TASKS_TWIN].map((name) => rawViewer(name)));
    const viewer = connectProvider(server, CASES_TWIN, viewerToken);
    const meetingsViewer = connectProvider(server, MEETINGS_TWIN, viewerToken);
    await Promise.all([whenSynced(viewer), whenSynced(meetingsViewer)]);
    // It reads like the document: the same cases and meetings, with parties masked.
    expect(listCases(viewer.doc).map((c) => [c.id, c.status])).toEqual(
      listCases(casesDoc).map((c) => [c.id, c.status]),
    );
    expect(listMeetings(meetingsViewer.doc).map((m) => m.id)).toEqual(listMeetings(meetingsDoc).map((m) => m.id));
    for (const raw of raws) await waitFor(() => received(raw).byteLength > 1_000, 10_000, 'the whole answer');
    for (const raw of raws) expect(fullValuesIn(received(raw))).toEqual(NO_FULL);
    expect(fullValuesIn(Y.encodeStateAsUpdate(viewer.doc))).toEqual(NO_FULL);

    const before = received(raws[0]!).byteLength;
    const editor = connectProvider(server, CASES, editorToken);
    await whenSynced(editor);
    const caseMap = editor.doc.getMap<Y.Map<unknown>>(CASES_MAP).get(withPhone.id)!;
    const parties = listCases(editor.doc).find((c) => c.id === withPhone.id)!.parties;
    editor.doc.transact(() => {
      caseMap.set(
        'parties',
        parties.map((p, i) => (i === 0 ? { ...p, phone: NEW_PHONE } : p)),
      );
      editor.doc.getArray('audit').push([{ id: 'e-phone', action: 'update', fields: { phone: NEW_PHONE } }]);
    });
    const partyPhone = () => listCases(viewer.doc).find((c) => c.id === withPhone.id)?.parties[0]?.phone;
    await waitFor(() => partyPhone() === '137****5678', 10_000, 'the masked phone');
    await waitFor(() => received(raws[0]!).byteLength > before, 10_000, 'the relayed update');
    expect(fullValuesIn(received(raws[0]!))).toEqual(NO_FULL);
    expect(auditIds(viewer.doc)).toContain('e-phone');
    expect(JSON.stringify(viewer.doc.getArray('audit').toJSON())).not.toContain(NEW_PHONE);
    // A viewer's write to a twin is dropped: the editor's document keeps its value.
    viewer.doc.getMap<Y.Map<unknown>>(CASES_MAP).get(withPhone.id)?.set('status', 'closed-by-viewer');
    editor.doc.getMap('meta').set('marker', 'after');
    await waitFor(() => (viewer.doc.getMap('meta').get('marker') as string | undefined) === 'after');
    expect(caseMap.get('status')).not.toBe('closed-by-viewer');
    for (const raw of raws) raw.ws.close();
    viewer.destroy();
    meetingsViewer.destroy();
    editor.destroy();
  });

  it('refuses and logs an update to a document that carries structs of its twin', async () => {
    const viewer = connectProvider(server, CASES_TWIN, viewerToken);
    await whenSynced(viewer);
    const wrong = await RawClient.open(docUrl(server, CASES, editorToken));
    wrong.send(syncFrame(2, Y.encodeStateAsUpdate(viewer.doc)));
    const closed = await wrong.closed;
    expect(closed.code).toBe(CLOSE_CODES.MASKED_COPY);
    await server.waitForLog(
      (l) => l.msg === 'update carries structs of the masked registry; refused' && l.doc === CASES,
    );
    const editor = connectProvider(server, CASES, editorToken);
    await whenSynced(editor);
    const party = listCases(editor.doc).find((c) => c.id === withPhone.id)?.parties[0];
    expect(party?.phone).toBe(NEW_PHONE);
    viewer.destroy();
    editor.destroy();
  });

  it('keeps the twin across a restart: a viewer reconnects and converges, nothing twice', async () => {
    const viewerDoc = new Y.Doc();
    const viewer = connectProvider(server, CASES_TWIN, viewerToken, viewerDoc);
    await whenSynced(viewer);
    const auditBefore = auditIds(viewerDoc);
    viewer.destroy();
    expect(await server.stop()).toBe(0);
    server = await ServerProcess.start(data.dir);
    const editor = connectProvider(server, CASES, editorToken);
    await whenSynced(editor);
    editor.doc.transact(() => {
      const parties = listCases(editor.doc).find((c) => c.id === withPhone.id)!.parties;
      editor.doc
        .getMap<Y.Map<unknown>>(CASES_MAP)
        .get(withPhone.id)!
        .set(
          'parties',
          parties.map((p, i) => (i === 0 ? { ...p, phone: '13698765432' } : p)),
        );
      editor.doc.getArray('audit').push([{ id: 'e-after-restart', action: 'update', fields: {} }]);
    });
    const back = connectProvider(server, CASES_TWIN, viewerToken, viewerDoc);
    await whenSynced(back);
    const phone = () => listCases(viewerDoc).find((c) => c.id === withPhone.id)?.parties[0]?.phone;
    await waitFor(() => phone() === '136****5432', 10_000, 'converged');
    const newcomer = connectProvider(server, CASES_TWIN, viewerToken);
    await whenSynced(newcomer);
    await waitFor(() => auditIds(newcomer.doc).includes('e-after-restart'));
    await waitFor(() => auditIds(viewerDoc).includes('e-after-restart'));
    expect(auditIds(viewerDoc)).toEqual(auditIds(newcomer.doc));
    expect(auditIds(viewerDoc)).toEqual([...auditBefore, 'e-after-restart']);
    expect(viewerDoc.getMap(CASES_MAP).toJSON()).toEqual(newcomer.doc.getMap(CASES_MAP).toJSON());
    expect(fullValuesIn(Y.encodeStateAsUpdate(viewerDoc))).toEqual(NO_FULL);
    back.destroy();
    newcomer.destroy();
    editor.destroy();
  });
});

describe('yearly documents with --viewers-masked false', () => {
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

  it('gives viewers the cases in full, as before, and no twin', async () => {
    const editorToken = (await issueToken(data.dir, 'editor', COMMUNITY, 'editor')).token;
    const viewerToken = (await issueToken(data.dir, 'leader', COMMUNITY, 'viewer')).token;
    const name = `${COMMUNITY}/cases/2026`;
    const editor = connectProvider(server, name, editorToken);
    await whenSynced(editor);
    editor.doc.getMap('files').set('f', { phone: NEW_PHONE });
    const viewer = connectProvider(server, name, viewerToken);
    await waitFor(() => (viewer.doc.getMap('files').get('f') as { phone?: string } | undefined)?.phone === NEW_PHONE);
    expect((await rawAttempt(docUrl(server, `${COMMUNITY}/cases-masked/2026`, viewerToken))).status).toBe(403);
    viewer.destroy();
    editor.destroy();
  });
});
