/**
 * A coordinator's board for one hub: what is open, what waits on whom, which teams still miss
 * something, who is nearly full, and what has gone quiet. Each part is one statement, bounded.
 */
import { EntityManager } from 'typeorm';
import { ACTIVE_PARTNERSHIP_STATUSES } from '../enums';
import { notFound } from '../errors';
import * as v from '../validate';

/** Most rows in each part of the board. */
export const BOARD_ROWS = 50;

/** Board settings. */
export interface BoardOptions {
  /**
   * Days without any activity after which an open challenge counts as quiet.
   * @default 30
   */
  quietDays?: number;
}

export interface BoardChallengeRow {
  challengeId: string;
  shortlistSize: number;
  invitations: { status: string; count: number }[];
}

export interface BoardData {
  openChallenges: BoardChallengeRow[];
  waitingLongest: { partnershipId: string; daysWaiting: number }[];
  teamGaps: { challengeId: string; missingExpertiseIds: number[]; missingKinds: string[] }[];
  nearCapacity: { stakeholderId: string; accepted: number; capacity: number }[];
  quietChallenges: { challengeId: string; daysQuiet: number }[];
  /** Open challenges whose latest invitation was declined or expired in the last 30 days. */
  needsNextPartner: { challengeId: string; partnershipId: string }[];
}

const OPEN = `c.phase <> 'COMPLETED'`;

/** Rows of `needsNextPartner`: each is ranked again for its next best. @default 10 */
export const NEXT_PARTNER_ROWS = 10;

export async function hubBoard(manager: EntityManager, hubId: string, options: BoardOptions = {}): Promise<BoardData> {
  const hub = v.uuid('hubId', hubId);
  if ((await manager.query<unknown[]>('SELECT 1 FROM hub WHERE id = $1', [hub])).length === 0)
    throw notFound('Hub', hubId, 'hubId');
  const active = [...ACTIVE_PARTNERSHIP_STATUSES];
  const [open, waiting, gaps, near, quiet, next] = await Promise.all([
    manager.query<BoardData['openChallenges']>(
      `SELECT c.id AS "challengeId",
         (SELECT count(*)::int FROM shortlist_entry s WHERE s.challenge_id = c.id) AS "shortlistSize",
         coalesce((SELECT json_agg(json_build_object('status', x.status, 'count', x.n) ORDER BY x.status)
           FROM (SELECT status,
             count(*)::int AS n FROM partnership p WHERE p.challenge_id = c.id GROUP BY status) x), '[]') AS invitations
       FROM challenge c WHERE c.hub_id = $1 AND ${OPEN} ORDER BY c.created_at, c.id LIMIT $2`,
      [hub, BOARD_ROWS],
    ),
    manager.query<BoardData['waitingLongest']>(
      `SELECT p.id AS "partnershipId", floor(extract(epoch FROM now() - p.created_at) / 86400)::int AS "daysWaiting"
       FROM partnership p JOIN challenge c ON c.id = p.challenge_id
       WHERE c.hub_id = $1 AND p.status IN ('PROPOSED', 'INVITED') ORDER BY p.created_at, p.id LIMIT $2`,
      [hub, BOARD_ROWS],
    ),
    // What the partners already engaged (proposed, invited or accepted) do not bring.
    manager.query<BoardData['teamGaps']>(
      `SELECT c.id AS "challengeId",
         ARRAY(SELECT n FROM unnest(c.expertise_needed_ids) n WHERE NOT EXISTS (
           SELECT 1 FROM partnership p JOIN stakeholder s ON s.id = p.stakeholder_id
           WHERE p.challenge_id = c.id AND p.status = ANY($2::text[])
             AND n = ANY(s.expertise_ids))) AS "missingExpertiseIds",
         ARRAY(SELECT k FROM unnest(c.wanted_kinds) k WHERE NOT EXISTS (
           SELECT 1 FROM partnership p JOIN stakeholder s ON s.id = p.stakeholder_id
           WHERE p.challenge_id = c.id AND p.status = ANY($2::text[]) AND s.kind = k)) AS "missingKinds"
       FROM challenge c WHERE c.hub_id = $1 AND ${OPEN} ORDER BY c.created_at, c.id LIMIT $3`,
      [hub, active, BOARD_ROWS],
    ),
    manager.query<BoardData['nearCapacity']>(
      `SELECT s.id AS "stakeholderId", s.capacity,
         (SELECT count(*)::int FROM partnership p WHERE p.stakeholder_id = s.id AND p.status = 'ACCEPTED') AS accepted
       FROM stakeholder s JOIN hub_member m ON m.stakeholder_id = s.id
       WHERE m.hub_id = $1 AND s.erased_at IS NULL
         AND (SELECT count(*) FROM partnership p WHERE p.stakeholder_id = s.id
           AND p.status = 'ACCEPTED') >= s.capacity - 1
       ORDER BY s.name, s.id LIMIT $2`,
      [hub, BOARD_ROWS],
    ),
    manager.query<BoardData['quietChallenges']>(
      `SELECT c.id AS "challengeId", floor(extract(epoch FROM now() - last.at) / 86400)::int AS "daysQuiet"
       FROM challenge c CROSS JOIN LATERAL (SELECT greatest(c.updated_at,
           (SELECT max(a.at) FROM activity a WHERE a.challenge_id = c.id),
           (SELECT max(e.at) FROM partnership_event e JOIN partnership p ON p.id = e.partnership_id WHERE
             p.challenge_id = c.id)) AS at) last
       WHERE c.hub_id = $1 AND ${OPEN} AND last.at < now() - make_interval(days => $2)
       ORDER BY last.at, c.id LIMIT $3`,
      [hub, options.quietDays ?? 30, BOARD_ROWS],
    ),
    // The latest word on each open challenge was a no (declined, or nobody answered in time).
    manager.query<BoardData['needsNextPartner']>(
      `SELECT "challengeId", "partnershipId" FROM (
         SELECT DISTINCT ON (p.challenge_id) p.challenge_id AS "challengeId", p.id AS "partnershipId", p.status,
           p.updated_at
         FROM partnership p JOIN challenge c ON c.id = p.challenge_id
         WHERE c.hub_id = $1 AND ${OPEN} AND p.updated_at > now() - interval '30 days'
         ORDER BY p.challenge_id, p.updated_at DESC, p.id) latest
       WHERE latest.status IN ('DECLINED', 'EXPIRED') ORDER BY latest.updated_at DESC LIMIT $2`,
      [hub, NEXT_PARTNER_ROWS],
    ),
  ]);
  return {
    openChallenges: open,
    waitingLongest: waiting,
    teamGaps: gaps.filter((g) => g.missingExpertiseIds.length || g.missingKinds.length),
    nearCapacity: near,
    quietChallenges: quiet,
    needsNextPartner: next,
  };
}
