/**
 * Combining: the score is the weighted mean of the six components, so it stays in [0, 1]
 * whatever the (non-negative) weights.
 */

/** The six components of a match score, each in [0, 1]. */
export interface Components {
  sdg: number;
  expertise: number;
  proximity: number;
  kind: number;
  inclusion: number;
  /** The partner's track record (track.ts): 0.5 for a newcomer. */
  track: number;
}

/** How much each component counts. */
export type MatchWeights = Components;

/** Default weights: relevance first; inclusion and track record as tie-breakers. */
export const DEFAULT_WEIGHTS: Readonly<MatchWeights> = Object.freeze({
  sdg: 0.3,
  expertise: 0.35,
  proximity: 0.2,
  // Wanted kinds are already a hard filter, so this mostly weighs levels and languages.
  kind: 0.05,
  inclusion: 0.05,
  track: 0.05,
});

export const COMPONENTS = ['sdg', 'expertise', 'proximity', 'kind', 'inclusion', 'track'] as const;

/** Largest weight a client may give one component. */
export const MAX_WEIGHT = 10;

export function combine(c: Components, w: MatchWeights = DEFAULT_WEIGHTS): number {
  const total = COMPONENTS.reduce((sum, k) => sum + w[k], 0);
  if (total <= 0) return 0;
  return COMPONENTS.reduce((sum, k) => sum + w[k] * c[k], 0) / total;
}
