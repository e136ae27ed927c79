import WebSocket from 'ws';
import {
  ChallengePostedDocument,
  MatchesSinceDocument,
  MatchFoundDocument,
  PartnerJoinedDocument,
  SuggestPartnersDocument,
  UpdateStakeholderDocument,
} from '../generated/graphql';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { expectData, startTestServer, TestServer } from '../helpers/server';
import { subscribe, until, wsClient } from '../helpers/ws-client';

let t: TestServer;
let schoolId: string;
let challengeId: string;
const clients: { dispose(): void | Promise<void> }[] = [];

beforeAll(async () => {
  t = await startTestServer();
  ({ School: schoolId } = await createStakeholders(t, [
    { name: 'School', kind: 'SCHOOL', sdgs: [13, 6], educationLevels: [2] },
  ]));
  challengeId = (
    await createChallenge(t, {
      schoolId,
      title: 'Floods',
      sdgs: [13, 6],
      expertiseNeeded: ['Hydrology', 'Sensors'],
      wantedKinds: ['UNIVERSITY', 'GOVERNMENT'],
    })
  ).id;
});
// Each test starts with no subscription on the server: `until(() => t.live.size >= 1)` then means
// that the test's own subscription holds, not one that an earlier test stopped a moment ago.
afterEach(async () => {
  for (const c of clients.splice(0)) await c.dispose();
  await until(() => t.live.size === 0, { what: "the server has ended every subscription of the test's clients" });
});
afterAll(() => t?.stop());

function client() {
  const c = wsClient(t.server.url);
  clients.push(c);
  return c;
}

const strong = (name: string, km = 5) => ({
  name,
  kind: 'UNIVERSITY' as const,
  sdgs: [13, 6],
  expertise: ['Hydrology', 'Sensors'],
  location: north(km),
});

