/**
 * Server configuration from command-line flags, then `SYNC_*` environment variables, then defaults. Every limit the
 * server enforces is here, so district IT can see and tune them in one place (docs/sync-server.md lists them).
 */
import { parseArgs } from 'node:util';
import type { SyncMode } from './storage/sqlite';

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** Largest message a client may send, in bytes. */
  readonly maxMessageBytes: number;
  /** Messages per token per minute (all its connections together). */
  readonly messagesPerMinute: number;
  /** Connection attempts per token per minute. */
  readonly connectionsPerMinute: number;
  /** Open connections per token at once. */
  readonly maxConnectionsPerToken: number;
  /** Open connections for the whole server. */
  readonly maxConnections: number;
  /** A document without clients is unloaded after this many milliseconds. */
  readonly idleUnloadMs: number;
  /** Log entries after which a document's log is folded into its snapshot. */
  readonly compactAfter: number;
  /** Least time between two "saved on the server" signals to one connection. */
  readonly ackIntervalMs: number;
  /** How often revoked and expired tokens are looked for among open sockets. */
  readonly revocationPollMs: number;
  /** Bytes queued for one slow client before it is disconnected. */
  readonly maxBufferedBytes: number;
  /** Bytes of answers to sync-step-1 one token may receive per minute (all its connections together). */
  readonly answerBytesPerMinute: number;
  /** Bytes queued for all sockets together before the server refuses to queue another answer. */
  readonly maxQueuedBytes: number;
  /**
   * Connections the kernel holds for the server while its event loop is busy (`listen`'s backlog; Linux caps it at
   * `net.core.somaxconn`). Node's 511 overflowed in a restart storm: dropped SYNs wait the kernel's 1-3-7-15 s
   * retransmissions (docs/bench-cluster.md, "Dropped connections in a storm").
   */
  readonly listenBacklog: number;
  /** Worker threads that encode answers off the event loop. */
  readonly answerWorkers: number;
  /**
   * The time an answer worker has to reply to one request about a small document; one more such time per 10 MiB of
   * the document (answers.ts). A worker that does not reply in time is terminated and started again, and the
   * answer asked once more of the new one.
   */
  readonly answerTimeoutMs: number;
  /**
   * Documents being loaded at once above which a connection to another document not loaded is refused with 4529 and
   * a retry hint (a restart storm); 0: no limit.
   */
  readonly maxLoadingDocuments: number;
  /** Event-loop delay (ms, the worst of the last second) above which new connections are refused with 4529; 0: off. */
  readonly busyLagMs: number;
  /**
   * A connection sent nothing for this long gets an empty awareness message (no client's state in it); 0: off. A
   * stock y-websocket client closes a socket that received nothing for 30 s, so without it a viewer (sent no
   * awareness) or any client of a server with `awareness` off reconnected every 30 s to a quiet document
   * (docs/sync-server.md, "Keepalive").
   */
  readonly keepaliveMs: number;
  /** Relay awareness (cursors, presence) between editors; the workstation app does not use it. */
  readonly awareness: 'on' | 'off';
  /** Largest awareness message relayed. */
  readonly awarenessMaxBytes: number;
  /** Awareness messages per connection per minute. */
  readonly awarenessPerMinute: number;
  /** Open TCP connections per remote address (before and after the upgrade). */
  readonly maxConnectionsPerAddress: number;
  /** Websocket upgrade attempts per remote address per minute. */
  readonly upgradesPerMinutePerAddress: number;
  /** Behind a reverse proxy on this machine: take the client's address from `X-Forwarded-For`. */
  readonly trustProxy: boolean;
  /**
   * Addresses the per-address limits leave alone: a reverse proxy on this machine (every client arrives from it;
   * it limits connections itself) and the administrator's own tools.
   */
  readonly exemptAddresses: readonly string[];
  readonly syncMode: SyncMode;
  readonly logLevel: string;
  /**
   * Viewers receive the registry with ID numbers and phones masked (`<community>/registry-masked`, derived by the
   * server) and are refused the registry itself; `false` keeps the district's older choice of sending viewers the
   * registry in full (docs/security.md).
   */
  readonly viewersMasked: boolean;
  /**
   * How often the loaded registries' audit entries of closed years are moved into their yearly documents
   * (auditArchiver.ts; docs/registry-model.md, "Where the audit lives"); 0 turns the archiver off.
   */
  readonly auditArchiveEveryMs: number;
  /**
   * Several nodes (docs/sync-server.md, "Several nodes: PostgreSQL and Redis"): documents, tokens and communities in
   * this PostgreSQL database instead of the data folder's SQLite file; null for SQLite.
   */
  readonly postgres: string | null;
  /** Redis relaying stored updates between nodes (with `postgres` only); null for a single node. */
  readonly redis: string | null;
}

