import type { Loaders } from '../../src/graphql/loaders';
import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { GraphQLFormattedError, print } from 'graphql';
import { Logger, silentLogger } from '../../src/log/logger';
import { RunningServer } from '../../src/server/start-server';
import { RunningApp, startApp } from '../../src/server/start-app';
import type { StartSummary } from '../../src/server/start-summary';
import { seedDemo } from '../../src/db/seed-demo';
import { createTestDatabase, TestDatabase } from './database';
import { isRecord } from './json';
import { ChangeFeed } from '../../src/subscriptions/change-feed';
import { Config, DEFAULT_LIMITS, loadConfig, MetricsSettings, ServiceLimits, TracingSettings } from '../../src/config';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import { DEFAULT_WEBHOOK_SETTINGS, WebhookSettings } from '../../src/webhooks/webhook-settings';
import { defaultMailSettings, MailSettings } from '../../src/mail/mail-settings';
import os from 'node:os';
import path from 'node:path';

/** What the API answered. */
export interface GraphQLResult<T> {
  data?: T | null;
  errors?: GraphQLFormattedError[];
}

/**
 * An answer as it came over HTTP: its status, and its body (always a GraphQL result) whose data
 * the caller describes, as it wrote the query by hand.
 */
export interface RawAnswer<T = unknown> {
  status: number;
  json: GraphQLResult<T>;
}

/** A real server over a fresh database, listening on a free port. */
export interface TestServer {
  db: TestDatabase;
  live: ChangeFeed<Loaders>;
  server: RunningServer;
  /** Sends a typed document over HTTP, exactly as a portal would. */
  request<T, V>(
    doc: TypedDocumentNode<T, V>,
    variables?: V,
    headers?: Record<string, string>,
  ): Promise<GraphQLResult<T>>;
  /** Sends a typed document with the administrator key (the writes that set a scene up). */
  admin<T, V>(doc: TypedDocumentNode<T, V>, variables?: V): Promise<GraphQLResult<T>>;
  /**
   * Reads everything into the match index again, as an import does: for tests that write
   * straight through the domain or SQL rather than through the API.
   */
  reindex(): Promise<void>;
  /** Sends a raw document, for malformed-input tests; `T` is the shape of the data the query asks for. */
  raw<T = unknown>(body: unknown, headers?: Record<string, string>): Promise<RawAnswer<T>>;
  /** What the start said when ready (its demo keys, with {@link TestServerOptions.demo}). */
  summary: StartSummary;
  stop(): Promise<void>;
}

/** The administrator key test servers accept. */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

/** Headers that carry a key. */
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Limits high enough that tests about something else never meet them. */
export const RELAXED_LIMITS: Partial<ServiceLimits> = {
  keyRequestsPerMinute: 1_000_000,
  publicRequestsPerMinute: 1_000_000,
};

/** Options for {@link startTestServer}. */
export interface TestServerOptions {
  /** @default RELAXED_LIMITS */
  limits?: Partial<ServiceLimits>;
  /** @default true */
  introspection?: boolean;
  /** @default true */
  ide?: boolean;
  /**
   * How often the outbox is polled; tests relay on each mutation instead.
   * @default 0
   */
  pollMs?: number;
  /**
   * How long a read of the relay's work waits for the relay after this server's writes; longer
   * than the service's 2 s, so that no test reading right after a write on a loaded machine reads
   * before its relay (the bound has its own test).
   * @default 30000
   */
  ownRelayWaitMs?: number;
  /**
   * Where the service logs, from its start to its stop (for tests that read the logs).
   * @default silentLogger
   */
  log?: Logger;
  /**
   * Another instance on this server's database (its own pool, feed, bus and port), as a second
   * process of the service would be; stopping it leaves the database to its first server.
   * @default undefined (a fresh database)
   */
  sameDatabaseAs?: TestServer;
  /**
   * Connections the first server's pool may open (a second server opens the service's own).
   * @default 5
   */
  poolSize?: number;
  /**
   * Where the event bus connects, e.g. through a relay a test can cut.
   * @default the database's own URL
   */
  busUrl?: string;
  /**
   * Webhook settings over {@link TEST_WEBHOOKS}.
   * @default TEST_WEBHOOKS
   */
  webhooks?: Partial<WebhookSettings>;
  /**
   * Mail settings; by default mail goes to files in a folder of this test process's own (never
   * into the repository's `.data/`).
   * @default files under the OS's temporary folder
   */
  mail?: Partial<MailSettings>;
  /**
   * Who may read /metrics, and how many operation names it tells apart.
   * @default loopback only, 100 names
   */
  metrics?: Partial<MetricsSettings>;
  /**
   * Tracing settings (the endpoint aside: spans go to `spanExporter`).
   * @default off
   */
  tracing?: Partial<TracingSettings>;
  /**
   * Where spans go; giving one turns tracing on.
   * @default undefined
   */
  spanExporter?: SpanExporter;
  /**
   * Start as `npm start` does in development on a fresh embedded database: the demo network is
   * seeded first, and the start makes its demo keys (a COORDINATOR and a PORTAL of a demo hub).
   * @default false
   */
  demo?: boolean;
}

