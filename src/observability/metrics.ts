/**
 * What an operator watches, in Prometheus's text format (prom-client): operations by name and
 * outcome with their latency, the match index, the outbox, sockets and subscriptions, job queues,
 * and Node's own process metrics. Gauges are read when scraped (prom-client `collect` callbacks):
 * nothing polls, so nothing keeps the process alive or costs anything between scrapes.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Logger } from '../log/logger';

/** How an operation ended: `ok`, or the first error's `extensions.code`. */
export type Outcome = string;

/** The transports an operation arrives by. */
export type Transport = 'http' | 'websocket' | 'webhook';

/** What the gauges read, each when scraped; any may be left out (a part this process does not run). */
export interface MetricSources {
  /** The match index's rows and bytes. */
  index?: () => { stakeholders: number; challenges: number; bytes: number };
  /** Changes committed but not relayed, and the age in seconds of the oldest. */
  outbox?: () => Promise<{ backlog: number; oldestSeconds: number }>;
  /** Relayed changes this instance has not applied to its index yet. */
  behind?: () => Promise<number>;
  /** Open WebSockets on this instance. */
  sockets?: () => number;
  /** Subscriptions this instance serves. */
  subscriptions?: () => number;
  /** Jobs waiting or running, per queue. */
  queues?: readonly { name: string; depth: () => Promise<number> }[];
}

/** A gauge's value now; `undefined` when this process has no such part. */
type Reading = () => Promise<number | undefined> | number | undefined;

/** A service's metrics: record operations, register sources, render the text. */
export interface ServiceMetrics {
  /** The `Content-Type` of {@link ServiceMetrics.text}. */
  readonly contentType: string;
  /** Counts one operation and its latency. */
  operation(transport: Transport, operation: string, outcome: Outcome, seconds: number): void;
  /**
   * Counts one HTTP response by route and status — every one, including those refused before any
   * GraphQL operation (a body too large, malformed JSON, a rate limit, a foreign origin).
   */
  response(route: string, status: number): void;
  /** Reads these sources at each scrape (beside those given before; a later one of a kind replaces the earlier). */
  watch(sources: MetricSources): void;
  /** The exposition text, every gauge read now. */
  text(): Promise<string>;
}

/**
 * Latency buckets, in seconds: most reads answer in milliseconds, rankings in tens of them, and
 * the execution deadline (5 s by default) is the far end.
 * @default [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
 */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Prefix of every metric of ours (Node's own keep prom-client's `process_` and `nodejs_`). */
export const METRIC_PREFIX = 'matchmaker_';

// Node's process metrics describe the process, not one service in it: registered once per
// process (tests run several services in one), merged into each service's registry.
let processRegistry: Registry | undefined;
const processMetrics = () => {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
};

/** Creates a service's metrics (its own registry, plus the process's). */
export function createServiceMetrics(log: Logger): ServiceMetrics {
  const own = new Registry();
  const registers = [own];
  let sources: MetricSources = {};
  // A scrape while the database is away still answers: the gauge shows NaN and the log says why.
  const read = async (gauge: Gauge, what: string, value: Reading) => {
    try {
      const v = await value();
      if (v === undefined) gauge.reset();
      else gauge.set(v);
    } catch (error) {
      log.warn('metrics: a gauge could not be read', { metric: what, error: String(error) });
      gauge.set(Number.NaN);
    }
  };
  const gauge = (name: string, help: string, value: Reading) =>
    new Gauge({
      name: METRIC_PREFIX + name,
      help,
      registers,
      async collect() {
        await read(this, name, value);
      },
    });

  const labelNames = ['transport', 'operation', 'outcome'] as const;
  const operations = new Counter({
    name: `${METRIC_PREFIX}graphql_operations_total`,
    help: 'GraphQL operations by transport, operation name and outcome (ok, or the error code)',
    labelNames,
    registers,
  });
  const latency = new Histogram({
    name: `${METRIC_PREFIX}graphql_operation_duration_seconds`,
    help: 'Time from an operation’s arrival to its answer (a subscription: until it is established)',
    labelNames,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const responses = new Counter({
    name: `${METRIC_PREFIX}http_responses_total`,
    help: 'HTTP responses by route (the matched pattern, or "unmatched") and status, refusals included',
    labelNames: ['route', 'status'] as const,
    registers,
  });
  gauge('index_stakeholders', 'Stakeholders in this instance’s match index', () => sources.index?.().stakeholders);
  gauge('index_challenges', 'Challenges in this instance’s match index', () => sources.index?.().challenges);
  gauge('index_bytes', 'Bytes held by the match index’s stakeholder columns', () => sources.index?.().bytes);
  // One query for both outbox gauges per scrape.
  let outbox: Promise<{ backlog: number; oldestSeconds: number }> | undefined;
  const outboxNow = () => (outbox ??= sources.outbox!().finally(() => (outbox = undefined)));
  gauge('outbox_backlog', 'Changes committed and not yet relayed (matched and numbered)', async () =>
    sources.outbox ? (await outboxNow()).backlog : undefined,
  );
  gauge('outbox_relay_lag_seconds', 'Age of the oldest change not yet relayed (0 when none waits)', async () =>
    sources.outbox ? (await outboxNow()).oldestSeconds : undefined,
  );
  gauge('outbox_instance_behind', 'Relayed changes this instance has not yet applied to its index', () =>
    sources.behind?.(),
  );
  gauge('websocket_sockets', 'Open WebSocket connections on this instance', () => sources.sockets?.());
  gauge('subscriptions', 'Subscriptions this instance serves', () => sources.subscriptions?.());
  new Gauge({
    name: `${METRIC_PREFIX}job_queue_depth`,
    help: 'Jobs waiting or running, per queue (webhook deliveries, mail)',
    labelNames: ['queue'],
    registers,
    async collect() {
      this.reset();
      for (const queue of sources.queues ?? []) {
        try {
          this.set({ queue: queue.name }, await queue.depth());
        } catch (error) {
          log.warn('metrics: a queue depth could not be read', { queue: queue.name, error: String(error) });
          this.set({ queue: queue.name }, Number.NaN);
        }
      }
    },
  });
  const all = Registry.merge([processMetrics(), own]);
  return {
    contentType: all.contentType,
    operation(transport, operation, outcome, seconds) {
      operations.inc({ transport, operation, outcome });
      latency.observe({ transport, operation, outcome }, seconds);
    },
    response(route, status) {
      responses.inc({ route, status: String(status) });
    },
    watch(given) {
      sources = { ...sources, ...given };
    },
    text: () => all.metrics(),
  };
}
