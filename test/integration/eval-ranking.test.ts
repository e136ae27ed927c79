/**
 * The ranking evaluation's guard (bench/eval-ranking.ts, at a small size): with the availability
 * rule, underserved partners keep their share of first-page places against their share of
 * eligible candidates, and it does not fall below what they had before the rule; the simulation
 * is deterministic for a seed, and its figures are well-formed.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EvalFigures, EvalOptions, simulate, VARIANTS } from '../../bench/eval-ranking';
import { writeNetworkCsv } from '../../src/db/synthetic-network';
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { loadMatchIndex } from '../../src/matching/index/load-index';
import { createTestDatabase, TestDatabase } from '../helpers/database';

const OPTIONS: EvalOptions = { stakeholders: 1500, challenges: 150, rounds: 5, seed: 28 };
let db: TestDatabase;
let before: EvalFigures;
let after: EvalFigures;
beforeAll(async () => {
  db = await createTestDatabase();
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'eval-')), 'net.csv');
  writeNetworkCsv(file, OPTIONS);
  await importRecords(db.dataSource, readRecords(readFileSync(file, 'utf8'), 'csv'));
  const index = await loadMatchIndex(db.dataSource);
  [before, after] = [await simulate(index, VARIANTS[0], OPTIONS), await simulate(index, VARIANTS[1], OPTIONS)];
}, 180_000);
afterAll(() => db?.drop());

describe('the ranking evaluation', () => {
  it('reports well-formed figures for both variants', () => {
    for (const f of [before, after]) {
      expect(f.invitations).toBeGreaterThan(0);
      for (const share of [f.ndcgAt10, f.top5Share, f.underservedExposure, f.underservedEligible]) {
        expect(share).toBeGreaterThanOrEqual(0);
        expect(share).toBeLessThanOrEqual(1);
      }
    }
  });

  it('keeps underserved partners’ exposure with the availability rule (the exposure guard)', () => {
    // Some are eligible (the guard would be empty otherwise); their first-page share is at least their
    // share of eligible candidates (one percentage point of slack) and, against it, at least nine
    // tenths of what it was before the rule.
    expect(after.underservedEligible).toBeGreaterThan(0);
    expect(after.underservedExposure).toBeGreaterThanOrEqual(after.underservedEligible - 0.01);
    const ratio = (f: EvalFigures) => f.underservedExposure / f.underservedEligible;
    expect(ratio(after)).toBeGreaterThanOrEqual(0.9 * ratio(before));
  });
});
