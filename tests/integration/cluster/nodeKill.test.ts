/**
 * kill -9 of a node under load (docs/sync-server.md, "Several nodes: PostgreSQL and Redis"): a writer on node 1,
 * behind a TCP balancer, writes every 20 ms while a reader sits on node 2. Node 1 is killed with SIGKILL. Every
 * update the writer was told was saved (the "saved" state vector) is in PostgreSQL, checked while the writer cannot
 * reconnect; then the writer's client, moved by the balancer to another node, is current again (everything it wrote
 * before the kill is on the reader's node, and what it writes after reaches the reader) within 5 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { PostgresStorage } from '../../../sync-server/storage/postgres';
import { connectProvider, waitFor, whenSynced } from '../sync-server/harness';
import { Balancer } from './balancer';
import { ackedClock, Cluster, COMMUNITY, peekAcks } from './cluster';
import { enginesMissing } from './engines';

const missing = enginesMissing();
if (missing !== null) console.warn(`skipping node kill test: ${missing}`);

const DOC = `${COMMUNITY}/registry`;

describe.skipIf(missing !== null)('a node killed with SIGKILL under load', () => {
  let cluster: Cluster;
  /** Set once the cluster runs: what afterAll stops, even when beforeAll failed half-way. */
  let started: Cluster | undefined;
  let balancer: Balancer;
  const providers: WebsocketProvider[] = [];

  beforeAll(async () => {
    cluster = started = await Cluster.start(3);
    balancer = await Balancer.start(() =>
      cluster.nodes.filter((node) => node.child.exitCode === null && node.child.signalCode === null).map((n) => n.port),
    );
  }, 60_000);

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await (balancer as Balancer | undefined)?.close();
    await started?.destroy();
  });

  it('loses no acknowledged update, and the writer is current on another node within 5 s', async () => {
    const [first, second] = cluster.nodes;
    if (first === undefined || second === undefined) throw new Error('nodes missing');
    const writer = new WebsocketProvider(balancer.url, DOC, new Y.Doc(), {
      params: { token: cluster.token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 200,
    });
    providers.push(writer);
    const acks = peekAcks(writer);
    const reader = connectProvider(second, DOC, cluster.token);
    providers.push(reader);
    await Promise.all([whenSynced(writer), whenSynced(reader)]);
    const storage = await PostgresStorage.open(cluster.postgres.url, { poolSize: 1 });
    const residents = writer.doc.getMap('residents');
    let written = 0;
    const timer = setInterval(() => residents.set(`r${written}`, written++), 20);
    try {
      await waitFor(() => ackedClock(acks, writer.doc.clientID) >= 30, 10_000, 'thirty acknowledged writes');
      // The writer's connection went through the balancer to the first node.
      expect(first.logs.some((l) => l.msg === 'connected' && l.doc === DOC)).toBe(true);

      balancer.pause(true);
      await first.stop('SIGKILL');
      const killedAt = performance.now();
      const acknowledged = ackedClock(acks, writer.doc.clientID);
      const writtenAtKill = Y.decodeStateVector(Y.encodeStateVector(writer.doc)).get(writer.doc.clientID) ?? 0;
      // What PostgreSQL holds, while the writer cannot reconnect to send anything again.
      const stored = await storage.load(DOC);
      const storedDoc = new Y.Doc();
      for (const update of stored.updates) Y.applyUpdate(storedDoc, update);
      const storedClock = Y.decodeStateVector(Y.encodeStateVector(storedDoc)).get(writer.doc.clientID) ?? 0;
      expect(acknowledged).toBeGreaterThanOrEqual(30);
      expect(storedClock).toBeGreaterThanOrEqual(acknowledged);
      balancer.pause(false);

      const readerClock = (): number =>
        Y.decodeStateVector(Y.encodeStateVector(reader.doc)).get(writer.doc.clientID) ?? 0;
      await waitFor(() => readerClock() >= writtenAtKill, 5_000, "the writer's updates up to the kill on node 2");
      const caughtUpMs = performance.now() - killedAt;
      clearInterval(timer);
      const finalClock = written;
      await waitFor(() => writer.synced && readerClock() >= finalClock, 5_000, 'every write on node 2');
      const currentMs = performance.now() - killedAt;
      expect(reader.doc.getMap('residents').toJSON()).toEqual(residents.toJSON());
      console.info(
        `cluster kill -9: ${acknowledged} acknowledged of ${writtenAtKill} written at the kill, ${storedClock} stored; ` +
          `writer's updates on another node after ${caughtUpMs.toFixed(0)} ms, writer current after ${currentMs.toFixed(0)} ms`,
      );
      expect(currentMs).toBeLessThan(5_000);
    } finally {
      clearInterval(timer);
      await storage.close();
    }
  });
});
