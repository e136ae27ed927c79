import 'reflect-metadata';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { writeNetworkCsv } from '../src/db/synthetic-network';
import { importRecords, readRecords } from '../src/domain/import/import.service';
import { loadMatchIndex } from '../src/matching/index/load-index';
import { RankPool, startRankPool } from '../src/matching/workers/rank-pool';
import { relayOutbox } from '../src/subscriptions/outbox-relay';
import { applyUnlessRead, pendingSeqs, ReadChanges } from '../src/subscriptions/read-changes';
import { progress, startBenchDatabase } from './bench-database';
import { cpuProfileIfAsked } from './cpu-profile';
import { StatementTimes, timeStatements } from './statement-times';

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

/**
 * `npm run bench:relay -- [--size 100000]`: an import with events, from the relay's side. Imports
 * a synthetic network (a challenge per 500 stakeholders) into a throwaway database (DATABASE_URL's
 * server, else embedded), loads the index as a start does, then relays the whole outbox: prints the
 * relay's time and rate, the events and match states it stored, and how much of its time the
 * workers' matching took (the rest is the statements storing events, and the reads of the rows),
 * the time per change kind, the garbage collection on the relay's thread and the CPU time spent
 * (the machine's and this process's); `--statements` sums the import's and the relay's
 * statements' times by their first words; `--cpu-prof` writes a CPU profile of the relay's thread
 * (relay-profile.cpuprofile in the temporary directory).
 */
async function main(): Promise<void> {
  const at = process.argv.indexOf('--size');
  const size = at >= 0 ? Number(process.argv[at + 1]) : 100_000;
  const db = await startBenchDatabase();
  try {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-relay-')), 'net.csv');
    writeNetworkCsv(file, { stakeholders: size, challenges: Math.max(10, Math.floor(size / 500)), seed: 1 });
    // Let go once written: a service relaying an import holds neither its rows nor its report.
    let records: ReturnType<typeof readRecords> | undefined = readRecords(readFileSync(file, 'utf8'), 'csv');
    const rows = records.length;
    const timed = process.argv.includes('--statements');
    let report: { failed: number } | undefined;
    const importAll = async () => {
      const { failed } = await importRecords(db.dataSource, records!);
      report = { failed };
    };
    let t = performance.now();
    const importStatements = timed ? await timeStatements(importAll) : (await importAll(), undefined);
    const importS = (performance.now() - t) / 1000;
    records = undefined;
    await db.dataSource.query('ANALYZE');
    // As a start does: the changes pending before the load are in what it reads (not read again).
    const loadedWith = new ReadChanges(await pendingSeqs(db.dataSource));
    const index = await loadMatchIndex(db.dataSource);
    const spent = { matchMs: 0 };
    index.ranker = timedPool(await startRankPool(), spent);
    const [{ pending }]: { pending: number }[] = await db.dataSource.query(
      'SELECT count(*)::int AS pending FROM outbox WHERE relayed_seq IS NULL',
    );
    const bar = progress('changes relayed', pending);
    let done = 0;
    // Time per change kind: from the change's application to the end of its matching.
    const byKind = new Map<string, { n: number; ms: number }>();
    let started = 0;
    const relayAll = async () => {
      for (;;) {
        const relayed = await relayOutbox(
          db.dataSource,
          index,
          (c, seq) => {
            started = performance.now();
            return applyUnlessRead(index, db.dataSource, c, seq, loadedWith);
          },
          (_m, { change }) => {
            const kind = byKind.get(change?.kind ?? 'none') ?? { n: 0, ms: 0 };
            byKind.set(change?.kind ?? 'none', { n: kind.n + 1, ms: kind.ms + performance.now() - started });
            return Promise.resolve();
          },
        );
        if (!relayed?.relayed.length) break;
        done += relayed.relayed.length;
        bar(done);
      }
    };
    const stopProfile = await cpuProfileIfAsked('relay-profile.cpuprofile', 'the relay');
    // Garbage collection on this thread while the relay runs.
    let gcMs = 0;
    const gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcMs += entry.duration;
    });
    gc.observe({ entryTypes: ['gc'] });
    const cpuBefore = os.cpus().map((c) => c.times);
    const ownBefore = process.cpuUsage();
    t = performance.now();
    const statements: StatementTimes | undefined = timed
      ? await timeStatements(relayAll)
      : (await relayAll(), undefined);
    const relayS = (performance.now() - t) / 1000;
    gc.disconnect();
    // CPU while the relay ran: the machine's (PostgreSQL's beside this process) and this process's.
    const ownS = ((own) => (own.user + own.system) / 1e6)(process.cpuUsage(ownBefore));
    const busyS =
      os.cpus().reduce((sum, c, k) => {
        const b = cpuBefore[k];
        return sum + c.times.user - b.user + c.times.sys - b.sys + c.times.nice - b.nice + c.times.irq - b.irq;
      }, 0) / 1000;
    await stopProfile();
    const [counts]: { events: number; states: number }[] = await db.dataSource.query(
      'SELECT (SELECT count(*)::int FROM match_event) AS events, (SELECT count(*)::int FROM match_state) AS states',
    );
    process.stdout.write(
      `${rows} rows (${report!.failed} rejected) written in ${importS.toFixed(1)} s; ` +
        `relayed ${done} changes in ${relayS.toFixed(1)} s ` +
        `(matching in the workers ${(spent.matchMs / 1000).toFixed(1)} s, ` +
        `garbage collection on this thread ${(gcMs / 1000).toFixed(1)} s; CPU busy ${busyS.toFixed(1)} s of ` +
        `${os.cpus().length} × ${relayS.toFixed(1)} s, this process ${ownS.toFixed(1)} s); ` +
        `${counts.events} events, ${counts.states} match states; ` +
        `end to end ${(rows / (importS + relayS)).toFixed(0)} rows/s\n`,
    );
    for (const [kind, { n, ms }] of byKind) {
      process.stdout.write(`relay: ${(ms / 1000).toFixed(2)} s in ${n} × ${kind} change\n`);
    }
    for (const [phase, spentIn] of [
      ['import', importStatements],
      ['relay', statements],
    ] as const) {
      for (const [sql, { n, ms }] of [...(spentIn ?? [])].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) {
        process.stdout.write(`${phase}: ${(ms / 1000).toFixed(2)} s in ${n} × ${sql}\n`);
      }
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
