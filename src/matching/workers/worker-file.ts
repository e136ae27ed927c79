/**
 * Where a worker thread's code is: the compiled `<name>.worker.js` beside its module in the built
 * service, or (running from TypeScript: tests, tools run through ts-jest) a bundle of
 * `<name>.worker.ts` made once with esbuild in the temporary directory, named by a hash of its code.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Worker files found or built, one per directory and name, once per process. */
const built = new Map<string, Promise<string>>();

/** The file of worker `name` whose module is in `dir` (its caller's `__dirname`). */
export function workerFile(dir: string, name: string): Promise<string> {
  const key = join(dir, name);
  let file = built.get(key);
  if (!file) {
    file = buildWorkerFile(dir, name);
    built.set(key, file);
  }
  return file;
}

async function buildWorkerFile(dir: string, name: string): Promise<string> {
  const compiled = join(dir, `${name}.worker.js`);
  if (existsSync(compiled)) return compiled;
  const esbuild = await import('esbuild');
  const output = await esbuild.build({
    entryPoints: [join(dir, `${name}.worker.ts`)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const code = output.outputFiles[0].contents;
  const cache = join(tmpdir(), 'open-schooling-matchmaker-workers');
  mkdirSync(cache, { recursive: true });
  const file = join(cache, `${name}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`);
  if (!existsSync(file) || !readFileSync(file).equals(code)) writeFileSync(file, code);
  return file;
}
