import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IDE_APP_SCRIPT } from './ide-app';
import { ExampleIds, exampleOperations } from './examples';

// Files are found next to each package's package.json: their "exports" hide the UMD builds.
function packageFile(pkg: string, file: string): Buffer {
  return readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file));
}

/** Files the IDE page loads, served from installed packages so it works with no network. */
const ASSETS: Record<string, { read: () => Buffer; type: string }> = {
  'react.js': { read: () => packageFile('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { read: () => packageFile('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { read: () => packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { read: () => packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
  'app.js': { read: () => Buffer.from(IDE_APP_SCRIPT), type: 'text/javascript' },
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

function escapeJsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The GraphiQL page with the example operations as its first tabs. */
export function ideHtml(ids: ExampleIds = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Open-schooling matchmaker · GraphQL IDE</title>
<link rel="stylesheet" href="/ide/graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading the GraphQL IDE…</div>
<script id="examples" type="application/json">${escapeJsonForHtml(exampleOperations(ids))}</script>
<script src="/ide/react.js"></script>
<script src="/ide/react-dom.js"></script>
<script src="/ide/graphiql.js"></script>
<script src="/ide/app.js"></script>
</body>
</html>`;
}
