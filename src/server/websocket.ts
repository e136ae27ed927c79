import {
  DocumentNode,
  GraphQLError,
  GraphQLFormattedError,
  GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { sharedSubscribe } from '../subscriptions/shared-execution';
import { useServer } from 'graphql-ws/use/ws';
import http from 'node:http';
import { DataSource } from 'typeorm';
import { WebSocket, WebSocketServer } from 'ws';
import { isKeyLive } from '../domain/access/api-key.service';
import { BOOTSTRAP_ADMIN_ID, Viewer } from '../domain/access/role';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { createContext } from '../graphql/context';
import { toGraphQLError } from '../graphql/to-graphql-error';
import { shapeErrors } from '../graphql/query-limits';
import { operationError } from '../graphql/operation-checks';
import { ErrorCode } from '../graphql/error-codes';
import { resolveViewer } from '../graphql/viewer';
import { LiveMatches } from '../subscriptions/live-matches';
import { Guard } from './guard';
import { Logger } from '../log/logger';

/** Options for {@link startWebSocket}. */
export interface WebSocketOptions {
  httpServer: http.Server;
  schema: GraphQLSchema;
  dataSource: DataSource;
  log: Logger;
  live: LiveMatches;
  guard: Guard;
  adminApiKey?: string;
  introspection: boolean;
  keepAliveMs: number;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/**
 * Close codes: the reason says what to fix. A bad key is 4401 (HTTP's 401), which graphql-ws
 * clients take as final instead of retrying the same key for half a minute; an origin the key
 * does not allow, or a key revoked while connected, is 4403.
 */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;
export const CLOSE_TOO_MANY = 4429;

type Extra = {
  viewer?: Viewer;
  caller?: string;
};

/**
 * The `Authorization` value of a graphql-ws `connection_init` payload. Clients spell the name as
 * they like (`authorization`, `Authorization`) and some nest their header map under `headers`
 * (GraphiQL sends the Headers tab as the payload itself). Two spellings that disagree are not
 * guessed between: the result is then a value {@link resolveViewer} refuses as a bad key.
 */
export function authorizationOf(params: Readonly<Record<string, unknown>> | undefined | null): unknown {
  const values: unknown[] = [];
  const collect = (map: unknown) => {
    if (!map || typeof map !== 'object' || Array.isArray(map)) return;
    for (const [name, value] of Object.entries(map)) if (name.toLowerCase() === 'authorization') values.push(value);
  };
  collect(params);
  collect(params?.headers);
  const distinct = [...new Set(values)];
  if (distinct.length > 1) return { conflicting: distinct.length };
  return distinct[0];
}

// ws itself closes a socket that breaks the protocol (1009 for an oversized frame, 1002, 1007)
// and then emits the error, which graphql-ws would print with its stack as an "internal error".
// It is the client's fault, not ours: one warning line, and the socket's own close code stands.
function quietProtocolErrors(socket: WebSocket, log: Logger): void {
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    const error = args[0] as { code?: unknown; message?: string } | undefined;
    if (event === 'error' && typeof error?.code === 'string' && error.code.startsWith('WS_ERR_')) {
      log.warn('WebSocket closed: the client broke the protocol', { code: error.code, error: error.message });
      return true;
    }
    return emit(event, ...args);
  }) as WebSocket['emit'];
}

const parseError = (error: unknown) =>
  error instanceof GraphQLError
    ? new GraphQLError(error.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        extensions: { code: ErrorCode.GRAPHQL_PARSE_FAILED },
      })
    : new GraphQLError('The query could not be parsed', { extensions: { code: ErrorCode.GRAPHQL_PARSE_FAILED } });

/**
 * GraphQL over WebSocket (graphql-ws) on the HTTP server's /graphql. It is not a side door: the
 * same key check, Origin check, rate limit, length, shape and cost limits, introspection setting
 * and error masking as over HTTP; plus caps on frame size, subscriptions per socket and sockets
 * per key, and revoked keys' sockets closed at once.
 */
