import { ApolloServerErrorCode } from '@apollo/server/errors';
import { DomainErrorCode } from '../domain/errors';

/** The domain's codes keyed by their own text, so that `ErrorCode.NOT_FOUND` reads like Apollo's. */
type ByText<E extends string> = { readonly [K in E as `${K}`]: K };

const domainCodes = Object.fromEntries(Object.values(DomainErrorCode).map((c) => [c, c])) as ByText<DomainErrorCode>;

/**
 * Every `extensions.code` the API sends: Apollo's own (reused, not respelled) and the domain's.
 * There is one enum from the domain to the client: a {@link DomainErrorCode}'s value is the code
 * the client reads, so adding a domain error is one line there and one status below. Nothing else
 * in `src/` spells a code; a test greps for it.
 */
export const ErrorCode = { ...ApolloServerErrorCode, ...domainCodes } as const;

/** One of {@link ErrorCode}'s values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The HTTP status each domain refusal travels with, where the transport has one (a record over
 * the enum: a new code without a status does not compile).
 */
export const HTTP_STATUS: { readonly [K in DomainErrorCode]: number } = {
  // Raised while executing: GraphQL over HTTP answers 200 with the error in the body.
  [DomainErrorCode.BadUserInput]: 200,
  [DomainErrorCode.NotFound]: 200,
  [DomainErrorCode.Conflict]: 200,
  // Refused before anything runs, like a validation error.
  [DomainErrorCode.QueryTooCostly]: 400,
  [DomainErrorCode.QueryTooLong]: 400,
  [DomainErrorCode.Unauthenticated]: 401,
  [DomainErrorCode.Forbidden]: 403,
  [DomainErrorCode.RateLimited]: 429,
  [DomainErrorCode.SubscriptionsTooCostly]: 429,
  [DomainErrorCode.PayloadTooLarge]: 413,
  [DomainErrorCode.ServiceUnavailable]: 503,
  // The operation had its share of time; later, or smaller, it may fit.
  [DomainErrorCode.DeadlineExceeded]: 503,
};
