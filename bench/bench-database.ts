import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig, ServiceLimits } from '../src/config';
import { seedDemo } from '../src/db/seed-demo';
import { buildSchema } from '../src/graphql/build-schema';
import { createLoaders } from '../src/graphql/loaders';
import { silentLogger } from '../src/log/logger';
import { loadMatchIndex } from '../src/matching/index/load-index';
import { startServer } from '../src/server/start-server';
import { ChangeFeed } from '../src/subscriptions/change-feed';
import { createPgBus } from '../src/subscriptions/pg-bus';
import { createDataSource } from '../src/db/data-source';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { runMigrations } from '../src/db/migrate';

/** A throwaway database for a benchmark: on DATABASE_URL's server when set, else embedded. */
export interface BenchDatabase {
  dataSource: DataSource;
  url: string;
  server: string;
  stop(): Promise<void>;
}

export async function startBenchDatabase(onQuery?: (sql: string) => void): Promise<BenchDatabase> {
  const config = loadConfig();
  let adminUrl = config.databaseUrl;
  let stopServer = async () => undefined;
  let server = 'DATABASE_URL';
  if (!adminUrl) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'matchmaker-bench-'));
    chmodSync(dir, 0o755);
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), database: 'bench_admin' });
    adminUrl = embedded.url;
    server = 'embedded';
    stopServer = async () => {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  server += ` (${(await admin.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version})`;
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataSource = createDataSource({ url: url.toString(), poolSize: 20, statementTimeoutMs: 600000, onQuery });
  await dataSource.initialize();
  await runMigrations(dataSource);
  return {
    dataSource,
    url: url.toString(),
    server,
    stop: async () => {
      await dataSource.destroy();
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      await stopServer();
    },
  };
}

export { progress } from '../src/db/progress';

/**
 * The demo network seeded into a benchmark's database and served in this process on a free
 * port, as `npm start` serves it (no outbox polling: the benchmark relays what it writes).
 */
export async function serveDemo(db: BenchDatabase, options: { limits: ServiceLimits; adminApiKey?: string }) {
  await seedDemo(db.dataSource);
  const schema = await buildSchema();
  const bus = await createPgBus(db.url, silentLogger);
  const live = new ChangeFeed(db.dataSource, bus, silentLogger, () => createLoaders(db.dataSource), undefined, {
    pollMs: 0,
  });
  await loadMatchIndex(db.dataSource, {}, live.index);
  const service = await startServer({
    schema,
    dataSource: db.dataSource,
    log: silentLogger,
    live,
    port: 0,
    host: '127.0.0.1',
    limits: options.limits,
    adminApiKey: options.adminApiKey,
  });
  return {
    schema,
    live,
    service,
    stop: async () => {
      await service.stop();
      await bus.close();
    },
  };
}
