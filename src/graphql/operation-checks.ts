import { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { inputError } from './input-limits';
import { operationCost, overCost } from './query-cost';

/**
 * The checks that need the operation and its variables together, in one order for HTTP and
 * WebSocket alike: the inputs' caps and text hygiene first (cheap, and they keep oversized
 * values away from everything after), then the operation's cost. Answers the refusal, or the
 * estimated cost that the caller's budget is charged (0 when the variables are bad: execution
 * then refuses before any field runs).
 */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  maxCost: number,
): { error: GraphQLError } | { cost: number } {
  const input = inputError(schema, document, variables, operationName);
  if (input) return { error: input };
  const cost = operationCost(schema, document, variables, operationName) ?? 0;
  if (typeof cost !== 'number') return { error: cost };
  const over = overCost(cost, maxCost);
  return over ? { error: over } : { cost };
}
