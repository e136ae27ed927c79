import { parse } from 'graphql';
import { buildSchema } from '../../src/graphql/build-schema';
import { costError } from '../../src/graphql/query-cost';
import { isDatabaseUnavailable } from '../../src/graphql/to-graphql-error';
import { isOwnOrigin } from '../../src/graphql/origin';
import { createRateLimiter } from '../../src/graphql/rate-limit';

describe('rate limiter (one-minute window per caller, in memory)', () => {
  it.each([
    // perMinute, requests, expected outcomes
    [3, 4, [true, true, true, false]],
    [60, 61, [...Array<boolean>(60).fill(true), false]],
    [1, 2, [true, false]],
  ])('%i per minute, %i requests', async (perMinute, requests, expected) => {
    const limiter = createRateLimiter({ perMinute, name: 'unit' });
    const outcomes: boolean[] = [];
    for (let i = 0; i < requests; i++) outcomes.push((await limiter.take('k')).ok);
    expect(outcomes).toEqual(expected);
  });

  it('keeps callers apart and says when to retry', async () => {
    const limiter = createRateLimiter({ perMinute: 1, name: 'unit' });
    expect((await limiter.take('a')).ok).toBe(true);
    expect((await limiter.take('b')).ok).toBe(true);
    const refused = await limiter.take('a');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    if (!refused.ok) expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('keeps two limiters apart (keyed and anonymous budgets)', async () => {
    const a = createRateLimiter({ perMinute: 1, name: 'a' });
    const b = createRateLimiter({ perMinute: 1, name: 'b' });
    expect((await a.take('x')).ok).toBe(true);
    expect((await b.take('x')).ok).toBe(true);
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
    ['{ suggestPartners(challengeId: "x") { edges { node { score } } } }', undefined, 1 + 600 + 10 * (1 + (1 + 1))],
    ['{ suggestTeam(challengeId: "x", size: 3) { members { score } } }', undefined, 1 + 400 + 3 * (1 + 20 * 1)],
    ['{ expertise { id } }', undefined, 1 + 50],
    ['{ expertise(search: "water") { id } }', undefined, 1 + 50 + 50],
    // A name search or a circle is work (no index narrows two letters or a radius round the earth).
    ['{ stakeholders(first: 5, filter: { search: "a0" }) { totalCount } }', undefined, 1 + 50 + 5],
    [
      '{ stakeholders(first: 5, filter: { near: { latitude: 0, longitude: 0, radiusKm: 20000 } }) { totalCount } }',
      undefined,
      1 + 50 + 5,
    ],
    ['{ stakeholders(first: 5, filter: { kinds: [MEDIA] }) { totalCount } }', undefined, 1 + 5],
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

  // Execution reports these with a precise message of its own: the cost check leaves them to it.
  it.each([
    ['query($n: Int) { stakeholders(first: $n) { totalCount } }', { n: 'many' }, undefined],
    ['query($id: ID!) { hub(id: $id) { id } }', {}, undefined],
    ['query A { sdgs { id } }', undefined, 'B'],
  ])('leaves %s with %j (operation %s) to execution', (query, variables, operationName) => {
    expect(costError(schema, parse(query), variables, operationName, 1_000_000)).toBeUndefined();
  });

  // Anything else that stops the estimate is a refusal, never a pass: the price is unknown.
  it.each([
    '{ stakeholders(first: "many") { totalCount } }',
    '{ hub { id } }',
    '{ hub(id: "x") { members(first: 1.5) { id } } }',
  ])('refuses %s, whose cost cannot be estimated', (query) => {
    const error = costError(schema, parse(query), undefined, undefined, 1_000_000);
    expect(error?.extensions.code).toBe('QUERY_TOO_COSTLY');
    expect(error?.message).toMatch(/could not be estimated/);
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
          'Database connection provided by a query runner was already released, ' +
          'cannot continue to use its querying methods anymore.',
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
