import { ApolloServerErrorCode } from '@apollo/server/errors';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SRC, sourceFiles } from '../helpers/source-files';
import { DomainErrorCode } from '../../src/domain/errors';
import { ErrorCode } from '../../src/graphql/error-codes';
import { codeOf } from '../../src/graphql/to-graphql-error';

describe('one error-code enum', () => {
  it('reuses every code Apollo Server defines', () => {
    for (const code of Object.values(ApolloServerErrorCode)) expect(Object.values(ErrorCode)).toContain(code);
  });

  it('maps every domain error to a code of the enum', () => {
    for (const code of Object.values(DomainErrorCode)) expect(Object.values(ErrorCode)).toContain(codeOf(code));
  });

  it('is the only place in src/ that spells a code', () => {
    const codes = Object.values(ErrorCode).join('|');
    const literal = new RegExp(`['"\`](${codes})['"\`]`);
    const allowed = new Set([path.join(SRC, 'graphql', 'error-codes.ts'), path.join(SRC, 'domain', 'errors.ts')]);
    const offenders = sourceFiles(SRC)
      .filter((f) => !allowed.has(f) && !f.endsWith('generated.ts'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => [line, i] as const)
          .filter(([line]) => literal.test(line))
          .map(([line, i]) => `${path.relative(SRC, f)}:${i + 1}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
