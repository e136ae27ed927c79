/**
 * The best score any row of a block could have (blocks.ts), computed by the registry's own
 * {@link scoreSignals} at signals no row of the block can beat: the SDGs its rows share at most
 * with the challenge and the fewest any states, the credit its tags could earn, its box's nearest
 * point, every preference met, its most contexts and best track. Valid because every component
 * only rises (or stays) as each signal moves that way — a property test walks the registry to hold
 * this (test/unit/component-registry.test.ts). A block none of whose rows can qualify (no room,
 * nothing in common, out of reach, filtered out) bounds at −∞.
 */
import { WeightVector } from '../combine';
import { PairSignals } from '../components/pair-facts';
import { COMPONENTS } from '../components/registry';
import { distanceKm, EARTH_RADIUS_KM } from '../proximity';
import { LOCAL_KM, REGIONAL_KM } from '../reach';
import { scoreSignals } from '../score-match';
import * as B from './blocks';
import { PreparedChallenge } from './prepared-challenge';
import type { IndexFilter } from './rank';
import { popcount } from './shared-columns';

const KM_PER_DEGREE = (EARTH_RADIUS_KM * Math.PI) / 180;
/** The same, shaved so that a distance from latitudes alone stays a lower bound. */
const KM_PER_DEGREE_SHAVED = KM_PER_DEGREE * (1 - 1e-9);
const [LOCAL, REGIONAL, NATIONAL] = [0, 1, 2];
/** Room for rounding: a bound a hair too high costs nothing, one too low would lose a row. */
const SLACK = 1e-12;

/** The difference of two longitudes around the globe, in [0, 180]. */
function arc(degrees: number): number {
  const a = Math.abs(degrees) % 360;
  return a > 180 ? 360 - a : a;
}

/**
 * A lower bound of the distance (km, as {@link distanceKm} measures it) from a point to any point
 * of a box of latitudes and longitudes (not across the antimeridian). Inside the box's longitudes
 * the nearest point is on the point's meridian; outside, on the nearer edge meridian, where the
 * distance is least at the latitude closest to the great circle's crest or at an end.
 */
export function kmToBox(lat: number, lon: number, minLat: number, maxLat: number, minLon: number, maxLon: number) {
  let km: number;
  if (lon >= minLon && lon <= maxLon) {
    km = (lat < minLat ? minLat - lat : lat > maxLat ? lat - maxLat : 0) * KM_PER_DEGREE;
  } else {
    const dLon = Math.min(arc(lon - minLon), arc(lon - maxLon));
    const rad = Math.PI / 180;
    const crest = Math.atan2(Math.sin(lat * rad), Math.cos(lat * rad) * Math.cos(dLon * rad)) / rad;
    km = Math.min(distanceKm(lat, 0, minLat, dLon), distanceKm(lat, 0, maxLat, dLon));
    if (crest > minLat && crest < maxLat) km = Math.min(km, distanceKm(lat, 0, crest, dLon));
  }
  // Shaved, so that rounding never puts it above a row's own distance.
  return Math.max(0, km * (1 - 1e-9) - 1e-9);
}

/** Tags hashed as blocks hash them: bit `tag & 63` of a [low, high] pair of 32-bit masks. */
function tagMask(tags: Iterable<number>): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const tag of tags) {
    const bit = tag & 63;
    if (bit < 32) lo = (lo | (1 << bit)) >>> 0;
    else hi = (hi | (1 << (bit - 32))) >>> 0;
  }
  return [lo, hi];
}

/** Bounds blocks of one ranking (one challenge, weights and filter). */
export class BlockBound {
  private readonly f: PairSignals;
  private readonly values = new Float64Array(COMPONENTS.length);
  private readonly needs: number;
  /** Best credit, per need, of a linked tag hashed to each bit: at `bit * needs + need`. */
  private readonly creditOfBit: Float64Array;
  private readonly best: Float64Array;
  private readonly linked: [number, number];
  private readonly filterTags?: [number, number];
  private readonly located: boolean;

  constructor(
    private readonly p: PreparedChallenge,
    private readonly w: WeightVector,
    signals: PairSignals,
    private readonly prior: number,
    private readonly filter: IndexFilter,
  ) {
    this.f = { ...signals, preferencesStated: 1, preferencesMet: 1 };
    this.needs = Math.max(1, p.neededCount);
    this.creditOfBit = new Float64Array(64 * this.needs);
    this.best = new Float64Array(this.needs);
    const { first, need, credit, next } = p.links;
    const tags: number[] = [];
    for (let tag = 0; tag < first.length; tag++) {
      if (first[tag] >= 0) tags.push(tag);
      for (let l = first[tag]; l >= 0; l = next[l]) {
        const at = (tag & 63) * this.needs + need[l];
        this.creditOfBit[at] = Math.max(this.creditOfBit[at], credit[l]);
      }
    }
    this.linked = tagMask(tags);
    if (filter.tagIds) this.filterTags = tagMask(filter.tagIds);
    this.located = p.latitude !== null && p.longitude !== null;
  }

