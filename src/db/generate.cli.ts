import os from 'node:os';
import path from 'node:path';
import { progress } from './progress';
import { formatOf, writeNetwork } from './synthetic-network';

const USAGE = 'usage: npm run generate -- [--stakeholders N] [--challenges N] [--seed S] [--out file.csv|file.json]';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function positive(name: string, fallback: number): number {
  const raw = arg(name);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a whole number ≥ 0, got "${raw}"`);
  return n;
}

/**
 * `npm run generate -- --stakeholders 100000 [--challenges N] [--seed S] [--out file.csv|file.json]`:
 * a synthetic network in the format `--out` names, ready for `npm run import`. Without `--out` it
 * goes to the system's temporary folder, never into the repository.
 */
const stakeholders = positive('stakeholders', 1000);
const challenges = positive('challenges', Math.floor(stakeholders / 50));
const seed = positive('seed', 1);
const out = path.resolve(arg('out') ?? path.join(os.tmpdir(), `network-${stakeholders}-seed${seed}.csv`));
const format = formatOf(out) ?? fail(`--out must name a .csv or a .json file, got "${out}"`);
const started = Date.now();
const total = stakeholders + challenges;
const bar = progress('generating', total);
const rows = writeNetwork(out, format, { stakeholders, challenges, seed }, bar);
// Without a school among the stakeholders no challenge can be posed: fewer rows than estimated,
// but the work is done.
bar(total);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write(
  `wrote ${rows} rows (${stakeholders} stakeholders, ${rows - stakeholders} challenges, seed ${seed}) ` +
    `as ${format.toUpperCase()} to ${out} in ${seconds} s\n` +
    `import it with: npm run import -- ${out} [--dry-run]\n`,
);
