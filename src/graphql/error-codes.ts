import { ApolloServerErrorCode } from '@apollo/server/errors';

/**
 * Every `extensions.code` the API sends, in one place: Apollo's own codes (reused, not
 * respelled) and ours. Nothing else in `src/` spells a code; a test greps for it.
 */
export const ErrorCode = {
  ...ApolloServerErrorCode,
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  QUERY_TOO_COSTLY: 'QUERY_TOO_COSTLY',
  SUBSCRIPTIONS_TOO_COSTLY: 'SUBSCRIPTIONS_TOO_COSTLY',
  QUERY_TOO_LONG: 'QUERY_TOO_LONG',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
} as const;

/** One of {@link ErrorCode}'s values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
