import type { Loaders } from '../graphql/loaders';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { GraphQLSchema } from 'graphql';
import type Redis from 'ioredis';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import type { Tracer } from '@opentelemetry/api';
import { DEFAULT_LIMITS, MetricsSettings, ServiceLimits } from '../config';
import { finishOperationPlugin, createOperationTelemetry } from '../graphql/operation-telemetry';
import type { ServiceMetrics } from '../observability/metrics';
import { registerMetricsRoute } from './metrics-route';
import { Context, warningsPlugin } from '../graphql/context';
import { createPipeline, Pipeline } from '../graphql/pipeline';
import { createFormatError } from '../graphql/to-graphql-error';
import { Logger } from '../log/logger';
import { ChangeFeed } from '../subscriptions/change-feed';
import { createHttpApp } from './http-app';
import { startWebSocket } from './websocket';
import type { ExampleKeys } from './ide/examples';

/** Options for {@link startServer}. */
export interface StartServerOptions {
  schema: GraphQLSchema;
  dataSource: DataSource;
  log: Logger;
  /** Live matching of this instance; closed (subscriptions completed) when the server stops. */
  live: ChangeFeed<Loaders>;
  /** The bootstrap administrator key; see Config.adminApiKey. */
  adminApiKey?: string;
  /**
   * WebSocket keep-alive: ping every this many ms and drop clients that do not answer.
   * @default 12000
   */
  keepAliveMs?: number;
  /**
   * TCP port; 0 picks a free one.
   * @default 4000
   */
  port?: number;
  /**
   * Interface to listen on.
   * @default "0.0.0.0"
   */
  host?: string;
  /**
   * Serve the IDE at GET /graphql.
   * @default true
   */
  ide?: boolean;
  /**
   * Keys the IDE's tabs that need a role carry (a development start's demo keys).
   * @default undefined
   */
  ideKeys?: ExampleKeys;
  /**
   * Answer introspection (HTTP and WebSocket).
   * @default true
   */
  introspection?: boolean;
  /**
   * Per-caller limits; any left out take their defaults.
   * @default DEFAULT_LIMITS
   */
  limits?: Partial<ServiceLimits>;
  /**
   * Redis holding the request budgets, so that all instances share them (`REDIS_URL`).
   * @default undefined (each instance counts in its own memory)
   */
  redisUrl?: string;
  /**
   * This service's metrics: operations are counted into them, sockets and subscriptions watched,
   * and they are served at /metrics to whom `settings` allows.
   * @default undefined (nothing counted, no /metrics)
   */
  metrics?: { service: ServiceMetrics; settings: MetricsSettings };
  /**
   * Spans per operation and root field (see operation-telemetry.ts).
   * @default undefined (no spans)
   */
  tracing?: { tracer: Tracer; recordArguments: boolean };
}

/** A listening server and the way to stop it. */
export interface RunningServer {
  port: number;
  url: string;
  /** The one pipeline every transport goes through (webhooks build their bodies with its contexts). */
  pipeline: Pipeline;
  /** Closes WebSockets (completing their subscriptions), drains HTTP, then stops Apollo and the budgets' Redis. */
  stop(): Promise<void>;
}

/** Starts HTTP (Fastify) and GraphQL over WebSocket (graphql-ws) on one port, both at /graphql. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { schema, dataSource, log } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const introspection = options.introspection ?? true;
  // Introspection off: the schema is not spelled out in hints either.
  const formatError = createFormatError(log, { suggestions: introspection });
  // Budgets must hold across instances; a Redis that is down falls back to memory, not to refusing.
  // Its client is loaded only where one is configured.
  const redis: Redis | undefined = options.redisUrl
    ? new (await import('ioredis')).Redis(options.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        lazyConnect: false,
      })
    : undefined;
  redis?.on('error', (error) => log.warn('rate-limit redis', { error: String(error) }));
  const pipeline = createPipeline({
    schema,
    dataSource,
    log,
    live: options.live,
    limits,
    introspection,
    adminApiKey: options.adminApiKey,
    redis,
    telemetry: createOperationTelemetry({
      metrics: options.metrics?.service,
      tracer: options.tracing?.tracer,
      recordArguments: options.tracing?.recordArguments,
      maxOperationNames: options.metrics?.settings.maxOperationNames,
    }),
  });
  const apollo = new ApolloServer<Context>({
    schema,
    introspection,
    // With introspection off, validation errors must not spell the schema out either ("Did you mean …").
    hideSchemaDetailsFromClientErrors: !introspection,
    includeStacktraceInErrorResponses: false,
    // src/index.ts owns SIGTERM/SIGINT and stops the parts in order; Apollo's own handlers
    // (installed outside NODE_ENV=test) would race it.
    stopOnTerminationSignals: false,
    formatError,
    // Every operation reaching Apollo passed the pipeline, which hands over the validated document:
    // Apollo neither parses nor validates again, and a hash-only (persisted) query cannot skip a check.
    documentStore: pipeline.documentStore,
    persistedQueries: false,
    parseOptions: { maxTokens: limits.maxTokens },
    // No cache hints: answers carry private fields and are never cached (http-app.ts sends
    // `no-store` on every /graphql answer), and Apollo's cache-control plugin would otherwise wrap
    // every field's resolver to compute that policy again for each request.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      warningsPlugin,
      finishOperationPlugin,
    ],
  });
  await apollo.start();
  const app = await createHttpApp(apollo, {
    metrics: options.metrics?.service,
    pipeline,
    dataSource,
    log,
    live: options.live,
    formatError,
    ide: options.ide,
    ideKeys: options.ideKeys,
  });
  const ws = startWebSocket({
    httpServer: app.server,
    pipeline,
    schema,
    log,
    live: options.live,
    formatError,
    keepAliveMs: options.keepAliveMs ?? 12_000,
  });
  if (options.metrics) {
    options.metrics.service.watch({ sockets: () => ws.wsServer.clients.size, subscriptions: () => options.live.size });
    registerMetricsRoute(app, options.metrics.service, options.metrics.settings);
  }
  await app.listen({ port: options.port ?? 4000, host: options.host ?? '0.0.0.0' });
  const { port } = app.server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    pipeline,
    stop: () =>
      (stopping ??= (async () => {
        // Sockets first, with 1001 "Going away": a subscriber must learn that the server left (and
        // reconnect elsewhere), not see its subscriptions complete as if they had ended, which a
        // lazy graphql-ws client answers by closing the socket itself with 1000.
        log.debug('closing websockets');
        await ws.dispose();
        await new Promise<void>((resolve) => ws.wsServer.close(() => resolve()));
        await options.live.close();
        log.debug('draining http');
        // Requests in flight finish; idle keep-alive connections close; after 10 s the rest are cut.
        const cut = setTimeout(() => app.server.closeAllConnections(), 10_000);
        await app.close();
        clearTimeout(cut);
        await apollo.stop();
        redis?.disconnect();
      })()),
  };
}
