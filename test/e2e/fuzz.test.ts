/**
 * Thousands of generated documents, variables and bodies against the real HTTP server: deep
 * nesting, floods of aliases, wrong types, unicode, huge strings, nulls. Whatever arrives, the
 * answer is a 4xx or a GraphQL result, never a 5xx, a stack trace or SQL, and the server keeps
 * answering.
 */
import fc from 'fast-check';
import { isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { buildSchema } from '../../src/graphql/build-schema';
import { bearer, expectData, RELAXED_LIMITS, startTestServer, TEST_ADMIN_KEY, TestServer } from '../helpers/server';

let t: TestServer;
let fieldNames: string[] = [];
let argNames: string[] = [];

beforeAll(async () => {
  t = await startTestServer({ limits: RELAXED_LIMITS });
  const schema = await buildSchema();
  const fields = new Set<string>();
  const args = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    // The types with fields: objects and interfaces, and input objects (whose fields take no arguments).
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const f of Object.values(type.getFields())) {
        fields.add(f.name);
        for (const a of f.args) args.add(a.name);
      }
    } else if (isInputObjectType(type)) {
      for (const f of Object.values(type.getFields())) fields.add(f.name);
    }
  }
  fieldNames = [...fields];
  argNames = [...args];
});
afterAll(() => t?.stop());

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '🦆'.repeat(50),
    '\u202e',
    "Robert'); DROP TABLE stakeholder;--",
    '%s%n',
    'x'.repeat(20_000),
  ),
);
const scalar = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  text,
  fc.constantFrom(2 ** 31, -(2 ** 53), 1e308, Number.MAX_SAFE_INTEGER),
  fc.uuid(),
  fc.constantFrom('SCHOOL', 'FAMILY', 'ADMIN', 'IDEA', 'CSV'),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 12 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

function literal(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`;
  if (typeof v === 'object')
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(k) ? k : 'k'}: ${literal(x)}`)
      .join(', ')} }`;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '0';
  if (typeof v === 'string' && /^[A-Z_]+$/.test(v)) return v; // enum-like
  return JSON.stringify(v);
}

const name = () => fc.oneof(fc.constantFrom(...fieldNames), fc.constantFrom('__typename', '__schema', 'nope', 'Ω'));
const args = () => fc.array(fc.tuple(fc.constantFrom(...argNames, 'zzz'), jsonValue), { maxLength: 3 });
const selection: () => fc.Arbitrary<string> = () =>
  fc.letrec((tie) => ({
    set: fc.array(tie('field'), { minLength: 1, maxLength: 5 }).map((fs) => `{ ${fs.join(' ')} }`),
    field: fc.oneof(
      { depthSize: 'small' },
      fc
        .tuple(fc.option(fc.constantFrom('a', 'b', 'c1')), name(), args())
        .map(
          ([alias, n, a]) =>
            `${alias ? `${alias}: ` : ''}${n}` +
            (a.length ? `(${a.map(([k, v]) => `${k}: ${literal(v)}`).join(', ')})` : ''),
        ),
      fc.tuple(name(), tie('set')).map(([n, s]) => `${n} ${s}`),
    ),
  })).set;

const document = () =>
  fc.oneof(
    fc
      .tuple(
        fc.constantFrom('', 'query ', 'mutation ', 'subscription ', 'query Q($first: Int, $id: ID!) '),
        selection(),
      )
      .map(([op, s]) => op + s),
    fc.nat({ max: 60 }).map((n) => `{ ${'hubs { members { '.repeat(n)}id${' } }'.repeat(n)} }`),
    fc.nat({ max: 400 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: sdgs { id }`).join(' ')} }`),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom(
      '{',
      '}}}}',
      'query { ...F } fragment F on Query { ...F }',
      '{ sdgs { id } } # ' + 'x'.repeat(30_000),
    ),
  );

async function post(body: string, headers: Record<string, string>) {
  const res = await fetch(t.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, text: await res.text() };
}

function expectSafe(r: { status: number; text: string }) {
  expect(r.status).toBeLessThan(500);
  expect(r.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|QueryFailedError|syntax error at or near|SELECT .* FROM/);
}

const caller = fc.constantFrom<Record<string, string>>(
  {},
  bearer(TEST_ADMIN_KEY),
  bearer('osm_unknown'),
  { authorization: 'Basic \u00ff\u00fe' },
  { authorization: `Bearer ${'a'.repeat(300)}` },
);

describe('generated hostile input over HTTP', () => {
  it('answers every generated document and variables without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        document(),
        fc.option(fc.dictionary(fc.constantFrom('first', 'id', 'input', 'x'), jsonValue)),
        caller,
        async (query, variables, headers) => {
          expectSafe(await post(JSON.stringify({ query, variables }), headers));
        },
      ),
      { numRuns: 1500 },
    );
  }, 180_000);

  it('answers every generated request body without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          jsonValue.map((v) => JSON.stringify(v)),
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.constantFrom(
            '',
            'null',
            '[]',
            '{"query":null}',
            '{"query":{}}',
            '{"query":"{ sdgs { id } }","variables":"x"}',
          ),
        ),
        caller,
        async (body, headers) => {
          expectSafe(await post(body, headers));
        },
      ),
      { numRuns: 1000 },
    );
  }, 180_000);

  it('still answers afterwards', async () => {
    const res = await t.raw<{ sdgs: { id: string }[] }>({ query: '{ sdgs { id } }' });
    expect(res.status).toBe(200);
    expect(expectData(res.json).sdgs).toHaveLength(17);
    expect((await fetch(t.server.url.replace('/graphql', '/readyz'))).status).toBe(200);
  });
});
