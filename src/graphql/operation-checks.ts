import { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { inputError } from './input-limits';
import { costError } from './query-cost';

/**
 * The checks that need the operation and its variables together, in one order for HTTP and
 * WebSocket alike: the inputs' caps and text hygiene first (cheap, and they keep oversized
 * values away from everything after), then the operation's cost.
 */
export function operationError(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  maxCost: number,
): GraphQLError | undefined {
  return (
    inputError(schema, document, variables, operationName) ??
    costError(schema, document, variables, operationName, maxCost)
  );
}
