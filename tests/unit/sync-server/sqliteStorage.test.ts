import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SqliteStorage } from '../../../sync-server/storage/sqlite';

describe('SqliteStorage', () => {
  let dir: string;
  let storage: SqliteStorage;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-storage-'));
    storage = new SqliteStorage(join(dir, 'sync.db'));
  });

  afterEach(() => {
    storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function edits(count: number): { doc: Y.Doc; updates: Uint8Array[] } {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < count; i++) doc.getMap('m').set(`k${i}`, i);
    return { doc, updates };
  }

  it('runs in WAL mode', () => {
    expect(storage.db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('returns an empty document for a name it never saw', async () => {
    expect(await storage.load('a/registry')).toEqual({ updates: [], lastSeq: 0, logLength: 0 });
  });

  it('appends updates with growing sequence numbers and loads them in order', async () => {
    const { doc, updates } = edits(3);
    const seqs = [];
    for (const u of updates) seqs.push(await storage.append('a/registry', u));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const loaded = await storage.load('a/registry');
    expect(loaded.logLength).toBe(3);
    expect(loaded.lastSeq).toBe(seqs[2]);
    const copy = new Y.Doc();
    loaded.updates.forEach((u) => Y.applyUpdate(copy, u));
    expect(copy.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
  });

  it('compacts into a snapshot in one step, keeping later updates and other documents', async () => {
    const { doc, updates } = edits(10);
    let seq = 0;
    for (const u of updates.slice(0, 8)) seq = await storage.append('a/registry', u);
    await storage.append('b/registry', updates[0]!);
    const partial = new Y.Doc();
    updates.slice(0, 8).forEach((u) => Y.applyUpdate(partial, u));
    await storage.compact('a/registry', Y.encodeStateAsUpdate(partial), seq);
    for (const u of updates.slice(8)) await storage.append('a/registry', u);

    const loaded = await storage.load('a/registry');
    expect(loaded.logLength).toBe(2);
    expect(loaded.updates).toHaveLength(3);
    const copy = new Y.Doc();
    loaded.updates.forEach((u) => Y.applyUpdate(copy, u));
    expect(copy.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
    expect((await storage.load('b/registry')).logLength).toBe(1);
    expect(storage.documentStats().map((d) => d.doc)).toEqual(['a/registry', 'b/registry']);
  });

  it('finds revoked tokens among the open ones', async () => {
    const base = { user: 'u', communities: ['a'], role: 'editor', issuedAt: 0, expiresAt: 1 };
    storage.insertToken({ ...base, jti: 't1' });
    storage.insertToken({ ...base, jti: 't2' });
    expect(storage.revokeToken('t2', 5)).toBe(true);
    expect(storage.revokeToken('nope', 5)).toBe(false);
    expect([...(await storage.revokedAmong(['t1', 't2']))]).toEqual(['t2']);
    expect((await storage.getToken('t2'))?.revokedAt).toBe(5);
  });
});
