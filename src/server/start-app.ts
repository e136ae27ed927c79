import { DataSource } from 'typeorm';
import { Config } from '../config';
import { createDataSource } from '../db/data-source';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { runMigrations } from '../db/migrate';
import { demoOrigins, seedDemo } from '../db/seed-demo';
import { buildSchema } from '../graphql/build-schema';
import { Logger } from '../log/logger';
import { startServer } from './start-server';
import { relayedUpTo } from '../subscriptions/outbox-relay';
import { ChangeFeed } from '../subscriptions/change-feed';
import { MatchIndex } from '../matching/index/match-index';
import { loadMatchIndex } from '../matching/index/load-index';
import { startRankPool } from '../matching/workers/rank-pool';
import { createLoaders } from '../graphql/loaders';
import { createPgBus } from '../subscriptions/pg-bus';
import { createRedisBus } from '../subscriptions/redis-bus';
import { loadGazetteer } from '../domain/geo/gazetteer';

/** The whole service, running. */
export interface RunningApp {
  url: string;
  port: number;
  dataSource: DataSource;
  /**
   * Shutdown in order: WebSockets close (1001), subscriptions end (a relay in flight finishes), HTTP
   * drains (start-server.ts), then the event bus, the database pool and the embedded PostgreSQL.
   */
  stop(): Promise<void>;
}

async function isEmpty(dataSource: DataSource): Promise<boolean> {
  const rows: unknown[] = await dataSource.query('SELECT 1 FROM stakeholder LIMIT 1');
  return rows.length === 0;
}

/**
 * Starts the database (embedded unless `DATABASE_URL` is set), applies migrations, seeds a
 * freshly created embedded database with demo data, and serves the API.
 */
export async function startApp(config: Config, log: Logger): Promise<RunningApp> {
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  const stopAll = async () => {
    for (const { name, stop } of stops.reverse()) {
      log.debug('stopping', { part: name });
      await stop().catch((error) => log.error('stop failed', { part: name, error: String(error) }));
    }
  };
  try {
    let url = config.databaseUrl;
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
    const dataSource = createDataSource({
      url,
      poolSize: config.dbPoolSize,
      statementTimeoutMs: config.dbStatementTimeoutMs,
    });
    await dataSource.initialize();
    stops.push({ name: 'database pool', stop: () => dataSource.destroy() });
    const applied = await runMigrations(dataSource);
    log.info('database ready', { external: Boolean(config.databaseUrl), migrationsApplied: applied });
    // An embedded database with no stakeholders is a fresh one (even if an earlier first start
    // was interrupted mid-seed); a database given by DATABASE_URL is never seeded unasked.
    if (!config.databaseUrl && config.seedDemo && (await isEmpty(dataSource))) {
      const seeded = await seedDemo(dataSource, { widgetOrigins: demoOrigins(config.port) });
      log.info('seeded demo network', seeded);
    }
    const bus = config.redisUrl ? await createRedisBus(config.redisUrl, log) : await createPgBus(url, log);
    stops.push({ name: 'event bus', stop: () => bus.close() });
    log.info('event bus ready', { transport: config.redisUrl ? 'redis' : 'postgres' });
    const index = new MatchIndex({ unansweredAfterDays: config.unansweredAfterDays });
    index.ranker = await startRankPool({ threads: config.rankWorkers });
    stops.push({ name: 'ranking workers', stop: index.ranker.stop });
    log.info('ranking workers ready', { threads: index.ranker.threads });
    const live = new ChangeFeed(dataSource, bus, log, () => createLoaders(dataSource), index);
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
    const stop = () => {
      // Synchronously, before anything else: the embedded database may be stopping on the same signal.
      bus.stopping();
      live.stopping();
      return stopAll();
    };
    return { url: server.url, port: server.port, dataSource, stop };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
