/** How webhooks are sent; read from the environment by config.ts (the names are in brackets). */
export interface WebhookSettings {
  /**
   * Plain `http://` endpoints allowed (`WEBHOOK_ALLOW_HTTP`): development and tests only.
   * @default false in production, true otherwise
   */
  allowHttp: boolean;
  /**
   * Host names that may resolve to private or loopback addresses (`WEBHOOK_ALLOWED_HOSTS`, comma
   * separated), e.g. `localhost` for a receiver on the same machine. Everything else is refused.
   * @default []
   */
  allowedPrivateHosts: readonly string[];
  /**
   * One attempt's time-out, connect to last byte, in ms (`WEBHOOK_TIMEOUT_MS`).
   * @default 10000
   */
  timeoutMs: number;
  /**
   * Seconds to wait before each retry after a failed attempt (`WEBHOOK_RETRY_SCHEDULE`, comma
   * separated); one attempt plus one per entry, then the delivery is FAILED.
   * @default [5, 300, 1800, 7200, 18000, 36000, 36000] (8 attempts over about 27 hours)
   */
  retrySchedule: readonly number[];
  /**
   * Failed attempts in a row (any delivery) after which an endpoint is disabled (`WEBHOOK_DISABLE_AFTER`).
   * @default 20
   */
  disableAfterFailures: number;
  /**
   * Endpoints one API key may register (`WEBHOOK_MAX_ENDPOINTS`).
   * @default 20
   */
  maxEndpointsPerKey: number;
  /**
   * Deliveries one instance sends at once (`WEBHOOK_CONCURRENCY`).
   * @default 20
   */
  concurrency: number;
  /**
   * How often an idle instance looks for due deliveries, in seconds (`WEBHOOK_POLL_SECONDS`); the
   * relaying instance is woken at once.
   * @default 1
   */
  pollSeconds: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = Object.freeze({
  allowHttp: false,
  allowedPrivateHosts: [],
  timeoutMs: 10_000,
  retrySchedule: [5, 300, 1800, 7200, 18_000, 36_000, 36_000],
  disableAfterFailures: 20,
  maxEndpointsPerKey: 20,
  concurrency: 20,
  pollSeconds: 1,
});

/**
 * Response bytes read from an endpoint before the rest is discarded (its answer is only kept as a
 * short excerpt for the delivery's `lastError`).
 * @default 65536
 */
export const MAX_RESPONSE_BYTES = 65_536;
