/**
 * How long an invitation stays open, and what happens at its end. An invitation gets its expiry
 * when it goes out (INVITED: at once, or when a proposal is approved): the shortest term of the
 * hubs that manage its challenge. At its end an invitation nobody answered becomes EXPIRED — a
 * status change like any other (history, outbox, activity), which the track record counts as no
 * answer where the silence counts (evidence.ts).
 */
import { EntityManager } from 'typeorm';
import { managingHubsSql } from '../challenge/managing-hubs';
import { PartnershipStatus } from '../enums';
import { inTransaction } from '../unit-of-work';
import { Actor, recordActivity } from '../brokering/activity.service';
import { ActivityAction } from '../brokering/brokering.entity';
import { Partnership } from './partnership.entity';
import { recordChange } from './partnership.service';

/** Days an invitation stays open where no hub says otherwise. @default 14 */
export const DEFAULT_INVITATION_TTL_DAYS = 14;

/** Who expires invitations: the service itself, on its schedule (no key). */
export const SCHEDULER: Actor = { role: 'SCHEDULER' };

/** When an invitation to `challengeId` that goes out at `from` expires. */
export async function invitationExpiry(m: EntityManager, challengeId: string, from: Date): Promise<Date> {
  const [row]: { days: number | null }[] = await m.query(
    `SELECT min(h.invitation_ttl_days)::int AS days FROM challenge c
     JOIN hub h ON h.id = ANY(${managingHubsSql('c')}) WHERE c.id = $1`,
    [challengeId],
  );
  return new Date(from.getTime() + (row?.days ?? DEFAULT_INVITATION_TTL_DAYS) * 86_400_000);
}

/**
 * Expires, a batch at a time, every open invitation whose term ended by `now`; returns how many.
 * Rows another instance is expiring (or a mail job is preparing) are skipped: the next sweep takes
 * them. The lock is `FOR NO KEY UPDATE`, the one a status change needs: a transaction that only
 * inserts a row referencing the invitation (an answer link, an activity entry) holds `KEY SHARE`,
 * which it does not conflict with, so such a write never hides a due invitation from the sweep.
 */
export async function expireDueInvitations(db: EntityManager, now: Date = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await inTransaction(db, async (m) => {
      const due = await m
        .getRepository(Partnership)
        .createQueryBuilder('p')
        .setLock('for_no_key_update')
        .setOnLocked('skip_locked')
        .where('p.status = :s AND p.expiresAt <= :now', { s: PartnershipStatus.INVITED, now })
        .orderBy('p.expiresAt')
        .limit(100)
        .getMany();
      for (const p of due) {
        p.status = PartnershipStatus.EXPIRED;
        await m.save(p);
        await recordChange(m, p, SCHEDULER, null);
        const [{ hub_id: hubId }]: { hub_id: string | null }[] = await m.query(
          'SELECT hub_id FROM challenge WHERE id = $1',
          [p.challengeId],
        );
        await recordActivity(m, SCHEDULER, {
          hubId,
          action: ActivityAction.EXPIRE,
          challengeId: p.challengeId,
          stakeholderId: p.stakeholderId,
          partnershipId: p.id,
        });
      }
      return due.length;
    });
    total += expired;
    if (expired < 100) return total;
  }
}
