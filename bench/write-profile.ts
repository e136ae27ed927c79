import 'reflect-metadata';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config';
import { writeNetworkCsv } from '../src/db/synthetic-network';
import { importRecords, readRecords } from '../src/domain/import/import.service';
import { StakeholderKind } from '../src/domain/enums';
import { silentLogger } from '../src/log/logger';
import { startApp } from '../src/server/start-app';
import { startBenchDatabase } from './bench-database';
import { cpuProfileIfAsked } from './cpu-profile';
import { BENCH_ADMIN_KEY, post } from './bench-service';
import { timeStatements } from './statement-times';

/** The middle write's statements in order, each with its start and time (printed after the run). */
const timeline: string[] = [];
let tracing = 0;
const trace = (key: string, t: number, ms: number) => {
  if (tracing) timeline.push(`${(t - tracing).toFixed(2)} +${ms.toFixed(2)} ${key.slice(0, 60)}`);
};

/**
 * `npm run bench:write -- [--size 100000] [--writes 30]`: createStakeholder with its live matching,
 * from inside. Imports a synthetic network into a throwaway database, starts the service on it in
 * this process (its start relays the import), then sends `--writes` creates as `npm run bench`
 * does (a partner at a challenge's place with its SDGs, so it matches widely) and prints their
 * p50/p99 and where the time went: each statement's summed time and count per create; with
 * `--cpu-prof`, a CPU profile of this process's main thread over the creates
 * (write-profile.cpuprofile in the temporary directory).
 */
async function main(): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? Number(process.argv[at + 1]) : fallback;
  };
  const size = arg('--size', 100_000);
  const writes = arg('--writes', 30);
  const db = await startBenchDatabase();
  try {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-write-')), 'net.csv');
    writeNetworkCsv(file, { stakeholders: size, challenges: Math.max(10, Math.floor(size / 500)), seed: 1 });
    await importRecords(db.dataSource, readRecords(readFileSync(file, 'utf8'), 'csv'));
    await db.dataSource.query('ANALYZE');
    const config = {
      ...loadConfig({ NODE_ENV: 'production', ADMIN_API_KEY: BENCH_ADMIN_KEY }),
      port: 0,
      host: '127.0.0.1',
    };
    let t = performance.now();
    const app = await startApp(config, silentLogger, { database: db, sweep: false });
    process.stdout.write(`${size} stakeholders: ready in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    try {
      const [challenge] = [...app.live.index.challenges.values()];
      const times: number[] = [];
      const stopProfile = await cpuProfileIfAsked('write-profile.cpuprofile', 'the writes');
      const spent = await timeStatements(async () => {
        for (let n = 0; n < writes; n++) {
          t = performance.now();
          tracing = n === Math.floor(writes / 2) ? t : 0;
          await post(`${app.url}`, 'mutation($i: CreateStakeholderInput!) { createStakeholder(input: $i) { id } }', {
            i: {
              kind: challenge.wantedKinds.find((k) => k !== StakeholderKind.FAMILY) ?? 'UNIVERSITY',
              name: `Write profile partner ${n}`,
              sdgs: challenge.sdgIds,
              expertise: [],
              capacity: 3,
              location: { latitude: challenge.latitude, longitude: challenge.longitude },
            },
          });
          times.push(performance.now() - t);
          if (process.env.TRACE_SAVE) console.log('post', t.toFixed(1), 'took', (performance.now() - t).toFixed(2));
          if (tracing) timeline.push(`${(performance.now() - t).toFixed(2)} answered`);
        }
      }, trace);
      await stopProfile();
      times.sort((a, b) => a - b);
      process.stdout.write(`${timeline.join('\n')}\n`);
      const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
      process.stdout.write(`createStakeholder p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms\n`);
      const total = [...spent.values()].reduce((sum, s) => sum + s.ms, 0);
      process.stdout.write(`statements: ${(total / writes).toFixed(1)} ms a create\n`);
      for (const [sql, { n, ms }] of [...spent].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
        process.stdout.write(`${(ms / writes).toFixed(2)} ms, ${(n / writes).toFixed(1)} × ${sql}\n`);
      }
    } finally {
      await app.stop();
    }
  } finally {
    await db.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
