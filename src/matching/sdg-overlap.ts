/**
 * SDG overlap: how much of the challenge's SDGs a partner shares, with a smaller share for how
 * much of the partner's own focus the challenge hits (a two-sided measure).
 */

/** Share of the score from covering the challenge's SDGs; the rest comes from the partner's side. */
export const SDG_CHALLENGE_SIDE = 0.75;

export function sdgOverlap(shared: number, challengeSdgs: number, candidateSdgs: number): number {
  if (shared <= 0 || challengeSdgs <= 0) return 0;
  return (
    SDG_CHALLENGE_SIDE * Math.min(1, shared / challengeSdgs) +
    (1 - SDG_CHALLENGE_SIDE) * Math.min(1, shared / Math.max(1, candidateSdgs))
  );
}
