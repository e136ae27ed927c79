/**
 * The ranking kernel: one pass over the columns of the wanted kinds that fills each candidate's
 * signals and scores them with the registry's own formulas (score-match.ts), keeping in a
 * bounded heap the best `keep` by (score desc, id asc) — PostgreSQL's uuid order — plus each
 * kind's best and the total. It reads only {@link Columns} and a {@link PreparedChallenge}, so it
 * runs the same in a ranking worker over shared memory as on the calling thread.
 */
import { MatchWeights, weightVector } from '../combine';
import { PairSignals } from '../components/pair-facts';
import { Components, COMPONENTS } from '../components/registry';
import { distanceKm, EARTH_RADIUS_KM } from '../proximity';
import { LOCAL_KM, REGIONAL_KM } from '../reach';
import { componentsOf, scoreSignals } from '../score-match';
import { networkPrior, trackOf } from '../track';
import { KINDS, kindNo, popcount, sdgMaskOf } from './match-index';
import { PreparedChallenge } from './prepared-challenge';
import { Columns, sharesLanguage } from './shared-columns';
import { compareUuids } from './uuid-table';

/** A scored candidate: its row and what the page needs to explain it. */
export interface Ranked {
  row: number;
  score: number;
  components: Components;
  distanceKm: number | null;
  creditSum: number;
}

/** Narrowing of partner suggestions, resolved against the index. */
export interface IndexFilter {
  kindMask?: number;
  maxDistanceKm?: number;
  near?: { latitude: number; longitude: number; radiusKm: number };
  /** Region numbers a partner must be in. */
  regions?: Set<number>;
  sdgMask?: number;
  tagIds?: Set<number>;
}

/** What one ranking pass returns. */
export interface RankResult {
  /** The best `keep`, in rank order. */
  top: Ranked[];
  /** Each kind's best (for the kind-diverse first page). */
  bestOfKind: Map<number, Ranked>;
  total: number;
}

/** km per degree of latitude on the earth the distances use, shaved so it stays a lower bound. */
const KM_PER_DEGREE = ((EARTH_RADIUS_KM * Math.PI) / 180) * (1 - 1e-9);
const [LOCAL, REGIONAL, NATIONAL] = [0, 1, 2];

/**
 * Whether a row's reach covers the challenge (reach.ts, without objects or needless
 * trigonometry): false when it does not; otherwise the distance if it had to be computed, or undefined.
 */
