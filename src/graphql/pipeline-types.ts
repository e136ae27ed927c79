/**
 * What the request pipeline (pipeline.ts) and the transports say to each other: what a transport
 * knows of a request, an operation as sent and as prepared, and a refusal, with the constructors
 * every step makes its refusals with.
 */
import { DocumentNode, GraphQLError } from 'graphql';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { ErrorCode } from './error-codes';
import { toGraphQLError } from './to-graphql-error';

/** What a transport knows of a request, besides the operation itself. */
export interface TransportFacts {
  /** `webhook`: a body built for an endpoint, as its key would read it (no request to admit). */
  transport: 'http' | 'websocket' | 'webhook';
  /** `Authorization` header, or the graphql-ws `connection_init` payload's. */
  authorization?: unknown;
  origin?: string;
  host?: string;
  /** The client's address (the proxy's `X-Forwarded-For` only with `TRUST_PROXY`). */
  address?: string;
  acceptLanguage?: string;
  /** HTTP method, where there is one: GET may only read. */
  method?: string;
}

/** An operation as a client sent it: nothing about it is trusted yet. */
export interface OperationParams {
  query: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** A refused request: what to tell the client, and how (for HTTP). */
export interface Refusal {
  errors: readonly GraphQLError[];
  /** The HTTP status the first error asks for. */
  status: number;
  headers: Record<string, string>;
}

/** An operation that passed every check. */
export interface PreparedOperation {
  document: DocumentNode;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}

/** A refusal for the given errors, with the first one's HTTP status. */
export function refusalOf(errors: readonly GraphQLError[], headers: Record<string, string> = {}): Refusal {
  const status = (errors[0]?.extensions.http as { status?: number } | undefined)?.status ?? 400;
  return { errors, status, headers };
}

/** Whether a step's answer is a refusal. */
export const isRefusal = (x: object): x is Refusal => 'errors' in x && 'status' in x;

/** A refusal for a domain error: its code, and the HTTP status the code maps to. */
export const refuse = (code: DomainErrorCode, message: string, headers: Record<string, string> = {}): Refusal =>
  refusalOf([toGraphQLError(new DomainError(code, message))], headers);

/** A refusal of the request itself (HTTP 400), placed in the query where `extra` says. */
export const requestError = (code: ErrorCode, message: string, extra: Partial<GraphQLError> = {}): Refusal =>
  refusalOf([
    new GraphQLError(message, {
      nodes: extra.nodes,
      source: extra.source,
      positions: extra.positions,
      extensions: { code, http: { status: 400 } },
    }),
  ]);
