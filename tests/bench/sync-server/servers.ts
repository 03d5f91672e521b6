/** Servers under test, each a child process on 127.0.0.1: ours (auth + durable SQLite) and the stock server. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface BenchServer {
  readonly label: string;
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Query string each client adds (the token for ours). */
  readonly params: Record<string, string>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  rssKb(): number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function rssOf(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid ?? 0}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

async function waitForOutput(child: ChildProcess, pattern: RegExp, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${seen}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}: ${seen}`)));
  });
}

function stopper(child: ChildProcess): (signal?: NodeJS.Signals) => Promise<void> {
  return (signal = 'SIGTERM') =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => resolve());
      child.kill(signal);
    });
}

export async function startOurs(
  root: string,
  dataDir: string,
  token: string,
  extra: readonly string[] = [],
): Promise<BenchServer> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'sync-server/main.ts',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--data',
      dataDir,
      // One bench token stands for a whole district here, so its per-token limits are lifted.
      '--max-connections-per-token',
      '10000',
      '--connections-per-minute',
      '100000',
      '--messages-per-minute',
      '1000000',
      '--log-level',
      'warn',
      ...extra,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // With --log-level warn the listening line is not printed: wait for /healthz instead.
  await waitForHealth(port);
  return {
    label: 'ours',
    url: `ws://127.0.0.1:${port}`,
    port,
    child,
    params: { token },
    stop: stopper(child),
    rssKb: () => rssOf(child.pid),
  };
}

async function waitForHealth(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('server did not answer /healthz');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startStock(root: string, persistenceDir?: string): Promise<BenchServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port) };
  if (persistenceDir !== undefined) env.YPERSISTENCE = persistenceDir;
  else delete env.YPERSISTENCE;
  const child = spawn(process.execPath, [join(root, 'node_modules/@y/websocket-server/src/server.js')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForOutput(child, /running at/, 'stock server');
  return {
    label: persistenceDir === undefined ? 'stock (memory)' : 'stock (LevelDB)',
    url: `ws://127.0.0.1:${port}`,
    port,
    child,
    params: {},
    stop: stopper(child),
    rssKb: () => rssOf(child.pid),
  };
}

export async function ourMetrics(server: BenchServer): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const space = line.lastIndexOf(' ');
    values.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return values;
}