export const DEFAULTS: ServerConfig = {
  host: '127.0.0.1',
  port: 1234,
  dataDir: './data/sync',
  maxMessageBytes: 8 * 1024 * 1024,
  messagesPerMinute: 12_000,
  connectionsPerMinute: 600,
  maxConnectionsPerToken: 200,
  maxConnections: 10_000,
  idleUnloadMs: 30_000,
  compactAfter: 500,
  ackIntervalMs: 150,
  revocationPollMs: 1_000,
  maxBufferedBytes: 64 * 1024 * 1024,
  answerBytesPerMinute: 256 * 1024 * 1024,
  maxQueuedBytes: 512 * 1024 * 1024,
  listenBacklog: 4096,
  answerWorkers: 1,
  answerTimeoutMs: 30_000,
  maxLoadingDocuments: 64,
  busyLagMs: 3_000,
  keepaliveMs: 10_000,
  awareness: 'on',
  awarenessMaxBytes: 16 * 1024,
  awarenessPerMinute: 120,
  maxConnectionsPerAddress: 500,
  upgradesPerMinutePerAddress: 1_200,
  trustProxy: false,
  exemptAddresses: ['127.0.0.1', '::1', '::ffff:127.0.0.1'],
  syncMode: 'full',
  logLevel: 'info',
  viewersMasked: true,
  auditArchiveEveryMs: 60 * 60 * 1000,
  postgres: null,
  redis: null,
};

/** flag name -> [environment variable, config key, kind] */
const OPTIONS = {
  host: ['SYNC_HOST', 'host', 'string'],
  port: ['SYNC_PORT', 'port', 'int'],
  data: ['SYNC_DATA', 'dataDir', 'string'],
  'max-message-bytes': ['SYNC_MAX_MESSAGE_BYTES', 'maxMessageBytes', 'int'],
  'messages-per-minute': ['SYNC_MESSAGES_PER_MINUTE', 'messagesPerMinute', 'int'],
  'connections-per-minute': ['SYNC_CONNECTIONS_PER_MINUTE', 'connectionsPerMinute', 'int'],
  'max-connections-per-token': ['SYNC_MAX_CONNECTIONS_PER_TOKEN', 'maxConnectionsPerToken', 'int'],
  'max-connections': ['SYNC_MAX_CONNECTIONS', 'maxConnections', 'int'],
  'idle-unload-ms': ['SYNC_IDLE_UNLOAD_MS', 'idleUnloadMs', 'int'],
  'compact-after': ['SYNC_COMPACT_AFTER', 'compactAfter', 'int'],
  'ack-interval-ms': ['SYNC_ACK_INTERVAL_MS', 'ackIntervalMs', 'int'],
  'revocation-poll-ms': ['SYNC_REVOCATION_POLL_MS', 'revocationPollMs', 'int'],
  'max-buffered-bytes': ['SYNC_MAX_BUFFERED_BYTES', 'maxBufferedBytes', 'int'],
  'answer-bytes-per-minute': ['SYNC_ANSWER_BYTES_PER_MINUTE', 'answerBytesPerMinute', 'int'],
  'max-queued-bytes': ['SYNC_MAX_QUEUED_BYTES', 'maxQueuedBytes', 'int'],
  'listen-backlog': ['SYNC_LISTEN_BACKLOG', 'listenBacklog', 'int'],
  'answer-workers': ['SYNC_ANSWER_WORKERS', 'answerWorkers', 'int'],
  'answer-timeout-ms': ['SYNC_ANSWER_TIMEOUT_MS', 'answerTimeoutMs', 'int'],
  'max-loading-documents': ['SYNC_MAX_LOADING_DOCUMENTS', 'maxLoadingDocuments', 'int'],
  'busy-lag-ms': ['SYNC_BUSY_LAG_MS', 'busyLagMs', 'int'],
  'keepalive-ms': ['SYNC_KEEPALIVE_MS', 'keepaliveMs', 'int'],
  awareness: ['SYNC_AWARENESS', 'awareness', 'onoff'],
  'awareness-max-bytes': ['SYNC_AWARENESS_MAX_BYTES', 'awarenessMaxBytes', 'int'],
  'awareness-per-minute': ['SYNC_AWARENESS_PER_MINUTE', 'awarenessPerMinute', 'int'],
  'max-connections-per-address': ['SYNC_MAX_CONNECTIONS_PER_ADDRESS', 'maxConnectionsPerAddress', 'int'],
  'upgrades-per-minute-per-address': ['SYNC_UPGRADES_PER_MINUTE_PER_ADDRESS', 'upgradesPerMinutePerAddress', 'int'],
  'trust-proxy': ['SYNC_TRUST_PROXY', 'trustProxy', 'bool'],
  'exempt-addresses': ['SYNC_EXEMPT_ADDRESSES', 'exemptAddresses', 'list'],
  'sync-mode': ['SYNC_SYNC_MODE', 'syncMode', 'mode'],
  'log-level': ['SYNC_LOG_LEVEL', 'logLevel', 'string'],
  'viewers-masked': ['SYNC_VIEWERS_MASKED', 'viewersMasked', 'bool'],
  'audit-archive-every-ms': ['SYNC_AUDIT_ARCHIVE_EVERY_MS', 'auditArchiveEveryMs', 'int'],
  postgres: ['SYNC_POSTGRES', 'postgres', 'string'],
  redis: ['SYNC_REDIS', 'redis', 'string'],
} as const satisfies Record<
  string,
  readonly [string, keyof ServerConfig, 'string' | 'int' | 'mode' | 'onoff' | 'bool' | 'list']
