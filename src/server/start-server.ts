import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { WebSocketServer } from 'ws';
import { Context, createContext } from '../graphql/context';
import { createFormatError } from '../graphql/to-graphql-error';
import { createHttpHandler } from './http-handler';
import { Logger } from './logger';

/** Options for {@link startServer}. */
export interface StartServerOptions {
  schema: GraphQLSchema;
  dataSource: DataSource;
  log: Logger;
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
  const wsCleanup = useServer<Record<string, unknown>, { ctx?: Context }>(
    { schema, context: () => createContext(dataSource, log) },
    wsServer,
  );
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: options.introspection ?? true,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(log),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
    ],
  });
  await apollo.start();
  httpServer.on('request', createHttpHandler({ apollo, dataSource, log, ide: options.ide }));
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 4000, options.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      await apollo.stop();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
