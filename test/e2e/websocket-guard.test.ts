/**
 * The WebSocket path is not a side door: what HTTP refuses, graphql-ws refuses the same way, with
 * a real graphql-ws client (and a bare `ws` socket where close codes are the point).
 */
import { getIntrospectionQuery, GraphQLFormattedError } from 'graphql';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  CreateApiKeyDocument,
  CreateHubDocument,
  CreateStakeholderDocument,
  PartnerJoinedDocument,
  PartnerJoinedPrivateDocument,
} from '../generated/graphql';
import {
  bearer,
  expectData,
  expectErrors,
  RELAXED_LIMITS,
  startTestServer,
  TEST_ADMIN_KEY,
  TestServer,
} from '../helpers/server';
import { isErrorList, isRecord } from '../helpers/json';
import { handshake, subscribe, until } from '../helpers/ws-client';
import { WsCloseCode } from '../../src/server/close-codes';

let t: TestServer;
let portalSecret: string;
const PORTAL_ORIGIN = 'https://portal.example.org';
const clients: Client[] = [];

function client(options: { key?: string; origin?: string; server?: TestServer } = {}): Client {
  const origin = options.origin;
  // ws sends no Origin unless told; browsers always do.
  class WithOrigin extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, origin ? { origin } : {});
    }
  }
  const c = createClient({
    url: (options.server ?? t).server.url.replace(/^http/, 'ws'),
    webSocketImpl: WithOrigin,
    connectionParams: options.key ? { authorization: `Bearer ${options.key}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(c);
  return c;
}

/** The code and reason of the close event graphql-ws hands on when its socket closes. */
function closeOf(event: unknown): { code: unknown; reason: unknown } {
  return isRecord(event) ? { code: event.code, reason: event.reason } : { code: undefined, reason: undefined };
}

/** What {@link run} resolves with: the last result, the server's errors, or how the socket closed. */
interface RunResult<T> {
  data?: T | null;
  errors?: readonly GraphQLFormattedError[];
  closed?: { code: unknown; reason: unknown };
}

/**
 * Runs one operation to its end; resolves with the errors (or data, of the shape `T` the query
 * asks for) the server sent.
 */
function run<T = Record<string, unknown>>(
  c: Client,
  query: string,
  variables?: Record<string, unknown>,
): Promise<RunResult<T>> {
  return new Promise((resolve) => {
    let last: RunResult<T> = {};
    c.subscribe<T>(
      { query, variables },
      {
        next: (r) => (last = r),
        error: (e) => resolve(isErrorList(e) ? { errors: e } : { closed: closeOf(e) }),
        complete: () => resolve(last),
      },
    );
  });
}

const bearerInit = () => ({ authorization: `Bearer ${TEST_ADMIN_KEY}` });

beforeAll(async () => {
  t = await startTestServer({
    limits: { ...RELAXED_LIMITS, maxCost: 2000, wsMaxSubscriptionsPerSocket: 2, wsMaxPayloadBytes: 4096 },
  });
  const hub = expectData(await t.admin(CreateHubDocument, { input: { name: 'Hub' } })).createHub.id;
  portalSecret = expectData(
    await t.admin(CreateApiKeyDocument, {
      input: { name: 'Portal', role: 'PORTAL', hubIds: [hub], allowedOrigins: [PORTAL_ORIGIN] },
    }),
  ).createApiKey.secret;
});
afterAll(async () => {
  await Promise.all(clients.map(async (c) => c.dispose()));
  await t?.stop();
});

describe('over WebSocket, refused exactly as over HTTP', () => {
  const deep = `{ hubs { ${'members { hubs { '.repeat(7)}id${' } }'.repeat(7)} } }`;
  const costly = '{ stakeholders(first: 100) { edges { node { hubs { members { name } } } } } }';
  const forbidden = 'mutation { createHub(input: { name: "x" }) { id } }';

  it.each([
    ['a query bomb (too deep)', deep, undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['a query costing too much', costly, undefined, 'QUERY_TOO_COSTLY'],
    ['a mutation the key may not call', forbidden, 'portal', 'FORBIDDEN'],
    ['a mutation without a key', forbidden, undefined, 'UNAUTHENTICATED'],
    ['a document that does not parse', '{ sdgs { id ', undefined, 'GRAPHQL_PARSE_FAILED'],
  ])('%s', async (_name, query, who, code) => {
    const key = who === 'portal' ? portalSecret : undefined;
    const http = await t.raw({ query }, key ? bearer(key) : {});
    const ws = await run(client({ key }), query);
    expect(expectErrors(http.json)[0].extensions?.code).toBe(code);
    expect(ws.errors?.[0]?.extensions?.code).toBe(code);
    expect(ws.errors?.[0]?.message).toBe(expectErrors(http.json)[0].message);
    expect(JSON.stringify(ws)).not.toMatch(/stack|SELECT|node_modules/);
  });

  it('refuses introspection on both, and serves no IDE, when they are turned off', async () => {
    const closed = await startTestServer({ introspection: false, ide: false });
    try {
      const http = await closed.raw({ query: getIntrospectionQuery() });
      expect(http.status).toBe(400);
      expect(expectErrors(http.json)[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const ws = await run(client({ server: closed }), '{ __schema { types { name } } }');
      expect(ws.errors?.[0]).toMatchObject({
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        message: expect.stringMatching(/introspection/i),
      });
      // Nor do typos get the schema spelled out ("Did you mean …"), over either transport.
      const typo = await closed.raw({ query: '{ apiKey { id } }' });
      expect(expectErrors(typo.json)[0].message).not.toMatch(/did you mean/i);
      const wsTypo = await run(client({ server: closed }), '{ apiKey { id } }');
      expect(wsTypo.errors?.[0]?.message).not.toMatch(/did you mean/i);
      // Where introspection is on, the hint stays.
      expect(expectErrors((await t.raw({ query: '{ apiKey { id } }' })).json)[0].message).toMatch(/did you mean/i);
      const fine = await run<{ sdgs: unknown[] }>(client({ server: closed }), '{ sdgs { id } }');
      expect(expectData(fine).sdgs).toHaveLength(17);
      const page = await fetch(closed.server.url, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toMatch(/<html/i);
      // Each body read to its end: one left unread holds its socket open past the test.
      const missing = await fetch(closed.server.url.replace('/graphql', '/ide/graphiql.js'));
      expect([missing.status, (await missing.text()).length > 0]).toEqual([404, true]);
      const served = await fetch(t.server.url.replace('/graphql', '/ide/graphiql.js')); // where it is on
      expect([served.status, (await served.text()).length > 100_000]).toEqual([200, true]);
    } finally {
      await closed.stop();
    }
  });

  it('closes a connection from a foreign Origin, and accepts the key’s own', async () => {
    const foreign = await handshake(
      t.server.url,
      { authorization: `Bearer ${portalSecret}` },
      { origin: 'https://evil.example' },
    );
    expect(foreign.acked).toBe(false);
    expect(await foreign.closed).toEqual({
      code: 4403,
      reason: expect.stringContaining('Origin https://evil.example'),
    });
    const own = await handshake(t.server.url, { authorization: `Bearer ${portalSecret}` }, { origin: PORTAL_ORIGIN });
    expect(own.acked).toBe(true);
    own.socket.close();
    const anonymousForeign = await handshake(t.server.url, {}, { origin: 'https://evil.example' });
    expect(anonymousForeign.acked).toBe(false);
  });

  it.each([
    ['authorization', { authorization: 'Bearer osm_not-a-key' }],
    ['Authorization (as the IDE sends it)', { Authorization: 'Bearer osm_not-a-key' }],
    ['AUTHORIZATION', { AUTHORIZATION: 'Bearer osm_not-a-key' }],
    ['a nested header map', { headers: { Authorization: 'Bearer osm_not-a-key' } }],
    [
      'a good key and a bad one under two spellings',
      { authorization: `Bearer ${TEST_ADMIN_KEY}`, Authorization: 'Bearer osm_not-a-key' },
    ],
  ])('closes a connection with a bad key at connection_init, given as %s', async (_name, payload) => {
    const bad = await handshake(t.server.url, payload);
    expect(bad.acked).toBe(false);
    expect(await bad.closed).toEqual({ code: 4401, reason: expect.stringContaining('API key is not valid') });
  });

  it.each([
    ['Authorization', { Authorization: `Bearer ${TEST_ADMIN_KEY}` }],
    ['aUtHoRiZaTiOn', { aUtHoRiZaTiOn: `Bearer ${TEST_ADMIN_KEY}` }],
    ['a nested header map', { headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` } }],
  ])('speaks for the key given as %s', async (_name, connectionParams) => {
    const url = t.server.url.replace(/^http/, 'ws');
    const c = createClient({ url, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
    clients.push(c);
    expect(expectData(await run<{ viewer: { role: string } }>(c, '{ viewer { role } }')).viewer.role).toBe('ADMIN');
  });
});

