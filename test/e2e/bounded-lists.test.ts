/**
 * Bounded work under hostile queries: a network whose every list is far longer than a page
 * (hubs of 400 members, stakeholders in 150 hubs, challenges with 150 invitations), then the
 * most nested anonymous queries the schema allows, with `first` omitted, null or at its maximum.
 * Each is either refused for its honest cost or answered with no list over its bound, and the
 * server's heap stays bounded while four of them run at once.
 */
import { LIST_BOUNDS, ListBound } from '../../src/graphql/list-bounds';
import { expectData, expectErrors, startTestServer, TestServer } from '../helpers/server';

let t: TestServer;
const ids = { hub: '', mission: '' };
const HUBS = 150;
const MEMBERS = 400;
const CHALLENGES = 150;
const INVITED = 150;

beforeAll(async () => {
  t = await startTestServer({ limits: { keyRequestsPerMinute: 1e6, publicRequestsPerMinute: 1e6 } });
  const q = (sql: string, params: unknown[] = []) => t.db.dataSource.query<{ id: string }[]>(sql, params);
  await q(`INSERT INTO hub (name) SELECT 'Hub ' || lpad(i::text, 3, '0') FROM generate_series(1, ${HUBS}) i`);
  await q(
    `INSERT INTO stakeholder (kind, name, sdg_ids)
     SELECT 'INDUSTRY', 'Firm ' || i, '{13}' FROM generate_series(1, ${MEMBERS}) i`,
  );
  await q(`INSERT INTO stakeholder (kind, name, sdg_ids) VALUES ('SCHOOL', 'The school', '{13}')`);
  await q(`INSERT INTO hub_member (hub_id, stakeholder_id) SELECT h.id, s.id FROM hub h CROSS JOIN stakeholder s`);
  [{ id: ids.mission }] = await q(`INSERT INTO mission (title, sdg_ids) VALUES ('Water', '{6}') RETURNING id`);
  await q(
    `INSERT INTO challenge (title, school_id, sdg_ids, mission_id)
     SELECT 'Challenge ' || i, (SELECT id FROM stakeholder WHERE kind = 'SCHOOL'), '{13}', $1
     FROM generate_series(1, ${CHALLENGES}) i`,
    [ids.mission],
  );
  await q(
    `INSERT INTO partnership (challenge_id, stakeholder_id, status)
     SELECT c.id, s.id, 'INVITED' FROM challenge c
     CROSS JOIN (SELECT id FROM stakeholder WHERE kind = 'INDUSTRY' ORDER BY id LIMIT ${INVITED}) s`,
  );
  [{ id: ids.hub }] = await q(`SELECT id FROM hub ORDER BY name LIMIT 1`);
}, 120_000);
afterAll(() => t?.stop());

const bound = (name: keyof typeof LIST_BOUNDS): ListBound => LIST_BOUNDS[name];

/** Every list in a response, with the `Type.field` it came from, checked against its bound. */
function listsOver(value: unknown, path: string[], typeOf: (path: string[]) => string | undefined, out: string[] = []) {
  if (Array.isArray(value)) {
    const name = typeOf(path);
    const max = name ? (LIST_BOUNDS as Record<string, ListBound>)[name]?.max : undefined;
    if (max === undefined || value.length > max) out.push(`${path.join('.')}: ${value.length} items (bound ${max})`);
    for (const v of value) listsOver(v, path, typeOf, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) listsOver(v, [...path, k], typeOf, out);
  }
  return out;
}

// Which type each response key belongs to, for the queries below.
const OWNER: Record<string, string> = {
  hubs: 'Stakeholder.hubs',
  members: 'Hub.members',
  partnerships: 'Stakeholder.partnerships',
  challenges: 'Mission.challenges',
};
const typeOf = (path: string[]) => {
  const key = path[path.length - 1];
  if (path.length === 1) return `Query.${key}`;
  if (key === 'partnerships' && path[path.length - 2] === 'challenge') return 'Challenge.partnerships';
  if (key === 'partnerships' && path[path.length - 2] === 'challenges') return 'Challenge.partnerships';
  return OWNER[key];
};