>;

export class ConfigError extends Error {}

/** Parses flags and environment into a config; throws `ConfigError` with a one-line message on bad input. */
export function parseServerConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ServerConfig {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options: Record<string, { type: 'string' | 'boolean' }> = Object.fromEntries(
      Object.keys(OPTIONS).map((name) => [name, { type: 'string' as const }]),
    );
    // `--viewers-full`: the same as `--viewers-masked false`, said the way district IT thinks of it.
    options['viewers-full'] = { type: 'boolean' };
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  const config: Record<string, unknown> = { ...DEFAULTS };
  for (const [flag, [envName, key, kind]] of Object.entries(OPTIONS)) {
    const raw = values[flag] ?? env[envName];
    if (raw === undefined || typeof raw === 'boolean') continue;
    if (kind === 'int') {
      const value = Number(raw);
      const min = [
        'port',
        'idleUnloadMs',
        'maxLoadingDocuments',
        'busyLagMs',
        'keepaliveMs',
        'auditArchiveEveryMs',
      ].includes(key)
        ? 0
        : 1;
      if (!Number.isInteger(value) || value < min || (key === 'port' && value > 65535)) {
        throw new ConfigError(`--${flag} (or ${envName}) must be an integer >= ${min}, got "${raw}"`);
      }
      config[key] = value;
    } else if (kind === 'onoff') {
      if (raw !== 'on' && raw !== 'off') throw new ConfigError(`--${flag} must be "on" or "off", got "${raw}"`);
      config[key] = raw;
    } else if (kind === 'list') {
      config[key] = raw
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
    } else if (kind === 'bool') {
      if (raw !== 'true' && raw !== 'false') throw new ConfigError(`--${flag} must be "true" or "false", got "${raw}"`);
      config[key] = raw === 'true';
    } else if (kind === 'mode') {
      if (raw !== 'full' && raw !== 'normal')
        throw new ConfigError(`--${flag} must be "full" or "normal", got "${raw}"`);
      config[key] = raw;
    } else {
      if (raw === '') throw new ConfigError(`--${flag} (or ${envName}) must not be empty`);
      config[key] = raw;
    }
  }
  if (values['viewers-full'] === true) {
    if (values['viewers-masked'] === 'true')
      throw new ConfigError('--viewers-full and --viewers-masked true contradict');
    config.viewersMasked = false;
  }
  if (config.redis !== null && config.postgres === null) {
    throw new ConfigError('--redis relays between nodes that share a PostgreSQL database: give --postgres too');
  }
  return config as unknown as ServerConfig;
}
