/**
 * The demo network as a coordinator would review it: for every demo challenge, the suggestions
 * keep the reach rules (a town hall never across a border, a national body only in its country,
 * a regional NGO only in its region), teams too — and README's review table is what the service
 * answers today (this test prints the table to paste when they differ).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { seedDemo } from '../../src/db/seed-demo';
import { SafeguardedPartnersDocument, SuggestPartnersDocument, SuggestTeamDocument } from '../generated/graphql';
import { expectData, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
let challenges: { id: string; title: string; country: string; region: string }[];

beforeAll(async () => {
  t = await startTestServer();
  await seedDemo(t.db.dataSource);
  await t.live.settle();
  challenges = await t.db.dataSource.query(
    `SELECT c.id, c.title, s.country_code AS country, s.region_code AS region
     FROM challenge c JOIN stakeholder s ON s.id = c.school_id ORDER BY c.created_at, c.title`,
  );
});
afterAll(() => t?.stop());

const GENK = 'Stad Genk – Gezonde Stad';
const RIVM = 'RIVM – National Institute for Public Health and the Environment';
const IVN = 'IVN Natuureducatie Noord-Holland';

async function suggested(challengeId: string, first: number) {
  return expectData(await t.request(SuggestPartnersDocument, { challengeId, first })).suggestPartners.edges.map(
    (e) => e.node,
  );
}

describe('the demo network keeps the reach rules', () => {
  it('has the three stakeholders that test them', async () => {
    const names: { name: string }[] = await t.db.dataSource.query('SELECT name FROM stakeholder');
    expect(names.map((n) => n.name)).toEqual(expect.arrayContaining([GENK, RIVM, IVN]));
  });

  it('suggests no one, in any list or team, whose reach does not cover the challenge', async () => {
    for (const c of challenges) {
      const names = (await suggested(c.id, 50)).map((m) => m.stakeholder.name);
      const team = expectData(await t.request(SuggestTeamDocument, { challengeId: c.id, size: 5 })).suggestTeam;
      const everyone = [...names, ...team.members.map((m) => m.stakeholder.name)];
      // Local government: its own municipality and surroundings, never across a border.
      if (c.country !== 'BE') expect(everyone).not.toContain(GENK);
      // A national institute: its country, nothing beyond.
      if (c.country !== 'NL') expect(everyone).not.toContain(RIVM);
      // A regional NGO: its own province only.
      if (c.region !== 'NL-NH') expect(everyone).not.toContain(IVN);
    }
  });

  it('does suggest the national institute where its reach covers the challenge and it fits', async () => {
    const canteen = challenges.find((c) => c.title.startsWith('Healthy school canteen'))!;
    const names = (await suggested(canteen.id, 50)).map((m) => m.stakeholder.name);
    expect(names).toContain(RIVM);
  });
});

describe('the demo network shows the safeguarding rule', () => {
  it('suggests the checked nature NGO for the bee count without a teacher, holding the water board back', async () => {
    const bees = challenges.find((c) => c.title.startsWith('Where have the bees gone'))!;
    const idOf = async (name: string) =>
      ((await t.db.dataSource.query('SELECT id FROM stakeholder WHERE name = $1', [name])) as { id: string }[])[0].id;
    const [ngo, waterBoard] = [await idOf('Natuur en Milieu Overijssel'), await idOf('Waterschap Vechtstromen')];
    const ids = async (filter: { includeUnchecked: boolean } | null) =>
      expectData(
        await t.admin(SafeguardedPartnersDocument, { challengeId: bees.id, filter }),
      ).suggestPartners.edges.map((e) => [e.node.stakeholder.id, e.node.needsSafeguardingCheck]);
    expect(await ids(null)).toContainEqual([ngo, false]);
    expect((await ids(null)).map(([id]) => id)).not.toContain(waterBoard);
    expect(await ids({ includeUnchecked: true })).toContainEqual([waterBoard, true]);
  });
});

describe("README's review of the demo suggestions", () => {
  it('is what the service answers', async () => {
    const rows = ['| Challenge | First three suggestions (score) | Why the first |', '|---|---|---|'];
    for (const c of challenges) {
      const top = await suggested(c.id, 3);
      // The score as the API shows it (SCORE_DECIMALS): rounding it again to two places would round twice.
      const list = top.map((m) => `${m.stakeholder.name} (${m.score.toFixed(3)})`).join('; ');
      const why = top[0]?.reasons.slice(0, 2).join('; ') ?? '';
      rows.push(`| ${c.title} | ${list} | ${why} |`);
    }
    const table = rows.join('\n');
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const block = /<!-- demo-review:start -->\n([\s\S]*?)\n<!-- demo-review:end -->/.exec(readme)?.[1];
    if (block?.trim() !== table) process.stdout.write(`\nREADME demo review, as the service answers now:\n${table}\n`);
    expect(block?.trim()).toBe(table);
  });
});
