import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

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
    const offenders = files(path.join(SRC, layer)).flatMap((f) =>
      importsInto(f, 'graphql').map((i) => `${path.relative(SRC, f)} → ${i}`),
    );
    expect(offenders).toEqual([]);
  });
});
