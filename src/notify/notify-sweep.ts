/**
 * What is due by the clock: invitations past their term expire, invitations half-way through it
 * get their reminder queued (once: marked in the same transaction), digests whose day has come are
 * queued. Runs every minute on one instance (pg-boss's schedule), or at once with
 * `npm run notify -- --due`; the mail itself goes out from the queues, on whichever instance is free.
 */
import { DataSource } from 'typeorm';
import { expireDueInvitations } from '../domain/partnership/invitation-term';
import { JobQueue } from '../jobs/job-queue';
import { queueDueDigests } from './digests';

/** A job about one partnership. */
export interface PartnershipJob {
  partnershipId: string;
}

/** A job about one digest subscription, for one period. */
export interface DigestJob {
  subscriptionId: string;
  /** ISO times: what changed after `since`, up to `until`. */
  since: string;
  until: string;
}

/** The mail queues the sweep and the relay feed. */
export interface NotifyQueues {
  invitation: JobQueue<PartnershipJob>;
  reminder: JobQueue<PartnershipJob>;
  expired: JobQueue<PartnershipJob>;
  digest: JobQueue<DigestJob>;
}

/** What one sweep did. */
export interface SweepReport {
  expired: number;
  reminders: number;
  digests: number;
}

/** Runs what is due at `now` (tests pass a later `now` to move time). */
export async function runDueNotifications(
  db: DataSource,
  queues: NotifyQueues,
  now: Date = new Date(),
): Promise<SweepReport> {
  const expired = await expireDueInvitations(db.manager, now);
  const reminders = await db.transaction(async (m) => {
    const due: { id: string }[] = await m.query(
      `WITH u AS (UPDATE invitation_mail SET reminded_at = $1
       WHERE partnership_id IN (
         SELECT p.id FROM partnership p JOIN invitation_mail im ON im.partnership_id = p.id
         WHERE p.status = 'INVITED' AND im.mailed_at IS NOT NULL AND im.reminded_at IS NULL AND p.expires_at > $1
           AND $1 >= coalesce(p.approved_at, p.created_at) + (p.expires_at - coalesce(p.approved_at, p.created_at)) / 2
         ORDER BY p.expires_at LIMIT 1000 FOR UPDATE OF im SKIP LOCKED)
       RETURNING partnership_id AS id) SELECT id FROM u`,
      [now],
    );
    await queues.reminder.enqueue(
      m,
      due.map((r) => ({ partnershipId: r.id })),
    );
    return due.length;
  });
  const digests = await queueDueDigests(db, queues.digest, now);
  return { expired, reminders, digests };
}
