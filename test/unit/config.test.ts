import { DEFAULT_WEBHOOK_SETTINGS } from '../../src/webhooks/webhook-settings';
import { DEFAULT_LIMITS, loadConfig } from '../../src/config';
import { ConfigError } from '../../src/config-parsers';

describe('loadConfig', () => {
  it('has documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      seedDemo: true,
      ide: true,
      introspection: true,
      logLevel: 'info',
    });
    expect(c.dataDir).toMatch(/\.data$/);
    expect(c.metrics).toEqual({ enabled: true, token: undefined, maxOperationNames: 100 });
    expect(c.tracing).toEqual({
      endpoint: undefined,
      serviceName: 'open-schooling-matchmaker',
      recordArguments: false,
    });
    expect(c.limits).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS).toEqual({
      keyRequestsPerMinute: 1200,
      publicRequestsPerMinute: 300,
      maxCost: 10000,
      maxQueryLength: 20000,
      maxTokens: 2000,
      maxBodyBytes: 1_000_000,
      wsMaxPayloadBytes: 65536,
      wsMaxSubscriptionsPerSocket: 50,
      wsMaxSocketsPerKey: 500,
      wsMaxQueuedEvents: 1000,
      subscriptionCostPerConnection: 10_000,
      subscriptionCostPerCaller: 20_000,
      subscriptionCostPerInstance: 1_000_000,
      eventConcurrency: 4,
      trustProxy: false,
      allowedOrigins: [],
      sameOriginByHost: false,
      expensiveConcurrency: 2,
      costPerPoint: 100,
      executionDeadlineMs: 5000,
      unknownKeysPerMinute: 30,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      maxBodyDrainBytes: 10_000_000,
    });
  });

  it('turns the IDE and introspection off in production unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({
      production: true,
      ide: false,
      introspection: false,
    });
    expect(loadConfig({ NODE_ENV: 'production', IDE: 'on', INTROSPECTION: 'true' })).toMatchObject({
      ide: true,
      introspection: true,
    });
    expect(loadConfig({ NODE_ENV: 'development' })).toMatchObject({
      production: false,
      ide: true,
      introspection: true,
    });
  });

  it('calls webhooks over https only in production, and reads their settings', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).webhooks).toEqual(DEFAULT_WEBHOOK_SETTINGS);
    expect(loadConfig({}).webhooks).toEqual({ ...DEFAULT_WEBHOOK_SETTINGS, allowHttp: true });
    expect(
      loadConfig({
        NODE_ENV: 'production',
        WEBHOOK_ALLOW_HTTP: 'true',
        WEBHOOK_ALLOWED_HOSTS: 'LocalHost, 127.0.0.1',
        WEBHOOK_TIMEOUT_MS: '2500',
        WEBHOOK_RETRY_SCHEDULE: '1, 60,3600',
        WEBHOOK_DISABLE_AFTER: '5',
        WEBHOOK_MAX_ENDPOINTS: '100',
        WEBHOOK_CONCURRENCY: '50',
        WEBHOOK_POLL_SECONDS: '0.5',
      }).webhooks,
    ).toEqual({
      allowHttp: true,
      allowedPrivateHosts: ['localhost', '127.0.0.1'],
      timeoutMs: 2500,
      retrySchedule: [1, 60, 3600],
      disableAfterFailures: 5,
      maxEndpointsPerKey: 100,
      concurrency: 50,
      pollSeconds: 0.5,
    });
  });

  it.each([
    [
      { WEBHOOK_ALLOWED_HOSTS: 'http://x' },
      'WEBHOOK_ALLOWED_HOSTS must list host names like localhost, got "http://x"',
    ],
    [
      { WEBHOOK_RETRY_SCHEDULE: '5,soon' },
      'WEBHOOK_RETRY_SCHEDULE must list at most 30 delays in seconds (0 to 604800), got "5,soon"',
    ],
    [{ WEBHOOK_POLL_SECONDS: '0.1' }, 'WEBHOOK_POLL_SECONDS must be between 0.5 and 3600, got "0.1"'],
    [{ WEBHOOK_TIMEOUT_MS: '5' }, 'WEBHOOK_TIMEOUT_MS must be an integer between 100 and 120000, got "5"'],
    [{ PORT: 'abc' }, 'PORT must be an integer between 0 and 65535, got "abc"'],
    [{ PORT: '70000' }, 'PORT must be an integer between 0 and 65535, got "70000"'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must use postgres:// or postgresql://, got "mysql:"'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a URL like postgres://user@host:5432/db'],
    [{ IDE: 'maybe' }, 'IDE must be true or false, got "maybe"'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of debug, info, warn, error, got "loud"'],
    [{ ADMIN_API_KEY: 'short' }, 'ADMIN_API_KEY must be at least 24 characters long'],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE must be an integer between 1 and 10000000, got "0"'],
    [{ MAX_QUERY_COST: '5.5' }, 'MAX_QUERY_COST must be an integer between 10 and 10000000, got "5.5"'],
    [{ WS_MAX_PAYLOAD_BYTES: '10' }, 'WS_MAX_PAYLOAD_BYTES must be an integer between 1024 and 100000000, got "10"'],
    [
      { ALLOWED_ORIGINS: 'https://a.example/path' },
      'ALLOWED_ORIGINS must list origins like https://portal.example.org, got "https://a.example/path"',
    ],
    [{ ALLOWED_ORIGINS: '*' }, 'ALLOWED_ORIGINS must list origins like https://portal.example.org, got "*"'],
    [{ EXPENSIVE_CONCURRENCY: '0' }, 'EXPENSIVE_CONCURRENCY must be an integer between 1 and 1000, got "0"'],
    [{ COST_PER_POINT: '0' }, 'COST_PER_POINT must be an integer between 1 and 10000000, got "0"'],
    [{ EXECUTION_DEADLINE_MS: '0' }, 'EXECUTION_DEADLINE_MS must be an integer between 1 and 3600000, got "0"'],
    [{ REQUEST_TIMEOUT_MS: '10' }, 'REQUEST_TIMEOUT_MS must be an integer between 100 and 3600000, got "10"'],
    [
      { REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '6000' },
      'HEADERS_TIMEOUT_MS must be at most REQUEST_TIMEOUT_MS (5000), got "6000"',
    ],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN must be at least 24 characters long'],
    [{ METRICS: 'sometimes' }, 'METRICS must be true or false, got "sometimes"'],
    [{ METRICS_MAX_OPERATIONS: '0' }, 'METRICS_MAX_OPERATIONS must be an integer between 1 and 10000, got "0"'],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
      'OTEL_EXPORTER_OTLP_ENDPOINT must be a URL like http://127.0.0.1:4318, got "collector:4318"',
    ],
    [{ TRACE_ARGUMENTS: 'some' }, 'TRACE_ARGUMENTS must be true or false, got "some"'],
    [
      { TRUST_PROXY: '127.0.0.1, proxy.local' },
      'TRUST_PROXY must be true, false, or proxy addresses like 127.0.0.1, 10.0.0.0/8, got "proxy.local"',
    ],
    [
      { TRUST_PROXY: '10.0.0.0/33' },
      'TRUST_PROXY must be true, false, or proxy addresses like 127.0.0.1, 10.0.0.0/8, got "10.0.0.0/33"',
    ],
  ])('fails fast on %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });

  it('reads every option', () => {
    const c = loadConfig({
      PORT: '5000',
      DATABASE_URL: 'postgres://u@h/db',
      SEED_DEMO: 'false',
      IDE: 'off',
      INTROSPECTION: '0',
      LOG_LEVEL: 'debug',
      DB_POOL_SIZE: '4',
    });
    expect(c).toMatchObject({
      port: 5000,
      databaseUrl: 'postgres://u@h/db',
      seedDemo: false,
      ide: false,
      introspection: false,
      logLevel: 'debug',
      dbPoolSize: 4,
    });
  });

  it('reads the metrics and tracing settings', () => {
    const c = loadConfig({
      METRICS: 'false',
      METRICS_TOKEN: 'metrics-token-0123456789abcdef',
      METRICS_MAX_OPERATIONS: '20',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_SERVICE_NAME: 'matchmaker-eu',
      TRACE_ARGUMENTS: 'true',
    });
    expect(c.metrics).toEqual({ enabled: false, token: 'metrics-token-0123456789abcdef', maxOperationNames: 20 });
    expect(c.tracing).toEqual({
      endpoint: 'http://collector:4318',
      serviceName: 'matchmaker-eu',
      recordArguments: true,
    });
  });

  it.each([
    ['false', false],
    ['on', true],
    ['127.0.0.1', ['127.0.0.1']],
    ['127.0.0.1, 10.0.0.0/8,::1', ['127.0.0.1', '10.0.0.0/8', '::1']],
  ])('reads TRUST_PROXY=%s', (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).limits.trustProxy).toEqual(expected);
  });

  it('reads every limit', () => {
    const c = loadConfig({
      RATE_LIMIT_PER_MINUTE: '60',
      PUBLIC_RATE_LIMIT_PER_MINUTE: '6',
      MAX_QUERY_COST: '500',
      MAX_QUERY_LENGTH: '1000',
      MAX_QUERY_TOKENS: '500',
      MAX_BODY_BYTES: '2000',
      WS_MAX_PAYLOAD_BYTES: '2048',
      WS_MAX_SUBSCRIPTIONS: '3',
      WS_MAX_SOCKETS_PER_KEY: '4',
      WS_MAX_QUEUED_EVENTS: '5',
      WS_SUBSCRIPTION_COST_PER_CONNECTION: '6',
      WS_SUBSCRIPTION_COST_PER_CALLER: '7',
      WS_SUBSCRIPTION_COST_PER_INSTANCE: '8',
      WS_EVENT_CONCURRENCY: '9',
      TRUST_PROXY: 'true',
      ALLOWED_ORIGINS: 'https://match.example.org, http://localhost:5173',
      SAME_ORIGIN_BY_HOST: 'yes',
      EXPENSIVE_CONCURRENCY: '4',
      COST_PER_POINT: '25',
      EXECUTION_DEADLINE_MS: '750',
      UNKNOWN_KEY_RATE_LIMIT_PER_MINUTE: '7',
      HEADERS_TIMEOUT_MS: '2000',
      REQUEST_TIMEOUT_MS: '3000',
      MAX_BODY_DRAIN_BYTES: '0',
    });
    expect(c.limits).toEqual({
      keyRequestsPerMinute: 60,
      publicRequestsPerMinute: 6,
      maxCost: 500,
      maxQueryLength: 1000,
      maxTokens: 500,
      maxBodyBytes: 2000,
      wsMaxPayloadBytes: 2048,
      wsMaxSubscriptionsPerSocket: 3,
      wsMaxSocketsPerKey: 4,
      wsMaxQueuedEvents: 5,
      subscriptionCostPerConnection: 6,
      subscriptionCostPerCaller: 7,
      subscriptionCostPerInstance: 8,
      eventConcurrency: 9,
      trustProxy: true,
      allowedOrigins: ['https://match.example.org', 'http://localhost:5173'],
      sameOriginByHost: true,
      expensiveConcurrency: 4,
      costPerPoint: 25,
      executionDeadlineMs: 750,
      unknownKeysPerMinute: 7,
      headersTimeoutMs: 2000,
      requestTimeoutMs: 3000,
      maxBodyDrainBytes: 0,
    });
    // A request time-out shorter than the default headers time-out lowers that one too.
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '4000' }).limits).toMatchObject({
      headersTimeoutMs: 4000,
      requestTimeoutMs: 4000,
    });
  });
});
