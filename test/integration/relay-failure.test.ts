/**
 * A relay that fails part-way through an import's slices (while the workers are matching the next
 * slice ahead) fails as a whole: its transaction stores nothing, no rejection goes unheard, and the
 * next relay stores exactly the matches the brute force keeps, as if none had failed.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeNetworkCsv } from '../../src/db/synthetic-network';
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { DEFAULT_WEIGHTS } from '../../src/matching/components/registry';
import { IMPORT_CHALLENGE_BATCH, IMPORT_MATCH_BATCH } from '../../src/subscriptions/outbox-relay';
import { EVENT_FLOOR } from '../../src/subscriptions/topics';
import { expectStatesOfBruteForce } from '../helpers/brute-force';
import { startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  t = await startTestServer();
  process.on('unhandledRejection', onUnhandled);
}, 60_000);
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await t?.stop();
});

const count = async (sql: string): Promise<number> => ((await t.db.dataSource.query(sql)) as { n: number }[])[0].n;

/** Nothing waits in the outbox, and every challenge's stored states are the brute force's; the pairs compared. */
async function expectAllRelayedAsBruteForce(): Promise<number> {
  expect(await count('SELECT count(*)::int AS n FROM outbox WHERE relayed_seq IS NULL')).toBe(0);
  const challenges: { id: string }[] = await t.db.dataSource.query('SELECT id FROM challenge ORDER BY id');
  const pairs = await expectStatesOfBruteForce(
    t.db.dataSource,
    challenges.map((c) => c.id),
    DEFAULT_WEIGHTS,
    EVENT_FLOOR,
  );
  expect(pairs).toBeGreaterThan(20);
  return pairs;
}

describe('a relay that fails inside an import', () => {
  it('stores what failed on the next relay, exactly as the brute force keeps it', async () => {
    // The first statement storing matches fails, once: the workers are matching the next slice then
    // (the import's challenges, two slices of them: its stakeholders were relayed before them).
    await t.db.dataSource.query(`
      CREATE SEQUENCE fail_once_seq;
      CREATE FUNCTION fail_first() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('fail_once_seq') = 1 THEN RAISE EXCEPTION 'simulated failure storing matches'; END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER fail_first BEFORE INSERT ON match_state FOR EACH STATEMENT EXECUTE FUNCTION fail_first();`);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'relay-failure-')), 'net.csv');
    writeNetworkCsv(file, { stakeholders: 5 * IMPORT_MATCH_BATCH, challenges: IMPORT_CHALLENGE_BATCH + 4, seed: 8 });
    // A relay fails after the import's rows committed (the import still returns); a later one relays.
    await importRecords(t.db.dataSource, readRecords(readFileSync(file, 'utf8'), 'csv'));
    await t.live.settle();
    expect(await count('SELECT last_value::int AS n FROM fail_once_seq')).toBeGreaterThan(2);
    const pairs = await expectAllRelayedAsBruteForce();
    // Every stored pair was news once: a new network has no earlier states.
    expect(await count('SELECT count(*)::int AS n FROM match_event')).toBe(pairs);
    await new Promise((r) => setImmediate(r));
    expect(unhandled).toEqual([]);
  }, 120_000);

  it('fails, heard, when the workers fail on the slice matched ahead; the next relay stores it all', async () => {
    const pool = t.live.index.ranker!;
    let calls = 0;
    // The second task the workers get is the next slice, matched while the first one is stored.
    const failSecond = <T>(run: () => Promise<T>) =>
      ++calls === 2 ? Promise.reject(new Error('simulated worker failure')) : run();
    t.live.index.ranker = {
      threads: pool.threads,
      rank: (task) => failSecond(() => pool.rank(task)),
      matchRows: (task) => failSecond(() => pool.matchRows(task)),
      stop: () => pool.stop(),
    };
    try {
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'relay-failure-')), 'net.csv');
      writeNetworkCsv(file, { stakeholders: 3 * IMPORT_MATCH_BATCH, challenges: IMPORT_CHALLENGE_BATCH + 4, seed: 9 });
      await importRecords(t.db.dataSource, readRecords(readFileSync(file, 'utf8'), 'csv'));
    } finally {
      t.live.index.ranker = pool;
    }
    expect(calls).toBeGreaterThanOrEqual(2); // the failure happened
    await t.live.settle();
    await expectAllRelayedAsBruteForce();
    await new Promise((r) => setImmediate(r));
    expect(unhandled).toEqual([]);
  }, 120_000);
});
