/** Narrowing for what arrives as JSON (response bodies, log lines, WebSocket messages). */
import type { GraphQLFormattedError } from 'graphql';

/** Whether a value is a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a JSON object, or throws saying what the text was instead. */
export function parseRecord(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (!isRecord(value)) throw new Error(`expected a JSON object, got ${text.slice(0, 200)}`);
  return value;
}

/** Whether a value is a list of GraphQL errors (as graphql-ws hands the server's errors to `error`). */
export function isErrorList(value: unknown): value is GraphQLFormattedError[] {
  return Array.isArray(value) && value.every((e) => isRecord(e) && typeof e.message === 'string');
}
