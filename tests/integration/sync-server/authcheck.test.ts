import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkToken } from '../../../renderer/sync/refusal';
import {
  adminInProcess,
  connectProvider,
  issueToken,
  rawAttempt,
  docUrl,
  ServerProcess,
  tempDataDir,
  whenSynced,
} from './harness';

const XIHE = 'shunqing-xihe';
const DONGNAN = 'shunqing-dongnan';
const DOC = `${XIHE}/registry`;

describe('GET /auth/check: the upgrade token check over HTTP', () => {
  const data = tempDataDir();
  const other = tempDataDir();
  let server: ServerProcess;
  let editor: { token: string; jti: string };
  let viewer: { token: string; jti: string };
  let revoked: { token: string; jti: string };
  let foreign: { token: string; jti: string };

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', XIHE, '--name', '西河社区');
    await adminInProcess(data.dir, 'community', 'add', DONGNAN, '--name', '东南社区');
    editor = await issueToken(data.dir, 'li', XIHE, 'editor');
    viewer = await issueToken(data.dir, 'wang', XIHE, 'viewer');
    revoked = await issueToken(data.dir, 'zhao', XIHE, 'editor');
    await adminInProcess(data.dir, 'token', 'revoke', revoked.jti);
    // A token of another district: signed with another server's key.
    await adminInProcess(other.dir, 'community', 'add', XIHE, '--name', '西河社区');
    foreign = await issueToken(other.dir, 'li', XIHE, 'editor');
    server = await ServerProcess.start(data.dir);
  });

  afterAll(async () => {
    await server.stop();
    data.cleanup();
    other.cleanup();
  });

  async function check(token: string | null, doc = DOC, origin?: string) {
    const headers: Record<string, string> = {};
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    if (origin !== undefined) headers.Origin = origin;
    const res = await fetch(`${server.http}/auth/check?doc=${encodeURIComponent(doc)}`, { headers });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  }

  it('answers 200 with role and communities for a token that may open the document', async () => {
    const editorCheck = await check(editor.token);
    expect(editorCheck.status).toBe(200);
    expect(editorCheck.body).toMatchObject({ role: 'editor', communities: [XIHE], user: 'li', access: 'write' });
    expect(editorCheck.body).toMatchObject({ registry: 'full' });
    // A viewer syncs the masked registry (the server's default): that is the document it may open.
    const viewerCheck = await check(viewer.token, `${XIHE}/registry-masked`);
    expect(viewerCheck.body).toMatchObject({ role: 'viewer', access: 'read', registry: 'masked' });
  });

  it('refuses exactly what the upgrade refuses, with the same status and a reason', async () => {
    const cases: [string | null, string, number, string][] = [
      [null, DOC, 401, 'no-token'],
      [revoked.token, DOC, 401, 'token-revoked'],
      [foreign.token, DOC, 401, 'token-invalid'],
      [editor.token, `${DONGNAN}/registry`, 403, 'community-not-allowed'],
      [editor.token, 'not a document', 400, 'bad-document-name'],
      [viewer.token, DOC, 403, 'registry-masked-only'],
    ];
    for (const [token, doc, status, reason] of cases) {
      const result = await check(token, doc);
      expect(result.status, reason).toBe(status);
      expect(result.body.reason).toBe(reason);
      if (token !== null && status !== 400) {
        expect((await rawAttempt(docUrl(server, doc, token))).status, `upgrade ${reason}`).toBe(status);
      }
    }
  });

  it('tells the app a document its server does not know (an older server) apart from a server that is not one', async () => {
    // A document of a later version (a collection this server does not know): the app's check names it an outdated
    // server, so the person reads "upgrade the server", and a registry the server knows is still fine.
    const later = await checkToken(server.http, editor.token, `${XIHE}/later-things/2026`);
    expect(later).toMatchObject({ ok: false, refusal: { kind: 'outdated-server', code: 400, retry: false } });
    expect(await checkToken(server.http, editor.token, DOC)).toMatchObject({ ok: true, role: 'editor' });
  });

  it('counts refusals in sync_auth_failures_total', async () => {
    const before = (await server.metrics()).get('sync_auth_failures_total{reason="token-revoked"}') ?? 0;
    await check(revoked.token);
    const after = (await server.metrics()).get('sync_auth_failures_total{reason="token-revoked"}') ?? 0;
    expect(after).toBe(before + 1);
  });

  it('allows the app origin by CORS, including the preflight for the Authorization header', async () => {
    const preflight = await fetch(`${server.http}/auth/check?doc=${encodeURIComponent(DOC)}`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'app://workstation',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const result = await check(editor.token, DOC, 'http://127.0.0.1:5173');
    expect(result.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('leaves the websocket path unchanged: a valid token still syncs', async () => {
    const provider = connectProvider(server, DOC, editor.token);
    await whenSynced(provider);
    provider.destroy();
  });
});
