import { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '../db/prepared-query';
import { ScoredMatch } from '../matching/match.service';
import { MatchIndex } from '../matching/index/match-index';
import {
  explainPairs,
  FoundPair,
  matchesOfChallengesOnIndex,
  matchesOfStakeholdersOnIndex,
} from '../matching/suggest.service';
import { EVENT_FLOOR, MatchOrigin, MatchesMessage } from './topics';

/**
 * Takes the lock that serialises match bookkeeping (events then commit in seq order, so
 * "seq > cursor" never skips one that committed late), as an expression: the relay takes it with
 * its turn, in the same statement, and holds it to the end of its transaction.
 */
export const MATCH_LOCK_SQL = 'pg_advisory_xact_lock(7301406)';

/**
 * Whether the stored event aliased `e` may be told (read back, replayed, pushed or posted): never
 * about a stakeholder erased since (a relay open while the erasure committed may have stored one,
 * which the erasure's own relay deletes).
 */
export const TOLD_SQL = (e: string) =>
  `NOT EXISTS (SELECT 1 FROM stakeholder x WHERE x.id = ${e}.stakeholder_id AND x.erased_at IS NOT NULL)`;

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
 * A match's explanation as its event stores it: without the pair and the score, which the event's
 * own columns hold ({@link toEventRow} puts them back). Events stored before still hold them.
 */
type StoredExplanation = Omit<ScoredMatch, 'challengeId' | 'stakeholderId' | 'score'> & Partial<ScoredMatch>;

function storedExplanation(match: ScoredMatch): StoredExplanation {
  const { challengeId: _challenge, stakeholderId: _stakeholder, score: _score, ...explanation } = match;
  return explanation;
}

/** A pair's stored state: its score now (0 once fallen below the floor) and the best it ever had. */
interface PairState {
  score: number;
  best: number;
}

/** Lower-case UUIDs in PostgreSQL's order of the uuid type (byte order, as their hex text sorts). */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * State rows written before this process analyses match_state the first time; later, when it
 * has written as many as the table held at its last analysis.
 * @default 10000
 */
export const ANALYZE_STATE_AFTER = 10_000;

/** Per database: state rows this process wrote since it last analysed the table, and how many it held then. */
const stateWrites = new WeakMap<object, { written: number; held: number }>();

/**
 * Keeps match_state's statistics current while a relay fills it (as autovacuum would, on a server
 * where it is off or behind): a planner without them guesses a slice's states are most of the table.
 */
export async function analyseWhenGrown(m: EntityManager, written: number, after = ANALYZE_STATE_AFTER): Promise<void> {
  const seen = stateWrites.get(m.connection) ?? { written: 0, held: 0 };
  stateWrites.set(m.connection, seen);
  seen.written += written;
  if (seen.written < Math.max(after, seen.held)) return;
  await m.query('ANALYZE match_state');
  seen.held += seen.written;
  seen.written = 0;
}

const pairKey = (challengeId: string, stakeholderId: string) => `${challengeId}:${stakeholderId}`;

/** The ids a scope names. */
function idsOf(scope: MatchScope): string[] {
  if ('challengeId' in scope) return [scope.challengeId];
  if ('stakeholderId' in scope) return [scope.stakeholderId];
  return 'stakeholderIds' in scope ? scope.stakeholderIds : scope.challengeIds;
}

/**
 * What live matching scores: a stakeholder or a challenge, or several (an import's slice). An
 * import's stakeholders may leave out challenges (`later`) created by a change relayed after
 * theirs: that change matches each of them with every stakeholder, these included, and stores
 * their pairs (once, and told as the challenge's news).
 */
export type MatchScope =
  | { stakeholderId: string }
  | { challengeId: string }
  | { stakeholderIds: string[]; later?: ReadonlySet<string> }
  | { challengeIds: string[] };

/** Challenges a scope leaves to their own changes. */
const laterOf = (scope: MatchScope): ReadonlySet<string> | undefined =>
  'stakeholderIds' in scope ? scope.later : undefined;

/** A pair's stored state, as read. */
interface StoredState {
  challenge_id: string;
  stakeholder_id: string;
  score: number;
  best: number;
}

/**
 * The stored states of the pairs of `ids` (challenges' or stakeholders', by `column`), in one
 * statement. Each id's states come as one JSON row (row by row, reading a 300k import's challenges
 * back took 5.4 s; as JSON, 1.6 s): no value grows beyond one challenge's pairs. States are probed
 * id by id through the index (a join with the list, not `= ANY`): while a relay fills the table,
 * its statistics lag, and a planner that thinks it small scans all of it for each slice.
 */
async function readStates(
  m: EntityManager,
  column: 'challenge_id' | 'stakeholder_id',
  ids: readonly string[],
): Promise<StoredState[]> {
  const read = await preparedQuery<{ states: [string, string, number, number][] }>(
    m,
    `SELECT states FROM (
       SELECT (
         SELECT json_agg(json_build_array(challenge_id, stakeholder_id, score, best))
         FROM match_state WHERE ${column} = wanted.id
       ) AS states
       FROM unnest($1::uuid[]) AS wanted(id)
     ) pairs WHERE states IS NOT NULL`,
    [ids],
  );
  const stored: StoredState[] = [];
  for (const r of read) {
    for (const [challengeId, stakeholderId, score, best] of r.states)
      stored.push({ challenge_id: challengeId, stakeholder_id: stakeholderId, score, best });
  }
  return stored;
}

/**
 * The pairs a scope makes at the event floor, matched in the workers (several challenges of an
 * import are ranked at once, each in a worker; a slice's stakeholders too). Reads only the index:
 * a relay may match its next slice while the last one's states are stored.
 */
export function matchScope(index: MatchIndex, scope: MatchScope): Promise<FoundPair[]> {
  const byStakeholder = 'stakeholderId' in scope || 'stakeholderIds' in scope;
  return byStakeholder
    ? matchesOfStakeholdersOnIndex(index, idsOf(scope), EVENT_FLOOR, laterOf(scope))
    : matchesOfChallengesOnIndex(index, idsOf(scope), EVENT_FLOOR);
}

/**
 * Scores a changed stakeholder against every open challenge (or a changed challenge against
 * every stakeholder) once, keeps the current and best scores, and logs each pair that reached a
 * score it never had as an event (its previous best beside it). Returns the seq range written.
 *
 * The stored states of the scope are read first (under the match lock, so nothing else writes
 * them meanwhile) and compared here: only the pairs whose score moved are written, and only the
 * events are explained (from the index: no row is read). A challenge of an import that its
 * stakeholders' slices have already matched writes nothing. `matched`: the scope's pairs, when
 * the caller matched them ahead ({@link matchScope}, on this index version).
 *
 * A pair is stored only while its partner's row is there and not erased: an instance's index is
 * as of the change it relays, and an erasure committed since (its own change still to relay)
 * must not gain states or events. One that commits while this relay is open can: such events are
 * never told ({@link TOLD_SQL}), and the erasure's own relay deletes them ({@link forgetErased}).
 */
export async function recordMatches(
  m: EntityManager,
  index: MatchIndex,
  scope: MatchScope,
  origin: MatchOrigin,
  matched?: FoundPair[],
): Promise<MatchesMessage | undefined> {
  if (!m.queryRunner?.isTransactionActive) throw new Error('recordMatches runs in the relay transaction');
  const byStakeholder = 'stakeholderId' in scope || 'stakeholderIds' in scope;
  const found = matched ?? (await matchScope(index, scope));
  const read = await readStates(m, byStakeholder ? 'stakeholder_id' : 'challenge_id', idsOf(scope));
  // The pairs of challenges left to their own changes are theirs to compare (not fallen: unmatched).
  const later = laterOf(scope);
  const stored = later?.size ? read.filter((r) => !later.has(r.challenge_id)) : read;
  const old = new Map<string, PairState>(stored.map((r) => [pairKey(r.challenge_id, r.stakeholder_id), r]));
  const now = new Set<string>();
  const moved: FoundPair[] = [];
  const news: FoundPair[] = [];
  const previous = new Map<FoundPair, number>();
  for (const pair of found) {
    const key = pairKey(pair.challenge.id, pair.stakeholderId);
    const before = old.get(key);
    now.add(key);
    if (before?.score !== pair.ranked.score) moved.push(pair);
    // News only when a pair reaches a score it never had: an edit undone and redone is not.
    if (!before || pair.ranked.score > before.best + 1e-9) news.push(pair);
    if (before) previous.set(pair, before.best);
  }
  // Fallen below the floor: the pair keeps its best, so coming back is not news.
  const gone = stored.filter((r) => r.score > 0 && !now.has(pairKey(r.challenge_id, r.stakeholder_id)));
  if (!moved.length && !gone.length) return undefined;
  const events = explainPairs(index, news)
    .map(({ pair, match }) => ({
      challenge_id: pair.challenge.id,
      stakeholder_id: pair.stakeholderId,
      score: match.score,
      previous_score: previous.get(pair) ?? null,
      data: storedExplanation(match),
    }))
    .sort(
      (a, b) =>
        b.score - a.score || byText(a.challenge_id, b.challenge_id) || byText(a.stakeholder_id, b.stakeholder_id),
    );
  // No new event: the min and max of nothing are both null.
  const [range] = await preparedQuery<{ from: number; to: number } | { from: null; to: null }>(
    m,
    `WITH gone AS (
       UPDATE match_state ms SET score = 0, updated_at = now()
       FROM unnest($1::uuid[], $2::uuid[]) AS g(challenge_id, stakeholder_id)
       WHERE ms.challenge_id = g.challenge_id AND ms.stakeholder_id = g.stakeholder_id
     ),
     present AS MATERIALIZED (
       SELECT s.id FROM stakeholder s WHERE s.id = ANY($8::uuid[]) AND s.erased_at IS NULL
     ),
     kept AS (
       INSERT INTO match_state (challenge_id, stakeholder_id, score, best)
       SELECT challenge_id, stakeholder_id, score, score
       FROM unnest($3::uuid[], $4::uuid[], $5::float8[]) AS k(challenge_id, stakeholder_id, score)
       WHERE k.stakeholder_id IN (SELECT id FROM present)
       ON CONFLICT (challenge_id, stakeholder_id) DO UPDATE SET score = EXCLUDED.score,
         best = greatest(match_state.best, EXCLUDED.score), updated_at = now()
     ),
     events AS (
       INSERT INTO match_event (challenge_id, stakeholder_id, origin, score, previous_score, data)
       SELECT e.challenge_id, e.stakeholder_id, $6, e.score, e.previous_score, e.data
       FROM ROWS FROM (jsonb_to_recordset($7::jsonb) AS (challenge_id uuid, stakeholder_id uuid, score float8,
         previous_score float8, data jsonb)) WITH ORDINALITY AS e(challenge_id, stakeholder_id, score, previous_score,
         data, n)
       WHERE e.stakeholder_id IN (SELECT id FROM present)
       ORDER BY e.n
       RETURNING seq
     )
     SELECT min(seq)::int AS "from", max(seq)::int AS "to" FROM events`,
    [
      gone.map((r) => r.challenge_id),
      gone.map((r) => r.stakeholder_id),
      moved.map((p) => p.challenge.id),
      moved.map((p) => p.stakeholderId),
      moved.map((p) => p.ranked.score),
      origin,
      JSON.stringify(events),
      [...new Set(moved.map((p) => p.stakeholderId))],
    ],
  );
  await analyseWhenGrown(m, moved.length);
  return range.from === null ? undefined : { kind: 'matches' as const, from: range.from, to: range.to };
}

/**
 * Forgets the match states and events of a stakeholder once erased, as its erasure's change is
 * relayed: the erasure deleted them, and a relay behind it may have stored more since, from an
 * index that still held the stakeholder. Every relay before this change has committed by now, and
 * every index after it no longer finds the stakeholder. Nothing for a stakeholder not erased.
 */
export async function forgetErased(m: EntityManager, stakeholderId: string): Promise<void> {
  await preparedQuery(
    m,
    `WITH erased AS (SELECT id FROM stakeholder WHERE id = $1 AND erased_at IS NOT NULL),
     events AS (DELETE FROM match_event e USING erased WHERE e.stakeholder_id = erased.id)
     DELETE FROM match_state s USING erased WHERE s.stakeholder_id = erased.id`,
    [stakeholderId],
  );
}

interface EventRecord {
  seq: string;
  challenge_id: string;
  stakeholder_id: string;
  origin: MatchOrigin;
  score: number;
  previous_score: number | null;
  data: StoredExplanation;
  created_at: Date;
}

/** A stored event as its readers see it, the explanation whole again. */
export function toEventRow(r: EventRecord): MatchEventRow {
  return {
    seq: Number(r.seq),
    challengeId: r.challenge_id,
    stakeholderId: r.stakeholder_id,
    origin: r.origin,
    score: r.score,
    previousScore: r.previous_score,
    data: { ...r.data, challengeId: r.challenge_id, stakeholderId: r.stakeholder_id, score: r.score },
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
    `SELECT * FROM match_event e
     WHERE ($1::uuid IS NULL OR challenge_id = $1) AND ($2::uuid IS NULL OR stakeholder_id = $2) AND ${TOLD_SQL('e')}
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
    `SELECT * FROM match_event e WHERE seq BETWEEN $1 AND $2
       AND (challenge_id = ANY($3::uuid[]) OR stakeholder_id = ANY($4::uuid[])) AND ${TOLD_SQL('e')}
     ORDER BY seq`,
    [from, to, challengeIds, stakeholderIds],
  );
  return rows.map(toEventRow);
}
