import { afterEach, describe, expect, it } from 'vitest';
import { Metrics, STALL_LOG_MS } from '../../../sync-server/metrics';

describe('Metrics: event-loop stalls', () => {
  let metrics: Metrics | null = null;
  afterEach(() => {
    metrics?.stop();
    metrics = null;
  });

  it('reports a second in which the event loop was blocked for longer than STALL_LOG_MS', async () => {
    metrics = new Metrics();
    const stalls: number[] = [];
    metrics.onStall = (ms) => void stalls.push(ms);
    // Let the monitor take a few samples, then block the loop.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const end = Date.now() + STALL_LOG_MS + 200;
    while (Date.now() < end);
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect(stalls.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...stalls)).toBeGreaterThanOrEqual(STALL_LOG_MS + 100);
  });
});
