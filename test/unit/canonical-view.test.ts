/**
 * Properties of the canonical form of a subscription's selection: any two spellings of one
 * selection (operation names, aliases, whitespace, order, fragments, variables or literals,
 * defaults spelled or not, @skip/@include) have one canonical text, two different selections
 * never do, and every spelling reads from the canonical result exactly what executing its own
 * text gives — the same names, in the same order.
 */
import fc from 'fast-check';
import { buildSchema, execute, ExecutionResult, GraphQLError, parse, validate } from 'graphql';
import { canonicalView, reshape } from '../../src/subscriptions/canonical-view';

const schema = buildSchema(`
  type Query { ping: Int }
  type Subscription { event(id: ID!, min: Float = 0.3): Event }
  type Event { id: ID! score: Float tags(first: Int = 2): [String!]! items(first: Int = 2, tag: String): [Item!]! }
  type Item { n: Int! label(upper: Boolean = false): String! child: Item }
`);

const rootValue = {
  event: (args: { id: string; min: number }) => ({
    id: args.id,
    score: args.min + 0.25,
    tags: ({ first }: { first: number }) => ['water', 'soil', 'air', 'light'].slice(0, first),
    items: ({ first, tag }: { first: number; tag?: string }) => Array.from({ length: first }, (_, i) => item(i, tag)),
  }),
};
function item(n: number, tag?: string): object {
  return {
    n,
    label: ({ upper }: { upper: boolean }) => (upper ? `ITEM ${n}${tag ?? ''}` : `item ${n}${tag ?? ''}`),
    child: n < 3 ? item(n + 1, tag) : null,
  };
}

/** A selection's meaning: fields by name with literal arguments (defaults spelled out), and their children. */
interface Field {
  name: string;
  args: Record<string, { literal: string; type: string; isDefault: boolean }>;
  children?: Field[];
}

const arg = (literal: string, type: string, isDefault = false) => ({ literal, type, isDefault });

function itemFields(depth: number): fc.Arbitrary<Field[]> {
  const options: fc.Arbitrary<Field>[] = [
    fc.constant({ name: 'n', args: {} }),
    fc.boolean().map((upper) => ({ name: 'label', args: { upper: arg(String(upper), 'Boolean', !upper) } })),
  ];
  if (depth > 0) options.push(itemFields(depth - 1).map((children) => ({ name: 'child', args: {}, children })));
  return uniqueFields(options);
}

const eventFields: fc.Arbitrary<Field[]> = uniqueFields([
  fc.constant({ name: 'id', args: {} }),
  fc.constant({ name: 'score', args: {} }),
  fc
    .integer({ min: 1, max: 3 })
    .map((first) => ({ name: 'tags', args: { first: arg(String(first), 'Int', first === 2) } })),
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.constantFrom(undefined, 'a', 'b'), itemFields(2))
    .map(([first, tag, children]) => ({
      name: 'items',
      args: {
        first: arg(String(first), 'Int', first === 2),
        ...(tag ? { tag: arg(JSON.stringify(tag), 'String') } : {}),
      },
      children,
    })),
]);

/** One to four fields, never the same field with the same arguments twice (that would be one field). */
function uniqueFields(options: fc.Arbitrary<Field>[]): fc.Arbitrary<Field[]> {
  return fc
    .array(fc.oneof(...options), { minLength: 1, maxLength: 4 })
    .map((fields) => [...new Map(fields.map((f) => [identity(f), f])).values()])
    .map((fields) => fields.map((f) => ({ ...f, children: f.children && merge(f.children) })));
}
function merge(fields: Field[]): Field[] {
  return [...new Map(fields.map((f) => [identity(f), f])).values()];
}
const identity = (f: Field) => `${f.name}(${Object.entries(f.args).map(([k, v]) => `${k}:${v.literal}`)})`;

function meaning(fields: Field[]): string {
  return JSON.stringify(
    fields
      .map((f) => [identity(f), f.children ? meaning(f.children) : ''])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  );
}

/** How one spelling chooses, drawn from a seed so that fast-check shrinks it. */
class Speller {
  private n = 0;
  readonly variables: Record<string, unknown> = {};
  readonly definitions: string[] = [];
  readonly fragments: string[] = [];
  constructor(private readonly rand: () => number) {}
  pick<T>(...xs: T[]): T {
    return xs[Math.floor(this.rand() * xs.length)];
  }
  shuffle<T>(xs: T[]): T[] {
    return [...xs]
      .map((x) => [this.rand(), x] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, x]) => x);
  }
  next(): number {
    return ++this.n;
  }
}

function spellArgs(f: Field, s: Speller): string {
  const parts = Object.entries(f.args).flatMap(([name, a]) => {
    if (a.isDefault && s.pick(true, false)) return [];
    if (s.pick(true, false)) return [`${name}: ${a.literal}`];
    const v = `v${s.next()}`;
    s.definitions.push(`$${v}: ${a.type}`);
    s.variables[v] = JSON.parse(a.literal);
    return [`${name}: $${v}`];
  });
  return parts.length ? `(${s.shuffle(parts).join(s.pick(', ', ' ', ','))})` : '';
}

function spellField(f: Field, alias: string | undefined, type: string, s: Speller): string {
  const head = `${alias ? `${alias}${s.pick(':', ': ', ' : ')}` : ''}${f.name}${spellArgs(f, s)}`;
  const guard = s.pick('', '', ' @include(if: true)', ' @skip(if: false)');
  return f.children ? `${head}${guard} { ${spellSet(f.children, childType(f), s)} }` : `${head}${guard}`;
}
const childType = (f: Field) => (f.name === 'items' || f.name === 'child' ? 'Item' : 'Event');

