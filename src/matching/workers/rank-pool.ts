/**
 * The ranking workers: a piscina pool, one thread per core by default, that runs rankings over
 * the match index's shared columns, so the request thread never scans rows. The worker's file is
 * found (or bundled from TypeScript) by {@link workerFile}.
 */
import { availableParallelism } from 'node:os';
import Piscina from 'piscina';
import type { RankResult } from '../index/rank';
import { ColumnsRef, MatchRowsTask, RankTask, STALE } from './rank.worker';
import type { Columns } from '../index/shared-columns';
import type { PreparedChallenge } from '../index/prepared-challenge';
import type { RowMatch } from '../index/match-rows';
import { workerFile } from './worker-file';

/** Options of {@link startRankPool}. */
export interface RankPoolOptions {
  /**
   * Worker threads.
   * @default os.availableParallelism()
   */
  threads?: number;
}

/** A task with the index's columns themselves; the pool sends them to each worker once per generation. */
type WithColumns<T extends { columns: ColumnsRef }> = Omit<T, 'columns'> & {
  columns: Columns & { generation: number };
};

/** A matching task with its prepared challenges themselves; sent to each worker once per version, too. */
type WithChallenges = Omit<WithColumns<MatchRowsTask>, 'challenges'> & {
  challenges: { key: string; list: PreparedChallenge[] };
};

/** A running pool of ranking workers. */
export interface RankPool {
  /** Runs one ranking in a worker. */
  rank(task: WithColumns<RankTask>): Promise<RankResult>;
  /** Scores rows against challenges in a worker. */
  matchRows(task: WithChallenges): Promise<RowMatch[]>;
  /** Worker threads in the pool. */
  readonly threads: number;
  stop(): Promise<void>;
}

/** Starts the ranking workers. */
export async function startRankPool(options: RankPoolOptions = {}): Promise<RankPool> {
  const threads = options.threads ?? availableParallelism();
  type Answer = RankResult | RowMatch[] | typeof STALE;
  const pool = new Piscina<RankTask | MatchRowsTask, Answer>({
    filename: await workerFile(__dirname, 'rank'),
    minThreads: threads,
    maxThreads: threads,
    // Rankings are short and CPU-bound: one at a time per worker, queued in the pool.
    concurrentTasksPerWorker: 1,
  });
  // Columns (and challenges) by reference first; a worker that has not got that version asks for them.
  const run = async (task: WithColumns<RankTask> | WithChallenges, name: string) => {
    const { generation } = task.columns;
    const challenges = 'challenges' in task ? task.challenges : undefined;
    const lean = await pool.run(
      { ...task, columns: { generation }, ...(challenges && { challenges: { key: challenges.key } }) } as RankTask,
      { name },
    );
    if (lean !== STALE) return lean;
    const full = await pool.run({ ...task, columns: { generation, columns: task.columns } } as RankTask, { name });
    if (full === STALE) throw new Error('A ranking worker did not take the columns it was sent');
    return full;
  };
  return {
    threads,
    rank: (task) => run(task, 'default') as Promise<RankResult>,
    matchRows: (task) => run(task, 'matchRowsTask') as Promise<RowMatch[]>,
    stop: () => pool.destroy(),
  };
}
