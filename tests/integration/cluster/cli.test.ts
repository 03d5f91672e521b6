/**
 * The command lines of the PostgreSQL + Redis mode: `sync-server --redis` without `--postgres` is wrong usage;
 * a node that cannot reach Redis does not start and says why; `sync-admin --postgres` (a real process) registers,
 * issues, lists and revokes on PostgreSQL, and points `backup` to pg_dump. What `sync-admin` does on SQLite it does
 * on PostgreSQL too: `attempts` and the attempts of `history`, the documents of `stats`, and revocations kept in
 * `revocations.jsonl`, re-applied after a real `pg_dump` / `pg_restore` from before the revocation.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { runAdmin } from '../../../sync-server/admin';
import { PostgresStorage } from '../../../sync-server/storage/postgres';
import { admin, ROOT, tempDataDir } from '../sync-server/harness';
import { enginesMissing, freePort, PostgresEngine, postgresBin } from './engines';

const execFileAsync = promisify(execFile);
const missing = enginesMissing();
if (missing !== null) console.warn(`skipping cluster command line tests: ${missing}`);

async function server(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await execFileAsync(process.execPath, ['--import', 'tsx', 'sync-server/main.ts', ...args], {
      cwd: ROOT,
      timeout: 20_000,
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const e = error as { code?: number; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stderr: e.stderr ?? '' };
  }
}

describe.skipIf(missing !== null)('command lines with --postgres and --redis', () => {
  let postgres: PostgresEngine;
  const data = tempDataDir();

  beforeAll(async () => {
    postgres = await PostgresEngine.create();
  }, 60_000);

  afterAll(async () => {
    await postgres.destroy();
    data.cleanup();
  });

  it('refuses --redis without --postgres as wrong usage', async () => {
    const result = await server('--port', '0', '--data', data.dir, '--redis', 'redis://127.0.0.1:1');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--redis relays between nodes that share a PostgreSQL database: give --postgres too/);
  });

  it('does not start a node whose Redis cannot be reached, and says so', async () => {
    const port = await freePort();
    const result = await server(
      '--port',
      '0',
      '--data',
      data.dir,
      '--postgres',
      postgres.url,
      '--redis',
      `redis://127.0.0.1:${port}`,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Redis cannot be reached at redis:\/\/127\.0\.0\.1:\d+/);
  });

  it('runs sync-admin on PostgreSQL: community, token issue, list, revoke, and points backup to pg_dump', async () => {
    const pg = ['--data', data.dir, '--postgres', postgres.url];
    const inProcess = async (...args: string[]): Promise<string> => {
      const lines: string[] = [];
      await runAdmin([...pg, ...args], (line) => lines.push(line));
      return lines.join('\n');
    };
    await inProcess('community', 'add', 'shunqing-xihe', '--name', '西河社区');
    const issued = await inProcess(
      'token',
      'issue',
      '--user',
      'wang',
      '--community',
      'shunqing-xihe',
      '--role',
      'editor',
    );
    const jti = /issued token (\S+)/.exec(issued)?.[1];
    if (jti === undefined) throw new Error(`no token id in ${issued}`);
    await expect(
      inProcess('token', 'issue', '--user', 'li', '--community', 'nowhere', '--role', 'editor'),
    ).rejects.toThrow(/unknown community "nowhere"/);
    await inProcess('token', 'revoke', jti);
    await expect(inProcess('backup', '/tmp/never')).rejects.toThrow(/pg_dump/);
    // The command line itself, as district IT runs it.
    const list = await admin(data.dir, '--postgres', postgres.url, 'token', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${jti}\\s+wang\\s+editor\\s+shunqing-xihe.*revoked`));
  });

  describe('what sync-admin does on SQLite, on PostgreSQL too', () => {
    const other = tempDataDir();
    afterAll(() => other.cleanup());

    const run = async (dir: string, ...args: string[]): Promise<string> => {
      const lines: string[] = [];
      await runAdmin(['--data', dir, '--postgres', postgres.url, ...args], (line) => lines.push(line));
      return lines.join('\n');
    };

    it('lists guard attempts (all, of one document, in history) and every document in stats', async () => {
      await run(other.dir, 'community', 'add', 'shunqing-dongli', '--name', '东里社区');
      const storage = await PostgresStorage.open(postgres.url, { poolSize: 1 });
      try {
        const doc = new Y.Doc();
        doc.getMap('residents').set('r1', 'x');
        await storage.append('shunqing-dongli/registry', Y.encodeStateAsUpdate(doc), { jti: 'jti-zhao', user: 'zhao' });
        await storage.recordAttempt({
          doc: 'shunqing-dongli/registry',
          jti: 'jti-zhao',
          user: 'zhao',
          kind: 'restored-deletion',
          detail: '{"record":"r1"}',
          at: Date.UTC(2026, 4, 1),
        });
        await storage.recordAttempt({
          doc: 'shunqing-dongli/cases/2026',
          jti: 'jti-qian',
          user: 'qian',
          kind: 'restored-lock',
          detail: '{"case":"c9"}',
          at: Date.UTC(2026, 4, 2),
        });
      } finally {
        await storage.close();
      }
      const all = await run(other.dir, 'attempts');
      expect(all).toMatch(/TIME\s+DOCUMENT\s+TOKEN-ID\s+USER\s+KIND\s+DETAIL/);
      expect(all).toMatch(/shunqing-dongli\/registry\s+jti-zhao\s+zhao\s+restored-deletion\s+\{"record":"r1"\}/);
      expect(all).toMatch(/shunqing-dongli\/cases\/2026\s+jti-qian\s+qian\s+restored-lock/);
      expect(all).toMatch(/2 of 2 guard attempts$/);
      const one = await run(other.dir, 'attempts', 'shunqing-dongli/cases/2026', '--limit', '5');
      expect(one).not.toMatch(/restored-deletion/);
      expect(one).toMatch(/1 of 1 guard attempts on shunqing-dongli\/cases\/2026$/);
      await expect(run(other.dir, 'attempts', 'nowhere/else')).rejects.toThrow(/invalid document name "nowhere\/else"/);
      const history = await run(other.dir, 'history', 'shunqing-dongli/registry');
      expect(history).toMatch(/jti-zhao\s+zhao\s+\d+\n1 of 1 stored updates of shunqing-dongli\/registry/);
      expect(history).toMatch(/1 of 1 guard attempts on shunqing-dongli\/registry$/);
      const stats = await run(other.dir, 'stats');
      expect(stats).toMatch(/DOCUMENT\s+SNAPSHOT-BYTES\s+LOG-ENTRIES\s+LOG-BYTES/);
      expect(stats).toMatch(/shunqing-dongli\/registry\s+0\s+1\s+\d+/);
      expect(stats).toMatch(/documents: 1, bytes stored: \d+/);
    });

    it('keeps a revocation in revocations.jsonl and re-applies it to a database restored from before it', async () => {
      const bin = postgresBin();
      if (bin === null) throw new Error('no PostgreSQL binaries');
      const issued = await run(
        other.dir,
        ...['token', 'issue', '--user', 'sun', '--community', 'shunqing-dongli', '--role', 'editor'],
      );
      const jti = /issued token (\S+)/.exec(issued)?.[1];
      if (jti === undefined) throw new Error(`no token id in ${issued}`);
      const dump = join(other.dir, 'before-revoke.dump');
      await execFileAsync(join(bin, 'pg_dump'), ['--format=custom', '--file', dump, postgres.url]);
      await run(other.dir, 'token', 'revoke', jti);
      const file = readFileSync(join(other.dir, 'revocations.jsonl'), 'utf8');
      const revokedAt = (JSON.parse(file.trim().split('\n').pop() ?? '{}') as { jti: string; revokedAt: number })
        .revokedAt;
      expect(file).toContain(`"jti":"${jti}"`);
      // District IT puts back last night's dump: the token is active again in PostgreSQL.
      await execFileAsync(join(bin, 'pg_restore'), ['--clean', '--if-exists', '--dbname', postgres.url, dump]);
      const storage = await PostgresStorage.open(postgres.url, { poolSize: 1 });
      try {
        expect((await storage.getToken(jti))?.revokedAt).toBeNull();
        // The next sync-admin command (here: a real process) re-applies it, with its first time.
        const list = await admin(other.dir, '--postgres', postgres.url, 'token', 'list');
        expect(list.code).toBe(0);
        expect(list.stdout).toMatch(/re-applied 1 revocations from .*revocations\.jsonl that the database lacked/);
        expect(list.stdout).toMatch(new RegExp(`${jti}\\s+sun\\s+editor.*revoked`));
        expect((await storage.getToken(jti))?.revokedAt).toBe(revokedAt);
        expect(await storage.revokedAmong([jti])).toEqual(new Set([jti]));
      } finally {
        await storage.close();
      }
      // Once applied, nothing more to re-apply.
      expect(await run(other.dir, 'community', 'list')).not.toMatch(/re-applied/);
    });

    it('starts revocations.jsonl with what the database holds where a data folder has none yet', async () => {
      const fresh = tempDataDir();
      try {
        expect(existsSync(join(fresh.dir, 'revocations.jsonl'))).toBe(false);
        await run(fresh.dir, 'community', 'list');
        const storage = await PostgresStorage.open(postgres.url, { poolSize: 1 });
        try {
          const revoked = await storage.revocations();
          expect(revoked.length).toBeGreaterThan(0);
          const lines = readFileSync(join(fresh.dir, 'revocations.jsonl'), 'utf8').trim().split('\n');
          expect(lines.map((l) => (JSON.parse(l) as { jti: string }).jti).sort()).toEqual(
            revoked.map((r) => r.jti).sort(),
          );
        } finally {
          await storage.close();
        }
      } finally {
        fresh.cleanup();
      }
    });
  });
});
