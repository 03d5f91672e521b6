import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { residentSearchKeys } from '@shared/domain/registry/searchKeys';
import { makeRowsSnapshot, parseRowsSnapshot, ROWS_FORMAT, rowsState } from '@shared/sync/rowsSnapshot';
import { createLogger } from '../../../sync-server/logger';
import { hasRows, makeStoredRows, RowsMaker } from '../../../sync-server/registryRows';
import { SqliteStorage } from '../../../sync-server/storage/sqlite';
import { MIGRATIONS } from '../../../sync-server/storage/sqliteSchema';

const REGISTRY = 'shunqing-xihe/registry';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rows-'));
  dirs.push(dir);
  return join(dir, 'sync.db');
}

describe('registry rows on the server', () => {
  it('are made from a stored snapshot as the device makes them from the document', () => {
    const { doc } = generateDemoCommunity(3, { residents: 120, buildings: 4 });
    const stored = makeStoredRows(REGISTRY, [Y.encodeStateAsUpdate(doc)], 42);
    expect(stored.format).toBe(ROWS_FORMAT);
    expect(stored.updatedAt).toBe(42);
    expect(stored.stateVector).toEqual(Y.encodeStateVector(doc));
    const rows = parseRowsSnapshot(gunzipSync(stored.gzipped).toString('utf8'), REGISTRY);
    const expected = makeRowsSnapshot(doc, REGISTRY, residentSearchKeys);
    expect(rows?.total).toBe(expected.total);
    expect(rows?.residentBuckets).toEqual(expected.residentBuckets);
    expect(rows?.recordBuckets).toEqual(expected.recordBuckets);
    expect(rows && Y.decodeStateVector(rowsState(rows).stateVector)).toEqual(
      Y.decodeStateVector(Y.encodeStateVector(doc)),
    );
    // Another document's name, or another format: not adopted.
    expect(parseRowsSnapshot(gunzipSync(stored.gzipped).toString('utf8'), 'other/registry')).toBeNull();
    expect(parseRowsSnapshot(JSON.stringify({ ...expected, format: ROWS_FORMAT + 1 }), REGISTRY)).toBeNull();
  });

  it('are made for registries and their masked copies only', () => {
    expect(hasRows(REGISTRY)).toBe(true);
    expect(hasRows('shunqing-xihe/registry-masked')).toBe(true);
    expect(hasRows('shunqing-xihe/cases/2026')).toBe(false);
  });

  it('are kept by SQLite beside the document, also in a database of the schema before them', async () => {
    const file = tempFile();
    const old = new Database(file);
    for (const sql of MIGRATIONS.slice(0, 2)) old.exec(sql);
    old.pragma('user_version = 2');
    old.close();
    const storage = new SqliteStorage(file);
    try {
      expect(await storage.loadRows(REGISTRY)).toBeUndefined();
      const { doc } = generateDemoCommunity(4, { residents: 30, buildings: 4 });
      await storage.putRows(REGISTRY, makeStoredRows(REGISTRY, [Y.encodeStateAsUpdate(doc)], 1));
      const next = makeStoredRows(REGISTRY, [Y.encodeStateAsUpdate(doc)], 2);
      await storage.putRows(REGISTRY, next);
      const loaded = await storage.loadRows(REGISTRY);
      expect(loaded?.updatedAt).toBe(2);
      expect(loaded?.gzipped).toEqual(next.gzipped);
      expect(loaded?.stateVector).toEqual(next.stateVector);
    } finally {
      storage.close();
    }
  });

  it('are made in a worker after a compaction, the newest snapshot of a registry only', async () => {
    const storage = new SqliteStorage(tempFile());
    try {
      const maker = new RowsMaker(storage, createLogger('silent', 'test'), () => false);
      const { doc } = generateDemoCommunity(5, { residents: 40, buildings: 4 });
      const first = Y.encodeStateAsUpdate(doc);
      doc.getMap('meta').set('name', '西河');
      maker.request(REGISTRY, first);
      maker.request(REGISTRY, Y.encodeStateAsUpdate(doc));
      maker.request('shunqing-xihe/cases/2026', first);
      await maker.idle();
      const loaded = await storage.loadRows(REGISTRY);
      expect(loaded?.stateVector).toEqual(Y.encodeStateVector(doc));
      expect(await storage.loadRows('shunqing-xihe/cases/2026')).toBeUndefined();
      // A registry never compacted since: made from what storage holds (its log), when asked.
      const stored = generateDemoCommunity(6, { residents: 25, buildings: 4 }).doc;
      await storage.append('shunqing-beihu/registry', Y.encodeStateAsUpdate(stored), { jti: 'j', user: 'u' });
      maker.requestStored('shunqing-beihu/registry');
      await maker.idle();
      expect((await storage.loadRows('shunqing-beihu/registry'))?.stateVector).toEqual(Y.encodeStateVector(stored));
    } finally {
      storage.close();
    }
  });

  it('are made once for a registry that devices keep asking for while its job runs', async () => {
    const storage = new SqliteStorage(tempFile());
    try {
      const maker = new RowsMaker(storage, createLogger('silent', 'test'), () => false);
      const doc = generateDemoCommunity(7, { residents: 25, buildings: 4 }).doc;
      await storage.append(REGISTRY, Y.encodeStateAsUpdate(doc), { jti: 'j', user: 'u' });
      const load = storage.load.bind(storage);
      const put = storage.putRows.bind(storage);
      let loads = 0;
      let asks = 0;
      storage.load = (name) => {
        loads += 1;
        maker.requestStored(name); // a second device asks while the document is read…
        return load(name);
      };
      storage.putRows = (name, rows) => {
        if (asks++ === 0) maker.requestStored(name); // …and a third while the rows are made
        return put(name, rows);
      };
      maker.requestStored(REGISTRY);
      await maker.idle();
      expect(loads).toBe(1);
      expect(maker.made).toBe(1);
      expect((await storage.loadRows(REGISTRY))?.stateVector).toEqual(Y.encodeStateVector(doc));
    } finally {
      storage.close();
    }
  });
});
