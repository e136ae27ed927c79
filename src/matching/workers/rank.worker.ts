/**
 * A ranking worker (run by the pool in rank-pool.ts): ranks one challenge's partners on the
 * index's shared columns. It never writes them; the index does not change while a task runs.
 */
import { MatchWeights } from '../combine';
import { PreparedChallenge } from '../index/prepared-challenge';
import { IndexFilter, rankPartners, RankResult } from '../index/rank';
import { Columns } from '../index/shared-columns';

/** One ranking, as sent to a worker: the columns are shared arrays, the rest is small. */
export interface RankTask {
  columns: Columns;
  challenge: PreparedChallenge;
  weights: MatchWeights;
  keep: number;
  filter: IndexFilter;
  floor: number;
}

export default function rank(task: RankTask): RankResult {
  return rankPartners(task.columns, task.challenge, task.weights, task.keep, task.filter, task.floor);
}
