import 'reflect-metadata';
import { loadConfig } from '../config';
import { createLogger } from '../log/logger';
import { createDataSource } from './data-source';
import { useEmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './migrate';
import { demoOrigins, seedDemo } from './seed-demo';
import { announce } from '../subscriptions/announce';

/** `npm run seed`: adds the demo network on purpose, to DATABASE_URL or the embedded database. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, { service: 'seed' });
  const embedded = config.databaseUrl ? undefined : await useEmbeddedPostgres(config.dataDir);
  const dataSource = createDataSource({ url: config.databaseUrl ?? embedded!.url });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    log.info('seeded demo network', await seedDemo(dataSource, { widgetOrigins: demoOrigins(config.port) }));
    await announce({ kind: 'outbox' }, config.databaseUrl ?? embedded!.url, config.redisUrl);
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`Seeding failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
