import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SqliteStorage } from '../../../sync-server/storage/sqlite';
import { admin, adminInProcess, connectProvider, ServerProcess, tempDataDir, waitFor, whenSynced } from './harness';

const XIHE = 'shunqing-xihe';

/** The sync-admin CLI as district IT runs it: a separate process on the data folder the server uses. */
describe('sync-admin', () => {
  const data = tempDataDir();
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.stop();
    data.cleanup();
  });

  function expectError(result: { code: number; stdout: string; stderr: string }, message: RegExp): void {
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  }

  describe('community', () => {
    beforeAll(async () => {
      expect((await admin(data.dir, 'community', 'add', XIHE, '--name', '西河社区')).code).toBe(0);
    });

    it('creates the signing key with mode 0600 on first use', () => {
      expect(statSync(join(data.dir, 'signing.key')).mode & 0o777).toBe(0o600);
    });

    it('adds and lists communities', async () => {
      const listed = await admin(data.dir, 'community', 'list');
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/shunqing-xihe\s+西河社区/);
      expect(listed.stdout).toContain('1 communities');
    });

    it('refuses a duplicate, an invalid id and a missing name', async () => {
      expectError(await admin(data.dir, 'community', 'add', XIHE, '--name', 'again'), /already exists/);
      await expect(adminInProcess(data.dir, 'community', 'add', 'Not_Valid', '--name', 'x')).rejects.toThrow(
        /invalid community id/,
      );
      await expect(adminInProcess(data.dir, 'community', 'add', 'shunqing-beihu')).rejects.toThrow(/--name/);
    });
  });

  describe('token', () => {
    let jti = '';
    let token = '';

    beforeAll(async () => {
      const issued = await admin(
        data.dir,
        'token',
        'issue',
        '--user',
        '王芳',
        '--community',
        XIHE,
        '--role',
        'editor',
        '--days',
        '30',
      );
      expect(issued.code).toBe(0);
      const lines = issued.stdout.trim().split('\n');
      token = lines[lines.length - 1]!;
      jti = /issued token (\S+)/.exec(issued.stdout)![1]!;
    });

    it('prints the token alone on the last line of stdout', () => {
      expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      expect(claims).toMatchObject({ jti, sub: '王芳', com: [XIHE], role: 'editor' });
      expect((claims.exp as number) - (claims.iat as number)).toBe(30 * 86_400);
    });

    it('lists tokens with their status, then shows a revoked one as revoked', async () => {
      const before = await admin(data.dir, 'token', 'list');
      expect(before.stdout).toMatch(new RegExp(`${jti}\\s+王芳\\s+editor\\s+${XIHE}.*active`));
      expect((await admin(data.dir, 'token', 'revoke', jti)).code).toBe(0);
      const after = await admin(data.dir, 'token', 'list');
      expect(after.stdout).toMatch(new RegExp(`${jti}.*revoked`));
    });

    it('refuses bad requests with one clear line and a non-zero exit', async () => {
      // Through the CLI: exit code and a single stderr line.
      const results = await Promise.all([
        admin(data.dir, 'token', 'issue', '--user', 'x', '--community', `${XIHE},nowhere`, '--role', 'viewer'),
        admin(data.dir, 'token', 'revoke', 'no-such-token'),
        admin(data.dir, 'frobnicate'),
        admin(data.dir, 'token', 'issue', '--bogus-flag'),
      ]);
      const expected = [/unknown community "nowhere"/, /no token with id/, /unknown command/, /bogus-flag/];
      results.forEach((result, i) => expectError(result, expected[i]!));
    });

    it('names the missing or bad argument of token commands', async () => {
      // The same runAdmin the CLI calls, in this process: the CLI's own wrapper is covered above.
      const cases: [string[], RegExp][] = [
        [['token', 'issue', '--community', XIHE, '--role', 'editor'], /--user/],
        [['token', 'issue', '--user', 'x', '--role', 'editor'], /--community/],
        [['token', 'issue', '--user', 'x', '--community', XIHE, '--role', 'owner'], /--role/],
        [['token', 'issue', '--user', 'x', '--community', XIHE, '--role', 'viewer', '--days=-1'], /--days/],
        [['token', 'revoke'], /token id/],
        [['token', 'list', 'extra'], /unexpected argument/],
      ];
      for (const [args, message] of cases) await expect(adminInProcess(data.dir, ...args)).rejects.toThrow(message);
    });
  });

  describe('history and attempts', () => {
    const doc = `${XIHE}/tasks/2026`;
    let seqs: number[] = [];

    beforeAll(async () => {
      // What the server stores, written here through the same storage so that it does not depend on a server run.
      const storage = new SqliteStorage(join(data.dir, 'sync.db'));
      const ydoc = new Y.Doc();
      const updates: Uint8Array[] = [];
      ydoc.on('update', (u: Uint8Array) => updates.push(u));
      for (let i = 0; i < 3; i++) ydoc.getMap('tasks').set(`t${i}`, '清理楼道');
      seqs = [
        await storage.append(doc, updates[0]!, { jti: 'jti-wang', user: '王芳' }),
        await storage.append(doc, updates[1]!, { jti: 'jti-li', user: 'li' }),
        await storage.append(doc, updates[2]!, { jti: 'server', user: 'sync-server' }),
      ];
      // Compaction folds the log into a snapshot; the history stays.
      await storage.compact(doc, Y.encodeStateAsUpdate(ydoc), seqs[2]!);
      const detail = JSON.stringify({ record: 't1' });
      await storage.recordAttempt({ doc, jti: 'jti-li', user: 'li', kind: 'restored-deletion', detail, at: 1_000 });
      await storage.recordAttempt({
        doc: `${XIHE}/registry`,
        jti: 'jti-wang',
        user: '王芳',
        kind: 'audit-author-mismatch',
        detail: '{}',
        at: 2_000,
      });
      storage.close();
    });

    it('lists who stored each update of a document, newest last, then its guard attempts', async () => {
      const result = await admin(data.dir, 'history', doc);
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^SEQ\s+TIME\s+TOKEN-ID\s+USER\s+BYTES$/);
      expect(lines[1]).toMatch(
        new RegExp(`^${seqs[0]}\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\s+jti-wang\\s+王芳\\s+\\d+$`),
      );
      expect(lines[2]).toMatch(new RegExp(`^${seqs[1]}\\s.*jti-li\\s+li\\s`));
      expect(lines[3]).toMatch(new RegExp(`^${seqs[2]}\\s.*server\\s+sync-server\\s`));
      expect(lines[4]).toBe(`3 of 3 stored updates of ${doc}`);
      expect(result.stdout).toMatch(/TIME\s+TOKEN-ID\s+USER\s+KIND\s+DETAIL/);
      expect(result.stdout).toMatch(/1970-01-01T00:00:01\.000Z\s+jti-li\s+li\s+restored-deletion\s+\{"record":"t1"\}/);
      expect(result.stdout).toContain(`1 of 1 guard attempts on ${doc}`);
      expect(result.stdout).not.toContain('audit-author-mismatch');

      const newest = await admin(data.dir, 'history', doc, '--limit', '1');
      expect(newest.stdout).toContain(`1 of 3 stored updates of ${doc}`);
      expect(newest.stdout).not.toContain('jti-wang');
      const quiet = await adminInProcess(data.dir, 'history', `${XIHE}/registry`);
      expect(quiet).toContain('0 of 0 stored updates');
    });

    it('lists the guard attempts of all documents or of one', async () => {
      const all = await admin(data.dir, 'attempts');
      expect(all.code, all.stderr).toBe(0);
      expect(all.stdout).toMatch(/TIME\s+DOCUMENT\s+TOKEN-ID\s+USER\s+KIND\s+DETAIL/);
      expect(all.stdout).toMatch(new RegExp(`${XIHE}/tasks/2026\\s+jti-li\\s+li\\s+restored-deletion`));
      expect(all.stdout).toMatch(new RegExp(`${XIHE}/registry\\s+jti-wang\\s+王芳\\s+audit-author-mismatch`));
      expect(all.stdout.indexOf('restored-deletion')).toBeLessThan(all.stdout.indexOf('audit-author-mismatch'));
      expect(all.stdout).toContain('2 of 2 guard attempts');
      const one = await adminInProcess(data.dir, 'attempts', `${XIHE}/registry`);
      expect(one).not.toContain('restored-deletion');
      expect(one).toContain(`1 of 1 guard attempts on ${XIHE}/registry`);
    });

    it('refuses a bad document name or limit with one clear line', async () => {
      expectError(
        await admin(data.dir, 'history', 'shunqing-xihe/secrets'),
        /invalid document name "shunqing-xihe\/secrets": use <community>\/registry or <community>\/cases\|meetings\|tasks\|incidents\|services\|activities\/<year>/,
      );
      expectError(await admin(data.dir, 'history'), /needs a document name/);
      const cases: [string[], RegExp][] = [
        [['attempts', '../etc/passwd'], /invalid document name/],
        [['history', doc, '--limit', '0'], /--limit must be a positive whole number/],
        [['history', doc, '--limit', 'ten'], /--limit/],
        [['history', doc, 'extra'], /unexpected argument/],
      ];
      for (const [args, message] of cases) await expect(adminInProcess(data.dir, ...args)).rejects.toThrow(message);
    });
  });

  describe('with the server running', () => {
    let editorToken = '';
    beforeAll(async () => {
      const issued = await admin(data.dir, 'token', 'issue', '--user', 'li', '--community', XIHE, '--role', 'editor');
      editorToken = issued.stdout.trim().split('\n').pop()!;
      server = await ServerProcess.start(data.dir);
    });

    it('backs up a consistent copy while the server runs, and refuses to overwrite a file', async () => {
      const doc = `${XIHE}/registry`;
      const a = connectProvider(server!, doc, editorToken);
      const b = connectProvider(server!, doc, editorToken);
      await Promise.all([whenSynced(a), whenSynced(b)]);
      a.doc.getMap('residents').set('r1', { name: '李四', building: '3栋' });
      await waitFor(() => b.doc.getMap('residents').has('r1'));

      const file = join(data.dir, 'backup.db');
      const done = await admin(data.dir, 'backup', file);
      expect(done.code).toBe(0);
      const copy = new SqliteStorage(file, { readonly: true });
      const restored = new Y.Doc();
      for (const update of copy.loadSync(doc).updates) Y.applyUpdate(restored, update);
      expect(copy.listCommunities().map((c) => c.id)).toEqual([XIHE]);
      copy.close();
      expect(restored.getMap('residents').toJSON()).toEqual({ r1: { name: '李四', building: '3栋' } });
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expectError(await admin(data.dir, 'backup', file), /already exists/);
      expectError(await admin(data.dir, 'backup'), /target file/);
      a.destroy();
      b.destroy();
    });

    it('keeps who stored what: history names the token and user of the connection', async () => {
      const doc = `${XIHE}/meetings/2026`;
      const issued = await admin(data.dir, 'token', 'issue', '--user', '赵敏', '--community', XIHE, '--role', 'editor');
      const zhaoToken = issued.stdout.trim().split('\n').pop()!;
      const zhaoJti = /issued token (\S+)/.exec(issued.stdout)![1]!;
      const a = connectProvider(server!, doc, zhaoToken);
      await whenSynced(a);
      a.doc.getMap('meetings').set('m1', '居民议事会');
      const history = await waitFor(
        async () => {
          const result = await admin(data.dir, 'history', doc);
          return result.stdout.includes(zhaoJti) ? result : undefined;
        },
        15_000,
        'the stamped update',
      );
      expect(history.stdout).toMatch(new RegExp(`${zhaoJti}\\s+赵敏\\s+\\d+`));
      a.destroy();
    });

    it('reports documents, sizes and connections in stats', async () => {
      const a = connectProvider(server!, `${XIHE}/cases/2026`, editorToken);
      await whenSynced(a);
      a.doc.getMap('cases').set('c1', '噪音投诉');
      const stats = await waitFor(
        async () => {
          const result = await admin(data.dir, 'stats');
          return /connections: 1\b/.test(result.stdout) && result.stdout.includes(`${XIHE}/cases/2026`)
            ? result
            : undefined;
        },
        15_000,
        'stats with one connection',
      );
      expect(stats.stdout).toMatch(/shunqing-xihe\/registry\s+\d+\s+\d+\s+\d+/);
      // The registry, the tasks of the history tests, the meetings stamped through the server and these cases.
      expect(stats.stdout).toMatch(/documents: 4, bytes stored: [1-9]\d*/);
      expect(stats.stdout).toMatch(/server: running at 127\.0\.0\.1:\d+/);
      a.destroy();
    });

    it('stats and backup refuse a folder without a database', async () => {
      const empty = tempDataDir();
      writeFileSync(join(empty.dir, 'unrelated'), '');
      expectError(await admin(empty.dir, 'stats'), /no database/);
      expect(existsSync(join(empty.dir, 'sync.db'))).toBe(false);
      empty.cleanup();
    });
  });
});
