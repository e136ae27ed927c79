/**
 * What subscriptions may cost per event. A subscription is priced by the work one event makes
 * the server do for it (its selection under the cost model, query-cost.ts, the replay aside),
 * and held subscriptions are bounded by their priced total per connection, per API key or
 * address, and per instance. One over a bound is refused at subscribe, saying which bound; a
 * subscription gives its price back when it ends, however it ends.
 */
import { DocumentNode, GraphQLSchema } from 'graphql';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { fieldCost } from './query-cost';

/** Bounds on the priced total of held subscriptions. */
export interface SubscriptionBounds {
  /** On one WebSocket connection. */
  perConnection: number;
  /** Of one API key, or one address without a key, over all its connections. */
  perCaller: number;
  /** Of everyone on this instance. */
  perInstance: number;
}

// The root field is the stream: its own price (a replay page per missed event) is the cost
// check's; one event costs the selection under it.
const perEvent: ComplexityEstimator = (options) =>
  options.type.name === 'Subscription' ? 1 + options.childComplexity : fieldCost(options);

/** The work one event costs a subscription: its selection under the cost model. */
export function priceOfSubscription(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number {
  return getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName,
    estimators: [perEvent],
  });
}

/** A held price, given back once (a second release does nothing). */
export interface Hold {
  release(): void;
}

/** The bounds of one instance, with what is held against them. */
export interface SubscriptionBudget {
  /** Holds `price` for a new subscription of `caller` on `connection`, or refuses it. */
  hold(connection: object, caller: string, price: number): Hold;
  /** The priced total held on this instance (for tests and benchmarks). */
  readonly total: number;
}

export function createSubscriptionBudget(bounds: SubscriptionBounds): SubscriptionBudget {
  const byConnection = new WeakMap<object, number>();
  const byCaller = new Map<string, number>();
  let total = 0;
  const refuse = (where: string, bound: number, held: number, price: number) =>
    new DomainError(
      DomainErrorCode.SubscriptionsTooCostly,
      `This subscription costs ${price} per event; ${where} may hold subscriptions costing at most ${bound} ` +
        `per event and holds ${held}: end one, or select fewer fields and smaller lists`,
    );
  return {
    get total() {
      return total;
    },
    hold(connection, caller, price) {
      const onConnection = byConnection.get(connection) ?? 0;
      const ofCaller = byCaller.get(caller) ?? 0;
      if (onConnection + price > bounds.perConnection)
        throw refuse('one connection', bounds.perConnection, onConnection, price);
      if (ofCaller + price > bounds.perCaller)
        throw refuse('one API key or address', bounds.perCaller, ofCaller, price);
      if (total + price > bounds.perInstance) throw refuse('this server', bounds.perInstance, total, price);
      byConnection.set(connection, onConnection + price);
      byCaller.set(caller, ofCaller + price);
      total += price;
      let held = true;
      return {
        release() {
          if (!held) return;
          held = false;
          byConnection.set(connection, (byConnection.get(connection) ?? price) - price);
          const left = (byCaller.get(caller) ?? price) - price;
          if (left > 0) byCaller.set(caller, left);
          else byCaller.delete(caller);
          total -= price;
        },
      };
    },
  };
}