describe('every list field under a maximal query', () => {
  const firsts = ['', '(first: null)', '(first: 100)'];
  const shapes = (f: string) => [
    `{ hubs${f} { members${f} { hubs${f} { members${f} { id } } } } }`,
    `{ hub(id: "HUB") { members${f} { partnerships${f} { challenge { partnerships${f} ` +
      `{ stakeholder { hubs${f} { id } } } } } } } }`,
    `{ mission(id: "MISSION") { challenges${f} { partnerships${f} { stakeholder { partnerships${f} { id } } } } } }`,
    `{ hub(id: "HUB") { members${f} { id } } mission(id: "MISSION") { challenges${f} { id } } }`,
  ];
  const cases = firsts.flatMap((f) => shapes(f).map((query) => [query] as const));

  it.each(cases)('%s is refused for its cost or answered within every bound', async (template) => {
    const query = template.replace('HUB', ids.hub).replace('MISSION', ids.mission);
    const { status, json } = await t.raw({ query });
    if (json.errors) {
      expect({ status, code: json.errors[0].extensions?.code }).toEqual({ status: 400, code: 'QUERY_TOO_COSTLY' });
      return;
    }
    expect(listsOver(json.data, [], typeOf)).toEqual([]);
  });

  /** What the three shapes below ask for (each asks for one of these lists). */
  interface Lists {
    hub: { members: unknown[] };
    mission: { challenges: unknown[] };
    hubs: unknown[];
  }
  it.each([
    ['hub(id: "HUB") { members%s { id } }', (d: Lists) => d.hub.members, 'Hub.members', MEMBERS + 1],
    [
      'mission(id: "MISSION") { challenges%s { id } }',
      (d: Lists) => d.mission.challenges,
      'Mission.challenges',
      CHALLENGES,
    ],
    ['hubs%s { id }', (d: Lists) => d.hubs, 'Query.hubs', HUBS],
  ] as const)(
    '%s returns the default page when first is omitted or null, and at most the maximum',
    async (shape, pick, name, held) => {
      const ask = async (arg: string) =>
        pick(
          expectData(
            (
              await t.raw<Lists>({
                query: `{ ${shape.replace('%s', arg)} }`.replace('HUB', ids.hub).replace('MISSION', ids.mission),
              })
            ).json,
          ),
        );
      const b = bound(name);
      expect((await ask('')).length).toBe(Math.min(held, b.page!));
      expect((await ask('(first: null)')).length).toBe(Math.min(held, b.page!));
      expect((await ask(`(first: ${b.max})`)).length).toBe(Math.min(held, b.max));
      const over = await t.raw({
        query: `{ ${shape.replace('%s', `(first: ${b.max + 1})`)} }`
          .replace('HUB', ids.hub)
          .replace('MISSION', ids.mission),
      });
      expect(expectErrors(over.json)[0]).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
        message: expect.stringContaining(`first must be between 0 and ${b.max}`),
      });
    },
  );

  it('keeps the heap bounded while four maximal queries run at once', async () => {
    const query = `{ hub(id: "${ids.hub}") { members(first: 70) { partnerships(first: 70) { id status } } } }`;
    global.gc?.();
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 2);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => t.raw<{ hub: { members: { partnerships: unknown[] }[] } }>({ query })),
    );
    clearInterval(timer);
    for (const a of answers) expect(a.json.errors ?? []).toEqual([]);
    const items = expectData(answers[0].json).hub.members.reduce((n, m) => n + m.partnerships.length, 0);
    expect(items).toBeGreaterThan(0);
    expect(items).toBeLessThanOrEqual(70 * 70);
    // Unbounded, these four would hold 4 × 401 × 150 partnership objects and their JSON; bounded
    // they need a few tens of MB at most.
    expect((peak - base) / 2 ** 20).toBeLessThan(200);
  });
});
