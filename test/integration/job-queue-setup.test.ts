/**
 * Instances starting together on one database: pg-boss's start creates a queue of its own (its
 * cron's) and the service creates its queues; that DDL, run by two starts at once, deadlocks one
 * of them (seen in CI: the second instance of the multi-instance test exited with `deadlock
 * detected`). Every part of a start that may run DDL waits for the one setup lock.
 */
import { Client } from 'pg';
import { Jobs, QUEUE_SETUP_LOCK, SETUP_APPLICATION, startJobs } from '../../src/jobs/job-queue';
import { silentLogger } from '../../src/log/logger';
import { createTestDatabase, TestDatabase, untilWaitingOnLock } from '../helpers/database';

const QUEUES = ['setup-a', 'setup-b', 'setup-c'];

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase(2);
});
afterEach(() => db?.drop());

async function pgbossTables(): Promise<number> {
  const [row] = (await db.dataSource.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'pgboss'`)) as {
    n: number;
  }[];
  return row.n;
}

async function queueNames(): Promise<string[]> {
  const rows = (await db.dataSource.query('SELECT name FROM pgboss.queue ORDER BY name')) as { name: string }[];
  return rows.map((r) => r.name);
}

it('a start touches nothing of pg-boss while another start holds the setup lock', async () => {
  const holder = new Client({ connectionString: db.url });
  await holder.connect();
  let starting: Promise<Jobs> | undefined;
  try {
    await holder.query('SELECT pg_advisory_lock($1)', [QUEUE_SETUP_LOCK]);
    starting = startJobs({ url: db.url, log: silentLogger, queues: QUEUES });
    await untilWaitingOnLock(
      db.dataSource,
      'application_name = $1',
      [SETUP_APPLICATION],
      'the start waits for the lock',
    );
    // Without the lock around pg-boss's own start, its schema (and its cron's queue) exist by now.
    expect(await pgbossTables()).toBe(0);
    await holder.query('SELECT pg_advisory_unlock($1)', [QUEUE_SETUP_LOCK]);
    await starting;
    expect(await queueNames()).toEqual(expect.arrayContaining([...QUEUES, '__pgboss__send-it']));
  } finally {
    // The lock goes with the session; the start then finishes, and is stopped.
    await holder.end();
    if (starting) await (await starting).stop();
  }
});

it.each([1, 2, 3])('four instances starting at once on a new database all start (round %p)', async () => {
  const starts = await Promise.allSettled(
    [0, 1, 2, 3].map(() => startJobs({ url: db.url, log: silentLogger, queues: QUEUES })),
  );
  try {
    expect(starts.filter((s) => s.status === 'rejected')).toEqual([]);
    expect(await queueNames()).toEqual(['__pgboss__send-it', ...QUEUES]);
  } finally {
    await Promise.all(starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value.stop()] : [])));
  }
});
