/**
 * `npm run import` as a user runs it (the compiled CLI) on files as spreadsheets save them: it
 * says which delimiter and byte-order mark it found, and holds likely duplicates back unless
 * told to import them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, TestDatabase } from '../helpers/database';

const root = path.join(__dirname, '..', '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'matchmaker-import-'));
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db?.drop();
});

/** Runs the compiled import CLI (built by the jest global setup) from the repository root. */
function runImport(...args: string[]) {
  const run = spawnSync(process.execPath, [path.join('dist', 'src', 'db', 'import.cli.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: db.url },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run import', () => {
  it.each([
    ['test/fixtures/import-good.csv', 'CSV, comma-separated, no UTF-8 byte-order mark'],
    ['test/fixtures/import-semicolon.csv', 'CSV, semicolon-separated, no UTF-8 byte-order mark'],
    ['test/fixtures/import-tab.tsv', 'CSV, tab-separated, no UTF-8 byte-order mark'],
    ['test/fixtures/import-bom.csv', 'CSV, semicolon-separated, with UTF-8 byte-order mark'],
    ['test/fixtures/import.json', 'JSON, no UTF-8 byte-order mark'],
  ])('reads %s as %s', (file, found) => {
    const run = runImport(file, '--dry-run');
    expect({ status: run.status, stdout: run.stdout }).toMatchObject({ status: 0 });
    expect(run.stdout).toContain(`  file:         ${found}\n`);
    expect(run.stdout).toMatch(/rejected:\s+0\n/);
  });

  it('holds back a likely duplicate with the stored id, and imports it with --allow-duplicates', async () => {
    expect(runImport('test/fixtures/import-semicolon.csv').status).toBe(0);
    const [uni]: { id: string }[] = await db.dataSource.query(`SELECT id FROM stakeholder WHERE external_id = 'uni-1'`);
    const file = path.join(dir, 'again.csv');
    writeFileSync(
      file,
      'externalId;kind;name;city;countryCode;sdgs\r\nuni-2;UNIVERSITY;University of TWENTE;Enschede;NL;4\r\n',
    );
    const held = runImport(file);
    expect(held.status).toBe(0);
    expect(held.stdout).toMatch(/stakeholders: 0 new/);
    expect(held.stdout).toContain('  held back:    1 (likely duplicates; --allow-duplicates imports them)\n');
    expect(held.stdout).toContain(
      `  line 2, name: name looks like a stored stakeholder: "University of Twente" (id ${uni.id}), ` +
        'the same name within 5 km; held back',
    );
    const allowed = runImport(file, '--allow-duplicates');
    expect(allowed.stdout).toMatch(/stakeholders: 1 new/);
    expect(allowed.stdout).toContain('  held back:    0 ');
  });
});
