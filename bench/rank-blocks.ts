import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeNetworkCsv } from '../src/db/synthetic-network';
import { importRecords, readRecords } from '../src/domain/import/import.service';
import { weightVector } from '../src/matching/combine';
import { DEFAULT_WEIGHTS } from '../src/matching/components/registry';
import { BlockBound } from '../src/matching/index/block-bound';
import { BLOCK_SHIFT, BLOCK_SIZE } from '../src/matching/index/blocks';
import { loadMatchIndex } from '../src/matching/index/load-index';
import { KINDS } from '../src/matching/index/column-codes';
import { MatchIndex } from '../src/matching/index/match-index';
import { PreparedChallenge, prepareChallenge } from '../src/matching/index/prepared-challenge';
import { IndexFilter, rankPartners, RankResult } from '../src/matching/index/rank';
import { signalsFor } from '../src/matching/index/pair-score';
import { startBenchDatabase } from './bench-database';

type Kernel = typeof rankPartners;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const same = (a: RankResult, b: RankResult) =>
  a.total === b.total &&
  a.top.length === b.top.length &&
  a.top.every((r, i) => r.row === b.top[i].row && r.score === b.top[i].score) &&
  [...a.bestOfKind].every(([k, r]) => b.bestOfKind.get(k)?.row === r.row);

/**
 * `npm run build && node dist/bench/rank-blocks.js [--size 100000] [--rounds 5]`: the ranking
 * kernel in process over a generated network (as `npm run bench` measures it, without the rest):
 * p50/p99 per ranking of the open challenges, and how many blocks their bounds skip outright.
 * With `FLAT_KERNEL=<compiled module>` it also times that module's `rankPartners` (e.g. the
 * kernel before blocks) on the same index, interleaved, and checks both answer alike.
 */
async function main(): Promise<void> {
  const size = arg('size', 100_000);
  const rounds = arg('rounds', 5);
  const flat = process.env.FLAT_KERNEL
    ? ((await import(path.resolve(process.env.FLAT_KERNEL))) as { rankPartners: Kernel }).rankPartners
    : undefined;
  const db = await startBenchDatabase();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rank-blocks-'));
  try {
    let t = performance.now();
    const file = path.join(dir, 'net.csv');
    writeNetworkCsv(file, { stakeholders: size, challenges: Math.max(10, Math.floor(size / 500)), seed: 1 });
    await importRecords(db.dataSource, readRecords(readFileSync(file, 'utf8'), 'csv'));
    await db.dataSource.query('ANALYZE');
    process.stdout.write(`generated and imported ${size} in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    t = performance.now();
    const index = await loadMatchIndex(db.dataSource);
    process.stdout.write(`loaded in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    const rows: { id: string }[] = await db.dataSource.query(
      `SELECT id FROM challenge WHERE phase <> 'COMPLETED' ORDER BY external_id LIMIT 200`,
    );
    const ids = rows.map((r) => r.id);
    const prepared = ids.map((id) => prepareChallenge(index, index.challenges.get(id)!));
    const cases: { label: string; floor: number; keep: number; filter: IndexFilter }[] = [
      { label: 'no floor, keep 20 (npm run bench)', floor: -Infinity, keep: 20, filter: {} },
      { label: 'floor 0.3, keep 20 (suggestPartners, first 10)', floor: 0.3, keep: 20, filter: {} },
      { label: 'floor 0.3, keep 20, maxDistanceKm 25', floor: 0.3, keep: 20, filter: { maxDistanceKm: 25 } },
    ];
    process.stdout.write(
      `load average before: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
    );
    const lines = ['| case | kernel | p50 | p99 | mean | blocks skipped by bound alone |', '|---|---|---|---|---|---|'];
    for (const c of cases) {
      const kernels: [string, Kernel][] = [
        ['blocks', rankPartners],
        ...(flat ? [['flat', flat] as [string, Kernel]] : []),
      ];
      const times = new Map(kernels.map(([name]) => [name, [] as number[]]));
      for (let round = 0; round < rounds; round++) {
        for (const p of prepared) {
          const results: RankResult[] = [];
          // Alternate which goes first, so neither always finds the caches warm.
          for (const [name, kernel] of round % 2 ? [...kernels].reverse() : kernels) {
            const s = performance.now();
            results.push(kernel(index, p, DEFAULT_WEIGHTS, c.keep, c.filter, c.floor));
            times.get(name)!.push(performance.now() - s);
          }
          if (round === 0 && results.length === 2 && !same(results[0], results[1]))
            throw new Error(`the kernels disagree on a challenge (${c.label})`);
        }
      }
      const skipped = skippedShare(index, prepared, c.filter, c.floor);
      for (const [name, list] of times) {
        list.sort((a, b) => a - b);
        const mean = list.reduce((a, b) => a + b, 0) / list.length;
        const f = (x: number) => `${x.toFixed(2)} ms`;
        lines.push(`| ${c.label} | ${name} | ${f(pct(list, 50))} | ${f(pct(list, 99))} | ${f(mean)} | ${skipped} |`);
      }
    }
    process.stdout.write(
      `load average after: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
    );
    process.stdout.write(`\n${size} stakeholders, ${prepared.length} challenges × ${rounds} rounds\n\n`);
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.stop();
  }
}

/** Share of the wanted kinds' blocks whose bound alone rules them out (−∞, or under the floor). */
function skippedShare(index: MatchIndex, prepared: PreparedChallenge[], filter: IndexFilter, floor: number) {
  let blocks = 0;
  let skipped = 0;
  for (const p of prepared) {
    const bound = new BlockBound(p, weightVector(DEFAULT_WEIGHTS), signalsFor(index, p), index.trackPrior, filter);
    const kinds = (p.wantedMask || 0xffff) & (filter.kindMask ?? 0xffff);
    for (let k = 0; k < KINDS.length; k++) {
      if (!((kinds >>> k) & 1)) continue;
      for (let start = 0; start < index.kindCount[k]; start += BLOCK_SIZE) {
        blocks++;
        const b = bound.of(index.kindBlocks[k], start >> BLOCK_SHIFT);
        if (b === -Infinity || b < floor) skipped++;
      }
    }
  }
  return `${((100 * skipped) / Math.max(1, blocks)).toFixed(0)}% of ${blocks}`;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
