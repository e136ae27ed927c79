/**
 * Ranking on the match index: one pass over the columns that scores every candidate with the
 * same formulas as the rest of the matcher (score-match.ts) and keeps, in a bounded heap, the
 * best `keep` by (score desc, id asc) — PostgreSQL's uuid order — plus each kind's best and the
 * total. Nothing here allocates per candidate.
 */
import { combine, Components, MatchWeights } from '../combine';
import { expertiseFit } from '../expertise-fit';
import { inclusion } from '../inclusion';
import { NEUTRAL_FIT } from '../preference-fit';
import { distanceKm, proximity } from '../proximity';
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

const better = (index: MatchIndex) => (a: Ranked, b: Ranked) => b.score - a.score || compareUuids(index.ids.bytes, a.row, b.row);

/** Scores one pair; null when the pair does not qualify at all. */
function scorePair(
  index: MatchIndex,
  c: ChallengeFacts,
  school: number,
  row: number,
  weights: MatchWeights,
  best: Float64Array,
): Ranked | null {
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
  const d = c.latitude === null || c.longitude === null || Number.isNaN(la) ? null : distanceKm(c.latitude, c.longitude, la, index.lon[row]);
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
  };
  return { row, score: combine(components, weights), components, distanceKm: d, creditSum };
}

/** Whether a row passes the filter (the challenge's own position for `maxDistanceKm`). */
function passes(index: MatchIndex, c: ChallengeFacts, row: number, f: IndexFilter): boolean {
  if (f.kindMask !== undefined && !((f.kindMask >>> index.kind[row]) & 1)) return false;
  if (f.sdgMask !== undefined && (index.sdgMask[row] & f.sdgMask) === 0) return false;
  if (f.regions && !f.regions.has(index.region[row])) return false;
  if (f.tagIds) {
    const tags = index.tagsOf(row);
    let any = false;
    for (let i = 0; i < tags.length && !any; i++) any = f.tagIds.has(tags[i]);
    if (!any) return false;
  }
  const la = index.lat[row];
  if (f.maxDistanceKm !== undefined) {
    if (c.latitude === null || c.longitude === null || Number.isNaN(la)) return false;
    if (distanceKm(c.latitude, c.longitude, la, index.lon[row]) > f.maxDistanceKm) return false;
  }
  if (f.near) {
    if (Number.isNaN(la)) return false;
    if (distanceKm(f.near.latitude, f.near.longitude, la, index.lon[row]) > f.near.radiusKm) return false;
  }
  return true;
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
  const school = index.rowOf(c.schoolId);
  const cmp = better(index);
  const top = new TopK(keep, cmp);
  const bestOfKind = new Map<number, Ranked>();
  const best = new Float64Array(Math.max(1, c.neededIds.length));
  const excluded = new Set<number>();
  for (const id of c.active) excluded.add(index.rowOf(id));
  for (const id of c.dismissed) excluded.add(index.rowOf(id));
  let total = 0;
  for (let row = 0; row < index.size; row++) {
    if (index.alive[row] === 0 || row === school) continue;
    if (c.wantedMask !== 0 && !((c.wantedMask >>> index.kind[row]) & 1)) continue;
    if (index.capacity[row] <= 0 || index.accepted[row] >= index.capacity[row]) continue;
    if (excluded.has(row)) continue;
    if (!passes(index, c, row, filter)) continue;
    const r = scorePair(index, c, school, row, weights, best);
    if (!r || r.score < floor) continue;
    total++;
    top.offer(r);
    const k = index.kind[row];
    const b = bestOfKind.get(k);
    if (!b || cmp(r, b) < 0) bestOfKind.set(k, r);
  }
  return { top: top.sorted(), bestOfKind, total };
}

/** Open challenges a stakeholder fits, ranked by (score desc, challenge id asc). */
export function rankChallenges(
  index: MatchIndex,
  stakeholderId: string,
  weights: MatchWeights,
  floor = -Infinity,
): { challenge: ChallengeFacts; ranked: Ranked }[] {
  const row = index.rowOf(stakeholderId);
  if (row < 0 || index.alive[row] === 0) return [];
  if (index.capacity[row] <= 0 || index.accepted[row] >= index.capacity[row]) return [];
  const out: { challenge: ChallengeFacts; ranked: Ranked }[] = [];
  const best = new Float64Array(50);
  for (const c of index.challenges.values()) {
    if (!c.open || c.schoolId === stakeholderId) continue;
    if (c.wantedMask !== 0 && !((c.wantedMask >>> index.kind[row]) & 1)) continue;
    if (c.active.has(stakeholderId) || c.dismissed.has(stakeholderId)) continue;
    const school = index.rowOf(c.schoolId);
    if (school < 0) continue;
    const ranked = scorePair(index, c, school, row, weights, best.length >= c.neededIds.length ? best : new Float64Array(c.neededIds.length));
    if (ranked && ranked.score >= floor) out.push({ challenge: c, ranked });
  }
  return out.sort((a, b) => b.ranked.score - a.ranked.score || (a.challenge.id < b.challenge.id ? -1 : 1));
}

/** Kind numbers of a list of kinds. */
export function kindMaskOf(kinds: readonly string[]): number {
  let m = 0;
  for (const k of kinds) m |= 1 << kindNo(k);
  return m;
}

export { KINDS, sdgMaskOf };
