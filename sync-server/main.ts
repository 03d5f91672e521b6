/**
 * `npm run sync-server -- --host 127.0.0.1 --port 1234 --data ./data/sync [--postgres <url> [--redis <url>]]` (flags,
 * or SYNC_* environment variables; see config.ts). Logs one JSON line per event and `listening` once ready; SIGTERM/SIGINT stop it cleanly (exit 0).
 */
import { join } from 'node:path';
import { DB_FILE, loadOrCreateKey } from './auth';
import type { Logger } from 'pino';
import { ConfigError, parseServerConfig, type ServerConfig } from './config';
import { createLogger } from './logger';
import { RedisRelay, RelayedStore } from './relay';
import { startServer } from './server';
import { PostgresStorage } from './storage/postgres';
import { SqliteStorage } from './storage/sqlite';
import type { AccessRegistry, DocumentStore } from './storage/types';

/**
 * SQLite in the data folder (the default), or PostgreSQL (`--postgres`) with, for several nodes, the Redis relay
 * (`--redis`): docs/sync-server.md, "Several nodes: PostgreSQL and Redis". The signing key stays in the data folder.
 */
async function openStorage(
  config: ServerConfig,
  log: Logger,
): Promise<{
  engine: string;
  deps: { store: DocumentStore; registry: AccessRegistry; relay?: RedisRelay };
  close(): Promise<void>;
}> {
  if (config.postgres === null) {
    const sqlite = new SqliteStorage(join(config.dataDir, DB_FILE), {
      syncMode: config.syncMode,
      warn: (message) => log.warn(message),
    });
    // Started now, so that the first compaction does not wait for the thread to start (storage/sqliteWriter.ts).
    void sqlite.startCompactionWriter();
    return {
      engine: 'sqlite',
      deps: { store: sqlite, registry: sqlite },
      close: () => {
        sqlite.checkpoint();
        sqlite.close();
        return Promise.resolve();
      },
    };
  }
  const postgres = await PostgresStorage.open(config.postgres, {
    onError: (error) => log.warn({ err: error.message }, 'PostgreSQL connection error'),
  });
  if (config.redis === null) {
    return { engine: 'postgres', deps: { store: postgres, registry: postgres }, close: () => postgres.close() };
  }
  let relay: RedisRelay;
  try {
    relay = await RedisRelay.connect(config.redis, log);
  } catch (error) {
    await postgres.close();
    throw new Error(`Redis cannot be reached at ${config.redis}: ${(error as Error).message}`, { cause: error });
  }
  log.info({ node: relay.nodeId, shards: relay.shards }, 'relaying through Redis');
  return {
    engine: 'postgres+redis',
    deps: {
      store: new RelayedStore(postgres, relay, (slow) => log.warn(slow, 'slow append')),
      registry: postgres,
      relay,
    },
    close: async () => {
      await relay.close();
      await postgres.close();
    },
  };
}

async function main(): Promise<void> {
  let config;
  try {
    config = parseServerConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`sync-server: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel, 'sync-server');
  const key = loadOrCreateKey(config.dataDir);
  const storage = await openStorage(config, log);
  const server = await startServer(config, { ...storage.deps, key, log });
  const url = `ws://${config.host}:${server.port}`;
  log.info(
    {
      address: config.host,
      port: server.port,
      url,
      data: config.dataDir,
      engine: storage.engine,
      maxMessageBytes: config.maxMessageBytes,
      viewersMasked: config.viewersMasked,
    },
    `listening on ${url}`,
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: no new connections, flushing documents');
    server
      .close()
      .then(() => storage.close())
      .then(() => {
        log.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        log.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`sync-server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
