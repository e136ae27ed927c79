import type { Loaders } from '../../src/graphql/loaders';
import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { relayedUpTo } from '../../src/subscriptions/outbox-relay';
import { GraphQLFormattedError, print } from 'graphql';
import { buildSchema } from '../../src/graphql/build-schema';
import { Logger, silentLogger } from '../../src/log/logger';
import { RunningServer, startServer } from '../../src/server/start-server';
import { createTestDatabase, TestDatabase } from './database';
import { ChangeFeed } from '../../src/subscriptions/change-feed';
import { createLoaders } from '../../src/graphql/loaders';
import { createPgBus } from '../../src/subscriptions/pg-bus';
import { loadMatchIndex } from '../../src/matching/index/load-index';
import { ServiceLimits } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';

/** What the API answered. */
export interface GraphQLResult<T> {
  data?: T | null;
  errors?: GraphQLFormattedError[];
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
  /** Sends a raw document, for malformed-input tests. */
  raw(body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any }>;
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
   * Where the server's feed and transports log (for tests that read the logs).
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
   * Where the event bus connects, e.g. through a relay a test can cut.
   * @default the database's own URL
   */
  busUrl?: string;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const db = options.sameDatabaseAs ? await secondPool(options.sameDatabaseAs.db) : await createTestDatabase();
  const bus = await createPgBus(options.busUrl ?? db.url, silentLogger);
  const relayedBefore = await relayedUpTo(db.dataSource);
  const log = options.log ?? silentLogger;
  const live = new ChangeFeed(
    db.dataSource,
    bus,
    log,
    () => createLoaders(db.dataSource),
    await loadMatchIndex(db.dataSource),
    { pollMs: options.pollMs ?? 0 },
  );
  await live.start(relayedBefore);
  const server = await startServer({
    schema: await buildSchema(),
    dataSource: db.dataSource,
    log,
    live,
    adminApiKey: TEST_ADMIN_KEY,
    limits: options.limits ?? RELAXED_LIMITS,
    introspection: options.introspection ?? true,
    ide: options.ide ?? true,
    port: 0,
    host: '127.0.0.1',
  });
  const raw = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as any };
  };
  return {
    db,
    live,
    server,
    raw,
    reindex: async () => {
      // Domain writes made around the API are in the outbox: relay them now (their events are
      // recorded before the test subscribes); writes in plain SQL are only seen by a reload.
      await live.settle();
      await live.reloadAll();
    },
    request: async (doc, variables, headers) => (await raw({ query: print(doc), variables }, headers)).json,
    admin: async (doc, variables) => (await raw({ query: print(doc), variables }, bearer(TEST_ADMIN_KEY))).json,
    stop: async () => {
      await server.stop();
      await bus.close();
      await db.drop();
    },
  };
}

/** A pool of its own on another test server's database; dropping it closes only the pool. */
async function secondPool(first: TestDatabase): Promise<TestDatabase> {
  const dataSource = createDataSource({ url: first.url, poolSize: 5 });
  await dataSource.initialize();
  return {
    ...first,
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

/** Fails the test with the API's errors when there are any; returns the data. */
export function expectData<T>(result: GraphQLResult<T>): T {
  if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
  if (!result.data) throw new Error('no data in response');
  return result.data;
}
