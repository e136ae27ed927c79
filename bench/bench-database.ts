import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
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
  server += ` (${(await admin.query('SHOW server_version')).rows[0].server_version})`;
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
