import 'reflect-metadata';
import { loadConfig } from '../config';
import { createDataSource } from '../db/data-source';
import { useEmbeddedPostgres } from '../db/embedded-postgres';
import { runMigrations } from '../db/migrate';
import { startJobs } from '../jobs/job-queue';
import { createLogger } from '../log/logger';
import { announce } from '../subscriptions/announce';
import { runDueNotifications } from './notify-sweep';
import { MAIL_QUEUES, startNotify } from './start-notify';

const USAGE = 'usage: npm run notify -- --due';

/**
 * `npm run notify -- --due`: runs now what the service's minute-by-minute sweep would (expires
 * invitations past their term, queues half-way reminders and due digests). The mail goes out from
 * a running service's queues (or the next one to start).
 */
async function main(): Promise<number> {
  if (!process.argv.includes('--due')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const log = createLogger('warn');
  const embedded = config.databaseUrl ? undefined : await useEmbeddedPostgres(config.dataDir);
  const url = config.databaseUrl ?? embedded!.url;
  const dataSource = createDataSource({ url });
  await dataSource.initialize();
  const jobs = await startJobs({ url, log, queues: Object.values(MAIL_QUEUES) });
  try {
    await runMigrations(dataSource);
    const notify = await startNotify({ dataSource, jobs, log, mail: config.mail });
    const report = await runDueNotifications(dataSource, notify.queues);
    notify.mailer.close();
    process.stdout.write(
      `expired ${report.expired} invitations, queued ${report.reminders} reminders and ${report.digests} digests\n`,
    );
    // Expiries are outbox changes: a running service relays them (partnershipChanged, webhooks, mail) now.
    if (report.expired) await announce({ kind: 'outbox' }, url, config.redisUrl);
    return 0;
  } finally {
    await jobs.stop();
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`notify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
