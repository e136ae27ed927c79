import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { createDataSource } from '../src/db/data-source';
import { runMigrations } from '../src/db/migrate';
import { loadMatchIndex } from '../src/matching/index/load-index';
import { insertSyntheticStakeholders, installHash } from './synthetic-network';

/**
 * `DATABASE_URL=… npm run bench:load -- [--size 1000000] [--runs 3] [--batch 20000]`: the
 * index's full load (what a start or a second instance does: a binary COPY, stakeholder-stream.ts)
 * against a kept database of synthetic stakeholders (`bench_load_<size>`, made once on DATABASE_URL's
 * server), timed per run; `--batch` is the rows between progress reports.
 */
async function main(): Promise<void> {
  const at = process.argv.indexOf('--size');
  const size = at >= 0 ? Number(process.argv[at + 1]) : 1_000_000;
  const runsAt = process.argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 3;
  const batchAt = process.argv.indexOf('--batch');
  const batchSize = batchAt >= 0 ? Number(process.argv[batchAt + 1]) : undefined;
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL names the server that keeps the database');
  const name = `bench_load_${size}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const ds = createDataSource({ url: url.toString(), poolSize: 10, statementTimeoutMs: 600_000 });
  await ds.initialize();
  try {
    await runMigrations(ds);
    const [{ n }]: { n: number }[] = await ds.query('SELECT count(*)::int AS n FROM stakeholder');
    if (n < size) {
      await installHash(ds);
      await insertSyntheticStakeholders(ds, size - n);
    }
    for (let run = 1; run <= runs; run++) {
      const t = performance.now();
      const index = await loadMatchIndex(ds, { batchSize });
      process.stdout.write(
        `run ${run}: ${index.size} stakeholders loaded in ${((performance.now() - t) / 1000).toFixed(2)} s, ` +
          `${Math.round(index.byteLength / index.size)} bytes a stakeholder\n`,
      );
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
