/** Every way a request can fail on purpose; each maps to one `extensions.code`. */
export enum DomainErrorCode {
  BadUserInput = 'BAD_USER_INPUT',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  /** Too many requests from one key or address; retry after the time given. */
  RateLimited = 'RATE_LIMITED',
  /** The operation would cost more than the limit (lists times `first`, nesting). */
  QueryTooCostly = 'QUERY_TOO_COSTLY',
  /**
   * The subscription would take its connection, its key or address, or this instance past the
   * work its subscriptions may cost per event (each priced by the cost model).
   */
  SubscriptionsTooCostly = 'SUBSCRIPTIONS_TOO_COSTLY',
  /** The document is longer than the limit. */
  QueryTooLong = 'QUERY_TOO_LONG',
  /** The request body is larger than the limit. */
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  /** A part of the service is not ready yet (the match index loading); worth a retry. */
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  /** The operation ran past its execution deadline and stopped; ask for less, or retry later. */
  DeadlineExceeded = 'DEADLINE_EXCEEDED',
}

/** A failure the client caused and can fix; its message is safe to show. */
export class DomainError extends Error {
  override name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The input path the error is about, e.g. `input.sdgs[2]`. */
    readonly field?: string,
    /** Stored rows the refusal is about (a likely duplicate's), sent as `extensions.existingIds`. */
    readonly existingIds?: readonly string[],
  ) {
    super(message);
  }
}

/** Shorthand for a {@link DomainErrorCode.BadUserInput} error about one field. */
export function badInput(field: string, message: string): DomainError {
  return new DomainError(DomainErrorCode.BadUserInput, `${field} ${message}`, field);
}

/** Shorthand for a {@link DomainErrorCode.NotFound} error. */
export function notFound(what: string, id: string, field?: string): DomainError {
  return new DomainError(DomainErrorCode.NotFound, `${what} "${id}" was not found`, field);
}

/** Raised by exhaustive switches when a value the type system ruled out arrives anyway. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${JSON.stringify(value)}`);
  }
}
