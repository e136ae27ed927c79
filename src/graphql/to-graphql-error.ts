import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainError, DomainErrorCode, UnreachableCaseError } from '../domain/errors';
import { ErrorCode } from './error-codes';
import type { Logger } from '../log/logger';

/** The one mapping from domain errors to GraphQL error codes. */
export function codeOf(code: DomainErrorCode): ErrorCode {
  switch (code) {
    case DomainErrorCode.BadUserInput:
      return ErrorCode.BAD_USER_INPUT;
    case DomainErrorCode.NotFound:
      return ErrorCode.NOT_FOUND;
    case DomainErrorCode.Conflict:
      return ErrorCode.CONFLICT;
    case DomainErrorCode.Unauthenticated:
      return ErrorCode.UNAUTHENTICATED;
    case DomainErrorCode.Forbidden:
      return ErrorCode.FORBIDDEN;
    case DomainErrorCode.RateLimited:
      return ErrorCode.RATE_LIMITED;
    case DomainErrorCode.QueryTooCostly:
      return ErrorCode.QUERY_TOO_COSTLY;
    case DomainErrorCode.SubscriptionsTooCostly:
      return ErrorCode.SUBSCRIPTIONS_TOO_COSTLY;
    case DomainErrorCode.QueryTooLong:
      return ErrorCode.QUERY_TOO_LONG;
    case DomainErrorCode.PayloadTooLarge:
      return ErrorCode.PAYLOAD_TOO_LARGE;
    case DomainErrorCode.ServiceUnavailable:
      return ErrorCode.SERVICE_UNAVAILABLE;
    case DomainErrorCode.DeadlineExceeded:
      return ErrorCode.DEADLINE_EXCEEDED;
    default:
      throw new UnreachableCaseError(code);
  }
}

/** The HTTP status a refusal travels with, where the transport has one. */
export function httpStatusOf(code: DomainErrorCode): number {
  switch (code) {
    case DomainErrorCode.BadUserInput:
    case DomainErrorCode.NotFound:
    case DomainErrorCode.Conflict:
      // Raised while executing: GraphQL over HTTP answers 200 with the error in the body.
      return 200;
    case DomainErrorCode.QueryTooCostly:
    case DomainErrorCode.QueryTooLong:
      // Refused before anything runs, like a validation error.
      return 400;
    case DomainErrorCode.Unauthenticated:
      return 401;
    case DomainErrorCode.Forbidden:
      return 403;
    case DomainErrorCode.RateLimited:
    case DomainErrorCode.SubscriptionsTooCostly:
      return 429;
    case DomainErrorCode.PayloadTooLarge:
      return 413;
    // A deadline: the server gave the operation its share of time; later, or smaller, it may fit.
    case DomainErrorCode.ServiceUnavailable:
    case DomainErrorCode.DeadlineExceeded:
      return 503;
    default:
      throw new UnreachableCaseError(code);
  }
}

/** Turns a DomainError into a GraphQLError (used where errors are raised outside resolvers). */
export function toGraphQLError(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: {
      code: codeOf(error.code),
      ...(error.field ? { field: error.field } : {}),
      http: { status: httpStatusOf(error.code) },
    },
  });
}

// Codes raised by graphql-js and Apollo themselves; their messages are about the request, not the server.
const REQUEST_CODES = new Set<string>([
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.BAD_REQUEST,
  ErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ErrorCode.OPERATION_RESOLUTION_FAILURE,
  ErrorCode.NOT_FOUND,
  ErrorCode.CONFLICT,
  // Raised while building the context (a bad API key), before any resolver runs.
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.RATE_LIMITED,
  ErrorCode.QUERY_TOO_COSTLY,
  ErrorCode.SUBSCRIPTIONS_TOO_COSTLY,
  ErrorCode.QUERY_TOO_LONG,
  ErrorCode.PAYLOAD_TOO_LARGE,
  // Made by the pipeline when a key cannot be checked; its message is ours.
  ErrorCode.SERVICE_UNAVAILABLE,
  ErrorCode.DEADLINE_EXCEEDED,
]);

// Connection-level failures of node-postgres and PostgreSQL (class 08, admin shutdown 57P0x).
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);
// node-postgres's own wording for lost or unusable connections, and TypeORM's when a transaction's
// connection died under it (its rollback then fails, hiding the connection error underneath).
const UNAVAILABLE_MESSAGES = new RegExp(
  [
    'Connection terminated',
    'timeout exceeded when trying to connect',
    'connect ECONNREFUSED',
    'is not queryable',
    'Query read timeout',
    'the database system is (starting up|shutting down|in recovery mode)',
    'Query runner already released',
    'query runner was already released',
    'Transaction is not started yet',
  ].join('|'),
  'i',
);

/** What a client is told while the database cannot be reached: worth a retry. */
export const UNAVAILABLE: GraphQLFormattedError = {
  message: 'The database is unavailable right now; retry shortly',
  extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
};

/** Whether an error means the database cannot be reached right now (worth a retry), not a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  // thrownValue: graphql-js wraps a thrown value that is not an Error of its own realm (NonErrorThrown).
  for (
    let e: any = error, depth = 0;
    e && depth < 4;
    e = e.driverError ?? e.cause ?? e.originalError ?? e.thrownValue, depth++
  ) {
    if (UNAVAILABLE_CODES.has(e.code) || UNAVAILABLE_MESSAGES.test(String(e.message))) return true;
  }
  return false;
}

/**
 * A message without graphql-js's "Did you mean …?" hints: where introspection is off, they would
 * spell the schema out (field, type and enum names) to whoever guesses near them.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean [^?]*\?/g, '');
}

/**
 * Apollo's `formatError`: domain errors keep their code and message; request errors keep theirs;
 * a database that cannot be reached is SERVICE_UNAVAILABLE (retry, with an idempotency key where
 * there is one); everything else is logged and replaced by a bare INTERNAL_SERVER_ERROR, so
 * neither SQL nor stack traces reach a client.
 */
export function createFormatError(log: Logger, options: { suggestions: boolean } = { suggestions: true }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { locations: formatted.locations, path: formatted.path };
    if (original instanceof DomainError) {
      return {
        ...base,
        message: original.message,
        extensions: { code: codeOf(original.code), ...(original.field ? { field: original.field } : {}) },
      };
    }
    const code = formatted.extensions?.code;
    if (
      typeof code === 'string' &&
      REQUEST_CODES.has(code) &&
      !(original instanceof Error && !(original instanceof GraphQLError))
    ) {
      const { stacktrace: _drop, http: _http, ...extensions } = formatted.extensions ?? {};
      const message = options.suggestions ? formatted.message : withoutSuggestions(formatted.message);
      return { ...base, message, extensions };
    }
    if (isDatabaseUnavailable(original)) {
      log.warn('database unavailable', {
        error: original instanceof Error ? original.message : String(original),
        path: formatted.path,
      });
      return { ...base, ...UNAVAILABLE };
    }
    log.error('internal error', {
      error:
        original instanceof Error
          ? { name: original.name, message: original.message, stack: original.stack }
          : String(original),
      path: formatted.path,
    });
    return { ...base, message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
