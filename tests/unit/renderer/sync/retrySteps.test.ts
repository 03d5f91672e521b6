/**
 * One document's reconnect decisions (renderer/sync/backoff.ts `RetrySteps`), shared by `DocSync` and the cluster
 * bench's clients: the backoff's steps, a busy server's wait, and when the steps start again.
 */
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@shared/sync/protocol';
import {
  BACKOFF_MAX_MS,
  BUSY_RETRY_SPREAD_MS,
  ONLINE_SPREAD_MS,
  RetrySteps,
  SERVER_BACK_SPREAD_MS,
} from '../../../../renderer/sync/backoff';

/** The top of each jittered range: the step itself. */
const highest = () => 0.999_999;

describe('RetrySteps', () => {
  it('doubles its step from 500 ms up to 10 s, and starts again once synced', () => {
    const steps = new RetrySteps(highest);
    const waits = Array.from({ length: 8 }, () => steps.nextStep());
    expect(waits).toEqual([500, 1_000, 2_000, 4_000, 8_000, BACKOFF_MAX_MS, BACKOFF_MAX_MS, BACKOFF_MAX_MS]);
    expect(steps.synced()).toBe(true);
    expect(steps.synced()).toBe(false);
    expect(steps.nextStep()).toBe(500);
  });

  it("follows a busy server's wait instead of a step, and starts the steps again after it", () => {
    const steps = new RetrySteps(highest);
    for (let i = 0; i < 5; i++) steps.nextStep();
    const wait = steps.busyWait(CLOSE_CODES.SERVER_BUSY, 'server busy (documents loading); retry in 3 s');
    expect(wait).toBe(3_000 + BUSY_RETRY_SPREAD_MS);
    expect(steps.nextStep()).toBe(500);
    // Another close, or a busy close naming no wait: no wait of the server's, the steps go on.
    expect(steps.busyWait(1006, '')).toBeNull();
    expect(steps.busyWait(CLOSE_CODES.SERVER_BUSY, 'the server send queue is full')).toBeNull();
    expect(steps.nextStep()).toBe(1_000);
    // A synced document after a busy wait only: no failed attempt counted, no nudge for the others.
    const busyOnly = new RetrySteps(highest);
    busyOnly.busyWait(CLOSE_CODES.SERVER_BUSY, 'retry in 2 s');
    expect(busyOnly.synced()).toBe(false);
  });

  it('waits under a second when the server is back or the network returns, the steps starting again', () => {
    const steps = new RetrySteps(highest);
    for (let i = 0; i < 6; i++) steps.nextStep();
    expect(steps.serverBack()).toBeLessThanOrEqual(SERVER_BACK_SPREAD_MS);
    expect(steps.nextStep()).toBe(500);
    steps.nextStep();
    expect(steps.online()).toBeLessThanOrEqual(ONLINE_SPREAD_MS);
    expect(steps.nextStep()).toBe(500);
  });
});
