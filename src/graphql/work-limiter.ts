/**
 * Per-caller concurrency for expensive work (ranking, team building, search, import): one API
 * key, or one address without a key, runs at most `concurrency` such fields at once; a few more
 * wait their turn, and the rest are refused at once. Without it, ten suggestion fields on one
 * key held the database pool and slowed everyone's cheap queries a hundredfold.
 */
import { defaultFieldResolver, GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { checkDeadline, collectWarnings, type Context } from './context';
import { WORK_COST } from './query-cost';
import { markWrapped } from './wrapped-fields';

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

/** A field's arguments as graphql-js hands them to its resolver (and WORK_COST prices them). */
type FieldArgs = Record<string, unknown>;

/**
 * Wraps every root field (Query, Mutation, and each Subscription's `subscribe`) as the
 * operation's entry: it waits for the operation's cost to be charged to its caller's budget
 * (and throws the refusal), and puts every field priced as work in WORK_COST under the caller's
 * share, checking the deadline once its turn comes. Root fields run once per operation, so this
 * costs a handful of calls whatever the operation's size.
 */
export function wrapEntryFields(schema: GraphQLSchema): void {
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const key = `${root!.name}.${field.name}`;
      const price = WORK_COST[key];
      if (field.subscribe) {
        const subscribe = field.subscribe;
        const start: GraphQLFieldResolver<unknown, Context, FieldArgs> = (source, args, ctx, info) =>
          ctx.admission
            ? admitted(ctx).then(() => subscribe(source, args, ctx, info))
            : subscribe(source, args, ctx, info);
        field.subscribe = markWrapped('entry', traced(key, start));
        continue;
      }
      const resolve: GraphQLFieldResolver<unknown, Context, FieldArgs> = field.resolve ?? defaultFieldResolver;
      const run: GraphQLFieldResolver<unknown, Context, FieldArgs> = (source, args, ctx, info) =>
        price?.(args)
          ? ctx.work.run(ctx.caller, field.name, async () => {
              checkDeadline(ctx);
              return resolve(source, args, ctx, info);
            })
          : resolve(source, args, ctx, info);
      const entry = traced(key, (source, args, ctx, info) =>
        ctx.admission ? admitted(ctx).then(() => run(source, args, ctx, info)) : run(source, args, ctx, info),
      );
      // A mutation's writes relay the outbox after they commit (the domain's unit of work); what
      // fails there is told to the client beside the result.
      field.resolve = markWrapped(
        'entry',
        root === schema.getMutationType()
          ? (source, args: FieldArgs, ctx: Context, info) => collectWarnings(ctx, () => entry(source, args, ctx, info))
          : entry,
      );
    }
  }
}

// A root field runs under a span of its own where the operation is traced.
const traced =
  (
    key: string,
    resolve: GraphQLFieldResolver<unknown, Context, FieldArgs>,
  ): GraphQLFieldResolver<unknown, Context, FieldArgs> =>
  (source, args, ctx, info) =>
    ctx.trace ? ctx.trace.field(key, args, () => resolve(source, args, ctx, info)) : resolve(source, args, ctx, info);

async function admitted(ctx: Context): Promise<void> {
  const refusal = await ctx.admission;
  if (refusal) throw refusal;
}