export function startWebSocket(options: WebSocketOptions): { wsServer: WebSocketServer; dispose(): Promise<void> } {
  const { schema, dataSource, log, live, guard } = options;
  const limits = guard.limits;
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    maxPayload: limits.wsMaxPayloadBytes,
  });
  const rules = [...specifiedRules, ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
  const socketsOf = new Map<string, Set<WebSocket>>();
  // Registered before graphql-ws's own listener, so each socket is quieted before it listens.
  wsServer.on('connection', (socket) => quietProtocolErrors(socket, log));

  const stopHearing = live.onKeyRevoked((keyId) => {
    for (const socket of socketsOf.get(keyId) ?? []) socket.close(CLOSE_FORBIDDEN, 'API key revoked');
  });

  const server = useServer<Record<string, unknown>, Extra>(
    {
      schema,
      // Each event's selection runs once per view, not once per subscriber.
      subscribe: sharedSubscribe,
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        let viewer: Viewer;
        try {
          viewer = await resolveViewer(authorizationOf(ctx.connectionParams), dataSource, options.adminApiKey);
        } catch (error) {
          if (error instanceof GraphQLError)
            socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized: the API key is not valid or was revoked');
          // The key could not be checked (database away): 1013 asks the client to try again later.
          else socket.close(1013, 'Service unavailable: retry shortly');
          return false;
        }
        const originError = guard.checkOrigin(request.headers.origin, request.headers.host, viewer);
        if (originError) {
          socket.close(CLOSE_FORBIDDEN, `Forbidden: ${originError.message}`.slice(0, 120));
          return false;
        }
        const caller = viewer.keyId ?? `ip:${guard.addressOf(request) ?? 'unknown'}`;
        const sockets = socketsOf.get(caller) ?? new Set<WebSocket>();
        if (sockets.size >= limits.wsMaxSocketsPerKey) {
          socket.close(
            CLOSE_TOO_MANY,
            `Too many open connections: at most ${limits.wsMaxSocketsPerKey} per key or address`,
          );
          return false;
        }
        sockets.add(socket);
        socketsOf.set(caller, sockets);
        socket.once('close', () => {
          sockets.delete(socket);
          if (sockets.size === 0) socketsOf.delete(caller);
        });
        Object.assign(ctx.extra, { viewer, caller });
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const viewer = ctx.extra.viewer!;
        const refuse = (error: GraphQLError) => [error];
        if (Object.keys(ctx.subscriptions).length > limits.wsMaxSubscriptionsPerSocket) {
          return refuse(
            toGraphQLError(
              new DomainError(
                DomainErrorCode.RateLimited,
                `At most ${limits.wsMaxSubscriptionsPerSocket} operations at once on one connection`,
              ),
            ),
          );
        }
        const rate = guard.checkRate(viewer, guard.addressOf(ctx.extra.request));
        if (rate) return refuse(rate.error);
        // A revocation heard by another instance reaches this one through the bus; this check
        // also covers a bus message that was lost.
        if (
          viewer.keyId &&
          viewer.keyId !== BOOTSTRAP_ADMIN_ID &&
          !(await isKeyLive(dataSource.manager, viewer.keyId))
        ) {
          ctx.extra.socket.close(CLOSE_FORBIDDEN, 'API key revoked');
          return refuse(toGraphQLError(new DomainError(DomainErrorCode.Unauthenticated, 'The API key was revoked')));
        }
        const tooLong = guard.checkLength(payload.query);
        if (tooLong) return refuse(tooLong);
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: limits.maxTokens });
        } catch (error) {
          return refuse(parseError(error));
        }
        const shape = shapeErrors(schema, document);
        if (shape.length) return shape;
        const invalid = validate(schema, document, rules);
        if (invalid.length) {
          // As Apollo does over HTTP: where introspection is off, no "Did you mean …" spells the schema out.
          const message = (m: string) => (options.introspection ? m : m.replace(/ ?Did you mean(.+?)\?$/, ''));
          return invalid.map(
            (e) =>
              new GraphQLError(message(e.message), {
                nodes: e.nodes,
                extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED },
              }),
          );
        }
        const costly = operationError(
          schema,
          document,
          payload.variables ?? undefined,
          payload.operationName ?? undefined,
          limits.maxCost,
        );
        if (costly) return refuse(costly);
        return {
          schema,
          document,
          variableValues: payload.variables,
          operationName: payload.operationName,
          contextValue: createContext(dataSource, log, {
            live,
            viewer,
            address: guard.addressOf(ctx.extra.request),
            work: guard.work,
            acceptLanguage: ctx.extra.request.headers['accept-language'],
            operation: payload,
          }),
        };
      },
      // Errors over WebSocket get the same codes and masking as over HTTP.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => options.formatError(e.toJSON(), e)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => options.formatError(e.toJSON(), e)),
    },
    wsServer,
    options.keepAliveMs,
  );
  return {
    wsServer,
    dispose: async () => {
      stopHearing();
      await server.dispose();
    },
  };
}
