/**
 * The app's side of the masked yearly documents (docs/security.md; shared/ydoc/yearlyMasked.ts): a viewer's device
 * syncs the twins of cases and meetings, reads them where it would read the documents (`store.document` of
 * `<community>/cases/<year>`), and holds nothing in full; a viewer device that held cases in full (joined while the
 * server did not mask) drops them when the server masks; a community lifted to editor drops the twins and syncs the
 * documents fresh.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCases } from '@shared/domain/mediation/demo';
import { generateDemoMeetings } from '@shared/domain/meetings/demo';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { toCommunityId } from '@shared/ydoc/docName';
import { listCases } from '@shared/ydoc/cases';
import { listMeetings } from '@shared/ydoc/meetings';
import { fullValuesIn } from '../sync-server/fullValues';
import {
  adminInProcess,
  connectProvider,
  issueToken,
  ServerProcess,
  tempDataDir,
  waitFor,
  whenSynced,
} from '../sync-server/harness';
import { Device, YEAR } from './support';

const XIHE = toCommunityId('shunqing-xihe');
const CASES = `${XIHE}/cases/${YEAR}`;
const CASES_TWIN = `${XIHE}/cases-masked/${YEAR}`;
const MEETINGS = `${XIHE}/meetings/${YEAR}`;
const MEETINGS_TWIN = `${XIHE}/meetings-masked/${YEAR}`;
const TODAY = `${YEAR}-06-15`;

/** Every document update of the community the device holds, opened. */
async function heldText(device: Device): Promise<string> {
  const db = device.store.db;
  const rows = await db.docUpdates.where('docName').startsWith(`${XIHE}/`).toArray();
  const updates = await Promise.all(rows.map((row) => db.rows.openUpdate(row)));
  return Buffer.concat(updates.map((u) => Buffer.from(u))).toString('latin1');
}

const rowsOf = (device: Device, name: string) => device.store.db.docUpdates.where('docName').equals(name).count();

