/**
 * Who manages a challenge — the one definition. A challenge posted for a hub is that hub's alone,
 * even when its school works with other hubs too; one that names no hub is managed through its
 * school's hub memberships, each of them (none may take it for itself alone). Rights (access),
 * private words (privacy), shortlists, activity logs and live pushes all ask here.
 */
import { EntityManager } from 'typeorm';

/** The hubs that manage a challenge, given its own hub and its school's hubs. */
export function managingHubs(challenge: { hubId: string | null }, schoolHubIds: readonly string[]): string[] {
  return challenge.hubId ? [challenge.hubId] : [...schoolHubIds].sort();
}

/** Whether a challenge's school's hubs matter to who manages it (they do not once it names a hub). */
export const managedThroughSchool = (challenge: { hubId: string | null }): boolean => !challenge.hubId;

/**
 * The same rule in SQL, for set-based statements (webhook fan-out): a `uuid[]` of the hubs that
 * manage the challenge row aliased `c`.
 */
export const managingHubsSql = (c: string): string =>
  `CASE WHEN ${c}.hub_id IS NOT NULL THEN ARRAY[${c}.hub_id]
   ELSE ARRAY(SELECT m.hub_id FROM hub_member m WHERE m.stakeholder_id = ${c}.school_id ORDER BY m.hub_id) END`;

/** The hubs that manage a stored challenge; undefined when there is no such challenge. */
export async function hubsManagingChallenge(db: EntityManager, challengeId: string): Promise<string[] | undefined> {
  const [row]: { hubs: string[] }[] = await db.query(
    `SELECT ${managingHubsSql('c')} AS hubs FROM challenge c WHERE c.id = $1`,
    [challengeId],
  );
  return row?.hubs;
}
