/**
 * Whose word a partnership's outcome is: the rules that decide which actions count as evidence in
 * a partner's track record (matching/track.ts). Every action is still recorded as a status change;
 * these rules only decide what the record may learn from it.
 *
 * - An answer counts as the partner's own when an ADMIN key gave it (the operator, who can rewrite
 *   any record anyway, records answers given by phone or mail), or a COORDINATOR or PORTAL key of a
 *   hub the partner belongs to that did not send this invitation (neither invited, proposed nor
 *   approved it). The inviting side's key never answers for the partner; no other key does.
 * - An answer given through the link mailed to the partner's own address counts: it is the partner's.
 * - A silence counts only when the sender was entitled to the invitation: it went out straight
 *   from an ADMIN key, or the partner belongs to the challenge's hub (a challenge with no hub: one of
 *   its school's hubs) — a hub the partner can answer through. A proposal is timed from approval.
 */
import { EntityManager } from 'typeorm';
import type { Actor } from '../brokering/activity.service';
import { Challenge } from '../challenge/challenge.entity';
import { Partnership } from './partnership.entity';

const isAdmin = (actor: Actor): boolean => actor.role === 'ADMIN';

/** The key an action is recorded under (the bootstrap key's is `env:ADMIN_API_KEY`); none: an internal call. */
export const actorKey = (actor: Actor): string | null => actor.keyId ?? null;

/**
 * The partner itself, answering through the single-use link mailed to its own contact address
 * (answer-link.service.ts): its answer is its own word.
 */
export const PARTNER_BY_MAIL: Actor = Object.freeze({ role: 'PARTNER' });

/** Whether `actor`'s answer to `p` counts as the partner's own (see the file's comment). */
export async function answerCounts(manager: EntityManager, actor: Actor, p: Partnership): Promise<boolean> {
  if (isAdmin(actor) || actor.role === PARTNER_BY_MAIL.role) return true;
  if (actor.role !== 'COORDINATOR' && actor.role !== 'PORTAL') return false;
  const key = actorKey(actor);
  if (!key || key === p.invitedBy || key === p.approvedBy) return false;
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM api_key k JOIN hub_member m ON m.hub_id = ANY(k.hub_ids)
     WHERE k.id::text = $1 AND k.role = $2 AND m.stakeholder_id = $3 LIMIT 1`,
    [key, actor.role, p.stakeholderId],
  );
  return rows.length > 0;
}

/**
 * Whether an invitation that goes out now may count as a silence if never answered: sent
 * straight by an ADMIN key, or to a partner of the challenge's hub (see the file's comment).
 */
export async function entitledToSend(
  manager: EntityManager,
  sender: Actor,
  viaApproval: boolean,
  challenge: Challenge,
  stakeholderId: string,
): Promise<boolean> {
  if (isAdmin(sender) && !viaApproval) return true;
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM hub_member m WHERE m.stakeholder_id = $1 AND (m.hub_id = $2
       OR ($2::uuid IS NULL AND m.hub_id IN (SELECT hub_id FROM hub_member WHERE stakeholder_id = $3)))
     LIMIT 1`,
    [stakeholderId, challenge.hubId, challenge.schoolId],
  );
  return rows.length > 0;
}
