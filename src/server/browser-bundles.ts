import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The scripts built from src/browser/ by scripts/bundle-browser.mjs (`npm run build`). */
export type BrowserBundle = 'matches.js' | 'ide-app.js';

// The package's root: the nearest folder up with a package.json. This file runs from src/server/
// under ts-jest and from dist/src/server/ once built, and the bundles are in dist/browser/ either way.
function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const cache = new Map<BrowserBundle, Buffer>();

/**
 * A browser bundle's text, read once. Throws, saying how to make it, when the build has not run:
 * callers read their bundles as the server starts, so a missing one stops the start, not a page.
 */
export function browserBundle(name: BrowserBundle): Buffer {
  let body = cache.get(name);
  if (!body) {
    const file = path.join(packageRoot(), 'dist', 'browser', name);
    if (!existsSync(file)) throw new Error(`${file} is missing: \`npm run build\` bundles src/browser/ into it`);
    body = readFileSync(file);
    cache.set(name, body);
  }
  return body;
}
