import { availableParallelism } from 'node:os';
import path from 'node:path';
import { DEFAULT_LIMITS, ServiceLimits } from './service-limits';

/** Log levels in increasing severity. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export { DEFAULT_LIMITS };
export type { ServiceLimits };

/** The service's whole configuration; {@link loadConfig} is the only reader of the environment. */
export interface Config {
  /**
   * TCP port for HTTP and WebSocket (`PORT`).
   * @default 4000
   */
  port: number;
  /**
   * Interface to listen on (`HOST`).
   * @default "0.0.0.0"
   */
  host: string;
  /**
   * PostgreSQL connection string (`DATABASE_URL`). When absent an embedded PostgreSQL is started.
   * @default undefined
   */
  databaseUrl: string | undefined;
  /**
   * Redis for live events across instances (`REDIS_URL`). When absent, events travel through
   * PostgreSQL LISTEN/NOTIFY on the service's own database.
   * @default undefined
   */
  redisUrl: string | undefined;
  /**
   * The bootstrap administrator key (`ADMIN_API_KEY`), sent as `Authorization: Bearer <key>`.
   * Without it nobody is an administrator: private data stays hidden and admin mutations refuse.
   * @default undefined
   */
  adminApiKey: string | undefined;
  /**
   * Where the embedded PostgreSQL keeps its files (`DATA_DIR`).
   * @default "<cwd>/.data"
   */
  dataDir: string;
  /**
   * Port of the embedded PostgreSQL (`EMBEDDED_PG_PORT`); 0 picks a free one.
   * @default 0
   */
  embeddedPgPort: number;
  /**
   * Seed the demo network into a freshly created embedded database (`SEED_DEMO`).
   * A database given by `DATABASE_URL` is never seeded unasked.
   * @default true
   */
  seedDemo: boolean;
  /**
   * Production mode (`NODE_ENV=production`): the IDE and introspection are then off unless
   * `IDE` or `INTROSPECTION` turn them on.
   * @default false
   */
  production: boolean;
  /**
   * Serve the GraphQL IDE at GET /graphql for browsers (`IDE`).
   * @default true, false in production
   */
  ide: boolean;
  /**
   * Answer introspection queries (`INTROSPECTION`).
   * @default true, false in production
   */
  introspection: boolean;
  /**
   * Minimum level written to the structured log (`LOG_LEVEL`).
   * @default "info"
   */
  logLevel: LogLevel;
  /**
   * Days after which an unanswered invitation counts against a partner's track record
   * (`UNANSWERED_AFTER_DAYS`).
   * @default 14
   */
  unansweredAfterDays: number;
  /**
   * Connections in the PostgreSQL pool (`DB_POOL_SIZE`).
   * @default 10
   */
  dbPoolSize: number;
  /**
   * Abort any SQL statement running longer than this, in ms (`DB_STATEMENT_TIMEOUT_MS`).
   * @default 10000
   */
  dbStatementTimeoutMs: number;
  /**
   * Ranking worker threads (`RANK_WORKERS`): rankings run there, over the shared match index.
   * @default os.availableParallelism()
   */
  rankWorkers: number;
  /** Per-caller limits; see {@link ServiceLimits}. */
  limits: ServiceLimits;
}

