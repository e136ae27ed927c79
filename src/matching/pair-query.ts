/**
 * The SQL of a pair query, built from the scoring formulas' SQL twins: facts per (challenge,
 * candidate), components, score, ranks and the details of the rows kept. No database access here.
 */
import { StakeholderKind } from '../domain/enums';
import { combineSql, Components, MatchWeights } from './combine';
import { ExpertiseLink } from './expertise-fit';
import { distanceKmSql } from './proximity';
import { FAMILY_SQL, scoredContextsSql } from './inclusion';
import { componentsSql, PairFacts, scorePair } from './score-match';

/** One scored pair, with the facts that explain it. */
export interface ScoredMatch {
  challengeId: string;
  stakeholderId: string;
  kind: StakeholderKind;
  score: number;
  /** The score as ranked in SQL; equal to `score` (tests check). */
  sqlScore: number;
  components: Components;
  distanceKm: number | null;
  radiusKm: number;
  sharedSdgIds: number[];
  links: ExpertiseLink[];
  levelsMatch: boolean | null;
  sharedLanguages: string[];
  schoolContexts: string[];
  candidateContexts: string[];
}

/** Positional parameters of one statement. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Fact columns every pair query exposes under these names (see pairQuery). */
export const FACTS: Record<keyof PairFacts, string> = {
  challengeSdgs: 'challenge_sdgs',
  candidateSdgs: 'candidate_sdgs',
  sharedSdgs: 'shared_sdgs',
  neededCount: 'needed_count',
  creditSum: 'credit_sum',
  distanceKm: 'distance_km',
  radiusKm: 'radius_km',
  wantedKinds: 'wanted_kinds',
  kind: 'kind',
  schoolLevels: 'school_levels',
  candidateLevels: 'candidate_levels',
  schoolLanguages: 'school_languages',
  candidateLanguages: 'candidate_languages',
  schoolContexts: 'school_contexts_n',
  candidateContexts: 'candidate_contexts_n',
};

/**
 * Wraps a FROM … WHERE over aliases c (challenge), sc (its school) and s (candidate) into the
 * ranked query: facts, components, score, rank overall and within the kind, total.
 * `creditSum` and `linksJson` say how needed expertise is matched in this direction.
 */
export function pairQuery(opts: { with: string; from: string; creditSum: string; linksJson: string; weights: MatchWeights; keep: string }): string {
  const comp = componentsSql(FACTS);
  const score = combineSql({ sdg: 'sdg', expertise: 'expertise', proximity: 'proximity', kind: 'kind_fit', inclusion: 'inclusion' }, opts.weights);
  // facts is MATERIALIZED so every per-candidate expression runs once (an inlined CTE would
  // repeat it in each component); the wide details are joined only to the rows that are kept.
  return `
    WITH ${opts.with},
    facts AS MATERIALIZED (
      SELECT c.id AS challenge_id, s.id AS stakeholder_id, s.kind,
        cardinality(c.sdg_ids) AS challenge_sdgs, cardinality(s.sdg_ids) AS candidate_sdgs,
        (SELECT count(*) FROM unnest(s.sdg_ids) AS x WHERE x = ANY(c.sdg_ids))::int AS shared_sdgs,
        cardinality(c.expertise_needed_ids) AS needed_count,
        ${opts.creditSum} AS credit_sum,
        ${distanceKmSql('c.latitude', 'c.longitude', 's.latitude', 's.longitude')} AS distance_km,
        c.radius_km, c.wanted_kinds,
        sc.education_levels AS school_levels, s.education_levels AS candidate_levels,
        sc.languages AS school_languages, s.languages AS candidate_languages,
        cardinality(sc.underserved_contexts) AS school_contexts_n,
        ${scoredContextsSql('s')} AS candidate_contexts_n
      ${opts.from}
    ),
    scored AS (
      SELECT facts.*, ${comp.sdg} AS sdg, ${comp.expertise} AS expertise,
        ${comp.proximity} AS proximity, ${comp.kind} AS kind_fit, ${comp.inclusion} AS inclusion
      FROM facts
    ),
    ranked AS (
      SELECT scored.*, ${score} AS score FROM scored
    ),
    numbered AS (
      SELECT ranked.*,
        row_number() OVER (ORDER BY score DESC, challenge_id, stakeholder_id) AS rnk,
        row_number() OVER (PARTITION BY kind ORDER BY score DESC, challenge_id, stakeholder_id) AS kind_rnk,
        count(*) OVER () AS total
      FROM ranked
    )
    SELECT n.*,
      sc.underserved_contexts AS school_contexts,
      CASE WHEN ${FAMILY_SQL('s')} THEN '{}' ELSE s.underserved_contexts END AS candidate_contexts, s.expertise_ids AS candidate_expertise_ids,
      ARRAY(SELECT x FROM unnest(c.sdg_ids) WITH ORDINALITY AS u(x, i) WHERE x = ANY(s.sdg_ids) ORDER BY i) AS shared_sdg_ids,
      ARRAY(SELECT unnest(s.languages) INTERSECT SELECT unnest(sc.languages) ORDER BY 1) AS shared_languages,
      ${opts.linksJson} AS links,
      to_jsonb(s) AS candidate_row,
      (SELECT json_agg(json_build_object('id', e.id, 'slug', e.slug, 'label', e.label, 'parent_id', e.parent_id))
       FROM expertise e WHERE e.id = ANY(s.expertise_ids) OR e.id = ANY(c.expertise_needed_ids)) AS tag_rows
    FROM numbered n
    JOIN stakeholder s ON s.id = n.stakeholder_id
    JOIN challenge c ON c.id = n.challenge_id
    JOIN stakeholder sc ON sc.id = c.school_id
    WHERE ${opts.keep}
    ORDER BY n.rnk`;
}

