/**
 * The servers of `npm run bench:cluster`: a private PostgreSQL and Redis (tests/integration/cluster/engines.ts), three
 * sync-server nodes on them (`node --import tsx sync-server/main.ts --postgres … --redis …`, child processes on fixed
 * free ports of 127.0.0.1, so that a restarted node comes back where its clients look for it), and the single-node
 * SQLite server the figures are compared with. Tokens and communities are written with `sync-admin` in this process.
 */
import { readFileSync } from 'node:fs';
import { runAdmin } from '../../../sync-server/admin';
import { ServerProcess, tempDataDir } from '../../integration/sync-server/harness';
import { freePort, PostgresEngine, RedisEngine } from '../../integration/cluster/engines';

export interface Node {
  readonly index: number;
  readonly port: number;
  process: ServerProcess | null;
}

async function admin(args: readonly string[]): Promise<string[]> {
  const lines: string[] = [];
  await runAdmin(args, (line) => void lines.push(line));
  return lines;
}

/** Flags every node and the baseline run with: the defaults, but idle documents stay loaded for the whole bench. */
const NODE_FLAGS = ['--idle-unload-ms', '600000'];

export class BenchCluster {
  readonly nodes: Node[] = [];
  baseline: ServerProcess | null = null;

  private constructor(
    readonly postgres: PostgresEngine,
    readonly redis: RedisEngine,
    readonly data: { dir: string; cleanup: () => void },
    readonly baselineData: { dir: string; cleanup: () => void },
  ) {}

  static async start(nodeCount: number): Promise<BenchCluster> {
    const [postgres, redis] = await Promise.all([PostgresEngine.create(), RedisEngine.create()]);
    const cluster = new BenchCluster(postgres, redis, tempDataDir(), tempDataDir());
    try {
      for (let i = 0; i < nodeCount; i++) cluster.nodes.push({ index: i, port: await freePort(), process: null });
      // One after another: processes compiling at once on a busy 2-core machine can miss the harness's 20 s.
      for (const node of cluster.nodes) await cluster.startNode(node);
      cluster.baseline = await ServerProcess.start(cluster.baselineData.dir, NODE_FLAGS);
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
    return cluster;
  }

  /** `sync-admin --postgres` (cluster) or plain `sync-admin` (baseline). */
  async admin(target: 'cluster' | 'baseline', ...args: string[]): Promise<string[]> {
    return target === 'cluster'
      ? admin(['--data', this.data.dir, '--postgres', this.postgres.url, ...args])
      : admin(['--data', this.baselineData.dir, ...args]);
  }

  /** Registers communities on both; returns nothing. */
  async addCommunities(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      await this.admin('cluster', 'community', 'add', id, '--name', id);
      await this.admin('baseline', 'community', 'add', id, '--name', id);
    }
  }

  /** An editor token of `communities` on `target`. */
  async token(target: 'cluster' | 'baseline', user: string, communities: readonly string[]): Promise<string> {
    const lines = await this.admin(
      target,
      'token',
      'issue',
      '--user',
      user,
      '--community',
      communities.join(','),
      '--role',
      'editor',
    );
    return lines[lines.length - 1] ?? '';
  }

  url(node: Node): string {
    return `ws://127.0.0.1:${node.port}`;
  }

  get urls(): string[] {
    return this.nodes.map((node) => this.url(node));
  }

  async startNode(node: Node): Promise<void> {
    // BENCH_CPU_PROF_DIR: each node (not the baseline) writes a V8 CPU profile there when it exits cleanly (SIGTERM).
    const profileDir = process.env.BENCH_CPU_PROF_DIR;
    const nodeArgs =
      profileDir === undefined || profileDir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
    node.process = await ServerProcess.start(
      this.data.dir,
      [
        '--postgres',
        this.postgres.url,
        '--redis',
        this.redis.url,
        ...NODE_FLAGS,
        // After the harness's `--port 0`: the later value counts.
        '--port',
        String(node.port),
      ],
      nodeArgs,
    );
  }

  async stopNode(node: Node, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const running = node.process;
    node.process = null;
    await running?.stop(signal);
  }

  /** Sum of a metric over the running nodes. */
  async metric(name: string): Promise<number> {
    let sum = 0;
    for (const node of this.nodes) sum += (await node.process?.metrics())?.get(name) ?? 0;
    return sum;
  }

  /** Every series of a metric summed over the running nodes, by its labels. */
  async metricsMatching(name: string): Promise<Record<string, number>> {
    const sums: Record<string, number> = {};
    for (const node of this.nodes) {
      for (const [series, value] of (await node.process?.metrics()) ?? []) {
        if (series.startsWith(name)) sums[series.slice(name.length)] = (sums[series.slice(name.length)] ?? 0) + value;
      }
    }
    return sums;
  }

  rssMb(): number[] {
    return this.nodes.map((node) => {
      const pid = node.process?.child.pid;
      if (pid === undefined) return NaN;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024);
    });
  }

  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((node) => this.stopNode(node, 'SIGKILL')));
    await this.baseline?.stop('SIGKILL');
    await Promise.all([this.postgres.destroy(), this.redis.destroy()]);
    this.data.cleanup();
    this.baselineData.cleanup();
  }
}
