/**
 * Rankings on the index, off the request thread: the challenge is prepared here, the rows are
 * scanned in a ranking worker (workers/rank-pool.ts) while the index lock holds writes back, so
 * each ranking reads one version of the columns. An index without a pool (tools, unit tests of
 * the kernel) ranks on the calling thread; the service always gives its index a pool.
 */
import { MatchWeights } from '../combine';
import { notFound } from '../../domain/errors';
import { ChallengeFacts, MatchIndex } from './match-index';
import { prepareChallenge } from './prepared-challenge';
import { IndexFilter, rankPartners, RankResult } from './rank';

/**
 * Every candidate partner of a challenge, ranked (rank.ts), in a worker; with the index version it
 * read and the challenge's facts at that version (what the page must be explained with).
 */
export function rankPartnersOf(
  index: MatchIndex,
  challengeId: string,
  weights: MatchWeights,
  keep: number,
  filter: IndexFilter = {},
  floor = -Infinity,
): Promise<RankResult & { version: number; challenge: ChallengeFacts }> {
  return index.lock.read(async () => {
    const version = index.lock.version;
    // Looked up here, under the lock: facts fetched before a write would pair an old challenge
    // with the new rows.
    const c = index.challenges.get(challengeId);
    if (!c) throw notFound('Challenge', challengeId, 'challengeId');
    const challenge = prepareChallenge(index, c);
    const result = index.ranker
      ? await index.ranker.rank({ columns: index.columns(), challenge, weights, keep, filter, floor })
      : rankPartners(index, challenge, weights, keep, filter, floor);
    return { ...result, version, challenge: c };
  });
}
