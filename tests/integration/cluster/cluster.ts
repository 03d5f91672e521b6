/**
 * Several sync-server nodes on one private PostgreSQL and Redis (engines.ts), each a real child process
 * (`sync-server/main.ts --postgres <url> --redis <url>`) on a free port of 127.0.0.1, sharing one data folder for the
 * signing key only. Tokens and communities are written with `sync-admin --postgres` (in this process). Stock
 * y-websocket clients connect to any node; `peekAcks` records the "saved on the server" state vectors a client gets.
 */
import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MESSAGE_SYNC } from '@shared/sync/protocol';
import { runAdmin } from '../../../sync-server/admin';
import { ServerProcess, tempDataDir } from '../sync-server/harness';
import { PostgresEngine, RedisEngine } from './engines';

export const COMMUNITY = 'shunqing-xihe';

export class Cluster {
  readonly nodes: ServerProcess[] = [];

  private constructor(
    readonly postgres: PostgresEngine,
    readonly redis: RedisEngine,
    readonly data: { dir: string; cleanup: () => void },
    readonly token: string,
    private readonly nodeArgs: readonly string[],
  ) {}

  /** Engines, the community and an editor token, and `nodes` sync-server processes. */
  static async start(nodes: number, nodeArgs: readonly string[] = []): Promise<Cluster> {
    const [postgres, redis] = await Promise.all([PostgresEngine.create(), RedisEngine.create()]);
    const data = tempDataDir();
    const admin = async (...args: string[]): Promise<string> => {
      const lines: string[] = [];
      await runAdmin(['--data', data.dir, '--postgres', postgres.url, ...args], (line) => lines.push(line));
      return lines.join('\n');
    };
    await admin('community', 'add', COMMUNITY, '--name', '西河社区');
    const issued = await admin('token', 'issue', '--user', 'editor-a', '--community', COMMUNITY, '--role', 'editor');
    const token = issued.trim().split('\n').pop() ?? '';
    const cluster = new Cluster(postgres, redis, data, token, nodeArgs);
    try {
      // One after another: three processes compiling at once on a busy 2-core machine can miss the harness's 20 s.
      for (let i = 0; i < nodes; i++) await cluster.startNode();
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
    return cluster;
  }

  /** Issues another token (`sync-admin --postgres token issue`) and returns it. */
  async issue(user: string, role: 'editor' | 'viewer' | 'admin'): Promise<string> {
    const lines: string[] = [];
    await runAdmin(
      ['--data', this.data.dir, '--postgres', this.postgres.url, 'token', 'issue', '--user', user].concat([
        '--community',
        COMMUNITY,
        '--role',
        role,
      ]),
      (line) => lines.push(line),
    );
    return lines.pop() ?? '';
  }

  async startNode(): Promise<ServerProcess> {
    const node = await ServerProcess.start(this.data.dir, [
      '--postgres',
      this.postgres.url,
      '--redis',
      this.redis.url,
      '--idle-unload-ms',
      '60000',
      ...this.nodeArgs,
    ]);
    this.nodes.push(node);
    return node;
  }

  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop('SIGKILL')));
    await Promise.all([this.postgres.destroy(), this.redis.destroy()]);
    this.data.cleanup();
  }
}

/**
 * Records every state vector the server sends a client in a sync-step-1 ("saved on the server": docs/sync-server.md)
 * as the app does, by peeking before the stock handler answers.
 */
export function peekAcks(provider: WebsocketProvider): Map<number, number>[] {
  const vectors: Map<number, number>[] = [];
  const stock = provider.messageHandlers[MESSAGE_SYNC];
  if (stock === undefined) throw new Error('no sync handler');
  provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, messageType) => {
    const peek = decoding.clone(decoder);
    if (decoding.readVarUint(peek) === 0) vectors.push(Y.decodeStateVector(decoding.readVarUint8Array(peek)));
    stock(encoder, decoder, p, emitSynced, messageType);
  };
  return vectors;
}

/** The highest clock of `client` the server has said it holds. */
export function ackedClock(vectors: readonly Map<number, number>[], client: number): number {
  return vectors.reduce((max, sv) => Math.max(max, sv.get(client) ?? 0), 0);
}

/** Close codes a provider's connections were closed with, and their reasons. */
export function recordCloses(provider: WebsocketProvider): { code: number; reason: string }[] {
  const closes: { code: number; reason: string }[] = [];
  provider.on('connection-close', (event) => {
    if (event !== null) closes.push({ code: event.code, reason: event.reason });
  });
  return closes;
}
