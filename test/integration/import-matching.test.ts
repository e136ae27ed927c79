/**
 * An import's live matching, held to the reference: after a generated network (stakeholders, then
 * more challenges than one relay statement takes) is imported through the domain and relayed, each
 * imported challenge's stored matches are exactly the pairs the brute force keeps at the event
 * floor, with its scores — none lost between batches, none added; each event's explanation is
 * stored without the pair and the score its columns hold. Relaying the same rows again
 * (nothing moved) rewrites no stored state and tells no news.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeNetworkCsv } from '../../src/db/synthetic-network';
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { DEFAULT_WEIGHTS } from '../../src/matching/components/registry';
import { IMPORT_CHALLENGE_BATCH } from '../../src/subscriptions/outbox-relay';
import { toEventRow } from '../../src/subscriptions/match-events';
import { EVENT_FLOOR } from '../../src/subscriptions/topics';
import { expectStatesOfBruteForce } from '../helpers/brute-force';
import { startTestServer, TestServer } from '../helpers/server';
import { appendOutbox } from '../../src/domain/outbox';
import { inTransaction } from '../../src/domain/unit-of-work';

let t: TestServer;
const challenges = 2 * IMPORT_CHALLENGE_BATCH + 3;

beforeAll(async () => {
  t = await startTestServer();
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'import-matching-')), 'net.csv');
  writeNetworkCsv(file, { stakeholders: 2500, challenges, seed: 5 });
  await importRecords(t.db.dataSource, readRecords(readFileSync(file, 'utf8'), 'csv'));
  await t.live.settle();
}, 120_000);
afterAll(() => t?.stop());

describe('an imported network', () => {
  it('stores, for each imported challenge, exactly the matches the brute force keeps', async () => {
    const imported: { id: string }[] = await t.db.dataSource.query(
      `SELECT id FROM challenge WHERE phase <> 'COMPLETED' ORDER BY id`,
    );
    expect(imported.length).toBeGreaterThan(IMPORT_CHALLENGE_BATCH);
    const pairs = await expectStatesOfBruteForce(
      t.db.dataSource,
      imported.map((c) => c.id),
      DEFAULT_WEIGHTS,
      EVENT_FLOOR,
    );
    expect(pairs).toBeGreaterThan(50);
  }, 120_000);

  it('keeps each event’s pair and score in its columns only, and reads its explanation back whole', async () => {
    const [{ events, repeating }]: { events: number; repeating: number }[] = await t.db.dataSource.query(
      `SELECT count(*)::int AS events,
         count(*) FILTER (WHERE data ?| ARRAY['challengeId', 'stakeholderId', 'score'])::int AS repeating
       FROM match_event`,
    );
    expect(events).toBeGreaterThan(50);
    expect(repeating).toBe(0);
    const rows: Parameters<typeof toEventRow>[0][] = await t.db.dataSource.query(
      'SELECT * FROM match_event ORDER BY seq LIMIT 20',
    );
    for (const row of rows) {
      const event = toEventRow(row);
      expect(event.data).toMatchObject({
        challengeId: row.challenge_id,
        stakeholderId: row.stakeholder_id,
        score: row.score,
        kind: expect.any(String),
        components: expect.any(Object),
      });
      // An event stored before, its explanation whole, reads the same.
      expect(toEventRow({ ...row, data: event.data })).toEqual(event);
    }
  });

  it('relayed again with nothing moved, rewrites no stored state and stores no event', async () => {
    const versions = async () =>
      (await t.db.dataSource.query(
        'SELECT challenge_id, stakeholder_id, xmin::text AS version FROM match_state ORDER BY 1, 2',
      )) as { version: string }[];
    const before = await versions();
    const [{ events }]: { events: number }[] = await t.db.dataSource.query(
      'SELECT count(*)::int AS events FROM match_event',
    );
    const ids = async (table: string) =>
      ((await t.db.dataSource.query(`SELECT id FROM ${table} ORDER BY id`)) as { id: string }[]).map((r) => r.id);
    const [challengeIds, stakeholderIds] = [await ids('challenge'), await ids('stakeholder')];
    await inTransaction(t.db.dataSource.manager, async (m) => {
      await appendOutbox(m, { kind: 'challenges', created: [], updated: challengeIds });
      await appendOutbox(m, { kind: 'stakeholders', created: [], updated: stakeholderIds });
    });
    await t.live.settle();
    expect(before.length).toBeGreaterThan(50);
    expect(await versions()).toEqual(before);
    expect(await t.db.dataSource.query('SELECT count(*)::int AS events FROM match_event')).toEqual([{ events }]);
  }, 120_000);
});
