import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { CLOSE_CODES } from '@shared/sync/protocol';
import {
  adminInProcess,
  connectProvider,
  docUrl,
  issueToken,
  RawClient,
  ServerProcess,
  tempDataDir,
  waitFor,
  whenSynced,
  syncFrame,
} from './harness';

const COMMUNITY = 'shunqing-xihe';
const DOC = `${COMMUNITY}/cases/2026`;
const LIMIT = 64 * 1024;

const OFFENDERS: readonly { name: string; frame: Uint8Array | string; code: number }[] = [
  {
    name: 'a garbage frame',
    frame: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    code: CLOSE_CODES.MALFORMED_MESSAGE,
  },
  { name: 'a truncated sync frame', frame: new Uint8Array([0, 2, 40, 1, 2, 3]), code: CLOSE_CODES.MALFORMED_MESSAGE },
  { name: 'an unknown message type', frame: new Uint8Array([9, 0]), code: CLOSE_CODES.MALFORMED_MESSAGE },
  {
    name: 'an auth message, which clients never send',
    frame: new Uint8Array([2, 0, 0]),
    code: CLOSE_CODES.MALFORMED_MESSAGE,
  },
  {
    name: 'an unknown sync sub-type',
    frame: syncFrame(7, new Uint8Array([0, 0])),
    code: CLOSE_CODES.MALFORMED_MESSAGE,
  },
  { name: 'a text frame', frame: 'hello', code: CLOSE_CODES.MALFORMED_MESSAGE },
  {
    name: 'an update Yjs cannot read',
    frame: syncFrame(2, new Uint8Array([5, 0xff, 0xff, 0x7f, 1])),
    code: CLOSE_CODES.INVALID_UPDATE,
  },
  {
    name: 'a garbage awareness update',
    frame: new Uint8Array([1, 4, 1, 2, 3, 4]),
    code: CLOSE_CODES.MALFORMED_MESSAGE,
  },
  {
    name: 'a message over the size limit',
    frame: syncFrame(2, new Uint8Array(LIMIT + 10)),
    code: CLOSE_CODES.MESSAGE_TOO_LARGE,
  },
];

describe('bad input', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let token: string;
  let bystanderA: WebsocketProvider;
  let bystanderB: WebsocketProvider;

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    token = (await issueToken(data.dir, 'editor', COMMUNITY, 'editor')).token;
    server = await ServerProcess.start(data.dir, ['--max-message-bytes', String(LIMIT)]);
    bystanderA = connectProvider(server, DOC, token);
    bystanderB = connectProvider(server, DOC, token);
    await Promise.all([whenSynced(bystanderA), whenSynced(bystanderB)]);
    bystanderA.doc.getMap('cases').set('before', '调解中');
    await waitFor(() => bystanderB.doc.getMap('cases').get('before') === '调解中');
  });

  afterAll(async () => {
    bystanderA.destroy();
    bystanderB.destroy();
    await server.stop();
    data.cleanup();
  });

  for (const offender of OFFENDERS) {
    it(`closes only the connection that sends ${offender.name}, with code ${offender.code}`, async () => {
      const client = await RawClient.open(docUrl(server, DOC, token));
      client.send(offender.frame);
      const closed = await client.closed;
      expect(closed.code).toBe(offender.code);
      await server.waitForLog((l) => l.code === offender.code && (l.msg.includes('closed') || l.msg.includes('error')));

      // Everyone else goes on: a new edit still travels between the bystanders.
      const key = `after ${offender.name}`;
      bystanderB.doc.getMap('cases').set(key, 'ok');
      await waitFor(() => bystanderA.doc.getMap('cases').get(key) === 'ok');
      expect(bystanderA.wsconnected && bystanderB.wsconnected).toBe(true);
    });
  }

  it('keeps what was stored before: a new client after a restart gets all of it', async () => {
    const expected = bystanderA.doc.getMap('cases').toJSON();
    expect(Object.keys(expected)).toHaveLength(OFFENDERS.length + 1);
    expect(await server.stop()).toBe(0);
    server = await ServerProcess.start(data.dir, ['--max-message-bytes', String(LIMIT)]);
    const fresh = connectProvider(server, DOC, token);
    await whenSynced(fresh);
    expect(fresh.doc.getMap('cases').toJSON()).toEqual(expected);
    fresh.destroy();
  });
});
