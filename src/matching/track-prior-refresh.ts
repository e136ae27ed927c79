/**
 * The scheduled refresh of the track record's prior: once a day (on one instance, by the job
 * queue's cron) the network's evidence is counted from PostgreSQL and appended to the outbox, so
 * that every instance publishes the same prior at the same point of the change stream. Between
 * refreshes (and reloads, which publish the prior of what they load) a pair's score moves only
 * when the pair, its challenge or the weights change.
 */
import { DataSource, EntityManager } from 'typeorm';
import { appendOutbox } from '../domain/outbox';
import { inTransaction } from '../domain/unit-of-work';
import { Jobs } from '../jobs/job-queue';
import { trackRecords } from './index/load-index';
import { TrackEvidence } from './index/track-prior';
import { evidence } from './track';

/** The job queue's name for the refresh. */
export const TRACK_PRIOR_QUEUE = 'track-prior-refresh';

/**
 * When the refresh runs (cron, UTC): daily at 03:00, a quiet hour for schools.
 * @default '0 3 * * *'
 */
export const TRACK_PRIOR_CRON = '0 3 * * *';

/** The network's evidence counted from its partnerships (the same records the index loads). */
export async function networkEvidence(db: EntityManager | DataSource, unansweredAfterDays: number) {
  const totals: TrackEvidence = { tenths: 0, observations: 0 };
  for (const record of (await trackRecords(db, undefined, unansweredAfterDays)).values()) {
    const e = evidence(record);
    totals.tenths += e.tenths;
    totals.observations += e.observations;
  }
  return totals;
}

/**
 * Counts the network's evidence and appends it to the outbox in one transaction; every instance
 * publishes it when the change reaches its index. Returns what was appended.
 */
export async function refreshTrackPrior(dataSource: DataSource, unansweredAfterDays: number): Promise<TrackEvidence> {
  return inTransaction(dataSource.manager, async (m) => {
    const totals = await networkEvidence(m, unansweredAfterDays);
    await appendOutbox(m, { kind: 'track-prior', ...totals });
    return totals;
  });
}

/** Runs {@link refreshTrackPrior} on {@link TRACK_PRIOR_CRON}, on one instance at a time; returns the way to stop. */
export function scheduleTrackPriorRefresh(
  jobs: Jobs,
  dataSource: DataSource,
  unansweredAfterDays: number,
): Promise<() => Promise<void>> {
  return jobs.every(TRACK_PRIOR_QUEUE, TRACK_PRIOR_CRON, async () => {
    await refreshTrackPrior(dataSource, unansweredAfterDays);
  });
}
