/**
 * Scoring a pair (challenge, candidate) from its facts: every registered component and their
 * weighted mean. The reference scorer: the tests' brute force, held equal to the match index.
 */
import { combine, MatchWeights } from './combine';
import { PairFacts } from './components/pair-facts';
import { Components, DEFAULT_WEIGHTS, REGISTRY } from './components/registry';

export function scoreComponents<K>(f: PairFacts<K>): Components {
  const facts = f as PairFacts<unknown> as PairFacts;
  return Object.fromEntries(REGISTRY.map((c) => [c.name, c.score(facts)])) as Components;
}

export function scorePair<K>(
  f: PairFacts<K>,
  weights: MatchWeights = DEFAULT_WEIGHTS,
): { components: Components; score: number } {
  const components = scoreComponents(f);
  return { components, score: combine(components, weights) };
}
