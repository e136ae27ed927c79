/**
 * A ranking worker (run by the pool in rank-pool.ts): ranks one challenge's partners on the
 * index's shared columns. It never writes them; the index does not change while a task runs.
 */
import { MatchWeights } from '../combine';
import { PreparedChallenge } from '../index/prepared-challenge';
import { IndexFilter, rankPartners, RankResult } from '../index/rank';
import { Columns } from '../index/shared-columns';
import { matchRows, RowMatch } from '../index/match-rows';

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

/** Rows matched against challenges, as sent to a worker (the columns and link tables are shared). */
export interface MatchRowsTask {
  columns: Columns;
  challenges: PreparedChallenge[];
  rows: Int32Array;
  weights: MatchWeights;
  floor: number;
}

/** Live matching of rows against open challenges (match-rows.ts). */
export function matchRowsTask(task: MatchRowsTask): RowMatch[] {
  return matchRows(task.columns, task.challenges, task.rows, task.weights, task.floor);
}
