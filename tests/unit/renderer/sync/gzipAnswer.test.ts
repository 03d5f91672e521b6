/**
 * The compressed first answer (MESSAGE_GZIP_ANSWER) from the client's side, against a scripted websocket server:
 * read and applied with what was relayed meanwhile; a garbled one is reported, and the document asks for plain
 * answers on the next connection and loses nothing. Also a plain answer held at the host's answer gate.
 */
import { gzipSync } from 'node:zlib';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { answerUpdates, DocSync, type DocSyncHost } from '../../../../renderer/sync/docSync';
import { docSyncHost, syncFrame, waitFor } from '../../../integration/sync-server/harness';

function gzipAnswer(content: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 100);
  encoding.writeVarUint8Array(encoder, content);
  return encoding.toUint8Array(encoder);
}

/** The server's document: 3 residents written by another device, as two updates. */
const server = new Y.Doc();
server.getMap('residents').set('r1', '张三');
const firstUpdate = Y.encodeStateAsUpdate(server);
server.getMap('residents').set('r2', '李四');
server.getMap('residents').set('r3', '王五');
const secondUpdate = Y.encodeStateAsUpdate(server, Y.encodeStateVectorFromUpdate(firstUpdate));
const relayed = new Y.Doc();
Y.applyUpdate(relayed, Y.encodeStateAsUpdate(server));
const beforeRelay = Y.encodeStateVector(relayed);
relayed.getMap('residents').set('r4', '赵六');
const relayUpdate = Y.encodeStateAsUpdate(relayed, beforeRelay);

const plainAnswer = [syncFrame(2, firstUpdate), syncFrame(1, secondUpdate)];
const answerBytes = new Uint8Array(Buffer.concat(plainAnswer));

let wss: WebSocketServer | null = null;
const syncs: DocSync[] = [];

afterEach(async () => {
  for (const sync of syncs.splice(0)) await sync.stop();
  await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
  wss = null;
});

/** A server that answers a client's sync-step-1 with `answer(url)` (after sending its own sync-step-1). */
async function scriptedServer(answer: (url: string) => Uint8Array[]): Promise<{ url: string; urls: string[] }> {
  const urls: string[] = [];
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws, req) => {
    urls.push(req.url ?? '');
    ws.send(syncFrame(0, Y.encodeStateVector(server)));
    ws.on('message', (data: Buffer) => {
      if (data[0] === 0 && data[1] === 0) for (const message of answer(req.url ?? '')) ws.send(message);
    });
  });
  await new Promise((resolve) => wss?.once('listening', resolve));
  const address = wss.address() as { port: number };
  return { url: `ws://127.0.0.1:${address.port}`, urls };
}

function start(url: string, more: Partial<DocSyncHost> = {}): { doc: Y.Doc; sync: DocSync } {
  const doc = new Y.Doc();
  const host = docSyncHost(url, 't', more);
  const sync = new DocSync('xihe/registry', doc, { markers: {}, serverState: {}, lastFullSync: null }, host);
  syncs.push(sync);
  sync.start();
  return { doc, sync };
}

describe('a first answer gzipped', () => {
  it('is read, and applied in one transaction with an update relayed before it', async () => {
    const { url, urls } = await scriptedServer(() => [
      syncFrame(2, relayUpdate), // relayed while the server compressed the answer
      gzipAnswer(gzipSync(answerBytes)),
    ]);
    const { doc, sync } = start(url);
    const seen: number[] = [];
    doc.on('afterTransaction', () => seen.push(doc.getMap('residents').size));
    await waitFor(() => sync.status().connection === 'synced', 5_000, 'synced');
    expect(urls[0]).toContain('answer=gzip');
    expect(doc.getMap('residents').toJSON()).toEqual({ r1: '张三', r2: '李四', r3: '王五', r4: '赵六' });
    expect(seen).toEqual([4]);
  });

  it('garbled: says so, asks for plain answers on a new connection, and ends with everything', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { url, urls } = await scriptedServer((path) =>
      path.includes('answer=gzip') ? [gzipAnswer(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]))] : plainAnswer,
    );
    const { doc, sync } = start(url);
    await waitFor(() => sync.status().connection === 'synced', 5_000, 'synced after the plain answer');
    expect(doc.getMap('residents').toJSON()).toEqual({ r1: '张三', r2: '李四', r3: '王五' });
    expect(urls).toHaveLength(2);
    expect(urls[1]).not.toContain('answer=gzip');
    expect(String(errors.mock.calls[0]?.[0])).toContain('compressed answer could not be read');
    errors.mockRestore();
  });
});

describe('an answer held at the gate (a new device applies its registry first)', () => {
  it('waits, takes the updates relayed meanwhile, and applies all of it in one transaction when the gate opens', async () => {
    const { url } = await scriptedServer(() => [...plainAnswer, syncFrame(2, relayUpdate)]);
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { doc, sync } = start(url, { answerGate: () => gate });
    const seen: number[] = [];
    doc.on('afterTransaction', () => seen.push(doc.getMap('residents').size));
    // The whole answer and the relayed update have arrived; nothing is applied while the gate is shut.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toEqual([]);
    expect(sync.status().connection).not.toBe('synced');
    open();
    await waitFor(() => sync.status().connection === 'synced', 5_000, 'synced after the gate');
    expect(doc.getMap('residents').toJSON()).toEqual({ r1: '张三', r2: '李四', r3: '王五', r4: '赵六' });
    expect(seen).toEqual([4]);
  });
});

describe('answerUpdates', () => {
  it('reads the updates of a whole answer and refuses anything else', () => {
    expect(answerUpdates(answerBytes)).toEqual([firstUpdate, secondUpdate]);
    expect(answerUpdates(plainAnswer[0]!)).toBeNull(); // no sync-step-2: cut short
    expect(answerUpdates(new Uint8Array(Buffer.concat([plainAnswer[1]!, plainAnswer[0]!])))).toBeNull(); // after the end
    expect(answerUpdates(syncFrame(0, firstUpdate))).toBeNull(); // a sync-step-1
    expect(answerUpdates(new TextEncoder().encode('<html>proxy</html>'))).toBeNull();
    expect(answerUpdates(answerBytes.subarray(0, 9))).toBeNull(); // truncated
    expect(answerUpdates(new Uint8Array())).toBeNull();
  });
});
