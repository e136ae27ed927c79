import { readFileSync } from 'node:fs';
import path from 'node:path';
import { browserBundle } from '../browser-bundles';
import { ExampleIds, ExampleKeys, exampleOperations } from './examples';
import { escapeHtml } from '../../domain/text';

// Files are found next to each package's package.json: their "exports" hide the UMD builds.
function packageFile(pkg: string, file: string): Buffer {
  return readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file));
}

const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#e10098"/></svg>';

/** Files the IDE page loads, served from installed packages so it works with no network. */
const ASSETS: Record<string, { read: () => Buffer; type: string }> = {
  'react.js': { read: () => packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { read: () => packageFile('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { read: () => packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { read: () => packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
  // Named by the page, so that the browser does not ask for /favicon.ico (a 404 on the console).
  'favicon.svg': { read: () => Buffer.from(FAVICON), type: 'image/svg+xml' },
  // The page's own script: src/browser/ide/ide-app.ts, bundled by `npm run build`.
  'app.js': { read: () => browserBundle('ide-app.js'), type: 'text/javascript' },
};

const cache = new Map<string, Buffer>();

/** An IDE asset by name, or undefined for an unknown name. */
export function ideAsset(name: string): { body: Buffer; type: string } | undefined {
  const asset = ASSETS[name];
  if (!asset) return undefined;
  let body = cache.get(name);
  if (!body) {
    body = asset.read();
    cache.set(name, body);
  }
  return { body, type: asset.type };
}

/**
 * The GraphiQL page with the example operations as its tabs (those that need a role carrying
 * `keys`, when given). It holds no inline script (the
 * Content-Security-Policy allows scripts from the service only): the examples travel as JSON in
 * `<body data-examples>`, which /ide/app.js reads.
 */
export function ideHtml(ids: ExampleIds = {}, keys?: ExampleKeys): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Open-schooling matchmaker · GraphQL IDE</title>
<link rel="icon" href="/ide/favicon.svg">
<link rel="stylesheet" href="/ide/graphiql.css">
<style>
html, body, #graphiql { height: 100%; margin: 0; }
/* Every tab keeps its name; the bar scrolls sideways when they do not fit (some 14 tabs at 1,400 px). */
.graphiql-tabs { overflow-x: auto; scrollbar-width: thin; }
.graphiql-tab { flex-shrink: 0; }
</style>
</head>
<body data-examples="${escapeHtml(JSON.stringify(exampleOperations(ids, keys)))}">
<div id="graphiql">Loading the GraphQL IDE…</div>
<script src="/ide/react.js"></script>
<script src="/ide/react-dom.js"></script>
<script src="/ide/graphiql.js"></script>
<script src="/ide/app.js"></script>
</body>
</html>`;
}
