/**
 * From introduction to outcome: a coordinator approves or withdraws an introduction, and the
 * school's side marks an accepted partnership completed, with an optional 1–5 rating.
 */
import { announceHubChallenges, applyCheckPolicy, CheckPolicyCommand } from '../safeguarding/safeguarding.service';
import { EntityManager } from 'typeorm';
import { Challenge } from '../challenge/challenge.entity';
import { PartnershipStatus } from '../enums';
import { badInput, DomainError, DomainErrorCode, notFound } from '../errors';
import { Hub } from '../hub/hub.entity';
import { actorKey, entitledToSend } from '../partnership/evidence';
import { Partnership } from '../partnership/partnership.entity';
import { recordChange } from '../partnership/partnership.service';
import { invitationExpiry } from '../partnership/invitation-term';
import { requireRegion } from '../region/region.service';
import * as v from '../validate';
import { Actor, recordActivity } from './activity.service';
import { ActivityAction, RATING } from './brokering.entity';
import { inTransaction } from '../unit-of-work';

async function lockPartnership(manager: EntityManager, id: string): Promise<{ p: Partnership; challenge: Challenge }> {
  const p = await manager.findOne(Partnership, {
    where: { id: v.uuid('partnershipId', id) },
    lock: { mode: 'pessimistic_write' },
  });
  if (!p) throw notFound('Partnership', id, 'partnershipId');
  const challenge = await manager.findOneByOrFail(Challenge, { id: p.challengeId });
  return { p, challenge };
}

function requireStatus(p: Partnership, allowed: PartnershipStatus[], doing: string): void {
  if (!allowed.includes(p.status)) {
    throw new DomainError(
      DomainErrorCode.Conflict,
      `This partnership is ${p.status}; only a ${allowed.join(' or ')} one can be ${doing}`,
      'partnershipId',
    );
  }
}

async function move(
  manager: EntityManager,
  actor: Actor,
  found: { p: Partnership; challenge: Challenge },
  to: PartnershipStatus,
  action: ActivityAction,
  extra: { note?: string | null; rating?: number | null } = {},
): Promise<Partnership> {
  const { p, challenge } = found;
  p.status = to;
  if (to === PartnershipStatus.COMPLETED) {
    p.completedAt = new Date();
    p.rating = extra.rating ?? null;
    // The rating party: its word weighs at most MAX_OBSERVATIONS_PER_PARTY in the partner's record.
    p.completedBy = actorKey(actor);
  }
  if (to === PartnershipStatus.INVITED) {
    // The invitation goes out now: it is timed, and entitled, from here (not from the proposal).
    p.approvedAt = new Date();
    p.approvedBy = actorKey(actor);
    p.entitled = await entitledToSend(manager, actor, true, challenge, p.stakeholderId);
    p.expiresAt = await invitationExpiry(manager, challenge.id, p.approvedAt);
  }
  await manager.save(p);
  await recordChange(manager, p, actor, extra.note ?? null);
  await recordActivity(manager, actor, {
    hubId: challenge.hubId,
    action,
    challengeId: challenge.id,
    stakeholderId: p.stakeholderId,
    partnershipId: p.id,
    detail: extra.rating !== undefined ? { rating: extra.rating } : null,
  });
  return p;
}

/** A coordinator lets a portal's introduction go out: PROPOSED becomes INVITED. */
export async function approveInvitation(
  db: EntityManager,
  cmd: { partnershipId: string; actor: Actor },
): Promise<Partnership> {
  return inTransaction(db, async (manager) => {
    const found = await lockPartnership(manager, cmd.partnershipId);
    requireStatus(found.p, [PartnershipStatus.PROPOSED], 'approved');
    return move(manager, cmd.actor, found, PartnershipStatus.INVITED, ActivityAction.APPROVE);
  });
}

