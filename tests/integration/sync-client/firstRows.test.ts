/**
 * A new device's first list from the server's rows (docs/sync-client.md, "Rows for a first sync"), with the real
 * server: the device joins, adopts the rows the server made at compaction and lists every resident before the
 * registry document is applied; the document then brings an edit made after the rows, which the projection follows
 * without rebuilding, and the device ends with exactly the projection a rebuild from the document gives.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { updateResident } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { toCommunityId } from '@shared/ydoc/docName';
import { listRecords } from '@shared/ydoc/registry';
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
import { Device } from './support';

const XIHE = toCommunityId('shunqing-xihe');
const REGISTRY = `${XIHE}/registry`;
const RESIDENTS = 400;

async function tables(db: WorkstationDb) {
  const residents = (await readResidentRows(db, REGISTRY)).sort((a, b) => a.id.localeCompare(b.id));
  const records = (await readRecordRows(db, REGISTRY)).sort((a, b) =>
    `${a.collection}/${a.id}`.localeCompare(`${b.collection}/${b.id}`),
  );
  const head = await readListHead(db, REGISTRY);
  return { residents, records, head: head && { total: head.total, ids: head.rows.map((row) => row.id) } };
}

describe('a new device lists from the rows the server made', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let token: string;
  const demo = generateDemoCommunity(31, { residents: RESIDENTS, buildings: 6 });
  const changed = listRecords(demo.doc, 'residents')[3]!;

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', XIHE, '--name', '西河社区');
    token = (await issueToken(data.dir, 'li', XIHE, 'editor')).token;
    server = await ServerProcess.start(data.dir, ['--idle-unload-ms', '300']);
    const editor = connectProvider(server, REGISTRY, token);
    await whenSynced(editor);
    Y.applyUpdate(editor.doc, Y.encodeStateAsUpdate(demo.doc));
    await new Promise((resolve) => setTimeout(resolve, 300));
    editor.destroy();
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
  }, 120_000);

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  it('lists before the document is applied, follows the edit after the rows, ends as a rebuild', async () => {
    // An edit after the rows were made, kept in the server's log (the editor stays: no unload, no new rows).
    const editor = connectProvider(server, REGISTRY, token);
    await whenSynced(editor);
    updateResident(editor.doc, makeCtx({ user: 'li', device: 'desk' }), {
      id: changed.id,
      changes: { phone: '13911112222' },
    });
    await waitFor(async () => {
      const check = connectProvider(server, REGISTRY, token);
      try {
        await whenSynced(check);
        return listRecords(check.doc, 'residents').find((r) => r.id === changed.id)?.phone === '13911112222';
      } finally {
        check.destroy();
      }
    });

    const device = await Device.open('joiner');
    try {
      await device.store.db.communities.put({ id: XIHE, name: '西河社区' } as never);
      const { doc, projection } = await device.store.registry(XIHE);
      const changes: ProjectionChange[] = [];
      projection.onChange((change) => changes.push(change));
      const rebuild = vi.spyOn(projection, 'rebuild');
      const adopted = vi.spyOn(projection, 'adoptRows');

      expect(await device.manager.join(server.url, token)).toEqual({ ok: true, reload: false });
      await device.waitFor((s) => s.state === 'synced', 'device synced', 60_000);
      await projection.idle();

      // The rows were adopted, and everyone listed, before the document's answer was applied.
      expect(adopted).toHaveBeenCalledTimes(1);
      expect(await adopted.mock.results[0]!.value).toBe(true);
      const adoptedAt = performance.getEntriesByName(`cgw:rows-adopted ${REGISTRY}`).at(-1)?.startTime;
      const appliedAt = performance.getEntriesByName(`cgw:sync-applied ${REGISTRY}`).at(-1)?.startTime;
      expect(adoptedAt).toBeDefined();
      expect(appliedAt).toBeDefined();
      expect(adoptedAt!).toBeLessThan(appliedAt!);
      expect(changes[0]?.everyone).toHaveLength(RESIDENTS);
      // Without the edit: the rows are of the compaction before it.
      expect(changes[0]?.everyone?.find((row) => row.id === changed.id)?.record.phone).toBe(changed.phone);

      // The document followed by its changes after the rows only, never rebuilt.
      expect(rebuild).not.toHaveBeenCalled();
      expect(changes.slice(1).every((change) => change.everyone === undefined)).toBe(true);
      expect(changes.slice(1).flatMap((change) => change.residents.map((row) => row.id))).toContain(changed.id);
      expect(listRecords(doc, 'residents')).toHaveLength(RESIDENTS);

      const scratchDb = new WorkstationDb(`scratch-${Math.random()}`, new SealedRows(new MemoryKeyRing()));
      try {
        await new RegistryProjection(scratchDb, REGISTRY, doc).start();
        const mine = await tables(device.store.db);
        expect(mine).toEqual(await tables(scratchDb));
        expect(mine.residents.find((row) => row.id === changed.id)?.record.phone).toBe('13911112222');
      } finally {
        scratchDb.close();
        await scratchDb.delete();
      }
      expect((await device.store.db.projections.get(REGISTRY))?.stateVector).toEqual(Y.encodeStateVector(doc));
    } finally {
      editor.destroy();
      await device.shutdown();
    }
  }, 120_000);
});
