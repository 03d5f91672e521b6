/**
 * Real PostgreSQL and Redis for the cluster tests, private to one test file: Debian's `postgresql` and `redis-server`
 * binaries, started on free ports of 127.0.0.1 in a temporary folder, stopped and the folder deleted by `stop()` (and,
 * as a last resort, when the test process exits). Nothing listens on a public address, nothing uses the system's
 * services. CI installs the packages (.ci/run); where the binaries are missing on a developer's machine the tests skip
 * and say why (`enginesMissing()`), but under CI a missing binary is a failure, not a skip.
 *
 * initdb and postgres refuse to run as root: when this process is root (CI containers), both run as the `postgres`
 * user the Debian package creates (or `nobody`), through spawn's uid/gid, with the temporary folder given to that user.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import Redis from 'ioredis';

const PG_ROOT = '/usr/lib/postgresql';

/** The newest installed PostgreSQL's bin folder, or null. */
export function postgresBin(): string | null {
  if (!existsSync(PG_ROOT)) return null;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb')) && existsSync(join(PG_ROOT, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(PG_ROOT, versions[0], 'bin');
}

export function redisBin(): string | null {
  for (const dir of (process.env.PATH ?? '/usr/bin').split(':').concat('/usr/bin', '/usr/sbin')) {
    const file = join(dir, 'redis-server');
    if (existsSync(file)) return file;
  }
  return null;
}

/**
 * Why the engines cannot run here, or null when they can. Under CI (`CI` set) a missing binary throws instead: CI
 * installs both packages, so a skip there would hide a broken set-up.
 */
export function enginesMissing(): string | null {
  const missing: string[] = [];
  if (postgresBin() === null) missing.push(`PostgreSQL (no ${PG_ROOT}/*/bin/initdb; apt-get install postgresql)`);
  if (redisBin() === null) missing.push('Redis (no redis-server on PATH; apt-get install redis-server)');
  if (missing.length === 0) return null;
  const message = `cluster tests need ${missing.join(' and ')}`;
  if (process.env.CI !== undefined && process.env.CI !== '') throw new Error(message);
  return message;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The unprivileged user the engines run as when this process is root, or null when it is not root. */
function unprivilegedUser(): { uid: number; gid: number; name: string } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const result = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const group = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (result.status === 0 && group.status === 0) {
      return { uid: Number(result.stdout.trim()), gid: Number(group.stdout.trim()), name };
    }
  }
  throw new Error('running as root and neither the postgres user nor nobody exists to run PostgreSQL');
}

const running = new Set<ChildProcess>();
const folders = new Set<string>();
process.once('exit', () => {
  // A test process that ends without calling stop() (a crash, a timeout) still leaves no engine behind.
  for (const child of running) child.kill('SIGKILL');
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function chownTree(dir: string, uid: number, gid: number): void {
  spawnSync('chown', ['-R', `${uid}:${gid}`, dir]);
  chownSync(dir, uid, gid);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A private PostgreSQL: `url` for clients; `stop()`/`start()` (same data) for outage tests; `destroy()` at the end. */
export class PostgresEngine {
  private child: ChildProcess | null = null;
  private output = '';

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly as: { uid: number; gid: number; name: string } | null,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** `user` is the unprivileged user the engine runs as when the tests run as root, else null. */
  get runsAs(): string | null {
    return this.as?.name ?? null;
  }

  static async create(): Promise<PostgresEngine> {
    const bin = postgresBin();
    if (bin === null) throw new Error('PostgreSQL is not installed');
    const dir = mkdtempSync(join(tmpdir(), 'cgw-pg-'));
    folders.add(dir);
    const as = unprivilegedUser();
    if (as !== null) chownTree(dir, as.uid, as.gid);
    const ids = as === null ? {} : { uid: as.uid, gid: as.gid };
    const init = spawnSync(
      join(bin, 'initdb'),
      ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
      { encoding: 'utf8', cwd: dir, ...ids },
    );
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
    const engine = new PostgresEngine(dir, await freePort(), bin, as);
    await engine.start();
    return engine;
  }

  async start(): Promise<void> {
    if (this.child !== null) return;
    this.output = '';
    const child = spawn(
      join(this.bin, 'postgres'),
      [
        '-D',
        join(this.dir, 'data'),
        '-k',
        this.dir,
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        // The tests kill sync-server nodes, never the machine: fsync off keeps CI fast and changes nothing they see.
        '-c',
        'fsync=off',
        '-c',
        'max_connections=200',
      ],
      {
        cwd: this.dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(this.as === null ? {} : { uid: this.as.uid, gid: this.as.gid }),
      },
    );
    child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    running.add(child);
    this.child = child;
    void exited(child).then(() => running.delete(child));
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`postgres exited: ${this.output}`);
        const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 1000 });
        try {
          await client.connect();
          await client.query('SELECT 1');
          return true;
        } catch {
          return false;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      20_000,
      () => `PostgreSQL to accept connections: ${this.output}`,
    );
  }

  /** Fast shutdown (SIGINT: aborts sessions, checkpoints); resolves once the server process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === null) return;
    this.child = null;
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(timer);
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
    folders.delete(this.dir);
  }
}

/** A private Redis (no persistence): `url`; `stop()`/`start()` for restart tests; `destroy()` at the end. */
export class RedisEngine {
  private child: ChildProcess | null = null;
  private output = '';

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async create(): Promise<RedisEngine> {
    if (redisBin() === null) throw new Error('redis-server is not installed');
    const dir = mkdtempSync(join(tmpdir(), 'cgw-redis-'));
    folders.add(dir);
    const engine = new RedisEngine(dir, await freePort());
    await engine.start();
    return engine;
  }

  async start(): Promise<void> {
    if (this.child !== null) return;
    this.output = '';
    const child = spawn(
      redisBin() ?? 'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir],
      { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    running.add(child);
    this.child = child;
    void exited(child).then(() => running.delete(child));
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited: ${this.output}`);
        const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        client.on('error', () => undefined); // refused while it starts: the probe tries again
        try {
          await client.connect();
          await client.ping();
          return true;
        } catch {
          return false;
        } finally {
          client.disconnect();
        }
      },
      10_000,
      () => `Redis to answer: ${this.output}`,
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === null) return;
    this.child = null;
    child.kill('SIGKILL');
    await exited(child);
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
    folders.delete(this.dir);
  }
}
