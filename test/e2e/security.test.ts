import {
  CreateApiKeyDocument,
  CreateChallengeDocument,
  CreateHubDocument,
  CreateStakeholderDocument,
  InviteOnceDocument,
  RespondOnceDocument,
} from '../generated/graphql';
import {
  asResult,
  bearer,
  expectData,
  expectErrors,
  RELAXED_LIMITS,
  startTestServer,
  TEST_ADMIN_KEY,
  TestServer,
} from '../helpers/server';

let t: TestServer;
const PORTAL_ORIGIN = 'https://portal.example.org';
let portal: { secret: string; id: string };
const ids = {} as Record<'hub' | 'school' | 'uni' | 'challenge', string>;

beforeAll(async () => {
  t = await startTestServer({ limits: { ...RELAXED_LIMITS, maxCost: 2000, maxQueryLength: 5000 } });
  ids.hub = expectData(await t.admin(CreateHubDocument, { input: { name: 'Hub' } })).createHub.id;
  const created = expectData(
    await t.admin(CreateApiKeyDocument, {
      input: { name: 'Portal', role: 'PORTAL', hubIds: [ids.hub], allowedOrigins: [PORTAL_ORIGIN] },
    }),
  ).createApiKey;
  portal = { secret: created.secret, id: created.apiKey.id };
  const make = async (kind: 'SCHOOL' | 'UNIVERSITY', name: string) =>
    expectData(
      await t.admin(CreateStakeholderDocument, {
        input: {
          kind,
          name,
          sdgs: [13],
          expertise: ['Hydrology'],
          city: 'Leuven',
          countryCode: 'BE',
          hubIds: [ids.hub],
          capacity: 5,
        },
      }),
    ).createStakeholder.id;
  ids.school = await make('SCHOOL', 'School');
  ids.uni = await make('UNIVERSITY', 'Uni');
  ids.challenge = expectData(
    await t.admin(CreateChallengeDocument, {
      input: { schoolId: ids.school, title: 'Floods', sdgs: [13], expertiseNeeded: [] },
    }),
  ).createChallenge.id;
});
afterAll(() => t?.stop());

