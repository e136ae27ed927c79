import { DocumentNode, getNamedType, getNullableType, GraphQLError, GraphQLSchema, isListType, isLeafType } from 'graphql';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { toGraphQLError } from './to-graphql-error';

/** How many items a list without `first` is assumed to hold (hubs of a stakeholder, SDGs…). */
export const UNPAGED_LIST_SIZE = 10;

/**
 * Cost of one field: 1, plus its selection times the number of items it can return. Paged
 * fields count `first` (or `size` for teams), including their defaults; a connection's `edges`
 * are already counted by that `first`; other lists count {@link UNPAGED_LIST_SIZE}. Introspection
 * is free.
 */
export const fieldCost: ComplexityEstimator = ({ type: parent, field, args, childComplexity }) => {
  // Introspection is bounded by the schema itself (and has its own switch), so it costs nothing here.
  if (field.name.startsWith('__') || parent.name.startsWith('__')) return 0;
  const paged = typeof args.first === 'number' ? args.first : typeof args.size === 'number' ? args.size : undefined;
  const type = getNullableType(field.type);
  let items = 1;
  if (paged !== undefined) items = Math.max(1, paged);
  else if (isListType(type) && field.name !== 'edges' && !isLeafType(getNamedType(type))) items = UNPAGED_LIST_SIZE;
  return 1 + childComplexity * items;
};

/**
 * Refuses an operation whose estimated cost exceeds `maxCost`, before anything runs. Variables
 * count (a `$first` of 100 costs ten times a `$first` of 10), so this runs once the operation
 * and its variables are known: in Apollo's didResolveOperation and in graphql-ws's onSubscribe.
 */
export function costError(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  maxCost: number,
): GraphQLError | undefined {
  let cost: number;
  try {
    cost = getComplexity({ schema, query: document, variables: variables ?? {}, operationName, estimators: [fieldCost], maxQueryNodes: 10_000 });
  } catch (error) {
    // Bad variables are reported by execution with a precise message; too many nodes is a cost.
    if (error instanceof GraphQLError && /nodes/i.test(error.message)) {
      return toGraphQLError(new DomainError(DomainErrorCode.QueryTooCostly, 'The query selects too many fields (more than 10000 nodes)'));
    }
    return undefined;
  }
  if (cost <= maxCost) return undefined;
  return toGraphQLError(
    new DomainError(DomainErrorCode.QueryTooCostly, `The query costs ${cost}, more than the limit of ${maxCost}: ask for fewer items (first) or fewer nested lists`),
  );
}
