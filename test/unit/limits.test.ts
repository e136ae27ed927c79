import { parse } from 'graphql';
import { buildSchema } from '../../src/graphql/build-schema';
import { costError } from '../../src/graphql/query-cost';
import { isDatabaseUnavailable } from '../../src/graphql/to-graphql-error';
import { isOwnOrigin } from '../../src/server/guard';
import { createRateLimiter } from '../../src/server/rate-limit';

describe('rate limiter (token bucket per caller)', () => {
  it.each([
    // perMinute, request times (ms), expected outcomes
    [3, [0, 0, 0, 0], [true, true, true, false]],
    [60, Array(61).fill(0), [...Array(60).fill(true), false]],
    [60, [...Array(60).fill(0), 1000], [...Array(60).fill(true), true]], // one token back per second
    [2, [0, 0, 0, 30_000, 30_000], [true, true, false, true, false]],
  ])('%i per minute', (perMinute, times, expected) => {
    let now = 0;
    const limiter = createRateLimiter({ perMinute, now: () => now });
    const outcomes = (times as number[]).map((t) => {
      now = t;
      return limiter.take('k').ok;
    });
    expect(outcomes).toEqual(expected);
  });

  it('keeps callers apart and says when to retry', () => {
    const limiter = createRateLimiter({ perMinute: 1, now: () => 0 });
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('b').ok).toBe(true);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 60 });
  });

  it('forgets refilled callers when it tracks too many', () => {
    let now = 0;
    const limiter = createRateLimiter({ perMinute: 1, maxCallers: 2, now: () => now });
    limiter.take('a');
    limiter.take('b');
    now = 120_000;
    expect(limiter.take('c').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(true); // a refilled long ago
  });
});

describe('query cost', () => {
  let schema: Awaited<ReturnType<typeof buildSchema>>;
  beforeAll(async () => {
    schema = await buildSchema();
  });
  const cost = (query: string, variables?: Record<string, unknown>, max = 1) => {
    const error = costError(schema, parse(query), variables, undefined, max);
    return error ? Number(/costs (\d+)/.exec(error.message)?.[1]) : 0;
  };

  it.each([
    ['{ sdgs { id } }', undefined, 1 + 17],
    ['{ stakeholders(first: 5) { totalCount } }', undefined, 1 + 5 * 1],
    ['query($n: Int) { stakeholders(first: $n) { edges { node { id } } } }', { n: 20 }, 1 + 20 * (1 + 1 * (1 + 1))],
    // Omitted and null both count the default page they return.
    ['{ stakeholders { edges { node { id } } } }', undefined, 1 + 20 * (1 + 1 * (1 + 1))],
    ['{ stakeholders(first: null) { edges { node { id } } } }', undefined, 1 + 20 * (1 + 1 * (1 + 1))],
    ['{ stakeholders(first: 100000) { edges { node { id } } } }', undefined, 1 + 100 * (1 + 1 * (1 + 1))],
    ['{ hub(id: "x") { members { id } } }', undefined, 1 + (1 + 20)],
    ['{ hub(id: "x") { members(first: null) { id } } }', undefined, 1 + (1 + 20)],
    ['{ hub(id: "x") { members(first: 100) { id } } }', undefined, 1 + (1 + 100)],
    ['{ mission(id: "x") { challenges { partnerships { id } } } }', undefined, 1 + (1 + 20 * (1 + 20))],
    ['{ hub(id: "x") { coordinators { name } } }', undefined, 1 + (1 + 20)],
    // Ranking is work of its own, beyond the page it returns.
    ['{ suggestPartners(challengeId: "x") { edges { node { score } } } }', undefined, 1 + 200 + 10 * (1 + (1 + 1))],
    ['{ suggestTeam(challengeId: "x", size: 3) { members { score } } }', undefined, 1 + 400 + 3 * (1 + 20 * 1)],
    ['{ expertise { id } }', undefined, 1 + 50],
    ['{ expertise(search: "water") { id } }', undefined, 1 + 50 + 50],
    ['{ __schema { types { fields { name } } } }', undefined, 0],
    // A resuming subscription runs its selection once per missed event.
    ['subscription { matchFound(challengeId: "x") { score } }', undefined, 1 + 1],
    ['subscription { matchFound(challengeId: "x", after: "e") { score reasons } }', undefined, 1 + 500 * 2],
  ])('%s costs %#', (query, variables, expected) => {
    expect(cost(query, variables)).toBe(expected);
  });

  it('passes what is under the limit', () => {
    expect(costError(schema, parse('{ sdgs { id } }'), undefined, undefined, 18)).toBeUndefined();
  });
});

describe('helpers', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, true],
    [{ message: 'Connection terminated unexpectedly' }, true],
    [{ driverError: { code: '57P01' } }, true],
    [{ message: 'Query runner already released. Cannot run queries anymore.' }, true],
    [{ message: 'Client was closed and is not queryable' }, true],
    [
      {
        message:
          'Database connection provided by a query runner was already released, cannot continue to use its querying methods anymore.',
      },
      true,
    ],
    [{ message: 'Query read timeout' }, true],
    [{ message: 'the database system is starting up' }, true],
    [{ code: '23505', message: 'duplicate key' }, false],
    [new Error('boom'), false],
  ])('isDatabaseUnavailable(%j) is %s', (error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });

  it.each([
    ['http://localhost:4000', 'localhost:4000', true],
    ['https://portal.example.org', 'localhost:4000', false],
    ['null', 'localhost:4000', false],
    ['http://localhost:4000', undefined, false],
    ['http://127.0.0.1:4000', '127.0.0.1:4000', true],
    // DNS rebinding: the attacker's page names its own host in Origin and Host alike.
    ['http://rebind.evil.example:4000', 'rebind.evil.example:4000', false],
    ['https://match.example.org', 'match.example.org', false],
  ])('isOwnOrigin(%s, %s) is %s', (origin, host, expected) => {
    expect(isOwnOrigin(origin, host)).toBe(expected);
  });

  it.each([
    [
      'https://match.example.org',
      'match.example.org',
      { allowedOrigins: ['https://match.example.org'], sameOriginByHost: false },
      true,
    ],
    [
      'https://match.example.org',
      'other.example.org',
      { allowedOrigins: ['https://match.example.org'], sameOriginByHost: false },
      true,
    ],
    ['https://match.example.org', 'match.example.org', { allowedOrigins: [], sameOriginByHost: true }, true],
    [
      'https://evil.example',
      'match.example.org',
      { allowedOrigins: ['https://match.example.org'], sameOriginByHost: true },
      false,
    ],
  ])('isOwnOrigin(%s, %s, %j) is %s', (origin, host, config, expected) => {
    expect(isOwnOrigin(origin, host, config)).toBe(expected);
  });
});
