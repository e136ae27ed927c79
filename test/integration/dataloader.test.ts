import { ChallengePageDeepDocument, StakeholderPageDeepDocument } from '../generated/graphql';
import { expectData, RELAXED_LIMITS, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;

beforeAll(async () => {
  // These count SQL statements of deep pages; their price is tested in test/unit/limits.test.ts.
  t = await startTestServer({ limits: { ...RELAXED_LIMITS, maxCost: 100_000 } });
  // 60 stakeholders (every third a school) in two hubs, 60 challenges with partnerships: set up in SQL,
  // since this test is about reads.
  await t.db.dataSource.query(`
    INSERT INTO hub (name, region_code) VALUES ('Hub A', 'NL-OV'), ('Hub B', 'BE-VBR');
    INSERT INTO stakeholder (kind, name, region_code, sdg_ids, expertise_ids, created_at)
    SELECT CASE WHEN i % 3 = 0 THEN 'SCHOOL' ELSE 'UNIVERSITY' END, 'S' || lpad(i::text, 3, '0'),
           CASE WHEN i % 2 = 0 THEN 'NL-OV' ELSE 'BE-VBR' END,
           ARRAY[1 + i % 17, 1 + (i + 5) % 17]::smallint[],
           ARRAY(SELECT id FROM expertise ORDER BY id OFFSET i % 20 LIMIT 3),
           now() + i * interval '1 ms'
    FROM generate_series(1, 60) AS i;
    INSERT INTO hub_member (hub_id, stakeholder_id)
    SELECT h.id, s.id FROM hub h CROSS JOIN stakeholder s WHERE h.name = 'Hub A' OR s.name > 'S030';
    INSERT INTO mission (title, sdg_ids) VALUES ('M', '{13}');
    INSERT INTO challenge (title, school_id, hub_id, mission_id, sdg_ids, expertise_needed_ids, created_at)
    SELECT 'C' || g, s.id, (SELECT id FROM hub WHERE name = 'Hub A'), (SELECT id FROM mission), '{13,6}', '{1,2}',
           now() + g * interval '1 ms'
    FROM generate_series(1, 3) AS g CROSS JOIN stakeholder s WHERE s.kind = 'SCHOOL';
    INSERT INTO partnership (challenge_id, stakeholder_id, status)
    SELECT c.id, s.id, 'INVITED' FROM challenge c
    CROSS JOIN LATERAL (SELECT id FROM stakeholder WHERE kind = 'UNIVERSITY' ORDER BY md5(c.id::text || id::text) LIMIT 2) s;
  `);
});
afterAll(() => t?.stop());

async function countQueries(run: () => Promise<unknown>): Promise<number> {
  t.db.resetQueries();
  await run();
  return t.db.queries.length;
}

describe('per-request DataLoaders', () => {
  it('a page of stakeholders with region, SDGs, expertise and hubs costs the same SQL at 5 and 50 rows', async () => {
    const small = await countQueries(async () => {
      const d = expectData(await t.request(StakeholderPageDeepDocument, { first: 5 }));
      expect(d.stakeholders.edges).toHaveLength(5);
    });
    const large = await countQueries(async () => {
      const d = expectData(await t.request(StakeholderPageDeepDocument, { first: 50 }));
      expect(d.stakeholders.edges).toHaveLength(50);
      expect(
        d.stakeholders.edges.every((e) => e.node.region && e.node.sdgs.length === 2 && e.node.hubs.length >= 1),
      ).toBe(true);
      expect(d.stakeholders.edges.some((e) => e.node.expertise.some((x) => x.parent))).toBe(true);
    });
    // The bound is one statement per (loader, depth) the document touches: the page, then regions,
    // SDGs, tags and memberships, then parent regions, parent tags and hubs. Loads of one loader at
    // two depths may share a batch (so a run can need fewer), but the count never grows with rows.
    for (const n of [small, large]) expect(n).toBeLessThanOrEqual(8);
  });

  it('a page of challenges with their schools (and the schools’ relations) costs the same SQL at 5 and 50 rows', async () => {
    const small = await countQueries(async () => {
      expect(expectData(await t.request(ChallengePageDeepDocument, { first: 5 })).challenges.edges).toHaveLength(5);
    });
    const large = await countQueries(async () => {
      const d = expectData(await t.request(ChallengePageDeepDocument, { first: 50 }));
      expect(d.challenges.edges).toHaveLength(50);
      expect(
        d.challenges.edges.every((e) => e.node.school.name.startsWith('S') && e.node.partnerships.length === 2),
      ).toBe(true);
    });
    // Page; school, hub, mission, SDGs, tags, partnerships; school region, school memberships,
    // partner stakeholders; hubs.
    for (const n of [small, large]) expect(n).toBeLessThanOrEqual(11);
  });
});