describe('privacy in pushed events', () => {
  it('pushes a new family anonymously, except to the coordinators of its hub', async () => {
    const hub = expectData(await t.admin(CreateHubDocument, { input: { name: 'Family hub' } })).createHub.id;
    const coordinator = expectData(
      await t.admin(CreateApiKeyDocument, { input: { name: 'Coordinator', role: 'COORDINATOR', hubIds: [hub] } }),
    ).createApiKey.secret;
    const filter = { kinds: ['FAMILY' as const] };
    const before = t.live.size;
    const publicSub = subscribe(client(), PartnerJoinedPrivateDocument, { filter });
    const portalSub = subscribe(client({ key: portalSecret }), PartnerJoinedPrivateDocument, { filter });
    const coordinatorSub = subscribe(client({ key: coordinator }), PartnerJoinedPrivateDocument, { filter });
    // The family joins once the server holds all three subscriptions.
    await until(() => t.live.size >= before + 3, 10_000);
    await t.request(
      CreateStakeholderDocument,
      {
        input: {
          kind: 'FAMILY',
          consentGiven: true,
          name: 'Familie Stil',
          contactEmail: 'stil@family.example',
          sdgs: [3],
          expertise: [],
          location: { latitude: 50.87934, longitude: 4.70093 },
          hubIds: [hub],
        },
      },
      bearer(coordinator),
    );
    const [pub] = (await publicSub.waitFor(1)).map((r) => r.data!.partnerJoined);
    const [portal] = (await portalSub.waitFor(1)).map((r) => r.data!.partnerJoined);
    const [own] = (await coordinatorSub.waitFor(1)).map((r) => r.data!.partnerJoined);
    for (const masked of [pub, portal]) {
      expect(masked).toMatchObject({
        name: 'A family',
        contactEmail: null,
        location: { latitude: 50.88, longitude: 4.7 },
      });
    }
    expect(own).toMatchObject({ name: 'Familie Stil', contactEmail: 'stil@family.example' });
    for (const s of [publicSub, portalSub, coordinatorSub]) s.stop();
  });
});

