/**
 * Waits on the service's durable jobs (pg-boss, in the `pgboss` schema of the test's database).
 */
import { DataSource } from 'typeorm';
import { until } from './until';

/**
 * Resolves once the job of `queue` for `partnershipId` has run to its end (completed, or failed
 * for good). A mail job locks the invitation while it prepares the mail, and a sweep skips what is
 * locked: a test that moves the clock waits for it first, as the next minute's sweep would.
 */
export async function partnershipJobDone(
  db: DataSource,
  queue: string,
  partnershipId: string,
  timeoutMs = 30_000,
): Promise<void> {
  await until(
    async () =>
      (
        (await db.query(
          `SELECT 1 FROM pgboss.job
           WHERE name = $1 AND data->>'partnershipId' = $2 AND state IN ('completed', 'failed')`,
          [queue, partnershipId],
        )) as unknown[]
      ).length > 0,
    { timeoutMs, what: `the ${queue} job of ${partnershipId} has run` },
  );
}
