/**
 * Writes and rankings at once: rankings run in the worker pool over the index's shared columns
 * while a writer changes stakeholders (profiles, capacity, new ones, erasures) and challenges.
 * Every answer must be the one a fresh load of the database at the version it read gives — ids,
 * order, scores, totals and each kind's best — never a mix of two versions or a half-written row.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeNetworkCsv } from '../../src/db/synthetic-network';
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { MatchWeights } from '../../src/matching/combine';
import { COMPONENTS, DEFAULT_WEIGHTS } from '../../src/matching/components/registry';
import { loadMatchIndex, refreshIndex } from '../../src/matching/index/load-index';
import { MatchIndex } from '../../src/matching/index/match-index';
import { prepareChallenge } from '../../src/matching/index/prepared-challenge';
import { RankResult, rankPartners } from '../../src/matching/index/rank';
import { matchStakeholders, rankPartnersOf } from '../../src/matching/index/rank-on-index';
import { RankPool, startRankPool } from '../../src/matching/workers/rank-pool';
import { createTestDatabase, TestDatabase } from '../helpers/database';

let db: TestDatabase;
let pool: RankPool;

beforeAll(async () => {
  db = await createTestDatabase();
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'conc-')), 'net.csv');
  writeNetworkCsv(file, { stakeholders: 2500, challenges: 30, seed: 11 });
  await importRecords(db.dataSource, readRecords(readFileSync(file, 'utf8'), 'csv'));
  pool = await startRankPool({ threads: 2 });
}, 120_000);
afterAll(async () => {
  await pool?.stop();
  await db?.drop();
});

/** One ranking's answer in ids (rows differ between a live index and a fresh load). */
function answer(ix: MatchIndex, r: RankResult) {
  const named = (x: { row: number; score: number; components: object }) => ({
    id: ix.ids.idOf(x.row),
    score: x.score,
    components: x.components,
  });
  return {
    top: r.top.map(named),
    total: r.total,
    bestOfKind: [...r.bestOfKind.entries()].sort((a, b) => a[0] - b[0]).map(([k, x]) => [k, named(x)]),
  };
}

const WEIGHTS: MatchWeights[] = [
  DEFAULT_WEIGHTS,
  ...COMPONENTS.map((k) => Object.fromEntries(COMPONENTS.map((n) => [n, n === k ? 5 : 0.5])) as MatchWeights),
];
const FLOORS = [0.3, 0, -Infinity];

type Write =
  | { op: 'profile'; s: number; sdg: number; shift: number }
  | { op: 'capacity'; s: number; n: number }
  | { op: 'erase'; s: number }
  | { op: 'join'; s: number; n: number }
  | { op: 'radius'; c: number; km: number }
  | { op: 'bulk'; s: number; n: number };

