import { DataSource, EntityManager } from 'typeorm';
import { ScoredMatch } from '../matching/match.service';
import { MatchIndex } from '../matching/index/match-index';
import { MatchParty, matchesOfChallengesOnIndex, matchesOfStakeholdersOnIndex } from '../matching/suggest.service';
import { StakeholderKind, UnderservedContext } from '../domain/enums';
import { EVENT_FLOOR, MatchOrigin, MatchesMessage } from './topics';

// Serialises match bookkeeping: events then commit in seq order, so "seq > cursor" never skips
// one that committed late.
const MATCH_LOCK = 7_301_406;

/** One stored new match. */
export interface MatchEventRow {
  seq: number;
  challengeId: string;
  stakeholderId: string;
  origin: MatchOrigin;
  score: number;
  previousScore: number | null;
  data: ScoredMatch;
  createdAt: Date;
}

/** Whether an event is a new match for someone asking for `minScore`: above it now, not before. */
export function isNewAt(event: Pick<MatchEventRow, 'score' | 'previousScore'>, minScore: number): boolean {
  return event.score >= minScore && (event.previousScore === null || event.previousScore < minScore);
}

/**
 * Scores a changed stakeholder against every open challenge (or a changed challenge against
 * every stakeholder) once, keeps the current and best scores, and logs each pair that reached a
 * score it never had as an event (its previous best beside it). Returns the seq range written.
 */
export async function recordMatches(
  m: EntityManager,
  index: MatchIndex,
  scope:
    { stakeholderId: string } | { challengeId: string } | { stakeholderIds: string[] } | { challengeIds: string[] },
  origin: MatchOrigin,
): Promise<MatchesMessage | undefined> {
  if (!m.queryRunner?.isTransactionActive) throw new Error('recordMatches runs in the relay transaction');
  {
    await m.query('SELECT pg_advisory_xact_lock($1)', [MATCH_LOCK]);
    const byStakeholder = 'stakeholderId' in scope || 'stakeholderIds' in scope;
    const ids =
      'challengeId' in scope
        ? [scope.challengeId]
        : 'stakeholderId' in scope
          ? [scope.stakeholderId]
          : 'stakeholderIds' in scope
            ? scope.stakeholderIds
            : scope.challengeIds;
    // An import slice's stakeholders are matched in the workers at once; of their rows (and their
    // schools') a match needs only three columns, read in one plain statement (no entity hydration:
    // that was most of a slice's time).
    const load = async (wanted: string[]): Promise<MatchParty[]> => {
      const rows: { id: string; kind: StakeholderKind; contexts: UnderservedContext[] }[] = await m.query(
        'SELECT id, kind, underserved_contexts AS contexts FROM stakeholder WHERE id = ANY($1::uuid[])',
        [wanted],
      );
      return rows.map((r) => ({ id: r.id, kind: r.kind, underservedContexts: r.contexts }));
    };
    // Several challenges (an import's) are ranked at once, each in a worker, and stored in order.
    const matches = byStakeholder
      ? await matchesOfStakeholdersOnIndex(index, ids, EVENT_FLOOR, load)
      : await matchesOfChallengesOnIndex(index, ids, EVENT_FLOOR, load);
    const id = ids;
    const column = byStakeholder ? 'stakeholder_id' : 'challenge_id';
    const rows = matches.map((x) => ({
      challenge_id: x.challengeId,
      stakeholder_id: x.stakeholderId,
      score: x.score,
      data: x,
    }));
    // No new event: the min and max of nothing are both null.
    const [range]: ({ from: number; to: number } | { from: null; to: null })[] = await m.query(
      `WITH new AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(challenge_id uuid, stakeholder_id uuid, score float8,
           data jsonb)
       ),
       old AS (SELECT challenge_id, stakeholder_id, best FROM match_state WHERE ${column} = ANY($2::uuid[])),
       gone AS (
         -- Fallen below the floor: the pair keeps its best, so coming back is not news.
         UPDATE match_state ms SET score = 0, updated_at = now() WHERE ms.${column} = ANY($2::uuid[])
           AND ms.score > 0 AND NOT EXISTS (SELECT 1 FROM new n WHERE n.challenge_id = ms.challenge_id
             AND n.stakeholder_id = ms.stakeholder_id)
       ),
       kept AS (
         INSERT INTO match_state (challenge_id, stakeholder_id, score, best)
         SELECT challenge_id, stakeholder_id, score, score FROM new
         ON CONFLICT (challenge_id, stakeholder_id) DO UPDATE SET score = EXCLUDED.score,
           best = greatest(match_state.best, EXCLUDED.score), updated_at = now()
       ),
       events AS (
         -- News only when a pair reaches a score it never had: an edit undone and redone is not.
         INSERT INTO match_event (challenge_id, stakeholder_id, origin, score, previous_score, data)
         SELECT n.challenge_id, n.stakeholder_id, $3, n.score, o.best, n.data
         FROM new n LEFT JOIN old o ON o.challenge_id = n.challenge_id AND o.stakeholder_id = n.stakeholder_id
         WHERE o.best IS NULL OR n.score > o.best + 1e-9
         ORDER BY n.score DESC, n.challenge_id, n.stakeholder_id
         RETURNING seq
       )
       SELECT min(seq)::int AS "from", max(seq)::int AS "to" FROM events`,
      [JSON.stringify(rows), id, origin],
    );
    return range.from === null ? undefined : { kind: 'matches' as const, from: range.from, to: range.to };
  }
}

