/**
 * Resuming subscriptions (`after:` a cursor) replay every missed match, but only as fast as the
 * subscriber reads, in its caller's turns, and with pages shared between subscribers resuming from
 * one place: many resumed subscriptions that stop reading or go away cost a page, not the history.
 */
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { startTestServer, TestServer } from '../helpers/server';
import { countReplayPageReads } from '../helpers/replay-reads';
import { quiet, until } from '../helpers/until';
import { createWorkLimiter } from '../../src/graphql/work-limiter';
import { EVENT_FLOOR } from '../../src/subscriptions/topics';
import { REPLAY_PAGE } from '../../src/subscriptions/replay';

let t: TestServer;
let challengeId: string;
let firstSeq: number;
const STORED = 3 * REPLAY_PAGE + 7;
let pages = { reads: 0 };
/** Stored events after firstSeq: the copies, and any other match the scene made. */
let missed: number;

beforeAll(async () => {
  t = await startTestServer();
  const { School } = await createStakeholders(t, [{ name: 'School', kind: 'SCHOOL', sdgs: [13, 6] }]);
  challengeId = (
    await createChallenge(t, {
      schoolId: School,
      title: 'Floods',
      sdgs: [13, 6],
      expertiseNeeded: ['Hydrology'],
      wantedKinds: ['UNIVERSITY'],
    })
  ).id;
  await createStakeholders(t, [
    { name: 'Uni', kind: 'UNIVERSITY', sdgs: [13, 6], expertise: ['Hydrology'], location: north(3) },
  ]);
  // The write is answered before its relay stores its match events.
  await t.live.relayedOwn();
  [{ seq: firstSeq }] = await t.db.dataSource.query<{ seq: number }[]>(
    'SELECT min(seq)::int AS seq FROM match_event WHERE challenge_id = $1',
    [challengeId],
  );
  await t.db.dataSource.query(
    `INSERT INTO match_event (challenge_id, stakeholder_id, origin, score, previous_score, data)
     SELECT e.challenge_id, e.stakeholder_id, e.origin, e.score, NULL, e.data
     FROM match_event e CROSS JOIN generate_series(1, $2) WHERE e.seq = $1`,
    [firstSeq, STORED],
  );
  [{ missed }] = await t.db.dataSource.query<{ missed: number }[]>(
    'SELECT count(*)::int AS missed FROM match_event WHERE challenge_id = $1 AND seq > $2',
    [challengeId, firstSeq],
  );
  pages = countReplayPageReads(t.db.dataSource);
});
afterAll(async () => {
  jest.restoreAllMocks();
  await t?.stop();
});
beforeEach(() => (pages.reads = 0));

// Each test resumes from its own place: pages are shared for a while, also across tests.
const resume = (after: number, turn?: () => { ready: Promise<void>; release(): void }) =>
  t.live.matches({ challengeId, minScore: EVENT_FLOOR, afterSeq: firstSeq + after, turn });

/** Takes the next `n` deliveries of a stream (each of them: a stream that ends first fails the test). */
async function take<T>(stream: AsyncIterator<T>, n: number): Promise<T[]> {
  const taken: T[] = [];
  for (let i = 0; i < n; i++) {
    const next = await stream.next();
    if (next.done) throw new Error(`the stream ended after ${i} of ${n} deliveries`);
    taken.push(next.value);
  }
  return taken;
}

describe('replaying what a subscriber missed', () => {
  it('reads a page only when the subscriber has taken the one before, and none once it has left', async () => {
    const subscriptions = t.live.size;
    const stream = resume(0);
    // No page is read before the subscriber takes an event (an absence: nothing to await).
    await quiet(20);
    expect(pages.reads).toBe(0);
    const first = await take(stream, 1);
    expect(first[0].value.seq).toBe(firstSeq + 1);
    expect(pages.reads).toBe(1);
    await take(stream, REPLAY_PAGE - 1);
    expect(pages.reads).toBe(1);
    const next = await take(stream, 1);
    expect(next[0].value.seq).toBe(firstSeq + REPLAY_PAGE + 1);
    expect(pages.reads).toBe(2);
    await stream.return!();
    await until(() => t.live.size === subscriptions, { what: 'the subscriber that left is unregistered' });
    // ...and no page is read after it left.
    await quiet(20);
    expect(pages.reads).toBe(2);
  });

  it('gives subscribers resuming from one place the same events, read once', async () => {
    const a = resume(1);
    const b = resume(1);
    const [fromA] = await take(a, 1);
    const [fromB] = await take(b, 1);
    // The same object: its selection is executed once per view for both (shared-execution.ts).
    expect(fromB).toBe(fromA);
    expect(pages.reads).toBe(1);
    const restA = await take(a, missed - 2);
    const restB = await take(b, missed - 2);
    expect(restB.map((d) => d.value.seq)).toEqual(restA.map((d) => d.value.seq));
    expect(restA.every((d, i) => d.value.seq > (i ? restA[i - 1].value.seq : fromA.value.seq))).toBe(true);
    expect(pages.reads).toBe(Math.ceil((missed - 1) / REPLAY_PAGE));
    await a.return!();
    await b.return!();
  });

  it("replays in the caller's turns: the next resumed subscription starts when one ends or leaves", async () => {
    const limiter = createWorkLimiter({ concurrency: 1 });
    const turn = () => limiter.hold('one-caller');
    const first = resume(2, turn);
    await take(first, 1);
    const second = resume(2, turn);
    let started = false;
    const pending = second.next().then((r) => ((started = true), r));
    // The second does not start while the first holds the turn (an absence: nothing to await).
    await quiet(20);
    expect(started).toBe(false);
    // The first replays to its end (and goes on live): its turn passes on.
    await take(first, missed - 3);
    const afterReplay = first.next();
    await pending;
    expect(started).toBe(true);
    // A third waits behind the second, and leaving while waiting costs nothing.
    const third = resume(2, turn);
    const waiting = third.next();
    const reads = pages.reads;
    await third.return!();
    await expect(waiting).resolves.toEqual({ value: undefined, done: true });
    expect(pages.reads).toBe(reads);
    await second.return!();
    await first.return!();
    await afterReplay;
  });
});
