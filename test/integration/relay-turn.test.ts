/**
 * The relay's turn and its match lock (the lock that keeps events committing in seq order) are one
 * statement: the lock is held from the moment a relay has its turn, taken once a turn however
 * many slices an import's change holds, and never waited for by an instance that has no turn.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { writeNetworkCsv } from '../../src/db/synthetic-network';
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { loadMatchIndex } from '../../src/matching/index/load-index';
import { MatchIndex } from '../../src/matching/index/match-index';
import { startRankPool } from '../../src/matching/workers/rank-pool';
import { appendOutbox } from '../../src/domain/outbox';
import { inTransaction } from '../../src/domain/unit-of-work';
import {
  applyChange,
  IMPORT_MATCH_BATCH,
  RELAY_BATCH,
  relayedUpTo,
  relayOutbox,
} from '../../src/subscriptions/outbox-relay';
import { ChangeFeed } from '../../src/subscriptions/change-feed';
import { createLocalBus } from '../../src/subscriptions/event-bus';
import { BusMessage } from '../../src/subscriptions/topics';
import { silentLogger } from '../../src/log/logger';
import { until } from '../helpers/until';
import { createTestDatabase, TestDatabase } from '../helpers/database';

let db: TestDatabase;
let index: MatchIndex;

beforeAll(async () => {
  db = await createTestDatabase();
  // No service runs on this database: only this file's relays take turns.
  index = await loadMatchIndex(db.dataSource);
  index.ranker = await startRankPool({ threads: 2 });
}, 60_000);
afterAll(async () => {
  await index?.ranker?.stop();
  await db?.drop();
});

/** Sessions holding the match lock now, in this test's database (other files' relays run beside it). */
const holders = async (): Promise<number> =>
  (
    (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 7301406 AND granted
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    )) as { n: number }[]
  )[0].n;

describe("the relay's turn", () => {
  it('holds the match lock from its first statement, taken once a turn for all of an import’s slices', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'relay-turn-')), 'net.csv');
    writeNetworkCsv(file, { stakeholders: 3 * IMPORT_MATCH_BATCH, challenges: 6, seed: 11 });
    // Written, not relayed: nothing is set to relay on this database.
    const report = await importRecords(db.dataSource, readRecords(readFileSync(file, 'utf8'), 'csv'));
    expect(report.failed).toBe(0);
    db.resetQueries();
    const heldWhenApplied: number[] = [];
    let turns = 0;
    while (
      (
        await relayOutbox(db.dataSource, index, async (change) => {
          heldWhenApplied.push(await holders());
          await applyChange(index, db.dataSource, change);
        })
      )?.relayed.length
    )
      turns += 1;
    // Each change is applied inside a turn, the lock held by that turn already (one session: ours).
    expect(heldWhenApplied.length).toBeGreaterThanOrEqual(2);
    expect(new Set(heldWhenApplied)).toEqual(new Set([1]));
    // The stakeholders' change alone is three slices; the lock is in the turn's statement, and nowhere else.
    const locking = db.queries.filter((q) => q.includes('pg_advisory_xact_lock'));
    expect(locking).toHaveLength(turns + 1);
    expect(locking.every((q) => q.includes('FOR UPDATE SKIP LOCKED'))).toBe(true);
    const [{ events }]: { events: number }[] = await db.dataSource.query(
      'SELECT count(*)::int AS events FROM match_event',
    );
    expect(events).toBeGreaterThan(0);
    expect(await holders()).toBe(0);
  }, 120_000);

  it('is passed over, not waited for, while another instance relays', async () => {
    await inTransaction(
      db.dataSource.manager,
      (m) => appendOutbox(m, { kind: 'track-prior', tenths: 5, observations: 1 }),
      {
        relay: false,
      },
    );
    // Another instance in the middle of its relay: it holds the turn and the match lock.
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT relayed FROM outbox_relay WHERE id = 1 FOR UPDATE');
      await other.query('SELECT pg_advisory_xact_lock(7301406)');
      // Had this relay asked for the lock before its turn, it would wait here until the other commits.
      await expect(relayOutbox(db.dataSource, index, () => Promise.resolve())).resolves.toBeUndefined();
      await other.query('COMMIT');
    } finally {
      await other.end();
    }
    const relayed = await relayOutbox(db.dataSource, index, () => Promise.resolve());
    expect(relayed?.relayed.map((r) => r.change?.kind)).toEqual(['track-prior']);
  }, 60_000);
});

describe('a relay that another relay overtook', () => {
  const pendingSeqs = async () =>
    (
      (await db.dataSource.query('SELECT seq FROM outbox WHERE relayed_seq IS NULL ORDER BY seq')) as {
        seq: string;
      }[]
    ).map((r) => r.seq);

  it('never numbers a change again that another relay numbered meanwhile: it is undone whole', async () => {
    await inTransaction(
      db.dataSource.manager,
      (m) => appendOutbox(m, { kind: 'track-prior', tenths: 6, observations: 2 }),
      { relay: false },
    );
    const [seq] = await pendingSeqs();
    const before: unknown = await db.dataSource.query('SELECT relayed FROM outbox_relay WHERE id = 1');
    // While this relay applies the change, another (one that read the changes before this one
    // took the turn) numbers it and commits.
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await expect(
        relayOutbox(db.dataSource, index, async () => {
          await other.query('UPDATE outbox SET relayed_seq = 900000 WHERE seq = $1', [seq]);
        }),
      ).rejects.toThrow('relay undone: 1 of its changes were numbered by another relay');
    } finally {
      await other.end();
    }
    // Its numbers stand; the turn's cursor did not move.
    expect(await db.dataSource.query('SELECT relayed_seq FROM outbox WHERE seq = $1', [seq])).toEqual([
      { relayed_seq: '900000' },
    ]);
    expect(await db.dataSource.query('SELECT relayed FROM outbox_relay WHERE id = 1')).toEqual(before);
    await db.dataSource.query('UPDATE outbox SET relayed_seq = NULL WHERE seq = $1', [seq]);
    expect((await relayOutbox(db.dataSource, index, () => Promise.resolve()))?.relayed.length).toBe(1);
  }, 60_000);

  it('announces the batches it committed when a later batch fails', async () => {
    const bus = createLocalBus();
    const heard: BusMessage[] = [];
    bus.subscribe((m) => heard.push(m));
    let hooked = 0;
    let woken = 0;
    const feed = new ChangeFeed(db.dataSource, bus, silentLogger, () => ({}), index, {
      pollMs: 0,
      // The first change of the second batch fails in the relay's transaction.
      onRelayed: async () => {
        if (hooked++ === RELAY_BATCH) throw new Error('a hook failed');
      },
      afterRelay: () => woken++,
    });
    await feed.start(await relayedUpTo(db.dataSource));
    try {
      await inTransaction(
        db.dataSource.manager,
        async (m) => {
          for (let k = 0; k < RELAY_BATCH + 5; k++)
            await appendOutbox(m, { kind: 'track-prior', tenths: 5, observations: k });
        },
        { relay: false },
      );
      await expect(feed.settle()).rejects.toThrow('a hook failed');
      expect(await pendingSeqs()).toHaveLength(5);
      await until(() => heard.length > 0);
      expect(heard).toEqual([{ kind: 'outbox', from: expect.any(String) }]);
      expect(woken).toBe(1);
    } finally {
      await feed.close();
    }
  }, 60_000);
});