/** Where tests' mail goes when a test does not give an SMTP server: a folder per test process. */
const TEST_MAIL_DIR = path.join(os.tmpdir(), `matchmaker-test-mail-${process.pid}`);

/**
 * Webhooks in tests: receivers listen on 127.0.0.1 over plain http (both allowed by name only),
 * retries come at once, and idle instances look for due attempts every half second.
 */
export const TEST_WEBHOOKS: Partial<WebhookSettings> = {
  allowHttp: true,
  allowedPrivateHosts: ['127.0.0.1', 'localhost'],
  retrySchedule: [0, 0, 0],
  pollSeconds: 0.5,
  timeoutMs: 2000,
};

/**
 * Starts the service as `npm start` does — through {@link startApp}, the one place where its parts
 * are wired and stopped — on a fresh test database (or beside another test server), on a free port.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const first = options.sameDatabaseAs?.db;
  // The first server runs on a database of its own, whose pool counts the SQL it runs; a second one
  // is given only the URL and opens a pool of its own, as a second process of the service would.
  const db = first ? undefined : await createTestDatabase(options.poolSize);
  let app: RunningApp;
  try {
    if (options.demo && db) await seedDemo(db.dataSource);
    app = await startApp(testConfig(options, first?.url), options.log ?? silentLogger, {
      database: db,
      busUrl: options.busUrl,
      pollMs: options.pollMs ?? 0,
      ownRelayWaitMs: options.ownRelayWaitMs ?? 30_000,
      // Tests move the clock and run the sweep themselves (a scheduled one would race them).
      sweep: false,
      spanExporter: options.spanExporter,
    });
  } catch (error) {
    await db?.drop();
    throw error;
  }
  // The statements of the start (migration check, index load) are not the test's.
  db?.resetQueries();
  const { server, live } = app;
  const raw = async <T>(body: unknown, headers: Record<string, string> = {}): Promise<RawAnswer<T>> => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: asResult<T>(await res.json()) };
  };
  return {
    // A second server shares the first one's database (and its counter), but queries through its own pool.
    db: db ?? { ...first!, dataSource: app.dataSource, drop: async () => undefined },
    live,
    server,
    raw,
    summary: app.summary,
    reindex: async () => {
      // Domain writes made around the API are in the outbox: relay them now (their events are
      // recorded before the test subscribes); writes in plain SQL are only seen by a reload.
      await live.settle();
      await live.reloadAll();
    },
    request: async <T, V>(doc: TypedDocumentNode<T, V>, variables?: V, headers?: Record<string, string>) =>
      (await raw<T>({ query: print(doc), variables }, headers)).json,
    admin: async <T, V>(doc: TypedDocumentNode<T, V>, variables?: V) =>
      (await raw<T>({ query: print(doc), variables }, bearer(TEST_ADMIN_KEY))).json,
    stop: async () => {
      await app.stop();
      await db?.drop();
    },
  };
}

/** The configuration of an empty environment (what `npm start` would read), with the tests' settings. */
function testConfig(options: TestServerOptions, databaseUrl: string | undefined): Config {
  const defaults = loadConfig({});
  return {
    ...defaults,
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    seedDemo: options.demo ?? false,
    adminApiKey: TEST_ADMIN_KEY,
    limits: { ...DEFAULT_LIMITS, ...(options.limits ?? RELAXED_LIMITS) },
    introspection: options.introspection ?? true,
    ide: options.ide ?? true,
    webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, ...TEST_WEBHOOKS, ...options.webhooks },
    mail: { ...defaultMailSettings(TEST_MAIL_DIR), outboxDir: TEST_MAIL_DIR, ...options.mail },
    metrics: { ...defaults.metrics, ...options.metrics },
    tracing: { ...defaults.tracing, ...options.tracing },
  };
}

/**
 * A parsed response body as a GraphQL result whose data is `T`: the document it answers says so
 * (a typed document, or the shape a test wrote beside its hand-written query). Only that the body
 * is an object is checked here; the tests check the rest.
 */
export function asResult<T>(body: unknown): GraphQLResult<T> {
  if (!isRecord(body)) throw new Error(`expected a GraphQL result, got ${JSON.stringify(body)}`);
  return body as GraphQLResult<T>;
}

/** Fails the test unless the API answered with errors; returns them (at least one). */
export function expectErrors(result: { errors?: readonly GraphQLFormattedError[] | null }): GraphQLFormattedError[] {
  if (!result.errors?.length) throw new Error(`expected GraphQL errors, got ${JSON.stringify(result)}`);
  return [...result.errors];
}

/** Fails the test with the API's errors when there are any; returns the data. */
export function expectData<T>(result: { data?: T | null; errors?: readonly GraphQLFormattedError[] }): T {
  if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
  if (!result.data) throw new Error('no data in response');
  return result.data;
}
