/**
 * The sync server of the benches, started **cold** for every "new device" figure: the seeding server is stopped and a
 * new process is started on the same database, so the document the device asks for is not loaded (nor any answer to
 * it cached) when the device joins, as on a server that has been restarted or has let the document go. Child process
 * `sync-server/main.ts` on 127.0.0.1 (tests/integration/sync-server/harness.ts), temporary data folder deleted at the
 * end. docs/bench-sync.md ("Cold server, five runs") and docs/bench-scale.md say what the figures measure.
 */
import {
  ServerProcess,
  adminInProcess,
  issueToken,
  tempDataDir,
  type LogLine,
} from '../../integration/sync-server/harness';

export interface BenchServer {
  readonly dataDir: string;
  /** `ws://127.0.0.1:<port>` of the running process (changes at each cold start). */
  readonly url: string;
  /** What a person types in the join form. */
  readonly address: string;
  /** The running process's JSON log lines so far. */
  readonly logs: readonly LogLine[];
  addCommunity(id: string, name: string): Promise<void>;
  issue(user: string, community: string, role?: 'editor' | 'viewer' | 'admin'): Promise<string>;
  /**
   * Stops the running process (SIGTERM, its clean shutdown) and starts a new one on the same database, from the tree
   * `root` if given (another checkout: an A/B of the server's code).
   */
  restartCold(root?: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startBenchServer(): Promise<BenchServer> {
  const data = tempDataDir();
  let server = await ServerProcess.start(data.dir);
  return {
    dataDir: data.dir,
    get url() {
      return server.url;
    },
    get address() {
      return `127.0.0.1:${server.port}`;
    },
    get logs() {
      return server.logs;
    },
    addCommunity: async (id, name) => {
      await adminInProcess(data.dir, 'community', 'add', id, '--name', name);
    },
    issue: async (user, community, role = 'editor') => (await issueToken(data.dir, user, community, role)).token,
    restartCold: async (root) => {
      const t0 = Date.now();
      await server.stop('SIGTERM');
      server = await ServerProcess.start(data.dir, [], [], root);
      // The new process has opened its database and listens; no document is loaded until a client asks for it.
      return Date.now() - t0;
    },
    stop: async () => {
      await server.stop();
      data.cleanup();
    },
  };
}
