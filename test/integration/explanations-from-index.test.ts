/**
 * A stored event explains a pair from the index alone (no row read while an import's millions of
 * events are written), exactly as a suggestion page does from the rows: every field, the contexts
 * in each row's own order. Contexts are held as a code (inclusion.ts); a family's are never held.
 */
import { UnderservedContext } from '../../src/domain/enums';
import { CONTEXTS, contextsCode, contextsOf } from '../../src/matching/inclusion';
import { loadMatchIndex, refreshIndex } from '../../src/matching/index/load-index';
import { MatchIndex } from '../../src/matching/index/match-index';
import { startRankPool } from '../../src/matching/workers/rank-pool';
import { explainPairs, matchesOfChallengesOnIndex, suggestPartnersOnIndex } from '../../src/matching/suggest.service';
import { EVENT_FLOOR } from '../../src/subscriptions/topics';
import { createTestDatabase, TestDatabase } from '../helpers/database';
import { loadStakeholders, tagIdsOf } from '../helpers/match-network';

let db: TestDatabase;
const indexes: MatchIndex[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(async () => {
  for (const index of indexes) await index.ranker?.stop();
  await db?.drop();
});

/** Every list of distinct contexts, in every order (16, the empty one included). */
function orderedLists(rest: readonly UnderservedContext[] = CONTEXTS): UnderservedContext[][] {
  return [[], ...rest.flatMap((c) => orderedLists(rest.filter((x) => x !== c)).map((tail) => [c, ...tail]))];
}

describe('contexts in the index', () => {
  const lists = orderedLists();

  it('codes every ordered list of distinct contexts in a byte and reads it back', () => {
    expect(lists).toHaveLength(16);
    const codes = lists.map(contextsCode);
    expect(new Set(codes).size).toBe(16);
    for (const [i, list] of lists.entries()) {
      expect(codes[i]).toBeLessThan(256);
      expect(contextsOf(codes[i])).toEqual(list);
    }
  });

  it('explains each pair from the index exactly as a page does from the rows, loaded or refreshed', async () => {
    // A school and a challenge per list; partners of three kinds (a family's contexts never show) per list.
    const kinds = ['UNIVERSITY', 'CIVIL_SOCIETY', 'FAMILY'];
    const schools = (await db.dataSource.query(
      `INSERT INTO stakeholder (kind, name, latitude, longitude, sdg_ids, underserved_contexts)
       SELECT 'SCHOOL', 'School ' || n, 50.88, 4.70, '{6,13}', c::text[]
       FROM unnest($1::text[]) WITH ORDINALITY AS l(c, n)
       RETURNING id`,
      [lists.map((l) => `{${l.join(',')}}`)],
    )) as { id: string }[];
    await db.dataSource.query(
      `INSERT INTO stakeholder (kind, name, latitude, longitude, sdg_ids, underserved_contexts, consent_given_at)
       SELECT k, k || ' ' || n, 50.88, 4.70, '{6,13}', c::text[], now()
       FROM unnest($1::text[]) WITH ORDINALITY AS l(c, n), unnest($2::text[]) AS k`,
      [lists.map((l) => `{${l.join(',')}}`), kinds],
    );
    const challenges = (await db.dataSource.query(
      `INSERT INTO challenge (title, school_id, sdg_ids, latitude, longitude)
       SELECT 'Water', id, '{6,13}', 50.88, 4.70 FROM unnest($1::uuid[]) AS s(id) RETURNING id`,
      [schools.map((s) => s.id)],
    )) as { id: string }[];

    const loaded = await loadMatchIndex(db.dataSource);
    // The same rows taken in one by one, as a relayed change does (the text path of the load).
    const refreshed = new MatchIndex();
    const all = (await db.dataSource.query('SELECT id FROM stakeholder ORDER BY id')) as { id: string }[];
    await refreshIndex(refreshed, db.dataSource, { stakeholderIds: all.map((r) => r.id) });
    await refreshIndex(refreshed, db.dataSource, { challengeIds: challenges.map((c) => c.id) });
    for (const index of [loaded, refreshed]) {
      index.ranker = await startRankPool({ threads: 1 });
      indexes.push(index);
      let compared = 0;
      for (const { id: challengeId } of challenges) {
        const found = await matchesOfChallengesOnIndex(index, [challengeId], EVENT_FLOOR);
        const page = await suggestPartnersOnIndex(
          index,
          { challengeId, first: 100, minScore: EVENT_FLOOR },
          (ids) => loadStakeholders(db.dataSource, ids),
          (slugs) => tagIdsOf(db.dataSource, slugs),
        );
        const shown = new Map(page.matches.map((m) => [m.stakeholderId, m]));
        expect(found.length).toBe(page.total);
        for (const { match } of explainPairs(index, found)) {
          expect(match).toEqual(shown.get(match.stakeholderId));
          compared++;
        }
      }
      // A family's contexts never reach the index, on either path.
      const families = (await db.dataSource.query(
        `SELECT id FROM stakeholder WHERE kind = 'FAMILY' AND cardinality(underserved_contexts) > 0`,
      )) as { id: string }[];
      expect(families).toHaveLength(lists.length - 1);
      for (const { id } of families) {
        expect([index.contexts[index.rowOf(id)], index.scoredContexts[index.rowOf(id)]]).toEqual([0, 0]);
      }
      // Every stakeholder but its own school, for every challenge: families and other schools too.
      expect(compared).toBe(challenges.length * (all.length - 1));
    }
  });
});
