/**
 * A community bigger than one message: a device holding a registry larger than the server's `--max-message-bytes`
 * (a 20,000-resident import is 12.4 MiB as one Yjs update; the default limit is 8 MiB) joins, or imports while
 * online. Stock y-websocket would send it as one message and the server would close the socket with 1009, at every
 * attempt. The app sends it in pieces (shared/sync/chunks.ts).
 */
import { gunzipSync } from 'node:zlib';
import * as decoding from 'lib0/decoding';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { toCommunityId } from '@shared/ydoc/docName';
import { collectionMap } from '@shared/ydoc/registry';
import { DEFAULTS } from '../../../sync-server/config';
import { ANSWER_MESSAGE_BYTES } from '../../../sync-server/protocol';
import {
  RawClient,
  ServerProcess,
  adminInProcess,
  docUrl,
  issueToken,
  tempDataDir,
  waitFor,
} from '../sync-server/harness';
import { Device, type DeviceEnvironment } from './support';

const XIHE = 'shunqing-xihe';
const REGISTRY = `${XIHE}/registry`;

async function residents(device: Device): Promise<number> {
  return collectionMap(await device.store.docs.get(REGISTRY), 'residents').size;
}

/** Enough residents for a registry larger than the server's default message limit (checked below). */
const BIG_RESIDENTS = 20_000;