describe('rankings while the index is written', () => {
  it('answer exactly as a fresh load of the version they read', async () => {
    const index = await loadMatchIndex(db.dataSource);
    index.ranker = pool;
    const ids = async (sql: string) => (await db.dataSource.query<{ id: string }[]>(sql)).map((r) => r.id);
    const stakeholders = await ids(`SELECT id FROM stakeholder WHERE kind NOT IN ('SCHOOL', 'FAMILY') ORDER BY id`);
    const challenges = await ids(`SELECT id FROM challenge WHERE phase <> 'COMPLETED' ORDER BY id`);
    const writes = fc.sample(
      fc.oneof(
        fc.record({
          op: fc.constant('profile' as const),
          s: fc.nat(),
          sdg: fc.integer({ min: 1, max: 17 }),
          shift: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        }),
        fc.record({ op: fc.constant('capacity' as const), s: fc.nat(), n: fc.integer({ min: 0, max: 3 }) }),
        fc.record({ op: fc.constant('erase' as const), s: fc.nat() }),
        fc.record({ op: fc.constant('join' as const), s: fc.nat(), n: fc.nat() }),
        fc.record({ op: fc.constant('radius' as const), c: fc.nat(), km: fc.integer({ min: 5, max: 300 }) }),
        // Many rows in one change, as an import slice writes them: a ranking must see all or none.
        {
          arbitrary: fc.record({ op: fc.constant('bulk' as const), s: fc.nat(), n: fc.integer({ min: 0, max: 2 }) }),
          weight: 4,
        },
      ),
      { numRuns: 30, seed: 25 },
    ) as Write[];

    // What a fresh load gives at each version the live index passes through.
    const fresh = new Map<number, MatchIndex>([[index.lock.version, await loadMatchIndex(db.dataSource)]]);
    const asked: { c: string; w: number; floor: number; version: number; got: ReturnType<typeof answer> }[] = [];
    let writing = true;
    const q = <T = unknown[]>(sql: string, p: unknown[]) => db.dataSource.query<T>(sql, p);
    const writer = async () => {
      for (const w of writes) {
        const s = stakeholders[('s' in w ? w.s : 0) % stakeholders.length];
        switch (w.op) {
          case 'profile':
            await q(
              `UPDATE stakeholder SET sdg_ids = ARRAY[$2]::smallint[], latitude = latitude + $3,
               expertise_ids = expertise_ids[2:] WHERE id = $1`,
              [s, w.sdg, w.shift],
            );
            await refreshIndex(index, db.dataSource, { stakeholderId: s });
            break;
          case 'capacity':
            await q('UPDATE stakeholder SET capacity = $2 WHERE id = $1', [s, w.n]);
            await refreshIndex(index, db.dataSource, { stakeholderId: s });
            break;
          case 'erase':
            await q(`UPDATE stakeholder SET erased_at = now(), capacity = 0, sdg_ids = '{}' WHERE id = $1`, [s]);
            await refreshIndex(index, db.dataSource, { stakeholderId: s });
            break;
          case 'join': {
            // A new partner, a copy of an existing one in another place: new rows grow the columns.
            const [row] = await q<{ id: string }[]>(
              `INSERT INTO stakeholder (name, kind, latitude, longitude, sdg_ids, expertise_ids, capacity, languages,
                 region_code, country_code, external_id)
               SELECT name || ' bis', kind, latitude + 0.05, longitude, sdg_ids, expertise_ids, 2, languages,
                 region_code, country_code, 'bis-' || $2 FROM stakeholder WHERE id = $1 RETURNING id`,
              [s, `${w.n}-${asked.length}-${fresh.size}`],
            );
            await refreshIndex(index, db.dataSource, { stakeholderId: row.id });
            break;
          }
          case 'bulk': {
            const some = stakeholders.filter((_, i) => (i + w.s) % 2 === 0);
            await q('UPDATE stakeholder SET capacity = $2 WHERE id = ANY($1::uuid[])', [some, w.n]);
            await refreshIndex(index, db.dataSource, { stakeholderIds: some });
            break;
          }
          case 'radius': {
            const c = challenges[w.c % challenges.length];
            await q('UPDATE challenge SET radius_km = $2 WHERE id = $1', [c, w.km]);
            await refreshIndex(index, db.dataSource, { challengeId: c });
            break;
          }
        }
        fresh.set(index.lock.version, await loadMatchIndex(db.dataSource));
      }
      writing = false;
    };
    const reader = async (seed: number) => {
      for (let n = seed; writing; n += 7) {
        const c = challenges[n % challenges.length];
        const w = n % WEIGHTS.length;
        const floor = FLOORS[n % FLOORS.length];
        const r = await rankPartnersOf(index, c, WEIGHTS[w], 15, {}, floor);
        asked.push({ c, w, floor, version: r.version, got: answer(index, r) });
      }
    };
    await Promise.all([writer(), ...[1, 2, 3, 4, 5, 6].map(reader)]);

    // Rankings met many versions: the writes really ran between them.
    const versions = new Set(asked.map((a) => a.version));
    expect(versions.size).toBeGreaterThan(writes.length / 2);
    for (const a of asked) {
      const f = fresh.get(a.version);
      // A version no single change produced would mean a change was applied in pieces.
      expect([a.version, f !== undefined]).toEqual([a.version, true]);
      const expected = rankPartners(f!, prepareChallenge(f!, f!.challenges.get(a.c)!), WEIGHTS[a.w], 15, {}, a.floor);
      expect({ ...a, got: undefined, answer: a.got }).toEqual({ ...a, got: undefined, answer: answer(f!, expected) });
    }
  }, 240_000);

  it('match written stakeholders in bulk as a fresh load does, whatever changed in between', async () => {
    const index = await loadMatchIndex(db.dataSource);
    index.ranker = pool;
    const q = <T>(sql: string, p: unknown[]) => db.dataSource.query<T>(sql, p);
    const challenges = (await q<{ id: string }[]>(`SELECT id FROM challenge ORDER BY id`, [])).map((r) => r.id);
    const partners = (
      await q<{ id: string }[]>(`SELECT id FROM stakeholder WHERE kind NOT IN ('SCHOOL', 'FAMILY') ORDER BY id`, [])
    ).map((r) => r.id);
    const asked = partners.filter((_, i) => i % 5 === 0);
    const pairs = (found: Awaited<ReturnType<typeof matchStakeholders>>) =>
      found.map((f) => `${f.stakeholderId} ${f.challenge.id} ${f.ranked.score}`);
    for (let n = 0; n < 12; n++) {
      // The challenges' side changes (prepared challenges are kept between matchings), then a partner's.
      const c = challenges[(n * 7) % challenges.length];
      await q('UPDATE challenge SET radius_km = $2, sdg_ids = $3 WHERE id = $1', [c, 10 + 40 * (n % 4), [6 + (n % 9)]]);
      await refreshIndex(index, db.dataSource, { challengeId: c });
      const s = partners[(n * 13) % partners.length];
      await q('UPDATE stakeholder SET sdg_ids = $2 WHERE id = $1', [s, [6 + (n % 9), 13]]);
      await refreshIndex(index, db.dataSource, { stakeholderId: s });
      const fresh = await loadMatchIndex(db.dataSource);
      expect(pairs(await matchStakeholders(index, asked, DEFAULT_WEIGHTS, 0.3))).toEqual(
        pairs(await matchStakeholders(fresh, asked, DEFAULT_WEIGHTS, 0.3)),
      );
    }
  }, 120_000);
});
