import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SqliteStorage, verifyDatabaseFile } from '../../../sync-server/storage/sqlite';
import type { UpdateStamp } from '../../../sync-server/storage/types';

const WANG: UpdateStamp = { jti: 'jti-wang', user: '王芳' };
const mode = (file: string): number => statSync(file).mode & 0o777;

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
    for (const u of updates) seqs.push(await storage.append('a/registry', u, WANG));
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
    for (const u of updates.slice(0, 8)) seq = await storage.append('a/registry', u, WANG);
    await storage.append('b/registry', updates[0]!, WANG);
    const partial = new Y.Doc();
    updates.slice(0, 8).forEach((u) => Y.applyUpdate(partial, u));
    await storage.compact('a/registry', Y.encodeStateAsUpdate(partial), seq);
    for (const u of updates.slice(8)) await storage.append('a/registry', u, WANG);

    const loaded = await storage.load('a/registry');
    expect(loaded.logLength).toBe(2);
    expect(loaded.updates).toHaveLength(3);
    const copy = new Y.Doc();
    loaded.updates.forEach((u) => Y.applyUpdate(copy, u));
    expect(copy.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
    expect((await storage.load('b/registry')).logLength).toBe(1);
    expect(storage.documentStats().map((d) => d.doc)).toEqual(['a/registry', 'b/registry']);
  });

  describe('compaction written by a worker thread', () => {
    /** Commits by other connections than the storage's own (SQLite's `data_version`). */
    const foreignCommits = (store: SqliteStorage): number =>
      store.db.pragma('data_version', { simple: true }) as number;

    it('writes the snapshot from a connection of its own, and the same rows as on the event loop', async () => {
      const { doc, updates } = edits(12);
      const results: unknown[] = [];
      for (const inWorker of [true, false]) {
        const file = join(dir, `compact-${inWorker}.db`);
        const store = new SqliteStorage(file, { compactInWorker: inWorker });
        await store.startCompactionWriter();
        try {
          let seq = 0;
          for (const u of updates.slice(0, 10)) seq = await store.append('a/registry', u, WANG);
          const before = foreignCommits(store);
          // 300 KB: a snapshot below 256 KiB is written on the event loop in any case.
          const big = new Y.Doc();
          Y.applyUpdate(big, Y.encodeStateAsUpdate(doc));
          big.getText('padding').insert(0, 'x'.repeat(300_000));
          await store.compact('a/registry', Y.encodeStateAsUpdate(big), seq);
          // In the worker: committed by another connection; on the event loop: by this one.
          expect(foreignCommits(store) !== before).toBe(inWorker);
          const loaded = await store.load('a/registry');
          results.push({ logLength: loaded.logLength, lastSeq: loaded.lastSeq, updates: loaded.updates.length });
          const copy = new Y.Doc();
          loaded.updates.forEach((u) => Y.applyUpdate(copy, u));
          expect(copy.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
          expect(copy.getText('padding').length).toBe(300_000);
        } finally {
          store.close();
        }
      }
      expect(results[0]).toEqual(results[1]);
      expect(results[0]).toMatchObject({ logLength: 0, updates: 1 });
    });

    it('stores the appends and the heartbeat made while the worker writes after the snapshot, none lost', async () => {
      const { doc, updates } = edits(40);
      // Started: the compaction is written by the worker at once, the appends below held meanwhile.
      await storage.startCompactionWriter();
      let seq = 0;
      for (const u of updates.slice(0, 20)) seq = await storage.append('a/registry', u, WANG);
      const partial = new Y.Doc();
      updates.slice(0, 20).forEach((u) => Y.applyUpdate(partial, u));
      // A big snapshot (about 2 MB of padding), so that the worker is still writing when the appends come.
      partial.getText('padding').insert(0, 'x'.repeat(2_000_000));
      const compacted = storage.compact('a/registry', Y.encodeStateAsUpdate(partial), seq);
      const later = updates.slice(20).map((u) => storage.append('a/registry', u, WANG));
      const status = storage.writeStatus({
        pid: process.pid,
        address: '127.0.0.1:1',
        startedAt: 1,
        updatedAt: 2,
        connections: 0,
        documentsLoaded: 1,
      });
      await compacted;
      const seqs = await Promise.all(later);
      await status;
      expect(seqs.every((s) => s > seq)).toBe(true);
      const loaded = await storage.load('a/registry');
      expect(loaded.logLength).toBe(20);
      const copy = new Y.Doc();
      loaded.updates.forEach((u) => Y.applyUpdate(copy, u));
      expect(copy.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
      expect(copy.getText('padding').length).toBe(2_000_000);
    });
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

  describe('history', () => {
    it('stamps every update with token id, user, size and time', async () => {
      const { updates } = edits(2);
      const before = Date.now();
      const first = await storage.append('a/registry', updates[0]!, WANG);
      const second = await storage.append('a/registry', updates[1]!, { jti: 'jti-li', user: 'li' });
      const { rows, total } = storage.history('a/registry', 100);
      expect(total).toBe(2);
      expect(rows).toEqual([
        {
          seq: first,
          doc: 'a/registry',
          jti: 'jti-wang',
          user: '王芳',
          bytes: updates[0]!.byteLength,
          at: rows[0]!.at,
        },
        { seq: second, doc: 'a/registry', jti: 'jti-li', user: 'li', bytes: updates[1]!.byteLength, at: rows[1]!.at },
      ]);
      expect(rows[0]!.at).toBeGreaterThanOrEqual(before);
      expect(storage.history('b/registry', 100)).toEqual({ rows: [], total: 0 });
    });

    it('stores an update and its stamp in one transaction: when the stamp fails, the update is not stored', async () => {
      const { updates } = edits(3);
      await storage.append('a/registry', updates[0]!, WANG);
      storage.db.exec(
        "CREATE TRIGGER no_stamp BEFORE INSERT ON doc_history BEGIN SELECT RAISE(ABORT, 'stamp refused'); END",
      );
      // Two appends in one turn share one commit: both fail, neither is stored.
      const results = await Promise.allSettled([
        storage.append('a/registry', updates[1]!, WANG),
        storage.append('a/registry', updates[2]!, WANG),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect((await storage.load('a/registry')).logLength).toBe(1);
      storage.db.exec('DROP TRIGGER no_stamp');
      await storage.append('a/registry', updates[1]!, WANG);
      const stored = storage.db.prepare('SELECT count(*) AS n FROM doc_updates').get() as { n: number };
      expect(stored.n).toBe(2);
      expect(storage.history('a/registry', 100).total).toBe(2);
    });

    it('outlives compaction, which deletes the log only', async () => {
      const { doc, updates } = edits(5);
      let seq = 0;
      for (const u of updates) seq = await storage.append('a/registry', u, WANG);
      await storage.compact('a/registry', Y.encodeStateAsUpdate(doc), seq);
      expect((await storage.load('a/registry')).logLength).toBe(0);
      const { rows, total } = storage.history('a/registry', 100);
      expect(total).toBe(5);
      expect(rows.map((r) => r.seq)).toEqual([seq - 4, seq - 3, seq - 2, seq - 1, seq]);
    });

    it('gives the newest rows, oldest of them first, and the total', async () => {
      const { updates } = edits(6);
      const seqs: number[] = [];
      for (const u of updates) seqs.push(await storage.append('a/registry', u, WANG));
      const page = storage.history('a/registry', 2);
      expect(page.total).toBe(6);
      expect(page.rows.map((r) => r.seq)).toEqual(seqs.slice(4));
    });

    it('gives updates stored before the history existed the stamp "-"', () => {
      storage.close();
      const file = join(dir, 'old.db');
      const old = new Database(file);
      // The first migration alone, as an install of the previous version left it, with one stored update.
      old.exec(`CREATE TABLE communities (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE tokens (jti TEXT PRIMARY KEY, user TEXT NOT NULL, communities TEXT NOT NULL, role TEXT NOT NULL,
          issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER);
        CREATE TABLE doc_snapshots (doc TEXT PRIMARY KEY, snapshot BLOB NOT NULL, seq INTEGER NOT NULL, updated_at INTEGER NOT NULL);
        CREATE TABLE doc_updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL, data BLOB NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE server_status (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, address TEXT NOT NULL,
          started_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, connections INTEGER NOT NULL, documents_loaded INTEGER NOT NULL);
        INSERT INTO doc_updates (doc, data, created_at) VALUES ('a/registry', x'0102', 7);
        PRAGMA user_version = 1;`);
      old.close();
      storage = new SqliteStorage(file);
      expect(storage.history('a/registry', 10).rows).toEqual([
        { seq: 1, doc: 'a/registry', jti: '-', user: '-', bytes: 2, at: 7 },
      ]);
    });
  });

  describe('guard attempts', () => {
    it('keeps attempts, per document or for all, newest last', async () => {
      const base = { jti: 'jti-wang', user: '王芳', detail: '{"record":"r1"}' };
      await storage.recordAttempt({ ...base, doc: 'a/registry', kind: 'restored-deletion', at: 1 });
      await storage.recordAttempt({ ...base, doc: 'b/cases/2026', kind: 'restored-lock', at: 2 });
      await storage.recordAttempt({ ...base, doc: 'a/registry', kind: 'audit-author-mismatch', at: 3 });
      const a = storage.attempts('a/registry', 100);
      expect(a.total).toBe(2);
      expect(a.rows.map((r) => [r.kind, r.at, r.detail])).toEqual([
        ['restored-deletion', 1, '{"record":"r1"}'],
        ['audit-author-mismatch', 3, '{"record":"r1"}'],
      ]);
      const all = storage.attempts(null, 2);
      expect(all.total).toBe(3);
      expect(all.rows.map((r) => r.doc)).toEqual(['b/cases/2026', 'a/registry']);
      expect(all.rows[0]).toMatchObject({ jti: 'jti-wang', user: '王芳', kind: 'restored-lock' });
    });
  });

  describe('file modes', () => {
    it('creates the database, its -wal and -shm with mode 0600', async () => {
      await storage.append('a/registry', edits(1).updates[0]!, WANG);
      const file = join(dir, 'sync.db');
      expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    });

    it('makes an existing 0644 database and its -wal and -shm private when it opens it for writing', () => {
      storage.close();
      const file = join(dir, 'other.db');
      const holder = new Database(file);
      holder.pragma('journal_mode = WAL');
      holder.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
      for (const f of [file, `${file}-wal`, `${file}-shm`]) chmodSync(f, 0o644);
      storage = new SqliteStorage(file);
      expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
      holder.close();
    });
  });

  describe('revocations.jsonl', () => {
    const base = { user: 'u', communities: ['a'], role: 'editor', issuedAt: 0, expiresAt: 1 };

    function reopen(lines: readonly string[]): string[] {
      storage.close();
      writeFileSync(join(dir, 'revocations.jsonl'), lines.map((l) => `${l}\n`).join(''));
      const warnings: string[] = [];
      storage = new SqliteStorage(join(dir, 'sync.db'), { warn: (message) => warnings.push(message) });
      return warnings;
    }

    it('re-applies the revocations it lists when it opens for writing, keeping a first revocation time', async () => {
      for (const jti of ['t1', 't2', 't3']) storage.insertToken({ ...base, jti });
      storage.revokeToken('t3', 1);
      const warnings = reopen([
        JSON.stringify({ jti: 't1', revokedAt: 10 }),
        JSON.stringify({ jti: 't3', revokedAt: 20 }),
        JSON.stringify({ jti: 'unknown', revokedAt: 30 }),
      ]);
      expect(warnings).toEqual([]);
      expect(storage.revocationsMerged).toBe(1);
      expect(storage.listTokens().map((t) => [t.jti, t.revokedAt])).toEqual([
        ['t1', 10],
        ['t2', null],
        ['t3', 1],
      ]);
      expect([...(await storage.revokedAmong(['t1', 't2', 't3']))].sort()).toEqual(['t1', 't3']);
    });

    it('skips a corrupt line with a warning and applies the others', () => {
      for (const jti of ['t1', 't2']) storage.insertToken({ ...base, jti });
      const warnings = reopen([
        '{"jti":"t2","revokedAt":',
        JSON.stringify({ jti: 't2' }),
        '\u0000\u0001garbage',
        JSON.stringify({ jti: 't1', revokedAt: 10 }),
      ]);
      expect(warnings).toHaveLength(3);
      expect(warnings[0]).toMatch(/revocations\.jsonl line 1 .*skipped/);
      expect(warnings[2]).toMatch(/line 3 /);
      expect(storage.listTokens().map((t) => [t.jti, t.revokedAt])).toEqual([
        ['t1', 10],
        ['t2', null],
      ]);
    });

    it('starts the file with the revocations the database holds when it does not exist yet', () => {
      for (const jti of ['t1', 't2']) storage.insertToken({ ...base, jti });
      storage.revokeToken('t2', 5);
      expect(storage.revocations()).toEqual([{ jti: 't2', revokedAt: 5 }]);
      storage.close();
      const file = join(dir, 'revocations.jsonl');
      expect(existsSync(file)).toBe(false);
      storage = new SqliteStorage(join(dir, 'sync.db'));
      expect(readFileSync(file, 'utf8')).toBe('{"jti":"t2","revokedAt":5}\n');
      expect(mode(file)).toBe(0o600);
    });

    it('reads nothing when opened read-only', () => {
      storage.insertToken({ ...base, jti: 't1' });
      storage.close();
      writeFileSync(join(dir, 'revocations.jsonl'), `${JSON.stringify({ jti: 't1', revokedAt: 10 })}\n`);
      storage = new SqliteStorage(join(dir, 'sync.db'), { readonly: true });
      expect(storage.revocationsMerged).toBe(0);
      expect(storage.listTokens()[0]?.revokedAt).toBeNull();
    });
  });

  describe('heartbeat', () => {
    const status = { pid: process.pid, address: '127.0.0.1:1', startedAt: 1, connections: 0, documentsLoaded: 0 };

    it('is removed when the server closes its storage, not when another process (the CLI) closes its own', async () => {
      await storage.writeStatus({ ...status, updatedAt: Date.now() });
      const cli = new SqliteStorage(join(dir, 'sync.db'));
      cli.close();
      expect(storage.readStatus()?.pid).toBe(process.pid);
      storage.close();
      storage = new SqliteStorage(join(dir, 'sync.db'));
      expect(storage.readStatus()).toBeUndefined();
    });
  });

  describe('backup', () => {
    it('writes a private, complete copy under the target name and refuses an existing target', async () => {
      const { doc, updates } = edits(3);
      for (const u of updates) await storage.append('a/registry', u, WANG);
      const target = join(dir, 'backup.db');
      storage.backup(target);
      expect(mode(target)).toBe(0o600);
      expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
      expect(verifyDatabaseFile(target)).toEqual({ communities: 0, tokens: 0, documents: 1 });
      const copy = new SqliteStorage(target, { readonly: true });
      const restored = new Y.Doc();
      copy.loadSync('a/registry').updates.forEach((u) => Y.applyUpdate(restored, u));
      expect(copy.history('a/registry', 10).total).toBe(3);
      copy.close();
      expect(restored.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
      expect(() => storage.backup(target)).toThrow(/already exists/);
    });

    it('deletes its partial file when the copy fails and leaves nothing under the target name', () => {
      const target = join(dir, 'failed.db');
      storage.db.exec('BEGIN');
      // VACUUM cannot run inside a transaction: the copy fails after the partial file was created.
      expect(() => storage.backup(target)).toThrow(/transaction/);
      storage.db.exec('ROLLBACK');
      expect(existsSync(target)).toBe(false);
      expect(readdirSync(dir).filter((f) => f.startsWith('failed.db'))).toEqual([]);
    });
  });

  describe('verifyDatabaseFile', () => {
    it('refuses a file that is not SQLite and a SQLite file of another schema', () => {
      writeFileSync(join(dir, 'text.db'), 'not a database at all, just text '.repeat(200));
      expect(() => verifyDatabaseFile(join(dir, 'text.db'))).toThrow(/not a readable SQLite database/);
      const other = new Database(join(dir, 'other.db'));
      other.exec('CREATE TABLE t (x)');
      other.close();
      expect(() => verifyDatabaseFile(join(dir, 'other.db'))).toThrow(/not a sync-server database/);
      expect(() => verifyDatabaseFile(join(dir, 'missing.db'))).toThrow(/cannot open/);
    });
  });
});
