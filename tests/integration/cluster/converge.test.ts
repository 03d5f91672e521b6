/**
 * Several nodes on PostgreSQL + Redis (docs/sync-server.md, "Several nodes: PostgreSQL and Redis"): stock y-websocket
 * clients on different nodes converge in both directions, with two and with three nodes; an update reaches the other
 * nodes' clients in milliseconds; a node started later serves what the others stored; and a node whose Redis
 * connection blinks reads on from the stream without losing what was relayed meanwhile.
 */
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { connectProvider, waitFor, whenSynced, type ServerProcess } from '../sync-server/harness';
import { Cluster, COMMUNITY } from './cluster';
import { enginesMissing } from './engines';

const missing = enginesMissing();
if (missing !== null) console.warn(`skipping cluster convergence tests: ${missing}`);

describe.skipIf(missing !== null)('three sync-server nodes on PostgreSQL and Redis', () => {
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

  beforeAll(async () => {
    cluster = started = await Cluster.start(3);
  }, 60_000);

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await started?.destroy();
  });

  it('logs that it relays through Redis on PostgreSQL', () => {
    for (const node of cluster.nodes) {
      expect(node.logs.find((l) => l.msg.includes('listening'))?.engine).toBe('postgres+redis');
      expect(node.logs.some((l) => l.msg === 'relaying through Redis')).toBe(true);
    }
  });

  it('lets clients on two nodes converge in both directions, concurrent text edits included', async () => {
    const doc = `${COMMUNITY}/cases/2026`;
    const a = connect(cluster.nodes[0], doc);
    const b = connect(cluster.nodes[1], doc);
    await Promise.all([whenSynced(a), whenSynced(b)]);
    const started = performance.now();
    a.doc.getMap('cases').set('c1', 'from a');
    await waitFor(() => b.doc.getMap('cases').get('c1') === 'from a', 5_000, 'a to b');
    const aToB = performance.now() - started;
    b.doc.getMap('cases').set('c2', 'from b');
    await waitFor(() => a.doc.getMap('cases').get('c2') === 'from b', 5_000, 'b to a');
    a.doc.getText('minutes').insert(0, 'AAA');
    b.doc.getText('minutes').insert(0, 'BBB');
    await waitFor(() => a.doc.getText('minutes').length === 6 && b.doc.getText('minutes').length === 6, 5_000, 'text');
    expect(a.doc.getText('minutes').toJSON()).toBe(b.doc.getText('minutes').toJSON());
    expect(b.doc.getMap('cases').toJSON()).toEqual({ c1: 'from a', c2: 'from b' });
    console.info(`cluster: an update crossed from node 1 to node 2 in ${aToB.toFixed(1)} ms`);
    expect(aToB).toBeLessThan(1_000);
  });

  it('lets clients on three nodes converge, each writing, and measures the relay', async () => {
    const doc = `${COMMUNITY}/meetings/2026`;
    const clients = cluster.nodes.map((node) => connect(node, doc));
    await Promise.all(clients.map((c) => whenSynced(c)));
    const times: number[] = [];
    for (let round = 0; round < 20; round++) {
      const writer = clients[round % 3];
      if (writer === undefined) throw new Error('no writer');
      const started = performance.now();
      writer.doc.getMap('meetings').set(`m${round}`, round);
      await waitFor(() => clients.every((c) => c.doc.getMap('meetings').get(`m${round}`) === round), 5_000, 'relay');
      times.push(performance.now() - started);
    }
    const json = clients.map((c) => c.doc.getMap('meetings').toJSON());
    expect(json[1]).toEqual(json[0]);
    expect(json[2]).toEqual(json[0]);
    expect(Object.keys(json[0] ?? {})).toHaveLength(20);
    times.sort((x, y) => x - y);
    console.info(
      `cluster: write seen on all three nodes, median ${times[10]?.toFixed(1)} ms, max ${times[19]?.toFixed(1)} ms`,
    );
  });

  it('serves what the others stored to a node started later', async () => {
    const doc = `${COMMUNITY}/tasks/2026`;
    const a = connect(cluster.nodes[0], doc);
    await whenSynced(a);
    for (let i = 0; i < 10; i++) a.doc.getMap('tasks').set(`t${i}`, i);
    const b = connect(cluster.nodes[2], doc);
    await waitFor(() => b.doc.getMap('tasks').size === 10, 5_000, 'all ten on node 3');
    const late = await cluster.startNode();
    const c = connect(late, doc);
    await whenSynced(c);
    await waitFor(() => c.doc.getMap('tasks').size === 10, 5_000, 'all ten on the late node');
    c.doc.getMap('tasks').set('late', 'yes');
    await waitFor(() => a.doc.getMap('tasks').get('late') === 'yes', 5_000, 'late node to node 1');
  });

  it('reads on from the stream after its Redis connection blinks, missing nothing', async () => {
    const doc = `${COMMUNITY}/incidents/2026`;
    const reader = cluster.nodes[1];
    if (reader === undefined) throw new Error('no node');
    const a = connect(cluster.nodes[0], doc);
    const b = connect(reader, doc);
    await Promise.all([whenSynced(a), whenSynced(b)]);
    const admin = new Redis(cluster.redis.url);
    try {
      // Cut node 2's reading connection (named cgw-sub:<node>), then write at once, while it is away.
      const list = String(await admin.client('LIST'));
      const subs = list
        .split('\n')
        .filter((line) => line.includes('name=cgw-sub:'))
        .map((line) => /id=(\d+)/.exec(line)?.[1] ?? '');
      const pid = reader.child.pid ?? 0;
      const victim = list.split('\n').find((line) => line.includes(`name=cgw-sub:`) && line.includes(`:${pid}:`));
      expect(subs.length).toBeGreaterThanOrEqual(3);
      const id = /id=(\d+)/.exec(victim ?? '')?.[1];
      if (id === undefined) throw new Error('node 2 has no reading connection');
      const blinkedBefore = reader.logs.length;
      await admin.client('KILL', 'ID', id);
      for (let i = 0; i < 20; i++) a.doc.getMap('incidents').set(`e${i}`, i);
      await waitFor(() => b.doc.getMap('incidents').size === 20, 5_000, 'the twenty on node 2');
      await reader.waitForLog((l) => l.msg === 'relay: reconnected; reading on from the stream', 5_000);
      // It caught up from the stream, not by reloading from PostgreSQL.
      expect(reader.logs.slice(blinkedBefore).some((l) => l.msg.includes('reloading'))).toBe(false);
    } finally {
      admin.disconnect();
    }
  });

  it('never had to fetch from PostgreSQL an update the relay should have brought', async () => {
    // At least one reconciliation pass (relay.ts, every 3 s) has run on every node by now.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    for (const node of cluster.nodes) {
      expect(node.logs.filter((l) => l.msg.includes('never relayed'))).toEqual([]);
    }
  });
});
