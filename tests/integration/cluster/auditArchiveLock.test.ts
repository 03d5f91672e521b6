/**
 * The audit archiver runs on one node at a time (sync-server/auditArchiver.ts; docs/sync-server.md, "The audit
 * archiver"): against a real PostgreSQL, a pass does not run while another session holds compaction's advisory lock on
 * the registry, and while a pass runs, a compaction of that registry (any node) is skipped.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { underCompactionLock } from '../../../sync-server/auditArchiver';
import { PostgresStorage } from '../../../sync-server/storage/postgres';
import { enginesMissing, type PostgresEngine } from './engines';
import { withPostgresStorage } from './postgresStorage';

const missing = enginesMissing();
if (missing !== null) console.warn(`skipping the archiver's lock tests: ${missing}`);

const DOC = 'xihe/registry';
const stamp = { jti: 'j1', user: 'wang' };

function update(): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('m').set('k', 'v');
  return Y.encodeStateAsUpdate(doc);
}

describe.skipIf(missing !== null)("the audit archiver's lock", () => {
  let engine: PostgresEngine;
  let storage: PostgresStorage;

  withPostgresStorage((started, opened) => {
    engine = started;
    storage = opened;
  });

  it('skips a pass while another node compacts the registry, and runs it once the lock is free', async () => {
    const other = new pg.Client(engine.url);
    await other.connect();
    await other.query('BEGIN');
    await other.query("SELECT pg_advisory_xact_lock(hashtextextended('cgw-compact:' || $1, 0))", [DOC]);
    let ran = 0;
    expect(await underCompactionLock(storage.pool, DOC, () => Promise.resolve(++ran))).toBeNull();
    expect(ran).toBe(0);
    await other.query('COMMIT');
    await other.end();
    expect(await underCompactionLock(storage.pool, DOC, () => Promise.resolve(++ran))).toBe(1);
    // Another document is never held up by it.
    expect(await underCompactionLock(storage.pool, 'other/registry', () => Promise.resolve('free'))).toBe('free');
  });

  it('makes a compaction of the registry skip while a pass runs, and releases the lock after it', async () => {
    const seq = await storage.append(DOC, update(), stamp);
    const second = await PostgresStorage.open(engine.url);
    try {
      await underCompactionLock(storage.pool, DOC, async () => {
        // A second node's archiver and compaction both find the registry taken.
        expect(await underCompactionLock(second.pool, DOC, () => Promise.resolve('ran'))).toBeNull();
        await second.compact(DOC, update(), seq);
        expect((await storage.load(DOC)).logLength).toBeGreaterThan(0);
      });
      await second.compact(DOC, update(), seq);
      expect((await storage.load(DOC)).logLength).toBe(0);
    } finally {
      await second.close();
    }
  });

  it('runs at once without a pool (SQLite: one node)', async () => {
    expect(await underCompactionLock(null, DOC, () => Promise.resolve(7))).toBe(7);
  });
});
