import path from 'node:path';
import { progress } from './progress';
import { writeNetworkCsv } from './synthetic-network';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function positive(name: string, fallback: number): number {
  const raw = arg(name);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a whole number ≥ 0, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

/** `npm run generate -- --stakeholders 100000 [--challenges N] [--seed S] [--out file.csv]` */
const stakeholders = positive('stakeholders', 1000);
const challenges = positive('challenges', Math.floor(stakeholders / 50));
const seed = positive('seed', 1);
const out = path.resolve(arg('out') ?? `network-${stakeholders}-seed${seed}.csv`);
const started = Date.now();
const bar = progress('generating', stakeholders + challenges);
const rows = writeNetworkCsv(out, { stakeholders, challenges, seed }, bar);
process.stdout.write(`wrote ${rows} rows (${stakeholders} stakeholders, ${challenges} challenges, seed ${seed}) to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
