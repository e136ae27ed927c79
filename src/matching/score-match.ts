/**
 * Scoring a pair (challenge, candidate): every registered component over the pair's signals, and
 * their weighted mean. The reference scorer takes the facts as lists (the tests' brute force);
 * the match index's ranking fills the same signals from its columns and calls the same
 * {@link scoreSignals}, so no formula or weighted sum is written twice.
 */
import { MatchWeights, weightedMean, WeightVector, weightVector } from './combine';
import { PairFacts, PairSignals, signalsOf } from './components/pair-facts';
import { Components, COMPONENTS, DEFAULT_WEIGHTS, REGISTRY } from './components/registry';

/**
 * The score of a pair's signals: each component's value into `out` (registry order) and their
 * weighted mean ({@link weightedMean}).
 */
export function scoreSignals(f: PairSignals, w: WeightVector, out: Float64Array): number {
  for (let i = 0; i < REGISTRY.length; i++) out[i] = REGISTRY[i].score(f);
  return weightedMean(out, w);
}

/** Component values (registry order) as the named record clients see. */
export function componentsOf(values: Float64Array): Components {
  const out = {} as Components;
  COMPONENTS.forEach((name, i) => (out[name] = values[i]));
  return out;
}

export function scoreComponents<K>(f: PairFacts<K>): Components {
  const values = new Float64Array(REGISTRY.length);
  scoreSignals(signalsOf(f), weightVector(DEFAULT_WEIGHTS), values);
  return componentsOf(values);
}

export function scorePair<K>(
  f: PairFacts<K>,
  weights: MatchWeights = DEFAULT_WEIGHTS,
): { components: Components; score: number } {
  const values = new Float64Array(REGISTRY.length);
  const score = scoreSignals(signalsOf(f), weightVector(weights), values);
  return { components: componentsOf(values), score };
}
