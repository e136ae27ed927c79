/**
 * Combining: the score is the weighted mean of the components, so it stays in [0, 1]
 * whatever the (non-negative) weights.
 */
import { Components, COMPONENTS, DEFAULT_WEIGHTS } from './components/registry';

/** How much each component counts. */
export type MatchWeights = Components;

/** Largest weight a client may give one component. */
export const MAX_WEIGHT = 10;

export function combine(c: Components, w: MatchWeights = DEFAULT_WEIGHTS): number {
  let total = 0;
  let sum = 0;
  for (const k of COMPONENTS) {
    total += w[k];
    sum += w[k] * c[k];
  }
  return total > 0 ? sum / total : 0;
}
