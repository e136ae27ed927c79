/**
 * The ranking kernel: a search over the blocks of rows of the wanted kinds (blocks.ts), skipping
 * those whose bound (block-bound.ts) rules them out, that fills each remaining candidate's
 * signals and scores them with the registry's own formulas (pair-score.ts), keeping in a
 * bounded heap the best `keep` by (score desc, id asc) — PostgreSQL's uuid order — plus each
 * kind's best and the total. It reads only {@link Columns} and a {@link PreparedChallenge}, so it
 * runs the same in a ranking worker over shared memory as on the calling thread.
 */
import { MatchWeights, weightVector } from '../combine';
import { Components, COMPONENTS } from '../components/registry';
import { distanceKm } from '../proximity';
import { componentsOf, scoreSignals } from '../score-match';
import { kindNo, KINDS, PRIOR_SLOT, sdgMaskOf } from './column-codes';
import { PreparedChallenge } from './prepared-challenge';
import { Columns } from './shared-columns';
import { creditsOf, fillSignals, KM_PER_DEGREE, reach, signalsFor } from './pair-score';
import { compareUuids } from './uuid-table';
import { BlockBound } from './block-bound';
import { BLOCK_SHIFT, BLOCK_SIZE, SUPER_SHIFT } from './blocks';
import { TopK } from './top-k';
import { BoundQueue } from './bound-queue';
import { holdsCheck } from '../safeguarding';

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
  /** Also partners a safeguarding rule holds back (a coordinator's explicit request). */
  includeUnchecked?: boolean;
}

/** What one ranking pass returns. */
export interface RankResult {
  /** The best `keep`, in rank order. */
  top: Ranked[];
  /** Each kind's best (for the kind-diverse first page). */
  bestOfKind: Map<number, Ranked>;
  total: number;
}

function hasTag(cols: Columns, row: number, tags: Set<number>): boolean {
  for (let i = cols.tagStart[row]; i < cols.tagEnd[row]; i++) if (tags.has(cols.tagPool[i])) return true;
  return false;
}

/** What the row checks of one ranking read, and where they leave a row's SDGs and credit. */
interface Scan {
  cols: Columns;
  p: PreparedChallenge;
  filter: IndexFilter;
  excluded: Set<number>;
  /** Scratch: best credit per needed tag. */
  best: Float64Array;
  located: boolean;
  shared: number;
  credits: number;
}

/**
 * Whether a row qualifies (alive, with room, not excluded, within the filter, something in
 * common, within reach): false if not, else its distance if that had to be computed (undefined
 * if not). Leaves its shared SDGs and credit sum in `s`.
 */
function admit(s: Scan, row: number): number | undefined | false {
  const { cols, p, filter } = s;
  const { capacity, sdgMask, lat } = cols;
  if (cols.alive[row] === 0 || row === p.school) return false;
  if (capacity[row] <= 0 || cols.accepted[row] >= capacity[row]) return false;
  if (s.excluded.size !== 0 && s.excluded.has(row)) return false;
  if (p.checkMask !== 0 && !filter.includeUnchecked && !holdsCheck(cols.checkDays, row, p.checkMask, p.checkFromDay)) {
    return false;
  }
  if (filter.sdgMask !== undefined && (sdgMask[row] & filter.sdgMask) === 0) return false;
  if (filter.regions && !filter.regions.has(cols.region[row])) return false;
  if (filter.tagIds && !hasTag(cols, row, filter.tagIds)) return false;
  s.shared = sdgMask[row] & p.sdgMask;
  s.credits = creditsOf(cols, p, row, s.best);
  if (s.shared === 0 && s.credits < 0) return false;
  const la = lat[row];
  const reached = reach(cols, row, p);
  if (reached === false) return false;
  let d = reached;
  if (filter.maxDistanceKm !== undefined) {
    if (!s.located || Number.isNaN(la)) return false;
    d ??= distanceKm(p.latitude!, p.longitude!, la, cols.lon[row]);
    if (d > filter.maxDistanceKm) return false;
  }
  const near = filter.near;
  if (near && (Number.isNaN(la) || distanceKm(near.latitude, near.longitude, la, cols.lon[row]) > near.radiusKm)) {
    return false;
  }
  return d;
}

/**
 * Every candidate partner of a challenge, ranked; keeps the best `keep` and each kind's best, and
 * counts those scoring at least `floor`. Each block of rows (blocks.ts) — and first each
 * superblock of 16 blocks — is bounded (block-bound.ts) and skipped when no row of it can count,
 * nor (with no floor, where every qualifying row counts) make the page or be its kind's best; the
 * rows of every other block are scored, so the answer is exactly that of scoring every row.
 *
 * `knownTotal`: the count, when the caller already has it for this version of the index (the
 * same challenge, weights, filter and floor): nothing needs counting, so the search is
 * best-first — superblocks, then their blocks, in one queue by bound (bound-queue.ts), and
 * every superblock, block or row whose bound can neither make the page nor be its kind's best
 * skipped. The page and each kind's best are the same either way. `bestKinds`: the kinds (a mask)
 * whose best is wanted; the others' are neither kept nor searched for.
 */
