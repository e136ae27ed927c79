import { availableParallelism } from 'node:os';
import path from 'node:path';
import { DEFAULT_LIMITS, ServiceLimits } from './service-limits';
import { DEFAULT_WEBHOOK_SETTINGS, WebhookSettings } from './webhooks/webhook-settings';
import { defaultMailSettings, MailSettings } from './mail/mail-settings';
import {
  adminKey,
  boolean,
  ConfigError,
  databaseUrl,
  Env,
  integer,
  oneOf,
  origins,
  otlpEndpoint,
  redisUrl,
  secret,
  trustedProxies,
} from './config-parsers';

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
   * A database given by `DATABASE_URL` is never seeded unasked. Outside production, a start on
   * the demo network also makes its demo keys (src/db/demo-keys.ts) for the IDE's tabs.
   * @default true
   */
  seedDemo: boolean;
  /**
   * Production mode (`NODE_ENV=production`): the IDE and introspection are then off unless
   * `IDE` or `INTROSPECTION` turn them on, no demo keys are made, and the start ends with a JSON
   * `ready` line rather than a line in words.
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
  /** How webhooks are sent; see {@link WebhookSettings}. */
  webhooks: WebhookSettings;
  /** How mail is sent (`SMTP_URL`, `MAIL_FROM`, `PUBLIC_URL`); see {@link MailSettings}. */
  mail: MailSettings;
  /** Who may read `/metrics`, and how many operation names it tells apart; see {@link MetricsSettings}. */
  metrics: MetricsSettings;
  /** OpenTelemetry tracing; see {@link TracingSettings}. */
  tracing: TracingSettings;
}

/** The Prometheus endpoint, `/metrics`. */
export interface MetricsSettings {
  /**
   * Serve `/metrics` at all (`METRICS`).
   * @default true
   */
  enabled: boolean;
  /**
   * A secret (24+ characters) a scraper sends as `Authorization: Bearer <token>` (`METRICS_TOKEN`).
   * Without it `/metrics` answers only callers on this machine's loopback that came through no proxy.
   * @default undefined
   */
  token: string | undefined;
  /**
   * Distinct operation names counted under their own label (`METRICS_MAX_OPERATIONS`); later ones
   * count as `other`, so that clients cannot grow the metrics without bound.
   * @default 100
   */
  maxOperationNames: number;
}

/** OpenTelemetry tracing: off unless an endpoint is given. */
export interface TracingSettings {
  /**
   * OTLP/HTTP collector (`OTEL_EXPORTER_OTLP_ENDPOINT`), e.g. `http://127.0.0.1:4318`; spans go to
   * its `/v1/traces`. Without it, no spans are made.
   * @default undefined
   */
  endpoint: string | undefined;
  /**
   * The `service.name` of the spans (`OTEL_SERVICE_NAME`).
   * @default "open-schooling-matchmaker"
   */
  serviceName: string;
  /**
   * Put operations' variables and root fields' arguments on spans (`TRACE_ARGUMENTS`). They can
   * hold personal data (names, e-mail addresses, places), so this stays off unless asked for.
   * @default false
   */
  recordArguments: boolean;
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
    webhooks: webhookSettings(env, production),
    mail: mailSettings(env),
    metrics: {
      enabled: boolean(env, 'METRICS', true),
      token: secret(env, 'METRICS_TOKEN'),
      maxOperationNames: integer(env, 'METRICS_MAX_OPERATIONS', 100, 1, 10_000),
    },
    tracing: {
      endpoint: otlpEndpoint(env),
      serviceName: env.OTEL_SERVICE_NAME || 'open-schooling-matchmaker',
      recordArguments: boolean(env, 'TRACE_ARGUMENTS', false),
    },
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
      trustProxy: trustedProxies(env, DEFAULT_LIMITS.trustProxy),
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

function webhookSettings(env: Env, production: boolean): WebhookSettings {
  const d = DEFAULT_WEBHOOK_SETTINGS;
  const list = (name: string) =>
    (env[name] ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const hosts = list('WEBHOOK_ALLOWED_HOSTS').map((h) => h.toLowerCase());
  for (const h of hosts)
    if (!/^[a-z0-9.-]+$|^[0-9a-f:]+$/.test(h))
      throw new ConfigError(`WEBHOOK_ALLOWED_HOSTS must list host names like localhost, got "${h}"`);
  const schedule = env.WEBHOOK_RETRY_SCHEDULE ? list('WEBHOOK_RETRY_SCHEDULE').map(Number) : d.retrySchedule;
  if (schedule.length > 30 || schedule.some((s) => !Number.isFinite(s) || s < 0 || s > 7 * 86_400))
    throw new ConfigError(
      'WEBHOOK_RETRY_SCHEDULE must list at most 30 delays in seconds (0 to 604800), ' +
        `got "${env.WEBHOOK_RETRY_SCHEDULE}"`,
    );
  const pollSeconds = Number(env.WEBHOOK_POLL_SECONDS || d.pollSeconds);
  if (!(pollSeconds >= 0.5 && pollSeconds <= 3600))
    throw new ConfigError(`WEBHOOK_POLL_SECONDS must be between 0.5 and 3600, got "${env.WEBHOOK_POLL_SECONDS}"`);
  return {
    allowHttp: boolean(env, 'WEBHOOK_ALLOW_HTTP', !production),
    allowedPrivateHosts: hosts,
    timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', d.timeoutMs, 100, 120_000),
    retrySchedule: schedule,
    disableAfterFailures: integer(env, 'WEBHOOK_DISABLE_AFTER', d.disableAfterFailures, 1, 10_000),
    maxEndpointsPerKey: integer(env, 'WEBHOOK_MAX_ENDPOINTS', d.maxEndpointsPerKey, 1, 1000),
    concurrency: integer(env, 'WEBHOOK_CONCURRENCY', d.concurrency, 1, 500),
    pollSeconds,
  };
}

function mailSettings(env: Env): MailSettings {
  const dataDir = path.resolve(env.DATA_DIR || path.join(process.cwd(), '.data'));
  const d = defaultMailSettings(dataDir);
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\/[^/]+/.test(smtpUrl))
    throw new ConfigError('SMTP_URL must be a URL like smtp://user:pass@mail.example.org:587');
  const port = env.PORT || '4000';
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(publicUrl))
    throw new ConfigError(
      `PUBLIC_URL must be the service's address like https://matchmaker.example, got "${publicUrl}"`,
    );
  return { ...d, smtpUrl, from: env.MAIL_FROM || d.from, publicUrl };
}
