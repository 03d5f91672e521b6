/**
 * A hostile client against the real server process (issue: sync server integrity). Each test names the finding it
 * covers; each failed on the server before this change (a crash, a relay, a rewritten audit, a refused header).
 */
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CLOSE_CODES, SYNC_SUBPROTOCOL, tokenSubprotocols } from '@shared/sync/protocol';
import { loadOrCreateKey, signToken } from '../../../sync-server/auth';
import { SqliteStorage } from '../../../sync-server/storage/sqlite';
import {
  admin,
  adminInProcess,
  connectProvider,
  docUrl,
  issueToken,
  RawClient,
  ServerProcess,
  syncFrame,
  tempDataDir,
  waitFor,
  whenSynced,
} from './harness';

const COMMUNITY = 'shunqing-xihe';
const REGISTRY = `${COMMUNITY}/registry`;
const CASES = `${COMMUNITY}/cases/2026`;

const healthy = async (server: ServerProcess): Promise<boolean> =>
  (await fetch(`${server.http}/healthz`)).status === 200 && server.child.exitCode === null;

describe('a hostile client', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let editor: { token: string; jti: string };
  let attacker: { token: string; jti: string };
  let viewer: { token: string; jti: string };

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    editor = await issueToken(data.dir, '王芳', COMMUNITY, 'editor');
    attacker = await issueToken(data.dir, 'stolen-laptop', COMMUNITY, 'editor');
    viewer = await issueToken(data.dir, 'leader', COMMUNITY, 'viewer');
    server = await ServerProcess.start(data.dir, ['--max-connections-per-address', '50', '--viewers-masked', 'false']);
  });

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  it('[1] survives a 14-byte update whose delete range has length 0 at a clock the server announced', async () => {
    const honest = connectProvider(server, REGISTRY, editor.token);
    await whenSynced(honest);
    honest.doc.getMap('meta').set('name', '西河社区');
    await waitFor(() => honest.synced);
    const clock = Y.getState(honest.doc.store, honest.doc.clientID);
    await waitFor(async () => {
      const probe = connectProvider(server, REGISTRY, viewer.token);
      await whenSynced(probe);
      const held = Y.getState(probe.doc.store, honest.doc.clientID) >= clock;
      probe.destroy();
      return held;
    });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0); // no structs
    encoding.writeVarUint(encoder, 1); // a delete set of one client
    encoding.writeVarUint(encoder, honest.doc.clientID);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, clock); // at the server's own clock
    encoding.writeVarUint(encoder, 0); // of length 0
    const frame = syncFrame(2, encoding.toUint8Array(encoder));
    expect(frame.byteLength).toBeLessThanOrEqual(14);

    const client = await RawClient.open(docUrl(server, REGISTRY, attacker.token));
    client.send(frame);
    await new Promise((r) => setTimeout(r, 300));
    expect(await healthy(server)).toBe(true);
    // Everyone else goes on.
    const other = connectProvider(server, REGISTRY, editor.token);
    await whenSynced(other);
    honest.doc.getMap('meta').set('street', '顺庆');
    await waitFor(() => other.doc.getMap('meta').get('street') === '顺庆');
    client.ws.close();
    honest.destroy();
    other.destroy();
  });

  it('[3] relays awareness between editors only, and drops one that is too large', async () => {
    const doc = `${COMMUNITY}/meetings/2026`;
    const watcher = connectProvider(server, doc, editor.token);
    await whenSynced(watcher);
    const seen: number[] = [];
    watcher.awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) =>
      seen.push(...added, ...updated),
    );
    const fromViewer = connectProvider(server, doc, viewer.token);
    await whenSynced(fromViewer);
    fromViewer.awareness.setLocalState({ user: 'viewer' });
    const big = connectProvider(server, doc, attacker.token);
    await whenSynced(big);
    big.awareness.setLocalState({ blob: 'x'.repeat(64 * 1024) });
    await waitFor(async () => {
      const m = await server.metrics();
      return (
        (m.get('sync_awareness_refused_total{reason="viewer"}') ?? 0) >= 1 &&
        (m.get('sync_awareness_refused_total{reason="too-large"}') ?? 0) >= 1
      );
    });
    const small = connectProvider(server, doc, editor.token);
    await whenSynced(small);
    small.awareness.setLocalState({ user: '王芳' });
    await waitFor(() => seen.includes(small.awareness.clientID));
    expect(seen).not.toContain(fromViewer.awareness.clientID);
    expect(seen).not.toContain(big.awareness.clientID);
    for (const p of [watcher, fromViewer, big, small]) p.destroy();
  });

  it('[4] keeps the audit trail: 130 entries erased and one forged are put back on every device, and the attempt is kept', async () => {
    const honest = connectProvider(server, REGISTRY, editor.token);
    await whenSynced(honest);
    const entries = Array.from({ length: 130 }, (_, i) => ({
      id: `audit-${i}`,
      at: '2026-12-01T08:00:00.000Z',
      userId: '王芳',
      userName: '王芳',
      action: i === 7 ? 'revealIdNumber' : 'update',
    }));
    honest.doc.getArray('audit').push(entries);
    const stolen = connectProvider(server, REGISTRY, attacker.token);
    await whenSynced(stolen);
    await waitFor(() => stolen.doc.getArray('audit').length >= 130);
    stolen.doc.transact(() => {
      const audit = stolen.doc.getArray('audit');
      audit.delete(0, audit.length);
      audit.push([
        { id: 'forged', at: '2026-12-01T09:00:00.000Z', userId: '李四', userName: '李四', action: 'update' },
      ]);
    });
    const ids = (doc: Y.Doc): string[] => doc.getArray<{ id: string }>('audit').map((e) => e.id);
    await waitFor(() => ids(honest.doc).includes('forged'));
    await waitFor(() => ids(stolen.doc).length === 131);
    expect(ids(honest.doc).filter((id) => id.startsWith('audit-'))).toHaveLength(130);
    // A device that joins later sees the original entries.
    const later = connectProvider(server, REGISTRY, viewer.token);
    await whenSynced(later);
    expect(ids(later.doc).filter((id) => id.startsWith('audit-'))).toHaveLength(130);
    for (const p of [honest, stolen, later]) p.destroy();

    await server.waitForLog((l) => l.msg.includes('restored by the server') && l.jti === attacker.jti);
    await server.waitForLog((l) => l.msg.includes('another author') && l.jti === attacker.jti);
    const history = await admin(data.dir, 'history', REGISTRY);
    expect(history.code).toBe(0);
    expect(history.stdout).toContain(attacker.jti);
    expect(history.stdout).toContain('stolen-laptop');
    expect(history.stdout).toContain('sync-server');
    const attempts = await admin(data.dir, 'attempts', REGISTRY);
    expect(attempts.stdout).toContain('restored');
    expect(attempts.stdout).toContain('audit-author-differs');
  });

  it('[4] keeps a locked session locked: the server, not only the clients, puts it back', async () => {
    const honest = connectProvider(server, CASES, editor.token);
    await whenSynced(honest);
    honest.doc.transact(() => {
      const caseMap = honest.doc.getMap('cases').set('case-1', new Y.Map<unknown>());
      const session = caseMap.set('sessions', new Y.Map<unknown>()).set('session-1', new Y.Map<unknown>());
      session.set('place', '调解室');
      session.set('signatures', Y.Array.from([{ signer: { role: 'mediator' }, at: '2026-12-01' }]));
      session.set('signedContent', {
        place: '调解室',
        signatures: [{ signer: { role: 'mediator' }, at: '2026-12-01' }],
      });
      session.set('lockedAt', '2026-12-01T10:00:00.000Z');
    });
    const session = (doc: Y.Doc): Y.Map<unknown> | undefined =>
      (
        (doc.getMap('cases').get('case-1') as Y.Map<unknown> | undefined)?.get('sessions') as
          Y.Map<Y.Map<unknown>> | undefined
      )?.get('session-1');
    // The attacker's laptop has no lock guard: it writes straight into the document.
    const stolenDoc = new Y.Doc();
    const stolen = connectProvider(server, CASES, attacker.token, stolenDoc);
    await whenSynced(stolen);
    await waitFor(() => session(stolenDoc)?.get('lockedAt') != null);
    stolenDoc.transact(() => {
      const s = session(stolenDoc)!;
      s.set('lockedAt', null);
      s.set('signedContent', null);
      s.set('signatures', new Y.Array());
    });
    await server.waitForLog((l) => l.msg.includes('restored by the server') && l.doc === CASES);
    const later = connectProvider(server, CASES, viewer.token);
    await whenSynced(later);
    await waitFor(() => session(later.doc)?.get('lockedAt') === '2026-12-01T10:00:00.000Z');
    expect((session(later.doc)?.get('signatures') as Y.Array<unknown>).length).toBe(1);
    expect(session(later.doc)?.get('signedContent')).toMatchObject({ place: '调解室' });
    for (const p of [honest, stolen, later]) p.destroy();
  });

  it('[6] takes the token from Sec-WebSocket-Protocol, selects its own protocol and never echoes the token', async () => {
    const ws = new WebSocket(`${server.url}/${REGISTRY}`, tokenSubprotocols(editor.token));
    const opened = await new Promise<boolean>((resolve) => {
      ws.once('open', () => resolve(true));
      ws.once('unexpected-response', () => resolve(false));
      ws.once('error', () => resolve(false));
    });
    expect(opened).toBe(true);
    expect(ws.protocol).toBe(SYNC_SUBPROTOCOL);
    ws.close();
    await server.waitForLog((l) => l.msg === 'connected' && l.jti === editor.jti);
    expect(JSON.stringify(server.logs)).not.toContain(editor.token);
  });

  it('[6] refuses a token whose record does not match its claims', async () => {
    // Signed with the district key, but under the id of a viewer's record: as a leaked key or an edited DB would.
    const key = loadOrCreateKey(data.dir);
    const now = Math.floor(Date.now() / 1000);
    const { token, jti } = await signToken(key, {
      user: 'leader',
      communities: [COMMUNITY],
      role: 'admin',
      issuedAt: now,
      expiresAt: now + 3600,
    });
    const storage = new SqliteStorage(join(data.dir, 'sync.db'));
    storage.insertToken({
      jti,
      user: 'leader',
      communities: [COMMUNITY],
      role: 'viewer',
      issuedAt: now * 1000,
      expiresAt: (now + 3600) * 1000,
    });
    storage.close();
    const status = await new Promise<number | undefined>((resolve) => {
      const ws = new WebSocket(docUrl(server, REGISTRY, token));
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode));
      ws.once('open', () => {
        ws.close();
        resolve(101);
      });
      ws.once('error', () => resolve(undefined));
    });
    expect(status).toBe(401);
    await server.waitForLog((l) => l.reason === 'token-mismatch');
  });

  it('[6] drops silent sockets of one address within seconds and limits how many it may hold', async () => {
    // 127.0.0.2 is loopback on Linux but not an exempt (proxy) address.
    const sockets: Socket[] = [];
    let closedEarly = 0;
    for (let i = 0; i < 200; i++) {
      const socket = connect({ host: '127.0.0.1', port: server.port, localAddress: '127.0.0.2' });
      socket.on('error', () => undefined);
      socket.on('close', () => closedEarly++);
      sockets.push(socket);
    }
    // Over the limit (50 in this test): closed at once.
    await waitFor(() => closedEarly >= 150, 5_000, '150 sockets refused');
    expect(await healthy(server)).toBe(true);
    // The rest: no request head within the server's 10 s, dropped.
    await waitFor(() => closedEarly === 200, 15_000, 'silent sockets dropped');
    for (const socket of sockets) socket.destroy();
  });

  it('answers an absurd state vector and closes a garbage one with 4400, and nothing else (a regression check)', async () => {
    const client = await RawClient.open(docUrl(server, REGISTRY, attacker.token));
    // A state vector claiming an absurd clock: decodable, and answered without harm.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, 12345);
    encoding.writeVarUint(encoder, 2 ** 52);
    client.send(syncFrame(0, encoding.toUint8Array(encoder)));
    // Then garbage where the state vector should be.
    client.send(syncFrame(0, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])));
    const closed = await client.closed;
    expect(closed.code).toBe(CLOSE_CODES.MALFORMED_MESSAGE);
    expect(await healthy(server)).toBe(true);
  });
});
