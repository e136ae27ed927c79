/**
 * Scoring a pair (challenge, candidate) from its facts: the six components and their weighted
 * mean: the one scorer, used by the match index and by the tests' brute-force reference.
 */
import { Components, MatchWeights, combine, DEFAULT_WEIGHTS } from './combine';
import { expertiseFit } from './expertise-fit';
import { inclusion } from './inclusion';
import { kindSignal, overlapSignal, preferenceFit } from './preference-fit';
import { proximity } from './proximity';
import { sdgOverlap } from './sdg-overlap';

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
  /** The candidate's track record value (track.ts). */
  candidateTrack: number;
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
    track: f.candidateTrack,
  };
}

export function scorePair<K>(
  f: PairFacts<K>,
  weights: MatchWeights = DEFAULT_WEIGHTS,
): { components: Components; score: number } {
  const components = scoreComponents(f);
  return { components, score: combine(components, weights) };
}
