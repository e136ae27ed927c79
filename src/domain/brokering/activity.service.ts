/**
 * The audit trail of a hub's brokering: every shortlist, dismissal, introduction, approval,
 * answer and completion, written in the same transaction as the change it records.
 */
import { EntityManager } from 'typeorm';
import { BOOTSTRAP_ADMIN_ID } from '../access/role';
import { unpackCursor, packCursor } from '../cursor';
import { badInput, notFound } from '../errors';
import * as v from '../validate';
import { Activity, ActivityAction } from './brokering.entity';
import { hubsManagingChallenge } from '../challenge/managing-hubs';

/** Who acts: the API key (its id) and role; writes record the key's name. */
export interface Actor {
  keyId?: string;
  role: string;
}

/** What one entry records. */
export interface ActivityEntry {
  hubId: string | null;
  action: ActivityAction;
  challengeId?: string | null;
  stakeholderId?: string | null;
  partnershipId?: string | null;
  detail?: Activity['detail'];
}

/** The name an actor is recorded under: its API key's name. */
export async function actorName(manager: EntityManager, actor: Actor): Promise<string> {
  if (actor.role === 'PARTNER') return 'the partner, by the link in its invitation e-mail';
  if (actor.role === 'SCHEDULER') return 'the service, on schedule';
  if (actor.role === 'SEED') return 'Anouk de Vries (demo coordinator)';
  if (!actor.keyId) return 'public';
  if (actor.keyId === BOOTSTRAP_ADMIN_ID) return 'Administrator (ADMIN_API_KEY)';
  const [row]: { name: string }[] = await manager.query('SELECT name FROM api_key WHERE id = $1', [actor.keyId]);
  return row?.name ?? 'unknown key';
}

/**
 * Appends an entry to the log of each hub responsible for it; call it inside the transaction of
 * the change. Responsibility follows who manages a challenge (access.ts): a challenge filed under
 * a hub is that hub's; one filed under none is managed by each of its school's hubs, so the entry
 * lands in each of their logs. Only where no hub manages the challenge (its school is in none,
 * and only an ADMIN key can act on it) is the entry kept without a hub.
 */
export async function recordActivity(manager: EntityManager, actor: Actor, entry: ActivityEntry): Promise<void> {
  const name = await actorName(manager, actor);
  const hubIds = await responsibleHubs(manager, entry);
  await manager.insert(
    Activity,
    hubIds.map((hubId) => ({
      hubId,
      actorKeyId: actor.keyId ?? null,
      actorName: name,
      action: entry.action,
      challengeId: entry.challengeId ?? null,
      stakeholderId: entry.stakeholderId ?? null,
      partnershipId: entry.partnershipId ?? null,
      detail: entry.detail ?? null,
    })),
  );
}

/** The hubs whose coordinators answer for an entry: see {@link recordActivity}. */
async function responsibleHubs(manager: EntityManager, entry: ActivityEntry): Promise<(string | null)[]> {
  if (entry.hubId || !entry.challengeId) return [entry.hubId];
  const hubs = (await hubsManagingChallenge(manager, entry.challengeId)) ?? [];
  return hubs.length ? hubs : [null];
}

/** A page of a hub's activity, newest first. */
export async function listActivity(
  manager: EntityManager,
  hubId: string,
  page: { first: number; after?: string | null },
): Promise<{ rows: Activity[]; hasNextPage: boolean; cursorOf(a: Activity): string }> {
  const hub = v.uuid('hubId', hubId);
  const found: unknown[] = await manager.query('SELECT 1 FROM hub WHERE id = $1', [hub]);
  if (found.length === 0) throw notFound('Hub', hubId, 'hubId');
  const qb = manager.getRepository(Activity).createQueryBuilder('a').where('a.hubId = :hub', { hub });
  if (page.after) {
    // The cursor names an entry by its public id; the order is the internal one, which stays inside.
    const after = unpackCursor('after', page.after, 'a', 1, 'a cursor returned by this API').uuid(0);
    const [entry]: { id: string }[] = await manager.query(
      'SELECT id FROM activity WHERE public_id = $1 AND hub_id = $2',
      [after, hub],
    );
    if (!entry) throw badInput('after', 'must be a cursor returned by this API for this hub');
    qb.andWhere('a.id < :before', { before: entry.id });
  }
  const rows = await qb
    .orderBy('a.id', 'DESC')
    .limit(page.first + 1)
    .getMany();
  return {
    rows: rows.slice(0, page.first),
    hasNextPage: rows.length > page.first,
    cursorOf: (a) => packCursor('a', [a.publicId]),
  };
}

/** How many entries a hub's activity log holds. */
export async function countActivity(manager: EntityManager, hubId: string): Promise<number> {
  const [row]: { n: number }[] = await manager.query('SELECT count(*)::int AS n FROM activity WHERE hub_id = $1', [
    hubId,
  ]);
  return row.n;
}
