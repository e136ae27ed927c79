/**
 * Edits undone and redone are not news: toggling a challenge's radius (or a partner's profile)
 * back and forth logs its matches once, not once per toggle — a write storm cannot multiply the
 * events every subscriber receives. A pair that reaches a better score than ever is news again.
 */
import { UpdateChallengeDocument } from '../generated/graphql';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

const events = async (challengeId: string) => {
  // A write is answered before its relay stores its events.
  await t.live.relayedOwn();
  const [{ n }]: { n: string }[] = await t.db.dataSource.query(
    'SELECT count(*) AS n FROM match_event WHERE challenge_id = $1',
    [challengeId],
  );
  return Number(n);
};

describe('match events under repeated edits', () => {
  it('logs each pair once however often an edit is undone and redone, and again only for a new best', async () => {
    const { School } = await createStakeholders(t, [{ name: 'School', kind: 'SCHOOL', sdgs: [6], location: north(0) }]);
    await createStakeholders(
      t,
      Array.from({ length: 12 }, (_, i) => ({
        name: `Lab ${i}`,
        kind: 'UNIVERSITY' as const,
        sdgs: [6],
        expertise: ['Hydrology'],
        location: north(20 + i),
      })),
    );
    const c = await createChallenge(t, {
      schoolId: School,
      title: 'Water',
      sdgs: [6],
      expertiseNeeded: ['Hydrology'],
      radiusKm: 50,
    });
    const first = await events(c.id);
    expect(first).toBeGreaterThanOrEqual(12);
    const radius = async (radiusKm: number) =>
      expectData(await t.admin(UpdateChallengeDocument, { id: c.id, input: { radiusKm } }));
    for (let toggle = 0; toggle < 10; toggle++) {
      await radius(5);
      await radius(50);
    }
    expect(await events(c.id)).toBe(first);
    // A wider radius raises every lab's proximity above anything it had: news, once each.
    await radius(150);
    expect(await events(c.id)).toBe(first + 12);
    await radius(50);
    await radius(150);
    expect(await events(c.id)).toBe(first + 12);
  });
});
