/**
 * Ranking on the match index: one pass over the columns that scores every candidate with the
 * same formulas as the rest of the matcher (score-match.ts) and keeps, in a bounded heap, the
 * best `keep` by (score desc, id asc) — PostgreSQL's uuid order — plus each kind's best and the
 * total. Nothing here allocates per candidate.
 */
import { trackOf } from '../track';
import { combine, MatchWeights } from '../combine';
import { Components } from '../components/registry';
import { expertiseFit } from '../expertise-fit';
import { inclusion } from '../inclusion';
import { NEUTRAL_FIT } from '../preference-fit';
import { distanceKm, EARTH_RADIUS_KM, proximity } from '../proximity';
import { LOCAL_KM, REGIONAL_KM } from '../reach';
import { sdgOverlap } from '../sdg-overlap';
import { ChallengeFacts, KINDS, kindNo, MatchIndex, popcount, sdgMaskOf } from './match-index';
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

/** Where a challenge is, as reach needs it: dictionary numbers (0 unknown, −1 a country no row has). */
interface Place {
  countryNo: number;
  regionNo: number;
  latitude: number | null;
  longitude: number | null;
}

/** A challenge's school row, looked up once (a stakeholder's row never changes). */
export function schoolRowOf(index: MatchIndex, c: ChallengeFacts): number {
  if (c.schoolRow === undefined || c.schoolRow < 0) c.schoolRow = index.rowOf(c.schoolId);
  return c.schoolRow;
}

function placeOf(index: MatchIndex, c: ChallengeFacts): Place {
  return {
    countryNo: c.countryCode ? index.countryNo(c.countryCode) : 0,
    regionNo: c.regionCode ? Math.max(0, index.regionNo(c.regionCode)) : 0,
    latitude: c.latitude,
    longitude: c.longitude,
  };
}

/**
 * Whether a row's reach covers the place (reach.ts, without objects or needless trigonometry):
 * false when it does not; otherwise the distance if it had to be computed, or undefined.
 */
function reach(index: MatchIndex, row: number, p: Place): number | undefined | false {
  const area = index.area[row];
  if (area > NATIONAL) return undefined;
  const country = index.country[row];
  if (country !== 0 && p.countryNo !== 0 && country !== p.countryNo) return false;
  if (area === NATIONAL) return undefined;
  if (area === REGIONAL && p.regionNo > 0 && index.region[row] === p.regionNo) return undefined;
  const la = index.lat[row];
  if (p.latitude === null || p.longitude === null || Number.isNaN(la)) return false;
  const limit = area === LOCAL ? LOCAL_KM : REGIONAL_KM;
  if (Math.abs(la - p.latitude) * KM_PER_DEGREE > limit) return false;
  const d = distanceKm(p.latitude, p.longitude, la, index.lon[row]);
  return d <= limit ? d : false;
}

const better = (index: MatchIndex) => (a: Ranked, b: Ranked) =>
  b.score - a.score || compareUuids(index.ids.bytes, a.row, b.row);

