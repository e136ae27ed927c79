import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { until } from './until';
import { createDataSource } from '../../src/db/data-source';
import { runMigrations } from '../../src/db/migrate';

/** A fresh, migrated database for one test file, with a counter of the SQL it runs. */
export interface TestDatabase {
  url: string;
  dataSource: DataSource;
  /** Statements run since the last reset. */
  queries: string[];
  resetQueries(): void;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  if (!url) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run the tests through jest (global setup)');
  return url;
}

/**
 * Creates `test_<random>` on the test server, applies the migrations, and returns it.
 * `poolSize`: the connections its data source may open.
 * @default 5
 */
export async function createTestDatabase(poolSize = 5): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const queries: string[] = [];
  const dataSource = createDataSource({ url: url.toString(), poolSize, onQuery: (sql) => queries.push(sql) });
  await dataSource.initialize();
  await runMigrations(dataSource);
  queries.length = 0;
  return {
    url: url.toString(),
    dataSource,
    queries,
    resetQueries: () => {
      queries.length = 0;
    },
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      const c = new Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Resolves once a session of `db`'s server that passes `where` (a condition on
 * `pg_stat_activity`, with `params` as `$1`…) waits on a lock: a test holding a lock or a row knows
 * the other side has reached it.
 */
export async function untilWaitingOnLock(
  db: DataSource,
  where: string,
  params: unknown[],
  what: string,
): Promise<void> {
  await until(
    async () =>
      (
        (await db.query(
          `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND ${where}`,
          params,
        )) as unknown[]
      ).length > 0,
    { what },
  );
}
