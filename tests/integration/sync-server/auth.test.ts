import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@shared/sync/protocol';
import { SignJWT } from 'jose';
import {
  adminInProcess,
  connectProvider,
  docUrl,
  issueToken,
  RawClient,
  rawAttempt,
  ServerProcess,
  tempDataDir,
  waitFor,
  whenSynced,
} from './harness';

const XIHE = 'shunqing-xihe';
const DONGNAN = 'shunqing-dongnan';
const DOC = `${XIHE}/registry`;

describe('token checks before the upgrade', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let editor: { token: string; jti: string };

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', XIHE, '--name', '西河社区');
    await adminInProcess(data.dir, 'community', 'add', DONGNAN, '--name', '东南社区');
    editor = await issueToken(data.dir, 'li', XIHE, 'editor');
    server = await ServerProcess.start(data.dir);
    // Something in the document that must not leak to anyone refused.
    const writer = connectProvider(server, DOC, editor.token);
    await whenSynced(writer);
    writer.doc.getMap('residents').set('r1', '张三');
    const reader = connectProvider(server, DOC, editor.token);
    await waitFor(() => reader.doc.getMap('residents').get('r1') === '张三');
    writer.destroy();
    reader.destroy();
  });

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  async function expectRefused(url: string, status: number): Promise<void> {
    const result = await rawAttempt(url);
    expect(result.status).toBe(status);
    expect(result.opened).toBe(false);
    expect(result.messages).toHaveLength(0);
  }

  it('accepts a valid editor token (the control for the refusals below)', async () => {
    const client = await RawClient.open(docUrl(server, DOC, editor.token));
    await waitFor(() => client.messages.length > 0);
    client.ws.close();
  });

  it('refuses a connection without a token with 401', async () => {
    await expectRefused(docUrl(server, DOC), 401);
  });

  it('refuses a token whose signature was tampered with', async () => {
    const [header, payload, signature] = editor.token.split('.') as [string, string, string];
    const flipped = (signature.startsWith('A') ? 'B' : 'A') + signature.slice(1);
    await expectRefused(docUrl(server, DOC, `${header}.${payload}.${flipped}`), 401);
  });

  it('refuses a well-formed token signed with another key', async () => {
    const forged = await new SignJWT({ com: [XIHE], role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('cgw-sync')
      .setSubject('mallory')
      .setJti(editor.jti)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new Uint8Array(32).fill(7));
    await expectRefused(docUrl(server, DOC, forged), 401);
  });

  it('refuses an expired token', async () => {
    const shortLived = await issueToken(data.dir, 'temp', XIHE, 'editor', '0.00001');
    const { exp } = JSON.parse(Buffer.from(shortLived.token.split('.')[1]!, 'base64url').toString()) as { exp: number };
    await waitFor(() => Date.now() / 1000 > exp + 0.1, 5_000, 'token expiry');
    await expectRefused(docUrl(server, DOC, shortLived.token), 401);
    await server.waitForLog((l) => l.reason === 'token-expired');
  });

  it('refuses a revoked token', async () => {
    const revoked = await issueToken(data.dir, 'lost-laptop', XIHE, 'editor');
    await adminInProcess(data.dir, 'token', 'revoke', revoked.jti);
    await expectRefused(docUrl(server, DOC, revoked.token), 401);
  });

  it('refuses a document of a community the token does not name with 403', async () => {
    await expectRefused(docUrl(server, `${DONGNAN}/registry`, editor.token), 403);
  });

  it('refuses a malformed document name with 400', async () => {
    await expectRefused(docUrl(server, 'not a doc', editor.token), 400);
    await expectRefused(docUrl(server, `${XIHE}/cases`, editor.token), 400);
  });

  it('closes sockets already open within seconds of a revocation, with close code 4001', async () => {
    const victim = await issueToken(data.dir, 'stolen', XIHE, 'editor');
    const client = await RawClient.open(docUrl(server, DOC, victim.token));
    const bystander = await RawClient.open(docUrl(server, DOC, editor.token));
    await adminInProcess(data.dir, 'token', 'revoke', victim.jti);
    const closed = await client.closed;
    expect(closed.code).toBe(CLOSE_CODES.TOKEN_REVOKED);
    expect(bystander.ws.readyState).toBe(bystander.ws.OPEN);
    bystander.ws.close();
  });

  it('lets an admin read a community its token does not name, but not write to it', async () => {
    const district = await issueToken(data.dir, 'district-it', DONGNAN, 'admin');
    const reader = connectProvider(server, DOC, district.token);
    await whenSynced(reader);
    expect(reader.doc.getMap('residents').get('r1')).toBe('张三');
    reader.doc.getMap('residents').set('r2', 'should not be stored');
    await waitFor(async () => ((await server.metrics()).get('sync_updates_refused_total{reason="viewer"}') ?? 0) >= 1);
    const check = connectProvider(server, DOC, editor.token);
    await whenSynced(check);
    expect(check.doc.getMap('residents').has('r2')).toBe(false);
    reader.destroy();
    check.destroy();
  });

  it('counts every refusal in /metrics', async () => {
    const metrics = await server.metrics();
    expect(metrics.get('sync_auth_failures_total{reason="no-token"}')).toBeGreaterThanOrEqual(1);
    expect(metrics.get('sync_auth_failures_total{reason="token-revoked"}')).toBeGreaterThanOrEqual(1);
    expect(metrics.get('sync_auth_failures_total{reason="community-not-allowed"}')).toBeGreaterThanOrEqual(1);
  });
});
