/**
 * Spread by room: open invitations take up a partner's room as accepted partnerships do
 * (availability.ts). A partner asked as often as it can take on is not suggested elsewhere until
 * an answer frees room; the live index follows through the outbox; reasons say the room left.
 */
import {
  InvitePartnerDocument,
  RespondToInvitationDocument,
  SuggestReasonsDocument,
  WithdrawInvitationDocument,
} from '../generated/graphql';
import { bruteForce } from '../helpers/brute-force';
import { DEFAULT_WEIGHTS } from '../../src/matching/components/registry';
import { roomOf } from '../../src/matching/availability';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

describe('room', () => {
  it.each([
    [3, 0, 3],
    [3, 2, 1],
    [2, 2, 0],
    [1, 3, 0],
    [0, 0, 0],
  ])('capacity %p with %p taken leaves %p', (capacity, taken, room) => {
    expect(roomOf(capacity, taken)).toBe(room);
  });
});

describe('a partner’s room in the ranking', () => {
  it('counts open invitations: a partner asked to capacity waits; an answer or a withdrawal frees room', async () => {
    const ids = await createStakeholders(t, [
      { name: 'School', kind: 'SCHOOL', sdgs: [6], location: north(0) },
      { name: 'Busy lab', kind: 'UNIVERSITY', sdgs: [6], capacity: 2, location: north(2) },
      { name: 'Free lab', kind: 'UNIVERSITY', sdgs: [6], capacity: 2, location: north(4) },
    ]);
    const [mine, a, b] = await Promise.all(
      ['Mine', 'A', 'B'].map((title) =>
        createChallenge(t, { schoolId: ids.School, title, sdgs: [6], expertiseNeeded: [] }),
      ),
    );
    const page = async () => {
      const edges = expectData(await t.request(SuggestReasonsDocument, { challengeId: mine.id, lang: 'EN' }))
        .suggestPartners.edges;
      return new Map(edges.map((e) => [e.node.stakeholder.id, e.node.reasons]));
    };
    const sameAsBruteForce = async () => {
      const reference = (await bruteForce(t.db.dataSource, mine.id, DEFAULT_WEIGHTS)).map((r) => r.id);
      expect([...(await page()).keys()].sort()).toEqual(reference.sort());
    };
    expect((await page()).get(ids['Busy lab'])).toContain('Has room for 2 more projects');
    const invite = async (challengeId: string) =>
      expectData(await t.admin(InvitePartnerDocument, { challengeId, stakeholderId: ids['Busy lab'] })).invitePartner
        .id;
    const first = await invite(a.id);
    expect((await page()).get(ids['Busy lab'])).toContain('Has room for 1 more project');
    const second = await invite(b.id);
    // Asked as often as it can take on: no longer suggested; the free lab still is.
    expect((await page()).has(ids['Busy lab'])).toBe(false);
    expect((await page()).has(ids['Free lab'])).toBe(true);
    await sameAsBruteForce();
    // Accepting keeps the room taken; declining or withdrawing the other frees one place.
    expectData(await t.admin(RespondToInvitationDocument, { partnershipId: first, accept: true }));
    expect((await page()).has(ids['Busy lab'])).toBe(false);
    expectData(await t.admin(WithdrawInvitationDocument, { partnershipId: second }));
    expect((await page()).get(ids['Busy lab'])).toContain('Has room for 1 more project');
    await sameAsBruteForce();
    // The live index holds what a fresh load reads.
    const row = t.live.index.rowOf(ids['Busy lab']);
    expect(t.live.index.accepted[row]).toBe(1);
  });
});