/** Takes back an introduction or an invitation that was not answered yet. */
export async function withdrawInvitation(
  db: EntityManager,
  cmd: { partnershipId: string; note?: string | null; actor: Actor },
): Promise<Partnership> {
  return inTransaction(db, async (manager) => {
    const found = await lockPartnership(manager, cmd.partnershipId);
    requireStatus(found.p, [PartnershipStatus.PROPOSED, PartnershipStatus.INVITED], 'withdrawn');
    const note = v.optionalText('note', cmd.note, 2000);
    return move(manager, cmd.actor, found, PartnershipStatus.WITHDRAWN, ActivityAction.WITHDRAW, { note });
  });
}

/** The school's side marks an accepted partnership done, with an optional rating (1–5). */
export async function completePartnership(
  db: EntityManager,
  cmd: { partnershipId: string; rating?: number | null; note?: string | null; actor: Actor },
): Promise<Partnership> {
  return inTransaction(db, async (manager) => {
    const rating =
      cmd.rating === undefined || cmd.rating === null
        ? null
        : v.intInRange('rating', cmd.rating, RATING.min, RATING.max);
    const note = v.optionalText('note', cmd.note, 2000);
    const found = await lockPartnership(manager, cmd.partnershipId);
    requireStatus(found.p, [PartnershipStatus.ACCEPTED], 'completed');
    return move(manager, cmd.actor, found, PartnershipStatus.COMPLETED, ActivityAction.COMPLETE, { note, rating });
  });
}

/** What `updateHub` may change; absent fields stay. */
export interface UpdateHubCommand {
  name?: string | null;
  description?: string | null;
  regionCode?: string | null;
  requiresApproval?: boolean | null;
  invitationTtlDays?: number | null;
  timeZone?: string | null;
  /** Which pupil contact needs a safeguarding check, which checks count, how old one may be. */
  safeguarding?: CheckPolicyCommand | null;
}

/** An IANA time zone this runtime knows (Intl), else a refusal naming the field. */
function timeZone(field: string, value: string): string {
  const zone = v.requireText(field, value, 64);
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw badInput(field, `must be an IANA time zone such as Europe/Brussels, got "${zone}"`);
  }
}

/** Changes a hub's name, description, region or approval rule in one transaction. */
export async function updateHub(db: EntityManager, id: string, cmd: UpdateHubCommand, actor: Actor): Promise<Hub> {
  return inTransaction(db, async (manager) => {
    const hub = await manager.findOne(Hub, { where: { id: v.uuid('id', id) }, lock: { mode: 'pessimistic_write' } });
    if (!hub) throw notFound('Hub', id, 'id');
    const changes: string[] = [];
    if (cmd.name != null) {
      hub.name = v.requireText('input.name', cmd.name, 200);
      changes.push('name');
    }
    if (cmd.description !== undefined) {
      hub.description = v.optionalText('input.description', cmd.description, 5000);
      changes.push('description');
    }
    if (cmd.regionCode !== undefined) {
      hub.regionCode = cmd.regionCode ? (await requireRegion(manager, 'input.regionCode', cmd.regionCode)).code : null;
      changes.push('regionCode');
    }
    if (cmd.requiresApproval != null) {
      hub.requiresApproval = cmd.requiresApproval;
      changes.push('requiresApproval');
    }
    if (cmd.invitationTtlDays != null) {
      // Open invitations keep the term they went out with.
      hub.invitationTtlDays = v.intInRange('input.invitationTtlDays', cmd.invitationTtlDays, 1, 365);
      changes.push('invitationTtlDays');
    }
    if (cmd.timeZone != null) {
      hub.timeZone = timeZone('input.timeZone', cmd.timeZone);
      changes.push('timeZone');
    }
    if (cmd.safeguarding) changes.push(...(await applyCheckPolicy(manager, hub, cmd.safeguarding)));
    await manager.save(hub);
    // The rule of its challenges follows its policy, and its country's defaults follow its region.
    if (changes.some((c) => c.startsWith('safeguarding.') || c === 'regionCode')) {
      await announceHubChallenges(manager, hub.id);
    }
    await recordActivity(manager, actor, { hubId: hub.id, action: ActivityAction.UPDATE_HUB, detail: { changes } });
    return hub;
  });
}
