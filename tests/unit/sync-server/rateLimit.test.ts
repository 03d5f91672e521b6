import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../sync-server/rateLimit';

describe('RateLimiter', () => {
  it('allows the per-minute budget, refuses the next, and refills over time', () => {
    let now = 0;
    const limiter = new RateLimiter(3, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    now += 20_000; // a third of a minute: one unit back
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
  });

  it('counts each key on its own', () => {
    const limiter = new RateLimiter(1, () => 0);
    expect(limiter.take('office-token')).toBe(true);
    expect(limiter.take('office-token')).toBe(false);
    expect(limiter.take('other-token')).toBe(true);
  });

  it('forgets keys whose bucket is full again', () => {
    let now = 0;
    const limiter = new RateLimiter(2, () => now);
    limiter.take('a');
    limiter.take('b');
    now = 15_000;
    limiter.take('b');
    now = 40_000; // a is full again (1 + 1.33 units), b is not (0.5 + 0.83)
    limiter.sweep();
    expect(limiter.size).toBe(1);
    expect(limiter.take('b') && limiter.take('b')).toBe(false);
    now = 120_000;
    limiter.sweep();
    expect(limiter.size).toBe(0);
  });
});
