/**
 * Match states and events carry no foreign keys (each one checked and locked a parent row for every
 * row the relay wrote: half of each write), yet deleting stakeholders or challenges still deletes
 * their states and events, and only theirs, however many a statement deletes; the migration goes
 * down to the foreign keys and up again.
 */
import { MatchRowsCascade1795400000320 } from '../../migrations/1795400000320-MatchRowsCascade';
import { createTestDatabase, TestDatabase } from '../helpers/database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(() => db?.drop());

const q = <T>(sql: string, params: unknown[] = []) => db.dataSource.query(sql, params) as Promise<T[]>;

/** Foreign keys on the two match tables. */
const foreignKeys = async () =>
  (
    await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_constraint
       WHERE contype = 'f' AND conrelid IN ('match_state'::regclass, 'match_event'::regclass)`,
    )
  )[0].n;

/** Three schools with a challenge each, three partners, and every pair's state and event. */
async function network(): Promise<{ schools: string[]; partners: string[]; challenges: string[] }> {
  const ids = async (sql: string) => (await q<{ id: string }>(sql)).map((r) => r.id);
  const schools = await ids(
    `INSERT INTO stakeholder (kind, name) SELECT 'SCHOOL', 'School ' || n FROM generate_series(1, 3) n RETURNING id`,
  );
  const partners = await ids(
    `INSERT INTO stakeholder (kind, name) SELECT 'UNIVERSITY', 'Lab ' || n FROM generate_series(1, 3) n RETURNING id`,
  );
  const challenges = (
    await q<{ id: string }>(
      `INSERT INTO challenge (title, school_id, sdg_ids) SELECT 'Challenge', s, '{6}' FROM unnest($1::uuid[]) s
       RETURNING id`,
      [schools],
    )
  ).map((r) => r.id);
  await q(
    `WITH pairs AS (SELECT c, s FROM unnest($1::uuid[]) c CROSS JOIN unnest($2::uuid[]) s),
     states AS (INSERT INTO match_state (challenge_id, stakeholder_id, score, best) SELECT c, s, 0.7, 0.7 FROM pairs)
     INSERT INTO match_event (challenge_id, stakeholder_id, origin, score, data)
     SELECT c, s, 'STAKEHOLDER_CHANGED', 0.7, '{}' FROM pairs`,
    [challenges, partners],
  );
  return { schools, partners, challenges };
}

/** The pairs left in each match table, as "challenge index:partner index". */
async function pairsLeft(challenges: string[], partners: string[]) {
  const read = async (table: string) =>
    (
      await q<{ c: string; s: string }>(
        `SELECT challenge_id AS c, stakeholder_id AS s FROM ${table}
         WHERE challenge_id = ANY($1::uuid[]) ORDER BY 1, 2`,
        [challenges],
      )
    )
      .map((r) => `${challenges.indexOf(r.c)}:${partners.indexOf(r.s)}`)
      .sort();
  return { states: await read('match_state'), events: await read('match_event') };
}

const all = (cs: number[], ps: number[]) => cs.flatMap((c) => ps.map((p) => `${c}:${p}`)).sort();

describe('match states and events without foreign keys', () => {
  it('are written with no key check', async () => {
    expect(await foreignKeys()).toBe(0);
  });

  it.each([
    ['one partner', { partners: [1], challenges: [] }, all([0, 1, 2], [0, 2])],
    ['two partners in one statement', { partners: [0, 2], challenges: [] }, all([0, 1, 2], [1])],
    ['one challenge', { partners: [], challenges: [2] }, all([0, 1], [0, 1, 2])],
    ['two challenges in one statement', { partners: [], challenges: [0, 1] }, all([2], [0, 1, 2])],
  ])('deleting %s deletes its states and events, and only those', async (_name, gone, left) => {
    const { partners, challenges } = await network();
    expect(await pairsLeft(challenges, partners)).toEqual({
      states: all([0, 1, 2], [0, 1, 2]),
      events: all([0, 1, 2], [0, 1, 2]),
    });
    if (gone.partners.length)
      await q('DELETE FROM stakeholder WHERE id = ANY($1::uuid[])', [gone.partners.map((k) => partners[k])]);
    if (gone.challenges.length)
      await q('DELETE FROM challenge WHERE id = ANY($1::uuid[])', [gone.challenges.map((k) => challenges[k])]);
    expect(await pairsLeft(challenges, partners)).toEqual({ states: left, events: left });
  });

  it('goes down to the foreign keys and up again', async () => {
    const migration = new MatchRowsCascade1795400000320();
    const runner = db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await foreignKeys()).toBe(4);
      const { partners, challenges } = await network();
      // The keys are back, cascading as before.
      await q('DELETE FROM stakeholder WHERE id = $1', [partners[0]]);
      expect((await pairsLeft(challenges, partners)).states).toEqual(all([0, 1, 2], [1, 2]));
      await migration.up(runner);
      expect(await foreignKeys()).toBe(0);
      await q('DELETE FROM challenge WHERE id = $1', [challenges[0]]);
      expect((await pairsLeft(challenges, partners)).events).toEqual(all([1, 2], [1, 2]));
    } finally {
      await runner.release();
    }
  });
});
