/**
 * Track record: how a partner has answered invitations and whether projects got done, as a
 * Bayesian average that starts every newcomer at the middle of its network (the prior: the mean
 * outcome of every observation in the network, 0.5 before any) and moves only as evidence comes
 * in — never punishing a partner for being new.
 *
 *   track = (PRIOR_WEIGHT × prior + Σ outcomes) / (PRIOR_WEIGHT + observations)
 *
 * Each invitation that has come due (answered, or left unanswered for UNANSWERED_AFTER_DAYS) is
 * one observation: accepted within a week 1, accepted later 0.8, declined (an answer, at least)
 * 0.4, no answer 0. Each completed project is one more observation worth 0.6 to 1 by its rating
 * (0.8 without one). Open invitations that are not yet due do not count either way.
 *
 * Evidence comes only from the party it is about (domain/partnership/evidence.ts has the rules):
 * an answer counts when the partner's side gave it, never the inviting side's key; a silence only
 * when its sender was entitled to the invitation, timed from when it went out (approval, for a
 * proposal); a completion only when the partner's side accepted. A pair (challenge, partner) counts
 * once: its best answer or silence, and its latest completion. And no party — the key that sent an
 * invitation, for its silence, or rated a completion — adds more than {@link MAX_OBSERVATIONS_PER_PARTY}
 * observations to one partner's record (its latest), so no single key moves another partner's
 * track by more than {@link TRACK_MOVE_BOUND}.
 */

/** How many observations the neutral prior is worth. */
export const PRIOR_WEIGHT = 3;
/** Where every partner starts. */
export const NEUTRAL = 0.5;
/** Days after which an unanswered invitation counts as unanswered. */
export const UNANSWERED_AFTER_DAYS = 14;
/** An answer within this many days counts as prompt. */
export const PROMPT_DAYS = 7;

export const OUTCOME = { promptAccept: 1, lateAccept: 0.8, decline: 0.4, silence: 0 } as const;

/**
 * Most observations one party (the key that sent an invitation, for its silences; the key that
 * completed a partnership, for its completions; both together) adds to one partner's record.
 */
export const MAX_OBSERVATIONS_PER_PARTY = 2;

/**
 * How far one key, by any sequence of its own calls, can move another partner's track at a given
 * prior: k new observations with outcomes in [0, 1] move (P·prior + Σ) / (P + n) by at most
 * k / (P + n + k) ≤ k / (P + k), with P = {@link PRIOR_WEIGHT} and k ≤ {@link MAX_OBSERVATIONS_PER_PARTY}
 * (its answers never count, so it adds only its own silences and ratings). 0.4 with the defaults: a
 * newcomer's worst case; a partner with n observations of its own moves at most 2 / (5 + n).
 */
export const TRACK_MOVE_BOUND = MAX_OBSERVATIONS_PER_PARTY / (PRIOR_WEIGHT + MAX_OBSERVATIONS_PER_PARTY);

/** A partner's record, counted from its partnerships. */
export interface TrackRecord {
  /** Accepted within {@link PROMPT_DAYS}. */
  promptAccepts: number;
  lateAccepts: number;
  declines: number;
  /** Answered (either way) within {@link PROMPT_DAYS}. */
  promptAnswers: number;
  /** Invitations left unanswered for {@link UNANSWERED_AFTER_DAYS} or more. */
  unanswered: number;
  completed: number;
  /** Sum of the ratings given at completion, and how many were given. */
  ratingSum: number;
  ratings: number;
}

export const EMPTY_RECORD: Readonly<TrackRecord> = Object.freeze({
  promptAccepts: 0,
  lateAccepts: 0,
  declines: 0,
  promptAnswers: 0,
  unanswered: 0,
  completed: 0,
  ratingSum: 0,
  ratings: 0,
});

/**
 * The evidence in a record: its observations, and the sum of their outcomes in tenths (every
 * outcome is a whole number of tenths, so sums over a whole network stay exact).
 */
export function evidence(r: TrackRecord): { tenths: number; observations: number } {
  const unrated = r.completed - r.ratings;
  // A completed project: 0.6 to 1 by its rating (0.6 + 0.1 per star above one), 0.8 unrated.
  const completions = unrated * 8 + 6 * r.ratings + (r.ratingSum - r.ratings);
  return {
    observations: r.promptAccepts + r.lateAccepts + r.declines + r.unanswered + r.completed,
    tenths:
      r.promptAccepts * OUTCOME.promptAccept * 10 +
      r.lateAccepts * OUTCOME.lateAccept * 10 +
      r.declines * OUTCOME.decline * 10 +
      r.unanswered * OUTCOME.silence * 10 +
      completions,
  };
}

/** The Bayesian average of some evidence around a prior (see the file's comment). */
export function trackOf(tenths: number, observations: number, prior: number): number {
  return (PRIOR_WEIGHT * prior + tenths / 10) / (PRIOR_WEIGHT + observations);
}

