/**
 * Test harness: a real sync server as a child process (`node --import tsx sync-server/main.ts`) on 127.0.0.1 and a
 * free port, a temporary data folder, the admin CLI, stock y-websocket clients, raw `ws` clients and the host the
 * app's own sync client (renderer/sync/docSync.ts) runs with in Node.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { DocSyncHost } from '../../../renderer/sync/docSync';
import { runAdmin } from '../../../sync-server/admin';

export const ROOT = resolve(import.meta.dirname, '../../..');
const execFileAsync = promisify(execFile);

export function tempDataDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sync-server-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface LogLine {
  readonly msg: string;
  readonly [key: string]: unknown;
}

export class ServerProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    private readonly exited: Promise<number | null>,
    /** Every JSON log line so far; keeps growing while the server runs. */
    readonly logs: LogLine[],
  ) {}

  /**
   * `nodeArgs`: flags for Node itself (before the script), e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). `root`:
   * the tree whose `sync-server/main.ts` runs (another checkout, for a bench's A/B of the server; this one by default).
   */
  static async start(
    dataDir: string,
    extraArgs: readonly string[] = [],
    nodeArgs: readonly string[] = [],
    root: string = ROOT,
  ): Promise<ServerProcess> {
    const child = spawn(
      process.execPath,
      [
        ...nodeArgs,
        '--import',
        'tsx',
        'sync-server/main.ts',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--data',
        dataDir,
        ...extraArgs,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const logs: LogLine[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
    const port = await new Promise<number>((resolvePort, reject) => {
      let buffer = '';
      const timer = setTimeout(() => reject(new Error(`server did not listen in time: ${stderr}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          try {
            const parsed = JSON.parse(line) as LogLine;
            logs.push(parsed);
            if (parsed.msg.includes('listening') && typeof parsed.port === 'number') {
              clearTimeout(timer);
              resolvePort(parsed.port);
            }
          } catch {
            logs.push({ msg: `(not json) ${line}` });
          }
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}: ${stderr}`));
      });
    });
    return new ServerProcess(child, port, exited, logs);
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get http(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Sends a signal and waits for the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill(signal);
    return this.exited;
  }

  async metrics(): Promise<Map<string, number>> {
    const text = await (await fetch(`${this.http}/metrics`)).text();
    return parseMetrics(text);
  }

  /** Waits until a log line matches. */
  async waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
    return waitFor(() => this.logs.find(predicate), timeoutMs, 'log line');
  }
}

export function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const space = line.lastIndexOf(' ');
    values.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return values;
}

export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function admin(
  dataDir: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      ['--import', 'tsx', 'sync-server/admin.ts', '--data', dataDir, ...args],
      {
        cwd: ROOT,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/**
 * Runs an admin command in this process (the same `runAdmin` the CLI calls, without paying for a process start);
 * admin.test.ts covers the CLI itself.
 */
export async function adminInProcess(dataDir: string, ...args: string[]): Promise<string> {
  const lines: string[] = [];
  await runAdmin(['--data', dataDir, ...args], (line) => lines.push(line));
  return lines.join('\n');
}

/** Issues a token and returns it (the last line of the command's output) with its id. */
export async function issueToken(
  dataDir: string,
  user: string,
  communities: string,
  role: string,
  days?: string,
): Promise<{ token: string; jti: string }> {
  const args = ['token', 'issue', '--user', user, '--community', communities, '--role', role];
  if (days !== undefined) args.push('--days', days);
  const stdout = await adminInProcess(dataDir, ...args);
  const lines = stdout.trim().split('\n');
  const token = lines[lines.length - 1]!;
  const jti = /issued token (\S+)/.exec(stdout)?.[1];
  if (jti === undefined) throw new Error(`no token id in: ${stdout}`);
  return { token, jti };
}

/** A stock y-websocket client in Node. */
export function connectProvider(
  server: ServerProcess,
  docName: string,
  token: string,
  doc = new Y.Doc(),
): WebsocketProvider {
  return new WebsocketProvider(server.url, docName, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
}

export function whenSynced(provider: WebsocketProvider, timeoutMs = 10_000): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolveSynced, reject) => {
    const timer = setTimeout(() => reject(new Error('provider did not sync in time')), timeoutMs);
    const handler = (synced: boolean): void => {
      if (!synced) return;
      clearTimeout(timer);
      provider.off('sync', handler);
      resolveSynced();
    };
    provider.on('sync', handler);
  });
}

export interface RawResult {
  readonly status?: number;
  readonly opened: boolean;
  readonly messages: Buffer[];
}

/** Tries a websocket upgrade with a raw client and records the HTTP status and every message received. */
export function rawAttempt(url: string, waitMs = 300): Promise<RawResult> {
  return new Promise((resolveAttempt) => {
    const ws = new WebSocket(url);
    const messages: Buffer[] = [];
    let status: number | undefined;
    let opened = false;
    ws.on('unexpected-response', (_req, res) => {
      status = res.statusCode;
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => (opened = true));
    ws.on('message', (data: Buffer) => messages.push(data));
    ws.on('error', () => undefined);
    setTimeout(() => {
      ws.terminate();
      resolveAttempt({ status, opened, messages });
    }, waitMs);
  });
}

/** An open raw client: its messages and, once closed, its close code and reason. */
export class RawClient {
  readonly messages: Buffer[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.messages.push(data));
    ws.on('error', () => undefined);
    this.closed = new Promise((resolveClose) =>
      ws.on('close', (code, reason) => resolveClose({ code, reason: reason.toString() })),
    );
  }

  static open(url: string): Promise<RawClient> {
    return new Promise((resolveOpen, reject) => {
      const ws = new WebSocket(url);
      const client = new RawClient(ws);
      ws.once('open', () => resolveOpen(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
    });
  }

  send(bytes: Uint8Array | string): void {
    this.ws.send(bytes);
  }
}

export function docUrl(server: ServerProcess, docName: string, token?: string): string {
  return token === undefined
    ? `${server.url}/${docName}`
    : `${server.url}/${docName}?token=${encodeURIComponent(token)}`;
}

/** A y-websocket sync message (message type 0) of the given sync type around `payload`, as clients and servers send. */
export function syncFrame(subType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** What the app's sync client (`DocSync`) needs from its host, in Node: `ws`, no jitter, short backoff, always online. */
export function docSyncHost(server: string, token: string, more: Partial<DocSyncHost> = {}): DocSyncHost {
  return {
    server,
    token,
    deviceId: 'd',
    WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
    random: () => 0,
    backoffBaseMs: 20,
    isOnline: () => true,
    changed: () => undefined,
    persist: () => Promise.resolve(),
    probe: () => Promise.resolve(null),
    tokenRefused: () => undefined,
    awayChanges: () => undefined,
    ...more,
  };
}
