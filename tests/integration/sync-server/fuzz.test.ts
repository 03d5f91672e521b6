/**
 * Fuzzing the real server process (integrity issue, finding 1): a corpus of valid frames, as the app and stock
 * clients send them, mutated (bit flips, truncation, varint overflow, zero and huge lengths, delete ranges at and past
 * known clocks) and thrown at a running server over many sockets. The server must not stop, must close only the
 * offending sockets, and its document must equal a reference built from the frames it accepted, before and after a
 * restart (what it holds in memory is what it stored).
 */
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { permanentRulesFor } from '@shared/ydoc/permanent';
import { PermanentGuard } from '../../../sync-server/guard';
import { decodeClientMessage } from '../../../sync-server/protocol';
import {
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
const DOC = `${COMMUNITY}/cases/2026`;
const MUTANTS = 600;
const BATCH = 30;

/** A small deterministic PRNG (mulberry32): the same corpus and mutations on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function varUint(value: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, value);
  return encoding.toUint8Array(encoder);
}

/** An update holding only a delete set: one range per entry. */
function deleteSetUpdate(ranges: readonly { client: number; clock: number; len: number }[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, ranges.length);
  for (const { client, clock, len } of ranges) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarUint(encoder, len);
  }
  return encoding.toUint8Array(encoder);
}

/** Valid frames of the kinds clients send: updates of maps, arrays, texts and deletions, sync-step-1s, awareness. */
function corpus(seedDoc: Y.Doc, rnd: () => number): Uint8Array[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(seedDoc));
  const frames: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => frames.push(syncFrame(2, update)));
  const cases = doc.getMap<Y.Map<unknown>>('cases');
  for (let i = 0; i < 40; i++) {
    doc.transact(() => {
      const id = `fz-${i}`;
      const caseMap = cases.set(id, new Y.Map<unknown>());
      caseMap.set('status', rnd() < 0.5 ? 'registered' : 'mediating');
      caseMap.set('facts', new Y.Text('邻里漏水纠纷'.repeat(1 + Math.floor(rnd() * 4))));
      caseMap.set('timeline', Y.Array.from([{ at: i, what: 'created' }]));
    });
    if (i > 2 && rnd() < 0.4) cases.delete(`fz-${i - 2}`);
    if (rnd() < 0.3) (cases.get(`fz-${i}`)?.get('facts') as Y.Text | undefined)?.insert(0, '补充');
  }
  frames.push(syncFrame(0, Y.encodeStateVector(doc)), syncFrame(0, new Uint8Array([0])));
  frames.push(new Uint8Array([1, 10, 1, 0x9a, 0x02, 1, 4, 0x7b, 0x22, 0x7d, 0x7d, 0x7d]));
  return frames;
}

function mutate(frame: Uint8Array, rnd: () => number, clocks: ReadonlyMap<number, number>): Uint8Array {
  const at = (n: number): number => Math.floor(rnd() * n);
  const bytes = Uint8Array.from(frame);
  switch (at(7)) {
    case 0: {
      for (let flips = 1 + at(3); flips > 0; flips--) {
        const i = at(bytes.length);
        bytes[i] = (bytes[i] ?? 0) ^ (1 << at(8));
      }
      return bytes;
    }
    case 1:
      return bytes.slice(0, at(bytes.length));
    case 2: {
      const i = at(bytes.length);
      return Uint8Array.from([...bytes.slice(0, i), ...new Array<number>(11).fill(0xff), ...bytes.slice(i)]);
    }
    case 3:
      // The payload's length said to be 0.
      return Uint8Array.from([...bytes.slice(0, 2), 0, ...bytes.slice(3)]);
    case 4:
      // The payload's length said to be huge.
      return Uint8Array.from([...bytes.slice(0, 2), ...varUint(0xffffffff), ...bytes.slice(3)]);
    default: {
      // Delete ranges at and past the clocks the server announced, of length 0, 1 and huge.
      const known = [...clocks];
      const [client, clock] = known[at(known.length)] ?? [1, 0];
      const offsets = [-1, 0, 0, 1, 5, 1000];
      const lengths = [0, 1, 2, 0x7fffffff];
      const ranges = [
        { client, clock: Math.max(0, clock + offsets[at(offsets.length)]!), len: lengths[at(lengths.length)]! },
      ];
      return syncFrame(at(2) === 0 ? 2 : 2, deleteSetUpdate(ranges));
    }
  }
}

