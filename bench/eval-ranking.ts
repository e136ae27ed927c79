/**
 * `npm run eval:ranking`: does the ranking serve coordinators, and whom does it expose? A
 * simulation on the generated network (src/db/synthetic-network.ts): each round, every challenge
 * that still needs partners shows its coordinator the first page (10) of suggestions; the
 * coordinator invites two, favouring the top of the page and the better scores; partners answer
 * next round — accepting by their preference (the pair's score) while they have room, declining
 * when full. Run twice on the same network and seed, in one run: before the availability rule (room
 * counts accepted partnerships only) and after it (open invitations count too,
 * src/matching/availability.ts). Reports success@10 (invitations accepted per challenge), NDCG@10
 * of each page against the simulated acceptances, the share of invitations going to the 5% most
 * invited partners, and the first-page exposure of underserved partners against their share of
 * eligible candidates. `--smoke` runs a small network (cheap enough for CI); the full run writes its
 * section to bench/results.md.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prng, writeNetworkCsv } from '../src/db/synthetic-network';
import { importRecords, readRecords } from '../src/domain/import/import.service';
import { DEFAULT_WEIGHTS } from '../src/matching/components/registry';
import { loadMatchIndex } from '../src/matching/index/load-index';
import { MatchIndex } from '../src/matching/index/match-index';
import { rankPartnersOf } from '../src/matching/index/rank-on-index';
import { DEFAULT_MIN_SCORE } from '../src/matching/match.service';
import { startBenchDatabase } from './bench-database';

/** The size of a run. */
export interface EvalOptions {
  stakeholders: number;
  challenges: number;
  rounds: number;
  seed: number;
}

/** What one variant of the ranking achieved. */
export interface EvalFigures {
  variant: string;
  /** Invitations accepted per challenge. */
  successAt10: number;
  ndcgAt10: number;
  /** Share of all invitations that went to the 5% most-invited partners. */
  top5Share: number;
  /** Underserved partners' share of first-page places, and of eligible candidates. */
  underservedExposure: number;
  underservedEligible: number;
  invitations: number;
}

const PAGE = 10;
/** Partners a challenge needs; its coordinator stops inviting once they accepted. */
const NEEDED = 2;
/** Invitations a coordinator sends per round. */
const PER_ROUND = 2;

/** One variant: what counts as taking up a partner's room in the ranking. */
interface Variant {
  name: string;
  taken: (accepted: number, open: number) => number;
}

export const VARIANTS: Variant[] = [
  { name: 'before: room = capacity − accepted', taken: (accepted) => accepted },
  { name: 'after: room = capacity − accepted − open invitations', taken: (accepted, open) => accepted + open },
];

const dcg = (gains: number[]) => gains.reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);

