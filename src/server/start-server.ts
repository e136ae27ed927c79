import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, GraphQLSchema, OperationTypeNode } from 'graphql';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { DEFAULT_LIMITS, ServiceLimits } from '../config';
import { Context } from '../graphql/context';
import { operationError } from '../graphql/operation-checks';
import { ErrorCode } from '../graphql/error-codes';
import { createFormatError } from '../graphql/to-graphql-error';
import { createGuard } from './guard';
import { createHttpHandler } from './http-handler';
import { startWebSocket } from './websocket';
import { Logger } from '../log/logger';
import { LiveMatches } from '../subscriptions/live-matches';

/** Options for {@link startServer}. */
export interface StartServerOptions {
  schema: GraphQLSchema;
  dataSource: DataSource;
  log: Logger;
  /** Live matching of this instance; closed (subscriptions completed) when the server stops. */
  live: LiveMatches;
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
   * Answer introspection (HTTP and WebSocket).
   * @default true
   */
  introspection?: boolean;
  /**
   * Per-caller limits; any left out take their defaults.
   * @default DEFAULT_LIMITS
   */
  limits?: Partial<ServiceLimits>;
}

/** A listening server and the way to stop it. */
export interface RunningServer {
  port: number;
  url: string;
  /** Drains HTTP, closes WebSockets (completing their subscriptions), then stops Apollo. */
  stop(): Promise<void>;
}

/** Starts HTTP and GraphQL over WebSocket on one port, both at /graphql. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { schema, dataSource, log } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const introspection = options.introspection ?? true;
  const httpServer = http.createServer();
  const formatError = createFormatError(log);
  const guard = createGuard(dataSource, limits);
  const ws = startWebSocket({
    httpServer,
    schema,
    dataSource,
    log,
    live: options.live,
    guard,
    formatError,
    introspection,
    adminApiKey: options.adminApiKey,
    keepAliveMs: options.keepAliveMs ?? 12_000,
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
    // The shape limits (query-limits.ts) run before Apollo, in the HTTP handler.
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ operation, document, request }) {
              // Subscriptions live on the WebSocket; over HTTP they would run their resolver once, on nothing.
              if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
                throw new GraphQLError(
                  'Subscriptions run over WebSocket (graphql-ws) at this same URL, not over HTTP',
                  {
                    extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } },
                  },
                );
              }
              const costly = operationError(schema, document, request.variables, request.operationName, limits.maxCost);
              if (costly) throw costly;
            },
          };
        },
      },
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await ws.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  httpServer.on(
    'request',
    createHttpHandler({
      apollo,
      schema,
      dataSource,
      log,
      live: options.live,
      ide: options.ide,
      adminApiKey: options.adminApiKey,
      guard,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 4000, options.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    stop: () =>
      (stopping ??= (async () => {
        options.live.close();
        log.debug('draining http and closing websockets');
        await apollo.stop();
        log.debug('closing websocket server');
        await new Promise<void>((resolve) => ws.wsServer.close(() => resolve()));
      })()),
  };
}