describe('matchFound', () => {
  it('pushes a new fitting partner once, with the same score and reasons as suggestPartners', async () => {
    const sub = subscribe(client(), MatchFoundDocument, { challengeId });
    await until(() => t.live.size >= 1);
    const { 'Uni A': uniA } = await createStakeholders(t, [strong('Uni A')]);
    const [first] = await sub.waitFor(1);
    const match = first.data!.matchFound;
    expect(match.stakeholder).toEqual({ id: uniA, name: 'Uni A', kind: 'UNIVERSITY' });
    expect(match.eventCursor).toEqual(expect.any(String));
    const suggested = expectData(
      await t.request(SuggestPartnersDocument, { challengeId, first: 50 }),
    ).suggestPartners.edges.find((e) => e.node.stakeholder.id === uniA)!.node;
    expect(match.score).toBeCloseTo(suggested.score, 12);
    expect(match.breakdown).toEqual(suggested.breakdown);
    expect(match.reasons).toEqual(suggested.reasons);

    // An unrelated edit does not make the match new again; a weak newcomer stays below minScore.
    expectData(
      await t.admin(UpdateStakeholderDocument, { id: uniA, input: { description: 'Now with a description' } }),
    );
    await createStakeholders(t, [{ name: 'Weak', kind: 'UNIVERSITY', sdgs: [6], expertise: [], location: north(45) }]);
    await createStakeholders(t, [strong('Uni B', 8)]);
    const results = await sub.waitFor(2);
    expect(results.map((r) => r.data!.matchFound.stakeholder.name)).toEqual(['Uni A', 'Uni B']);
    sub.stop();
  });

  it('fires when an edit lifts a stakeholder over the threshold', async () => {
    const { Rising: rising } = await createStakeholders(t, [
      { name: 'Rising', kind: 'GOVERNMENT', sdgs: [6], expertise: [], location: north(40) },
    ]);
    const sub = subscribe(client(), MatchFoundDocument, { challengeId, minScore: 0.6 });
    await until(() => t.live.size >= 1);
    expectData(
      await t.admin(UpdateStakeholderDocument, {
        id: rising,
        input: { sdgs: [13, 6], expertise: ['Hydrology', 'Sensors'], location: north(3) },
      }),
    );
    const [r] = await sub.waitFor(1);
    expect(r.data!.matchFound.stakeholder.name).toBe('Rising');
    expect(r.data!.matchFound.score).toBeGreaterThanOrEqual(0.6);
    sub.stop();
  });

  it('answers an unknown challenge with NOT_FOUND instead of a silent stream', async () => {
    const sub = subscribe(client(), MatchFoundDocument, { challengeId: '00000000-0000-4000-8000-000000000000' });
    await sub.completed;
    expect(sub.results[0].errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });

  it('refuses a minScore below the stored floor', async () => {
    const sub = subscribe(client(), MatchFoundDocument, { challengeId, minScore: 0.1 });
    await sub.completed;
    expect(sub.results[0].errors?.[0]).toMatchObject({
      message: 'minScore must be between 0.3 and 1, got 0.1',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('computes a match once per event, however many subscribe to the challenge', async () => {
    const subs = Array.from({ length: 5 }, () => subscribe(client(), MatchFoundDocument, { challengeId }));
    await until(() => t.live.size >= 5);
    t.db.resetQueries();
    const { 'Uni C': uniC } = await createStakeholders(t, [strong('Uni C', 6)]);
    for (const s of subs) expect((await s.waitFor(1))[0].data!.matchFound.stakeholder.id).toBe(uniC);
    // Scored once, on the match index: no ranking statement reaches PostgreSQL at all.
    const scoring = t.db.queries.filter((q) => /WITH me AS|WITH ch AS/.test(q));
    const reads = t.db.queries.filter((q) => /FROM match_event e WHERE seq BETWEEN/.test(q));
    expect(scoring).toHaveLength(0);
    expect(reads).toHaveLength(1);
    // The five subscribers resolve `challenge { id }` through one loader set: one statement.
    expect(t.db.queries.filter((q) => /FROM "challenge" "Challenge"/.test(q))).toHaveLength(1);
    const [{ n }]: { n: number }[] = await t.db.dataSource.query(
      'SELECT count(*)::int AS n FROM match_event WHERE stakeholder_id = $1',
      [uniC],
    );
    expect(n).toBe(1);
    for (const s of subs) s.stop();
  });
});

describe('catch-up', () => {
  it('gives a client that was away every match it missed, by cursor and by time', async () => {
    const before = new Date();
    const sub = subscribe(client(), MatchFoundDocument, { challengeId });
    await until(() => t.live.size >= 1);
    await createStakeholders(t, [strong('Seen', 4)]);
    const [seen] = await sub.waitFor(1);
    const cursor = seen.data!.matchFound.eventCursor!;
    sub.stop();
    await until(() => t.live.size === 0);

    // Offline: two fitting partners join.
    await createStakeholders(t, [strong('Missed 1', 7), strong('Missed 2', 9)]);

    const resumed = subscribe(client(), MatchFoundDocument, { challengeId, after: cursor });
    const replay = await resumed.waitFor(2);
    expect(replay.map((r) => r.data!.matchFound.stakeholder.name)).toEqual(['Missed 1', 'Missed 2']);
    // And it goes on live after the replay.
    await createStakeholders(t, [strong('Live again', 2)]);
    expect((await resumed.waitFor(3))[2].data!.matchFound.stakeholder.name).toBe('Live again');
    resumed.stop();

    const byTime = expectData(
      await t.request(MatchesSinceDocument, { challengeId, since: before.toISOString() }),
    ).matchesSince;
    expect(byTime.map((m) => m.stakeholder.name)).toEqual(['Seen', 'Missed 1', 'Missed 2', 'Live again']);
    const byCursor = expectData(await t.request(MatchesSinceDocument, { challengeId, after: cursor })).matchesSince;
    expect(byCursor.map((m) => m.stakeholder.name)).toEqual(['Missed 1', 'Missed 2', 'Live again']);
  });
});

describe('catch-up without a cap', () => {
  it('gives a subscriber that missed 5,000 matches every one of them in order, then live ones', async () => {
    const sub = subscribe(client(), MatchFoundDocument, { challengeId });
    await until(() => t.live.size >= 1);
    await createStakeholders(t, [strong('Before the gap', 3)]);
    const [first] = await sub.waitFor(1);
    const cursor = first.data!.matchFound.eventCursor!;
    sub.stop();
    await until(() => t.live.size === 0);
    // 5,000 stored matches while it was away (copies of a real one, so their fields resolve).
    await t.db.dataSource.query(
      `INSERT INTO match_event (challenge_id, stakeholder_id, origin, score, previous_score, data)
       SELECT e.challenge_id, e.stakeholder_id, e.origin, e.score, NULL, e.data
       FROM match_event e CROSS JOIN generate_series(1, 5000) WHERE e.seq = (SELECT max(seq) FROM match_event)`,
    );
    const [{ max }]: { max: number }[] = await t.db.dataSource.query('SELECT max(seq)::int AS max FROM match_event');
    const resumed = subscribe(client(), MatchFoundDocument, { challengeId, after: cursor });
    const replay = await resumed.waitFor(5000, 60_000);
    const seqs = replay.map((r) => Buffer.from(r.data!.matchFound.eventCursor!, 'base64url').toString());
    expect(seqs).toHaveLength(5000);
    expect(seqs[seqs.length - 1]).toBe(`e|${max}`);
    const numbers = seqs.map((x) => Number(x.split('|')[1]));
    expect(numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1)).toBe(true);
    await createStakeholders(t, [strong('After the gap', 2)]);
    expect((await resumed.waitFor(5001))[5000].data!.matchFound.stakeholder.name).toBe('After the gap');
    resumed.stop();
  }, 90_000);
});

describe('partnerJoined and challengePosted', () => {
  it('pushes each new stakeholder that passes a saved search', async () => {
    const sub = subscribe(client(), PartnerJoinedDocument, {
      filter: { kinds: ['RESEARCH_INSTITUTE'], near: { ...north(0), radiusKm: 20 }, sdgs: [9] },
    });
    await until(() => t.live.size >= 1);
    await createStakeholders(t, [
      { name: 'Far institute', kind: 'RESEARCH_INSTITUTE', sdgs: [9], location: north(60) },
      { name: 'Newsroom', kind: 'MEDIA', sdgs: [9], location: north(1) },
      { name: 'Near institute', kind: 'RESEARCH_INSTITUTE', sdgs: [9, 3], location: north(10) },
    ]);
    const [r] = await sub.waitFor(1);
    expect(r.data!.partnerJoined).toMatchObject({ name: 'Near institute', kind: 'RESEARCH_INSTITUTE' });
    // Nothing else was pushed: events arrive in order, so the next one is a later stakeholder that passes.
    await createStakeholders(t, [
      { name: 'Later institute', kind: 'RESEARCH_INSTITUTE', sdgs: [9], location: north(5) },
    ]);
    const names = (await sub.waitFor(2)).map((x) => x.data!.partnerJoined.name);
    expect(names).toEqual(['Near institute', 'Later institute']);
    sub.stop();
  });

  it('pushes a new challenge to the stakeholders it fits', async () => {
    const { Hydrolab: lab } = await createStakeholders(t, [
      { name: 'Hydrolab', kind: 'RESEARCH_INSTITUTE', sdgs: [14], expertise: ['Marine biology'], location: north(5) },
    ]);
    const sub = subscribe(client(), ChallengePostedDocument, { stakeholderId: lab });
    await until(() => t.live.size >= 1);
    await createChallenge(t, { schoolId, title: 'Unrelated', sdgs: [4], expertiseNeeded: ['Journalism'] });
    const fitting = await createChallenge(t, {
      schoolId,
      title: 'Plastic in the river',
      sdgs: [14],
      expertiseNeeded: ['Marine biology'],
    });
    const [r] = await sub.waitFor(1);
    expect(r.data!.challengePosted.challenge).toEqual({ id: fitting.id, title: 'Plastic in the river' });
    expect(r.data!.challengePosted.reasons).toContain('Knows marine biology');
    sub.stop();
  });
});

describe('robustness', () => {
  it('closes a connection that never sends connection_init', async () => {
    const ws = new WebSocket(t.server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(4408);
  });

  it('completes subscriptions cleanly when the server stops', async () => {
    const other = await startTestServer();
    try {
      const c = wsClient(other.server.url);
      clients.push(c);
      const closed = new Promise<number>((resolve) => c.on('closed', (e) => resolve((e as { code: number }).code)));
      const sub = subscribe(c, MatchFoundDocument, { challengeId: (await createChallengeOn(other)).id });
      await until(() => other.live.size >= 1);
      await other.server.stop();
      expect(await closed).toBe(1001);
      expect(other.live.size).toBe(0);
      sub.stop();
    } finally {
      await other.stop();
    }
  });
});

async function createChallengeOn(s: TestServer) {
  const { School: school } = await createStakeholders(s, [{ name: 'School', kind: 'SCHOOL', sdgs: [13] }]);
  return createChallenge(s, { schoolId: school, title: 'T', sdgs: [13], expertiseNeeded: [] });
}
