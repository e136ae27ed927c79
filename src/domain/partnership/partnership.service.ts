import { EntityManager } from 'typeorm';
import { appendOutbox } from '../outbox';
import { Challenge } from '../challenge/challenge.entity';
import { ACTIVE_PARTNERSHIP_STATUSES, PartnershipStatus } from '../enums';
import { badInput, DomainError, DomainErrorCode, notFound } from '../errors';
import { Stakeholder } from '../stakeholder/stakeholder.entity';
import { publicName } from '../stakeholder/privacy';
import { IdempotencyScope, once } from '../idempotency';
import * as v from '../validate';
import { Partnership, PartnershipEvent } from './partnership.entity';
import { Actor, recordActivity } from '../brokering/activity.service';
import { ActivityAction } from '../brokering/brokering.entity';
import { actorKey, answerCounts, entitledToSend } from './evidence';
import { invitationExpiry } from './invitation-term';

/**
 * Appends a status change to the history and the outbox. `counts` says, for an answer, whether it
 * is the partner's own (evidence.ts).
 */
export async function recordChange(
  manager: EntityManager,
  p: Partnership,
  actor: Actor,
  note: string | null,
  counts: boolean | null = null,
): Promise<void> {
  await manager.insert(PartnershipEvent, {
    partnershipId: p.id,
    status: p.status,
    note,
    actorKeyId: actorKey(actor),
    counts,
  });
  await appendOutbox(manager, {
    kind: 'partnership',
    challengeId: p.challengeId,
    stakeholderId: p.stakeholderId,
    partnershipId: p.id,
    status: p.status,
  });
}

const loadPartnership = (db: EntityManager, id: string) => db.findOneByOrFail(Partnership, { id });

/**
 * Why a second invitation is refused, in words: who, to what, and how far the first one got. A
 * family goes by the label everyone may see, since the caller may not see its name.
 */
function alreadyPartner(partner: Stakeholder, challenge: Challenge, status: PartnershipStatus): string {
  const who = publicName(partner);
  const what = `the challenge "${challenge.title}"`;
  if (status === PartnershipStatus.ACCEPTED) return `${who} already takes part in ${what}`;
  if (status === PartnershipStatus.PROPOSED) {
    return `${who} is already proposed for ${what}, awaiting a coordinator's approval`;
  }
  return `${who} is already invited to ${what}`;
}

/**
 * Invites a stakeholder onto a challenge; one live invitation per pair. A PORTAL's introduction
 * in a hub that requires approval is PROPOSED until a coordinator approves it.
 */
