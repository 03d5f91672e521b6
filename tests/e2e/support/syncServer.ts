/**
 * A real sync server for end-to-end tests: `node --import tsx sync-server/main.ts` on 127.0.0.1 and a free port, a
 * temporary data folder, communities, tokens (the admin CLI's own code), and a seeded registry document written by a
 * stock y-websocket client, exactly as another device would.
 */
import * as Y from 'yjs';
import { generateDemoCommunity } from '../../../shared/domain/registry/demo';
import {
  ServerProcess,
  type LogLine,
  adminInProcess,
  connectProvider,
  issueToken,
  tempDataDir,
  waitFor,
  whenSynced,
} from '../../integration/sync-server/harness';
import type { Page } from '@playwright/test';
import { signIn, tokenUser } from './account';
import { expect, test as base } from './fixtures';

export interface SyncServerFixture {
  readonly dataDir: string;
  /** `ws://127.0.0.1:<port>`; changes after `restart`. */
  readonly url: string;
  /** What a person types in the join form. */
  readonly address: string;
  addCommunity(id: string, name: string): Promise<void>;
  issue(user: string, community: string, role?: 'editor' | 'viewer' | 'admin'): Promise<{ token: string; jti: string }>;
  revoke(jti: string): Promise<void>;
  /** Writes a generated registry (`residents` people) into `<community>/registry` through the server. */
  seedRegistry(community: string, token: string, residents: number): Promise<void>;
  /** Kills the server (SIGKILL: no clean shutdown) and starts it again on the same data and port. */
  killAndRestart(): Promise<void>;
  /** The server's JSON log lines so far (of the running process). */
  readonly logs: readonly LogLine[];
}

export async function startSyncServer(): Promise<{ fixture: SyncServerFixture; stop: () => Promise<void> }> {
  const data = tempDataDir();
  // Debug lines (each answer, each acknowledgement) are kept in memory and attached to a failed test's report.
  let server = await ServerProcess.start(data.dir, ['--log-level', 'debug']);
  const port = server.port;
  const fixture: SyncServerFixture = {
    dataDir: data.dir,
    get url() {
      return server.url;
    },
    get logs() {
      return server.logs;
    },
    get address() {
      return `127.0.0.1:${server.port}`;
    },
    addCommunity: async (id, name) => {
      await adminInProcess(data.dir, 'community', 'add', id, '--name', name);
    },
    issue: (user, community, role = 'editor') => issueToken(data.dir, user, community, role),
    revoke: async (jti) => {
      await adminInProcess(data.dir, 'token', 'revoke', jti);
    },
    seedRegistry: async (community, token, residents) => {
      const demo = generateDemoCommunity(20260601, { residents });
      const doc = new Y.Doc();
      const provider = connectProvider(server, `${community}/registry`, token, doc);
      await whenSynced(provider);
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(demo.doc));
      // Stored once the server's state vector (its sync-step-1 after storing) covers ours: poll with a fresh client.
      const target = Y.decodeStateVector(Y.encodeStateVector(doc));
      await waitFor(
        async () => {
          const check = connectProvider(server, `${community}/registry`, token);
          try {
            await whenSynced(check);
            const stored = Y.decodeStateVector(Y.encodeStateVector(check.doc));
            return [...target].every(([client, clock]) => (stored.get(client) ?? 0) >= clock);
          } finally {
            check.destroy();
          }
        },
        20_000,
        'seed stored',
      );
      provider.destroy();
    },
    killAndRestart: async () => {
      await server.stop('SIGKILL');
      server = await ServerProcess.start(data.dir, ['--log-level', 'debug', '--port', String(port)]);
    },
  };
  return {
    fixture,
    stop: async () => {
      await server.stop();
      data.cleanup();
    },
  };
}

/** `syncServer`: a fresh server (and data folder) per test. */
export const test = base.extend<{ syncServer: SyncServerFixture }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form for fixture arguments
  syncServer: async ({}, use, testInfo) => {
    const { fixture, stop } = await startSyncServer();
    await use(fixture);
    // A failed test carries the server's log in its report (a flaky resync is explained by what the server did).
    if (testInfo.status !== testInfo.expectedStatus) {
      const lines = fixture.logs.map((line) => JSON.stringify(line)).join('\n');
      await testInfo.attach('sync-server.log', { body: lines, contentType: 'text/plain' });
      // CI keeps only the console: its warnings and errors, and the last lines.
      const notable = fixture.logs.filter((line) => Number(line.level ?? 0) >= 40).slice(-40);
      const last = fixture.logs.slice(-60);
      console.error(
        `sync server log of "${testInfo.title}" (${fixture.logs.length} lines; warnings and errors, then the last 60):\n` +
          [...notable, ...last].map((line) => JSON.stringify(line)).join('\n'),
      );
    }
    await stop();
  },
});

export { expect } from './fixtures';

/**
 * Joins the server on the 同步 page with a token, as a worker would, and waits until the device is up to date. A
 * fresh device signs in first, its first account named after the token's user (so that records name the same person
 * the token does).
 */
export async function join(page: Page, server: SyncServerFixture, token: string): Promise<void> {
  await page.goto('/#/sync');
  await signIn(page, { name: tokenUser(token) });
  await page.getByLabel('服务器地址').fill(server.address);
  await page.getByLabel('授权码').fill(token);
  await page.getByRole('button', { name: '加入' }).click();
  // The device as a whole: the header badge describes the open community, which may be one of this device's own
  // that the token does not name (docs/sync-client.md).
  await expect(page.getByTestId('sync-state')).toHaveText('已是最新', { timeout: 30_000 });
}
