/**
 * An import's stakeholders leave the import's challenges to the challenges' own change, relayed
 * after theirs: each pair is matched and stored once, told as the challenge's news, and what is
 * stored is exactly what a fresh matching of every challenge with every stakeholder finds.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeNetworkCsv } from '../../src/db/synthetic-network';
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { loadMatchIndex } from '../../src/matching/index/load-index';
import { MatchIndex } from '../../src/matching/index/match-index';
import { startRankPool } from '../../src/matching/workers/rank-pool';
import { matchesOfChallengesOnIndex } from '../../src/matching/suggest.service';
import { applyChange, relayOutbox } from '../../src/subscriptions/outbox-relay';
import { EVENT_FLOOR } from '../../src/subscriptions/topics';
import { inTransaction } from '../../src/domain/unit-of-work';
import { updateChallenge } from '../../src/domain/challenge/challenge.service';
import { createTestDatabase, TestDatabase } from '../helpers/database';

let db: TestDatabase;
const pools: MatchIndex[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(async () => {
  for (const index of pools) await index.ranker?.stop();
  await db?.drop();
});

/**
 * Imports a synthetic network (written, not relayed: nothing relays on this database); `only`:
 * its stakeholders alone.
 */
async function importNetwork(seed: number, stakeholders: number, challenges: number, only?: 'stakeholders') {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'later-challenges-')), 'net.csv');
  writeNetworkCsv(file, { stakeholders, challenges, seed });
  const records = readRecords(readFileSync(file, 'utf8'), 'csv');
  const report = await importRecords(
    db.dataSource,
    only ? records.filter((r) => r.record.record === 'stakeholder') : records,
  );
  expect(report.failed).toBe(0);
}

/** Loads the index as a start does (ahead of the relay: it holds what is still pending) and relays it all. */
async function startAndRelay(): Promise<MatchIndex> {
  const index = await loadMatchIndex(db.dataSource);
  index.ranker = await startRankPool({ threads: 2 });
  pools.push(index);
  for (;;) {
    const relayed = await relayOutbox(db.dataSource, index, (c) => applyChange(index, db.dataSource, c));
    if (!relayed?.relayed.length) return index;
  }
}

const challengesOf = async (prefix: string): Promise<string[]> =>
  (
    (await db.dataSource.query('SELECT id FROM challenge WHERE external_id LIKE $1', [`${prefix}-%`])) as {
      id: string;
    }[]
  ).map((r) => r.id);

describe('an import relayed with its challenges', () => {
  it('stores each pair once, as the news of the challenge imported with it, as a fresh matching finds it', async () => {
    await importNetwork(21, 800, 8);
    await startAndRelay();
    const [{ last }]: { last: number }[] = await db.dataSource.query(
      'SELECT coalesce(max(seq), 0)::int AS last FROM match_event',
    );
    // The second import: stakeholders first, its challenges in a change of their own after them.
    await importNetwork(22, 2000, 12);
    const index = await startAndRelay();
    const [before, imported] = [await challengesOf('gen21'), await challengesOf('gen22')];
    expect([before.length, imported.length]).toEqual([8, 12]);
    const told: { origin: string; challenge: string; pairs: number; events: number }[] = await db.dataSource.query(
      `SELECT origin, CASE WHEN challenge_id = ANY($1::uuid[]) THEN 'imported' ELSE 'before' END AS challenge,
         count(DISTINCT (challenge_id, stakeholder_id))::int AS pairs, count(*)::int AS events
       FROM match_event WHERE seq > $2 GROUP BY 1, 2 ORDER BY 1, 2`,
      [imported, last],
    );
    // The imported challenges' pairs are theirs (the stakeholders' slices left them out); the
    // challenges from before meet the new stakeholders in the stakeholders' slices.
    expect(told.map(({ origin, challenge }) => `${origin} ${challenge}`)).toEqual([
      'CHALLENGE_POSTED imported',
      'STAKEHOLDER_CHANGED before',
    ]);
    for (const row of told) expect(row.events).toBe(row.pairs);
    // Stored: exactly the pairs that a fresh matching of every challenge finds, at their scores.
    const fresh = await matchesOfChallengesOnIndex(index, [...before, ...imported], EVENT_FLOOR);
    const stored: { challenge_id: string; stakeholder_id: string; score: number }[] = await db.dataSource.query(
      'SELECT challenge_id, stakeholder_id, score FROM match_state WHERE score > 0',
    );
    const key = (c: string, s: string) => `${c}:${s}`;
    const expected = new Map(fresh.map((p) => [key(p.challenge.id, p.stakeholderId), p.ranked.score]));
    expect(fresh.length).toBeGreaterThan(40);
    expect(new Set(stored.map((r) => key(r.challenge_id, r.stakeholder_id)))).toEqual(new Set(expected.keys()));
    for (const r of stored) expect(r.score).toBeCloseTo(expected.get(key(r.challenge_id, r.stakeholder_id))!, 9);
    // And every pair has had its event.
    const [{ missing }]: { missing: number }[] = await db.dataSource.query(
      `SELECT count(*)::int AS missing FROM match_state s WHERE score > 0
         AND NOT EXISTS (SELECT 1 FROM match_event e WHERE e.challenge_id = s.challenge_id
           AND e.stakeholder_id = s.stakeholder_id)`,
    );
    expect(missing).toBe(0);
  }, 120_000);

  it('leaves in a challenge whose pending change is an edit: its pairs may rise before the edit', async () => {
    const [{ last }]: { last: number }[] = await db.dataSource.query(
      'SELECT coalesce(max(seq), 0)::int AS last FROM match_event',
    );
    // The challenge that has met the most partners so far: it meets some of the new ones too.
    const [{ edited }]: { edited: string }[] = await db.dataSource.query(
      `SELECT challenge_id AS edited FROM match_state WHERE challenge_id = ANY($1::uuid[])
       GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      [await challengesOf('gen21')],
    );
    await importNetwork(23, 2000, 12, 'stakeholders');
    // Edited after the import's stakeholders were written, not relayed yet.
    await inTransaction(db.dataSource.manager, (m) => updateChallenge(m, edited, { title: 'Renamed' }), {
      relay: false,
    });
    await startAndRelay();
    const told: { origin: string; challenge: string }[] = await db.dataSource.query(
      `SELECT DISTINCT origin, CASE WHEN challenge_id = $1 THEN 'edited' ELSE 'other' END AS challenge
       FROM match_event WHERE seq > $2 ORDER BY 1, 2`,
      [edited, last],
    );
    // The edited challenge met the new stakeholders in their slices, like every other one.
    expect(told.map(({ origin, challenge }) => `${origin} ${challenge}`)).toEqual([
      'STAKEHOLDER_CHANGED edited',
      'STAKEHOLDER_CHANGED other',
    ]);
  }, 120_000);
});