interface EventRecord {
  seq: string;
  challenge_id: string;
  stakeholder_id: string;
  origin: MatchOrigin;
  score: number;
  previous_score: number | null;
  data: ScoredMatch;
  created_at: Date;
}

export function toEventRow(r: EventRecord): MatchEventRow {
  return {
    seq: Number(r.seq),
    challengeId: r.challenge_id,
    stakeholderId: r.stakeholder_id,
    origin: r.origin,
    score: r.score,
    previousScore: r.previous_score,
    data: r.data,
    createdAt: r.created_at,
  };
}

/** Which stored events a reader wants: of a challenge or a stakeholder, after a seq or a time. */
export interface EventQuery {
  challengeId?: string;
  stakeholderId?: string;
  origin?: MatchOrigin;
  afterSeq?: number;
  since?: Date;
  minScore: number;
  limit: number;
}

/** Stored events for a challenge or a stakeholder, in order, after a seq or a time. */
export async function readEvents(dataSource: DataSource, where: EventQuery): Promise<MatchEventRow[]> {
  const rows: EventRecord[] = await dataSource.query(
    `SELECT * FROM match_event
     WHERE ($1::uuid IS NULL OR challenge_id = $1) AND ($2::uuid IS NULL OR stakeholder_id = $2)
       AND ($3::text IS NULL OR origin = $3)
       AND seq > $4 AND ($5::timestamptz IS NULL OR created_at > $5)
       AND score >= $6 AND (previous_score IS NULL OR previous_score < $6)
     ORDER BY seq LIMIT $7`,
    [
      where.challengeId ?? null,
      where.stakeholderId ?? null,
      where.origin ?? null,
      where.afterSeq ?? 0,
      where.since ?? null,
      where.minScore,
      where.limit,
    ],
  );
  return rows.map(toEventRow);
}

/** Events in a committed seq range that concern any of the given challenges or stakeholders. */
export async function readRange(
  dataSource: DataSource,
  from: number,
  to: number,
  challengeIds: string[],
  stakeholderIds: string[],
): Promise<MatchEventRow[]> {
  const rows: EventRecord[] = await dataSource.query(
    `SELECT * FROM match_event WHERE seq BETWEEN $1 AND $2
       AND (challenge_id = ANY($3::uuid[]) OR stakeholder_id = ANY($4::uuid[]))
     ORDER BY seq`,
    [from, to, challengeIds, stakeholderIds],
  );
  return rows.map(toEventRow);
}
