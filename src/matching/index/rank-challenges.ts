/**
 * Ranking from the other side, and single pairs: the open challenges a stakeholder fits, and one
 * pair scored as the partner rankings score it (rank.ts).
 */
import { MatchWeights } from '../combine';
import { ChallengeFacts, MatchIndex } from './match-index';
import { prepareChallenge, schoolRowOf } from './prepared-challenge';
import { Ranked, scoreRow } from './rank';

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
  for (const c of index.challenges.values()) {
    if (!c.open || c.schoolId === stakeholderId) continue;
    if (c.wantedMask !== 0 && !((c.wantedMask >>> index.kind[row]) & 1)) continue;
    if (c.active.has(stakeholderId) || c.dismissed.has(stakeholderId)) continue;
    if (schoolRowOf(index, c) < 0) continue;
    const ranked = scoreRow(index, prepareChallenge(index, c), row, weights);
    if (ranked && ranked.score >= floor) out.push({ challenge: c, ranked });
  }
  return out.sort((a, b) => b.ranked.score - a.ranked.score || (a.challenge.id < b.challenge.id ? -1 : 1));
}
