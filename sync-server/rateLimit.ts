/**
 * Per-token rate limits. Counted per token id, never per IP address: a whole community office sits behind one
 * address. A token bucket per key: `perMinute` tokens of capacity, refilled continuously.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one unit for `key`; false when the key has used up its minute. */
  take(key: string): boolean {
    const bucket = this.refill(key);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Whether `key` has anything left of its minute (a budget charged after the fact may run into debt). */
  hasCredit(key: string): boolean {
    return this.refill(key).tokens > 0;
  }

  /** Charges `units` to `key` even beyond what is left: the debt is paid back by the refill. */
  charge(key: string, units: number): void {
    this.refill(key).tokens -= units;
  }

  private refill(key: string): { tokens: number; at: number } {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: this.perMinute, at: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
      bucket.at = now;
    }
    return bucket;
  }

  /** Forgets buckets that are full again, so the map does not grow over months. */
  sweep(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000 >= this.perMinute) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
