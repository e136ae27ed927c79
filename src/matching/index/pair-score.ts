/**
 * One pair's signals and score on the index's columns: whether a row's reach covers the challenge,
 * the credit its tags earn, the facts every component reads ({@link PairSignals}), and the score
 * the registry's formulas give them (score-match.ts). The ranking kernel (rank.ts) and live
 * matching (match-rows.ts) score every pair through these, so a pair scores the same everywhere.
 */
import { MatchWeights, WeightVector, weightVector } from '../combine';
import { PairSignals } from '../components/pair-facts';
import { COMPONENTS } from '../components/registry';
import { distanceKm, EARTH_RADIUS_KM } from '../proximity';
import { LOCAL_KM, REGIONAL_KM } from '../reach';
import { componentsOf, scoreSignals } from '../score-match';
import { trackOf } from '../track';
import { PRIOR_SLOT } from './column-codes';
import { PreparedChallenge } from './prepared-challenge';
import type { Ranked } from './rank';
import { Columns, popcount, sharesLanguage } from './shared-columns';

/** km per degree of latitude on the earth the distances use, shaved so it stays a lower bound. */
export const KM_PER_DEGREE = ((EARTH_RADIUS_KM * Math.PI) / 180) * (1 - 1e-9);
const [LOCAL, REGIONAL, NATIONAL] = [0, 1, 2];

/**
 * Whether a row's reach covers the challenge (reach.ts, without objects or needless
 * trigonometry): false when it does not; otherwise the distance if it had to be computed, or undefined.
 */
export function reach(cols: Columns, row: number, p: PreparedChallenge): number | undefined | false {
  const area = cols.area[row];
  if (area > NATIONAL) return undefined;
  const country = cols.country[row];
  if (country !== 0 && p.countryNo !== 0 && country !== p.countryNo) return false;
  if (area === NATIONAL) return undefined;
  if (area === REGIONAL && p.regionNo > 0 && cols.region[row] === p.regionNo) return undefined;
  const la = cols.lat[row];
  if (p.latitude === null || p.longitude === null || Number.isNaN(la)) return false;
  const limit = area === LOCAL ? LOCAL_KM : REGIONAL_KM;
  if (Math.abs(la - p.latitude) * KM_PER_DEGREE > limit) return false;
  const d = distanceKm(p.latitude, p.longitude, la, cols.lon[row]);
  return d <= limit ? d : false;
}

/** Signals that depend on the challenge alone, filled once per ranking. */
export function signalsFor(cols: Columns, p: PreparedChallenge): PairSignals {
  return {
    challengeSdgs: p.sdgCount,
    candidateSdgs: 0,
    sharedSdgs: 0,
    neededCount: p.neededCount,
    creditSum: 0,
    distanceKm: null,
    radiusKm: p.radiusKm,
    preferencesStated: 0,
    preferencesMet: 0,
    schoolContexts: p.school >= 0 ? cols.scoredContexts[p.school] : 0,
    candidateContexts: 0,
    candidateTrack: 0,
  };
}

/**
 * The best credit a row earns per needed tag, into `best`; their sum, or −1 when none of its tags
 * links to a need at all.
 */
export function creditsOf(cols: Columns, p: PreparedChallenge, row: number, best: Float64Array): number {
  const { first, need, credit, next } = p.links;
  let linked = false;
  for (let i = cols.tagStart[row]; i < cols.tagEnd[row]; i++) {
    const tag = cols.tagPool[i];
    let l = tag < first.length ? first[tag] : -1;
    if (l < 0) continue;
    if (!linked) {
      best.fill(0);
      linked = true;
    }
    for (; l >= 0; l = next[l]) if (credit[l] > best[need[l]]) best[need[l]] = credit[l];
  }
  if (!linked) return -1;
  let sum = 0;
  for (let i = 0; i < p.neededCount; i++) sum += best[i];
  return sum;
}

/** Fills the row's signals (all but the distance) into `f`. */
export function fillSignals(
  cols: Columns,
  p: PreparedChallenge,
  row: number,
  shared: number,
  creditSum: number,
  prior: number,
  f: PairSignals,
): void {
  f.candidateSdgs = popcount(cols.sdgMask[row]);
  f.sharedSdgs = popcount(shared);
  f.creditSum = creditSum;
  // Preferences count only when both sides state them.
  let stated = 0;
  let met = 0;
  if (p.wantedMask !== 0) {
    stated++;
    if ((p.wantedMask >>> cols.kind[row]) & 1) met++;
  }
  const schoolLevels = p.school >= 0 ? cols.levelMask[p.school] : 0;
  if (cols.levelMask[row] !== 0 && schoolLevels !== 0) {
    stated++;
    if ((cols.levelMask[row] & schoolLevels) !== 0) met++;
  }
  const languages = p.school >= 0 ? sharesLanguage(cols, row, p.school) : null;
  if (languages !== null) {
    stated++;
    if (languages) met++;
  }
  f.preferencesStated = stated;
  f.preferencesMet = met;
  f.candidateContexts = cols.scoredContexts[row];
  f.candidateTrack = trackOf(cols.trackTenths[row], cols.trackObservations[row], prior);
}

/** Scores one pair; null when the pair does not qualify at all (outside its reach, nothing in common). */
export function scoreRow(
  cols: Columns,
  p: PreparedChallenge,
  row: number,
  weights: MatchWeights,
  scratch: PairScratch = pairScratch(weights),
): Ranked | null {
  const reached = reach(cols, row, p);
  if (reached === false) return null;
  const shared = cols.sdgMask[row] & p.sdgMask;
  if (scratch.best.length < p.neededCount) scratch.best = new Float64Array(p.neededCount);
  const creditSum = creditsOf(cols, p, row, scratch.best);
  if (shared === 0 && creditSum < 0) return null;
  const f = signalsFor(cols, p);
  fillSignals(cols, p, row, shared, Math.max(0, creditSum), cols.trackTotals[PRIOR_SLOT], f);
  const la = cols.lat[row];
  f.distanceKm =
    reached !== undefined
      ? reached
      : p.latitude === null || p.longitude === null || Number.isNaN(la)
        ? null
        : distanceKm(p.latitude, p.longitude, la, cols.lon[row]);
  const score = scoreSignals(f, scratch.weights, scratch.values);
  return { row, score, components: componentsOf(scratch.values), distanceKm: f.distanceKm, creditSum: f.creditSum };
}

/** Buffers a caller scoring many pairs reuses, so {@link scoreRow} allocates none of its own per pair. */
export interface PairScratch {
  /** Best credit per needed tag (grown to a challenge's needs when they are more). */
  best: Float64Array;
  values: Float64Array;
  weights: WeightVector;
}

/** Scratch buffers for scoring pairs with `weights`. */
export function pairScratch(weights: MatchWeights): PairScratch {
  return {
    best: new Float64Array(16),
    values: new Float64Array(COMPONENTS.length),
    weights: weightVector(weights),
  };
}
