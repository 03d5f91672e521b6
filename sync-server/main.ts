/**
 * `npm run sync-server -- --host 127.0.0.1 --port 1234 --data ./data/sync` (flags, or SYNC_* environment variables;
 * see config.ts). Logs one JSON line per event and `listening` once ready; SIGTERM/SIGINT stop it cleanly (exit 0).
 */
import { join } from 'node:path';
import { DB_FILE, loadOrCreateKey } from './auth';
import { ConfigError, parseServerConfig } from './config';
import { createLogger } from './logger';
import { startServer } from './server';
import { SqliteStorage } from './storage/sqlite';

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
  const storage = new SqliteStorage(join(config.dataDir, DB_FILE), {
    syncMode: config.syncMode,
    warn: (message) => log.warn(message),
  });
  const server = await startServer(config, { store: storage, registry: storage, key, log });
  const url = `ws://${config.host}:${server.port}`;
  log.info(
    { address: config.host, port: server.port, url, data: config.dataDir, maxMessageBytes: config.maxMessageBytes },
    `listening on ${url}`,
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: no new connections, flushing documents');
    server
      .close()
      .then(() => {
        storage.checkpoint();
        storage.close();
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
