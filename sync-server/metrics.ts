/** Prometheus metrics of the sync server, rendered as text exposition format 0.0.4 by hand (no dependency). */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const LATENCY_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] as const;

class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly label?: string,
  ) {}
  inc(labelValue = '', by = 1): void {
    this.values.set(labelValue, (this.values.get(labelValue) ?? 0) + by);
  }
  get(labelValue = ''): number {
    return this.values.get(labelValue) ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.label === undefined) lines.push(`${this.name} ${this.get()}`);
    else for (const [value, count] of this.values) lines.push(`${this.name}{${this.label}="${value}"} ${count}`);
    return lines.join('\n');
  }
}

class Histogram {
  private readonly counts: number[] = LATENCY_BUCKETS_S.map(() => 0);
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    LATENCY_BUCKETS_S.forEach((bound, i) => {
      if (seconds <= bound) this.counts[i] = (this.counts[i] ?? 0) + 1;
    });
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    LATENCY_BUCKETS_S.forEach((bound, i) => lines.push(`${this.name}_bucket{le="${bound}"} ${this.counts[i] ?? 0}`));
    lines.push(
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    );
    return lines.join('\n');
  }
}

export interface Gauges {
  readonly connections: number;
  readonly documentsLoaded: number;
  readonly bytesStored: number;
}

/** An event-loop delay this long is logged (a warning with the time: where a node stalled, docs/bench-cluster.md). */
export const STALL_LOG_MS = 500;

export class Metrics {
  readonly updatesReceived = new Counter(
    'sync_updates_received_total',
    'Sync updates (step 2 and update messages) received.',
  );
  readonly updatesStored = new Counter('sync_updates_stored_total', 'Updates appended to durable storage.');
  readonly updatesRelayed = new Counter('sync_updates_relayed_total', 'Update messages sent to other connections.');
  readonly updatesRefused = new Counter(
    'sync_updates_refused_total',
    'Updates refused, by reason (viewer: sent by a read-only token; invalid: Yjs could not apply it; permanent: it removed audit entries, signatures or a lock, which the server restored; masked: it carried structs of the masked registry into the registry).',
    'reason',
  );
  readonly authFailures = new Counter('sync_auth_failures_total', 'Websocket upgrades refused, by reason.', 'reason');
  readonly closes = new Counter(
    'sync_connections_closed_total',
    'Connections closed by the server, by close code.',
    'code',
  );
  readonly awarenessRefused = new Counter(
    'sync_awareness_refused_total',
    'Awareness messages dropped, by reason (off, viewer, too-large, rate).',
    'reason',
  );
  readonly messageErrors = new Counter(
    'sync_message_errors_total',
    'Messages whose handling threw; the socket was closed with 4400.',
  );
  readonly compactions = new Counter('sync_compactions_total', 'Update logs folded into a snapshot.');
  readonly compactionEncodes = new Counter(
    'sync_compaction_encodes_total',
    'Snapshots encoded for compaction, by where (worker: an answer worker; main: the event loop, for a small document or when the worker failed).',
    'by',
  );
  readonly compactionFolds = new Counter(
    'sync_compaction_folds_total',
    'Compactions of a store that merges what a node may lack (PostgreSQL), by whether they merged stored updates into the snapshot (folded) or found everything held by the node (skipped).',
    'fold',
  );
  readonly answerTimeouts = new Counter(
    'sync_answer_worker_timeouts_total',
    'Requests an answer worker did not reply to in time (--answer-timeout-ms); each terminated and restarted the worker.',
  );
  readonly answerRetries = new Counter(
    'sync_answer_retries_total',
    'Answers asked again of a restarted answer worker, by outcome (answered; failed: the connection was closed with 4529).',
    'outcome',
  );
  readonly answerDeadlines = new Counter(
    'sync_answer_deadlines_total',
    'Answers not ready within 3 worker timeouts and a worker start (a stuck document queue or worker); the connection was closed with 4529.',
  );
  readonly unloads = new Counter('sync_documents_unloaded_total', 'Idle documents written out and unloaded.');
  readonly persistLatency = new Histogram('sync_persistence_seconds', 'Time to append one update durably.');

  /** The event loop's delay, sampled every 20 ms; its worst of each second is kept (`eventLoopDelayMs`). */
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 20 });
  private worstDelayMs = 0;
  private readonly delayTimer = setInterval(() => {
    this.worstDelayMs = this.loopDelay.max / 1e6;
    this.loopDelay.reset();
    if (this.worstDelayMs >= STALL_LOG_MS) this.onStall?.(this.worstDelayMs);
  }, 1_000);
  /** Called once a second when the event loop was behind by `STALL_LOG_MS` or more in it (server.ts logs it). */
  onStall: ((ms: number) => void) | null = null;

  constructor() {
    this.loopDelay.enable();
    this.delayTimer.unref();
  }

  /**
   * The worst delay of the event loop in the last whole second, in milliseconds, or in the current one if worse (a
   * stall under way shows at once): what `--busy-lag-ms` compares (upgrade.ts).
   */
  eventLoopDelayMs(): number {
    return Math.max(this.worstDelayMs, this.loopDelay.max / 1e6);
  }

  stop(): void {
    clearInterval(this.delayTimer);
    this.loopDelay.disable();
  }

  render(gauges: Gauges): string {
    const memory = process.memoryUsage();
    const gauge = (name: string, help: string, value: number): string =>
      `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}`;
    return (
      [
        gauge('sync_connections', 'Open websocket connections.', gauges.connections),
        gauge('sync_documents_loaded', 'Documents held in memory.', gauges.documentsLoaded),
        gauge('sync_bytes_stored', 'Bytes of document snapshots and update logs in storage.', gauges.bytesStored),
        gauge('sync_heap_used_bytes', 'V8 heap in use.', memory.heapUsed),
        gauge('process_resident_memory_bytes', 'Resident memory of the server process.', memory.rss),
        gauge(
          'sync_event_loop_delay_seconds',
          'Worst delay of the event loop in the last second (what --busy-lag-ms compares).',
          this.eventLoopDelayMs() / 1000,
        ),
        this.updatesReceived.render(),
        this.updatesStored.render(),
        this.updatesRelayed.render(),
        this.updatesRefused.render(),
        this.authFailures.render(),
        this.closes.render(),
        this.awarenessRefused.render(),
        this.messageErrors.render(),
        this.compactions.render(),
        this.compactionEncodes.render(),
        this.compactionFolds.render(),
        this.answerTimeouts.render(),
        this.answerRetries.render(),
        this.answerDeadlines.render(),
        this.unloads.render(),
        this.persistLatency.render(),
      ].join('\n') + '\n'
    );
  }
}
