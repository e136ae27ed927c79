/**
 * The ranking workers: a piscina pool, one thread per core by default, that runs rankings over
 * the match index's shared columns, so the request thread never scans rows. From TypeScript
 * sources (tests, tools run through ts-jest) the worker is bundled once with esbuild; the built
 * service runs the compiled `rank.worker.js` beside this file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import Piscina from 'piscina';
import type { RankResult } from '../index/rank';
import { ColumnsRef, MatchRowsTask, RankTask, STALE } from './rank.worker';
import type { Columns } from '../index/shared-columns';
import type { PreparedChallenge } from '../index/prepared-challenge';
import type { RowMatch } from '../index/match-rows';

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

/**
 * The worker's file: the compiled one beside this module, or (running from TypeScript) a bundle
 * made with esbuild in the temporary directory, named by a hash of what it was built from.
 */
function workerFile(): Promise<string> {
  return (built ??= buildWorkerFile());
}

/** The worker file, found or built once per process. */
let built: Promise<string> | undefined;

async function buildWorkerFile(): Promise<string> {
  const compiled = join(__dirname, 'rank.worker.js');
  if (existsSync(compiled)) return compiled;
  const esbuild = await import('esbuild');
  const output = await esbuild.build({
    entryPoints: [join(__dirname, 'rank.worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const code = output.outputFiles[0].contents;
  const dir = join(tmpdir(), 'open-schooling-matchmaker-workers');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `rank-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`);
  if (!existsSync(file) || !readFileSync(file).equals(code)) writeFileSync(file, code);
  return file;
}

/** Starts the ranking workers. */
export async function startRankPool(options: RankPoolOptions = {}): Promise<RankPool> {
  const threads = options.threads ?? availableParallelism();
  type Answer = RankResult | RowMatch[] | typeof STALE;
  const pool = new Piscina<RankTask | MatchRowsTask, Answer>({
    filename: await workerFile(),
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
