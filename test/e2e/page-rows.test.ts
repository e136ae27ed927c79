/**
 * Suggestion pages from memory: the rows a page shows (partners, their school, tag labels) are
 * served without SQL once read, and a write is on the next page of every instance — the relayed
 * change that updates the index forgets the row in the same step.
 */
import { SuggestPartnerNamesDocument, UpdateStakeholderDocument } from '../generated/graphql';
import { createChallenge, createStakeholders } from '../helpers/network';
import { expectData, startTestServer, TestServer } from '../helpers/server';
import { until } from '../helpers/until';

let first: TestServer;
let second: TestServer;

beforeAll(async () => {
  first = await startTestServer();
  second = await startTestServer({ sameDatabaseAs: first });
}, 60_000);
afterAll(async () => {
  await second?.stop();
  await first?.stop();
});

const names = async (t: TestServer, challengeId: string) =>
  expectData(await t.request(SuggestPartnerNamesDocument, { challengeId })).suggestPartners.edges.map(
    (e) => e.node.stakeholder.name,
  );

describe('suggestion pages', () => {
  it('are served from memory, and show a write on the next page of every instance', async () => {
    const ids = await createStakeholders(first, [
      { name: 'Scheldt School', kind: 'SCHOOL', sdgs: [6, 14] },
      { name: 'Delta Lab', kind: 'RESEARCH_INSTITUTE', sdgs: [6, 14], expertise: ['hydrology'] },
      { name: 'River Watch', kind: 'CIVIL_SOCIETY', sdgs: [14], expertise: ['water-quality'] },
    ]);
    const challenge = await createChallenge(first, {
      schoolId: ids['Scheldt School'],
      title: 'Clean river',
      sdgs: [6, 14],
      expertiseNeeded: ['hydrology', 'water-quality'],
    });
    await until(() => second.live.index.challenges.has(challenge.id), {
      what: 'the challenge reached the second instance',
    });
    for (const t of [first, second])
      expect((await names(t, challenge.id)).sort()).toEqual(['Delta Lab', 'River Watch']);

    // Ranked in the service's worker pool, not on the request thread.
    const pool = first.live.index.ranker!;
    const rank = pool.rank.bind(pool);
    let ranked = 0;
    pool.rank = (task) => (ranked++, rank(task));
    await names(first, challenge.id);
    expect(ranked).toBe(1);
    pool.rank = rank;

    // Read once, a page sends no SQL at all: ranking in the workers, rows and labels from memory
    // (the counter sees the first instance's pool).
    first.db.queries.length = 0;
    await names(first, challenge.id);
    expect(first.db.queries).toEqual([]);

    // A write shows on the writer's next page at once (read-your-writes), and on the other's as soon as
    // it has caught up with the outbox — never the remembered row.
    expectData(
      await first.admin(UpdateStakeholderDocument, { id: ids['Delta Lab'], input: { name: 'Delta Water Lab' } }),
    );
    expect((await names(first, challenge.id)).sort()).toEqual(['Delta Water Lab', 'River Watch']);
    await until(async () => (await names(second, challenge.id)).includes('Delta Water Lab'), {
      what: 'the second instance shows the new name',
    });
    expect((await names(second, challenge.id)).sort()).toEqual(['Delta Water Lab', 'River Watch']);
  }, 60_000);
});