function spellSet(fields: Field[], type: string, s: Speller): string {
  const used = new Set<string>();
  const spelled = s.shuffle(fields).flatMap((f) => {
    // A second field with one name needs an alias; others may take one too.
    const alias = used.has(f.name) || s.pick(false, false, true) ? `a${s.next()}` : undefined;
    used.add(alias ?? f.name);
    const once = spellField(f, alias, type, s);
    // Asked twice under one name (each copy wrapped its own way below): GraphQL merges it, and so
    // must the canonical form. The same text: a copy with other aliases inside would not be valid.
    return s.pick(false, false, false, true) ? [once, once] : [once];
  });
  if (s.pick(true, false)) spelled.push(`skipped${s.next()}: __typename @skip(if: true)`);
  const grouped = spelled.map((text) => {
    switch (s.pick('plain', 'plain', 'inline', 'typed', 'named')) {
      case 'inline':
        return `... { ${text} }`;
      case 'typed':
        return `... on ${type} { ${text} }`;
      case 'named': {
        const name = `F${s.next()}`;
        s.fragments.push(`fragment ${name} on ${type} { ${text} }`);
        return `...${name}`;
      }
      default:
        return text;
    }
  });
  return grouped.join(s.pick(' ', '\n  ', ', '));
}

function spell(fields: Field[], seed: number): { query: string; variables: Record<string, unknown> } {
  let x = seed || 1;
  const s = new Speller(() => (x = (x * 48271) % 2147483647) / 2147483647);
  const root: Field = { name: 'event', args: { id: arg('"c1"', 'ID!'), min: arg('0.3', 'Float', true) }, children: [] };
  const body = spellSet(fields, 'Event', s);
  const alias = s.pick(undefined, 'x', 'matchFound');
  const head = `${alias ? `${alias}: ` : ''}event${spellArgs(root, s)}`;
  const name = s.pick('', 'OnMatch', `Sub${s.next()}`);
  const defs = s.definitions.length ? `(${s.definitions.join(', ')})` : '';
  const query = `subscription ${name}${defs} { ${head} { ${body} } }\n${s.fragments.join('\n')}`;
  return { query, variables: s.variables };
}

function run(query: string, variables: Record<string, unknown> = {}): ExecutionResult {
  const document = parse(query);
  // A spelling the generator got wrong would execute anyway (graphql-js takes the first of two
  // conflicting fields): only valid documents count.
  expect(validate(schema, document)).toEqual([]);
  const result = execute({ schema, document, rootValue, variableValues: variables });
  if ('then' in result) throw new Error('sync execution expected');
  return result;
}

describe('canonical view of a subscription selection', () => {
  it('gives two spellings of one selection one canonical text', () => {
    fc.assert(
      fc.property(eventFields, fc.integer({ min: 1 }), fc.integer({ min: 1 }), (fields, a, b) => {
        const one = spell(fields, a);
        const two = spell(fields, b);
        run(one.query, one.variables);
        run(two.query, two.variables);
        const viewOne = canonicalView(schema, parse(one.query), undefined, one.variables);
        const viewTwo = canonicalView(schema, parse(two.query), undefined, two.variables);
        expect(viewOne).toBeDefined();
        expect(viewOne!.text).toBe(viewTwo!.text);
      }),
      { numRuns: 300 },
    );
  });

  it('never gives two different selections one canonical text', () => {
    fc.assert(
      fc.property(eventFields, eventFields, fc.integer({ min: 1 }), (f, g, seed) => {
        fc.pre(meaning(f) !== meaning(g));
        const one = spell(f, seed);
        const two = spell(g, seed);
        const viewOne = canonicalView(schema, parse(one.query), undefined, one.variables)!;
        const viewTwo = canonicalView(schema, parse(two.query), undefined, two.variables)!;
        expect(viewOne.text).not.toBe(viewTwo.text);
      }),
      { numRuns: 300 },
    );
  });

  it('reads from the canonical result exactly what the spelling itself executes to, names and order', () => {
    fc.assert(
      fc.property(eventFields, fc.integer({ min: 1 }), (fields, seed) => {
        const { query, variables } = spell(fields, seed);
        const own = run(query, variables);
        expect(own.errors).toBeUndefined();
        const view = canonicalView(schema, parse(query), undefined, variables)!;
        const shared = reshape(view, run(view.text));
        expect(JSON.stringify(shared)).toBe(JSON.stringify(own));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['bad variables (execution reports them)', 'subscription($id: ID!) { event(id: $id) { id } }', {}],
    ['a directive it does not know', 'subscription { event(id: "1") { id @deprecated } }', {}],
  ])('leaves a selection it cannot put in canonical form to run as written: %s', (_what, query, variables) => {
    expect(canonicalView(schema, parse(query), undefined, variables)).toBeUndefined();
  });

  it('renames error paths into the spelling', () => {
    const view = canonicalView(schema, parse('subscription { e: event(id: "1") { mine: id } }'), undefined, {})!;
    const canonicalKey = view.shape[0][1];
    const result = reshape(view, {
      data: null,
      errors: [new GraphQLError('boom', { path: [canonicalKey, 'id'] })],
    });
    expect(result.errors![0].path).toEqual(['e', 'mine']);
  });
});
