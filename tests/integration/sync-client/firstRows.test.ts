/**
 * A new device's first list from the server's rows (docs/sync-client.md, "Rows for a first sync"), with the real
 * server. The registry's document syncs while its rows are fetched, so either may come first; each order is forced
 * here (the websocket's messages or the rows' response held back) and must end with exactly the projection a rebuild
 * from the document gives, never rebuilt:
 *
 * - rows first: everyone is listed from the rows before the document's answer is applied; the answer then brings an
 *   edit made after the rows, which the projection follows alone;
 * - the document first: the rows' download is aborted, nothing adopted, the document projected once;
 * - the document applied while the rows are being written: the rows are written all the same, and only the edit
 *   after them is projected from the document.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { updateResident } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { toCommunityId } from '@shared/ydoc/docName';
import { listRecords } from '@shared/ydoc/registry';
import type { WebsocketProvider } from 'y-websocket';
import { RegistryProjection, type ProjectionChange } from '../../../renderer/data/projection';
import { readListHead, readRecordRows, readResidentRows } from '../../../renderer/data/projectionRows';
import { WorkstationDb } from '../../../renderer/data/db';
import { MemoryKeyRing } from '../../../renderer/data/keyring';
import { SealedRows } from '../../../renderer/data/sealed';
import { makeCtx } from '../../unit/shared/domain/registry/fixtures';
import {
  adminInProcess,
  connectProvider,
  issueToken,
  ServerProcess,
  tempDataDir,
  waitFor,
  whenSynced,
} from '../sync-server/harness';
import type { FirstRowsProgress } from '../../../renderer/sync/firstRows';
import { Device, type DeviceEnvironment } from './support';

const XIHE = toCommunityId('shunqing-xihe');
const REGISTRY = `${XIHE}/registry`;
const RESIDENTS = 400;
const PHONE_AFTER_ROWS = '13911112222';

async function tables(db: WorkstationDb) {
  const residents = (await readResidentRows(db, REGISTRY)).sort((a, b) => a.id.localeCompare(b.id));
  const records = (await readRecordRows(db, REGISTRY)).sort((a, b) =>
    `${a.collection}/${a.id}`.localeCompare(`${b.collection}/${b.id}`),
  );
  const head = await readListHead(db, REGISTRY);
  return { residents, records, head: head && { total: head.total, ids: head.rows.map((row) => row.id) } };
}

/** A promise and its resolve. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * `ws`'s WebSocket whose received messages are handed to y-websocket (`onmessage`) only once `held` resolves, in
 * their order: every document's answer waits.
 */
function heldWebSocket(held: Promise<void>): typeof globalThis.WebSocket {
  const descriptor = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  if (descriptor?.set === undefined) throw new Error('ws has no onmessage setter');
  // eslint-disable-next-line @typescript-eslint/unbound-method -- ws's own setter, called below with the socket
  const setOnMessage = descriptor.set as (this: WebSocket, listener: unknown) => void;
  class Held extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      Object.defineProperty(this, 'onmessage', {
        configurable: true,
        set: (listener: ((event: WebSocket.MessageEvent) => void) | null) =>
          setOnMessage.call(
            this,
            listener && ((event: WebSocket.MessageEvent) => void held.then(() => listener.call(this, event))),
          ),
      });
    }
  }
  return Held as unknown as typeof globalThis.WebSocket;
}

/** The rows' body handed over in pieces of 2 KiB a few milliseconds apart, as a slow line would (progress shown). */
const slowRows: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (!(typeof input === 'string' && input.includes('/rows?')) || response.status !== 200) return response;
  const body = new Uint8Array(await response.arrayBuffer());
  let at = 0;
  const slow = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 3));
      if (at >= body.length) controller.close();
      else controller.enqueue(body.slice(at, (at += 2048)));
    },
  });
  return new Response(slow, { status: response.status, headers: response.headers });
};

/** Resolves when the registry's answer has been applied on a device (its mark, after those already there). */
function answerApplied(): Promise<void> {
  const before = performance.getEntriesByName(`cgw:sync-applied ${REGISTRY}`).length;
  return waitFor(
    () => performance.getEntriesByName(`cgw:sync-applied ${REGISTRY}`).length > before || undefined,
    60_000,
    'the registry answer applied',
  ).then(() => undefined);
}

