/**
 * Reconnect delays: exponential with random jitter, so that a few hundred laptops that lost the server at the same
 * moment (a restart, a power cut in the district office) do not all come back in the same second.
 */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 30_000;

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