export function rankPartners(
  cols: Columns,
  p: PreparedChallenge,
  weights: MatchWeights,
  keep: number,
  filter: IndexFilter = {},
  floor = -Infinity,
  knownTotal?: number,
  bestKinds = ALL_KINDS,
): RankResult {
  const cmp = (a: Ranked, b: Ranked) => b.score - a.score || compareUuids(cols.idBytes, a.row, b.row);
  const top = new TopK(keep, cmp);
  const bestOfKind = new Map<number, Ranked>();
  // A kind whose best is not asked for never holds a row back: as if its best were beyond reach.
  const kindBestScore = new Float64Array(KINDS.length).map((_, k) => ((bestKinds >>> k) & 1 ? -Infinity : Infinity));
  const located = p.latitude !== null && p.longitude !== null;
  const best = new Float64Array(Math.max(1, p.neededCount));
  const s: Scan = { cols, p, filter, excluded: new Set(p.excluded), best, located, shared: 0, credits: 0 };
  const w = weightVector(weights);
  const values = new Float64Array(COMPONENTS.length);
  const f = signalsFor(cols, p);
  const prior = cols.trackTotals[PRIOR_SLOT];
  const bounds = new BlockBound(p, w, f, prior, filter);
  const { lat, lon } = cols;
  const counting = knownTotal === undefined;
  let total = 0;
  /** Whether nothing bounded by `bound` can make the page or be kind `k`'s best. */
  const beaten = (bound: number, k: number) => top.full() && bound < top.worstScore() && bound < kindBestScore[k];

  /** Scores the rows at `start` to `end` of kind `k`'s list (one block), counting those at the floor. */
  const scoreBlock = (k: number, start: number, end: number) => {
    const rows = cols.kindRows[k];
    for (let at = start; at < end; at++) {
      const row = rows[at];
      const reached = admit(s, row);
      if (reached === false) continue;
      let d: number | null | undefined = reached;
      fillSignals(cols, p, row, s.shared, Math.max(0, s.credits), prior, f);
      const la = lat[row];
      // The same bound for one row: no component may rise with distance, so the pair scores no
      // better than at the distance the latitudes alone prove. If even then it misses the floor,
      // or (counted) cannot make the page nor be its kind's best, its distance is never computed.
      if (d === undefined) {
        const nearest = !located || Number.isNaN(la) ? null : Math.abs(la - p.latitude!) * KM_PER_DEGREE;
        f.distanceKm = nearest;
        const rowBound = scoreSignals(f, w, values) + 1e-12;
        if (rowBound < floor) continue;
        if ((!counting || floor === -Infinity) && beaten(rowBound, k)) {
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
      if (kindBestScore[k] !== Infinity && (!b || cmp(r, b) < 0)) {
        bestOfKind.set(k, r);
        kindBestScore[k] = score;
      }
    }
  };

  // Only the rows of the kinds that may qualify: those the challenge wants, narrowed by the filter.
  // A superblock's bound covers its blocks', so one bound can rule out sixteen.
  const kindsAllowed = (p.wantedMask || 0xffff) & (filter.kindMask ?? 0xffff);
  const SUPER = 1 << SUPER_SHIFT;
  // Best-first (the count known): superblocks and blocks in one queue by bound, packed as
  // (position in the list · kind · whether a block); rows are scored in the order of their
  // block's bound, so the page and each kind's best fill early and the rest is skipped.
  const queue = new BoundQueue();
  const BLOCK = 1;
  const pack = (start: number, k: number, block: number) => (start * KINDS.length + k) * 2 + block;
  for (let k = 0; k < KINDS.length; k++) {
    if (!((kindsAllowed >>> k) & 1)) continue;
    const count = cols.kindCount[k];
    for (let start = 0; start < count; start += SUPER) {
      const bound = bounds.of(cols.kindSupers[k], start >> SUPER_SHIFT);
      if (bound === -Infinity || bound < floor) continue;
      if (!counting) {
        queue.push(bound, pack(start, k, 0));
        continue;
      }
      // Counting: every superblock that may reach the floor, block by block, in the list's order.
      for (let at = start; at < Math.min(count, start + SUPER); at += BLOCK_SIZE) {
        const end = Math.min(count, at + BLOCK_SIZE);
        const b = bounds.of(cols.kindBlocks[k], at >> BLOCK_SHIFT);
        // −∞: no row of it qualifies. Below the floor: none counts either.
        if (b === -Infinity || b < floor) continue;
        if (floor === -Infinity && beaten(b, k)) {
          for (let i = at; i < end; i++) if (admit(s, cols.kindRows[k][i]) !== false) total++;
          continue;
        }
        scoreBlock(k, at, end);
      }
    }
  }
  while (queue.size > 0) {
    const bound = queue.peekBound();
    const item = queue.pop();
    const block = item % 2;
    const k = Math.floor(item / 2) % KINDS.length;
    const start = Math.floor(item / 2 / KINDS.length);
    if (beaten(bound, k)) continue;
    const count = cols.kindCount[k];
    if (block === BLOCK) {
      scoreBlock(k, start, Math.min(count, start + BLOCK_SIZE));
      continue;
    }
    for (let at = start; at < Math.min(count, start + SUPER); at += BLOCK_SIZE) {
      const b = bounds.of(cols.kindBlocks[k], at >> BLOCK_SHIFT);
      if (b !== -Infinity && b >= floor && !beaten(b, k)) queue.push(b, pack(at, k, BLOCK));
    }
  }
  return { top: top.sorted(), bestOfKind, total: counting ? total : knownTotal };
}

/** Every kind, as a mask. */
export const ALL_KINDS = 0xffff;

/** Kind numbers of a list of kinds. */
export function kindMaskOf(kinds: readonly string[]): number {
  let m = 0;
  for (const k of kinds) m |= 1 << kindNo(k);
  return m;
}

export { KINDS, sdgMaskOf };
