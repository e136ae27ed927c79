/**
 * One event costs a bounded amount of work, however subscribers spell their selections and
 * however many they hold: spellings of one selection share one execution; subscriptions are
 * priced per event and bounded per connection, per key or address and per instance; an event's
 * executions run a few at a time; a client that does not read is disconnected, not buffered.
 */
import { GraphQLFormattedError, parse, print } from 'graphql';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ImportStakeholdersDocument } from '../generated/graphql';
import { buildSchema } from '../../src/graphql/build-schema';
import { priceOfSubscription } from '../../src/graphql/subscription-budget';
import { sharedExecutions, takeMostInFlight } from '../../src/subscriptions/shared-execution';
import { WsCloseCode } from '../../src/server/close-codes';
import { createChallenge, createStakeholders, north } from '../helpers/network';
import { bearer, expectData, RELAXED_LIMITS, startTestServer, TEST_ADMIN_KEY, TestServer } from '../helpers/server';
import { isErrorList, isRecord } from '../helpers/json';
import { handshake, until } from '../helpers/ws-client';

const clients: Client[] = [];
const servers: TestServer[] = [];
afterAll(async () => {
  for (const c of clients) await c.dispose();
  for (const s of servers) await s.stop();
});

async function server(limits: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const t = await startTestServer(limits);
  servers.push(t);
  return t;
}

