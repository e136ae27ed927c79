/**
 * Shortlists and dismissals: what a coordinator keeps in mind for a challenge, and what it has
 * ruled out ("they told us no last month"). A dismissed partner is not suggested for that
 * challenge again until the dismissal is undone; dismissing takes it off the shortlist.
 */
import { appendOutbox } from '../outbox';
import { EntityManager } from 'typeorm';
import { Challenge } from '../challenge/challenge.entity';
import { DismissReason } from '../enums';
import { DomainError, DomainErrorCode, notFound, badInput } from '../errors';
import { Stakeholder } from '../stakeholder/stakeholder.entity';
import { publicName } from '../stakeholder/privacy';
import * as v from '../validate';
import { Actor, actorName, recordActivity } from './activity.service';
import { ActivityAction, Dismissal, ShortlistEntry } from './brokering.entity';
import { inTransaction } from '../unit-of-work';

/** A pair a coordinator acts on. */
export interface PairCommand {
  challengeId: string;
  stakeholderId: string;
  actor: Actor;
}

async function requirePair(
  manager: EntityManager,
  cmd: PairCommand,
): Promise<{ challenge: Challenge; partner: Stakeholder }> {
  const challenge = await manager.findOneBy(Challenge, { id: v.uuid('challengeId', cmd.challengeId) });
  if (!challenge) throw notFound('Challenge', cmd.challengeId, 'challengeId');
  const partner = await manager.findOneBy(Stakeholder, { id: v.uuid('stakeholderId', cmd.stakeholderId) });
  if (!partner || partner.erasedAt) throw notFound('Stakeholder', cmd.stakeholderId, 'stakeholderId');
  if (partner.id === challenge.schoolId)
    throw badInput('stakeholderId', 'must not be the school that posed the challenge');
  return { challenge, partner };
}

/** Keeps a partner in mind for a challenge (again: the note is replaced). */
export async function shortlistPartner(
  db: EntityManager,
  cmd: PairCommand & { note?: string | null },
): Promise<ShortlistEntry> {
  return inTransaction(db, async (manager) => {
    const { challenge, partner } = await requirePair(manager, cmd);
    const dismissed = await manager.findOneBy(Dismissal, { challengeId: challenge.id, stakeholderId: partner.id });
    if (dismissed) {
      throw new DomainError(
        DomainErrorCode.Conflict,
        `${publicName(partner)} was ruled out for "${challenge.title}" (${dismissed.reason}); undo the dismissal first`,
        'stakeholderId',
      );
    }
    const note = v.optionalText('note', cmd.note, 2000);
    // A row comes back only when something changed: the same call twice (a double click, a retry,
    // two at once — the second waits for the first's row) is logged once.
    const changed: unknown[] = await manager.query(
      `INSERT INTO shortlist_entry (challenge_id, stakeholder_id, note, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (challenge_id, stakeholder_id) DO UPDATE SET note = EXCLUDED.note
       WHERE shortlist_entry.note IS DISTINCT FROM EXCLUDED.note
       RETURNING 1`,
      [challenge.id, partner.id, note, await actorName(manager, cmd.actor)],
    );
    if (changed.length)
      await recordActivity(manager, cmd.actor, {
        hubId: challenge.hubId,
        action: ActivityAction.SHORTLIST,
        challengeId: challenge.id,
        stakeholderId: partner.id,
      });
    return manager.findOneByOrFail(ShortlistEntry, { challengeId: challenge.id, stakeholderId: partner.id });
  });
}

/** Takes a partner off a challenge's shortlist; false when it was not on it. */
export async function removeFromShortlist(db: EntityManager, cmd: PairCommand): Promise<boolean> {
  return inTransaction(db, async (manager) => {
    const { challenge, partner } = await requirePair(manager, cmd);
    const result = await manager.delete(ShortlistEntry, { challengeId: challenge.id, stakeholderId: partner.id });
    if (!result.affected) return false;
    await recordActivity(manager, cmd.actor, {
      hubId: challenge.hubId,
      action: ActivityAction.UNSHORTLIST,
      challengeId: challenge.id,
      stakeholderId: partner.id,
    });
    return true;
  });
}

/** Rules a partner out for a challenge (again: reason and note are replaced). */
export async function dismissSuggestion(
  db: EntityManager,
  cmd: PairCommand & { reason: DismissReason; note?: string | null },
): Promise<Dismissal> {
  return inTransaction(db, async (manager) => {
    const { challenge, partner } = await requirePair(manager, cmd);
    if (!Object.values(DismissReason).includes(cmd.reason)) {
      throw badInput('reason', `must be one of ${Object.values(DismissReason).join(', ')}, got ${String(cmd.reason)}`);
    }
    const note = v.optionalText('note', cmd.note, 2000);
    // As for the shortlist: logged when something changed, not once per identical call.
    const changed: unknown[] = await manager.query(
      `INSERT INTO dismissal (challenge_id, stakeholder_id, reason, note, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (challenge_id, stakeholder_id) DO UPDATE SET reason = EXCLUDED.reason, note = EXCLUDED.note
       WHERE (dismissal.reason, dismissal.note) IS DISTINCT FROM (EXCLUDED.reason, EXCLUDED.note)
       RETURNING 1`,
      [challenge.id, partner.id, cmd.reason, note, await actorName(manager, cmd.actor)],
    );
    await manager.delete(ShortlistEntry, { challengeId: challenge.id, stakeholderId: partner.id });
    if (changed.length)
      await recordActivity(manager, cmd.actor, {
        hubId: challenge.hubId,
        action: ActivityAction.DISMISS,
        challengeId: challenge.id,
        stakeholderId: partner.id,
        detail: { reason: cmd.reason },
      });
    await appendOutbox(manager, { kind: 'partnership', challengeId: challenge.id, stakeholderId: partner.id });
    return manager.findOneByOrFail(Dismissal, { challengeId: challenge.id, stakeholderId: partner.id });
  });
}

/** Lets a dismissed partner be suggested for the challenge again; false when it was not dismissed. */
export async function undoDismissal(db: EntityManager, cmd: PairCommand): Promise<boolean> {
  return inTransaction(db, async (manager) => {
    const { challenge, partner } = await requirePair(manager, cmd);
    const result = await manager.delete(Dismissal, { challengeId: challenge.id, stakeholderId: partner.id });
    if (!result.affected) return false;
    await recordActivity(manager, cmd.actor, {
      hubId: challenge.hubId,
      action: ActivityAction.UNDISMISS,
      challengeId: challenge.id,
      stakeholderId: partner.id,
    });
    await appendOutbox(manager, { kind: 'partnership', challengeId: challenge.id, stakeholderId: partner.id });
    return true;
  });
}
