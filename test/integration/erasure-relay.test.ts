/**
 * A relay behind an erasure (its index still holds the stakeholder: the erasure's change is still
 * to relay) stores no match about the erased, and the erasure's own relay forgets any it finds:
 * after both, no state and no event names the erased stakeholder, while a partner beside it that
 * fits the same challenge is matched as before (the relay did match that challenge). What a relay
 * open while the erasure committed stored in between is never told.
 */
import { eraseStakeholder } from '../../src/domain/stakeholder/stakeholder.service';
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { loadMatchIndex } from '../../src/matching/index/load-index';
import { MatchIndex } from '../../src/matching/index/match-index';
import { startRankPool } from '../../src/matching/workers/rank-pool';
import { applyChange, relayOutbox } from '../../src/subscriptions/outbox-relay';
import { readEvents, readRange } from '../../src/subscriptions/match-events';
import { buildSchema } from '../../src/graphql/build-schema';
import { Role } from '../../src/domain/access/role';
import { WebhookEventType } from '../../src/domain/webhook/webhook.entity';
import { createPayloadBuilder } from '../../src/webhooks/webhook-payload';
import { createTestDatabase, TestDatabase } from '../helpers/database';

let db: TestDatabase;
let index: MatchIndex;

beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(async () => {
  await index?.ranker?.stop();
  await db?.drop();
});

const PLACE = { city: 'Leuven', countryCode: 'BE', sdgs: [6, 13], expertise: ['Water quality'] };
const importAll = async (rows: object[]) => {
  const report = await importRecords(db.dataSource, readRecords(JSON.stringify(rows), 'json'));
  expect(report.errors).toEqual([]);
};
const idOf = async (externalId: string) =>
  (
    (await db.dataSource.query('SELECT id FROM stakeholder WHERE external_id = $1', [externalId])) as {
      id: string;
    }[]
  )[0].id;

/** Relays every pending change on `index`, each applied to it first (as a relaying instance does). */
async function relayAll() {
  for (;;) {
    const relayed = await relayOutbox(db.dataSource, index, (c) => applyChange(index, db.dataSource, c));
    if (!relayed?.relayed.length) return;
  }
}

const matchRows = async (stakeholderId: string) =>
  (
    (await db.dataSource.query(
      `SELECT (SELECT count(*) FROM match_state WHERE stakeholder_id = $1)::int AS states,
         (SELECT count(*) FROM match_event WHERE stakeholder_id = $1)::int AS events`,
      [stakeholderId],
    )) as { states: number; events: number }[]
  )[0];

const challengeId = async () =>
  ((await db.dataSource.query("SELECT id FROM challenge WHERE external_id = 'water'")) as { id: string }[])[0].id;

describe('a relay behind an erasure', () => {
  let erased = '';
  let kept = '';

  beforeAll(async () => {
    await importAll([
      { externalId: 'sch', kind: 'SCHOOL', name: 'Leuven school', ...PLACE },
      {
        externalId: 'lab-a',
        kind: 'UNIVERSITY',
        name: 'Water lab A',
        underservedContexts: ['SOCIO_ECONOMIC'],
        ...PLACE,
      },
      { externalId: 'lab-b', kind: 'UNIVERSITY', name: 'Water lab B', ...PLACE },
    ]);
    index = await loadMatchIndex(db.dataSource);
    index.ranker = await startRankPool({ threads: 1 });
    await relayAll();
    [erased, kept] = [await idOf('lab-a'), await idOf('lab-b')];
  });

  it('stores no match about a stakeholder erased while it relays (the erasure’s change not in its batch)', async () => {
    await importAll([
      {
        record: 'challenge',
        externalId: 'water',
        schoolExternalId: 'sch',
        title: 'Clean river',
        sdgs: [6, 13],
        expertiseNeeded: ['Water quality'],
      },
    ]);
    // The erasure commits once the relay has read its batch (the challenge's change alone).
    const relayed = await relayOutbox(db.dataSource, index, async (c) => {
      await applyChange(index, db.dataSource, c);
      await eraseStakeholder(db.dataSource.manager, erased);
    });
    expect(relayed?.relayed.map((r) => r.change?.kind)).toEqual(['challenges']);
    expect(index.alive[index.rowOf(erased)]).toBe(1);
    expect(await matchRows(kept)).toEqual({ states: 1, events: 1 });
    expect(await matchRows(erased)).toEqual({ states: 0, events: 0 });
  });

  it('never tells what a relay racing the erasure stored, and forgets it once the erasure is relayed', async () => {
    // What a relay open while the erasure committed leaves behind (its statement saw the row as it was).
    const challenge = await challengeId();
    const [{ seq }]: { seq: string }[] = await db.dataSource.query(
      `WITH s AS (INSERT INTO match_state (challenge_id, stakeholder_id, score, best) VALUES ($1, $2, 0.8, 0.8))
       INSERT INTO match_event (challenge_id, stakeholder_id, origin, score, data)
       VALUES ($1, $2, 'CHALLENGE_POSTED', 0.8, '{}') RETURNING seq`,
      [challenge, erased],
    );
    // Read back, replayed or pushed: not told.
    expect(await readEvents(db.dataSource, { stakeholderId: erased, minScore: 0, limit: 10 })).toEqual([]);
    expect(await readEvents(db.dataSource, { challengeId: challenge, minScore: 0, limit: 10 })).toEqual([
      expect.objectContaining({ stakeholderId: kept }),
    ]);
    expect(await readRange(db.dataSource, Number(seq), Number(seq), [challenge], [erased])).toEqual([]);
    // Posted: no webhook body is rendered for it (its delivery fails for good, as for a deleted event).
    const build = createPayloadBuilder(await buildSchema(), db.dataSource, () => {
      throw new Error('a body was rendered for an event about an erased stakeholder');
    });
    const admin = { role: Role.ADMIN, hubIds: [], allowedOrigins: [] };
    const source = { eventType: WebhookEventType.MATCH_FOUND, subject: { seq: Number(seq), challengeId: challenge } };
    expect(await build(source, admin)).toEqual({ gone: 'the event’s record no longer exists' });
    await relayAll();
    expect(index.alive[index.rowOf(erased)]).toBe(0);
    expect(await matchRows(erased)).toEqual({ states: 0, events: 0 });
    expect(await matchRows(kept)).toEqual({ states: 1, events: 1 });
  });
});
