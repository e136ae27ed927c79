import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedDemo } from '../../src/db/seed-demo';
import { writeNetworkCsv } from '../../src/db/synthetic-network';
import { importRecords, readRecords } from '../../src/domain/import/import.service';
import { SuggestChallengesDocument, SuggestPartnersDocument, SuggestTeamDocument } from '../generated/graphql';
import { expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  await seedDemo(t.db.dataSource);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'net-')), 'net.csv');
  writeNetworkCsv(file, { stakeholders: 4000, challenges: 40, seed: 11 });
  await importRecords(t.db.dataSource, readRecords(readFileSync(file, 'utf8'), 'csv'));
  await t.reindex();
});
afterAll(() => t?.stop());

async function checkAll(challengeIds: string[]) {
  for (const challengeId of challengeIds) {
    const partners = expectData(await t.request(SuggestPartnersDocument, { challengeId, first: 10 })).suggestPartners;
    const scores = partners.edges.map((e) => e.node.score);
    for (const e of partners.edges) {
      expect(e.node.score).toBeGreaterThanOrEqual(0);
      expect(e.node.score).toBeLessThanOrEqual(1);
      expect(e.node.reasons.length).toBeGreaterThan(0);
    }
    expect(partners.totalCount).toBeGreaterThanOrEqual(partners.edges.length);
    // The best match leads the page (diversity may reorder the rest, never the first).
    if (scores.length) expect(scores[0]).toBe(Math.max(...scores));
    const team = expectData(await t.request(SuggestTeamDocument, { challengeId, size: 4 })).suggestTeam;
    expect(team.members.length).toBeLessThanOrEqual(4);
    if (partners.edges.length) {
      const reverse = expectData(
        await t.request(SuggestChallengesDocument, {
          stakeholderId: partners.edges[0].node.stakeholder.id,
          first: 100,
        }),
      ).suggestChallenges;
      expect(reverse.edges.map((e) => e.node.challenge.id)).toContain(challengeId);
    }
  }
}

describe('matching on the demo network and on a generated one', () => {
  it('answers the three queries for every demo challenge', async () => {
    const ids: { id: string }[] = await t.db.dataSource.query(
      `SELECT id FROM challenge WHERE external_id IS NULL AND phase <> 'COMPLETED'`,
    );
    expect(ids.length).toBeGreaterThanOrEqual(5);
    await checkAll(ids.map((r) => r.id));
    // The flagship demo challenge finds the Twente university and the water board first.
    const [flood]: { id: string }[] = await t.db.dataSource.query(
      `SELECT id FROM challenge WHERE title LIKE 'Our village floods%'`,
    );
    const top = expectData(
      await t.request(SuggestPartnersDocument, { challengeId: flood.id, first: 3 }),
    ).suggestPartners.edges.map((e) => e.node.stakeholder.name);
    expect(top).toEqual(
      expect.arrayContaining(['University of Twente – Water Engineering', 'Waterschap Vechtstromen']),
    );
  });

  it('answers them for generated challenges among 4,000 generated stakeholders', async () => {
    const ids: { id: string }[] = await t.db.dataSource.query(
      `SELECT id FROM challenge WHERE external_id IS NOT NULL AND phase <> 'COMPLETED' ORDER BY external_id LIMIT 8`,
    );
    expect(ids.length).toBe(8);
    await checkAll(ids.map((r) => r.id));
  });
});
