import { spawnSync } from 'node:child_process';
import path from 'node:path';

describe('generated typed documents', () => {
  it('are what `npm run codegen` makes from schema/schema.graphql and the operations', () => {
    const root = path.join(__dirname, '..', '..');
    const run = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules', '@graphql-codegen', 'cli', 'esm', 'bin.js'),
        '--config',
        'codegen.yml',
        '--check',
      ],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    if (run.status !== 0) throw new Error(`stale: run \`npm run codegen\`\n${run.stdout}\n${run.stderr}`);
    expect(run.status).toBe(0);
  }, 60000);
});
