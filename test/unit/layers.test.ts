import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SRC, sourceFiles } from '../helpers/source-files';

/** Imports of a file that reach into `layer` (a folder under src/). */
function importsInto(file: string, layer: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '([^']+)'/g)]
    .map((m) => m[1])
    .filter(
      (spec) =>
        spec.startsWith('.') && path.resolve(path.dirname(file), spec).startsWith(path.join(SRC, layer) + path.sep),
    );
}

describe('layers', () => {
  it.each(['domain', 'matching'])('src/%s imports nothing from src/graphql (services take plain commands)', (layer) => {
    const offenders = sourceFiles(path.join(SRC, layer)).flatMap((f) =>
      importsInto(f, 'graphql').map((i) => `${path.relative(SRC, f)} → ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it.each(['domain', 'matching', 'subscriptions', 'graphql', 'db', 'log'])(
    'src/%s imports nothing from src/server (the logger lives in src/log; only the entry point starts servers)',
    (layer) => {
      const offenders = sourceFiles(path.join(SRC, layer)).flatMap((f) =>
        importsInto(f, 'server').map((i) => `${path.relative(SRC, f)} → ${i}`),
      );
      expect(offenders).toEqual([]);
    },
  );
});
