/**
 * Stable scores: an hour of random writes elsewhere in the network (invitations, answers either
 * way, completions, edits of other partners, the clock moving) leaves a pair's score where it was;
 * only the scheduled refresh of the track record's prior moves it. Scores come rounded to
 * SCORE_DECIMALS, in the order of the exact scores.
 */
import fc from 'fast-check';
import { startJobs } from '../../src/jobs/job-queue';
import { silentLogger } from '../../src/log/logger';
import {
  refreshTrackPrior,
  scheduleTrackPriorRefresh,
  TRACK_PRIOR_CRON,
  TRACK_PRIOR_QUEUE,
} from '../../src/matching/track-prior-refresh';
import { roundScore, SCORE_DECIMALS } from '../../src/matching/score-precision';
import {
  CompletePartnershipDocument,
  InvitePartnerDocument,
  RespondToInvitationDocument,
  SuggestPartnersDocument,
  UpdateStakeholderDocument,
} from '../generated/graphql';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

/** Writes elsewhere: which other partner and which other challenge each touches, and how. */
const writes = fc.array(
  fc.oneof(
    fc.record({
      op: fc.constantFrom('invite' as const, 'accept' as const, 'decline' as const, 'complete' as const),
      partner: fc.nat(5),
      challenge: fc.nat(2),
      rating: fc.integer({ min: 1, max: 5 }),
    }),
    fc.record({ op: fc.constant('edit' as const), partner: fc.nat(5), capacity: fc.integer({ min: 1, max: 6 }) }),
  ),
  { minLength: 24, maxLength: 24 },
);

describe('a pair’s score between refreshes of the prior', () => {
  it('stays put through an hour of unrelated writes; the scheduled refresh moves it', async () => {
    const partners = ['Lab A', 'Lab B', 'Lab C', 'Lab D', 'Lab E', 'Lab F'];
    const ids = await createStakeholders(t, [
      { name: 'School', kind: 'SCHOOL', sdgs: [6, 13], location: north(0) },
      { name: 'Newcomer', kind: 'UNIVERSITY', sdgs: [6], location: north(3) },
      ...partners.map((name, n) => ({ name, kind: 'UNIVERSITY' as const, sdgs: [13], location: north(20 + n) })),
    ]);
    const pair = await createChallenge(t, { schoolId: ids.School, title: 'Pair', sdgs: [6], expertiseNeeded: [] });
    const others = await Promise.all(
      ['One', 'Two', 'Three'].map((title) =>
        createChallenge(t, { schoolId: ids.School, title, sdgs: [13], expertiseNeeded: [] }),
      ),
    );
    const newcomer = async () => {
      const page = expectData(await t.request(SuggestPartnersDocument, { challengeId: pair.id, first: 10 }));
      const m = page.suggestPartners.edges.find((e) => e.node.stakeholder.name === 'Newcomer')!.node;
      return { score: m.score, track: m.breakdown.track, prior: t.live.index.trackPrior };
    };
    const before = await newcomer();
    const [sequence] = fc.sample(writes, { numRuns: 1, seed: 28 });
    const open = new Map<string, string>();
    const accepted = new Map<string, string>();
    for (const [n, w] of sequence.entries()) {
      const partner = ids[partners[w.partner]];
      if (w.op === 'edit') {
        expectData(await t.admin(UpdateStakeholderDocument, { id: partner, input: { capacity: w.capacity } }));
      } else {
        const key = `${w.partner}/${w.challenge}`;
        const challengeId = others[w.challenge].id;
        if (!open.has(key) && !accepted.has(key)) {
          const invited = await t.admin(InvitePartnerDocument, { challengeId, stakeholderId: partner });
          if (invited.data) open.set(key, invited.data.invitePartner.id);
        }
        const invitation = open.get(key);
        if (invitation && (w.op === 'accept' || w.op === 'decline')) {
          expectData(
            await t.admin(RespondToInvitationDocument, { partnershipId: invitation, accept: w.op === 'accept' }),
          );
          open.delete(key);
          if (w.op === 'accept') accepted.set(key, invitation);
        }
        const done = accepted.get(key);
        if (done && w.op === 'complete') {
          expectData(await t.admin(CompletePartnershipDocument, { partnershipId: done, rating: w.rating }));
          accepted.delete(key);
        }
      }
      // The clock moves on: every partnership is two and a half minutes older (an hour in all).
      await t.db.dataSource.query(`UPDATE partnership SET created_at = created_at - interval '150 seconds',
        answered_at = answered_at - interval '150 seconds', completed_at = completed_at - interval '150 seconds'`);
      expect([n, await newcomer()]).toEqual([n, before]);
    }
    // The writes did change the network's evidence: the refresh publishes its new mean and moves the pair.
    const evidence = await refreshTrackPrior(t.db.dataSource, t.live.index.unansweredAfterDays);
    expect(evidence.observations).toBeGreaterThan(0);
    await t.live.settle();
    const after = await newcomer();
    expect(after.prior).toBe(evidence.tenths / 10 / evidence.observations);
    expect(after.prior).not.toBe(before.prior);
    expect(after.track).not.toBe(before.track);
    expect(after.track).toBe(roundScore(after.prior));
  }, 120_000);
});

