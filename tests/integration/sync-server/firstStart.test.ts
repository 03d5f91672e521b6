/**
 * A new data folder opened by several processes at once (the server and `sync-admin`, or two servers): the migrations
 * run once, each process waiting for the other's, and every process starts (sync-server/storage/sqlite.ts `migrate`).
 * Before, each read the schema's version outside its transaction and all but one failed with "table … already
 * exists" (seen in CI: tests/integration/sync-server/listenBacklog.test.ts, two servers on one new folder).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../sync-server/auth';
import { MIGRATIONS } from '../../../sync-server/storage/sqliteSchema';
import { ServerProcess, tempDataDir } from './harness';

describe('a new data folder opened by several processes at once', () => {
  const folders: { cleanup: () => void }[] = [];
  const servers: ServerProcess[] = [];

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    for (const folder of folders) folder.cleanup();
  });

  it('migrates once and every server starts', async () => {
    // Several rounds, each on a new folder: the race is a matter of timing.
    for (let round = 0; round < 3; round++) {
      const data = tempDataDir();
      folders.push(data);
      const started = await Promise.allSettled([1, 2, 3, 4].map(() => ServerProcess.start(data.dir)));
      for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
      const failed = started.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
      expect(failed).toEqual([]);
      const db = new Database(join(data.dir, DB_FILE), { readonly: true });
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      } finally {
        db.close();
      }
      await Promise.all(servers.splice(0).map((server) => server.stop()));
    }
  }, 120_000);
});
