import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { hashSecret, viewerOfSecret } from '../domain/access/api-key.service';
import { BOOTSTRAP_ADMIN, PUBLIC_VIEWER, Viewer } from '../domain/access/role';
import { ErrorCode } from './error-codes';
import { createRateLimiter } from './rate-limit';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Raised for a key that is malformed, unknown or revoked: HTTP 401, WebSocket close 4401. */
export function badKey(): GraphQLError {
  return new GraphQLError('The API key is not valid or was revoked: send Authorization: Bearer <key>', {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
  });
}

/** Raised for an address that sent too many unknown keys: HTTP 429 with `retryAfterSeconds`. */
export function tooManyBadKeys(perMinute: number, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(
    `Too many requests with an unknown or revoked API key: the limit is ${perMinute} per minute per address ` +
      `(UNKNOWN_KEY_RATE_LIMIT_PER_MINUTE); retry in ${retryAfterSeconds} s`,
    { extensions: { code: ErrorCode.RATE_LIMITED, http: { status: 429 }, retryAfterSeconds } },
  );
}

/** Options for {@link createViewerResolver}. */
export interface ViewerResolverOptions {
  dataSource: DataSource;
  /** The bootstrap administrator key; see Config.adminApiKey. */
  adminApiKey?: string;
  /** Unknown or revoked keys one address may send per minute; see ServiceLimits.unknownKeysPerMinute. */
  unknownKeysPerMinute: number;
  /**
   * Shares the unknown-key budgets across instances, as the request budgets are.
   * @default undefined (this process's memory)
   */
  redis?: Redis;
  /**
   * Keys remembered as unknown (by hash), so that one sent again costs no lookup.
   * @default 10000
   */
  unknownKeyCacheSize?: number;
  /**
   * How long a key stays remembered as unknown, in ms.
   * @default 60000
   */
  unknownKeyCacheMs?: number;
}

/**
 * Who a request speaks for, from its `Authorization: Bearer <key>` (HTTP header or graphql-ws
 * `connection_init` payload) and the client's address. Throws {@link badKey} or
 * {@link tooManyBadKeys}.
 */
export type ViewerResolver = (authorization: unknown, address: string | undefined) => Promise<Viewer>;

/**
 * Resolves viewers. No header: a public reader. A key that is not known or was revoked is
 * refused, so a typo never silently downgrades a portal to public data.
 *
 * Unknown keys are metered per address, and the budget is checked before the lookup: an address
 * that spent it is refused without touching the database. Keys found unknown are remembered, by
 * hash, for a short while, so one sent again costs no lookup either (though it still counts).
 * Only unknown keys are remembered, never live ones: a revoked key is refused at its next request.
 * A key created meanwhile is never among the remembered ones, since creating a key draws a fresh
 * 256-bit random secret that nobody can have sent before. Known keys never draw on the budget.
 * Concurrent lookups from one address may overshoot it by the number in flight: checking first and
 * counting only failures keeps a portal's bursts of good requests from ever counting.
 */
export function createViewerResolver(options: ViewerResolverOptions): ViewerResolver {
  const { dataSource, adminApiKey, unknownKeysPerMinute } = options;
  const failures = createRateLimiter({ perMinute: unknownKeysPerMinute, name: 'bad-key', redis: options.redis });
  const unknown = new LRUCache<string, true>({
    max: options.unknownKeyCacheSize ?? 10_000,
    ttl: options.unknownKeyCacheMs ?? 60_000,
  });

  const refuseBadKey = async (caller: string): Promise<never> => {
    const taken = await failures.take(caller);
    throw taken.ok ? badKey() : tooManyBadKeys(unknownKeysPerMinute, taken.retryAfterSeconds);
  };

  return async (authorization, address) => {
    if (authorization === undefined || authorization === null || authorization === '') return PUBLIC_VIEWER;
    const match = typeof authorization === 'string' ? /^Bearer\s+(\S{1,200})$/i.exec(authorization.trim()) : null;
    if (!match) throw badKey();
    const secret = match[1];
    // Comparing digests keeps the comparison constant-time whatever the lengths.
    if (adminApiKey && timingSafeEqual(digest(secret), digest(adminApiKey))) return BOOTSTRAP_ADMIN;
    const caller = address ?? 'unknown';
    const budget = await failures.spent(caller);
    if (!budget.ok) throw tooManyBadKeys(unknownKeysPerMinute, budget.retryAfterSeconds);
    const hash = hashSecret(secret).toString('base64');
    if (unknown.has(hash)) return refuseBadKey(caller);
    const viewer = await viewerOfSecret(dataSource.manager, secret);
    if (viewer) return viewer;
    unknown.set(hash, true);
    return refuseBadKey(caller);
  };
}
