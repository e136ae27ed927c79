/**
 * A score component: one idea of what makes a partner fit a challenge, a number in [0, 1] from
 * the pair's facts. The registry (registry.ts) lists them; the score's weights, the GraphQL
 * weights input and breakdown, their documentation, the stored events and the parity tests all
 * derive from that one list.
 */
import type { PairFacts } from './pair-facts';

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
  /** The reference formula; the match index's ranking is its optimised twin (tested equal). */
  score(facts: PairFacts): number;
}

/** Declares a component, keeping its name's literal type. */
export function defineComponent<const N extends string>(definition: ComponentDefinition<N>): ComponentDefinition<N> {
  return Object.freeze(definition);
}