describe('fuzzing the sync server', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let token: string;
  const seed = new Y.Doc();

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    token = (await issueToken(data.dir, '王芳', COMMUNITY, 'editor')).token;
    server = await ServerProcess.start(data.dir, [
      '--messages-per-minute',
      '1000000',
      '--connections-per-minute',
      '100000',
    ]);
    const writer = connectProvider(server, DOC, token, seed);
    await whenSynced(writer);
    seed.transact(() => {
      const c = seed.getMap<Y.Map<unknown>>('cases').set('seed', new Y.Map<unknown>());
      c.set('status', 'registered');
      c.set('facts', new Y.Text('楼上漏水'));
      c.set('timeline', Y.Array.from([{ at: 0, what: 'created' }]));
    });
    seed.getArray('audit').push([{ id: 'a0', userName: '王芳', userId: '王芳' }]);
    await waitFor(async () => ((await server.metrics()).get('sync_updates_stored_total') ?? 0) >= 2);
    writer.destroy();
  });

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  it(`survives ${MUTANTS} mutated frames, closes only their sockets, and holds what it accepted`, async () => {
    const rnd = random(20261201);
    const frames = corpus(seed, rnd);
    const clocks = Y.decodeStateVector(Y.encodeStateVector(seed));
    const mutants = Array.from({ length: MUTANTS }, (_, i) => mutate(frames[i % frames.length]!, rnd, clocks));
    // The reference follows the server's documented rules: what an update removes of an append-only list or a lock
    // is put back (shared/ydoc/permanent.ts).
    const reference = new Y.Doc();
    Y.applyUpdate(reference, Y.encodeStateAsUpdate(seed));
    const guard = new PermanentGuard(reference, permanentRulesFor(DOC)!);

    let closedSockets = 0;
    for (let start = 0; start < mutants.length; start += BATCH) {
      const batch = mutants.slice(start, start + BATCH);
      const results = await Promise.all(
        batch.map(async (frame) => {
          const client = await RawClient.open(docUrl(server, DOC, token));
          client.send(frame);
          const closed = await Promise.race([client.closed, new Promise<null>((r) => setTimeout(() => r(null), 400))]);
          client.ws.terminate();
          return { frame, closed };
        }),
      );
      for (const { frame, closed } of results) {
        if (closed !== null) {
          closedSockets++;
          continue;
        }
        const decoded = decodeClientMessage(frame);
        if (!decoded.ok) continue;
        const { message } = decoded;
        if (message.kind !== 'update' && message.kind !== 'sync-step-2') continue;
        try {
          const captures = guard.inspect(Y.decodeUpdate(message.update));
          Y.applyUpdate(reference, message.update);
          reference.transact(() => guard.restore(captures));
        } catch {
          // Accepted by the server without harm and unreadable here as there: nothing to hold.
        }
      }
      expect(server.child.exitCode).toBeNull();
    }
    expect((await fetch(`${server.http}/healthz`)).status).toBe(200);
    expect(closedSockets).toBeGreaterThan(0);

    const read = async (): Promise<unknown> => {
      const probe = connectProvider(server, DOC, token);
      await whenSynced(probe);
      await new Promise((r) => setTimeout(r, 300));
      const json = { cases: probe.doc.getMap('cases').toJSON(), audit: probe.doc.getArray('audit').toJSON() };
      probe.destroy();
      return json;
    };
    const expected = { cases: reference.getMap('cases').toJSON(), audit: reference.getArray('audit').toJSON() };
    expect(await read()).toEqual(expected);
    expect(await server.stop()).toBe(0);
    server = await ServerProcess.start(data.dir);
    expect(await read()).toEqual(expected);
  }, 240_000);
});
