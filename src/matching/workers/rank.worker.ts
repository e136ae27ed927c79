/**
 * A ranking worker (run by the pool in rank-pool.ts): ranks one challenge's partners on the
 * index's shared columns. It never writes them; the index does not change while a task runs.
 */
import { MatchWeights } from '../combine';
import { PreparedChallenge } from '../index/prepared-challenge';
import { IndexFilter, rankPartners, RankResult } from '../index/rank';
import { Columns } from '../index/shared-columns';
import { matchRows, RowMatch } from '../index/match-rows';

/**
 * The columns a task reads: sent to a worker once per generation (cloning ~40 shared arrays into
 * every message cost the request thread a tenth of its time), then named by their generation.
 */
export interface ColumnsRef {
  generation: number;
  /** Present when the worker may not have this generation yet. */
  columns?: Columns;
}

/** What a worker answers when it has not got the task's generation: send it again with the columns. */
export const STALE = 'stale';

/** This worker's columns: the latest generation it was sent. */
let known: { generation: number; columns: Columns } | undefined;

function columnsOf(ref: ColumnsRef): Columns | undefined {
  if (ref.columns) known = { generation: ref.generation, columns: ref.columns };
  return known?.generation === ref.generation ? known.columns : undefined;
}

/** One ranking, as sent to a worker: the columns by reference, the rest is small. */
export interface RankTask {
  columns: ColumnsRef;
  challenge: PreparedChallenge;
  weights: MatchWeights;
  keep: number;
  filter: IndexFilter;
  floor: number;
  /** The count, when already made at this version (rank.ts searches best-first then). */
  knownTotal?: number;
  /** The kinds whose best is wanted, as a mask (default: every kind). */
  bestKinds?: number;
}

export default function rank(task: RankTask): RankResult | typeof STALE {
  const columns = columnsOf(task.columns);
  if (!columns) return STALE;
  const { challenge, weights, keep, filter, floor, knownTotal, bestKinds } = task;
  return rankPartners(columns, challenge, weights, keep, filter, floor, knownTotal, bestKinds);
}

/** Prepared open challenges by the key of their version: sent once, like the columns. */
export interface ChallengesRef {
  key: string;
  /** Present when the worker may not have this version yet. */
  list?: PreparedChallenge[];
}

/** This worker's last few sets of prepared challenges, by key. */
const challengeSets = new Map<string, PreparedChallenge[]>();

function challengesOf(ref: ChallengesRef): PreparedChallenge[] | undefined {
  if (ref.list) {
    challengeSets.set(ref.key, ref.list);
    // A few versions at once (one part per worker): the oldest go.
    for (const key of challengeSets.keys()) if (challengeSets.size > 4) challengeSets.delete(key);
  }
  return challengeSets.get(ref.key);
}

/** Rows matched against challenges, as sent to a worker: columns and challenges by reference. */
export interface MatchRowsTask {
  columns: ColumnsRef;
  challenges: ChallengesRef;
  rows: Int32Array;
  weights: MatchWeights;
  floor: number;
}

/** Live matching of rows against open challenges (match-rows.ts). */
export function matchRowsTask(task: MatchRowsTask): RowMatch[] | typeof STALE {
  const columns = columnsOf(task.columns);
  const challenges = challengesOf(task.challenges);
  if (!columns || !challenges) return STALE;
  return matchRows(columns, challenges, task.rows, task.weights, task.floor);
}
