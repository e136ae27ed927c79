/** Options for {@link createRateLimiter}. */
export interface RateLimitOptions {
  /** Requests allowed per minute, also the largest burst. */
  perMinute: number;
  /**
   * Most callers tracked at once; the fullest buckets are dropped first beyond it.
   * @default 100000
   */
  maxCallers?: number;
  /** Clock in ms; tests pass their own. */
  now?: () => number;
}

/** A token bucket per caller: `perMinute` tokens, refilled continuously. */
export interface RateLimiter {
  /** Takes one token; when none is left, says in how many seconds one will be. */
  take(caller: string): { ok: true } | { ok: false; retryAfterSeconds: number };
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const max = options.maxCallers ?? 100_000;
  const perMs = options.perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const sweep = () => {
    // Buckets that have refilled completely carry no information: forget them.
    const t = now();
    for (const [k, b] of buckets) if (b.tokens + (t - b.at) * perMs >= options.perMinute) buckets.delete(k);
  };
  return {
    take(caller) {
      const t = now();
      let b = buckets.get(caller);
      if (!b) {
        if (buckets.size >= max) sweep();
        b = { tokens: options.perMinute, at: t };
        buckets.set(caller, b);
      }
      b.tokens = Math.min(options.perMinute, b.tokens + (t - b.at) * perMs);
      b.at = t;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
    },
  };
}
