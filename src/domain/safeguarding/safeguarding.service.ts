/**
 * Safeguarding checks and hub policies: commands in, rows out. A check is recorded (by a key that
 * acts for the stakeholder's hubs), verified (by a coordinator of one of them, or ADMIN) and
 * withdrawn; only verified checks count in matching. Each write appends the stakeholder's (or the
 * hub's challenges') change to the outbox, so every instance's match index re-reads it.
 */
import { EntityManager } from 'typeorm';
import { Actor, actorName, recordActivity } from '../brokering/activity.service';
import { ActivityAction } from '../brokering/brokering.entity';
import { CheckScope, CheckType, PupilContact } from '../enums';
import { badInput, notFound } from '../errors';
import { Hub } from '../hub/hub.entity';
import { appendOutbox } from '../outbox';
import { inTransaction } from '../unit-of-work';
import * as v from '../validate';
import { SafeguardingCheck } from './safeguarding-check.entity';

/**
 * Checks one stakeholder may hold at once (a person's and an organisation's, renewals).
 * @default 20
 */
export const MAX_CHECKS_PER_STAKEHOLDER = 20;

/**
 * Logs a step of a check in the activity of each hub the stakeholder belongs to — their
 * coordinators answer for whom they let meet pupils — or, for a stakeholder in no hub, in the
 * log only ADMIN reads. The entry names the check's type, never more of it.
 */
async function logCheck(m: EntityManager, actor: Actor, action: ActivityAction, check: SafeguardingCheck) {
  const rows: { hub_id: string }[] = await m.query(
    'SELECT hub_id FROM hub_member WHERE stakeholder_id = $1 ORDER BY hub_id',
    [check.stakeholderId],
  );
  for (const hubId of rows.length ? rows.map((r) => r.hub_id) : [null]) {
    await recordActivity(m, actor, {
      hubId,
      action,
      stakeholderId: check.stakeholderId,
      detail: { checkType: check.type },
    });
  }
}

/** What `recordSafeguardingCheck` takes. */
export interface RecordCheckCommand {
  stakeholderId: string;
  type: CheckType;
  /** The check's name, required for OTHER and refused otherwise. */
  label?: string | null;
  scope: CheckScope;
  /** YYYY-MM-DD, not in the future. */
  issuedOn: string;
}

/** Records a check, unverified (it counts once a coordinator verifies it). */
export async function recordCheck(
  db: EntityManager,
  cmd: RecordCheckCommand,
  actor: Actor,
): Promise<SafeguardingCheck> {
  return inTransaction(db, async (m) => {
    const stakeholderId = v.uuid('input.stakeholderId', cmd.stakeholderId);
    const [held]: { n: number; exists: boolean }[] = await m.query(
      `SELECT (SELECT count(*)::int FROM safeguarding_check WHERE stakeholder_id = $1) AS n,
         EXISTS (SELECT 1 FROM stakeholder WHERE id = $1 AND erased_at IS NULL) AS exists`,
      [stakeholderId],
    );
    if (!held.exists) throw notFound('Stakeholder', cmd.stakeholderId, 'input.stakeholderId');
    if (held.n >= MAX_CHECKS_PER_STAKEHOLDER) {
      throw badInput('input.stakeholderId', `may hold at most ${MAX_CHECKS_PER_STAKEHOLDER} checks; withdraw old ones`);
    }
    const label = v.optionalText('input.label', cmd.label, 100);
    if (cmd.type === CheckType.OTHER && !label) throw badInput('input.label', 'is required for type OTHER');
    if (cmd.type !== CheckType.OTHER && label) throw badInput('input.label', 'is only for type OTHER');
    const check = m.create(SafeguardingCheck, {
      stakeholderId,
      type: cmd.type,
      label,
      scope: cmd.scope,
      issuedOn: v.isoDate('input.issuedOn', cmd.issuedOn, '2000-01-01', new Date().toISOString().slice(0, 10)),
      recordedByKeyId: actor.keyId ?? null,
      verifiedByKeyId: null,
      verifiedByName: null,
      verifiedAt: null,
    });
    const saved = await m.save(check);
    await appendOutbox(m, { kind: 'stakeholder', id: stakeholderId, created: false });
    await logCheck(m, actor, ActivityAction.RECORD_CHECK, saved);
    return saved;
  });
}

