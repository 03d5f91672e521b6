/**
 * A private PostgreSQL (engines.ts) and a `PostgresStorage` on it for the tests of one `describe`: started before
 * them, the storage closed and the engine stopped and deleted after. Kept apart from engines.ts, which the benches
 * import outside vitest.
 */
import { afterAll, beforeAll } from 'vitest';
import { PostgresStorage } from '../../../sync-server/storage/postgres';
import { PostgresEngine } from './engines';

/** Starts both before the tests of the calling `describe`; `started` receives them (kept in the tests' variables). */
export function withPostgresStorage(started: (engine: PostgresEngine, storage: PostgresStorage) => void): void {
  let engine: PostgresEngine | undefined;
  let storage: PostgresStorage | undefined;
  beforeAll(async () => {
    engine = await PostgresEngine.create();
    storage = await PostgresStorage.open(engine.url);
    started(engine, storage);
  }, 60_000);
  afterAll(async () => {
    await storage?.close().catch(() => undefined);
    await engine?.destroy();
  });
}