function reach(cols: Columns, row: number, p: PreparedChallenge): number | undefined | false {
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
function signalsFor(cols: Columns, p: PreparedChallenge): PairSignals {
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
function creditsOf(cols: Columns, p: PreparedChallenge, row: number, best: Float64Array): number {
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
function fillSignals(
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
export function scoreRow(cols: Columns, p: PreparedChallenge, row: number, weights: MatchWeights): Ranked | null {
  const reached = reach(cols, row, p);
  if (reached === false) return null;
  const shared = cols.sdgMask[row] & p.sdgMask;
  const creditSum = creditsOf(cols, p, row, new Float64Array(Math.max(1, p.neededCount)));
  if (shared === 0 && creditSum < 0) return null;
  const f = signalsFor(cols, p);
  fillSignals(cols, p, row, shared, Math.max(0, creditSum), networkPrior(cols.trackTotals[0], cols.trackTotals[1]), f);
  const la = cols.lat[row];
  f.distanceKm =
    reached !== undefined
      ? reached
      : p.latitude === null || p.longitude === null || Number.isNaN(la)
        ? null
        : distanceKm(p.latitude, p.longitude, la, cols.lon[row]);
  const values = new Float64Array(COMPONENTS.length);
  const score = scoreSignals(f, weightVector(weights), values);
  return { row, score, components: componentsOf(values), distanceKm: f.distanceKm, creditSum: f.creditSum };
}

/** A bounded heap keeping the best `keep` by `cmp` (worst on top). */
class TopK {
  private readonly items: Ranked[] = [];
  constructor(
    private readonly keep: number,
    private readonly cmp: (a: Ranked, b: Ranked) => number,
  ) {}

  offer(r: Ranked): void {
    const h = this.items;
    if (h.length < this.keep) {
      h.push(r);
      let i = h.length - 1;
      while (i > 0) {
        const up = (i - 1) >> 1;
        if (this.cmp(h[i], h[up]) <= 0) break;
        [h[i], h[up]] = [h[up], h[i]];
        i = up;
      }
    } else if (this.keep > 0 && this.cmp(r, h[0]) < 0) {
      h[0] = r;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const rr = l + 1;
        let m = i;
        if (l < h.length && this.cmp(h[l], h[m]) > 0) m = l;
        if (rr < h.length && this.cmp(h[rr], h[m]) > 0) m = rr;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
  }

  full(): boolean {
    return this.items.length >= this.keep;
  }

  /** The lowest score kept (only meaningful when full). */
  worstScore(): number {
    return this.items.length ? this.items[0].score : -Infinity;
  }

  sorted(): Ranked[] {
    return [...this.items].sort(this.cmp);
  }
}

function hasTag(cols: Columns, row: number, tags: Set<number>): boolean {
  for (let i = cols.tagStart[row]; i < cols.tagEnd[row]; i++) if (tags.has(cols.tagPool[i])) return true;
  return false;
}

/** Every candidate partner of a challenge, ranked; keeps the best `keep` and each kind's best. */
export function rankPartners(
  cols: Columns,
  p: PreparedChallenge,
  weights: MatchWeights,
  keep: number,
  filter: IndexFilter = {},
  floor = -Infinity,
): RankResult {
  const cmp = (a: Ranked, b: Ranked) => b.score - a.score || compareUuids(cols.idBytes, a.row, b.row);
  const top = new TopK(keep, cmp);
  const bestOfKind = new Map<number, Ranked>();
  const kindBestScore = new Float64Array(KINDS.length).fill(-Infinity);
  const best = new Float64Array(Math.max(1, p.neededCount));
  const excluded = new Set(p.excluded);
  const w = weightVector(weights);
  const values = new Float64Array(COMPONENTS.length);
  const f = signalsFor(cols, p);
  const prior = networkPrior(cols.trackTotals[0], cols.trackTotals[1]);
  const { alive, kind, capacity, accepted, sdgMask, lat, lon } = cols;
  const located = p.latitude !== null && p.longitude !== null;
  let total = 0;
  // Only the rows of the kinds that may qualify: those the challenge wants, narrowed by the filter.
  const kindsAllowed = (p.wantedMask || 0xffff) & (filter.kindMask ?? 0xffff);
  for (let kn = 0; kn < KINDS.length; kn++) {
    if (!((kindsAllowed >>> kn) & 1)) continue;
    const rows = cols.kindRows[kn];
    const count = cols.kindCount[kn];
    for (let at = 0; at < count; at++) {
      const row = rows[at];
      if (alive[row] === 0 || row === p.school) continue;
      if (capacity[row] <= 0 || accepted[row] >= capacity[row]) continue;
      if (excluded.size !== 0 && excluded.has(row)) continue;
      if (filter.sdgMask !== undefined && (sdgMask[row] & filter.sdgMask) === 0) continue;
      if (filter.regions && !filter.regions.has(cols.region[row])) continue;
      if (filter.tagIds && !hasTag(cols, row, filter.tagIds)) continue;
      const shared = sdgMask[row] & p.sdgMask;
      const credits = creditsOf(cols, p, row, best);
      if (shared === 0 && credits < 0) continue;
      const la = lat[row];
      const reached = reach(cols, row, p);
      if (reached === false) continue;
      let d: number | null | undefined = reached;
      if (filter.maxDistanceKm !== undefined) {
        if (!located || Number.isNaN(la)) continue;
        d ??= distanceKm(p.latitude!, p.longitude!, la, lon[row]);
        if (d > filter.maxDistanceKm) continue;
      }
      const near = filter.near;
      if (near && (Number.isNaN(la) || distanceKm(near.latitude, near.longitude, la, lon[row]) > near.radiusKm)) {
        continue;
      }
      fillSignals(cols, p, row, shared, Math.max(0, credits), prior, f);
      const k = kind[row];
      // Best-first pruning: no component may rise with distance, so the pair scores no better than
      // at the distance the latitudes alone prove. If even then it misses the floor, or (counted)
      // cannot make the page nor be its kind's best, its distance is never computed.
      if (d === undefined) {
        const nearest = !located || Number.isNaN(la) ? null : Math.abs(la - p.latitude!) * KM_PER_DEGREE;
        f.distanceKm = nearest;
        const bound = scoreSignals(f, w, values) + 1e-12;
        if (bound < floor) continue;
        if (floor === -Infinity && top.full() && bound < top.worstScore() && bound < kindBestScore[k]) {
          total++;
          continue;
        }
        d = nearest === null ? null : distanceKm(p.latitude!, p.longitude!, la, lon[row]);
      }
      f.distanceKm = d;
      const score = scoreSignals(f, w, values);
      if (score < floor) continue;
      total++;
      const entersTop = !top.full() || score >= top.worstScore();
      if (!entersTop && score < kindBestScore[k]) continue;
      const r: Ranked = { row, score, components: componentsOf(values), distanceKm: d, creditSum: f.creditSum };
      if (entersTop) top.offer(r);
      const b = bestOfKind.get(k);
      if (!b || cmp(r, b) < 0) {
        bestOfKind.set(k, r);
        kindBestScore[k] = score;
      }
    }
  }
  return { top: top.sorted(), bestOfKind, total };
}

/** Kind numbers of a list of kinds. */
export function kindMaskOf(kinds: readonly string[]): number {
  let m = 0;
  for (const k of kinds) m |= 1 << kindNo(k);
  return m;
}

export { KINDS, sdgMaskOf };
