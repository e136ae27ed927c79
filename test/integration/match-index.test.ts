/**
 * The match index against references: the ranking SQL it replaces, and a brute force that
 * applies the formulas (score-match.ts) to rows read straight from PostgreSQL — same ids, same
 * order, scores equal to 1e-9, same totals, across challenges, filters and weights. Then a
 * random sequence of writes, each refreshed into a live index, must leave it equal to a fresh load;
 * and rows written after the load (which only widen the blocks ranking skips by) rank exactly too.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeNetworkCsv } from '../../src/db/synthetic-network';
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { MatchWeights } from '../../src/matching/combine';
import { COMPONENTS, DEFAULT_WEIGHTS } from '../../src/matching/components/registry';
import { linkCredit } from '../../src/matching/expertise-fit';
import { loadMatchIndex, refreshIndex } from '../../src/matching/index/load-index';
import { KINDS, MatchIndex } from '../../src/matching/index/match-index';
import { rankPartnersOf } from '../../src/matching/index/rank-on-index';
import { DEFAULT_MIN_SCORE, PartnerFilterArgs } from '../../src/matching/match.service';
import { suggestPartnersOnIndex } from '../../src/matching/suggest.service';
import { Stakeholder } from '../../src/domain/stakeholder/stakeholder.entity';
import { bruteForce } from '../helpers/brute-force';
import { createTestDatabase, TestDatabase } from '../helpers/database';
import { In } from 'typeorm';
import { RankPool, startRankPool } from '../../src/matching/workers/rank-pool';
import { matchStakeholders } from '../../src/matching/index/rank-on-index';

let db: TestDatabase;
let index: MatchIndex;
let pool: RankPool | undefined;
let challengeIds: string[];

const load = (ids: string[]) => db.dataSource.getRepository(Stakeholder).findBy({ id: In(ids) });
const tagIds = async (slugs: string[]) =>
  (
    (await db.dataSource.query('SELECT id FROM expertise WHERE slug = ANY($1::text[])', [slugs])) as { id: number }[]
  ).map((r) => r.id);

beforeAll(async () => {
  db = await createTestDatabase();
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'idx-')), 'net.csv');
  writeNetworkCsv(file, { stakeholders: 3000, challenges: 40, seed: 7 });
  await importRecords(db.dataSource, readRecords(readFileSync(file, 'utf8'), 'csv'));
  challengeIds = (await db.dataSource.query<{ id: string }[]>(`SELECT id FROM challenge ORDER BY external_id`)).map(
    (r: { id: string }) => r.id,
  );
  // Some partners busy on a challenge, some full, some erased: every exclusion is exercised.
  await db.dataSource.query(`
    INSERT INTO partnership (challenge_id, stakeholder_id, status)
    SELECT c.id, s.id, CASE WHEN s.n % 2 = 0 THEN 'INVITED' ELSE 'ACCEPTED' END
    FROM (SELECT id, row_number() OVER (ORDER BY external_id) AS r FROM challenge) c
    JOIN (SELECT id, row_number() OVER (ORDER BY external_id) AS n FROM stakeholder WHERE kind <> 'SCHOOL') s
      ON s.n % 40 = c.r % 40
    WHERE s.n < 400`);
  // A history for a thousand partners, two months old: declined, completed (rated or not, answered
  // within a week or later), withdrawn, and invitations never answered — their track records differ.
  await db.dataSource.query(`
    INSERT INTO partnership (challenge_id, stakeholder_id, status, created_at, answered_at, rating)
    SELECT c.id, s.id, (ARRAY['DECLINED', 'COMPLETED', 'INVITED', 'WITHDRAWN', 'COMPLETED'])[1 + s.n % 5],
      now() - interval '60 days',
      CASE WHEN s.n % 5 IN (0, 1, 4) THEN now() - interval '60 days' + (s.n % 13) * interval '1 day' END,
      CASE WHEN s.n % 5 = 1 THEN 1 + (s.n / 5) % 5 END
    FROM (SELECT id, row_number() OVER (ORDER BY external_id) AS r FROM challenge) c
    JOIN (SELECT id, row_number() OVER (ORDER BY external_id) AS n FROM stakeholder WHERE kind <> 'SCHOOL') s
      ON (s.n * 7) % 40 = c.r % 40
    WHERE s.n BETWEEN 400 AND 1400`);
  await db.dataSource.query(
    `UPDATE stakeholder SET capacity = 1
     WHERE id IN (SELECT stakeholder_id FROM partnership WHERE status = 'ACCEPTED' LIMIT 20)`,
  );
  await db.dataSource.query(
    `UPDATE stakeholder SET erased_at = now(), capacity = 0
     WHERE external_id IN (SELECT external_id FROM stakeholder ORDER BY external_id DESC LIMIT 15)`,
  );
  index = await loadMatchIndex(db.dataSource);
  // Rankings run where the service runs them: in the worker pool, over the shared columns.
  pool = await startRankPool({ threads: 2 });
  index.ranker = pool;
}, 120_000);
afterAll(async () => {
  await pool?.stop();
  await db?.drop();
});

const FILTERS: (PartnerFilterArgs | null)[] = [
  null,
  { kinds: ['UNIVERSITY', 'INDUSTRY'] as never },
  { maxDistanceKm: 25 },
  { maxDistanceKm: 150, kinds: ['CIVIL_SOCIETY'] as never },
  { sdgs: [13, 6] },
  { near: { latitude: 52.22, longitude: 6.89, radiusKm: 60 } },
];
// The defaults, then each registered component in turn weighing ten times the others: a component
// the index's ranking computes differently from the reference (or not at all) shows up here.
const WEIGHTS: MatchWeights[] = [
  DEFAULT_WEIGHTS,
  ...COMPONENTS.map((k) => Object.fromEntries(COMPONENTS.map((n) => [n, n === k ? 5 : 0.5])) as MatchWeights),
];

describe('the match index ranks as the reference does', () => {
  it('equals the brute force on every challenge, filters and weights: ids, order, scores to 1e-9, totals', async () => {
    for (const [n, challengeId] of challengeIds.entries()) {
      for (const [w, weights] of WEIGHTS.entries()) {
        const filter = FILTERS[(n + w) % FILTERS.length];
        const minScore = [DEFAULT_MIN_SCORE, 0, 0.5][w % 3];
        const reference = await bruteForce(db.dataSource, challengeId, weights, filter, minScore);
        const page = await suggestPartnersOnIndex(
          index,
          { challengeId, weights, filter, first: 100, minScore },
          load,
          tagIds,
        );
        expect(page.total).toBe(reference.length);
        // The first page may promote wanted kinds; compare it as a set, and its members' scores.
        const referenceOf = new Map(reference.map((r) => [r.id, r]));
        for (const m of page.matches) {
          const r = referenceOf.get(m.stakeholderId)!;
          expect(Math.abs(m.score - r.score)).toBeLessThan(1e-9);
          // Component by component, for every registered one.
          for (const k of COMPONENTS)
            expect([k, Math.abs(m.components[k] - r.components[k]) < 1e-9]).toEqual([k, true]);
        }
        const ranked = reference.slice(0, 100).map((r) => r.id);
        const shown = page.matches.map((m) => m.stakeholderId);
        const unpromoted = shown.filter((id) => ranked.includes(id));
        expect(unpromoted).toEqual(ranked.filter((id) => unpromoted.includes(id)));
      }
    }
  }, 180_000); // a brute force over every challenge, weights and filter: slow on a busy machine

  it('matches stakeholders in bulk (live matching, imports) to exactly the pairs the brute force keeps', async () => {
    const open: { id: string }[] = await db.dataSource.query(
      `SELECT id FROM challenge WHERE phase <> 'COMPLETED' ORDER BY id`,
    );
    const expected: string[] = [];
    for (const { id } of open) {
      for (const r of await bruteForce(db.dataSource, id, DEFAULT_WEIGHTS, null, DEFAULT_MIN_SCORE))
        expected.push(`${r.id} ${id} ${r.score.toFixed(9)}`);
    }
    expect(expected.length).toBeGreaterThan(100);
    const everyone: { id: string }[] = await db.dataSource.query('SELECT id FROM stakeholder ORDER BY id');
    const ids = everyone.map((s) => s.id);
    const found = await matchStakeholders(index, ids, DEFAULT_WEIGHTS, DEFAULT_MIN_SCORE);
    expect(found.map((f) => `${f.stakeholderId} ${f.challenge.id} ${f.ranked.score.toFixed(9)}`).sort()).toEqual(
      expected.sort(),
    );
    // Stakeholders in the order asked, each one's pairs best first.
    const at = new Map(ids.map((id, i) => [id, i]));
    for (let i = 1; i < found.length; i++) {
      const [a, b] = [found[i - 1], found[i]];
      expect(at.get(a.stakeholderId)! < at.get(b.stakeholderId)! || a.ranked.score >= b.ranked.score).toBe(true);
    }
  }, 120_000);

  it('gives the links the credit the expertise formula says', () => {
    for (const c of index.challenges.values())
      for (const l of c.links) if (l.how !== 'similar') expect(l.credit).toBe(linkCredit(l.how));
  });
});

/** The logical content of an index: what a fresh load and a live one must agree on. */
function snapshot(ix: MatchIndex) {
  const rows: Record<string, unknown> = {};
  for (let row = 0; row < ix.size; row++) {
    rows[ix.ids.idOf(row)] = {
      kind: ix.kind[row],
      lat: ix.lat[row],
      lon: ix.lon[row],
      sdg: ix.sdgMask[row],
      levels: ix.levelMask[row],
      contexts: ix.scoredContexts[row],
      capacity: ix.capacity[row],
      accepted: ix.accepted[row],
      alive: ix.alive[row],
      region: ix.regions[ix.region[row]],
      country: ix.countries[ix.country[row]],
      tags: [...ix.tagsOf(row)].sort(),
      languages: ix.languagesOf(row).sort(),
      track: [ix.trackTenths[row], ix.trackObservations[row], ix.dueInvitations[row], ix.completed[row]],
    };
  }
  const challenges: Record<string, unknown> = {};
  for (const [id, c] of ix.challenges) {
    challenges[id] = {
      ...c,
      // A memo filled by ranking, not content.
      schoolRow: undefined,
      linkTable: undefined,
      linksByTag: undefined,
      links: [...c.links].sort((a, b) => a.needId - b.needId || a.tagId - b.tagId),
      active: [...c.active].sort(),
      dismissed: [...c.dismissed].sort(),
    };
  }
  return { rows, challenges, trackPrior: ix.trackPrior };
}