/**
 * The prior a network gives its newcomers: the mean outcome of every observation in it, so that a
 * newcomer sits in the middle of the partners it competes with (0.5 before any history). A fixed
 * prior would let proven partners rise above everyone new, and the new are often the partners
 * from communities the networks want to reach.
 */
export function networkPrior(tenths: number, observations: number): number {
  return observations > 0 ? tenths / 10 / observations : NEUTRAL;
}

export function track(r: TrackRecord, prior: number = NEUTRAL): number {
  const { tenths, observations } = evidence(r);
  return trackOf(tenths, observations, prior);
}

/** Invitations that have come due: answered, or unanswered long enough. */
export function dueInvitations(r: TrackRecord): number {
  return r.promptAccepts + r.lateAccepts + r.declines + r.unanswered;
}

/**
 * SQL reading every partner's record from its partnerships at once (one row per stakeholder with
 * any due invitation or completion; `$1`, when `only`, is an array of stakeholder ids), by the
 * rules in the file's comment. Rows that predate who-acted (NULL columns) count as they always did,
 * each its own party.
 * @param unansweredAfterDays a whole number of days; @default {@link UNANSWERED_AFTER_DAYS}
 */
export const trackRecordSql = (unansweredAfterDays: number = UNANSWERED_AFTER_DAYS, only = false): string => `
  WITH p AS (
    SELECT p.id, p.stakeholder_id, p.challenge_id, p.status, p.answered_at, p.completed_at, p.rating,
      coalesce(p.approved_at, p.created_at) AS sent, coalesce(p.answer_counts, true) AS answer_counts,
      coalesce(p.entitled, true) AS entitled,
      coalesce(p.approved_by, p.invited_by, p.id::text) AS sender, coalesce(p.completed_by, p.id::text) AS rater
    FROM partnership p ${only ? 'WHERE p.stakeholder_id = ANY($1::uuid[])' : ''}),
  outcome AS (
    SELECT p.*, CASE
        WHEN p.answer_counts AND p.answered_at IS NOT NULL AND p.status IN ('ACCEPTED', 'COMPLETED') THEN
          CASE WHEN p.answered_at - p.sent <= interval '${PROMPT_DAYS} days'
            THEN ${OUTCOME.promptAccept * 10} ELSE ${OUTCOME.lateAccept * 10} END
        WHEN p.answer_counts AND p.status = 'DECLINED' THEN ${OUTCOME.decline * 10}
        WHEN p.entitled AND (p.status = 'EXPIRED' OR p.status = 'INVITED'
          AND p.sent < now() - interval '${Math.trunc(unansweredAfterDays)} days') THEN -1
      END AS tenths
    FROM p),
  -- Each party's word (its silences and its completions together): its latest few only.
  word AS (
    SELECT id, sender AS party, sent AS at FROM outcome WHERE tenths = -1
    UNION ALL SELECT id, rater, completed_at FROM p WHERE p.status = 'COMPLETED' AND p.answer_counts),
  heard AS (
    SELECT w.id FROM (SELECT w.*, row_number() OVER (
      PARTITION BY p.stakeholder_id, w.party ORDER BY w.at DESC NULLS LAST, w.id) AS nth
      FROM word w JOIN p ON p.id = w.id) w
    WHERE w.nth <= ${MAX_OBSERVATIONS_PER_PARTY}),
  invitation AS (
    SELECT DISTINCT ON (o.stakeholder_id, o.challenge_id) o.* FROM outcome o
    WHERE o.tenths >= 0 OR (o.tenths = -1 AND o.id IN (SELECT id FROM heard))
    ORDER BY o.stakeholder_id, o.challenge_id, o.tenths DESC, o.sent, o.id),
  completion AS (
    SELECT DISTINCT ON (p.stakeholder_id, p.challenge_id) p.* FROM p
    WHERE p.id IN (SELECT id FROM heard) AND p.status = 'COMPLETED' AND p.answer_counts
    ORDER BY p.stakeholder_id, p.challenge_id, p.completed_at DESC NULLS LAST, p.id),
  counted AS (
    SELECT stakeholder_id, tenths, answered_at - sent <= interval '${PROMPT_DAYS} days' AS prompt,
      NULL::smallint AS rating, false AS done
    FROM invitation
    UNION ALL SELECT stakeholder_id, NULL, NULL, rating, true FROM completion)
  SELECT stakeholder_id AS "stakeholderId",
    count(*) FILTER (WHERE tenths = ${OUTCOME.promptAccept * 10})::int AS "promptAccepts",
    count(*) FILTER (WHERE tenths = ${OUTCOME.lateAccept * 10})::int AS "lateAccepts",
    count(*) FILTER (WHERE tenths = ${OUTCOME.decline * 10})::int AS declines,
    count(*) FILTER (WHERE tenths >= 0 AND prompt)::int AS "promptAnswers",
    count(*) FILTER (WHERE tenths = -1)::int AS unanswered,
    count(*) FILTER (WHERE done)::int AS completed,
    coalesce(sum(rating), 0)::int AS "ratingSum",
    count(rating)::int AS ratings
  FROM counted GROUP BY stakeholder_id`;