describe('a registry larger than the server accepts in one message', () => {
  const data: { dir: string; cleanup: () => void }[] = [];
  const servers: ServerProcess[] = [];
  const devices: Device[] = [];

  async function serverWith(args: string[]): Promise<{ server: ServerProcess; tokens: string[] }> {
    const folder = tempDataDir();
    data.push(folder);
    await adminInProcess(folder.dir, 'community', 'add', XIHE, '--name', '西河社区');
    const tokens = [
      (await issueToken(folder.dir, 'li', XIHE, 'editor')).token,
      (await issueToken(folder.dir, 'wang', XIHE, 'editor')).token,
    ];
    const server = await ServerProcess.start(folder.dir, args);
    servers.push(server);
    return { server, tokens };
  }

  async function device(name: string, env?: DeviceEnvironment): Promise<Device> {
    const d = await Device.open(name, env);
    devices.push(d);
    return d;
  }

  afterEach(async () => {
    for (const d of devices.splice(0)) await d.shutdown().catch(() => undefined);
    for (const s of servers.splice(0)) await s.stop();
  });

  afterAll(() => {
    for (const folder of data) folder.cleanup();
  });

  it('first sync of a device that imported a big community, with the default limit', async () => {
    const { doc } = generateDemoCommunity(20261126, { residents: BIG_RESIDENTS });
    const update = Y.encodeStateAsUpdate(doc);
    expect(update.length).toBeGreaterThan(DEFAULTS.maxMessageBytes); // one message would be refused
    const { server, tokens } = await serverWith([]);
    const [tokenA = '', tokenB = ''] = tokens;

    const a = await device('a');
    await a.store.addDemoCommunity(update, XIHE);
    expect(await a.manager.join(server.url, tokenA)).toEqual({ ok: true, reload: false });
    const done = await a.waitFor(
      (s) => (s.state === 'synced' && s.pending === 0) || s.refusal !== null,
      'a stored on the server (or refused)',
      60_000,
    );
    expect(done.refusal).toBeNull();
    const metrics = await server.metrics();
    expect(metrics.get('sync_connections_closed_total{code="1009"}') ?? 0).toBe(0);
    expect(metrics.get('sync_updates_stored_total') ?? 0).toBeGreaterThan(1); // it went in several pieces

    // The other documents wait for the registry up to a cap (FIRST_ANSWER_WAIT_MS, for a slow line); on a loaded
    // machine applying 20,000 residents may take longer than that, so the cap is raised here past the test's own
    // limit: the order asserted below is then the gate's doing, not the machine's speed.
    const b = await device('b', { firstAnswerWaitMs: 120_000 });
    // What b's screens and guards see of the answer (13 pieces): one transaction holding everyone, never a part.
    const seen: number[] = [];
    const bDoc = await b.store.docs.get(REGISTRY);
    bDoc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (!transaction.local) seen.push(collectionMap(bDoc, 'residents').size);
    });
    const joined = performance.now();
    await b.manager.join(server.url, tokenB);
    await b.waitFor((s) => s.state === 'synced', 'b synced', 60_000);
    expect(await residents(b)).toBe(BIG_RESIDENTS);
    expect(seen).toEqual([BIG_RESIDENTS]);
    // b's other documents applied their answers only once its registry was applied (they must not hold the main
    // thread meanwhile), and its projection followed the answer as it was applied (no screen asked for it).
    const marks = (name: string) =>
      performance
        .getEntriesByName(`cgw:${name}`)
        .map((mark) => mark.startTime)
        .filter((at) => at >= joined);
    const [registryApplied] = marks(`sync-applied ${REGISTRY}`);
    const others = b.snapshot.docs.filter((doc) => doc.docName !== REGISTRY);
    expect(others.length).toBeGreaterThan(2);
    for (const { docName } of others) expect(marks(`sync-applied ${docName}`)[0]).toBeGreaterThan(registryApplied!);
    await b.store.flush();
    expect(marks('project-start').length).toBe(1);
    expect((await b.store.searchResidents(toCommunityId(XIHE), '')).total).toBe(BIG_RESIDENTS);
    expect(Y.encodeStateVector(await b.store.docs.get(REGISTRY))).toEqual(
      Y.encodeStateVector(await a.store.docs.get(REGISTRY)),
    );
    // b stored it in rows of about a MiB, none the whole 10 MiB.
    await b.store.docs.flush(REGISTRY);
    const rows = await b.store.db.docUpdates.where('docName').equals(REGISTRY).toArray();
    expect(rows.length).toBeGreaterThan(5);
    // Sealed rows (renderer/data/sealed.ts): the update and 28 bytes of IV and tag.
    expect(Math.max(...rows.map((row) => row.sealed?.length ?? Infinity))).toBeLessThanOrEqual(
      1.1 * ANSWER_MESSAGE_BYTES,
    );

    // What a joiner holding nothing receives: update messages of at most a MiB, then one sync-step-2 (y-websocket
    // counts a client synced at the sync-step-2, so only once it holds everything).
    const raw = await RawClient.open(docUrl(server, REGISTRY, tokenB));
    raw.send(new Uint8Array([0, 0, 1, 0])); // sync, sync-step-1, a state vector naming no client
    const kinds = await waitFor(
      () => {
        const sync = raw.messages.filter((m) => m[0] === 0).map((m) => ({ kind: m[1], bytes: m.length }));
        return sync.some((m) => m.kind === 1) ? sync : undefined;
      },
      60_000,
      'the whole answer',
    );
    raw.ws.close();
    const answer = kinds.slice(1); // the first is the server's own sync-step-1 (its state vector)
    expect(kinds[0]?.kind).toBe(0);
    expect(answer.length).toBeGreaterThan(5);
    expect(answer.slice(0, -1).every((m) => m.kind === 2)).toBe(true);
    expect(answer.at(-1)?.kind).toBe(1);
    expect(Math.max(...answer.map((m) => m.bytes))).toBeLessThanOrEqual(ANSWER_MESSAGE_BYTES + 64);
    const plainBytes = Buffer.concat(raw.messages.filter((m) => m[0] === 0).slice(1));

    // Asked for (answer=gzip, as the app does): the same messages in one gzipped message, a fraction of the bytes.
    const zipped = await RawClient.open(`${docUrl(server, REGISTRY, tokenB)}&answer=gzip`);
    zipped.send(new Uint8Array([0, 0, 1, 0]));
    const gz = await waitFor(() => zipped.messages.find((m) => m[0] === 100), 60_000, 'the gzipped answer');
    zipped.ws.close();
    const decoder = decoding.createDecoder(new Uint8Array(gz));
    decoding.readVarUint(decoder);
    const unzipped = gunzipSync(decoding.readVarUint8Array(decoder));
    expect(unzipped.equals(plainBytes)).toBe(true);
    expect(gz.length).toBeLessThan(plainBytes.length / 3);
  }, 180_000);

  it('a big import made while online goes out in pieces below a lower configured limit', async () => {
    const limit = 2 * 1024 * 1024;
    const { doc } = generateDemoCommunity(7, { residents: 6_000 });
    const update = Y.encodeStateAsUpdate(doc);
    expect(update.length).toBeGreaterThan(limit);
    const { server, tokens } = await serverWith(['--max-message-bytes', String(limit)]);
    const [tokenA = '', tokenB = ''] = tokens;

    const a = await device('a');
    await a.manager.join(server.url, tokenA);
    await a.waitFor((s) => s.state === 'synced', 'a synced');
    const registry = await a.store.docs.get(REGISTRY);
    Y.applyUpdate(registry, update, 'import'); // one local transaction, as an import is
    const done = await a.waitFor(
      (s) => (s.state === 'synced' && s.pending === 0) || s.refusal !== null,
      'a stored on the server (or refused)',
      60_000,
    );
    expect(done.refusal).toBeNull();
    expect((await server.metrics()).get('sync_connections_closed_total{code="1009"}') ?? 0).toBe(0);

    const b = await device('b');
    await b.manager.join(server.url, tokenB);
    await b.waitFor((s) => s.state === 'synced', 'b synced', 60_000);
    expect(await residents(b)).toBe(6_000);
  }, 180_000);
});
