/**
 * The test engines themselves: a private PostgreSQL and Redis start on free ports of 127.0.0.1, answer, survive a
 * stop and start with their data (PostgreSQL), and leave nothing behind. When the tests run as root, PostgreSQL runs
 * as an unprivileged user (initdb and postgres refuse root).
 */
import { existsSync, statSync } from 'node:fs';
import pg from 'pg';
import Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { enginesMissing, PostgresEngine, RedisEngine } from './engines';

const missing = enginesMissing();
if (missing !== null) console.warn(`skipping cluster engine tests: ${missing}`);

describe.skipIf(missing !== null)('test engines', () => {
  it('starts a private PostgreSQL, keeps its data across stop and start, and deletes its folder', async () => {
    const engine = await PostgresEngine.create();
    try {
      if (process.getuid?.() === 0) {
        expect(engine.runsAs).not.toBeNull();
        expect(statSync(engine.dir).uid).not.toBe(0);
      }
      const client = new pg.Client(engine.url);
      await client.connect();
      await client.query('CREATE TABLE t (v int); INSERT INTO t VALUES (42)');
      await client.end();
      await engine.stop();
      const refused = new pg.Client({ connectionString: engine.url, connectionTimeoutMillis: 1000 });
      await expect(refused.connect()).rejects.toThrow();
      await engine.start();
      const again = new pg.Client(engine.url);
      await again.connect();
      expect((await again.query<{ v: number }>('SELECT v FROM t')).rows).toEqual([{ v: 42 }]);
      await again.end();
    } finally {
      await engine.destroy();
    }
    expect(existsSync(engine.dir)).toBe(false);
  });

  it('starts a private Redis without persistence and restarts it empty', async () => {
    const engine = await RedisEngine.create();
    try {
      const client = new Redis(engine.url, { lazyConnect: true });
      await client.connect();
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      client.disconnect();
      await engine.stop();
      await engine.start();
      const again = new Redis(engine.url, { lazyConnect: true });
      await again.connect();
      expect(await again.get('k')).toBeNull();
      again.disconnect();
    } finally {
      await engine.destroy();
    }
    expect(existsSync(engine.dir)).toBe(false);
  });
});
