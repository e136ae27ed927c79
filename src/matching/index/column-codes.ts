/**
 * How the match index (match-index.ts) codes values into its columns: kinds and service areas as
 * positions in fixed lists, SDGs and education levels as bits, and where the track totals keep the
 * published prior. Ranking (rank.ts) reads columns by the same codes.
 */
import { ServiceArea, StakeholderKind } from '../../domain/enums';

/** Service areas in order of reach: a row's `area` is a position here. */
export const AREAS = [ServiceArea.LOCAL, ServiceArea.REGIONAL, ServiceArea.NATIONAL, ServiceArea.INTERNATIONAL];

/** Kinds in a fixed order: a kind is stored as its position here. */
export const KINDS = Object.values(StakeholderKind);
const KIND_NO = new Map(KINDS.map((k, i) => [k, i]));
/** A kind's position in {@link KINDS}; 255 for a kind it does not know. */
export const kindNo = (kind: string): number => KIND_NO.get(kind as StakeholderKind) ?? 255;

/** Bitmask of SDG ids (1 to 17). */
export function sdgMaskOf(ids: readonly number[]): number {
  let m = 0;
  for (const id of ids) m |= 1 << id;
  return m >>> 0;
}

/** Education levels (ISCED 0–8) as bits. */
export function levelMaskOf(levels: readonly number[]): number {
  let m = 0;
  for (const l of levels) m |= 1 << l;
  return m;
}

/** Where the index's `trackTotals` keeps the published prior (track-prior.ts). */
export const PRIOR_SLOT = 2;