describe('a viewer device and the masked cases and meetings', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let editorToken: string;
  let viewerToken: string;
  const devices: Device[] = [];
  const { doc: registry } = generateDemoCommunity(5, { residents: 200, today: TODAY });
  const casesDoc = generateDemoCases(5, { registry, today: TODAY }).docs.get(YEAR)!;
  const meetingsDoc = generateDemoMeetings(3, { registry, today: TODAY, cases: [] }).docs.get(YEAR)!;
  const party = listCases(casesDoc)
    .flatMap((c) => c.parties.map((p) => ({ caseId: c.id, party: p })))
    .find(({ party: p }) => typeof p.phone === 'string' && /^1\d{10}$/.test(p.phone))!;

  async function device(name: string): Promise<Device> {
    const d = await Device.open(name);
    devices.push(d);
    return d;
  }

  async function restart(args: string[]): Promise<void> {
    await server.stop();
    server = await ServerProcess.start(data.dir, ['--port', String(server.port), ...args]);
  }

  async function upload(name: string, doc: Y.Doc): Promise<void> {
    const editor = connectProvider(server, name, editorToken);
    await whenSynced(editor);
    Y.applyUpdate(editor.doc, Y.encodeStateAsUpdate(doc));
    const check = connectProvider(server, name, editorToken);
    await waitFor(async () => {
      await whenSynced(check);
      return Y.encodeStateVector(check.doc).byteLength >= Y.encodeStateVector(doc).byteLength;
    });
    check.destroy();
    editor.destroy();
  }

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', XIHE, '--name', '西河社区');
    editorToken = (await issueToken(data.dir, 'li', XIHE, 'editor')).token;
    viewerToken = (await issueToken(data.dir, 'chen', XIHE, 'viewer')).token;
    server = await ServerProcess.start(data.dir);
    await upload(CASES, casesDoc);
    await upload(MEETINGS, meetingsDoc);
  }, 60_000);

  afterEach(async () => {
    for (const d of devices.splice(0)) await d.shutdown().catch(() => undefined);
  });

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  it('syncs the twins, opens cases and meetings from them, and holds no full ID number nor mobile', async () => {
    // The demo's cases hold full values (else this test proves little).
    expect(fullValuesIn(Y.encodeStateAsUpdate(casesDoc)).mobiles.length).toBeGreaterThan(0);
    const v = await device('viewer');
    expect(await v.manager.join(server.url, viewerToken)).toEqual({ ok: true, reload: false });
    await v.waitFor((s) => s.state === 'synced', 'viewer synced');
    const synced = v.snapshot.docs.map((d) => d.docName);
    expect(synced).toEqual(expect.arrayContaining([CASES_TWIN, MEETINGS_TWIN]));
    expect(synced).not.toContain(CASES);
    expect(synced).not.toContain(MEETINGS);
    // The screens ask for the cases document; the device gives them the twin.
    const cases = await v.store.document(CASES);
    await waitFor(() => listCases(cases).length === listCases(casesDoc).length, 10_000, 'the cases');
    expect(listCases(cases).map((c) => [c.id, c.status])).toEqual(listCases(casesDoc).map((c) => [c.id, c.status]));
    const phone = listCases(cases)
      .find((c) => c.id === party.caseId)
      ?.parties.find((p) => p.id === party.party.id)?.phone;
    expect(phone).toBe(`${party.party.phone!.slice(0, 3)}****${party.party.phone!.slice(7)}`);
    const meetings = await v.store.document(MEETINGS);
    expect(listMeetings(meetings).map((m) => m.id)).toEqual(listMeetings(meetingsDoc).map((m) => m.id));
    await v.manager.flush();
    await v.store.flush();
    expect(await rowsOf(v, CASES_TWIN)).toBeGreaterThan(0);
    expect(await rowsOf(v, CASES)).toBe(0);
    expect(await rowsOf(v, MEETINGS)).toBe(0);
    expect(fullValuesIn(await heldText(v))).toEqual({ idNumbers: [], mobiles: [] });
  });

  it('drops the cases a viewer device held in full from before masking, once the server masks', async () => {
    await restart(['--viewers-masked', 'false']);
    const v = await device('legacy');
    await v.manager.join(server.url, viewerToken);
    await v.waitFor((s) => s.state === 'synced', 'viewer synced in full');
    await v.store.document(CASES);
    await v.manager.flush();
    await v.store.flush();
    expect(await rowsOf(v, CASES)).toBeGreaterThan(0);
    expect(fullValuesIn(await heldText(v)).mobiles.length).toBeGreaterThan(0);

    await restart([]);
    await v.reload();
    await v.waitFor(
      (s) => s.state === 'synced' && s.docs.some((d) => d.docName === CASES_TWIN),
      'the device switches to the twins',
    );
    await v.manager.flush();
    await v.store.flush();
    expect(await rowsOf(v, CASES)).toBe(0);
    expect(await rowsOf(v, MEETINGS)).toBe(0);
    expect(fullValuesIn(await heldText(v))).toEqual({ idNumbers: [], mobiles: [] });
    const cases = await v.store.document(CASES);
    await waitFor(() => listCases(cases).length === listCases(casesDoc).length, 10_000, 'the cases from the twin');
  });

  it('drops the twins when the community is lifted to editor, and syncs the documents fresh', async () => {
    const v = await device('lifted');
    await v.manager.join(server.url, viewerToken);
    await v.waitFor((s) => s.state === 'synced', 'viewer synced');
    await v.manager.flush();
    expect(await rowsOf(v, CASES_TWIN)).toBeGreaterThan(0);

    expect(await v.manager.join(server.url, editorToken)).toEqual({ ok: true, reload: false });
    await v.waitFor((s) => s.state === 'synced' && s.docs.some((d) => d.docName === CASES), 'editor synced');
    expect(await rowsOf(v, CASES_TWIN)).toBe(0);
    expect(await rowsOf(v, MEETINGS_TWIN)).toBe(0);
    const cases = await v.store.document(CASES);
    const fullPhone = () =>
      listCases(cases)
        .find((c) => c.id === party.caseId)
        ?.parties.find((p) => p.id === party.party.id)?.phone;
    await waitFor(() => fullPhone() === party.party.phone, 10_000, 'the full phone');
  });
});
