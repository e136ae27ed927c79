import 'reflect-metadata';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeNetworkCsv } from '../src/db/synthetic-network';
import { importRecords, readRecords } from '../src/domain/import/import.service';
import { loadMatchIndex } from '../src/matching/index/load-index';
import { RankPool, startRankPool } from '../src/matching/workers/rank-pool';
import { applyChange, relayOutbox } from '../src/subscriptions/outbox-relay';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { progress, startBenchDatabase } from './bench-database';

/** Wraps a pool so that the time its matching tasks take (wall, while the relay waits) is summed. */
function timedPool(pool: RankPool, spent: { matchMs: number }): RankPool {
  return {
    threads: pool.threads,
    rank: (task) => pool.rank(task),
    matchRows: async (task) => {
      const t = performance.now();
      try {
        return await pool.matchRows(task);
      } finally {
        spent.matchMs += performance.now() - t;
      }
    },
    stop: () => pool.stop(),
  };
}

/** With `--statements`: the time of each statement the relay runs, summed by its first words. */
function timeStatements(): Map<string, { n: number; ms: number }> {
  const spent = new Map<string, { n: number; ms: number }>();
  const proto = PostgresQueryRunner.prototype;
  const query = proto.query;
  proto.query = async function (this: PostgresQueryRunner, ...args: Parameters<typeof query>): Promise<unknown> {
    const key = String(args[0]).replace(/\s+/g, ' ').trim().slice(0, 70);
    const t = performance.now();
    try {
      return (await query.apply(this, args)) as unknown;
    } finally {
      const entry = spent.get(key) ?? { n: 0, ms: 0 };
      entry.n += 1;
      entry.ms += performance.now() - t;
      spent.set(key, entry);
    }
  } as typeof query;
  return spent;
}

/**
 * `npm run bench:relay -- [--size 100000]`: an import with events, from the relay's side. Imports
 * a synthetic network (a challenge per 500 stakeholders) into a throwaway database (DATABASE_URL's
 * server, else embedded), loads the index as a start does, then relays the whole outbox: prints the
 * relay's time and rate, the events and match states it stored, and how much of its time the
 * workers' matching took (the rest is the statements storing events, and the reads of the rows);
 * `--statements` sums the relay's statements' times by their first words.
 */
async function main(): Promise<void> {
  const at = process.argv.indexOf('--size');
  const size = at >= 0 ? Number(process.argv[at + 1]) : 100_000;
  const db = await startBenchDatabase();
  try {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-relay-')), 'net.csv');
    writeNetworkCsv(file, { stakeholders: size, challenges: Math.max(10, Math.floor(size / 500)), seed: 1 });
    const records = readRecords(readFileSync(file, 'utf8'), 'csv');
    let t = performance.now();
    const report = await importRecords(db.dataSource, records);
    const importS = (performance.now() - t) / 1000;
    await db.dataSource.query('ANALYZE');
    const index = await loadMatchIndex(db.dataSource);
    const spent = { matchMs: 0 };
    index.ranker = timedPool(await startRankPool(), spent);
    const [{ pending }]: { pending: number }[] = await db.dataSource.query(
      'SELECT count(*)::int AS pending FROM outbox WHERE relayed_seq IS NULL',
    );
    const statements = process.argv.includes('--statements') ? timeStatements() : undefined;
    const bar = progress('changes relayed', pending);
    let done = 0;
    t = performance.now();
    for (;;) {
      const relayed = await relayOutbox(db.dataSource, index, (c) => applyChange(index, db.dataSource, c));
      if (!relayed) break;
      done += relayed.length;
      bar(done);
    }
    const relayS = (performance.now() - t) / 1000;
    const [counts]: { events: number; states: number }[] = await db.dataSource.query(
      'SELECT (SELECT count(*)::int FROM match_event) AS events, (SELECT count(*)::int FROM match_state) AS states',
    );
    const rows = records.length;
    process.stdout.write(
      `${rows} rows (${report.failed} rejected) written in ${importS.toFixed(1)} s; ` +
        `relayed ${done} changes in ${relayS.toFixed(1)} s ` +
        `(matching in the workers ${(spent.matchMs / 1000).toFixed(1)} s); ` +
        `${counts.events} events, ${counts.states} match states; ` +
        `end to end ${(rows / (importS + relayS)).toFixed(0)} rows/s\n`,
    );
    for (const [sql, { n, ms }] of [...(statements ?? [])].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) {
      process.stdout.write(`${(ms / 1000).toFixed(2)} s in ${n} × ${sql}\n`);
    }
    await index.ranker.stop();
  } finally {
    await db.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
