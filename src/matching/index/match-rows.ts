/**
 * Live matching in bulk: rows (new or changed stakeholders, an import's slice) scored against
 * every open challenge, keeping the pairs at or above a floor. The kernel is the rankings' own
 * (scoreRow, pair-score.ts) over the same shared columns; the pairs a challenge never suggests (busy,
 * ruled out, full, its own school, an unwanted kind, held back by safeguarding) are left out as
 * the rankings leave them out.
 */
import { MatchWeights } from '../combine';
import { PreparedChallenge } from './prepared-challenge';
import type { Ranked } from './rank';
import { pairScratch, scoreRow } from './pair-score';
import { Columns } from './shared-columns';
import { holdsCheck } from '../safeguarding';

/** One pair found: the row, the challenge's position in the list it came with, and its score. */
export interface RowMatch {
  row: number;
  challenge: number;
  ranked: Ranked;
}

/** Scores `rows` against `challenges`, keeping the pairs scoring at least `floor`. */
export function matchRows(
  cols: Columns,
  challenges: readonly PreparedChallenge[],
  rows: Int32Array,
  weights: MatchWeights,
  floor: number,
): RowMatch[] {
  const out: RowMatch[] = [];
  const scratch = pairScratch(weights);
  for (const row of rows) {
    if (cols.alive[row] === 0 || cols.capacity[row] <= 0 || cols.accepted[row] >= cols.capacity[row]) continue;
    const kind = cols.kind[row];
    challenges.forEach((p, challenge) => {
      if (row === p.school || (p.wantedMask !== 0 && !((p.wantedMask >>> kind) & 1))) return;
      if (p.excluded.includes(row)) return;
      // Pushed matches follow the safeguarding rule with no exception.
      if (p.checkMask !== 0 && !holdsCheck(cols.checkDays, row, p.checkMask, p.checkFromDay)) return;
      const ranked = scoreRow(cols, p, row, weights, scratch);
      if (ranked && ranked.score >= floor) out.push({ row, challenge, ranked });
    });
  }
  return out;
}
