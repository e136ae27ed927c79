/**
 * Combining: the score is the weighted mean of the components, so it stays in [0, 1]
 * whatever the (non-negative) weights. The one weighted sum: every scorer ends here.
 */
import { Components, COMPONENTS, DEFAULT_WEIGHTS } from './components/registry';

/** How much each component counts. */
export type MatchWeights = Components;

/** Largest weight a client may give one component. */
export const MAX_WEIGHT = 10;

/** Weights in the registry's order, with their total: prepared once per ranking. */
export interface WeightVector {
  values: Float64Array;
  total: number;
}

/** A ranking's weights as a {@link WeightVector}. */
export function weightVector(weights: MatchWeights): WeightVector {
  const values = new Float64Array(COMPONENTS.length);
  let total = 0;
  COMPONENTS.forEach((name, i) => {
    values[i] = weights[name];
    total += values[i];
  });
  return { values, total };
}

/** The weighted mean of component values in the registry's order (same order, same bits, everywhere). */
export function weightedMean(values: ArrayLike<number>, w: WeightVector): number {
  let sum = 0;
  for (let i = 0; i < w.values.length; i++) sum += w.values[i] * values[i];
  return w.total > 0 ? sum / w.total : 0;
}

export function combine(c: Components, w: MatchWeights = DEFAULT_WEIGHTS): number {
  return weightedMean(
    COMPONENTS.map((k) => c[k]),
    weightVector(w),
  );
}