describe('kept current by refreshes', () => {
  it('equals a freshly loaded index after any sequence of writes', async () => {
    const ids = async (sql: string) => (await db.dataSource.query<{ id: string }[]>(sql)).map((r) => r.id);
    const stakeholders = await ids(
      `SELECT id FROM stakeholder WHERE erased_at IS NULL AND kind <> 'SCHOOL' ORDER BY id LIMIT 300`,
    );
    const write = fc.oneof(
      fc.record({
        op: fc.constant('capacity' as const),
        s: fc.constantFrom(...stakeholders),
        n: fc.integer({ min: 0, max: 4 }),
      }),
      fc.record({
        op: fc.constant('profile' as const),
        s: fc.constantFrom(...stakeholders),
        sdg: fc.integer({ min: 1, max: 17 }),
      }),
      fc.record({ op: fc.constant('erase' as const), s: fc.constantFrom(...stakeholders) }),
      fc.record({
        op: fc.constant('invite' as const),
        s: fc.constantFrom(...stakeholders),
        c: fc.constantFrom(...challengeIds),
      }),
      fc.record({ op: fc.constant('accept' as const), c: fc.constantFrom(...challengeIds) }),
      fc.record({
        op: fc.constant('challenge' as const),
        c: fc.constantFrom(...challengeIds),
        km: fc.integer({ min: 5, max: 200 }),
      }),
      fc.record({
        op: fc.constant('newTag' as const),
        s: fc.constantFrom(...stakeholders),
        n: fc.integer({ min: 0, max: 1e6 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 12 }), async (writes) => {
        for (const w of writes) {
          const q = <T = unknown[]>(sql: string, p: unknown[]) => db.dataSource.query<T>(sql, p);
          switch (w.op) {
            case 'capacity':
              await q('UPDATE stakeholder SET capacity = $2 WHERE id = $1', [w.s, w.n]);
              await refreshIndex(index, db.dataSource, { stakeholderId: w.s });
              break;
            case 'profile':
              await q(
                `UPDATE stakeholder SET sdg_ids = ARRAY[$2]::smallint[], languages = '{fr,nl}', education_levels = '{3}'
                 WHERE id = $1`,
                [w.s, w.sdg],
              );
              await refreshIndex(index, db.dataSource, { stakeholderId: w.s });
              break;
            case 'erase':
              await q(
                `UPDATE stakeholder SET erased_at = now(), capacity = 0, sdg_ids = '{}', expertise_ids = '{}'
                 WHERE id = $1`,
                [w.s],
              );
              await refreshIndex(index, db.dataSource, { stakeholderId: w.s });
              break;
            case 'invite': {
              const [p] = await q<{ id: string }[]>(
                `INSERT INTO partnership (challenge_id, stakeholder_id, status) VALUES ($1, $2, 'INVITED')
                ON CONFLICT DO NOTHING RETURNING id`,
                [w.c, w.s],
              );
              if (p)
                await refreshIndex(index, db.dataSource, { partnership: { challengeId: w.c, stakeholderId: w.s } });
              break;
            }
            case 'accept': {
              // TypeORM answers an UPDATE … RETURNING with [rows, count].
              const [[p]] = await q<[{ challenge_id: string; stakeholder_id: string }[], number]>(
                `UPDATE partnership SET status = 'ACCEPTED' WHERE id = (SELECT id FROM partnership
                WHERE challenge_id = $1 AND status = 'INVITED' LIMIT 1) RETURNING challenge_id, stakeholder_id`,
                [w.c],
              );
              if (p)
                await refreshIndex(index, db.dataSource, {
                  partnership: { challengeId: p.challenge_id, stakeholderId: p.stakeholder_id },
                });
              break;
            }
            case 'challenge':
              await q('UPDATE challenge SET radius_km = $2, latitude = latitude + 0.01 WHERE id = $1', [w.c, w.km]);
              await refreshIndex(index, db.dataSource, { challengeId: w.c });
              break;
            case 'newTag': {
              const [tag] = await q<{ id: number }[]>(
                `INSERT INTO expertise (slug, label) VALUES ($1, $1)
                 ON CONFLICT (slug) DO UPDATE SET label = EXCLUDED.label
                RETURNING id`,
                [`hydrology-${w.n}`],
              );
              await q('UPDATE stakeholder SET expertise_ids = array_append(expertise_ids, $2) WHERE id = $1', [
                w.s,
                tag.id,
              ]);
              await refreshIndex(index, db.dataSource, { stakeholderId: w.s });
              break;
            }
          }
        }
        expect(snapshot(index)).toEqual(snapshot(await loadMatchIndex(db.dataSource)));
      }),
      { numRuns: 8 },
    );
  }, 180_000);
});

describe('rows written after the load', () => {
  // Ranking skips blocks of rows by summaries made tight at the load (index/blocks.ts); rows written
  // since only widen them. Partners moved from afar to a challenge's door with what it needs, new
  // ones beside it, others changing kind into what it wants and the best moving away: each lands
  // in a block summarised for other rows, and must still be found — or left out — exactly.
  it('still ranks as the brute force: new stakeholders, moved ones, kind changes', async () => {
    const q = <T>(sql: string, p: unknown[] = []) => db.dataSource.query<T>(sql, p);
    const challenges = await q<{ id: string; wanted: string[] }[]>(
      `SELECT c.id, c.wanted_kinds AS wanted FROM challenge c
       WHERE c.latitude IS NOT NULL AND c.phase <> 'COMPLETED' ORDER BY c.external_id LIMIT 8`,
    );
    const kindFor = (wanted: string[], n: number) =>
      wanted.filter((k) => k !== 'FAMILY' && k !== 'SCHOOL')[n % Math.max(1, wanted.length)] ?? 'UNIVERSITY';
    const changed: string[] = [];
    for (const [n, { id, wanted }] of challenges.entries()) {
      const here = `(SELECT latitude, longitude, sdg_ids, expertise_needed_ids AS tags, region_code FROM challenge
                     WHERE id = $1)`;
      // Three partners of a wanted kind from over 500 km away, moved next door with its SDGs and tags.
      // TypeORM answers an UPDATE … RETURNING with [rows, count].
      const [moved] = await q<[{ id: string }[], number]>(
        `UPDATE stakeholder s SET latitude = c.latitude + 0.01 * (s.capacity + 1), longitude = c.longitude,
           sdg_ids = c.sdg_ids, expertise_ids = c.tags, capacity = 4
         FROM ${here} c
         WHERE s.id IN (SELECT s2.id FROM stakeholder s2, ${here} c2
           WHERE s2.kind = $2 AND s2.erased_at IS NULL AND s2.latitude IS NOT NULL
             AND earth_distance(ll_to_earth(s2.latitude, s2.longitude), ll_to_earth(c2.latitude, c2.longitude)) > 500000
           ORDER BY s2.external_id LIMIT 3)
         RETURNING s.id`,
        [id, kindFor(wanted, n)],
      );
      // Three new ones beside it, one without a location.
      const added = await q<{ id: string }[]>(
        `INSERT INTO stakeholder (kind, name, latitude, longitude, country_code, sdg_ids, expertise_ids, capacity)
         SELECT $2, 'Newcomer ' || k || ' of ' || $1, CASE WHEN k < 3 THEN c.latitude - 0.02 * k END,
           CASE WHEN k < 3 THEN c.longitude END, (SELECT country_code FROM stakeholder
             WHERE id = (SELECT school_id FROM challenge WHERE id = $1)), c.sdg_ids, c.tags, 2
         FROM ${here} c, generate_series(1, 3) k RETURNING id`,
        [id, kindFor(wanted, n + 1)],
      );
      // Three near ones change kind into a wanted one; its best partner so far moves away.
      const [turned] = await q<[{ id: string }[], number]>(
        `UPDATE stakeholder SET kind = $2 WHERE id IN (SELECT s.id FROM stakeholder s, ${here} c
           WHERE s.kind NOT IN ('SCHOOL', 'FAMILY', $2) AND s.erased_at IS NULL AND s.latitude IS NOT NULL
           ORDER BY (s.latitude - c.latitude) ^ 2 + (s.longitude - c.longitude) ^ 2 LIMIT 3)
         RETURNING id`,
        [id, kindFor(wanted, n + 2)],
      );
      const [best] = await bruteForce(db.dataSource, id, DEFAULT_WEIGHTS);
      if (best) await q('UPDATE stakeholder SET latitude = -latitude, longitude = -longitude WHERE id = $1', [best.id]);
      changed.push(...[...moved, ...added, ...turned].map((r) => r.id), ...(best ? [best.id] : []));
    }
    await refreshIndex(index, db.dataSource, { stakeholderIds: changed });
    const weights: MatchWeights[] = [DEFAULT_WEIGHTS, WEIGHTS[1 + COMPONENTS.indexOf('proximity')]];
    for (const { id } of challenges) {
      for (const w of weights) {
        for (const minScore of [DEFAULT_MIN_SCORE, 0]) {
          const reference = await bruteForce(db.dataSource, id, w, null, minScore);
          const page = await suggestPartnersOnIndex(
            index,
            { challengeId: id, weights: w, first: 100, minScore },
            load,
            tagIds,
          );
          expect(page.total).toBe(reference.length);
          const shown = new Set(page.matches.map((m) => m.stakeholderId));
          const referenceOf = new Map(reference.map((r) => [r.id, r]));
          for (const m of page.matches)
            expect(Math.abs(m.score - referenceOf.get(m.stakeholderId)!.score)).toBeLessThan(1e-9);
          // Every one of the reference's first 80 is on the page (promotions move at most ten in).
          for (const r of reference.slice(0, 80)) expect([r.id, shown.has(r.id)]).toEqual([r.id, true]);
        }
        // No floor: every qualifying partner counts, the best `keep` by (score, id), and each kind's best.
        const reference = await bruteForce(db.dataSource, id, w, null, -Infinity);
        const ranked = await rankPartnersOf(index, id, w, 15, {}, -Infinity);
        expect(ranked.total).toBe(reference.length);
        expect(ranked.top.map((r) => index.ids.idOf(r.row))).toEqual(reference.slice(0, 15).map((r) => r.id));
        ranked.top.forEach((r, i) => expect(Math.abs(r.score - reference[i].score)).toBeLessThan(1e-9));
        for (const [k, r] of ranked.bestOfKind)
          expect(index.ids.idOf(r.row)).toBe(reference.find((x) => x.kind === String(KINDS[k]))!.id);
        expect(ranked.bestOfKind.size).toBe(new Set(reference.map((r) => r.kind)).size);
      }
    }
  }, 180_000);
});