describe('careless and hostile queries over HTTP', () => {
  it('refuses an operation that costs too much, counting first from variables, before it runs', async () => {
    const query = 'query($first: Int) { stakeholders(first: $first) { edges { node { hubs { members { name } } } } } }';
    const cheap = await t.raw({ query, variables: { first: 1 } });
    expect(cheap.status).toBe(200);
    const costly = await t.raw({ query, variables: { first: 100 } });
    expect(costly.status).toBe(400);
    expect(expectErrors(costly.json)[0]).toEqual({
      message: expect.stringMatching(/^The query costs \d+, more than the limit of 2000/),
      extensions: { code: 'QUERY_TOO_COSTLY' },
    });
  });

  it('refuses a document longer than the limit', async () => {
    const query = `{ sdgs { id } } # ${'x'.repeat(5000)}`;
    const res = await t.raw({ query });
    expect(res.status).toBe(400);
    expect(expectErrors(res.json)[0]).toEqual({
      message: `The query is ${query.length} characters long; the limit is 5000`,
      extensions: { code: 'QUERY_TOO_LONG' },
    });
  });

  it('refuses batched requests (one operation per request)', async () => {
    const res = await t.raw([{ query: '{ sdgs { id } }' }, { query: '{ sdgs { id } }' }]);
    expect(res.status).toBe(400);
    expect(expectErrors(res.json)[0]).toEqual({
      message: 'Batched operations are not supported: send one operation per request',
      extensions: { code: 'BAD_REQUEST' },
    });
  });

  it('caps first at 100', async () => {
    const res = await t.raw({ query: '{ stakeholders(first: 101) { totalCount } }' });
    expect(expectErrors(res.json)[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringContaining('first'),
    });
  });

  it('keeps CSRF prevention on: a GET without a preflight-forcing header is refused', async () => {
    const res = await fetch(`${t.server.url}?query=${encodeURIComponent('{ sdgs { id } }')}`, {
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/);
  });
});

describe('origins (CORS and Origin checks)', () => {
  it('answers a preflight only for an origin some key allows', async () => {
    const ask = (origin: string) =>
      fetch(t.server.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    const allowed = await ask(PORTAL_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(PORTAL_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const foreign = await ask('https://evil.example');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets a key be used from its own origins only', async () => {
    const fromPortal = await t.raw<{ viewer: { role: string } }>(
      { query: '{ viewer { role } }' },
      { ...bearer(portal.secret), origin: PORTAL_ORIGIN },
    );
    expect(fromPortal.status).toBe(200);
    expect(expectData(fromPortal.json).viewer.role).toBe('PORTAL');
    const fromElsewhere = await t.raw(
      { query: '{ viewer { role } }' },
      { ...bearer(portal.secret), origin: 'https://evil.example' },
    );
    expect(fromElsewhere.status).toBe(403);
    expect(expectErrors(fromElsewhere.json)[0]).toEqual({
      message: expect.stringContaining('Origin https://evil.example may not call'),
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('sends CORS headers on answers to an allowed origin, none to the service’s own pages', async () => {
    const cross = await fetch(t.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(portal.secret), origin: PORTAL_ORIGIN },
      body: '{"query":"{ sdgs { id } }"}',
    });
    expect(cross.headers.get('access-control-allow-origin')).toBe(PORTAL_ORIGIN);
    const own = `http://127.0.0.1:${t.server.port}`;
    const same = await fetch(t.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: own },
      body: '{"query":"{ sdgs { id } }"}',
    });
    expect(same.status).toBe(200);
    expect(same.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a foreign browser origin without a key; scripts without Origin are public readers', async () => {
    expect((await t.raw({ query: '{ sdgs { id } }' }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await t.raw({ query: '{ sdgs { id } }' })).status).toBe(200);
  });
});

describe('rate limits', () => {
  it('answers RATE_LIMITED with Retry-After beyond the budget, per key and per address', async () => {
    const limited = await startTestServer({ limits: { keyRequestsPerMinute: 3, publicRequestsPerMinute: 2 } });
    try {
      const statuses = async (headers: Record<string, string>, n: number) => {
        const out: number[] = [];
        for (let i = 0; i < n; i++) out.push((await limited.raw({ query: '{ sdgs { id } }' }, headers)).status);
        return out;
      };
      expect(await statuses({}, 3)).toEqual([200, 200, 429]);
      // The administrator's key has its own budget.
      expect(await statuses(bearer(TEST_ADMIN_KEY), 4)).toEqual([200, 200, 200, 429]);
      const res = await fetch(limited.server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ sdgs { id } }"}',
      });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(expectErrors(asResult(await res.json()))[0]).toEqual({
        message: expect.stringMatching(
          new RegExp(
            '^Too many requests: the budget is 2 points per minute per address without a key ' +
              '\\(an operation takes one point per 100 of its estimated cost',
          ),
        ),
        extensions: { code: 'RATE_LIMITED' },
      });
    } finally {
      await limited.stop();
    }
  });
});

describe('pages that read the database', () => {
  it.each([
    ['the IDE page', '/graphql', 200],
    ['the example portal page', '/embed/example.html', 200],
    ['an answer link page', '/answer/not-a-token', 404],
  ])('meter %s per address: a flood is refused with Retry-After', async (_page, path, served) => {
    const limited = await startTestServer({ limits: { publicRequestsPerMinute: 2 } });
    try {
      const load = () => fetch(new URL(path, limited.server.url), { headers: { accept: 'text/html' } });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await load()).status);
      expect(statuses).toEqual([served, served, 429]);
      const refused = await load();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.text()).toMatch(/Too many requests/);
    } finally {
      await limited.stop();
    }
  });
});

describe('rate limits behind a proxy', () => {
  it('counts X-Forwarded-For addresses apart only when the proxy is trusted', async () => {
    const run = async (trustProxy: boolean) => {
      const s = await startTestServer({ limits: { publicRequestsPerMinute: 1, trustProxy } });
      try {
        const from = (ip: string) =>
          s.raw({ query: '{ sdgs { id } }' }, { 'x-forwarded-for': `${ip}, 10.0.0.1` }).then((r) => r.status);
        return [await from('203.0.113.1'), await from('203.0.113.2'), await from('203.0.113.1')];
      } finally {
        await s.stop();
      }
    };
    expect(await run(true)).toEqual([200, 200, 429]);
    expect(await run(false)).toEqual([200, 429, 429]);
  });
});

describe('idempotency keys', () => {
  it('invites once however often a lost answer is retried, even concurrently', async () => {
    const call = () =>
      t.request(
        InviteOnceDocument,
        { challengeId: ids.challenge, stakeholderId: ids.uni, key: 'click-1' },
        bearer(portal.secret),
      );
    const results = await Promise.all([call(), call(), call(), call()]);
    const retried = await call();
    const answers = [...results, retried].map((r) => expectData(r).invitePartner.id);
    expect(new Set(answers).size).toBe(1);
    const [{ n }]: { n: number }[] = await t.db.dataSource.query(
      'SELECT count(*)::int AS n FROM partnership WHERE challenge_id = $1 AND stakeholder_id = $2',
      [ids.challenge, ids.uni],
    );
    expect(n).toBe(1);
    const [{ e }]: { e: number }[] = await t.db.dataSource.query(
      'SELECT count(*)::int AS e FROM partnership_event WHERE partnership_id = $1',
      [answers[0]],
    );
    expect(e).toBe(1);
  });

  it('answers once to a retried response; a new key is a new call', async () => {
    const [partnership]: { id: string }[] = await t.db.dataSource.query(
      'SELECT id FROM partnership WHERE stakeholder_id = $1',
      [ids.uni],
    );
    const respond = (key: string) =>
      t.request(RespondOnceDocument, { partnershipId: partnership.id, accept: true, key }, bearer(portal.secret));
    expect(expectData(await respond('answer-1')).respondToInvitation.status).toBe('ACCEPTED');
    expect(expectData(await respond('answer-1')).respondToInvitation.status).toBe('ACCEPTED');
    const again = await respond('answer-2');
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const [{ e }]: { e: number }[] = await t.db.dataSource.query(
      `SELECT count(*)::int AS e FROM partnership_event WHERE partnership_id = $1 AND status = 'ACCEPTED'`,
      [partnership.id],
    );
    expect(e).toBe(1);
  });

  it.each([['another partner', () => ({ challengeId: ids.challenge, stakeholderId: ids.school })]])(
    'refuses a replayed key with other arguments (%s) as CONFLICT, doing nothing',
    async (_what, args) => {
      const before: { n: number }[] = await t.db.dataSource.query('SELECT count(*)::int AS n FROM partnership');
      const replay = await t.request(InviteOnceDocument, { ...args(), key: 'click-1' }, bearer(portal.secret));
      expect(replay.errors?.[0]).toMatchObject({
        extensions: { code: 'CONFLICT', field: 'idempotencyKey' },
        message: expect.stringContaining('already used for an earlier invitePartner call with other arguments'),
      });
      expect(await t.db.dataSource.query('SELECT count(*)::int AS n FROM partnership')).toEqual(before);
    },
  );
});
