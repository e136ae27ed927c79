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
 * SQL reading every partner's record from its partnerships at once (one row per stakeholder
 * with any due invitation or completion). Invitations sent through approval count from approval.
 * @param unansweredAfterDays a whole number of days; @default {@link UNANSWERED_AFTER_DAYS}
 */
export const trackRecordSql = (unansweredAfterDays: number = UNANSWERED_AFTER_DAYS): string => `
  SELECT p.stakeholder_id AS "stakeholderId",
    count(*) FILTER (WHERE p.answered_at IS NOT NULL AND p.status IN ('ACCEPTED', 'COMPLETED')
      AND p.answered_at - p.created_at <= interval '${PROMPT_DAYS} days')::int AS "promptAccepts",
    count(*) FILTER (WHERE p.answered_at IS NOT NULL AND p.status IN ('ACCEPTED', 'COMPLETED')
      AND p.answered_at - p.created_at > interval '${PROMPT_DAYS} days')::int AS "lateAccepts",
    count(*) FILTER (WHERE p.status = 'DECLINED')::int AS declines,
    count(*) FILTER (WHERE p.answered_at IS NOT NULL
      AND p.answered_at - p.created_at <= interval '${PROMPT_DAYS} days')::int
      AS "promptAnswers",
    count(*) FILTER (WHERE p.status = 'INVITED'
      AND p.created_at < now() - interval '${Math.trunc(unansweredAfterDays)} days')::int
      AS unanswered,
    count(*) FILTER (WHERE p.status = 'COMPLETED')::int AS completed,
    coalesce(sum(p.rating) FILTER (WHERE p.status = 'COMPLETED'), 0)::int AS "ratingSum",
    count(p.rating) FILTER (WHERE p.status = 'COMPLETED')::int AS ratings
  FROM partnership p`;
