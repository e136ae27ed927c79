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
  /**
   * A turn for long work that streams (a subscription's replay), in lanes apart from `run`'s so
   * a replay never blocks its caller's queries: at most `concurrency` per caller at once, the
   * rest wait (never refused: each waits for nothing but its turn, and gives it up on release).
   */
  hold(caller: string): { ready: Promise<void>; release(): void };
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

interface Lane {
  running: number;
  waiting: (() => void)[];
}

export function createWorkLimiter(options: WorkLimiterOptions): WorkLimiter {
  const queue = options.queue ?? 4 * options.concurrency;
  const lanes = new Map<string, Lane>();
  const laneOf = (key: string) => {
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = { running: 0, waiting: [] }));
    return lane;
  };
  const leave = (key: string, lane: Lane) => {
    lane.running--;
    const next = lane.waiting.shift();
    if (next) next();
    else if (lane.running === 0) lanes.delete(key);
  };
  return {
    async run(caller, what, work) {
      const s = laneOf(caller);
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
        leave(caller, s);
      }
    },

    hold(caller) {
      const key = `stream:${caller}`;
      const lane = laneOf(key);
      let state: 'waiting' | 'running' | 'done' = 'waiting';
      let wake!: () => void;
      const ready = new Promise<void>((resolve) => {
        wake = () => {
          if (state !== 'waiting') return;
          state = 'running';
          lane.running++;
          resolve();
        };
      });
      if (lane.running < options.concurrency) wake();
      else lane.waiting.push(wake);
      return {
        ready,
        release() {
          if (state === 'running') leave(key, lane);
          else if (state === 'waiting') {
            lane.waiting.splice(lane.waiting.indexOf(wake), 1);
            if (lane.running === 0 && lane.waiting.length === 0) lanes.delete(key);
          }
          state = 'done';
        },
      };
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