/** Raised when the environment holds a value the service cannot start with. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function origins(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((item) => {
    const value = item.trim();
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== value) {
      throw new ConfigError(`${name} must list origins like https://portal.example.org, got "${value}"`);
    }
    return value;
  });
}

function databaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL must be a URL like postgres://user@host:5432/db');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must use postgres:// or postgresql://, got "${url.protocol}"`);
  }
  return raw;
}

function redisUrl(env: Env): string | undefined {
  const raw = env.REDIS_URL;
  if (raw === undefined || raw === '') return undefined;
  if (!/^rediss?:\/\/.+/.test(raw)) throw new ConfigError('REDIS_URL must be a URL like redis://127.0.0.1:6379');
  return raw;
}

function adminKey(env: Env): string | undefined {
  const raw = env.ADMIN_API_KEY;
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 24) throw new ConfigError('ADMIN_API_KEY must be at least 24 characters long');
  return raw;
}

/** Reads and checks the environment; throws {@link ConfigError} on the first bad value. */
export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  return {
    production,
    port: integer(env, 'PORT', 4000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl: databaseUrl(env),
    redisUrl: redisUrl(env),
    adminApiKey: adminKey(env),
    dataDir: path.resolve(env.DATA_DIR || path.join(process.cwd(), '.data')),
    embeddedPgPort: integer(env, 'EMBEDDED_PG_PORT', 0, 0, 65535),
    seedDemo: boolean(env, 'SEED_DEMO', true),
    ide: boolean(env, 'IDE', !production),
    introspection: boolean(env, 'INTROSPECTION', !production),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 10, 1, 200),
    unansweredAfterDays: integer(env, 'UNANSWERED_AFTER_DAYS', 14, 1, 365),
    dbStatementTimeoutMs: integer(env, 'DB_STATEMENT_TIMEOUT_MS', 10000, 100, 600000),
    rankWorkers: integer(env, 'RANK_WORKERS', availableParallelism(), 1, 256),
    limits: {
      keyRequestsPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', DEFAULT_LIMITS.keyRequestsPerMinute, 1, 10_000_000),
      publicRequestsPerMinute: integer(
        env,
        'PUBLIC_RATE_LIMIT_PER_MINUTE',
        DEFAULT_LIMITS.publicRequestsPerMinute,
        1,
        10_000_000,
      ),
      maxCost: integer(env, 'MAX_QUERY_COST', DEFAULT_LIMITS.maxCost, 10, 10_000_000),
      maxQueryLength: integer(env, 'MAX_QUERY_LENGTH', DEFAULT_LIMITS.maxQueryLength, 100, 1_000_000),
      maxTokens: integer(env, 'MAX_QUERY_TOKENS', DEFAULT_LIMITS.maxTokens, 100, 1_000_000),
      maxBodyBytes: integer(env, 'MAX_BODY_BYTES', DEFAULT_LIMITS.maxBodyBytes, 1000, 100_000_000),
      wsMaxPayloadBytes: integer(env, 'WS_MAX_PAYLOAD_BYTES', DEFAULT_LIMITS.wsMaxPayloadBytes, 1024, 100_000_000),
      wsMaxSubscriptionsPerSocket: integer(
        env,
        'WS_MAX_SUBSCRIPTIONS',
        DEFAULT_LIMITS.wsMaxSubscriptionsPerSocket,
        1,
        100_000,
      ),
      wsMaxSocketsPerKey: integer(env, 'WS_MAX_SOCKETS_PER_KEY', DEFAULT_LIMITS.wsMaxSocketsPerKey, 1, 1_000_000),
      wsMaxQueuedEvents: integer(env, 'WS_MAX_QUEUED_EVENTS', DEFAULT_LIMITS.wsMaxQueuedEvents, 1, 1_000_000),
      subscriptionCostPerConnection: integer(
        env,
        'WS_SUBSCRIPTION_COST_PER_CONNECTION',
        DEFAULT_LIMITS.subscriptionCostPerConnection,
        1,
        1_000_000_000,
      ),
      subscriptionCostPerCaller: integer(
        env,
        'WS_SUBSCRIPTION_COST_PER_CALLER',
        DEFAULT_LIMITS.subscriptionCostPerCaller,
        1,
        1_000_000_000,
      ),
      subscriptionCostPerInstance: integer(
        env,
        'WS_SUBSCRIPTION_COST_PER_INSTANCE',
        DEFAULT_LIMITS.subscriptionCostPerInstance,
        1,
        1_000_000_000,
      ),
      eventConcurrency: integer(env, 'WS_EVENT_CONCURRENCY', DEFAULT_LIMITS.eventConcurrency, 1, 1000),
      trustProxy: boolean(env, 'TRUST_PROXY', DEFAULT_LIMITS.trustProxy),
      allowedOrigins: origins(env, 'ALLOWED_ORIGINS'),
      sameOriginByHost: boolean(env, 'SAME_ORIGIN_BY_HOST', DEFAULT_LIMITS.sameOriginByHost),
      expensiveConcurrency: integer(env, 'EXPENSIVE_CONCURRENCY', DEFAULT_LIMITS.expensiveConcurrency, 1, 1000),
      costPerPoint: integer(env, 'COST_PER_POINT', DEFAULT_LIMITS.costPerPoint, 1, 10_000_000),
      executionDeadlineMs: integer(env, 'EXECUTION_DEADLINE_MS', DEFAULT_LIMITS.executionDeadlineMs, 1, 3_600_000),
      unknownKeysPerMinute: integer(
        env,
        'UNKNOWN_KEY_RATE_LIMIT_PER_MINUTE',
        DEFAULT_LIMITS.unknownKeysPerMinute,
        1,
        10_000_000,
      ),
      ...timeouts(env),
      maxBodyDrainBytes: integer(env, 'MAX_BODY_DRAIN_BYTES', DEFAULT_LIMITS.maxBodyDrainBytes, 0, 1_000_000_000),
    },
  };
}

// Node refuses a headers time-out longer than the request's: say so by name rather than crash later.
function timeouts(env: Env): Pick<ServiceLimits, 'headersTimeoutMs' | 'requestTimeoutMs'> {
  const requestTimeoutMs = integer(env, 'REQUEST_TIMEOUT_MS', DEFAULT_LIMITS.requestTimeoutMs, 100, 3_600_000);
  const headersTimeoutMs = integer(
    env,
    'HEADERS_TIMEOUT_MS',
    Math.min(DEFAULT_LIMITS.headersTimeoutMs, requestTimeoutMs),
    100,
    3_600_000,
  );
  if (headersTimeoutMs > requestTimeoutMs)
    throw new ConfigError(
      `HEADERS_TIMEOUT_MS must be at most REQUEST_TIMEOUT_MS (${requestTimeoutMs}), got "${headersTimeoutMs}"`,
    );
  return { headersTimeoutMs, requestTimeoutMs };
}
