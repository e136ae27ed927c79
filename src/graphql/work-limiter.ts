/**
 * Per-caller concurrency for expensive work (ranking, team building, search, import): one API
 * key, or one address without a key, runs at most `concurrency` such fields at once; a few more
 * wait their turn, and the rest are refused at once. Without it, ten suggestion fields on one
 * key held the database pool and slowed everyone's cheap queries a hundredfold.
 */
import { MiddlewareFn } from 'type-graphql';
import { DomainError, DomainErrorCode } from '../domain/errors';
import type { Context } from './context';
import { WORK_COST } from './query-cost';

/** Runs expensive work within each caller's share. */
export interface WorkLimiter {
  run<T>(caller: string, what: string, work: () => Promise<T>): Promise<T>;
}

/** Options for {@link createWorkLimiter}. */
export interface WorkLimiterOptions {
  /** Expensive fields one caller runs at once. */
  concurrency: number;
  /**
   * Further ones that may wait for a turn; beyond them a request is refused with RATE_LIMITED.
   * @default 4 × concurrency
   */
  queue?: number;
}

export function createWorkLimiter(options: WorkLimiterOptions): WorkLimiter {
  const queue = options.queue ?? 4 * options.concurrency;
  const callers = new Map<string, { running: number; waiting: (() => void)[] }>();
  return {
    async run(caller, what, work) {
      let slot = callers.get(caller);
      if (!slot) callers.set(caller, (slot = { running: 0, waiting: [] }));
      const s = slot;
      if (s.running >= options.concurrency) {
        if (s.waiting.length >= queue) {
          throw new DomainError(
            DomainErrorCode.RateLimited,
            `${what}: at most ${options.concurrency} expensive operations run at once per API key or address, ` +
              `and ${queue} wait; try again when earlier ones have answered`,
          );
        }
        await new Promise<void>((resolve) => s.waiting.push(resolve));
      }
      s.running++;
      try {
        return await work();
      } finally {
        s.running--;
        const next = s.waiting.shift();
        if (next) next();
        else if (s.running === 0) callers.delete(caller);
      }
    },
  };
}

/** Puts every field priced as work in WORK_COST under the caller's share. */
export const WorkLimitMiddleware: MiddlewareFn<Context> = ({ info, args, context }, next) => {
  // Only root fields are priced as work; every other field passes with one comparison.
  if (info.path.prev !== undefined) return next();
  const price = WORK_COST[`${info.parentType.name}.${info.fieldName}`]?.(args);
  if (!price) return next();
  return context.work.run(context.caller, info.fieldName, next);
};