describe('the schedule of the refresh', () => {
  it('is a daily cron job of the job queue (UTC), which the service starts beside its sweep', async () => {
    expect(TRACK_PRIOR_CRON).toBe('0 3 * * *');
    const jobs = await startJobs({ url: t.db.url, log: silentLogger, queues: [TRACK_PRIOR_QUEUE] });
    try {
      const stop = await scheduleTrackPriorRefresh(jobs, t.db.dataSource, 14);
      const rows: { name: string; cron: string; timezone: string }[] = await t.db.dataSource.query(
        'SELECT name, cron, timezone FROM pgboss.schedule WHERE name = $1',
        [TRACK_PRIOR_QUEUE],
      );
      expect(rows).toEqual([{ name: TRACK_PRIOR_QUEUE, cron: '0 3 * * *', timezone: 'UTC' }]);
      await stop();
    } finally {
      await jobs.stop();
    }
  });
});

describe('scores in the API', () => {
  it.each([
    [0.9249999999999999, 0.925],
    [0.5494, 0.549],
    [0.5495000001, 0.55],
    [0, 0],
    [1, 1],
  ])('%p is shown as %p', (exact, shown) => {
    expect(roundScore(exact)).toBe(shown);
  });

  it(`come with at most ${SCORE_DECIMALS} decimals, never rising down a page, ties in the same order`, async () => {
    const ids = await createStakeholders(t, [
      { name: 'Round school', kind: 'SCHOOL', sdgs: [7], location: north(100) },
      ...[1, 2, 3, 4, 5].map((k) => ({
        name: `Round ${k}`,
        kind: 'UNIVERSITY' as const,
        sdgs: [7],
        location: north(100 + k / 3),
      })),
    ]);
    const c = await createChallenge(t, {
      schoolId: ids['Round school'],
      title: 'Round',
      sdgs: [7],
      expertiseNeeded: [],
    });
    const page = async () =>
      expectData(await t.request(SuggestPartnersDocument, { challengeId: c.id, first: 10 })).suggestPartners.edges.map(
        (e) => e.node,
      );
    const first = await page();
    expect(first.length).toBe(5);
    for (const m of first) {
      expect(m.score).toBe(roundScore(m.score));
      for (const [k, v] of Object.entries(m.breakdown))
        if (k !== 'distanceKm' && typeof v === 'number') expect([k, v]).toEqual([k, roundScore(v)]);
    }
    const scores = first.map((m) => m.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect((await page()).map((m) => m.stakeholder.id)).toEqual(first.map((m) => m.stakeholder.id));
  });
});
