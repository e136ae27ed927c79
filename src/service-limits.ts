/**
 * The limits' shape and defaults, apart from config.ts (the only reader of the environment),
 * which reads each from the variable its TSDoc names.
 */

/** What one caller may ask of the service; every refusal is a 4xx with a stable code. */
export interface ServiceLimits {
  /**
   * Budget points per minute per API key (`RATE_LIMIT_PER_MINUTE`): each HTTP operation and WebSocket
   * subscribe takes one, or more by its cost (see {@link ServiceLimits.costPerPoint}).
   * @default 1200
   */
  keyRequestsPerMinute: number;
  /**
   * Budget points per minute per client address without a key (`PUBLIC_RATE_LIMIT_PER_MINUTE`), counted
   * like {@link ServiceLimits.keyRequestsPerMinute}.
   * @default 300
   */
  publicRequestsPerMinute: number;
  /**
   * Highest estimated cost of one operation, lists counted by `first` (`MAX_QUERY_COST`).
   * @default 10000
   */
  maxCost: number;
  /**
   * Longest GraphQL document, in characters (`MAX_QUERY_LENGTH`).
   * @default 20000
   */
  maxQueryLength: number;
  /**
   * Most lexical tokens in one document (`MAX_QUERY_TOKENS`). Parsing stops there, so no
   * validation rule ever sees a document large enough to make it slow.
   * @default 2000
   */
  maxTokens: number;
  /**
   * Largest HTTP request body, in bytes (`MAX_BODY_BYTES`).
   * @default 1000000
   */
  maxBodyBytes: number;
  /**
   * Largest WebSocket frame, in bytes (`WS_MAX_PAYLOAD_BYTES`); the `ws` default would be 100 MiB.
   * @default 65536
   */
  wsMaxPayloadBytes: number;
  /**
   * Subscriptions at once on one WebSocket (`WS_MAX_SUBSCRIPTIONS`).
   * @default 50
   */
  wsMaxSubscriptionsPerSocket: number;
  /**
   * Open WebSockets per API key, or per address without a key (`WS_MAX_SOCKETS_PER_KEY`).
   * @default 500
   */
  wsMaxSocketsPerKey: number;
  /**
   * Events one subscription may have waiting for its client (`WS_MAX_QUEUED_EVENTS`). A client
   * that does not read its events past this is disconnected (close code 4008), never buffered
   * without end.
   * @default 1000
   */
  wsMaxQueuedEvents: number;
  /**
   * Priced work per event that the subscriptions of one connection may hold
   * (`WS_SUBSCRIPTION_COST_PER_CONNECTION`): each subscription costs its selection under the cost
   * model, once per event.
   * @default 10000
   */
  subscriptionCostPerConnection: number;
  /**
   * Priced work per event that the subscriptions of one API key, or one address without a key,
   * may hold over all their connections (`WS_SUBSCRIPTION_COST_PER_CALLER`).
   * @default 20000
   */
  subscriptionCostPerCaller: number;
  /**
   * Priced work per event that all subscriptions on one instance may hold
   * (`WS_SUBSCRIPTION_COST_PER_INSTANCE`).
   * @default 1000000
   */
  subscriptionCostPerInstance: number;
  /**
   * Executions of subscription selections for events that run at once on one instance
   * (`WS_EVENT_CONCURRENCY`); each starts in an event-loop turn of its own.
   * @default 4
   */
  eventConcurrency: number;
  /**
   * Which peers' `X-Forwarded-For` to believe (`TRUST_PROXY`): `false`, none (the socket's address
   * counts); a list of proxy addresses or networks (`127.0.0.1, 10.0.0.0/8`), whose entries are
   * followed from the right until an address that is not one of them (the client); `true`, any
   * peer (the header's first entry; only where every request comes through a proxy that writes
   * the header itself, or any client could pick its own rate budget).
   * @default false
   */
  trustProxy: boolean | readonly string[];
  /**
   * Browser origins any caller may use, keyed or not (`ALLOWED_ORIGINS`, comma-separated), such
   * as the service's own public address (`https://match.example.org`). Keys add their own
   * `allowedOrigins`.
   * @default []
   */
  allowedOrigins: readonly string[];
  /**
   * Treat an `Origin` whose host equals the request's `Host` as the service's own
   * (`SAME_ORIGIN_BY_HOST`). Off, that holds only for loopback hosts (localhost, 127.0.0.1, [::1]):
   * a DNS-rebinding page names its own host in both headers, so Host equality alone proves nothing.
   * @default false
   */
  sameOriginByHost: boolean;
  /**
   * Expensive operations (ranking, team building, search, import) one API key, or one address
   * without a key, may run at once (`EXPENSIVE_CONCURRENCY`); a few more wait their turn, the
   * rest are refused with RATE_LIMITED.
   * @default 2
   */
  expensiveConcurrency: number;
  /**
   * Estimated cost (see `MAX_QUERY_COST`) that one point of a caller's per-minute budget pays for
   * (`COST_PER_POINT`): an operation takes max(1, ⌈cost / this⌉) points of `RATE_LIMIT_PER_MINUTE`
   * or `PUBLIC_RATE_LIMIT_PER_MINUTE`, so budgets count work (CPU), not requests. Calibrated by
   * `npm run bench:cost`: at the default, an operation at the cost limit takes 100 points, a third
   * of a keyless minute.
   * @default 100
   */
  costPerPoint: number;
  /**
   * Milliseconds a query may execute before it stops at its next checkpoint (a private field, a
   * root field's turn, a loader batch) and answers DEADLINE_EXCEEDED (`EXECUTION_DEADLINE_MS`).
   * Mutations are not cut short (their write may have committed); subscriptions live on.
   * @default 5000
   */
  executionDeadlineMs: number;
  /**
   * Requests per minute per client address that send an API key this service does not know, or
   * one that was revoked (`UNKNOWN_KEY_RATE_LIMIT_PER_MINUTE`). Checked before the key is looked
   * up, so a flood of made-up keys costs neither database lookups nor unlimited guesses.
   * @default 30
   */
  unknownKeysPerMinute: number;
  /**
   * Time for a client to send a request's headers, in ms (`HEADERS_TIMEOUT_MS`); at most
   * `REQUEST_TIMEOUT_MS`. A client that trickles them is answered 408 and disconnected.
   * @default 10000
   */
  headersTimeoutMs: number;
  /**
   * Time for a client to send a whole request, headers and body, in ms (`REQUEST_TIMEOUT_MS`).
   * A client that trickles its body is answered 408 and disconnected. Answering takes as long as
   * it takes: this bounds only what the client sends.
   * @default 30000
   */
  requestTimeoutMs: number;
  /**
   * How much of a body over `MAX_BODY_BYTES` is read and thrown away before the 413 answer
   * (`MAX_BODY_DRAIN_BYTES`), so that a client still sending can read it rather than meet a
   * broken pipe. A body declared larger than this is answered at once and its connection closed.
   * @default 10000000
   */
  maxBodyDrainBytes: number;
}

export const DEFAULT_LIMITS: ServiceLimits = {
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
};
