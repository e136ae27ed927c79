/**
 * Durable jobs on the service's own PostgreSQL (pg-boss, in its own `pgboss` schema): webhook
 * attempts, mail, and the scheduled sweeps. Jobs are queued in the caller's transaction, so they
 * exist exactly when the write that causes them commits; whichever instance is free runs each.
 */
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { EntityManager } from 'typeorm';
import { Logger } from '../log/logger';

/**
 * Jobs pg-boss retries itself, only for a process that died mid-job (the job then expires and
 * comes back); handlers schedule their own retries where a schedule is documented.
 * @default 5
 */
export const CRASH_RETRIES = 5;

/** Advisory lock key serialising pg-boss's start and queue creation across instances. */
export const QUEUE_SETUP_LOCK = 7_301_407;

/** The `application_name` of the session holding (or waiting for) {@link QUEUE_SETUP_LOCK}. */
export const SETUP_APPLICATION = 'matchmaker-jobs-setup';

/** One named queue. */
export interface JobQueue<T extends object> {
  /** Queues jobs in the caller's transaction: they exist exactly when it commits. */
  enqueue(m: EntityManager, jobs: readonly T[], startAfter?: Date): Promise<void>;
  /** Runs `handler` for due jobs, `concurrency` at a time; returns the way to stop. */
  work(concurrency: number, handler: (job: T) => Promise<void>): Promise<() => Promise<void>>;
  /** Looks for due jobs now rather than at the next poll. */
  wake(): void;
  /** Jobs waiting or running. */
  depth(): Promise<number>;
}

/** The service's jobs. */
export interface Jobs {
  queue<T extends object>(name: string): Promise<JobQueue<T>>;
  /**
   * Runs `handler` on one instance at a time on a cron schedule (UTC), e.g. every minute.
   * Returns the way to stop.
   */
  every(name: string, cron: string, handler: () => Promise<void>): Promise<() => Promise<void>>;
  /** Jobs waiting or running in a declared queue (for metrics). */
  depth(name: string): Promise<number>;
  stop(): Promise<void>;
}

/** Options for {@link startJobs}. */
export interface JobsOptions {
  url: string;
  log: Logger;
  /** Every queue the service uses (created when missing, at start). */
  queues: readonly string[];
  /**
   * Seconds between looks for due jobs.
   * @default 1
   */
  pollSeconds?: number;
  /**
   * Seconds a job may run before pg-boss takes it for dead and retries it.
   * @default 60
   */
  expireInSeconds?: number;
}

/**
 * Starts pg-boss (creating or upgrading its schema) and creates the missing queues, all under
 * {@link QUEUE_SETUP_LOCK}: pg-boss's own start creates a queue of its own (its cron's), so
 * instances starting together on a new database (or a new queue in a rolling deploy) would
 * otherwise run that DDL against another's and one of them fail with `deadlock detected`.
 */
export async function startJobs(options: JobsOptions): Promise<Jobs> {
  const boss = new PgBoss({ connectionString: options.url, max: 4, application_name: 'matchmaker-jobs' });
  boss.on('error', (error: Error) => options.log.error('job queue error', { error: String(error) }));
  const pollingIntervalSeconds = options.pollSeconds ?? 1;
  const workers = new Map<string, string[]>();
  // Every queue at once, under one lock (a session per queue made every start slower).
  const lock = new Client({ connectionString: options.url, application_name: SETUP_APPLICATION });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [QUEUE_SETUP_LOCK]);
    await boss.start();
    const existing = new Set((await boss.getQueues()).map((q) => q.name));
    for (const name of options.queues)
      if (!existing.has(name))
        await boss.createQueue(name, {
          name,
          retryLimit: CRASH_RETRIES,
          retryDelay: 5,
          retryBackoff: true,
          expireInSeconds: options.expireInSeconds ?? 60,
        });
  } catch (error) {
    // The start's own error is the one to report; a failure to stop is only logged.
    await boss
      .stop({ graceful: false, wait: true })
      .catch((e: unknown) => options.log.error('job queue stop after a failed start', { error: String(e) }));
    throw error;
  } finally {
    // Ending the session releases the lock, also when a step failed.
    await lock.end();
  }
  const declared = (name: string) => {
    if (!options.queues.includes(name)) throw new Error(`job queue "${name}" is not declared to startJobs`);
  };
  return {
    async queue<T extends object>(name: string): Promise<JobQueue<T>> {
      declared(name);
      const ids: string[] = [];
      workers.set(name, ids);
      return {
        async enqueue(m, jobs, startAfter) {
          if (!jobs.length) return;
          const runner = m.queryRunner;
          if (!runner?.isTransactionActive) throw new Error(`${name} jobs are queued in the writing transaction`);
          const db = {
            executeSql: async (text: string, values: unknown[]) => {
              const result = await runner.query(text, values, true);
              return { rows: result.records as unknown[] };
            },
          };
          await boss.insert(
            jobs.map((data) => ({ name, data, startAfter: startAfter?.toISOString() })),
            { db },
          );
        },
        async work(concurrency, handler) {
          const worker = { id: '' };
          worker.id = await boss.work<T>(name, { batchSize: concurrency, pollingIntervalSeconds }, async (batch) => {
            // Each job on its own; only an unexpected failure (the database away) fails the batch,
            // which pg-boss then retries (handlers skip what they already did).
            const results = await Promise.allSettled(batch.map((j) => handler(j.data)));
            const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
            if (failed) throw failed.reason;
            // A full batch means more are waiting: pg-boss would otherwise sleep out the rest of its
            // polling interval after each batch, capping a queue at `concurrency` jobs a second.
            if (batch.length === concurrency) boss.notifyWorker(worker.id);
          });
          ids.push(worker.id);
          return async () => {
            await boss.offWork({ id: worker.id });
          };
        },
        wake() {
          for (const id of ids) boss.notifyWorker(id);
        },
        depth: () => boss.getQueueSize(name),
      };
    },
    async every(name, cron, handler) {
      declared(name);
      await boss.schedule(name, cron, {}, { tz: 'UTC' });
      const id = await boss.work(name, { pollingIntervalSeconds }, async () => handler());
      return async () => {
        await boss.offWork({ id });
      };
    },
    depth(name) {
      declared(name);
      return boss.getQueueSize(name);
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
