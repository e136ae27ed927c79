import { DataSource } from 'typeorm';
import { Config } from '../config';
import { createDataSource } from '../db/data-source';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { runMigrations } from '../db/migrate';
import { demoOrigins, seedDemo } from '../db/seed-demo';
import { buildSchema } from '../graphql/build-schema';
import { Logger } from '../log/logger';
import { RunningServer, startServer } from './start-server';
import { relayedUpTo } from '../subscriptions/outbox-relay';
import { ChangeFeed } from '../subscriptions/change-feed';
import { MatchIndex } from '../matching/index/match-index';
import { loadMatchIndex } from '../matching/index/load-index';
import { startRankPool } from '../matching/workers/rank-pool';
import { createLoaders, Loaders } from '../graphql/loaders';
import { createPgBus } from '../subscriptions/pg-bus';
import { createRedisBus } from '../subscriptions/redis-bus';
import { loadGazetteer } from '../domain/geo/gazetteer';

/** The whole service, running. */
export interface RunningApp {
  url: string;
  port: number;
  dataSource: DataSource;
  /** The HTTP and WebSocket server; stopping it alone leaves the rest running (tests of a server that goes away). */
  server: RunningServer;
  /** This instance's change feed and match index (tests read its index and count its subscribers). */
  live: ChangeFeed<Loaders>;
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
   * WebSocket keep-alive: ping every this many ms and drop clients that do not answer.
   * @default 12000
   */
  keepAliveMs?: number;
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
    const bus = config.redisUrl
      ? await createRedisBus(config.redisUrl, log)
      : await createPgBus(options.busUrl ?? url, log);
    stops.push({ name: 'event bus', stop: () => bus.close() });
    log.info('event bus ready', { transport: config.redisUrl ? 'redis' : 'postgres' });
    const index = new MatchIndex({ unansweredAfterDays: config.unansweredAfterDays });
    index.ranker = await startRankPool({ threads: config.rankWorkers });
    stops.push({ name: 'ranking workers', stop: index.ranker.stop });
    log.info('ranking workers ready', { threads: index.ranker.threads });
    const live = new ChangeFeed(dataSource, bus, log, () => createLoaders(dataSource), index, {
      pollMs: options.pollMs,
    });
    const server = await startServer({
      schema: await buildSchema(),
      dataSource,
      log,
      live,
      port: config.port,
      host: config.host,
      ide: config.ide,
      introspection: config.introspection,
      adminApiKey: config.adminApiKey,
      limits: config.limits,
      redisUrl: config.redisUrl,
      keepAliveMs: options.keepAliveMs,
    });
    stops.push({ name: 'http and websocket', stop: server.stop });
    log.info('listening', { url: `http://localhost:${server.port}/graphql` });
    // Listening already, so /readyz can say 503 while the index loads.
    const started = Date.now();
    let logged = 0;
    // Read before the load: a change relayed while it runs is applied again afterwards (harmless).
    const relayedBefore = await relayedUpTo(dataSource);
    await loadMatchIndex(
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
    log.info('match index ready', {
      stakeholders: index.size,
      challenges: index.challenges.size,
      bytesPerStakeholder: index.size ? Math.round(index.byteLength / index.size) : 0,
      ms: Date.now() - started,
    });
    // The offline gazetteer (~1 s of CPU) is read before traffic, not on the first write that names
    // a city, which would hold every request meanwhile.
    const places = loadGazetteer().places.length;
    log.info('gazetteer ready', { places });
    // Changes a process committed but did not relay before it died are relayed now.
    await live.start(relayedBefore);
    if (!config.adminApiKey) {
      log.info(
        'no ADMIN_API_KEY: reads only until API keys exist; ' +
          'set ADMIN_API_KEY (24+ characters) to write and create keys',
      );
    }
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (() => {
        // Synchronously, before anything else: the embedded database may be stopping on the same signal.
        bus.stopping();
        live.stopping();
        return stopAll();
      })());
    return { url: server.url, port: server.port, dataSource, server, live, stop };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
