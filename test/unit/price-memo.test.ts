/**
 * An operation's price is kept per document by the shape of its variables (each string reduced to
 * whether it is empty), so a second request that differs only in ids and words is not walked
 * again. Kept prices must be the prices: for any variables, the price of a document seen before
 * equals the price of the same operation parsed afresh (nothing kept). A price that came to read
 * what a string says would break this property.
 */
import fc from 'fast-check';
import { GraphQLSchema, parse } from 'graphql';
import { buildSchema } from '../../src/graphql/build-schema';
import { operationCost } from '../../src/graphql/query-cost';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchema();
});

/** Operations whose price reads variables: page sizes, cursors, searches, and fields skipped or kept. */
const SOURCES = [
  `query($c: ID!, $first: Int, $after: String) { suggestPartners(challengeId: $c, first: $first, after: $after)
     { totalCount edges { node { score stakeholder { id name } } } } }`,
  `query($f: StakeholderFilter, $first: Int, $b: Boolean!) { stakeholders(filter: $f, first: $first)
     { edges { node { id name partnerships @include(if: $b) { id } } } } }`,
  `query($q: String, $first: Int) { expertise(search: $q, first: $first) { slug } }`,
  `subscription($c: ID!, $after: String) { matchFound(challengeId: $c, after: $after) { score } }`,
  `query($s: ID!, $size: Int) { suggestTeam(challengeId: $s, size: $size) { members { score } } }`,
];
const DOCUMENTS = SOURCES.map((s) => parse(s));

const text = fc.oneof(fc.constant(''), fc.constant(' '), fc.string({ maxLength: 12 }));
const variables = fc.record(
  {
    c: text,
    s: text,
    q: fc.option(text, { nil: null }),
    after: fc.option(text, { nil: null }),
    first: fc.option(fc.integer({ min: -5, max: 300 }), { nil: null }),
    size: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
    b: fc.boolean(),
    f: fc.option(
      fc.record(
        { search: fc.option(text, { nil: null }), regionCode: text, near: fc.constant(null) },
        { requiredKeys: [] },
      ),
      { nil: null },
    ),
  },
  { requiredKeys: ['b'] },
);

describe('prices kept by the shape of the variables', () => {
  it('are the prices a fresh walk gives, whatever the strings say', () => {
    fc.assert(
      fc.property(fc.nat({ max: SOURCES.length - 1 }), variables, (which, vars) => {
        const kept = operationCost(schema, DOCUMENTS[which], vars, undefined);
        const fresh = operationCost(schema, parse(SOURCES[which]), vars, undefined);
        expect(kept).toEqual(fresh);
      }),
      { numRuns: 600 },
    );
  });

  it('are kept per operation of a document: a cheap one priced first never prices a dear one', () => {
    // The same variables for both: only the operation's name tells their prices apart.
    const two = parse(`query Cheap($c: ID) { sdgs { id } challenge(id: $c) { id } }
      query Dear($c: ID!) { suggestPartners(challengeId: $c, first: 100) { edges { node { score } } } }`);
    const cheap = operationCost(schema, two, { c: 'x' }, 'Cheap');
    const dear = operationCost(schema, two, { c: 'x' }, 'Dear');
    expect(dear).toBeGreaterThan(cheap as number);
    expect(operationCost(schema, two, { c: 'y' }, 'Dear')).toBe(dear);
    expect(operationCost(schema, two, { c: 'y' }, 'Cheap')).toBe(cheap);
  });

  it('tell a search or a cursor given from none (the prices that read a string)', () => {
    const [suggest, list, expertise] = DOCUMENTS;
    const price = (d: (typeof DOCUMENTS)[number], v: Record<string, unknown>) => operationCost(schema, d, v, undefined);
    expect(price(expertise, { q: 'water' })).toBeGreaterThan(price(expertise, { q: '' }) as number);
    expect(price(list, { b: false, f: { search: 'water' } })).toBeGreaterThan(
      price(list, { b: false, f: { search: '' } }) as number,
    );
    expect(price(list, { b: true })).toBeGreaterThan(price(list, { b: false }) as number);
    expect(price(suggest, { c: 'a', first: 50 })).toBeGreaterThan(price(suggest, { c: 'a', first: 5 }) as number);
  });
});
