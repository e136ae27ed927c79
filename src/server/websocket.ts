import type { Loaders } from '../graphql/loaders';
import { getOperationAST, GraphQLFormattedError, GraphQLSchema, OperationTypeNode } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import http from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { budgetOf, Viewer } from '../domain/access/role';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { Pipeline } from '../graphql/pipeline';
import { isRefusal, TransportFacts } from '../graphql/pipeline-types';
import { toGraphQLError } from '../graphql/to-graphql-error';
import { Context, withWarnings } from '../graphql/context';
import { Logger } from '../log/logger';
import { ChangeFeed } from '../subscriptions/change-feed';
import { createSharedSubscribe } from '../subscriptions/shared-execution';
import { createSubscriptionBudget, Hold, priceOfSubscription } from '../graphql/subscription-budget';
import { clientAddressOf } from './client-address';
import { factsOf } from './http-app';
import { refusalClose, WsCloseCode } from './close-codes';

/** Options for {@link startWebSocket}. */
export interface WebSocketOptions {
  httpServer: http.Server;
  pipeline: Pipeline;
  log: Logger;
  live: ChangeFeed<Loaders>;
  schema: GraphQLSchema;
  keepAliveMs: number;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/** How long a slow client gets to complete the closing handshake before its socket is cut. */
const SLOW_CLOSE_GRACE_MS = 2000;

type Extra = {
  viewer?: Viewer;
  caller?: string;
  facts?: TransportFacts;
  /** What each of this connection's subscriptions holds of the subscription budget, by id. */
  holds?: Map<string, Hold>;
};

/**
 * The `Authorization` value of a graphql-ws `connection_init` payload. Clients spell the name as
 * they like (`authorization`, `Authorization`) and some nest their header map under `headers`
 * (GraphiQL sends the Headers tab as the payload itself). Two spellings that disagree are not
 * guessed between: the result is then a value {@link createViewerResolver}'s resolver refuses as a bad key.
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

/**
 * GraphQL over WebSocket (graphql-ws) on the HTTP server's /graphql. It is not a side door: each
 * connection is admitted and each operation metered and prepared by the same pipeline as HTTP
 * requests, with the same error masking; plus what only sockets need: caps on frame size,
 * operations per socket and sockets per key, and revoked keys' sockets closed at once.
 */
export function startWebSocket(options: WebSocketOptions): { wsServer: WebSocketServer; dispose(): Promise<void> } {
  const { pipeline, log, live } = options;
  const limits = pipeline.limits;
  const addressOf = clientAddressOf(limits.trustProxy);
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    maxPayload: limits.wsMaxPayloadBytes,
  });
  /** Open sockets per budget (a key, or an address: keyless and publishable callers). */
  const socketsOf = new Map<string, Set<WebSocket>>();
  /** Open sockets per key, to close when it is revoked. */
  const socketsOfKey = new Map<string, Set<WebSocket>>();
  const budget = createSubscriptionBudget({
    perConnection: limits.subscriptionCostPerConnection,
    perCaller: limits.subscriptionCostPerCaller,
    perInstance: limits.subscriptionCostPerInstance,
  });
  const tooSlow = (socket: WebSocket) => {
    if (socket.readyState !== socket.OPEN) return;
    log.warn('WebSocket closed: its client does not read its events', { maxQueued: limits.wsMaxQueuedEvents });
    socket.close(WsCloseCode.TooSlow, `Too slow: more than ${limits.wsMaxQueuedEvents} events unread`);
    setTimeout(() => socket.terminate(), SLOW_CLOSE_GRACE_MS).unref();
  };
  // Registered before graphql-ws's own listener, so each socket is quieted before it listens.
  wsServer.on('connection', (socket) => quietProtocolErrors(socket, log));

  const stopHearing = live.onKeyRevoked((keyId) => {
    for (const socket of socketsOfKey.get(keyId) ?? []) socket.close(WsCloseCode.Forbidden, 'API key revoked');
  });

  const server = useServer<Record<string, unknown>, Extra>(
    {
      schema: options.schema,
      // Each event's selection runs once per view, not once per subscriber.
      subscribe: createSharedSubscribe({ concurrency: limits.eventConcurrency }),
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        const facts = {
          ...factsOf(request, 'websocket', addressOf),
          authorization: authorizationOf(ctx.connectionParams),
          method: undefined,
        };
        const admitted = await pipeline.admit(facts);
        if ('refusal' in admitted) {
          // The reason says what to fix: the refusal's own message, under its code's close code.
          const [error] = admitted.refusal.errors;
          const { code, reason } = refusalClose(error.extensions.code, error.message);
          socket.close(code, reason);
          return false;
        }
        const { viewer } = admitted;
        const caller = budgetOf(viewer, facts.address);
        const sockets = socketsOf.get(caller) ?? new Set<WebSocket>();
        if (sockets.size >= limits.wsMaxSocketsPerKey) {
          socket.close(
            WsCloseCode.TooManyConnections,
            `Too many open connections: at most ${limits.wsMaxSocketsPerKey} per key or address`,
          );
          return false;
        }
        sockets.add(socket);
        socketsOf.set(caller, sockets);
        const keyId = viewer.keyId;
        const ofKey = keyId === undefined ? undefined : (socketsOfKey.get(keyId) ?? new Set<WebSocket>());
        if (keyId !== undefined && ofKey) socketsOfKey.set(keyId, ofKey.add(socket));
        const holds = new Map<string, Hold>();
        socket.once('close', () => {
          sockets.delete(socket);
          if (sockets.size === 0) socketsOf.delete(caller);
          ofKey?.delete(socket);
          if (keyId !== undefined && ofKey?.size === 0) socketsOfKey.delete(keyId);
          for (const hold of holds.values()) hold.release();
        });
        Object.assign(ctx.extra, { viewer, caller, facts, holds });
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const viewer = ctx.extra.viewer!;
        const facts = ctx.extra.facts!;
        if (Object.keys(ctx.subscriptions).length > limits.wsMaxSubscriptionsPerSocket) {
          return [
            toGraphQLError(
              new DomainError(
                DomainErrorCode.RateLimited,
                `At most ${limits.wsMaxSubscriptionsPerSocket} operations at once on one connection`,
              ),
            ),
          ];
        }
        const limited = await pipeline.meter(viewer, facts);
        if (limited) return [...limited.errors];
        // A revocation heard by another instance reaches this one through the bus; this check
        // also covers a bus message that was lost.
        const revoked = await pipeline.stillValid(viewer, facts);
        if (revoked) {
          ctx.extra.socket.close(WsCloseCode.Forbidden, 'API key revoked');
          return [...revoked.errors];
        }
        const prepared = pipeline.prepare(viewer, payload, facts);
        if (isRefusal(prepared)) return [...prepared.errors];
        const contextValue = pipeline.context(viewer, facts, payload);
        const { document, variables, operationName } = prepared;
        if (getOperationAST(document, operationName)?.operation === OperationTypeNode.SUBSCRIPTION) {
          const price = priceOfSubscription(options.schema, document, variables, operationName);
          try {
            ctx.extra.holds!.set(id, budget.hold(ctx.extra.socket, ctx.extra.caller!, price));
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            const refusal = toGraphQLError(error);
            contextValue.trace?.finish([refusal]);
            return [refusal];
          }
          contextValue.stream = { maxQueued: limits.wsMaxQueuedEvents, onOverflow: () => tooSlow(ctx.extra.socket) };
        }
        return {
          schema: options.schema,
          document,
          variableValues: variables,
          operationName,
          contextValue,
        };
      },
      // An operation's answer (a subscription: its stream, or the errors it began with) ends its trace.
      onOperation: async (_ctx, _id, _payload, args, result) => {
        const settled = await result;
        (args.contextValue as Context).trace?.finish(Symbol.asyncIterator in settled ? undefined : settled.errors);
      },
      // However a subscription ends (completed, failed, refused after onSubscribe), its price is free again.
      onComplete: (ctx, id) => {
        ctx.extra.holds?.get(id)?.release();
        ctx.extra.holds?.delete(id);
      },
      // Errors over WebSocket get the same codes and masking as over HTTP.
      onNext: (_ctx, _id, _payload, args, result) =>
        withWarnings(
          args.contextValue as Context,
          result.errors ? { ...result, errors: result.errors.map((e) => options.formatError(e.toJSON(), e)) } : result,
        ),
      // A subscription cut off because its client left (the write to its socket failed) is not an
      // incident, nor a database one: there is no one to tell.
      onError: (ctx, _id, _payload, errors) =>
        ctx.extra.socket.readyState === ctx.extra.socket.OPEN
          ? errors.map((e) => options.formatError(e.toJSON(), e))
          : [],
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
