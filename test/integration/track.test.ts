/**
 * The track record in the ranking: a newcomer sits at the neutral 0.5; answering and completing
 * raise it, silence lowers it, live (the partnership's change reaches the index through the
 * outbox); reasons cite it. And it must not push underserved partners down: their share of
 * first-page places against their share of eligible candidates, without and with it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeNetworkCsv } from '../../src/db/synthetic-network';
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { MatchWeights } from '../../src/matching/combine';
import { DEFAULT_WEIGHTS } from '../../src/matching/components/registry';
import { rankPartners } from '../../src/matching/index/rank';
import { prepareChallenge } from '../../src/matching/index/prepared-challenge';
import { loadMatchIndex } from '../../src/matching/index/load-index';
import { MatchIndex } from '../../src/matching/index/match-index';
import { loadConfig } from '../../src/config';
import {
  CompletePartnershipDocument,
  InvitePartnerDocument,
  RespondToInvitationDocument,
  SuggestPartnersDocument,
} from '../generated/graphql';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

describe('track record in the ranking', () => {
  it('puts newcomers at the network’s middle; answers and completions raise, silence lowers; says why', async () => {
    const ids = await createStakeholders(t, [
      { name: 'School', kind: 'SCHOOL', sdgs: [6], location: north(0) },
      { name: 'Reliable lab', kind: 'UNIVERSITY', sdgs: [6], location: north(2) },
      { name: 'Silent lab', kind: 'UNIVERSITY', sdgs: [6], location: north(2) },
      { name: 'New lab', kind: 'UNIVERSITY', sdgs: [6], location: north(2) },
    ]);
    const past = await createChallenge(t, { schoolId: ids.School, title: 'Past', sdgs: [6], expertiseNeeded: [] });
    const now = await createChallenge(t, { schoolId: ids.School, title: 'Now', sdgs: [6], expertiseNeeded: [] });
    const invite = async (who: string) =>
      expectData(await t.admin(InvitePartnerDocument, { challengeId: past.id, stakeholderId: who })).invitePartner.id;
    const reliable = await invite(ids['Reliable lab']);
    const silent = await invite(ids['Silent lab']);
    expectData(await t.admin(RespondToInvitationDocument, { partnershipId: reliable, accept: true }));
    expectData(await t.admin(CompletePartnershipDocument, { partnershipId: reliable, rating: 5 }));
    // The silent lab's invitation has waited three weeks: it counts as unanswered.
    await t.db.dataSource.query(`UPDATE partnership SET created_at = now() - interval '21 days' WHERE id = $1`, [
      silent,
    ]);
    await t.reindex();

    const page = expectData(
      await t.request(SuggestPartnersDocument, { challengeId: now.id, first: 10 }),
    ).suggestPartners.edges.map((e) => e.node);
    const byName = new Map(page.map((m) => [m.stakeholder.name, m]));
    const trackOf = (name: string) => byName.get(name)!.breakdown.track;
    // A newcomer sits at the network's mean outcome: here (1 + 1 + 0) / 3 observations.
    expect(t.live.index.trackPrior).toBeCloseTo(2 / 3, 12);
    // The API shows it to SCORE_DECIMALS (3) decimals.
    expect(trackOf('New lab')).toBe(0.667);
    expect(trackOf('Reliable lab')).toBeGreaterThan(trackOf('New lab'));
    expect(trackOf('Silent lab')).toBeLessThan(trackOf('New lab'));
    // Otherwise equal, the record decides the order.
    expect(page.map((m) => m.stakeholder.name)).toEqual(['Reliable lab', 'New lab', 'Silent lab']);
    expect(byName.get('Reliable lab')!.reasons).toEqual(
      expect.arrayContaining(['1 invitation so far: 1 accepted', 'Completed 1 project with schools']),
    );
    expect(byName.get('Silent lab')!.reasons).toContain('1 invitation so far: 1 without an answer');
    expect(byName.get('New lab')!.reasons.join(' ')).not.toMatch(/invitation|Completed/);
  });
});

describe('when an invitation counts as unanswered', () => {
  it('follows UNANSWERED_AFTER_DAYS (14 by default)', async () => {
    const ids = await createStakeholders(t, [
      { name: 'Patient school', kind: 'SCHOOL', sdgs: [4], location: north(50) },
      { name: 'Slow lab', kind: 'UNIVERSITY', sdgs: [4], location: north(51) },
    ]);
    const c = await createChallenge(t, {
      schoolId: ids['Patient school'],
      title: 'Slow',
      sdgs: [4],
      expertiseNeeded: [],
    });
    const p = expectData(await t.admin(InvitePartnerDocument, { challengeId: c.id, stakeholderId: ids['Slow lab'] }))
      .invitePartner.id;
    await t.db.dataSource.query(`UPDATE partnership SET created_at = now() - interval '10 days' WHERE id = $1`, [p]);
    const dueIn = async (days: number) => {
      const index = await loadMatchIndex(t.db.dataSource, {}, new MatchIndex({ unansweredAfterDays: days }));
      return index.dueInvitations[index.rowOf(ids['Slow lab'])];
    };
    expect(await dueIn(14)).toBe(0);
    expect(await dueIn(7)).toBe(1);
    expect(loadConfig({ UNANSWERED_AFTER_DAYS: '7' }).unansweredAfterDays).toBe(7);
    expect(loadConfig({}).unansweredAfterDays).toBe(14);
    expect(() => loadConfig({ UNANSWERED_AFTER_DAYS: '0' })).toThrow(/UNANSWERED_AFTER_DAYS/);
  });
});

describe('exposure of underserved partners', () => {
  it('is reported without and with the track record, and the record does not push them down', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'exposure-')), 'net.csv');
    writeNetworkCsv(file, { stakeholders: 3000, challenges: 40, seed: 23 });
    await importRecords(t.db.dataSource, readRecords(readFileSync(file, 'utf8'), 'csv'));
    // One partner in five from a community the network wants to reach (a fixed draw by name).
    await t.db.dataSource.query(`
      UPDATE stakeholder SET underserved_contexts = '{SOCIO_ECONOMIC}'
      WHERE kind NOT IN ('SCHOOL', 'FAMILY') AND external_id IS NOT NULL AND abs(hashtext(external_id)) % 5 = 0`);
    // Histories for a third of the partners, good and bad alike, two months old; underserved
    // partners have fewer (newer to the network), as in the seed networks.
    await t.db.dataSource.query(`
      INSERT INTO partnership (challenge_id, stakeholder_id, status, created_at, answered_at, rating)
      SELECT c.id, s.id, (ARRAY['COMPLETED', 'DECLINED', 'INVITED'])[1 + s.n % 3], now() - interval '60 days',
        CASE WHEN s.n % 3 < 2 THEN now() - interval '58 days' END, CASE WHEN s.n % 3 = 0 THEN 4 END
      FROM (SELECT id, row_number() OVER (ORDER BY external_id) AS r FROM challenge WHERE external_id IS NOT NULL) c
      JOIN (SELECT id, row_number() OVER (ORDER BY external_id) AS n FROM stakeholder
            WHERE kind <> 'SCHOOL' AND external_id IS NOT NULL
              AND (cardinality(underserved_contexts) = 0 OR abs(hashtext(external_id)) % 10 < 3)) s
        ON s.n % 40 = c.r % 40
      WHERE s.n % 3 <> 1 OR s.n % 9 = 0`);
    await t.reindex();
    const index = t.live.index;
    const underserved = (row: number) => index.scoredContexts[row] !== 0;
    const exposure = (weights: MatchWeights) => {
      let slots = 0;
      let theirs = 0;
      let eligible = 0;
      let eligibleTheirs = 0;
      for (const c of index.challenges.values()) {
        if (!c.open) continue;
        const all = rankPartners(index, prepareChallenge(index, c), weights, 100_000, {}, 0.3).top;
        eligible += all.length;
        eligibleTheirs += all.filter((r) => underserved(r.row)).length;
        const page = all.slice(0, 10);
        slots += page.length;
        theirs += page.filter((r) => underserved(r.row)).length;
      }
      return { firstPage: theirs / slots, eligible: eligibleTheirs / eligible };
    };
    const without = exposure({ ...DEFAULT_WEIGHTS, track: 0 });
    const withTrack = exposure(DEFAULT_WEIGHTS);
    process.stdout.write(
      `\nUnderserved partners: ${(100 * withTrack.eligible).toFixed(1)}% of eligible candidates; ` +
        `first-page share ${(100 * without.firstPage).toFixed(1)}% without the track record, ` +
        `${(100 * withTrack.firstPage).toFixed(1)}% with it\n`,
    );
    expect(without.eligible).toBeGreaterThan(0.02);
    // Within one percentage point: which partner takes a near-tied place may move either way.
    expect(withTrack.firstPage).toBeGreaterThanOrEqual(without.firstPage - 0.01);
  }, 120_000);
});
