/**
 * The index's tag and language pools only ever append a rewritten row's slice; once the slices left
 * behind outweigh the live ones the pool is rebuilt. After any sequence of rewrites every row still
 * reads exactly its last tags and languages, and a pool never holds much more than twice what is live.
 */
import fc from 'fast-check';
import { MatchIndex } from '../../src/matching/index/match-index';
import { POOL_SLACK } from '../../src/matching/index/slice-pool';
import { stakeholderFacts } from '../helpers/stakeholder-facts';

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const facts = (n: number, tags: number[], languages: string[]) =>
  stakeholderFacts(uuid(n), { expertiseIds: tags, languages });

describe('the index pools', () => {
  it('keep every row’s last slice through rebuilds, and stay near the size of what is live', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            row: fc.nat({ max: 40 }),
            tags: fc.array(fc.nat({ max: 5000 }), { maxLength: 600 }),
            languages: fc.subarray(['nl', 'fr', 'en', 'de']),
          }),
          { minLength: 1, maxLength: 400 },
        ),
        (writes) => {
          const index = new MatchIndex();
          const last = new Map<number, { tags: number[]; languages: string[] }>();
          let compacted = false;
          for (const w of writes) {
            const before = index.tagPool;
            index.setStakeholder(facts(w.row, w.tags, w.languages));
            last.set(w.row, w);
            if (index.tagPool !== before && index.tagPool.length < before.length) compacted = true;
            let live = 0;
            for (const [row, expected] of last) {
              const at = index.rowOf(uuid(row));
              expect([...index.tagsOf(at)]).toEqual(expected.tags);
              expect(index.languagesOf(at)).toEqual(expected.languages);
              live += expected.tags.length;
            }
            expect(index.tagPool.length).toBeLessThanOrEqual(Math.ceil(1.5 * (2 * live + POOL_SLACK + 600)) + 4096);
          }
          return compacted || writes.reduce((n, w) => n + w.tags.length, 0) <= 2 * POOL_SLACK;
        },
      ),
      { numRuns: 25 },
    );
  });

  it('are rebuilt when one row is rewritten over and over', () => {
    const index = new MatchIndex();
    const tags = Array.from({ length: 500 }, (_, i) => i);
    for (let n = 0; n < 600; n++)
      index.setStakeholder(
        facts(
          1,
          tags.map((t) => t + n),
          ['nl'],
        ),
      );
    // 300,000 entries appended; 500 live.
    expect(index.tagPool.length).toBeLessThan(3 * POOL_SLACK);
    expect([...index.tagsOf(index.rowOf(uuid(1)))]).toEqual(tags.map((t) => t + 599));
  });
});
