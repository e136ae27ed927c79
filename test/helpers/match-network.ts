/**
 * The network the match index is held to its references on (match-index.test.ts,
 * match-index-writes.test.ts): 3000 stakeholders and 40 challenges, with every exclusion, a
 * history of partnerships and safeguarding checks; and the weights the rankings are compared at.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource, In } from 'typeorm';
import { writeNetworkCsv } from '../../src/db/synthetic-network';
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { Stakeholder } from '../../src/domain/stakeholder/stakeholder.entity';
import { MatchWeights } from '../../src/matching/combine';
import { COMPONENTS, DEFAULT_WEIGHTS } from '../../src/matching/components/registry';
import { loadMatchIndex } from '../../src/matching/index/load-index';
import { MatchIndex } from '../../src/matching/index/match-index';
import { RankPool, startRankPool } from '../../src/matching/workers/rank-pool';
import { createTestDatabase, TestDatabase } from './database';

/** What a test file of the match index works on: the seeded database and its loaded index. */
export interface MatchNetwork {
  db: TestDatabase;
  index: MatchIndex;
  /** The challenges, by external id. */
  challengeIds: string[];
  /** Stakeholders' match parties, read from the database. */
  load: (ids: string[]) => ReturnType<typeof loadStakeholders>;
  /** Expertise tags' ids by slug. */
  tagIds: (slugs: string[]) => ReturnType<typeof tagIdsOf>;
}

/**
 * Seeds the network once for the test file (beforeAll), loads its index, and ranks where the
 * service ranks — in a worker pool over the shared columns; `ready` is handed the result. Stopped
 * and dropped after the file (afterAll).
 */
export function useMatchNetwork(ready: (network: MatchNetwork) => void): void {
  let db: TestDatabase | undefined;
  let pool: RankPool | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    const challengeIds = await seedMatchNetwork(db.dataSource);
    const index = await loadMatchIndex(db.dataSource);
    pool = await startRankPool({ threads: 2 });
    index.ranker = pool;
    const data = db.dataSource;
    ready({ db, index, challengeIds, load: (ids) => loadStakeholders(data, ids), tagIds: (s) => tagIdsOf(data, s) });
  }, 120_000);
  afterAll(async () => {
    await pool?.stop();
    await db?.drop();
  });
}

/** Writes the network into an empty database; answers its challenges' ids by external id. */
export async function seedMatchNetwork(dataSource: DataSource): Promise<string[]> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'idx-')), 'net.csv');
  writeNetworkCsv(file, { stakeholders: 3000, challenges: 40, seed: 7 });
  await importRecords(dataSource, readRecords(readFileSync(file, 'utf8'), 'csv'));
  const challengeIds = (await dataSource.query<{ id: string }[]>(`SELECT id FROM challenge ORDER BY external_id`)).map(
    (r: { id: string }) => r.id,
  );
  // Some partners busy on a challenge, some full, some erased: every exclusion is exercised.
  await dataSource.query(`
    INSERT INTO partnership (challenge_id, stakeholder_id, status)
    SELECT c.id, s.id, CASE WHEN s.n % 2 = 0 THEN 'INVITED' ELSE 'ACCEPTED' END
    FROM (SELECT id, row_number() OVER (ORDER BY external_id) AS r FROM challenge) c
    JOIN (SELECT id, row_number() OVER (ORDER BY external_id) AS n FROM stakeholder WHERE kind <> 'SCHOOL') s
      ON s.n % 40 = c.r % 40
    WHERE s.n < 400`);
  // A history for a thousand partners, two months old: declined, completed (rated or not, answered
  // within a week or later), withdrawn, and invitations never answered — their track records differ.
  await dataSource.query(`
    INSERT INTO partnership (challenge_id, stakeholder_id, status, created_at, answered_at, rating)
    SELECT c.id, s.id, (ARRAY['DECLINED', 'COMPLETED', 'INVITED', 'WITHDRAWN', 'COMPLETED'])[1 + s.n % 5],
      now() - interval '60 days',
      CASE WHEN s.n % 5 IN (0, 1, 4) THEN now() - interval '60 days' + (s.n % 13) * interval '1 day' END,
      CASE WHEN s.n % 5 = 1 THEN 1 + (s.n / 5) % 5 END
    FROM (SELECT id, row_number() OVER (ORDER BY external_id) AS r FROM challenge) c
    JOIN (SELECT id, row_number() OVER (ORDER BY external_id) AS n FROM stakeholder WHERE kind <> 'SCHOOL') s
      ON (s.n * 7) % 40 = c.r % 40
    WHERE s.n BETWEEN 400 AND 1400`);
  await dataSource.query(
    `UPDATE stakeholder SET capacity = 1
     WHERE id IN (SELECT stakeholder_id FROM partnership WHERE status = 'ACCEPTED' LIMIT 20)`,
  );
  await dataSource.query(
    `UPDATE stakeholder SET erased_at = now(), capacity = 0
     WHERE external_id IN (SELECT external_id FROM stakeholder ORDER BY external_id DESC LIMIT 15)`,
  );
  // Safeguarding: challenges of every pupil contact, some planned to end in over a year; checks of
  // every type, issued from today to four years ago, most verified.
  await dataSource.query(`
    UPDATE challenge SET pupil_contact = (ARRAY['NONE', 'SUPERVISED', 'UNSUPERVISED', 'REGULAR'])[1 + x.r % 4],
      planned_end_on = CASE WHEN x.r % 3 = 0 THEN current_date + 400 END
    FROM (SELECT id, row_number() OVER (ORDER BY external_id) AS r FROM challenge) x WHERE challenge.id = x.id`);
  await dataSource.query(`
    INSERT INTO safeguarding_check (stakeholder_id, type, label, scope, issued_on, verified_at)
    SELECT s.id, (ARRAY['VOG', 'BE_CRIMINAL_RECORD_MODEL_2', 'UK_DBS_ENHANCED', 'OTHER'])[1 + s.n % 4],
      CASE WHEN s.n % 4 = 3 THEN 'Erweitertes Führungszeugnis' END, 'PERSON', current_date - (s.n * 37 % 1500)::int,
      CASE WHEN s.n % 5 <> 0 THEN now() END
    FROM (SELECT id, row_number() OVER (ORDER BY external_id) AS n FROM stakeholder WHERE kind <> 'SCHOOL') s
    WHERE s.n % 3 <> 0`);
  return challengeIds;
}

/** The stakeholders of these ids, as a suggestion page loads them. */
export const loadStakeholders = (dataSource: DataSource, ids: string[]) =>
  dataSource.getRepository(Stakeholder).findBy({ id: In(ids) });

/** Expertise tag ids of these slugs. */
export const tagIdsOf = async (dataSource: DataSource, slugs: string[]) =>
  ((await dataSource.query('SELECT id FROM expertise WHERE slug = ANY($1::text[])', [slugs])) as { id: number }[]).map(
    (r) => r.id,
  );

// The defaults, then each registered component in turn weighing ten times the others: a component
// the index's ranking computes differently from the reference (or not at all) shows up here.
export const WEIGHTS: MatchWeights[] = [
  DEFAULT_WEIGHTS,
  ...COMPONENTS.map((k) => Object.fromEntries(COMPONENTS.map((n) => [n, n === k ? 5 : 0.5])) as MatchWeights),
];
