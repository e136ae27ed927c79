import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SRC, sourceFiles } from '../helpers/source-files';

/**
 * TypeORM's `query()` answers an UPDATE or DELETE with `[rows, rowCount]`, not the rows: code that
 * reads `RETURNING` rows from one reads the pair instead (a revocation of an unknown key passed, an
 * endpoint's failure count read as undefined). Every UPDATE or DELETE … RETURNING in src/ goes
 * through `WITH u AS (…) SELECT …`, whose answer is the rows.
 */
describe('SQL the code reads rows from', () => {
  it('never reads RETURNING rows from a bare UPDATE or DELETE', () => {
    const offenders = sourceFiles(SRC).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      // Every quoted SQL text: a template literal or a single-quoted string.
      return [...text.matchAll(/`([^`]*)`|'((?:[^'\\\n]|\\.)*)'/g)]
        .map((m) => m[1] ?? m[2])
        .filter((sql) => /^\s*(UPDATE|DELETE)\b[\s\S]*\bRETURNING\b/i.test(sql))
        .map((sql) => `${path.relative(SRC, file)}: ${sql.trim().slice(0, 60)}`);
    });
    expect(offenders).toEqual([]);
  });
});
