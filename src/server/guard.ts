import { GraphQLError } from 'graphql';
import { IncomingMessage } from 'node:http';
import { DataSource } from 'typeorm';
import { ServiceLimits } from '../config';
import { Viewer } from '../domain/access/role';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { toGraphQLError } from '../graphql/to-graphql-error';
import { createRateLimiter } from './rate-limit';
import { createWorkLimiter, WorkLimiter } from '../graphql/work-limiter';

/** The checks every request passes before GraphQL sees it, over HTTP and WebSocket alike. */
export interface Guard {
  limits: ServiceLimits;
  /**
   * Refuses a browser `Origin` that is neither this service's own nor in the key's
   * `allowedOrigins`. Requests without `Origin` (servers, scripts, curl) are not browsers' and pass.
   */
  checkOrigin(origin: string | undefined, host: string | undefined, viewer: Viewer): GraphQLError | undefined;
  /** Whether any live key allows this origin (CORS preflights carry no key). */
  anyKeyAllows(origin: string, host: string | undefined): Promise<boolean>;
  /** Takes one request from the caller's budget: the key's, or the address's for public reads. */
  checkRate(
    viewer: Viewer,
    address: string | undefined,
  ): { error: GraphQLError; retryAfterSeconds: number } | undefined;
  checkLength(query: unknown): GraphQLError | undefined;
  /** The client's address: the socket's, or the proxy's `X-Forwarded-For` when trusted. */
  addressOf(req: IncomingMessage): string | undefined;
  /** Each caller's share of expensive work (see `expensiveConcurrency`). */
  work: WorkLimiter;
}

const refuse = (code: DomainErrorCode, message: string) => toGraphQLError(new DomainError(code, message));

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether an Origin header names this very service (the IDE, the example page): an origin of
 * `ALLOWED_ORIGINS`, or one whose host equals `Host` — for loopback hosts always, for others
 * only with `SAME_ORIGIN_BY_HOST` (Host equality alone is what a DNS-rebinding page achieves).
 */
export function isOwnOrigin(
  origin: string,
  host: string | undefined,
  config: Pick<ServiceLimits, 'allowedOrigins' | 'sameOriginByHost'> = { allowedOrigins: [], sameOriginByHost: false },
): boolean {
  if (config.allowedOrigins.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return host !== undefined && url.host === host && (config.sameOriginByHost || LOOPBACK.has(url.hostname));
  } catch {
    return false;
  }
}

export function createGuard(dataSource: DataSource, limits: ServiceLimits): Guard {
  const keyed = createRateLimiter({ perMinute: limits.keyRequestsPerMinute });
  const anonymous = createRateLimiter({ perMinute: limits.publicRequestsPerMinute });
  return {
    limits,
    work: createWorkLimiter({ concurrency: limits.expensiveConcurrency }),
    checkOrigin(origin, host, viewer) {
      if (!origin || isOwnOrigin(origin, host, limits) || viewer.allowedOrigins.includes(origin)) return undefined;
      const who = viewer.role === 'PUBLIC' ? 'without an API key' : 'with this API key (see its allowedOrigins)';
      return refuse(DomainErrorCode.Forbidden, `Origin ${origin} may not call this service ${who}`);
    },
    async anyKeyAllows(origin, host) {
      if (isOwnOrigin(origin, host, limits)) return true;
      const rows: unknown[] = await dataSource.query(
        'SELECT 1 FROM api_key WHERE $1 = ANY(allowed_origins) AND revoked_at IS NULL LIMIT 1',
        [origin],
      );
      return rows.length > 0;
    },
    checkRate(viewer, address) {
      const result = viewer.keyId ? keyed.take(viewer.keyId) : anonymous.take(address ?? 'unknown');
      if (result.ok) return undefined;
      const limit = viewer.keyId
        ? `${limits.keyRequestsPerMinute} per minute per API key`
        : `${limits.publicRequestsPerMinute} per minute per address without a key`;
      return {
        error: refuse(
          DomainErrorCode.RateLimited,
          `Too many requests: the limit is ${limit}; retry in ${result.retryAfterSeconds} s`,
        ),
        retryAfterSeconds: result.retryAfterSeconds,
      };
    },
    addressOf(req) {
      const forwarded = limits.trustProxy ? req.headers['x-forwarded-for'] : undefined;
      const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0].trim();
      return first || req.socket.remoteAddress;
    },
    checkLength(query) {
      if (typeof query !== 'string' || query.length <= limits.maxQueryLength) return undefined;
      return refuse(
        DomainErrorCode.QueryTooLong,
        `The query is ${query.length} characters long; the limit is ${limits.maxQueryLength}`,
      );
    },
  };
}