/** Scores one pair; null when the pair does not qualify at all. */
export function scoreRow(
  index: MatchIndex,
  c: ChallengeFacts,
  school: number,
  row: number,
  weights: MatchWeights,
  best: Float64Array,
): Ranked | null {
  const reached = reach(index, row, placeOf(index, c));
  if (reached === false) return null;
  const shared = index.sdgMask[row] & c.sdgMask;
  let linked = false;
  best.fill(0);
  const tags = index.tagsOf(row);
  for (let i = 0; i < tags.length; i++) {
    const links = c.linksByTag[tags[i]];
    if (!links) continue;
    linked = true;
    for (let j = 0; j < links.length; j += 2) if (links[j + 1] > best[links[j]]) best[links[j]] = links[j + 1];
  }
  if (shared === 0 && !linked) return null;
  let creditSum = 0;
  for (let i = 0; i < c.neededIds.length; i++) creditSum += best[i];
  const la = index.lat[row];
  const d =
    reached !== undefined
      ? reached
      : c.latitude === null || c.longitude === null || Number.isNaN(la)
        ? null
        : distanceKm(c.latitude, c.longitude, la, index.lon[row]);
  // Preference fit: each signal counts only when both sides state it.
  let stated = 0;
  let hits = 0;
  if (c.wantedMask !== 0) {
    stated++;
    if ((c.wantedMask >>> index.kind[row]) & 1) hits++;
  }
  if (index.levelMask[row] !== 0 && index.levelMask[school] !== 0) {
    stated++;
    if ((index.levelMask[row] & index.levelMask[school]) !== 0) hits++;
  }
  const languages = index.sharesLanguage(row, school);
  if (languages !== null) {
    stated++;
    if (languages) hits++;
  }
  const components: Components = {
    sdg: sdgOverlap(popcount(shared), c.sdgIds.length, popcount(index.sdgMask[row])),
    expertise: expertiseFit(creditSum, c.neededIds.length),
    proximity: proximity(d, c.radiusKm),
    kind: stated === 0 ? NEUTRAL_FIT : hits / stated,
    inclusion: inclusion(index.scoredContexts[school], index.scoredContexts[row]),
    track: index.trackAt(row),
  };
  return { row, score: combine(components, weights), components, distanceKm: d, creditSum };
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
        const p = (i - 1) >> 1;
        if (this.cmp(h[i], h[p]) <= 0) break;
        [h[i], h[p]] = [h[p], h[i]];
        i = p;
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

/** Every candidate partner of a challenge, ranked; keeps the best `keep` and each kind's best. */
export function rankPartners(
  index: MatchIndex,
  c: ChallengeFacts,
  weights: MatchWeights,
  keep: number,
  filter: IndexFilter = {},
  floor = -Infinity,
): RankResult {
  const school = schoolRowOf(index, c);
  const cmp = better(index);
  const top = new TopK(keep, cmp);
  const bestOfKind = new Map<number, Ranked>();
  const kindBestScore = new Float64Array(KINDS.length).fill(-Infinity);
  const needed = c.neededIds.length;
  const best = new Float64Array(Math.max(1, needed));
  const excluded = new Set<number>();
  for (const id of c.active) excluded.add(index.rowOf(id));
  for (const id of c.dismissed) excluded.add(index.rowOf(id));
  // The weighted mean exactly as combine() adds it up, so scores are equal to the last bit.
  const { sdg: ws, expertise: we, proximity: wp, kind: wk, inclusion: wi, track: wt } = weights;
  const totalWeight = 0 + ws + we + wp + wk + wi + wt;
  const { alive, kind, capacity, accepted, sdgMask, tagStart, tagEnd, levelMask, scoredContexts, lat, lon } = index;
  const { trackTenths, trackObservations } = index;
  const prior = index.trackPrior;
  const tagPool = index.tagPool;
  const located = c.latitude !== null && c.longitude !== null;
  const place = placeOf(index, c);
  const schoolLevels = school >= 0 ? levelMask[school] : 0;
  const schoolContexts = school >= 0 ? scoredContexts[school] : 0;
  // Links by tag in flat arrays for this request: a dense lookup instead of a sparse JS array.
  const linkAt = new Int32Array(index.maxTagId + 2).fill(-1);
  const linkNeed: number[] = [];
  const linkCreditOf: number[] = [];
  const linkNext: number[] = [];
  c.linksByTag.forEach((pairs, tag) => {
    if (!pairs || tag >= linkAt.length) return;
    for (let j = 0; j < pairs.length; j += 2) {
      linkNext.push(linkAt[tag]);
      linkAt[tag] = linkNeed.length;
      linkNeed.push(pairs[j]);
      linkCreditOf.push(pairs[j + 1]);
    }
  });
  let total = 0;
  // Only the rows of the kinds that may qualify: those the challenge wants, narrowed by the filter.
  const kindsAllowed = (c.wantedMask || 0xffff) & (filter.kindMask ?? 0xffff);
  for (let kn = 0; kn < KINDS.length; kn++) {
    if (!((kindsAllowed >>> kn) & 1)) continue;
    const rows = index.kindRows[kn];
    const count = index.kindCount[kn];
    for (let at = 0; at < count; at++) {
      const row = rows[at];
      if (alive[row] === 0 || row === school) continue;
      const k = kind[row];
      if (capacity[row] <= 0 || accepted[row] >= capacity[row]) continue;
      if (excluded.size !== 0 && excluded.has(row)) continue;
      if (filter.sdgMask !== undefined && (sdgMask[row] & filter.sdgMask) === 0) continue;
      if (filter.regions && !filter.regions.has(index.region[row])) continue;
      const shared = sdgMask[row] & c.sdgMask;
      let linked = false;
      let tagged = filter.tagIds === undefined;
      for (let i = tagStart[row]; i < tagEnd[row]; i++) {
        const tag = tagPool[i];
        if (!tagged && filter.tagIds!.has(tag)) tagged = true;
        let l = tag < linkAt.length ? linkAt[tag] : -1;
        if (l < 0) continue;
        if (!linked) {
          best.fill(0);
          linked = true;
        }
        for (; l >= 0; l = linkNext[l]) if (linkCreditOf[l] > best[linkNeed[l]]) best[linkNeed[l]] = linkCreditOf[l];
      }
      if (!tagged || (shared === 0 && !linked)) continue;
      const la = lat[row];
      const reached = reach(index, row, place);
      if (reached === false) continue;
      let d: number | null | undefined = reached;
      if (filter.maxDistanceKm !== undefined) {
        if (!located || Number.isNaN(la)) continue;
        d ??= distanceKm(c.latitude!, c.longitude!, la, lon[row]);
        if (d > filter.maxDistanceKm) continue;
      }
      if (filter.near) {
        if (
          Number.isNaN(la) ||
          distanceKm(filter.near.latitude, filter.near.longitude, la, lon[row]) > filter.near.radiusKm
        )
          continue;
      }
      let creditSum = 0;
      if (linked) for (let i = 0; i < needed; i++) creditSum += best[i];
      const cs = sdgOverlap(popcount(shared), c.sdgIds.length, popcount(sdgMask[row]));
      const ce = expertiseFit(creditSum, needed);
      let stated = 0;
      let hits = 0;
      if (c.wantedMask !== 0) {
        stated++;
        hits++; // a wanted kind, or it would not be here
      }
      if (levelMask[row] !== 0 && schoolLevels !== 0) {
        stated++;
        if ((levelMask[row] & schoolLevels) !== 0) hits++;
      }
      const languages = school >= 0 ? index.sharesLanguage(row, school) : null;
      if (languages !== null) {
        stated++;
        if (languages) hits++;
      }
      const ck = stated === 0 ? NEUTRAL_FIT : hits / stated;
      const ci = inclusion(schoolContexts, scoredContexts[row]);
      const ct = trackOf(trackTenths[row], trackObservations[row], prior);
      // Best-first pruning. Proximity can be no better than at the distance the latitudes alone
      // prove: if even then the pair misses the floor, or (counted) cannot make the page nor be its
      // kind's best, its distance is never computed.
      if (d === undefined) {
        const nearest = !located || Number.isNaN(la) ? null : Math.abs(la - c.latitude!) * KM_PER_DEGREE;
        const bound =
          (0 +
            ws * cs +
            we * ce +
            wp * (nearest === null ? 0 : proximity(nearest, c.radiusKm)) +
            wk * ck +
            wi * ci +
            wt * ct) /
            totalWeight +
          1e-12;
        if (bound < floor) continue;
        if (floor === -Infinity && top.full() && bound < top.worstScore() && bound < kindBestScore[k]) {
          total++;
          continue;
        }
        d = nearest === null ? null : distanceKm(c.latitude!, c.longitude!, la, lon[row]);
      }
      const cp = proximity(d, c.radiusKm);
      const score = (0 + ws * cs + we * ce + wp * cp + wk * ck + wi * ci + wt * ct) / totalWeight;
      if (score < floor) continue;
      total++;
      const entersTop = !top.full() || score >= top.worstScore();
      if (!entersTop && score < kindBestScore[k]) continue;
      const r: Ranked = {
        row,
        score,
        components: { sdg: cs, expertise: ce, proximity: cp, kind: ck, inclusion: ci, track: ct },
        distanceKm: d,
        creditSum,
      };
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
