import {
  DocumentNode,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  GraphQLSchema,
  isListType,
  isLeafType,
} from 'graphql';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { LRUCache } from 'lru-cache';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { listBound } from './list-bounds';
import { REPLAY_PAGE } from '../subscriptions/replay';
import { toGraphQLError } from './to-graphql-error';

/**
 * Deliveries a resuming subscription is priced at: five replay pages. A longer replay is not
 * refused (a client gets everything it missed); it runs in its caller's turns (replay.ts).
 */
export const REPLAY_DELIVERIES = 5 * REPLAY_PAGE;

/** Items assumed for a list field missing from LIST_BOUNDS (the schema walk test keeps there being none). */
export const UNBOUNDED_LIST_SIZE = 1000;

/**
 * The server's own work behind a field, beyond the items it returns: ranking over the match
 * index, team building, trigram search, an import. Priced so that ten suggestion fields in one
 * document cost what they make the server do. A price may read whether a string argument is
 * empty, never what it says: prices are kept by that (operationCost's `priceShape`).
 */
export const WORK_COST: Record<string, (args: Record<string, unknown>) => number> = {
  // Ranking scores the whole match index whatever `first` is: calibrated by `npm run bench:cost`
  // (at 200 its CPU per cost point was 3× the other shapes', from scoring and reasons).
  'Query.suggestPartners': () => 600,
  'Query.suggestChallenges': () => 600,
  'Query.suggestTeam': () => 400,
  'Query.matchesSince': () => 50,
  'Query.expertise': (args) => (args.search ? 50 : 0),
  // A name search or a circle scans what no index narrows (two letters, a radius round the earth).
  'Query.stakeholders': (args) => {
    const filter = args.filter as { search?: unknown; near?: unknown } | null | undefined;
    return filter?.search || filter?.near ? 50 : 0;
  },
  'Mutation.importStakeholders': () => 2000,
};

/**
 * Cost of one field: 1, plus its work, plus its selection times the number of items it can
 * return. Lists count by LIST_BOUNDS: `first` (or `size`) when given, otherwise the field's
 * default page, or its maximum when it takes no `first` — so omitting `first` or sending null
 * never costs less than what comes back. A connection's `edges` are counted by its `first`.
 * Introspection is free.
 */
export const fieldCost: ComplexityEstimator = ({ type: parent, field, args, childComplexity }) => {
  // Introspection is bounded by the schema itself (and has its own switch), so it costs nothing here.
  if (field.name.startsWith('__') || parent.name.startsWith('__')) return 0;
  const work = WORK_COST[`${parent.name}.${field.name}`]?.(args) ?? 0;
  const bound = listBound(parent.name, field.name);
  const type = getNullableType(field.type);
  let items = 1;
  if (bound) {
    const asked = typeof args.first === 'number' ? args.first : undefined;
    items = asked === undefined ? (bound.page ?? bound.max) : Math.min(Math.max(1, asked), bound.max);
  } else if (parent.name === 'Subscription' && args.after) {
    // A resuming subscriber's selection runs once per missed event: priced as a page of replay.
    items = REPLAY_DELIVERIES;
  } else if (typeof args.size === 'number') {
    items = Math.max(1, args.size);
  } else if (isListType(type) && field.name !== 'edges' && !isLeafType(getNamedType(type))) {
    items = UNBOUNDED_LIST_SIZE;
  }
  return 1 + work + childComplexity * items;
};

/**
 * An operation's estimated cost, or the refusal when it selects too many fields to estimate.
 * Variables count (a `$first` of 100 costs ten times a `$first` of 10), so this runs once the
 * operation and its variables are known. `undefined` when the variables are bad: execution
 * reports those with a precise message.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number | GraphQLError | undefined {
  // An operation execution cannot pick, or variables it cannot coerce, are reported by execution
  // with a precise message; they are not priced here.
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  if (getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}).errors) return undefined;
  const shape = priceShape(variables);
  const memo = shape === undefined ? undefined : pricesOf(schema, document);
  const key = `${operationName ?? ''}|${shape}`;
  const known = memo?.get(key);
  if (known !== undefined) return known;
  const price = estimate(schema, document, variables, operationName);
  memo?.set(key, price);
  return price;
}

/**
 * What a price depends on of the variables: their JSON with each string reduced to whether it is
 * empty — the estimators read strings only so (a cursor given, a search asked), never what they
 * say. Two requests of one document whose variables differ only in ids and words cost the same,
 * and the second is not walked again. Undefined (not memoised) for variables too large to key.
 */
function priceShape(variables: Record<string, unknown> | undefined): string | undefined {
  const shape = JSON.stringify(variables ?? {}, (_, value: unknown) =>
    typeof value === 'string' ? (value === '' ? '' : 's') : value,
  );
  return shape.length <= 2000 ? shape : undefined;
}

/** Prices already estimated, per schema and document, by operation name and {@link priceShape}. */
const PRICES = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, LRUCache<string, number | GraphQLError>>>();

function pricesOf(schema: GraphQLSchema, document: DocumentNode): LRUCache<string, number | GraphQLError> {
  const bySchema = PRICES.get(schema) ?? new WeakMap<DocumentNode, LRUCache<string, number | GraphQLError>>();
  PRICES.set(schema, bySchema);
  let prices = bySchema.get(document);
  if (!prices) bySchema.set(document, (prices = new LRUCache<string, number | GraphQLError>({ max: 64 })));
  return prices;
}

/** The estimate itself: a walk of the document with the variables' values. */
function estimate(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number | GraphQLError {
  try {
    return getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      operationName,
      estimators: [fieldCost],
      maxQueryNodes: 10_000,
    });
  } catch (error) {
    if (error instanceof GraphQLError && /nodes/i.test(error.message)) {
      return toGraphQLError(
        new DomainError(DomainErrorCode.QueryTooCostly, 'The query selects too many fields (more than 10000 nodes)'),
      );
    }
    // Anything else means the price is unknown: an unpriced operation is refused, never run.
    const why = error instanceof GraphQLError ? error.message : 'an internal error';
    return toGraphQLError(
      new DomainError(
        DomainErrorCode.QueryTooCostly,
        `The query's cost could not be estimated (${why}); it is refused`,
      ),
    );
  }
}

/** The refusal of an operation whose estimated cost exceeds `maxCost`, before anything runs. */
export function costError(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  maxCost: number,
): GraphQLError | undefined {
  const cost = operationCost(schema, document, variables, operationName);
  if (cost === undefined || typeof cost !== 'number') return cost;
  return overCost(cost, maxCost);
}

/** The refusal of a cost over `maxCost`, if it is. */
export function overCost(cost: number, maxCost: number): GraphQLError | undefined {
  if (cost <= maxCost) return undefined;
  return toGraphQLError(
    new DomainError(
      DomainErrorCode.QueryTooCostly,
      `The query costs ${cost}, more than the limit of ${maxCost}: ask for fewer items (first) or fewer nested lists`,
    ),
  );
}

/**
 * Points of a caller's per-minute budget an operation of this cost takes: one per
 * `costPerPoint` of estimated cost, at least one. Budgets so count work, not requests.
 */
export function budgetPoints(cost: number, costPerPoint: number): number {
  return Math.max(1, Math.ceil(cost / costPerPoint));
}
