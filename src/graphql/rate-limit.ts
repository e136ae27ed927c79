/**
 * Request budgets per caller (an API key, or an address without one), on rate-limiter-flexible:
 * in this process's memory, or in Redis when one is given, so that every instance draws on one
 * budget. A Redis that fails falls back to memory (an "insurance" limiter) rather than refusing
 * everyone or letting everyone through.
 */
import type Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** Options for {@link createRateLimiter}. */
export interface RateLimitOptions {
  /** Points allowed per minute (a fixed one-minute window per caller); a request takes one or more. */
  perMinute: number;
  /** Keeps one limiter's callers apart from another's in a shared store. */
  name: string;
  /**
   * A shared store for all instances.
   * @default undefined (this process's memory)
   */
  redis?: Redis;
}

/** Takes requests from callers' budgets. */
export interface RateLimiter {
  /**
   * Takes `points` (default one) from the caller's budget; when the budget is spent, says in how
   * many seconds the window resets. Points taken by a refused request stay taken.
   */
  take(caller: string, points?: number): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }>;
  /** Whether the caller's budget is spent, without taking from it (for checks before costly work). */
  spent(caller: string): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }>;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const common = { points: options.perMinute, duration: 60, keyPrefix: `osm-rate-${options.name}` };
  const memory = new RateLimiterMemory(common);
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({ ...common, storeClient: options.redis, insuranceLimiter: memory })
    : memory;
  const retryAfter = (state: RateLimiterRes) => Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  return {
    async spent(caller) {
      let state: RateLimiterRes | null;
      try {
        state = await limiter.get(caller);
      } catch {
        // The store is away: the take that follows a failure still counts (in the insurance limiter).
        return { ok: true };
      }
      return state && state.consumedPoints >= options.perMinute
        ? { ok: false, retryAfterSeconds: retryAfter(state) }
        : { ok: true };
    },
    async take(caller, points = 1) {
      try {
        await limiter.consume(caller, points);
        return { ok: true };
      } catch (refusal) {
        // consume() rejects with the caller's state when the budget is spent, and with an Error
        // only if the store failed and the insurance limiter too: not the caller's fault.
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        return { ok: false, retryAfterSeconds: retryAfter(refusal) };
      }
    },
  };
}
