import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SqliteStorage } from '../../../sync-server/storage/sqlite';
import { admin, issueToken, ROOT, ServerProcess, tempDataDir, waitFor } from './harness';

const XIHE = 'shunqing-xihe';
const BULK_MIB = 160;
const mode = (file: string): number => statSync(file).mode & 0o777;

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The admin CLI as a child process that the test can kill; resolves when it exits. */
function spawnAdmin(dataDir: string, ...args: string[]): { child: ReturnType<typeof spawn>; exit: Promise<Exit> } {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/admin.ts', '--data', dataDir, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<Exit>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal, stdout, stderr, ms: Date.now() - started })),
  );
  return { child, exit };
}

function partials(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.includes('.partial-'));
}

/** The backup procedure under load and when killed, then restore (sync-admin as real child processes). */
describe('sync-admin backup and restore', () => {
  describe(`backup of a ${BULK_MIB} MiB database`, () => {
    const data = tempDataDir();
    const out = tempDataDir();
    let storage: SqliteStorage;

    beforeAll(async () => {
      expect((await admin(data.dir, 'community', 'add', XIHE, '--name', '西河社区')).code).toBe(0);
      storage = new SqliteStorage(join(data.dir, 'sync.db'));
      // Old case files: big blobs straight into the log (the server never reads them in this test).
      const blob = randomBytes(1024 * 1024);
      const insert = storage.db.prepare('INSERT INTO doc_updates (doc, data, created_at) VALUES (?, ?, ?)');
      storage.db.transaction(() => {
        for (let i = 0; i < BULK_MIB; i++) insert.run(`${XIHE}/cases/2025`, blob, Date.now());
      })();
      storage.checkpoint();
    }, 60_000);

    afterAll(() => {
      storage.close();
      data.cleanup();
      out.cleanup();
    });

    it('completes while a writer commits every few milliseconds, into a valid private file holding the rows', async () => {
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      let written = 0;
      let appending = false;
      const writer = setInterval(() => {
        if (appending) return;
        appending = true;
        doc.getMap('cases').set(`c${written}`, `噪音投诉 ${written}`);
        void storage
          .append(`${XIHE}/cases/2026`, updates[updates.length - 1]!, { jti: 'load', user: 'writer' })
          .then(() => {
            written++;
            appending = false;
          });
      }, 2);
      try {
        await waitFor(() => written >= 20, 10_000, 'the writer to run');
        const writtenBefore = written;
        const target = join(out.dir, 'under-load.db');
        const { child, exit } = spawnAdmin(data.dir, 'backup', target);
        // The previous online backup restarted on every commit of the writer and never finished.
        const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000);
        const result = await exit;
        clearTimeout(timeout);
        const writtenDuring = written - writtenBefore;
        expect(result.signal, `backup did not finish in 60 s: ${result.stderr}`).toBeNull();
        expect(result.code, result.stderr).toBe(0);
        expect(writtenDuring).toBeGreaterThan(20);
        expect(mode(target)).toBe(0o600);
        expect(partials(out.dir)).toEqual([]);
        const copy = new Database(target, { readonly: true });
        expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
        const count = (sql: string): number => (copy.prepare(sql).get() as { n: number }).n;
        expect(count(`SELECT count(*) AS n FROM doc_updates WHERE doc = '${XIHE}/cases/2025'`)).toBe(BULK_MIB);
        const loaded = count(`SELECT count(*) AS n FROM doc_updates WHERE doc = '${XIHE}/cases/2026'`);
        expect(loaded).toBeGreaterThanOrEqual(writtenBefore);
        expect(loaded).toBeLessThanOrEqual(written + 1);
        // One snapshot: every update in the copy has its stamp, and no stamp lacks its update.
        expect(count(`SELECT count(*) AS n FROM doc_history WHERE doc = '${XIHE}/cases/2026' AND jti = 'load'`)).toBe(
          loaded,
        );
        copy.close();
        expect(result.stdout).toMatch(/backup written to .*under-load\.db: \d+\.\d MiB in \d+\.\d s/);
        console.info(`${result.stdout.trim()}; ${result.ms} ms with the CLI start; ${writtenDuring} commits meanwhile`);
      } finally {
        clearInterval(writer);
        await waitFor(() => !appending, 5_000, 'the last append');
      }
    }, 120_000);

    it('killed half-way, leaves no file under the final name, and the next backup works', async () => {
      const target = join(out.dir, 'killed.db');
      const { child, exit } = spawnAdmin(data.dir, 'backup', target);
      // Kill as soon as bytes are being written, whatever the name they are written under.
      await waitFor(
        () =>
          readdirSync(out.dir).some((f) => f.startsWith('killed.db') && statSync(join(out.dir, f)).size > 1024 * 1024),
        30_000,
        'the backup to start writing',
      );
      child.kill('SIGKILL');
      const result = await exit;
      expect(result.signal, 'the backup finished before it could be killed').toBe('SIGKILL');
      expect(existsSync(target)).toBe(false);
      // What it leaves is the partial file, by name.
      for (const f of partials(out.dir)) rmSync(join(out.dir, f));
      const again = await admin(data.dir, 'backup', target);
      expect(again.code, again.stderr).toBe(0);
      expect(mode(target)).toBe(0o600);
    }, 60_000);
  });

  describe('restore', () => {
    it('puts a backup in place and keeps a token revoked after the backup was taken', async () => {
      const data = tempDataDir();
      try {
        expect((await admin(data.dir, 'community', 'add', XIHE, '--name', '西河社区')).code).toBe(0);
        const lost = await issueToken(data.dir, '王芳', XIHE, 'editor');
        const kept = await issueToken(data.dir, 'li', XIHE, 'editor');
        const backup = join(data.dir, 'nightly.db');
        expect((await admin(data.dir, 'backup', backup)).code).toBe(0);
        expect((await admin(data.dir, 'token', 'revoke', lost.jti)).code).toBe(0);
        expect(mode(join(data.dir, 'revocations.jsonl'))).toBe(0o600);

        const restored = await admin(data.dir, 'restore', backup);
        expect(restored.code, restored.stderr).toBe(0);
        expect(restored.stdout).toMatch(
          /moved the previous database aside to \S+sync\.db\.before-restore-\d{8}T\d{6}Z/,
        );
        expect(restored.stdout).toContain('re-applied 1 revocations');
        expect(mode(join(data.dir, 'sync.db'))).toBe(0o600);
        expect(readdirSync(data.dir).filter((f) => f.startsWith('sync.db.before-restore-'))).not.toEqual([]);
        expect(partials(data.dir)).toEqual([]);

        const list = await admin(data.dir, 'token', 'list');
        expect(list.stdout).toMatch(new RegExp(`${lost.jti}.*revoked`));
        expect(list.stdout).toMatch(new RegExp(`${kept.jti}.*active`));
      } finally {
        data.cleanup();
      }
    });

    it('keeps a later revocation also when the backup is copied in by hand', async () => {
      const data = tempDataDir();
      try {
        expect((await admin(data.dir, 'community', 'add', XIHE, '--name', '西河社区')).code).toBe(0);
        const lost = await issueToken(data.dir, '王芳', XIHE, 'editor');
        const backup = join(data.dir, 'nightly.db');
        expect((await admin(data.dir, 'backup', backup)).code).toBe(0);
        expect((await admin(data.dir, 'token', 'revoke', lost.jti)).code).toBe(0);
        for (const suffix of ['', '-wal', '-shm']) rmSync(join(data.dir, `sync.db${suffix}`), { force: true });
        copyFileSync(backup, join(data.dir, 'sync.db'));
        const list = await admin(data.dir, 'token', 'list');
        expect(list.stdout).toMatch(new RegExp(`${lost.jti}.*revoked`));
      } finally {
        data.cleanup();
      }
    });

    it('also re-applies a revocation only the replaced database knows (made before revocations.jsonl existed)', async () => {
      const data = tempDataDir();
      try {
        expect((await admin(data.dir, 'community', 'add', XIHE, '--name', '西河社区')).code).toBe(0);
        const lost = await issueToken(data.dir, '王芳', XIHE, 'editor');
        const backup = join(data.dir, 'nightly.db');
        expect((await admin(data.dir, 'backup', backup)).code).toBe(0);
        // As the previous version revoked: in the database only.
        const storage = new SqliteStorage(join(data.dir, 'sync.db'));
        storage.revokeToken(lost.jti, Date.now());
        storage.close();
        expect(existsSync(join(data.dir, 'revocations.jsonl'))).toBe(false);
        const restored = await admin(data.dir, 'restore', backup);
        expect(restored.code, restored.stderr).toBe(0);
        expect(restored.stdout).toContain('re-applied 1 revocations');
        expect((await admin(data.dir, 'token', 'list')).stdout).toMatch(new RegExp(`${lost.jti}.*revoked`));
      } finally {
        data.cleanup();
      }
    });

    it('restores a sync.db copied from a data folder (WAL mode) and leaves no stray file', async () => {
      const data = tempDataDir();
      const source = tempDataDir();
      try {
        expect((await admin(source.dir, 'community', 'add', XIHE, '--name', '西河社区')).code).toBe(0);
        const copy = join(source.dir, 'copied.db');
        copyFileSync(join(source.dir, 'sync.db'), copy);
        const restored = await admin(data.dir, 'restore', copy);
        expect(restored.code, restored.stderr).toBe(0);
        expect(restored.stdout).toContain('1 communities');
        expect(restored.stdout).toContain('no signing.key');
        expect(readdirSync(data.dir)).toEqual(['sync.db']);
        expect(mode(join(data.dir, 'sync.db'))).toBe(0o600);
      } finally {
        data.cleanup();
        source.cleanup();
      }
    });

    it('refuses while the server runs (fresh heartbeat) and goes ahead once it stopped', async () => {
      const data = tempDataDir();
      let server: ServerProcess | undefined;
      try {
        expect((await admin(data.dir, 'community', 'add', XIHE, '--name', '西河社区')).code).toBe(0);
        const backup = join(data.dir, 'nightly.db');
        expect((await admin(data.dir, 'backup', backup)).code).toBe(0);
        server = await ServerProcess.start(data.dir);
        await waitFor(
          async () => /server: running/.test((await admin(data.dir, 'stats')).stdout),
          15_000,
          'the heartbeat',
        );
        const refused = await admin(data.dir, 'restore', backup);
        expect(refused.code).toBe(2);
        expect(refused.stderr.trim().split('\n')).toHaveLength(1);
        expect(refused.stderr).toMatch(/server is running \(pid \d+ .*stop it first/);
        expect(readdirSync(data.dir).filter((f) => f.includes('before-restore') || f.includes('.partial-'))).toEqual(
          [],
        );

        expect(await server.stop()).toBe(0);
        const restored = await admin(data.dir, 'restore', backup);
        expect(restored.code, restored.stderr).toBe(0);
      } finally {
        await server?.stop();
        data.cleanup();
      }
    }, 60_000);

    it('refuses a file that is not a backup of this server and leaves the database in place', async () => {
      const data = tempDataDir();
      try {
        expect((await admin(data.dir, 'community', 'add', XIHE, '--name', '西河社区')).code).toBe(0);
        const text = join(data.dir, 'notes.txt');
        writeFileSync(text, '这不是数据库 '.repeat(500));
        const other = join(data.dir, 'other.db');
        const db = new Database(other);
        db.exec('CREATE TABLE t (x)');
        db.close();
        for (const [file, message] of [
          [text, /not a readable SQLite database/],
          [other, /not a sync-server database/],
          [join(data.dir, 'missing.db'), /does not exist/],
        ] as const) {
          const result = await admin(data.dir, 'restore', file);
          expect(result.code).toBe(2);
          expect(result.stderr.trim().split('\n')).toHaveLength(1);
          expect(result.stderr).toMatch(message);
        }
        expect(readdirSync(data.dir).filter((f) => f.includes('before-restore') || f.includes('.partial-'))).toEqual(
          [],
        );
        expect((await admin(data.dir, 'community', 'list')).stdout).toContain(XIHE);
      } finally {
        data.cleanup();
      }
    });
  });
});
