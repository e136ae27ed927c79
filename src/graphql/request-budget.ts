/**
 * The pipeline's budget (pipeline.ts): step 3 takes one point of the caller's budget for every
 * operation (per key; per address without one or with a publishable key), step 11 the rest of
 * the operation's cost while execution starts.
 */
import type Redis from 'ioredis';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ServiceLimits } from '../config';
import { budgetOf, Role, Viewer } from '../domain/access/role';
import { DomainErrorCode } from '../domain/errors';
import { ErrorCode } from './error-codes';
import { Refusal, refuse, TransportFacts } from './pipeline-types';
import { budgetPoints } from './query-cost';
import { createRateLimiter } from './rate-limit';

/** Options for {@link createRequestBudget}. */
export interface RequestBudgetOptions {
  limits: ServiceLimits;
  /**
   * Request budgets shared by all instances.
   * @default undefined (each instance counts alone, in memory)
   */
  redis?: Redis;
}

/** Every caller's budget of points per minute. */
export interface RequestBudget {
  /** Step 3: one point, or the refusal (RATE_LIMITED, with retry-after). */
  meter(viewer: Viewer, facts: TransportFacts): Promise<Refusal | undefined>;
  /**
   * Step 11: the points an operation of this cost takes beyond meter's one; nothing to wait for
   * when there are none. Settles with the refusal instead of rejecting, so that an operation whose
   * root fields never run (introspection alone) leaves nothing unhandled.
   */
  charge(viewer: Viewer, facts: TransportFacts, cost: number): Promise<Error | undefined> | undefined;
}

/** Steps 3 and 11 of the pipeline, bound to one server's limits. */
export function createRequestBudget(options: RequestBudgetOptions): RequestBudget {
  const { limits } = options;
  const keyed = createRateLimiter({ perMinute: limits.keyRequestsPerMinute, name: 'key', redis: options.redis });
  const anonymous = createRateLimiter({ perMinute: limits.publicRequestsPerMinute, name: 'ip', redis: options.redis });
  // A publishable key draws on its address's budget, as a keyless caller does (role.ts budgetOf).
  const byKey = (viewer: Viewer, facts: TransportFacts) => budgetOf(viewer, facts.address) === viewer.keyId;
  const budgetText = (viewer: Viewer, facts: TransportFacts) =>
    byKey(viewer, facts)
      ? `${limits.keyRequestsPerMinute} points per minute per API key`
      : `${limits.publicRequestsPerMinute} points per minute per address ` +
        (viewer.role === Role.PUBLISHABLE ? 'for a publishable key, as without a key' : 'without a key');
  const take = (viewer: Viewer, facts: TransportFacts, points?: number) =>
    byKey(viewer, facts) ? keyed.take(viewer.keyId!, points) : anonymous.take(facts.address ?? 'unknown', points);
  const budgetRule = `an operation takes one point per ${limits.costPerPoint} of its estimated cost, at least one`;

  return {
    async meter(viewer, facts) {
      const result = await take(viewer, facts);
      if (result.ok) return undefined;
      return refuse(
        DomainErrorCode.RateLimited,
        `Too many requests: the budget is ${budgetText(viewer, facts)} (${budgetRule}); ` +
          `retry in ${result.retryAfterSeconds} s`,
        { 'retry-after': String(result.retryAfterSeconds) },
      );
    },

    charge(viewer, facts, cost) {
      const points = budgetPoints(cost, limits.costPerPoint);
      if (points <= 1) return undefined;
      const taking = take(viewer, facts, points - 1);
      return taking.then(
        (result) => {
          if (result.ok) return undefined;
          const retry = String(result.retryAfterSeconds);
          return new GraphQLError(
            `Too many requests: this operation costs ${cost} (${points} points) and the budget is ` +
              `${budgetText(viewer, facts)} (${budgetRule}); retry in ${retry} s`,
            {
              extensions: {
                code: ErrorCode.RATE_LIMITED,
                http: { status: 429, headers: new HeaderMap([['retry-after', retry]]) },
              },
            },
          );
        },
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      );
    },
  };
}
