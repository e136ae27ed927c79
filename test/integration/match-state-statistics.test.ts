/**
 * The relay keeps match_state's statistics current while it fills the table (a server may run
 * without autovacuum): it analyses the table after its first writes, then whenever it has written
 * as many rows as the table held at its last analysis — a handful of times for millions of rows.
 */
import { analyseWhenGrown } from '../../src/subscriptions/match-events';
import { createTestDatabase } from '../helpers/database';

describe('match_state statistics', () => {
  it.each([
    // [rows written per relay statement, statements, analyses expected]
    [4, 2, 0],
    [4, 3, 1],
    [10, 1, 1],
    [10, 2, 2],
    [10, 4, 3],
    [10, 8, 4],
  ])(
    'written %i rows at a time %i times with a first analysis after 10: %i analyses',
    async (rows, times, expected) => {
      const source = await createTestDatabase();
      try {
        source.resetQueries();
        await source.dataSource.transaction(async (m) => {
          for (let i = 0; i < times; i++) await analyseWhenGrown(m, rows, 10);
        });
        expect(source.queries.filter((q) => q === 'ANALYZE match_state')).toHaveLength(expected);
        const [{ reltuples }]: { reltuples: number }[] = await source.dataSource.query(
          "SELECT reltuples FROM pg_class WHERE oid = 'match_state'::regclass",
        );
        // Never analysed reads -1; analysed (empty) reads 0.
        expect(reltuples).toBe(expected ? 0 : -1);
      } finally {
        await source.drop();
      }
    },
  );
});
