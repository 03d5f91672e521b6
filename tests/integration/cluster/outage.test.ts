/**
 * The engines going away under two nodes (docs/sync-server.md, "Several nodes: PostgreSQL and Redis", "When Redis or
 * PostgreSQL is down"):
 * - PostgreSQL stopped: a write is refused, its connection closed with 4500 and the reason naming PostgreSQL, and no
 *   "saved" signal covers it; the other node's client does not see it. Once PostgreSQL is back the client's edit is
 *   stored and reaches the other node, and every state the server ever acknowledged is in PostgreSQL.
 * - Redis restarted (its streams lost): a write while it is down is refused alike (reason naming Redis); once it is
 *   back every node notices the restart, reloads its documents from PostgreSQL, and the clients converge.
 * - An update committed by a node that died before publishing it (a row no stream entry announced) reaches the
 *   clients of every node holding the document, from PostgreSQL, within seconds (reconciliation in relay.ts).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { PostgresStorage } from '../../../sync-server/storage/postgres';
import { connectProvider, waitFor, whenSynced, type ServerProcess } from '../sync-server/harness';
import { ackedClock, Cluster, COMMUNITY, peekAcks, recordCloses } from './cluster';
import { enginesMissing } from './engines';

const missing = enginesMissing();
if (missing !== null) console.warn(`skipping cluster outage tests: ${missing}`);

const STORAGE_ERROR = 4500;

describe.skipIf(missing !== null)('two nodes when PostgreSQL or Redis is down', () => {
  let cluster: Cluster;
  /** Set once the cluster runs: what afterAll stops, even when beforeAll failed half-way. */
  let started: Cluster | undefined;
  const providers: WebsocketProvider[] = [];
  const connect = (node: ServerProcess | undefined, doc: string): WebsocketProvider => {
    if (node === undefined) throw new Error('no such node');
    const provider = connectProvider(node, doc, cluster.token);
    providers.push(provider);
    return provider;
  };
  const clockOf = (doc: Y.Doc, client: number): number =>
    Y.decodeStateVector(Y.encodeStateVector(doc)).get(client) ?? 0;

  beforeAll(async () => {
    cluster = started = await Cluster.start(2);
  }, 60_000);

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await started?.destroy();
  });

  it('refuses writes with 4500 while PostgreSQL is down, acknowledges nothing unstored, and recovers', async () => {
    const doc = `${COMMUNITY}/cases/2026`;
    const a = connect(cluster.nodes[0], doc);
    const b = connect(cluster.nodes[1], doc);
    const acks = peekAcks(a);
    const closes = recordCloses(a);
    await Promise.all([whenSynced(a), whenSynced(b)]);
    const cases = a.doc.getMap('cases');
    cases.set('before', 1);
    await waitFor(() => b.doc.getMap('cases').get('before') === 1, 5_000, 'before on node 2');
    await waitFor(() => ackedClock(acks, a.doc.clientID) >= 1, 5_000, 'before acknowledged');

    await cluster.postgres.stop();
    const stoppedAt = performance.now();
    cases.set('during', 2);
    const duringClock = clockOf(a.doc, a.doc.clientID);
    let restarted = false;
    try {
      const refusal = await waitFor(
        () => closes.find((c) => c.code === STORAGE_ERROR && c.reason.includes('PostgreSQL')),
        10_000,
        'a 4500 close naming PostgreSQL',
      );
      console.info(
        `cluster: PostgreSQL down, write refused after ${(performance.now() - stoppedAt).toFixed(0)} ms: ${refusal.reason}`,
      );
      // Give the node time to (wrongly) acknowledge or relay it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(ackedClock(acks, a.doc.clientID)).toBeLessThan(duringClock);
      expect(b.doc.getMap('cases').get('during')).toBeUndefined();
      await cluster.postgres.start();
      restarted = true;
    } finally {
      if (!restarted) await cluster.postgres.start();
    }
    await waitFor(() => b.doc.getMap('cases').get('during') === 2, 10_000, 'during on node 2 once PostgreSQL is back');
    await waitFor(() => ackedClock(acks, a.doc.clientID) >= duringClock, 5_000, 'during acknowledged');
    // Every state vector the server ever sent as "saved" is covered by what PostgreSQL holds.
    const storage = await PostgresStorage.open(cluster.postgres.url, { poolSize: 1 });
    try {
      const stored = new Y.Doc();
      for (const update of (await storage.load(doc)).updates) Y.applyUpdate(stored, update);
      const storedVector = Y.decodeStateVector(Y.encodeStateVector(stored));
      for (const vector of acks) {
        for (const [client, clock] of vector) expect(storedVector.get(client) ?? 0).toBeGreaterThanOrEqual(clock);
      }
      expect(stored.getMap('cases').toJSON()).toEqual({ before: 1, during: 2 });
    } finally {
      await storage.close();
    }
  });

  it('refuses writes while Redis is down and converges after it restarts empty', async () => {
    const doc = `${COMMUNITY}/meetings/2026`;
    const [first, second] = cluster.nodes;
    if (first === undefined || second === undefined) throw new Error('nodes missing');
    const a = connect(first, doc);
    const b = connect(second, doc);
    const acks = peekAcks(a);
    const closes = recordCloses(a);
    await Promise.all([whenSynced(a), whenSynced(b)]);
    a.doc.getMap('meetings').set('before', 1);
    await waitFor(() => b.doc.getMap('meetings').get('before') === 1, 5_000, 'before on node 2');

    await cluster.redis.stop();
    let restarted = false;
    try {
      a.doc.getMap('meetings').set('during', 2);
      const duringClock = clockOf(a.doc, a.doc.clientID);
      const refusal = await waitFor(
        () => closes.find((c) => c.code === STORAGE_ERROR && c.reason.includes('Redis')),
        10_000,
        'a 4500 close naming Redis',
      );
      console.info(`cluster: Redis down, write refused: ${refusal.reason}`);
      expect(ackedClock(acks, a.doc.clientID)).toBeLessThan(duringClock);
      expect(b.doc.getMap('meetings').get('during')).toBeUndefined();
      await cluster.redis.start();
      restarted = true;
    } finally {
      if (!restarted) await cluster.redis.start();
    }
    const backAt = performance.now();
    await waitFor(() => b.doc.getMap('meetings').get('during') === 2, 10_000, 'during on node 2 after the restart');
    // Both nodes saw Redis come back as a new instance and reloaded what they hold from PostgreSQL.
    for (const node of [first, second]) {
      await node.waitForLog((l) => l.msg.includes('reloading loaded documents from PostgreSQL'), 5_000);
    }
    b.doc.getMap('meetings').set('after', 3);
    await waitFor(() => a.doc.getMap('meetings').get('after') === 3, 5_000, 'after on node 1');
    console.info(`cluster: Redis restarted, nodes converged ${(performance.now() - backAt).toFixed(0)} ms after`);
    expect(a.doc.getMap('meetings').toJSON()).toEqual(b.doc.getMap('meetings').toJSON());
  });

  it('applies an update stored but never relayed (its node died before XADD) from PostgreSQL on every node', async () => {
    const doc = `${COMMUNITY}/tasks/2026`;
    const a = connect(cluster.nodes[0], doc);
    const b = connect(cluster.nodes[1], doc);
    await Promise.all([whenSynced(a), whenSynced(b)]);
    const lost = new Y.Doc();
    lost.getMap('tasks').set('lost', 'found');
    const update = Y.encodeStateAsUpdate(lost);
    // What a node killed between its commit and its XADD leaves: a committed row no stream entry announced.
    const client = new pg.Client(cluster.postgres.url);
    await client.connect();
    try {
      await client.query(
        `WITH stored AS (INSERT INTO doc_updates (doc, data, created_at) VALUES ($1, $2, $3) RETURNING seq)
         INSERT INTO doc_history (seq, doc, jti, "user", bytes, at) SELECT seq, $1, 'dead-node', 'x', $4, $3 FROM stored`,
        [doc, Buffer.from(update), Date.now(), update.byteLength],
      );
    } finally {
      await client.end();
    }
    const insertedAt = performance.now();
    await waitFor(
      () => a.doc.getMap('tasks').get('lost') === 'found' && b.doc.getMap('tasks').get('lost') === 'found',
      10_000,
      'the unrelayed update on both nodes',
    );
    console.info(
      `cluster: an unrelayed stored update reached both nodes' clients after ${(performance.now() - insertedAt).toFixed(0)} ms`,
    );
    for (const node of cluster.nodes) {
      expect(
        node.logs.some((l) => l.msg === 'relay: stored updates never relayed; applying them from PostgreSQL'),
      ).toBe(true);
    }
  });
});
