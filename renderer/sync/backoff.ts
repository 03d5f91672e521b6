/**
 * Reconnect delays: exponential with random jitter, so that a few hundred laptops that lost the server at the same
 * moment (a restart, a power cut in the district office) do not all come back in the same second.
 */
import { CLOSE_CODES } from '@shared/sync/protocol';

export const BACKOFF_BASE_MS = 500;
/**
 * The longest step: 10 s (was 30). After a restart of 20-30 s the steps of 30 s kept a tenth of 1,000 devices out of
 * date 37-50 s after the servers listened again (docs/bench-cluster.md, "The storm and the server's retry hint"). A
 * server that is up but overloaded paces the devices itself (4529 and its wait, `busyRetryDelay`); one that is down
 * costs a refused TCP connection per attempt.
 */
export const BACKOFF_MAX_MS = 10_000;

/**
 * Delay before reconnect attempt `attempt` (0 for the first retry): the exponential step, capped, then spread over
 * its upper half at random ("equal jitter": never sooner than half the step, so a storm cannot re-form).
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, baseMs = BACKOFF_BASE_MS): number {
  const step = Math.min(BACKOFF_MAX_MS, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(step / 2 + (step / 2) * random());
}

/**
 * Spread of the first reconnect after the OS reports the network back. The backoff's first step (250-500 ms) was
 * most of a reconnect's time; a 0-100 ms spread still keeps a whole office that comes back at once from arriving in
 * the same millisecond, and any failure after that goes on with the backoff above.
 */
export const ONLINE_SPREAD_MS = 100;

export function onlineDelay(random: () => number = Math.random): number {
  return Math.round(ONLINE_SPREAD_MS * random());
}

/** The longest wait a busy server's hint is followed for (a hint beyond it is a server's mistake). */
export const BUSY_RETRY_MAX_MS = 60_000;
/** Spread added to a busy server's hint: the server spreads its hints over whole seconds. */
export const BUSY_RETRY_SPREAD_MS = 1_000;

/**
 * The wait a busy server asks for when it refuses a connection (close code 4529, reason `server busy (<why>); retry
 * in <N> s`: sync-server/upgrade.ts, docs/sync-server.md "Close codes"), with up to a second's spread; `null` when the
 * reason names no wait. Followed instead of the backoff: a device whose steps grew to 8-16 s while the servers were
 * down, refused once as they came back, waited 16-32 s more though the server asked for 2-10 (docs/bench-cluster.md,
 * "The storm and the server's retry hint").
 */
export function busyRetryDelay(reason: string, random: () => number = Math.random): number | null {
  const match = /retry in (\d+) s/.exec(reason);
  if (match === null) return null;
  const hinted = Math.min(BUSY_RETRY_MAX_MS, Number(match[1]) * 1000);
  return Math.round(hinted + BUSY_RETRY_SPREAD_MS * random());
}

/**
 * Spread of the retries of a device's other documents once one of them has synced again: the server is back, and
 * their backoff steps (grown to 8-30 s while it was down, each document on its own) would keep the device out of date
 * that much longer (docs/bench-cluster.md, "The storm and the server's retry hint").
 */
export const SERVER_BACK_SPREAD_MS = 1_000;

export function serverBackDelay(random: () => number = Math.random): number {
  return Math.round(SERVER_BACK_SPREAD_MS * random());
}

/**
 * One document's reconnect decisions without the timers (docs/sync-client.md): which wait follows a close, and when
 * the backoff starts again from its first step. `DocSync` keeps its timer with it; the cluster bench's stock clients
 * use the same (tests/bench/cluster/client.ts), so that they retry as the app does and cannot drift from it.
 */
export class RetrySteps {
  private attempt = 0;

  constructor(
    private readonly random: () => number = Math.random,
    private readonly baseMs: number = BACKOFF_BASE_MS,
  ) {}

  /**
   * The wait a busy server named when it closed (4529, `retry in N s`), the backoff then starting again from its
   * first step (a server gone after this is a new outage); `null` for any other close.
   */
  busyWait(code: number, reason: string): number | null {
    const wait = code === CLOSE_CODES.SERVER_BUSY ? busyRetryDelay(reason, this.random) : null;
    if (wait !== null) this.attempt = 0;
    return wait;
  }

  /** The next step of the backoff. */
  nextStep(): number {
    return backoffDelay(this.attempt++, this.random, this.baseMs);
  }

  /** The document synced: true when attempts had failed before it (the server is back). The steps start again. */
  synced(): boolean {
    const back = this.attempt > 0;
    this.attempt = 0;
    return back;
  }

  /** Another document of the server synced after failing: the wait that replaces a backoff step now running. */
  serverBack(): number {
    this.attempt = 0;
    return serverBackDelay(this.random);
  }

  /** The OS reports the network back. */
  online(): number {
    this.attempt = 0;
    return onlineDelay(this.random);
  }
}