/** Runs the simulation of one variant on a loaded index (its `accepted` column is the simulation's). */
export async function simulate(index: MatchIndex, variant: Variant, o: EvalOptions): Promise<EvalFigures> {
  const random = prng(o.seed);
  const rows = index.size;
  const accepted = new Int32Array(rows);
  const open = new Int32Array(rows);
  const invited = new Int32Array(rows);
  const challenges = [...index.challenges.values()].filter((c) => c.open).map((c) => c.id);
  const filled = new Map(challenges.map((id) => [id, 0]));
  const asked = new Map(challenges.map((id) => [id, new Set<number>()]));
  const won = new Set<string>();
  const pages: { challenge: string; rows: number[] }[] = [];
  let pending: { challenge: string; row: number; score: number; due: number }[] = [];
  let [slots, underservedSlots, eligible, underservedEligible] = [0, 0, 0, 0];
  /** Every partner some challenge could show: the population the 5% most invited are taken from. */
  const showable = new Set<number>();
  const underserved = (row: number) => index.scoredContexts[row] > 0;
  for (let round = 0; round < o.rounds; round++) {
    // Partners answer invitations one to three rounds after they came, in that order: yes by preference
    // while there is room; no when full.
    for (const p of pending.filter((x) => x.due === round)) {
      open[p.row]--;
      if (accepted[p.row] < index.capacity[p.row] && random() < 0.3 + 0.6 * p.score) {
        accepted[p.row]++;
        filled.set(p.challenge, filled.get(p.challenge)! + 1);
        won.add(`${p.challenge}/${p.row}`);
      }
    }
    pending = pending.filter((x) => x.due > round);
    await index.lock.write(() => {
      for (let row = 0; row < rows; row++) index.accepted[row] = variant.taken(accepted[row], open[row]);
    });
    for (const challenge of challenges) {
      if (filled.get(challenge)! >= NEEDED) continue;
      const already = asked.get(challenge)!;
      const ranked = await rankPartnersOf(
        index,
        challenge,
        DEFAULT_WEIGHTS,
        PAGE + already.size,
        {},
        DEFAULT_MIN_SCORE,
      );
      const page = ranked.top.filter((r) => !already.has(r.row)).slice(0, PAGE);
      if (round === 0) {
        // Who could be shown at all: every eligible candidate, once per challenge.
        const all = await rankPartnersOf(index, challenge, DEFAULT_WEIGHTS, ranked.total, {}, DEFAULT_MIN_SCORE);
        eligible += all.top.length;
        for (const r of all.top) showable.add(r.row);
        underservedEligible += all.top.filter((r) => underserved(r.row)).length;
      }
      slots += page.length;
      underservedSlots += page.filter((r) => underserved(r.row)).length;
      pages.push({ challenge, rows: page.map((r) => r.row) });
      // The coordinator invites by position on the page and score: a draw without replacement.
      const pool = page.map((r, i) => ({ r, w: (0.5 + r.score) / Math.log2(i + 2) }));
      for (let k = 0; k < PER_ROUND && pool.length; k++) {
        let x = random() * pool.reduce((s, p) => s + p.w, 0);
        const i = Math.max(
          0,
          pool.findIndex((p) => (x -= p.w) <= 0),
        );
        const [{ r }] = pool.splice(i, 1);
        already.add(r.row);
        open[r.row]++;
        invited[r.row]++;
        pending.push({ challenge, row: r.row, score: r.score, due: round + 1 + Math.floor(random() * 3) });
        // The next coordinator's page sees this invitation (as the service's index would, via the outbox).
        await index.lock.write(() => (index.accepted[r.row] = variant.taken(accepted[r.row], open[r.row])));
      }
    }
  }
  const total = invited.reduce((a, b) => a + b, 0);
  const top = [...invited].sort((a, b) => b - a).slice(0, Math.max(1, Math.ceil(showable.size * 0.05)));
  const ndcg = pages.map((p) => {
    const gains = p.rows.map((row) => (won.has(`${p.challenge}/${row}`) ? 1 : 0));
    const ideal = dcg([...gains].sort((a, b) => b - a));
    return ideal ? dcg(gains) / ideal : 0;
  });
  return {
    variant: variant.name,
    successAt10: challenges.length ? [...filled.values()].reduce((a, b) => a + b, 0) / challenges.length : 0,
    ndcgAt10: ndcg.length ? ndcg.reduce((a, b) => a + b, 0) / ndcg.length : 0,
    top5Share: total ? top.reduce((a, b) => a + b, 0) / total : 0,
    underservedExposure: slots ? underservedSlots / slots : 0,
    underservedEligible: eligible ? underservedEligible / eligible : 0,
    invitations: total,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The figures as a markdown table. */
export function figuresTable(all: EvalFigures[]): string {
  return [
    '| Variant | success@10 | NDCG@10 | invitations to the top 5% | underserved: first page / eligible | invitations |',
    '|---|---|---|---|---|---|',
    ...all.map(
      (f) =>
        `| ${f.variant} | ${f.successAt10.toFixed(2)} | ${f.ndcgAt10.toFixed(3)} | ${pct(f.top5Share)} | ` +
        `${pct(f.underservedExposure)} / ${pct(f.underservedEligible)} | ${f.invitations} |`,
    ),
  ].join('\n');
}

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const o: EvalOptions = {
    stakeholders: arg('stakeholders', smoke ? 2_000 : 10_000),
    challenges: arg('challenges', smoke ? 300 : 1_500),
    rounds: arg('rounds', smoke ? 6 : 8),
    seed: arg('seed', 28),
  };
  const db = await startBenchDatabase();
  try {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'eval-ranking-')), 'network.csv');
    writeNetworkCsv(file, { stakeholders: o.stakeholders, challenges: o.challenges, seed: o.seed });
    await importRecords(db.dataSource, readRecords(readFileSync(file, 'utf8'), 'csv'));
    const index = await loadMatchIndex(db.dataSource);
    const figures: EvalFigures[] = [];
    for (const variant of VARIANTS) figures.push(await simulate(index, variant, o));
    const table = figuresTable(figures);
    const open = [...index.challenges.values()].filter((c) => c.open).length;
    process.stdout.write(`${JSON.stringify({ ...o, openChallenges: open, rows: index.size })}\n${table}\n`);
    if (!smoke) writeSection(table, o);
  } finally {
    await db.stop();
  }
}

const HEADING = '## Ranking evaluation (npm run eval:ranking)';

/** Replaces this evaluation's section of bench/results.md, keeping every other. */
function writeSection(table: string, o: EvalOptions): void {
  const file = path.join(__dirname, '..', '..', 'bench', 'results.md');
  const previous = readFileSync(file, 'utf8');
  const start = previous.indexOf(HEADING);
  const next = start < 0 ? -1 : previous.indexOf('\n## ', start + HEADING.length);
  const before = start < 0 ? previous.trimEnd() : previous.slice(0, start).trimEnd();
  const after = next < 0 ? '' : previous.slice(next);
  const section =
    `${HEADING}\n\n${o.stakeholders} stakeholders, ${o.challenges} challenges, ${o.rounds} rounds, seed ${o.seed}; ` +
    'the same network and draws for both variants (bench/eval-ranking.ts describes the simulation).\n\n' +
    `${table}\n`;
  writeFileSync(file, `${before}\n\n${section}${after}`);
}

if (require.main === module)
  main().catch((error) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
