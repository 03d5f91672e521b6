/**
 * The command lines of the PostgreSQL + Redis mode: `sync-server --redis` without `--postgres` is wrong usage;
 * a node that cannot reach Redis does not start and says why; `sync-admin --postgres` (a real process) registers,
 * issues, lists and revokes on PostgreSQL, and points `backup` to pg_dump.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../../sync-server/admin';
import { admin, ROOT, tempDataDir } from '../sync-server/harness';
import { enginesMissing, freePort, PostgresEngine } from './engines';

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
});