export async function invitePartner(
  db: EntityManager,
  challengeId: string,
  stakeholderId: string,
  message: string | null | undefined,
  idempotency?: IdempotencyScope,
  actor: Actor = { role: 'ADMIN' },
): Promise<Partnership> {
  return once(db, idempotency, loadPartnership, async (manager) => {
    const challenge = await manager.findOneBy(Challenge, { id: v.uuid('challengeId', challengeId) });
    if (!challenge) throw notFound('Challenge', challengeId, 'challengeId');
    // Locking the partner serialises invitations and answers for it (capacity checks).
    const partner = await manager.findOne(Stakeholder, {
      where: { id: v.uuid('stakeholderId', stakeholderId) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!partner) throw notFound('Stakeholder', stakeholderId, 'stakeholderId');
    if (partner.erasedAt)
      throw new DomainError(
        DomainErrorCode.Conflict,
        `stakeholderId "${partner.id}" names a stakeholder whose data was erased`,
        'stakeholderId',
      );
    if (partner.id === challenge.schoolId) {
      throw badInput('stakeholderId', 'must not be the school that posed the challenge');
    }
    const live = await manager
      .getRepository(Partnership)
      .createQueryBuilder('p')
      .where('p.challengeId = :c AND p.stakeholderId = :s AND p.status IN (:...active)', {
        c: challenge.id,
        s: partner.id,
        active: ACTIVE_PARTNERSHIP_STATUSES,
      })
      .getOne();
    if (live) {
      throw new DomainError(DomainErrorCode.Conflict, alreadyPartner(partner, challenge, live.status), 'stakeholderId');
    }
    // The challenge's hub decides; a challenge filed under no hub follows its school's hubs.
    const [{ approval }]: { approval: boolean }[] = await manager.query(
      `SELECT coalesce(bool_or(h.requires_approval), false) AS approval FROM hub h
       WHERE h.id = $1 OR ($1::uuid IS NULL AND h.id IN (SELECT hub_id FROM hub_member WHERE stakeholder_id = $2))`,
      [challenge.hubId, challenge.schoolId],
    );
    const propose = approval && actor.role === 'PORTAL';
    const now = new Date();
    const p = await manager.save(
      manager.create(Partnership, {
        challengeId: challenge.id,
        stakeholderId: partner.id,
        status: propose ? PartnershipStatus.PROPOSED : PartnershipStatus.INVITED,
        message: v.optionalText('message', message, 2000),
        invitedBy: actorKey(actor),
        // A proposal has not gone out: approval decides (outcome.service.ts).
        entitled: propose ? null : await entitledToSend(manager, actor, false, challenge, partner.id),
        // A proposal has no term until it goes out.
        expiresAt: propose ? null : await invitationExpiry(manager, challenge.id, now),
      }),
    );
    await recordChange(manager, p, actor, p.message);
    await recordActivity(manager, actor, {
      hubId: challenge.hubId,
      action: propose ? ActivityAction.PROPOSE : ActivityAction.INVITE,
      challengeId: challenge.id,
      stakeholderId: partner.id,
      partnershipId: p.id,
    });
    return p;
  });
}

/** Accepts or declines an open invitation; accepting respects the partner's capacity. */
export async function respondToInvitation(
  db: EntityManager,
  partnershipId: string,
  accept: boolean,
  idempotency?: IdempotencyScope,
  actor: Actor = { role: 'ADMIN' },
): Promise<Partnership> {
  return once(db, idempotency, loadPartnership, async (manager) => {
    const p = await manager.findOne(Partnership, {
      where: { id: v.uuid('partnershipId', partnershipId) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!p) throw notFound('Partnership', partnershipId, 'partnershipId');
    if (p.status !== PartnershipStatus.INVITED) {
      throw new DomainError(
        DomainErrorCode.Conflict,
        `partnershipId "${p.id}" must be INVITED to be answered, but it is ${p.status}`,
        'partnershipId',
      );
    }
    if (accept) {
      const partner = await manager.findOne(Stakeholder, {
        where: { id: p.stakeholderId },
        lock: { mode: 'pessimistic_write' },
      });
      const [{ count }]: { count: number }[] = await manager.query(
        `SELECT count(*)::int AS count FROM partnership WHERE stakeholder_id = $1 AND status = 'ACCEPTED'`,
        [p.stakeholderId],
      );
      if (partner && count >= partner.capacity) {
        throw new DomainError(
          DomainErrorCode.Conflict,
          `the partner already has ${count} accepted partnerships, its capacity of ${partner.capacity}`,
          'partnershipId',
        );
      }
    }
    p.status = accept ? PartnershipStatus.ACCEPTED : PartnershipStatus.DECLINED;
    p.answeredAt = new Date();
    p.answeredBy = actorKey(actor);
    // Any allowed key may move the status; only the partner's side is evidence about the partner.
    p.answerCounts = await answerCounts(manager, actor, p);
    await manager.save(p);
    await recordChange(manager, p, actor, null, p.answerCounts);
    const challenge = await manager.findOneByOrFail(Challenge, { id: p.challengeId });
    await recordActivity(manager, actor, {
      hubId: challenge.hubId,
      action: accept ? ActivityAction.ACCEPT : ActivityAction.DECLINE,
      challengeId: challenge.id,
      stakeholderId: p.stakeholderId,
      partnershipId: p.id,
    });
    return p;
  });
}
