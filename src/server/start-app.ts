import { DataSource } from 'typeorm';
import { Config } from '../config';
import { createDataSource } from '../db/data-source';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { runMigrations } from '../db/migrate';
import { demoOrigins, seedDemo } from '../db/seed-demo';
import { buildSchema } from '../graphql/build-schema';
import { Logger } from '../log/logger';
import { RunningServer, startServer } from './start-server';
import { outboxBacklog, relayedUpTo } from '../subscriptions/outbox-relay';
import { pendingSeqs } from '../subscriptions/read-changes';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import { createServiceMetrics } from '../observability/metrics';
import { startTracing } from '../observability/tracing';
import { ChangeFeed } from '../subscriptions/change-feed';
import { MatchIndex } from '../matching/index/match-index';
import { loadMatchIndex } from '../matching/index/load-index';
import { startRankPool } from '../matching/workers/rank-pool';
import { createLoaders, Loaders } from '../graphql/loaders';
import { createPgBus } from '../subscriptions/pg-bus';
import { createRedisBus } from '../subscriptions/redis-bus';
import { preloadGazetteer } from '../domain/geo/gazetteer';
import { startWebhooks } from '../webhooks/start-webhooks';
import { startJobs } from '../jobs/job-queue';
import { MAIL_QUEUES, startNotify } from '../notify/start-notify';
import { DELIVERY_QUEUE } from '../webhooks/webhook-queue';
import { renewDemoKeys } from '../db/demo-keys';
import { exampleIds } from './ide/example-ids';
import { megabytes, StartSummary } from './start-summary';
import { scheduleTrackPriorRefresh, TRACK_PRIOR_QUEUE } from '../matching/track-prior-refresh';

/** The whole service, running. */
export interface RunningApp {
  url: string;
  port: number;
  dataSource: DataSource;
  /** The HTTP and WebSocket server; stopping it alone leaves the rest running (tests of a server that goes away). */
  server: RunningServer;
  /** This instance's change feed and match index (tests read its index and count its subscribers). */
  live: ChangeFeed<Loaders>;
  /** What the start says once ready (src/index.ts prints it: in words in development, as JSON in production). */
  summary: StartSummary;
  /**
   * Shutdown in order: WebSockets close (1001), subscriptions end (a relay in flight finishes), HTTP
   * drains (start-server.ts), then the event bus, the database pool and the embedded PostgreSQL.
   * Stopping again waits for the same shutdown.
   */
  stop(): Promise<void>;
}

async function isEmpty(dataSource: DataSource): Promise<boolean> {
  const rows: unknown[] = await dataSource.query('SELECT 1 FROM stakeholder LIMIT 1');
  return rows.length === 0;
}

/**
 * What a caller other than `npm start` may hand over beside the configuration: the tests start the
 * service through {@link startApp} too, so that they run what ships rather than a copy of its wiring.
 */
export interface StartAppOptions {
  /**
   * A database created (and migrated) by the caller, used instead of `DATABASE_URL` or the embedded
   * PostgreSQL; it is never seeded, and its pool stays open when the app stops (the caller owns it).
   * @default undefined
   */
  database?: { url: string; dataSource: DataSource };
  /**
   * Where the PostgreSQL event bus connects (e.g. through a relay a test can cut); unused with `REDIS_URL`.
   * @default the database's own URL
   */
  busUrl?: string;
  /**
   * How often the change feed looks for changes nobody relayed; 0 looks only when told.
   * @default 1000
   */
  pollMs?: number;
  /**
   * How long a read of the relay's work waits for the relay after this instance's writes (see
   * ChangeFeedOptions.ownRelayWaitMs).
   * @default 2000
   */
  ownRelayWaitMs?: number;
  /**
   * WebSocket keep-alive: ping every this many ms and drop clients that do not answer.
   * @default 12000
   */
  keepAliveMs?: number;
  /**
   * Run the scheduled jobs on this instance: the minute-by-minute sweep of due notifications (expiry,
   * reminders, digests) and the daily refresh of the track record's prior; tests turn them off and
   * run them when they move the clock.
   * @default true
   */
  sweep?: boolean;
  /**
   * Where spans go instead of `OTEL_EXPORTER_OTLP_ENDPOINT` (tests read an in-memory exporter);
   * giving one turns tracing on.
   * @default undefined
   */
  spanExporter?: SpanExporter;
}

/**
 * Starts the database (embedded unless `DATABASE_URL` is set or `options.database` given), applies
 * migrations, seeds a freshly created embedded database with demo data, and serves the API. The one
 * place where the parts are wired: `npm start` (src/index.ts) and the tests' startTestServer call it.
 */
