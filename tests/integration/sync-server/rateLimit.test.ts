import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@shared/sync/protocol';
import {
  adminInProcess,
  docUrl,
  issueToken,
  RawClient,
  rawAttempt,
  ServerProcess,
  tempDataDir,
  waitFor,
} from './harness';

const COMMUNITY = 'shunqing-xihe';
const DOC = `${COMMUNITY}/registry`;
const QUERY_AWARENESS = new Uint8Array([3]);

describe('per-token limits (all clients share one IP address, as an office does)', () => {
  const data = tempDataDir();
  let server: ServerProcess;

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    server = await ServerProcess.start(data.dir, ['--messages-per-minute', '30', '--max-connections-per-token', '3']);
  });

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  it('closes a connection whose token sends too many messages per minute with 4429; other tokens go on', async () => {
    const noisy = (await issueToken(data.dir, 'noisy', COMMUNITY, 'editor')).token;
    const calm = (await issueToken(data.dir, 'calm', COMMUNITY, 'editor')).token;
    const offender = await RawClient.open(docUrl(server, DOC, noisy));
    const neighbour = await RawClient.open(docUrl(server, DOC, calm));
    for (let i = 0; i < 40; i++) offender.send(QUERY_AWARENESS);
    expect((await offender.closed).code).toBe(CLOSE_CODES.RATE_LIMITED);
    await server.waitForLog((l) => l.code === CLOSE_CODES.RATE_LIMITED);

    const before = neighbour.messages.length;
    neighbour.send(QUERY_AWARENESS);
    await waitFor(() => neighbour.messages.length > before, 5_000, 'reply to the calm token');
    expect(neighbour.ws.readyState).toBe(neighbour.ws.OPEN);
    neighbour.ws.close();
  });

  it('refuses more open connections per token than allowed with 429', async () => {
    const device = (await issueToken(data.dir, 'device', COMMUNITY, 'editor')).token;
    const open = await Promise.all([1, 2, 3].map(() => RawClient.open(docUrl(server, DOC, device))));
    const fourth = await rawAttempt(docUrl(server, DOC, device));
    expect(fourth.status).toBe(429);
    expect(fourth.messages).toHaveLength(0);
    const other = (await issueToken(data.dir, 'other-device', COMMUNITY, 'editor')).token;
    const allowed = await RawClient.open(docUrl(server, DOC, other));
    for (const c of [...open, allowed]) c.ws.close();
  });
});