export interface PairRow {
  challenge_id: string;
  stakeholder_id: string;
  kind: StakeholderKind;
  challenge_sdgs: number;
  candidate_sdgs: number;
  shared_sdgs: number;
  needed_count: number;
  credit_sum: number | string;
  distance_km: number | null;
  radius_km: number;
  wanted_kinds: StakeholderKind[];
  school_levels: number[];
  candidate_levels: number[];
  school_languages: string[];
  candidate_languages: string[];
  school_contexts_n: number;
  candidate_contexts_n: number;
  school_contexts: string[];
  candidate_contexts: string[];
  score: number;
  rnk: string;
  kind_rnk: string;
  total: string;
  shared_sdg_ids: number[];
  shared_languages: string[];
  links: ExpertiseLink[] | null;
  candidate_expertise_ids: number[];
  /** The candidate's stakeholder row and the tags the reasons name: the resolver primes its loaders with them. */
  candidate_row: Record<string, unknown>;
  tag_rows: Record<string, unknown>[] | null;
}

export function toMatch(row: PairRow, weights: MatchWeights, links?: readonly ExpertiseLink[]): ScoredMatch {
  const facts: PairFacts<StakeholderKind> = {
    challengeSdgs: row.challenge_sdgs,
    candidateSdgs: row.candidate_sdgs,
    sharedSdgs: row.shared_sdgs,
    neededCount: row.needed_count,
    creditSum: Number(row.credit_sum),
    distanceKm: row.distance_km,
    radiusKm: row.radius_km,
    wantedKinds: row.wanted_kinds,
    kind: row.kind,
    schoolLevels: row.school_levels,
    candidateLevels: row.candidate_levels,
    schoolLanguages: row.school_languages,
    candidateLanguages: row.candidate_languages,
    schoolContexts: row.school_contexts_n,
    candidateContexts: row.candidate_contexts_n,
  };
  const { components, score } = scorePair(facts, weights);
  const levels = facts.candidateLevels.length && facts.schoolLevels.length ? facts.candidateLevels.some((l) => facts.schoolLevels.includes(l)) : null;
  return {
    challengeId: row.challenge_id,
    stakeholderId: row.stakeholder_id,
    kind: row.kind,
    score,
    sqlScore: row.score,
    components,
    distanceKm: row.distance_km,
    radiusKm: row.radius_km,
    sharedSdgIds: row.shared_sdg_ids,
    links: (row.links ?? (links ?? []).filter((l) => row.candidate_expertise_ids.includes(l.tagId))).sort((a, b) => a.needId - b.needId || b.credit - a.credit || a.tagId - b.tagId),
    levelsMatch: levels,
    sharedLanguages: row.shared_languages,
    schoolContexts: row.school_contexts,
    candidateContexts: row.candidate_contexts,
  };
}