describe('WebSocket caps', () => {
  it('closes a socket that sends a frame larger than the limit, without printing an internal error', async () => {
    const printed = jest.spyOn(console, 'error');
    try {
      const { socket, acked, closed } = await handshake(t.server.url, {});
      expect(acked).toBe(true);
      const query = `{ sdgs { id } } #${'x'.repeat(5000)}`;
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
      expect((await closed).code).toBe(1009);
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });

  it('allows a limited number of operations at once on one socket', async () => {
    const c = client({ key: portalSecret });
    const a = subscribe(c, PartnerJoinedDocument, { filter: { kinds: ['UNIVERSITY'] } });
    const b = subscribe(c, PartnerJoinedDocument, { filter: { kinds: ['MEDIA'] } });
    const third = await run(c, 'subscription { partnerJoined { id } }');
    expect(third.errors?.[0]).toMatchObject({
      extensions: { code: 'RATE_LIMITED' },
      message: 'At most 2 operations at once on one connection',
    });
    a.stop();
    b.stop();
  });

  it('allows a limited number of sockets per key', async () => {
    // A server of its own, so that no other test's sockets count against the cap of 2.
    const capped = await startTestServer({ limits: { ...RELAXED_LIMITS, wsMaxSocketsPerKey: 2 } });
    try {
      const open = [await handshake(capped.server.url, bearerInit()), await handshake(capped.server.url, bearerInit())];
      expect(open.map((o) => o.acked)).toEqual([true, true]);
      const third = await handshake(capped.server.url, bearerInit());
      expect(third.acked).toBe(false);
      expect(await third.closed).toEqual({
        code: WsCloseCode.TooManyConnections,
        reason: 'Too many open connections: at most 2 per key or address',
      });
      for (const o of open) o.socket.close();
      await Promise.all(open.map((o) => o.closed));
      // A closed socket frees its place (as soon as the server has seen it close).
      let again: Awaited<ReturnType<typeof handshake>> | undefined;
      const admitted = async () => (again = await handshake(capped.server.url, bearerInit())).acked;
      await until(admitted, { what: 'a socket of the key is admitted again after two of its sockets closed' });
      again!.socket.close();
    } finally {
      await capped.stop();
    }
  });

  it('closes open connections of a key the moment it is revoked', async () => {
    const created = expectData(
      await t.admin(CreateApiKeyDocument, {
        input: {
          name: 'Doomed',
          role: 'PORTAL',
          hubIds: (await t.db.dataSource.query<{ id: string }[]>('SELECT id FROM hub LIMIT 1')).map((h) => h.id),
        },
      }),
    ).createApiKey;
    const c = client({ key: created.secret });
    const partners = subscribe(c, PartnerJoinedDocument, { filter: {} });
    const closedCode = new Promise<unknown>((resolve) => c.on('closed', (e) => resolve(closeOf(e).code)));
    // The subscription is live once a query on the same socket has been answered.
    expect(expectData(await run<{ viewer: { role: string } }>(c, '{ viewer { role } }')).viewer.role).toBe('PORTAL');
    await t.raw({ query: `mutation { revokeApiKey(id: "${created.apiKey.id}") { id } }` }, bearer(TEST_ADMIN_KEY));
    expect(await closedCode).toBe(4403);
    await partners.completed;
  });
});
