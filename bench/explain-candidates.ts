import { performance } from 'node:perf_hooks';
import { createChallenge } from '../src/domain/challenge/challenge.service';
import { createStakeholder } from '../src/domain/stakeholder/stakeholder.service';
import { StakeholderKind } from '../src/domain/enums';
import { PartnerFilterArgs, suggestPartners, suggestPartnersQuery } from '../src/matching/match.service';
import { startBenchDatabase } from './bench-database';
import { insertSyntheticStakeholders, installHash } from './synthetic-network';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * `npm run bench:explain [-- --stakeholders 100000]`: builds a synthetic network, prints the
 * EXPLAIN ANALYZE of the suggestPartners candidate query and which indexes it uses, and times it.
 */
async function main(): Promise<void> {
  const count = arg('stakeholders', 100000);
  const runs = arg('runs', 20);
  const db = await startBenchDatabase();
  try {
    console.log(`server: ${db.server}; stakeholders: ${count}`);
    await installHash(db.dataSource);
    const t0 = performance.now();
    await insertSyntheticStakeholders(db.dataSource, count);
    console.log(`inserted and analysed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const m = db.dataSource.manager;
    const school = await createStakeholder(m, {
      kind: StakeholderKind.SCHOOL, name: 'Bench school', city: 'Leuven', countryCode: 'BE', sdgs: [13, 6], expertise: [],
      educationLevels: [2, 3], languages: ['nl'],
    });
    const challenge = await createChallenge(m, {
      schoolId: school.id, title: 'Floods', sdgs: [13, 6], expertiseNeeded: ['Hydrology', 'Sensors', 'Water management'],
      wantedKinds: [StakeholderKind.UNIVERSITY, StakeholderKind.GOVERNMENT, StakeholderKind.ENTREPRENEUR], radiusKm: 50,
    });
    const variants: [string, PartnerFilterArgs | null][] = [
      ['no filter', null],
      ['maxDistanceKm 25', { maxDistanceKm: 25 }],
      ['expertise hydrology', { expertise: ['hydrology'] }],
      ['sdgs [14]', { sdgs: [14] }],
    ];
    for (const [label, filter] of variants) {
      const q = await suggestPartnersQuery(m, { challengeId: challenge.id, filter, first: 10 });
      const plan: { 'QUERY PLAN': string }[] = await m.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.values);
      const text = plan.map((r) => r['QUERY PLAN']).join('\n');
      const indexes = [...new Set([...text.matchAll(/(?:Index Scan|Index Only Scan|Bitmap Index Scan) (?:Backward )?(?:using|on) (\w+)/g)].map((x) => x[1]))];
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        await suggestPartners(m, { challengeId: challenge.id, filter, first: 10 });
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      console.log(`\n=== suggestPartners, ${label} ===`);
      if (process.argv.includes('--plans')) console.log(text);
      console.log(text.split('\n').filter((l) => /Execution Time|Planning Time/.test(l)).join('\n'));
      console.log(`indexes used: ${indexes.join(', ') || 'none'}`);
      console.log(`suggestPartners service call over ${runs} runs: p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms`);
    }
  } finally {
    await db.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
