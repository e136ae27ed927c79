/** One pair scored as the partner rankings score it (rank.ts): an invitation's draft. */
import { MatchWeights } from '../combine';
import { ChallengeFacts } from './index-facts';
import { MatchIndex } from './match-index';
import { prepareChallenge, schoolRowOf } from './prepared-challenge';
import { scoreRow } from './pair-score';

/**
 * One pair, scored as the rankings score it; null when it is no fit at all (outside the
 * partner's reach, or nothing in common). Exclusions (busy, full, dismissed) are the caller's.
 */
export function rankPair(index: MatchIndex, c: ChallengeFacts, stakeholderId: string, weights: MatchWeights) {
  const row = index.rowOf(stakeholderId);
  const school = schoolRowOf(index, c);
  if (row < 0 || school < 0 || index.alive[row] === 0) return null;
  return scoreRow(index, prepareChallenge(index, c), row, weights);
}
