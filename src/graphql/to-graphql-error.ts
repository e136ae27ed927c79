import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { ErrorCode, HTTP_STATUS } from './error-codes';
import type { Logger } from '../log/logger';

/** The client's code for a domain error: its own value (one enum from the domain to the client). */
export const codeOf = (code: DomainErrorCode): ErrorCode => code;

/** The HTTP status a refusal travels with, where the transport has one. */
export const httpStatusOf = (code: DomainErrorCode): number => HTTP_STATUS[code];

/** Turns a DomainError into a GraphQLError (used where errors are raised outside resolvers). */
export function toGraphQLError(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: {
      code: codeOf(error.code),
      ...(error.field ? { field: error.field } : {}),
      ...(error.existingIds ? { existingIds: error.existingIds } : {}),
      http: { status: httpStatusOf(error.code) },
    },
  });
}

// Codes whose messages are about the request, not the server: graphql-js's and Apollo's own, and
// every domain refusal (their messages are written for the client; made by the pipeline too, e.g.
// SERVICE_UNAVAILABLE when a key cannot be checked).
const REQUEST_CODES = new Set<string>([
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.BAD_REQUEST,
  ErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ErrorCode.OPERATION_RESOLUTION_FAILURE,
  ...Object.values(DomainErrorCode),
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

/**
 * What an error, or a wrapper of one, may say of itself: node-postgres's `code`, and the error it
 * wraps (TypeORM's driverError, the standard cause, GraphQLError's originalError, and graphql-js's
 * thrownValue for a thrown value that is not an Error of its own realm, NonErrorThrown).
 */
interface ErrorLink {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  originalError?: unknown;
  thrownValue?: unknown;
}

/** Whether an error means the database cannot be reached right now (worth a retry), not a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 4; depth++) {
    // A thrown primitive has none of these fields, and wraps nothing.
    if (typeof e !== 'object' && typeof e !== 'function') return false;
    const link: ErrorLink = e;
    if (typeof link.code === 'string' && UNAVAILABLE_CODES.has(link.code)) return true;
    if (UNAVAILABLE_MESSAGES.test(String(link.message))) return true;
    e = link.driverError ?? link.cause ?? link.originalError ?? link.thrownValue;
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
        extensions: {
          code: codeOf(original.code),
          ...(original.field ? { field: original.field } : {}),
          ...(original.existingIds ? { existingIds: original.existingIds } : {}),
        },
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