async function lockCheck(m: EntityManager, id: string): Promise<SafeguardingCheck> {
  const check = await m.findOne(SafeguardingCheck, {
    where: { id: v.uuid('id', id) },
    lock: { mode: 'pessimistic_write' },
  });
  if (!check) throw notFound('SafeguardingCheck', id, 'id');
  return check;
}

/** A coordinator (or ADMIN) verifies a check: from now on it counts, under the verifier's name. */
export async function verifyCheck(db: EntityManager, id: string, actor: Actor): Promise<SafeguardingCheck> {
  return inTransaction(db, async (m) => {
    const check = await lockCheck(m, id);
    if (check.verifiedAt) return check;
    check.verifiedByKeyId = actor.keyId ?? null;
    check.verifiedByName = await actorName(m, actor);
    check.verifiedAt = new Date();
    const saved = await m.save(check);
    await appendOutbox(m, { kind: 'stakeholder', id: check.stakeholderId, created: false });
    await logCheck(m, actor, ActivityAction.VERIFY_CHECK, saved);
    return saved;
  });
}

/** Withdraws (deletes) a check; returns it as it was. */
export async function withdrawCheck(db: EntityManager, id: string, actor: Actor): Promise<SafeguardingCheck> {
  return inTransaction(db, async (m) => {
    const check = await lockCheck(m, id);
    await m.delete(SafeguardingCheck, { id: check.id });
    await appendOutbox(m, { kind: 'stakeholder', id: check.stakeholderId, created: false });
    await logCheck(m, actor, ActivityAction.WITHDRAW_CHECK, check);
    return check;
  });
}

/** A hub's safeguarding policy as `updateHub` changes it; absent fields stay. */
export interface CheckPolicyCommand {
  contactLevels?: PupilContact[] | null;
  /** Empty: back to the defaults of the hub's country. */
  checkTypes?: CheckType[] | null;
  maxAgeMonths?: number | null;
}

/**
 * Applies a policy change to a locked hub (inside `updateHub`'s transaction); the names of the
 * fields that changed. The hub's challenges are re-read by every index (their rule changed).
 */
export async function applyCheckPolicy(m: EntityManager, hub: Hub, cmd: CheckPolicyCommand): Promise<string[]> {
  const changes: string[] = [];
  if (cmd.contactLevels != null) {
    if (cmd.contactLevels.length > 4) throw badInput('input.safeguarding.contactLevels', 'must have at most 4 items');
    hub.checkContactLevels = [...new Set(cmd.contactLevels)];
    changes.push('safeguarding.contactLevels');
  }
  if (cmd.checkTypes != null) {
    if (cmd.checkTypes.length > 4) throw badInput('input.safeguarding.checkTypes', 'must have at most 4 items');
    hub.checkTypes = cmd.checkTypes.length ? [...new Set(cmd.checkTypes)] : null;
    changes.push('safeguarding.checkTypes');
  }
  if (cmd.maxAgeMonths != null) {
    hub.checkMaxAgeMonths = v.intInRange('input.safeguarding.maxAgeMonths', cmd.maxAgeMonths, 1, 120);
    changes.push('safeguarding.maxAgeMonths');
  }
  return changes;
}

/** Tells every index that a hub's challenges follow a new rule (its policy or its country changed). */
export async function announceHubChallenges(m: EntityManager, hubId: string): Promise<void> {
  const rows: { id: string }[] = await m.query('SELECT id FROM challenge WHERE hub_id = $1', [hubId]);
  if (rows.length) await appendOutbox(m, { kind: 'challenges', created: [], updated: rows.map((r) => r.id) });
}

/** A stakeholder's checks, newest first (bounded by {@link MAX_CHECKS_PER_STAKEHOLDER}). */
export async function checksOf(m: EntityManager, stakeholderIds: readonly string[]) {
  return m.find(SafeguardingCheck, {
    where: stakeholderIds.map((stakeholderId) => ({ stakeholderId })),
    order: { issuedOn: 'DESC', id: 'ASC' },
  });
}
