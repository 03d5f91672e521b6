import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { isSavedOnServer, MESSAGE_SYNC } from '@shared/sync/protocol';
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
const DOC = `${COMMUNITY}/cases/2026`;

describe('sync server with stock y-websocket clients', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let token: string;
  const providers: WebsocketProvider[] = [];

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    token = (await issueToken(data.dir, 'editor-a', COMMUNITY, 'editor')).token;
    server = await ServerProcess.start(data.dir);
  });

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await server.stop();
    data.cleanup();
  });

  it('logs a JSON line with "listening" and the actual port', () => {
    const line = server.logs.find((l) => l.msg.includes('listening'));
    expect(line?.port).toBe(server.port);
    expect(line?.address).toBe('127.0.0.1');
  });

  it('lets two editors converge, including concurrent edits of one text', async () => {
    const a = connectProvider(server, DOC, token);
    const b = connectProvider(server, DOC, token);
    providers.push(a, b);
    await Promise.all([whenSynced(a), whenSynced(b)]);
    a.doc.getMap('cases').set('c1', 'from a');
    b.doc.getMap('cases').set('c2', 'from b');
    a.doc.getText('minutes').insert(0, 'AAA');
    b.doc.getText('minutes').insert(0, 'BBB');
    await waitFor(() => a.doc.getMap('cases').size === 2 && b.doc.getMap('cases').size === 2, 10_000, 'convergence');
    await waitFor(() => a.doc.getText('minutes').length === 6 && b.doc.getText('minutes').length === 6);
    expect(a.doc.getMap('cases').toJSON()).toEqual({ c1: 'from a', c2: 'from b' });
    expect(a.doc.getText('minutes').toJSON()).toBe(b.doc.getText('minutes').toJSON());
  });

  it('tells a writer, through a sync-step-1 with the server state vector, that its edits are saved', async () => {
    const doc = new Y.Doc();
    const provider = connectProvider(server, `${COMMUNITY}/meetings/2026`, token, doc);
    providers.push(provider);
    const serverVectors: Map<number, number>[] = [];
    // What the app does: peek at sync-step-1 messages before the stock handler answers them.
    const stock = provider.messageHandlers[MESSAGE_SYNC]!;
    provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, messageType) => {
      const peek = decoding.clone(decoder);
      if (decoding.readVarUint(peek) === 0) serverVectors.push(Y.decodeStateVector(decoding.readVarUint8Array(peek)));
      stock(encoder, decoder, p, emitSynced, messageType);
    };
    await whenSynced(provider);
    for (let i = 0; i < 5; i++) doc.getMap('meetings').set(`m${i}`, i);
    const local = Y.decodeStateVector(Y.encodeStateVector(doc));
    await waitFor(() => serverVectors.some((sv) => isSavedOnServer(local, sv)), 10_000, 'saved signal');
    expect(local.get(doc.clientID)).toBe(5);
  });
});
