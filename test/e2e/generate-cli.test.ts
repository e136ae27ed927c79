/**
 * `npm run generate` as a user runs it (the compiled CLI): the format its --out names, a default
 * file outside the repository, progress to 100%, and files `npm run import` takes as they are.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, TestDatabase } from '../helpers/database';

const root = path.join(__dirname, '..', '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'matchmaker-generate-'));
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db?.drop();
});

/** Runs a compiled CLI (built by the jest global setup) the way `npm run` would, from the repository root. */
function cli(script: string, args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [path.join('dist', 'src', 'db', script), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const generate = (...args: string[]) => cli('generate.cli.js', ['--stakeholders', '300', '--challenges', '6', ...args]);
const dryImport = (file: string) => cli('import.cli.js', [file, '--dry-run'], { DATABASE_URL: db.url });

describe('npm run generate', () => {
  it('writes JSON into a .json file and CSV into a .csv file, the same network, both importable', () => {
    const json = path.join(dir, 'network.json');
    const csv = path.join(dir, 'network.csv');
    expect(generate('--out', json)).toMatchObject({ status: 0, stdout: expect.stringContaining('as JSON') });
    expect(generate('--out', csv)).toMatchObject({ status: 0, stdout: expect.stringContaining('as CSV') });

    const records: unknown = JSON.parse(readFileSync(json, 'utf8'));
    expect(records).toHaveLength(306);
    expect((records as unknown[])[0]).toMatchObject({
      record: 'stakeholder',
      sdgs: expect.any(Array),
      latitude: expect.any(Number),
    });
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toMatch(/^record,externalId,kind,name,/);

    for (const file of [json, csv]) {
      const imported = dryImport(file);
      expect({ file, status: imported.status }).toEqual({ file, status: 0 });
      expect(imported.stdout).toMatch(/306 rows/);
      expect(imported.stdout).toMatch(/stakeholders:\s+300 new/);
      expect(imported.stdout).toMatch(/challenges:\s+6 new/);
      expect(imported.stdout).toMatch(/rejected:\s+0\b/);
    }
  });

  it('reports progress up to 100%', () => {
    const run = generate('--out', path.join(dir, 'progress.csv'));
    expect(run.stderr).toContain('generating: 100% (306/306)');
  });

  it('writes outside the repository when --out is not given, and says how to import the file', () => {
    const run = generate('--seed', '424242');
    expect(run.status).toBe(0);
    const file = /import it with: npm run import -- (\S+)/.exec(run.stdout)?.[1];
    expect(file).toBeDefined();
    try {
      expect(existsSync(file!)).toBe(true);
      expect(path.relative(root, file!)).toMatch(/^\.\./);
    } finally {
      rmSync(file!, { force: true });
    }
  });

  it('refuses an --out it cannot name a format for', () => {
    const run = generate('--out', path.join(dir, 'network.txt'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--out must name a \.csv or a \.json file/);
  });
});
