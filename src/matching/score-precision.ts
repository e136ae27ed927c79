/**
 * The precision scores are shown at: the API rounds a score and its breakdown to
 * {@link SCORE_DECIMALS} decimals, while ranking keeps the exact value (the index and its reference
 * agree on it to 1e-9). Pages stay ordered by the exact score, then by id, so the rounded scores
 * on a page never rise; two partners that show the same rounded score are in the order of their
 * exact scores (then ids), the same order on every request.
 */

/**
 * Decimals of a score in the API.
 * @default 3
 */
export const SCORE_DECIMALS = 3;

const SCALE = 10 ** SCORE_DECIMALS;

/** A score as the API shows it: 0.9249999999999999 → 0.925. */
export function roundScore(score: number): number {
  return Math.round(score * SCALE) / SCALE;
}
