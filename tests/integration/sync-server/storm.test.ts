import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
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
} from './harness';

const COMMUNITIES = Array.from({ length: 10 }, (_, i) => `community-${i}`);
const CLIENTS = 1000;

function syncStep1(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeSyncStep1(encoder, new Y.Doc());
  return encoding.toUint8Array(encoder);
}

/** The content a sync-step-2 reply carries, or undefined for other messages. */
function readStep2(message: Buffer): Y.Doc | undefined {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== 1) return undefined;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
  return doc;
}

describe('reconnect storm', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    for (const community of COMMUNITIES) {
      await adminInProcess(data.dir, 'community', 'add', community, '--name', community);
      tokens.set(community, (await issueToken(data.dir, `office-${community}`, community, 'editor')).token);
    }
    server = await ServerProcess.start(data.dir);
    await Promise.all(
      COMMUNITIES.map(async (community) => {
        const p = connectProvider(server, `${community}/registry`, tokens.get(community)!);
        await whenSynced(p);
        p.doc.getMap('meta').set('name', community);
        await waitFor(async () => {
          const check = await RawClient.open(docUrl(server, `${community}/registry`, tokens.get(community)));
          check.send(syncStep1());
          const doc = await waitFor(() => check.messages.map(readStep2).find((d) => d !== undefined), 5_000);
          check.ws.close();
          return doc.getMap('meta').get('name') === community;
        });
        p.destroy();
      }),
    );
    expect(await server.stop()).toBe(0);
    server = await ServerProcess.start(data.dir);
  });

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  it(`serves ${CLIENTS} clients that all reconnect at once after a restart`, async () => {
    const started = Date.now();
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => {
        const community = COMMUNITIES[i % COMMUNITIES.length]!;
        return RawClient.open(docUrl(server, `${community}/registry`, tokens.get(community))).then((client) => {
          client.send(syncStep1());
          return { client, community };
        });
      }),
    );
    const health = (await (await fetch(`${server.http}/healthz`)).json()) as { connections: number };
    expect(health.connections).toBe(CLIENTS);
    for (const { client, community } of clients) {
      const doc = await waitFor(
        () => client.messages.map(readStep2).find((d) => d !== undefined),
        20_000,
        'sync step 2',
      );
      expect(doc.getMap('meta').get('name')).toBe(community);
    }
    console.log(`${CLIENTS} clients connected and synced in ${Date.now() - started} ms`);
    for (const { client } of clients) client.ws.terminate();
    await waitFor(async () => ((await server.metrics()).get('sync_connections') === 0 ? true : undefined));
  });
});
