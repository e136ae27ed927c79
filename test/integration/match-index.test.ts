/**
 * The match index against references: the ranking SQL it replaces, and a brute force that
 * applies the formulas (score-match.ts) to rows read straight from PostgreSQL — same ids, same
 * order, scores equal to 1e-9, same totals, across challenges, filters and weights. Writes after
 * the load are match-index-writes.test.ts.
 */
import { linkCredit } from '../../src/matching/expertise-fit';
import { COMPONENTS, DEFAULT_WEIGHTS } from '../../src/matching/components/registry';
import { MatchIndex } from '../../src/matching/index/match-index';
import { matchStakeholders } from '../../src/matching/index/rank-on-index';
import { DEFAULT_MIN_SCORE, PartnerFilterArgs, wantedKinds } from '../../src/matching/match.service';
import { diversifyByKind } from '../../src/matching/diversify';
import { suggestPartnersOnIndex } from '../../src/matching/suggest.service';
import { bruteForce } from '../helpers/brute-force';
import { TestDatabase } from '../helpers/database';
import { MatchNetwork, useMatchNetwork, WEIGHTS } from '../helpers/match-network';

let db: TestDatabase, index: MatchIndex, challengeIds: string[];
let load: MatchNetwork['load'], tagIds: MatchNetwork['tagIds'];
useMatchNetwork((network) => ({ db, index, challengeIds, load, tagIds } = network));

const FILTERS: (PartnerFilterArgs | null)[] = [
  null,
  { kinds: ['UNIVERSITY', 'INDUSTRY'] as never },
  { maxDistanceKm: 25 },
  { maxDistanceKm: 150, kinds: ['CIVIL_SOCIETY'] as never },
  { sdgs: [13, 6] },
  { near: { latitude: 52.22, longitude: 6.89, radiusKm: 60 } },
  { includeUnchecked: true },
];
describe('the match index ranks as the reference does', () => {
  it('equals the brute force on every challenge, filters and weights: ids, order, scores to 1e-9, totals', async () => {
    for (const [n, challengeId] of challengeIds.entries()) {
      for (const [w, weights] of WEIGHTS.entries()) {
        const filter = FILTERS[(n + w) % FILTERS.length];
        const minScore = [DEFAULT_MIN_SCORE, 0, 0.5][w % 3];
        const reference = await bruteForce(db.dataSource, challengeId, weights, filter, minScore);
        const pageOf = (first: number) =>
          suggestPartnersOnIndex(index, { challengeId, weights, filter, first, minScore }, load, tagIds);
        const page = await pageOf(100);
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
        // Exactly the brute force's page: every candidate ranked, the wanted kinds promoted onto it.
        const c = index.challenges.get(challengeId)!;
        const wanted: string[] = wantedKinds(c.wantedKinds, filter?.kinds ?? []);
        expect(shown).toEqual(diversifyByKind(reference, wanted, 100).map((r) => r.id));
        // A page of two: what it promotes comes from each wanted kind's best, not from the top.
        const short = await pageOf(2);
        expect(short.matches.map((m) => m.stakeholderId)).toEqual(
          diversifyByKind(reference, wanted, 2)
            .slice(0, 2)
            .map((r) => r.id),
        );
        // Asked again at the same version: the count is known, the search best-first; the page the same.
        const again = await pageOf(100);
        expect(again.total).toBe(reference.length);
        expect(again.matches.map((m) => [m.stakeholderId, m.score])).toEqual(
          page.matches.map((m) => [m.stakeholderId, m.score]),
        );
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
