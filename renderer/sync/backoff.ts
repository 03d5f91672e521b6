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