function client(t: TestServer, key?: string): Client {
  const c = createClient({
    url: t.server.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: key ? bearer(key) : undefined,
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(c);
  return c;
}

interface Sub {
  results: { data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] }[];
  stop(): void;
}

/** A subscription by its text, as an attacker would send it (raw, not a typed document). */
function listen(c: Client, query: string, variables: Record<string, unknown>): Sub {
  const results: Sub['results'] = [];
  const stop = c.subscribe(
    { query, variables },
    {
      next: (r) => void results.push(r),
      error: (e) => void results.push({ errors: isErrorList(e) ? e : [{ message: String(e) }] }),
      complete: () => undefined,
    },
  );
  return { results, stop };
}

async function challengeWithSchool(t: TestServer): Promise<string> {
  const { School } = await createStakeholders(t, [{ name: 'School', kind: 'SCHOOL', sdgs: [6], location: north(0) }]);
  return (await createChallenge(t, { schoolId: School, title: 'Water', sdgs: [6], expertiseNeeded: [] })).id;
}

const partner = (t: TestServer, name: string, km: number) =>
  createStakeholders(t, [{ name, kind: 'UNIVERSITY', sdgs: [6], location: north(km) }]);

/** `value[key]`, for data read by aliases known only at run time; fails unless `value` is an object. */
function at(value: unknown, key: string): unknown {
  if (!isRecord(value)) throw new Error(`expected an object with ${key}, got ${JSON.stringify(value)}`);
  return value[key];
}

/** The i-th spelling of one selection: its own operation name, aliases, order, whitespace, fragments. */
function spelling(i: number): {
  query: string;
  read: (data: unknown) => { score: unknown; name: unknown; reasons: unknown };
} {
  const score = i % 3 === 0 ? 'score' : `s${i}: score`;
  const who = i % 2 === 0 ? 'stakeholder' : `who${i}: stakeholder`;
  const root = i % 4 === 0 ? 'matchFound' : `m${i}: matchFound`;
  const fields = [score, `${who} { ... on Stakeholder { name } id }`, 'reasons'];
  const ordered = i % 5 === 0 ? fields.reverse() : fields;
  const body = i % 7 === 0 ? `...F${i}` : ordered.join(' '.repeat(1 + (i % 3)));
  const fragment = i % 7 === 0 ? `\nfragment F${i} on Match { ${ordered.join('\n')} }` : '';
  const query = `subscription Op${i}($c: ID!) {\n ${root}(challengeId: $c) { ${body} } }${fragment}`;
  return {
    query,
    read: (data) => {
      const m = at(data, root.includes(':') ? `m${i}` : 'matchFound');
      return {
        score: at(m, score.includes(':') ? `s${i}` : 'score'),
        name: at(at(m, who.includes(':') ? `who${i}` : 'stakeholder'), 'name'),
        reasons: at(m, 'reasons'),
      };
    },
  };
}

describe('one event, one execution per view, whatever the spelling', () => {
  it('runs 60 differently spelled subscriptions of one selection once, and answers each in its own shape', async () => {
    const t = await server();
    const challengeId = await challengeWithSchool(t);
    const sockets = Array.from({ length: 4 }, () => client(t));
    const spellings = Array.from({ length: 60 }, (_, i) => spelling(i));
    expect(new Set(spellings.map((s) => s.query)).size).toBe(60);
    const subs = spellings.map((s, i) => listen(sockets[i % 4], s.query, { c: challengeId }));
    await until(() => t.live.size >= 60, 20_000);
    const before = sharedExecutions();
    await partner(t, 'Waterlab', 1);
    await until(() => subs.every((s) => s.results.length >= 1), 20_000);
    expect(sharedExecutions() - before).toBe(1);
    const answers = subs.map((s, i) => {
      expect(s.results[0].errors).toBeUndefined();
      return spellings[i].read(s.results[0].data);
    });
    expect(answers[0].name).toBe('Waterlab');
    for (const a of answers) expect(a).toEqual(answers[0]);
    for (const s of subs) s.stop();
  }, 90_000);
});

const SMALL = 'subscription($c: ID!) { matchFound(challengeId: $c) { score } }';

describe('subscriptions are priced per event and bounded', () => {
  it('refuses one past each bound (connection, key or address, instance) and takes one again once freed', async () => {
    const price = priceOfSubscription(await buildSchema(), parse(SMALL), { c: 'x' }, undefined);
    expect(price).toBeGreaterThan(1);
    const t = await server({
      limits: {
        ...RELAXED_LIMITS,
        subscriptionCostPerConnection: 2 * price,
        subscriptionCostPerCaller: 3 * price,
        subscriptionCostPerInstance: 4 * price,
      },
    });
    const challengeId = await challengeWithSchool(t);
    const held = () => t.live.size;
    const attempt = async (c: Client) => {
      const before = held();
      const s = listen(c, SMALL, { c: challengeId });
      // Admitted: it registers with the feed; refused: its error arrives.
      await until(() => held() > before || s.results.length > 0, 10_000);
      return s;
    };
    const refusedBy = (s: Sub) => {
      const [error] = s.results[0]?.errors ?? [];
      return error
        ? `${error.extensions?.code}: ${/may hold/.test(error.message) && error.message.split(';')[1]}`
        : 'admitted';
    };
    const a = client(t);
    const b = client(t);
    const keyed = client(t, TEST_ADMIN_KEY);
    const rows: [string, Client, RegExp | 'admitted'][] = [
      ['first on a connection', a, 'admitted'],
      ['second on a connection', a, 'admitted'],
      ['third on a connection', a, /SUBSCRIPTIONS_TOO_COSTLY: +one connection may hold/],
      ['third of the address, on another connection', b, 'admitted'],
      ['fourth of the address', b, /SUBSCRIPTIONS_TOO_COSTLY: +one API key or address may hold/],
      ['fourth on the instance, with a key', keyed, 'admitted'],
      ['fifth on the instance', keyed, /SUBSCRIPTIONS_TOO_COSTLY: +this server may hold/],
    ];
    const subs: Sub[] = [];
    for (const [what, c, expected] of rows) {
      const s = await attempt(c);
      subs.push(s);
      if (expected === 'admitted') expect([what, refusedBy(s)]).toEqual([what, 'admitted']);
      else expect([what, refusedBy(s)]).toEqual([what, expect.stringMatching(expected)]);
    }
    // Ending one frees its price: the keyed caller gets its second.
    subs[0].stop();
    await until(() => held() === 3);
    expect(refusedBy(await attempt(keyed))).toBe('admitted');
    // A connection that closes frees all of its subscriptions' prices (the keyed one is full: a new one).
    expect(refusedBy(await attempt(client(t, TEST_ADMIN_KEY)))).toMatch(/this server may hold/);
    await b.dispose();
    await until(() => held() === 3);
    expect(refusedBy(await attempt(client(t, TEST_ADMIN_KEY)))).toBe('admitted');
  }, 60_000);
});

describe("an event's executions", () => {
  it('run at most WS_EVENT_CONCURRENCY at once, each in a turn of its own', async () => {
    const t = await server({ limits: { ...RELAXED_LIMITS, eventConcurrency: 2 } });
    const challengeId = await challengeWithSchool(t);
    const c = client(t);
    // Eight selections that differ in what they ask: eight views, eight executions.
    const fields = ['score', 'reasons', 'eventCursor', 'foundAt', 'stakeholder { id }', 'stakeholder { name }'];
    const queries = fields.flatMap((f, i) => [
      `subscription($c: ID!) { matchFound(challengeId: $c) { ${f} } }`,
      ...(i < 2 ? [`subscription($c: ID!) { matchFound(challengeId: $c) { ${f} challenge { id } } }`] : []),
    ]);
    const subs = queries.map((q) => listen(c, q, { c: challengeId }));
    await until(() => t.live.size >= queries.length, 20_000);
    const before = sharedExecutions();
    takeMostInFlight();
    await partner(t, 'Waterlab', 1);
    await until(() => subs.every((s) => s.results.length >= 1), 20_000);
    expect(sharedExecutions() - before).toBe(queries.length);
    expect(takeMostInFlight()).toBeLessThanOrEqual(2);
    for (const s of subs) expect(s.results[0].errors).toBeUndefined();
    for (const s of subs) s.stop();
  }, 60_000);
});

describe('a subscriber that falls behind', () => {
  it('is disconnected with 4008 once more than WS_MAX_QUEUED_EVENTS of its events wait, never buffered', async () => {
    const t = await server({ limits: { ...RELAXED_LIMITS, wsMaxQueuedEvents: 2 } });
    const challengeId = await challengeWithSchool(t);
    const { socket, acked, closed } = await handshake(t.server.url, {});
    expect(acked).toBe(true);
    socket.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: print(parse(SMALL)), variables: { c: challengeId } },
      }),
    );
    await until(() => t.live.size === 1);
    // One import: six new partners matched in one relayed change, six events at once.
    const rows = Array.from({ length: 6 }, (_, i) => `stakeholder,lab-${i},UNIVERSITY,Lab ${i},Leuven,BE,6,`);
    const content = ['record,externalId,kind,name,city,countryCode,sdgs,expertise', ...rows].join('\n') + '\n';
    expectData(await t.admin(ImportStakeholdersDocument, { input: { format: 'CSV', content } }));
    expect((await closed).code).toBe(WsCloseCode.TooSlow);
    await until(() => t.live.size === 0);
  }, 60_000);
});
