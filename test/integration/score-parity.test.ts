import { combineSql, DEFAULT_WEIGHTS } from '../../src/matching/combine';
import { linkCredit } from '../../src/matching/expertise-fit';
import { FACTS } from '../../src/matching/match.service';
import { componentsSql, PairFacts, scorePair } from '../../src/matching/score-match';
import { createTestDatabase, TestDatabase } from '../helpers/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

function grid(): PairFacts[] {
  const out: PairFacts[] = [];
  for (const sharedSdgs of [0, 1, 2])
    for (const creditSum of [0, 0.5, 1.66])
      for (const distanceKm of [null, 0, 12.5, 49.9, 75])
        for (const wantedKinds of [[], ['UNIVERSITY'], ['MEDIA']])
          for (const [schoolLevels, candidateLevels] of [[[], [2]], [[2, 3], [3]], [[1], [6, 7]]])
            for (const [schoolContexts, candidateContexts] of [[0, 0], [1, 0], [2, 3]])
              out.push({
                challengeSdgs: 2, candidateSdgs: 3, sharedSdgs, neededCount: 3, creditSum, distanceKm, radiusKm: 50,
                wantedKinds, kind: 'UNIVERSITY', schoolLevels, candidateLevels, schoolLanguages: ['nl'],
                candidateLanguages: sharedSdgs ? ['nl', 'en'] : [], schoolContexts, candidateContexts,
              });
  return out;
}

describe('SQL scoring equals the pure functions', () => {
  it.each([
    ['default weights', DEFAULT_WEIGHTS],
    ['custom weights', { sdg: 2, expertise: 0, proximity: 7.5, kind: 1, inclusion: 0.25 }],
  ])('over a grid of facts, %s', async (_n, weights) => {
    const facts = grid();
    const c = componentsSql(FACTS);
    const score = combineSql({ sdg: 'sdg', expertise: 'expertise', proximity: 'proximity', kind: 'kind_fit', inclusion: 'inclusion' }, weights);
    const rows: { i: number; sdg: number; expertise: number; proximity: number; kind_fit: number; inclusion: number; score: number }[] =
      await db.dataSource.query(
        `WITH facts AS (
           SELECT i, (f->>'challengeSdgs')::int AS challenge_sdgs, (f->>'candidateSdgs')::int AS candidate_sdgs,
             (f->>'sharedSdgs')::int AS shared_sdgs, (f->>'neededCount')::int AS needed_count,
             (f->>'creditSum')::float8 AS credit_sum, (f->>'distanceKm')::float8 AS distance_km, (f->>'radiusKm')::float8 AS radius_km,
             ARRAY(SELECT jsonb_array_elements_text(f->'wantedKinds')) AS wanted_kinds, f->>'kind' AS kind,
             ARRAY(SELECT jsonb_array_elements_text(f->'schoolLevels')::smallint) AS school_levels,
             ARRAY(SELECT jsonb_array_elements_text(f->'candidateLevels')::smallint) AS candidate_levels,
             ARRAY(SELECT jsonb_array_elements_text(f->'schoolLanguages')) AS school_languages,
             ARRAY(SELECT jsonb_array_elements_text(f->'candidateLanguages')) AS candidate_languages,
             (f->>'schoolContexts')::int AS school_contexts_n, (f->>'candidateContexts')::int AS candidate_contexts_n
           FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(f, i)
         ), comp AS (
           SELECT i, ${c.sdg} AS sdg, ${c.expertise} AS expertise, ${c.proximity} AS proximity, ${c.kind} AS kind_fit, ${c.inclusion} AS inclusion
           FROM facts
         )
         SELECT comp.*, ${score} AS score FROM comp ORDER BY i`,
        [JSON.stringify(facts)],
      );
    expect(rows).toHaveLength(facts.length);
    rows.forEach((row, index) => {
      const ts = scorePair(facts[index], weights);
      expect(row.sdg).toBeCloseTo(ts.components.sdg, 12);
      expect(row.expertise).toBeCloseTo(ts.components.expertise, 12);
      expect(row.proximity).toBeCloseTo(ts.components.proximity, 12);
      expect(row.kind_fit).toBeCloseTo(ts.components.kind, 12);
      expect(row.inclusion).toBeCloseTo(ts.components.inclusion, 12);
      expect(row.score).toBeCloseTo(ts.score, 12);
    });
  });

  it('the database credits expertise links as src/matching/expertise-fit.ts does', async () => {
    const rows: { need: string; tag: string; credit: number; how: string }[] = await db.dataSource.query(
      `SELECT n.slug AS need, e.slug AS tag, l.credit, l.how
       FROM expertise_links(ARRAY(SELECT id FROM expertise WHERE slug IN ('hydrology', 'water-management'))) l
       JOIN expertise n ON n.id = l.need_id JOIN expertise e ON e.id = l.tag_id ORDER BY 1, 2`,
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { need: 'hydrology', tag: 'hydrology', credit: linkCredit('exact'), how: 'exact' },
        { need: 'hydrology', tag: 'water', credit: linkCredit('related'), how: 'related' },
        { need: 'water-management', tag: 'water', credit: linkCredit('related'), how: 'related' },
      ]),
    );
    for (const r of rows.filter((r) => r.how === 'similar')) expect(r.credit).toBeGreaterThanOrEqual(linkCredit('similar', 0.5));
  });
});
