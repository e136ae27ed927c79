/**
 * Scoring a pair (challenge, candidate) from its facts: the five components and their weighted
 * mean. The same formulas run in SQL for ranking (see pairScoreSql); tests keep the two equal.
 */
import { Components, MatchWeights, combine, DEFAULT_WEIGHTS } from './combine';
import { expertiseFit, expertiseFitSql } from './expertise-fit';
import { inclusion, inclusionSql } from './inclusion';
import { kindSignal, kindSignalSql, overlapSignal, overlapSignalSql, preferenceFit, preferenceFitSql } from './preference-fit';
import { proximity, proximitySql } from './proximity';
import { sdgOverlap, sdgOverlapSql } from './sdg-overlap';

/** What the score of one pair is computed from. */
export interface PairFacts<K = string> {
  challengeSdgs: number;
  candidateSdgs: number;
  sharedSdgs: number;
  neededCount: number;
  creditSum: number;
  distanceKm: number | null;
  radiusKm: number;
  wantedKinds: readonly K[];
  kind: K;
  schoolLevels: readonly number[];
  candidateLevels: readonly number[];
  schoolLanguages: readonly string[];
  candidateLanguages: readonly string[];
  schoolContexts: number;
  candidateContexts: number;
}

export function scoreComponents<K>(f: PairFacts<K>): Components {
  return {
    sdg: sdgOverlap(f.sharedSdgs, f.challengeSdgs, f.candidateSdgs),
    expertise: expertiseFit(f.creditSum, f.neededCount),
    proximity: proximity(f.distanceKm, f.radiusKm),
    kind: preferenceFit([
      kindSignal(f.wantedKinds, f.kind),
      overlapSignal(f.candidateLevels, f.schoolLevels),
      overlapSignal(f.candidateLanguages, f.schoolLanguages),
    ]),
    inclusion: inclusion(f.schoolContexts, f.candidateContexts),
  };
}

export function scorePair<K>(f: PairFacts<K>, weights: MatchWeights = DEFAULT_WEIGHTS): { components: Components; score: number } {
  const components = scoreComponents(f);
  return { components, score: combine(components, weights) };
}

/** Column names (SQL expressions) holding a pair's facts in a query. */
export type PairFactsSql = Record<keyof PairFacts, string>;

/** The five components as SQL expressions over the fact columns; combine them with combineSql. */
export function componentsSql(f: PairFactsSql): Record<keyof Components, string> {
  return {
    sdg: sdgOverlapSql(f.sharedSdgs, f.challengeSdgs, f.candidateSdgs),
    expertise: expertiseFitSql(f.creditSum, f.neededCount),
    proximity: proximitySql(f.distanceKm, f.radiusKm),
    kind: preferenceFitSql([
      kindSignalSql(f.wantedKinds, f.kind),
      overlapSignalSql(f.candidateLevels, f.schoolLevels),
      overlapSignalSql(f.candidateLanguages, f.schoolLanguages),
    ]),
    inclusion: inclusionSql(f.schoolContexts, f.candidateContexts),
  };
}
