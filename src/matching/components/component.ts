/**
 * A score component: one idea of what makes a partner fit a challenge, a number in [0, 1] from
 * the pair's facts. The registry (registry.ts) lists them; the score's weights, the GraphQL
 * weights input and breakdown, their documentation, the stored events and the parity tests all
 * derive from that one list.
 */
import type { PairSignals } from './pair-facts';

/** One component's definition. */
export interface ComponentDefinition<N extends string = string> {
  /** Field name in weights and breakdowns. */
  name: N;
  /** Its weight when a query gives none; the registry's defaults sum to 1. */
  defaultWeight: number;
  /** What it measures, for the schema's documentation. */
  description: string;
  /** Its value for events stored before it existed (they carry no value for it). */
  absentValue: number;
  /**
   * The formula, the only one: the reference scorer and the match index's ranking both call it.
   * Its value may only fall as `distanceKm` grows (ranking bounds a pair by its nearest possible
   * distance before computing the real one), and never fall as `sharedSdgs`, `creditSum`,
   * `preferencesMet` (up to `preferencesStated`, both to 1), `candidateContexts` or
   * `candidateTrack` rise or `candidateSdgs` falls, the others held (ranking bounds a whole block
   * of rows at the best of each: index/block-bound.ts). Tests walk the registry to hold this.
   */
  score(signals: PairSignals): number;
}

/** Declares a component, keeping its name's literal type. */
export function defineComponent<const N extends string>(definition: ComponentDefinition<N>): ComponentDefinition<N> {
  return Object.freeze(definition);
}