  /** The highest score any qualifying row of block `b` could have; −∞ when none can qualify. */
  of(blocks: Float64Array, b: number): number {
    const o = b * B.STRIDE;
    const { p, filter } = this;
    if (blocks[o + B.OPEN] === 0) return -Infinity;
    const shared = blocks[o + B.SDG_OR] & p.sdgMask;
    const tagLo = blocks[o + B.TAG_LO];
    const tagHi = blocks[o + B.TAG_HI];
    const linkLo = (tagLo & this.linked[0]) >>> 0;
    const linkHi = (tagHi & this.linked[1]) >>> 0;
    if (shared === 0 && linkLo === 0 && linkHi === 0) return -Infinity;
    if (filter.sdgMask !== undefined && (blocks[o + B.SDG_OR] & filter.sdgMask) === 0) return -Infinity;
    const region = blocks[o + B.REGION];
    if (filter.regions && region >= 0 && !filter.regions.has(region)) return -Infinity;
    if (this.filterTags && (tagLo & this.filterTags[0]) === 0 && (tagHi & this.filterTags[1]) === 0) return -Infinity;
    const minLat = blocks[o + B.MIN_LAT];
    const maxLat = blocks[o + B.MAX_LAT];
    const minLon = blocks[o + B.MIN_LON];
    const maxLon = blocks[o + B.MAX_LON];
    const boxed = minLat <= maxLat;
    // Nearest any located row can be; ∞ when none is located or the challenge is not.
    let nearest = Infinity;
    const limit = this.reachKm(blocks, o);
    if (limit < 0) return -Infinity;
    if (this.located && boxed) {
      // The latitudes alone first: they rule out most blocks beyond reach without trigonometry.
      const lat = p.latitude!;
      if ((lat < minLat ? minLat - lat : lat - maxLat) * KM_PER_DEGREE_SHAVED > limit) return -Infinity;
      nearest = kmToBox(lat, p.longitude!, minLat, maxLat, minLon, maxLon);
    }
    if (nearest > limit) return -Infinity;
    if (filter.maxDistanceKm !== undefined && nearest > filter.maxDistanceKm) return -Infinity;
    const near = filter.near;
    if (near && (!boxed || kmToBox(near.latitude, near.longitude, minLat, maxLat, minLon, maxLon) > near.radiusKm))
      return -Infinity;
    const f = this.f;
    f.sharedSdgs = popcount(shared);
    f.candidateSdgs = blocks[o + B.SDG_MIN];
    f.creditSum = this.creditBound(linkLo, linkHi);
    f.candidateContexts = blocks[o + B.MAX_CONTEXTS];
    // A row's track is linear in the prior, so the line between its values at 0 and 1 bounds every row's.
    const prior = this.prior;
    f.candidateTrack =
      prior >= 0 && prior <= 1
        ? (1 - prior) * blocks[o + B.TRACK_AT_0] + prior * blocks[o + B.TRACK_AT_1] + SLACK
        : Infinity;
    let bound = -Infinity;
    if (nearest !== Infinity) {
      f.distanceKm = nearest;
      bound = scoreSignals(f, this.w, this.values);
    }
    // Rows without a distance (no location on either side) are scored without one.
    if (nearest === Infinity || blocks[o + B.UNLOCATED] !== 0) {
      f.distanceKm = null;
      bound = Math.max(bound, scoreSignals(f, this.w, this.values));
    }
    return bound + SLACK;
  }

  /**
   * How far from the challenge reach (reach.ts) lets any row of the block be: ∞ when it does not
   * limit the distance, −1 when it rules every row out whatever the distance.
   */
  private reachKm(blocks: Float64Array, o: number): number {
    const area = blocks[o + B.MAX_AREA];
    if (area > NATIONAL) return Infinity;
    const country = blocks[o + B.COUNTRY];
    const { countryNo, regionNo } = this.p;
    if (country > 0 && countryNo !== 0 && country !== countryNo) return -1;
    if (area === NATIONAL) return Infinity;
    const region = blocks[o + B.REGION];
    if (area === REGIONAL && regionNo > 0 && (region === regionNo || region === B.MIXED)) return Infinity;
    return area === LOCAL ? LOCAL_KM : REGIONAL_KM;
  }

  /** The most credit a row with tags among the block's hashed ones could earn: per need, the best bit's. */
  private creditBound(lo: number, hi: number): number {
    const { needs, best, creditOfBit } = this;
    best.fill(0);
    for (let half = 0; half < 2; half++) {
      let m = half === 0 ? lo : hi;
      while (m !== 0) {
        const at = (31 - Math.clz32(m & -m) + 32 * half) * needs;
        m = (m & (m - 1)) >>> 0;
        for (let i = 0; i < needs; i++) if (creditOfBit[at + i] > best[i]) best[i] = creditOfBit[at + i];
      }
    }
    let sum = 0;
    for (let i = 0; i < this.p.neededCount; i++) sum += best[i];
    return sum;
  }
}
