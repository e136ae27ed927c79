// Bundles the browser code in src/browser/ with esbuild into dist/browser/, which the server
// serves (src/server/browser-bundles.ts): `npm run build` runs it after type-checking
// src/browser/ (esbuild only strips types), and the tests' global setup runs it before any test.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Output file (under dist/browser/) → entry point: one self-contained script each. */
export const ENTRIES = {
  'matches.js': 'src/browser/embed/matches-widget.ts',
  'ide-app.js': 'src/browser/ide/ide-app.ts',
};

/** Writes every bundle; rejects, with esbuild's messages printed, when one fails. */
export async function bundleBrowser() {
  await Promise.all(
    Object.entries(ENTRIES).map(([out, entry]) =>
      build({
        absWorkingDir: ROOT,
        entryPoints: [entry],
        outfile: path.join('dist', 'browser', out),
        bundle: true,
        // A classic script (the widget goes into any portal page, no type="module" needed), its
        // names kept to itself.
        format: 'iife',
        platform: 'browser',
        // Browsers of the last few years; portals' visitors do not all run the newest.
        target: 'es2020',
        tsconfig: 'src/browser/tsconfig.json',
        minify: true,
        legalComments: 'none',
        logLevel: 'warning',
      }),
    ),
  );
}

// Run as a script (`node scripts/bundle-browser.mjs`); no top-level await, since the tests' global
// setup imports this module through require(), which refuses one.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  bundleBrowser().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
