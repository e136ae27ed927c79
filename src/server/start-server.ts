import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, GraphQLSchema, specifiedRules, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { WebSocketServer } from 'ws';
import { Context, createContext } from '../graphql/context';
import { createFormatError } from '../graphql/to-graphql-error';
import { queryLimitsRule } from '../graphql/query-limits';
import { viewerFrom } from '../graphql/viewer';
import { createHttpHandler } from './http-handler';
import { Logger } from './logger';
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
   * Answer introspection.
   * @default true
   */
  introspection?: boolean;
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
  const httpServer = http.createServer();
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const formatError = createFormatError(log);
  const wsCleanup = useServer<Record<string, unknown>, { ctx?: Context }>(
    {
      schema,
      // The same limits as over HTTP: graphql-ws would otherwise validate with the plain rules only.
      validate: (schema, document) =>
        validate(schema, document, [...specifiedRules, queryLimitsRule()]).map(
          (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
        ),
      context: (ctx) => createContext(dataSource, log, options.live, viewerFrom(ctx.connectionParams?.authorization, options.adminApiKey)),
      // A bad key closes the socket at connection time, as HTTP answers 401.
      onConnect: (ctx) => {
        try {
          viewerFrom(ctx.connectionParams?.authorization, options.adminApiKey);
          return true;
        } catch {
          return false;
        }
      },
      // Errors over WebSocket get the same codes and masking as over HTTP.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)) as never,
    },
    wsServer,
    options.keepAliveMs ?? 12_000,
  );
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: options.introspection ?? true,
    includeStacktraceInErrorResponses: false,
    // src/index.ts owns SIGTERM/SIGINT and stops the parts in order; Apollo's own handlers
    // (installed outside NODE_ENV=test) would race it.
    stopOnTerminationSignals: false,
    formatError,
    validationRules: [queryLimitsRule()],
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      {
        // Subscriptions live on the WebSocket; over HTTP they would run their resolver once, on nothing.
        async requestDidStart() {
          return {
            async didResolveOperation({ operation }) {
              if (operation?.operation === 'subscription') {
                throw new GraphQLError('Subscriptions run over WebSocket (graphql-ws) at this same URL, not over HTTP', {
                  extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
                });
              }
            },
          };
        },
      },
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
    ],
  });
  await apollo.start();
  httpServer.on('request', createHttpHandler({ apollo, dataSource, log, live: options.live, ide: options.ide, adminApiKey: options.adminApiKey }));
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 4000, options.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    stop: () => (stopping ??= (async () => {
      options.live.close();
      log.debug('draining http and closing websockets');
      await apollo.stop();
      log.debug('closing websocket server');
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    })()),
  };
}