export async function startApp(config: Config, log: Logger, options: StartAppOptions = {}): Promise<RunningApp> {
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  const stopAll = async () => {
    for (const { name, stop } of stops.reverse()) {
      log.debug('stopping', { part: name });
      await stop().catch((error) => log.error('stop failed', { part: name, error: String(error) }));
    }
  };
  try {
    const external = Boolean(config.databaseUrl || options.database);
    let url = options.database?.url ?? config.databaseUrl;
    if (!url) {
      log.info('starting embedded PostgreSQL', { dataDir: config.dataDir });
      const embedded = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.embeddedPgPort,
        log: (m) => log.debug('postgres', { line: m }),
      });
      stops.push({ name: 'embedded postgres', stop: embedded.stop });
      if (embedded.dataDir !== config.dataDir)
        log.info('embedded PostgreSQL data', { linkedFrom: config.dataDir, dataDir: embedded.dataDir });
      url = embedded.url;
    }
    const dataSource =
      options.database?.dataSource ??
      createDataSource({ url, poolSize: config.dbPoolSize, statementTimeoutMs: config.dbStatementTimeoutMs });
    // A database handed over stays its owner's: its pool is neither opened nor closed here.
    if (!options.database) {
      await dataSource.initialize();
      stops.push({ name: 'database pool', stop: () => dataSource.destroy() });
    }
    const applied = await runMigrations(dataSource);
    log.info('database ready', { external, migrationsApplied: applied });
    // An embedded database with no stakeholders is a fresh one (even if an earlier first start
    // was interrupted mid-seed); a database given (DATABASE_URL, options.database) is never seeded.
    if (!external && config.seedDemo && (await isEmpty(dataSource))) {
      const seeded = await seedDemo(dataSource, { widgetOrigins: demoOrigins(config.port) });
      log.info('seeded demo network', seeded);
    }
    // Development with the demo network: keys for the IDE's tabs that need a role. Never in production.
    const demoKeys =
      !config.production && config.seedDemo
        ? await renewDemoKeys(dataSource, (await exampleIds(dataSource)).hubId)
        : undefined;
    if (demoKeys) log.info('demo keys made', { hub: demoKeys.hubName, revoked: demoKeys.revoked });
    const bus = config.redisUrl
      ? await createRedisBus(config.redisUrl, log)
      : await createPgBus(options.busUrl ?? url, log);
    stops.push({ name: 'event bus', stop: () => bus.close() });
    log.info('event bus ready', { transport: config.redisUrl ? 'redis' : 'postgres' });
    const index = new MatchIndex({ unansweredAfterDays: config.unansweredAfterDays });
    index.ranker = await startRankPool({ threads: config.rankWorkers });
    stops.push({ name: 'ranking workers', stop: index.ranker.stop });
    log.info('ranking workers ready', { threads: index.ranker.threads });
    // Webhooks' queue first: the change feed's first relay may already write deliveries.
    const jobs = await startJobs({
      url,
      log,
      pollSeconds: config.webhooks.pollSeconds,
      queues: [DELIVERY_QUEUE, ...Object.values(MAIL_QUEUES), TRACK_PRIOR_QUEUE],
    });
    stops.push({ name: 'job queue', stop: jobs.stop });
    const webhooks = await startWebhooks({ dataSource, jobs, log, settings: config.webhooks });
    stops.push({ name: 'webhooks', stop: webhooks.stop });
    const notify = await startNotify({ dataSource, jobs, log, mail: config.mail });
    stops.push({ name: 'mail', stop: notify.stop });
    log.info('mail ready', { to: notify.mailer.description });
    const queued = new Set<{ wake(): void }>();
    const live = new ChangeFeed(dataSource, bus, log, () => createLoaders(dataSource), index, {
      pollMs: options.pollMs,
      ownRelayWaitMs: options.ownRelayWaitMs,
      // Webhook deliveries and invitation mail are written in the relay's transaction; the queues
      // written to are woken once it committed (a relay that queued nothing wakes nobody).
      onRelayed: async (m, relayed) => {
        if (await webhooks.onRelayed(m, relayed)) queued.add(webhooks.queue);
        for (const queue of await notify.onRelayed(m, relayed)) queued.add(queue);
      },
      afterRelay: () => {
        for (const queue of queued) queue.wake();
        queued.clear();
      },
    });
    const metrics = createServiceMetrics(log);
    metrics.watch({
      index: () => ({ stakeholders: index.size, challenges: index.challenges.size, bytes: index.byteLength }),
      outbox: () => outboxBacklog(dataSource),
      behind: async () => Math.max(0, (await relayedUpTo(dataSource)) - live.applied),
      queues: [DELIVERY_QUEUE, ...Object.values(MAIL_QUEUES)].map((name) => ({ name, depth: () => jobs.depth(name) })),
    });
    const tracing = await startTracing(config.tracing, options.spanExporter);
    if (tracing) {
      stops.push({ name: 'tracing', stop: tracing.stop });
      log.info('tracing on', {
        endpoint: config.tracing.endpoint ?? 'in memory',
        arguments: config.tracing.recordArguments,
      });
    }
    const schema = await buildSchema();
    const server = await startServer({
      schema,
      dataSource,
      log,
      live,
      port: config.port,
      host: config.host,
      ide: config.ide,
      ideKeys: demoKeys,
      introspection: config.introspection,
      adminApiKey: config.adminApiKey,
      limits: config.limits,
      redisUrl: config.redisUrl,
      keepAliveMs: options.keepAliveMs,
      metrics: { service: metrics, settings: config.metrics },
      tracing: tracing && { tracer: tracing.tracer, recordArguments: config.tracing.recordArguments },
    });
    stops.push({ name: 'http and websocket', stop: server.stop });
    stops.push({ name: 'webhook senders', stop: await webhooks.send(schema, server.pipeline) });
    log.info('webhook senders ready', { concurrency: config.webhooks.concurrency });
    log.info('listening', { url: `http://localhost:${server.port}/graphql` });
    // Listening already, so /readyz can say 503 while the index loads.
    const started = Date.now();
    let logged = 0;
    // Read before the load: a change relayed while it runs is applied again afterwards (harmless);
    // one pending now is in what the load reads, and is relayed without being read again.
    const relayedBefore = await relayedUpTo(dataSource);
    const pendingBefore = await pendingSeqs(dataSource);
    const loading = loadMatchIndex(
      dataSource,
      {
        onProgress: (loaded, total) => {
          if (loaded - logged >= 100_000 || loaded === total) {
            logged = loaded;
            log.info('loading match index', {
              loaded,
              total,
              percent: total ? Math.round((100 * loaded) / total) : 100,
            });
          }
        },
      },
      index,
    );
    // The offline gazetteer (~1 s of CPU) is read before traffic, not on the first write that names
    // a city, which would hold every request meanwhile; decoded in a worker beside the load.
    const gazetteer = preloadGazetteer().then((g) => log.info('gazetteer ready', { places: g.places.length }));
    await Promise.all([gazetteer, loading]);
    // Per-stakeholder bytes mean something only at scale: on a tiny network fixed costs dominate.
    const perStakeholder =
      index.size >= 10_000 ? { bytesPerStakeholder: Math.round(index.byteLength / index.size) } : {};
    log.info('match index ready', {
      stakeholders: index.size,
      challenges: index.challenges.size,
      memoryMb: megabytes(index.byteLength),
      ...perStakeholder,
      ms: Date.now() - started,
    });
    // Mail names the reasons of a match: its senders start once the index is loaded, and before
    // the service says it is ready (after that, `npm start`'s signal handlers must be in place).
    stops.push({ name: 'mail senders', stop: await notify.send(index, { sweep: options.sweep ?? true }) });
    if (options.sweep ?? true)
      stops.push({
        name: 'track prior refresh',
        stop: await scheduleTrackPriorRefresh(jobs, dataSource, config.unansweredAfterDays),
      });
    // Changes a process committed but did not relay before it died are relayed now.
    await live.start(relayedBefore, pendingBefore);
    const origin = `http://localhost:${server.port}`;
    const [{ keys }]: { keys: number }[] = await dataSource.query(
      `SELECT count(*)::int AS keys FROM api_key WHERE revoked_at IS NULL AND role <> 'PUBLISHABLE'`,
    );
    const summary: StartSummary = {
      url: `${origin}/graphql`,
      ide: config.ide,
      examplePage: `${origin}/embed/example.html`,
      writes: config.adminApiKey ? 'ADMIN_API_KEY' : demoKeys ? 'demo keys' : keys > 0 ? 'API keys' : 'off',
      mail: notify.mailer.description,
      index: { stakeholders: index.size, challenges: index.challenges.size, memoryMb: megabytes(index.byteLength) },
      demoKeys,
    };
    if (summary.writes === 'off')
      log.info(
        'no ADMIN_API_KEY: reads only until API keys exist; ' +
          'set ADMIN_API_KEY (24+ characters) to write and create keys',
      );
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (() => {
        // Synchronously, before anything else: the embedded database may be stopping on the same signal.
        bus.stopping();
        live.stopping();
        return stopAll();
      })());
    return { url: server.url, port: server.port, dataSource, server, live, summary, stop };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