describe('a new device lists from the rows the server made, in whichever order they and the document come', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let token: string;
  /** Stays connected: the edit after the rows stays in the server's log (no unload, no new rows). */
  let editor: WebsocketProvider;
  const demo = generateDemoCommunity(31, { residents: RESIDENTS, buildings: 6 });
  const changed = listRecords(demo.doc, 'residents')[3]!;

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', XIHE, '--name', '西河社区');
    token = (await issueToken(data.dir, 'li', XIHE, 'editor')).token;
    server = await ServerProcess.start(data.dir, ['--idle-unload-ms', '300']);
    const seeder = connectProvider(server, REGISTRY, token);
    await whenSynced(seeder);
    Y.applyUpdate(seeder.doc, Y.encodeStateAsUpdate(demo.doc));
    await new Promise((resolve) => setTimeout(resolve, 300));
    seeder.destroy();
    // The idle unload compacts the registry; the rows are made from that snapshot.
    await waitFor(
      async () =>
        (
          await fetch(`http://127.0.0.1:${server.port}/rows?doc=${REGISTRY}`, {
            headers: { Authorization: `Bearer ${token}` },
          })
        ).status === 200,
      60_000,
      'rows made',
    );
    // An edit after the rows were made.
    editor = connectProvider(server, REGISTRY, token);
    await whenSynced(editor);
    updateResident(editor.doc, makeCtx({ user: 'li', device: 'desk' }), {
      id: changed.id,
      changes: { phone: PHONE_AFTER_ROWS },
    });
    await waitFor(async () => {
      const check = connectProvider(server, REGISTRY, token);
      try {
        await whenSynced(check);
        return listRecords(check.doc, 'residents').find((r) => r.id === changed.id)?.phone === PHONE_AFTER_ROWS;
      } finally {
        check.destroy();
      }
    });
  }, 120_000);

  afterAll(async () => {
    editor.destroy();
    await server.stop();
    data.cleanup();
  });

  /**
   * A device joins with `env` (what holds one side back), `during` set up on its projection before the join; returns
   * what the projection did, after checking it ends as a rebuild from the document, with the edit after the rows.
   */
  async function join(
    name: string,
    env: DeviceEnvironment,
    during: (device: Device, projection: RegistryProjection) => void = () => undefined,
  ) {
    const device = await Device.open(name, env);
    try {
      await device.store.db.communities.put({ id: XIHE, name: '西河社区' } as never);
      const { doc, projection } = await device.store.registry(XIHE);
      const changes: ProjectionChange[] = [];
      /** The residents the document held as each change was told to the screens. */
      const held: number[] = [];
      projection.onChange((change) => {
        changes.push(change);
        held.push(listRecords(doc, 'residents').length);
      });
      const rebuild = vi.spyOn(projection, 'rebuild');
      const adopted = vi.spyOn(projection, 'adoptRows');
      during(device, projection);
      /** What the residents list would show of the rows' progress, each time the manager told the screens. */
      const progress: FirstRowsProgress[][] = [];
      device.manager.subscribe(() => {
        const now = device.manager.getFirstRows();
        if (progress.at(-1) !== now) progress.push([...now]);
      });

      expect(await device.manager.join(server.url, token)).toEqual({ ok: true, reload: false });
      await device.waitFor((s) => s.state === 'synced', 'device synced', 60_000);
      await projection.idle();
      // Once more after the flushes a late settle may have scheduled.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await projection.idle();

      expect(rebuild).not.toHaveBeenCalled();
      expect(listRecords(doc, 'residents')).toHaveLength(RESIDENTS);
      const scratchDb = new WorkstationDb(`scratch-${Math.random()}`, new SealedRows(new MemoryKeyRing()));
      try {
        await new RegistryProjection(scratchDb, REGISTRY, doc).start();
        const mine = await tables(device.store.db);
        expect(mine).toEqual(await tables(scratchDb));
        expect(mine.residents.find((row) => row.id === changed.id)?.record.phone).toBe(PHONE_AFTER_ROWS);
      } finally {
        scratchDb.close();
        await scratchDb.delete();
      }
      expect((await device.store.db.projections.get(REGISTRY))?.stateVector).toEqual(Y.encodeStateVector(doc));
      expect(projection.awaitingDocument).toBe(false);
      const results = await Promise.all(adopted.mock.results.map((result) => result.value as Promise<boolean>));
      expect(device.manager.getFirstRows()).toEqual([]);
      return { changes, held, adopted: results, progress };
    } finally {
      await device.shutdown();
    }
  }

  it('rows first: lists everyone before the document is applied, then follows only the edit after the rows', async () => {
    const adoptedGate = gate();
    const { changes, held, adopted, progress } = await join(
      'rows-first',
      { WebSocketImpl: heldWebSocket(adoptedGate.opened), fetchImpl: slowRows },
      (_, projection) => {
        const adopt = RegistryProjection.prototype.adoptRows.bind(projection);
        vi.spyOn(projection, 'adoptRows').mockImplementation(async (...args) => {
          const result = await adopt(...args);
          adoptedGate.open();
          return result;
        });
      },
    );
    expect(adopted).toEqual([true]);
    // Progress shown: the download with the residents counted and the total, then the write; nothing at the end.
    const shown = progress.flat();
    const download = shown.filter((p) => p.phase === 'download');
    expect(download.length).toBeGreaterThan(0);
    expect(download.at(-1)).toMatchObject({ docName: REGISTRY, total: RESIDENTS });
    expect(download.at(-1)!.done).toBeGreaterThan(0);
    expect(download.at(-1)!.done).toBeLessThanOrEqual(RESIDENTS);
    expect(download.every((p, i) => i === 0 || p.done >= download[i - 1]!.done)).toBe(true);
    expect(shown.filter((p) => p.phase === 'write')[0]).toMatchObject({ docName: REGISTRY, done: 0 });
    expect(progress.at(-1)).toEqual([]);
    // Everyone listed while the document held none of them, without the edit (they are of the compaction before it).
    expect(held[0]).toBe(0);
    expect(changes[0]?.everyone).toHaveLength(RESIDENTS);
    expect(changes[0]?.everyone?.find((row) => row.id === changed.id)?.record.phone).toBe(changed.phone);
    // Then only what the document changed after them.
    expect(changes.slice(1).every((change) => change.everyone === undefined)).toBe(true);
    expect(changes.slice(1).flatMap((change) => change.residents.map((row) => row.id))).toContain(changed.id);
  }, 120_000);

  it('the document first: the rows are not adopted (their download aborted), the document projected once', async () => {
    const signals: AbortSignal[] = [];
    const applied = answerApplied();
    const fetchImpl: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (typeof input === 'string' && input.includes('/rows?')) {
        if (init?.signal) signals.push(init.signal);
        await applied;
      }
      return response;
    };
    const { changes, adopted } = await join('document-first', { fetchImpl });
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    // Aborted before its body was read: adoptRows never asked (it would refuse: the document holds the rows' state).
    expect(adopted).toEqual([]);
    const everyone = changes.filter((change) => change.everyone !== undefined);
    // The empty document's rebuild when the projection started is before the spy: one list of everyone, the document's.
    expect(everyone).toHaveLength(1);
    expect(everyone[0]!.everyone).toHaveLength(RESIDENTS);
    expect(everyone[0]!.everyone!.find((row) => row.id === changed.id)?.record.phone).toBe(PHONE_AFTER_ROWS);
  }, 120_000);

  it('the document applied while the rows are written: they are kept, only the edit after them projected', async () => {
    const sealing = gate();
    const { changes, held, adopted } = await join(
      'document-during-write',
      { WebSocketImpl: heldWebSocket(sealing.opened) },
      (device) => {
        const rows = device.store.db.rows;
        const seal = rows.residentBucket.bind(rows);
        // The first bucket sealed by the adoption lets the document's answer in; every bucket waits until it is applied.
        let applied: Promise<void> | null = null;
        vi.spyOn(rows, 'residentBucket').mockImplementation(async (...args) => {
          if (applied === null) {
            applied = answerApplied();
            sealing.open();
          }
          await applied;
          return seal(...args);
        });
      },
    );
    expect(adopted).toEqual([true]);
    // The rows told to the screens before the document came, which was applied during their write.
    expect(held[0]).toBe(0);
    const adoptedAt = performance.getEntriesByName(`cgw:rows-adopted ${REGISTRY}`).at(-1)?.startTime;
    const appliedAt = performance.getEntriesByName(`cgw:sync-applied ${REGISTRY}`).at(-1)?.startTime;
    expect(appliedAt!).toBeLessThan(adoptedAt!);
    expect(changes[0]?.everyone).toHaveLength(RESIDENTS);
    expect(changes[0]?.everyone?.find((row) => row.id === changed.id)?.record.phone).toBe(changed.phone);
    expect(changes.slice(1).every((change) => change.everyone === undefined)).toBe(true);
    expect(changes.slice(1).flatMap((change) => change.residents.map((row) => row.id))).toEqual([changed.id]);
  }, 120_000);
});
