/**
 * Expertise fit: for each tag the challenge needs, the best credit a partner earns for it
 * (exact tag, a parent or child tag, or a tag spelled alike), averaged over the needed tags.
 */

/** Credit for having exactly the needed tag. */
export const EXACT_CREDIT = 1;
/** Credit for a tag one step up or down the taxonomy ("Water" for "Hydrology"). */
export const RELATED_CREDIT = 0.5;
/** Similar spellings earn this times their trigram similarity ("watermanagement" ≈ "water-management"). */
export const SIMILAR_FACTOR = 0.9;
/** Trigram similarity from which two slugs count as the same idea. */
export const SIMILARITY_THRESHOLD = 0.5;

/** How a partner's tag relates to a needed tag. */
export type LinkKind = 'exact' | 'related' | 'similar';

/** A partner tag that earns credit for a needed tag. */
export interface ExpertiseLink {
  needId: number;
  tagId: number;
  credit: number;
  how: LinkKind;
}

/** Credit one link earns. */
export function linkCredit(how: LinkKind, similarity = 1): number {
  switch (how) {
    case 'exact':
      return EXACT_CREDIT;
    case 'related':
      return RELATED_CREDIT;
    case 'similar':
      return similarity >= SIMILARITY_THRESHOLD ? SIMILAR_FACTOR * similarity : 0;
  }
}

/** Best credit per needed tag, from the links a partner has. */
export function bestCredits(links: readonly ExpertiseLink[]): Map<number, number> {
  const best = new Map<number, number>();
  for (const l of links) best.set(l.needId, Math.max(best.get(l.needId) ?? 0, l.credit));
  return best;
}

/** Sum of best credits over the number of needed tags; 0 when the challenge names none. */
export function expertiseFit(creditSum: number, neededCount: number): number {
  if (neededCount <= 0 || creditSum <= 0) return 0;
  return Math.min(1, creditSum / neededCount);
}
