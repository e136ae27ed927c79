/**
 * Every string input of the schema, found by walking it: at its cap it passes, one character
 * over it is refused with BAD_USER_INPUT naming its path; NUL bytes and lone surrogates are
 * refused everywhere; every list input is capped too.
 */
import {
  getNullableType,
  GraphQLArgument,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  parse,
} from 'graphql';
import { buildSchema } from '../../src/graphql/build-schema';
import { DEFAULT_LIST_CAP, inputError, LIST_CAPS, stringCap } from '../../src/graphql/input-limits';
import { textFault } from '../../src/domain/text';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchema();
});

const UUID = '00000000-0000-4000-8000-000000000000';

/** A value the type accepts, with every required part filled. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [];
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) if (isNonNullType(f.type)) out[f.name] = sample(f.type);
    return out;
  }
  if (isEnumType(type)) return type.getValues()[0].value;
  const named = type as GraphQLNamedType;
  return (
    { String: 'x', ID: UUID, Int: 1, Float: 1, Boolean: false, DateTimeISO: '2026-01-01T00:00:00.000Z' }[named.name] ??
    'x'
  );
}

interface Leaf {
  /** Where the string sits, as the error names it. */
  path: string;
  name: string;
  /** Builds the argument's value with `text` at this leaf. */
  make(text: string): unknown;
}

/** Every string leaf reachable from an argument (one element of each list). */
function leaves(
  type: GraphQLInputType,
  path: string,
  name: string,
  make: (v: unknown) => unknown,
  seen = new Set<string>(),
): Leaf[] {
  const t = getNullableType(type);
  if (isListType(t)) return leaves(t.ofType, `${path}[0]`, name, (v) => make([v]), seen);
  if (isInputObjectType(t)) {
    if (seen.has(t.name)) return [];
    return Object.values(t.getFields()).flatMap((f) =>
      leaves(
        f.type,
        `${path}.${f.name}`,
        f.name,
        (v) => make({ ...(sample(t) as object), [f.name]: v }),
        new Set(seen).add(t.name),
      ),
    );
  }
  if (isScalarType(t) && (t.name === 'String' || t.name === 'ID')) return [{ path, name, make: (v) => make(v) }];
  return [];
}

function cases() {
  const out: [
    string,
    { field: string; arg: GraphQLArgument; leaf: Leaf; operation: 'query' | 'mutation' | 'subscription' },
  ][] = [];
  for (const operation of ['query', 'mutation', 'subscription'] as const) {
    const root =
      operation === 'query'
        ? schema.getQueryType()
        : operation === 'mutation'
          ? schema.getMutationType()
          : schema.getSubscriptionType();
    if (!root || !isObjectType(root)) continue;
    for (const field of Object.values(root.getFields())) {
      for (const arg of field.args) {
        for (const leaf of leaves(arg.type, arg.name, arg.name, (v) => v))
          out.push([`${field.name}(${leaf.path})`, { field: field.name, arg, leaf, operation }]);
      }
    }
  }
  return out;
}

/** Runs the check on `field(arg: $v)` with every other required argument filled. */
function verdict(c: ReturnType<typeof cases>[number][1], text: string) {
  const root = (
    c.operation === 'query'
      ? schema.getQueryType()
      : c.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType()
  )!;
  const def = root.getFields()[c.field];
  const others = def.args.filter((a) => a.name !== c.arg.name && isNonNullType(a.type));
  const decl = [c.arg, ...others].map((a, i) => `$v${i}: ${a.type.toString()}`).join(', ');
  const call = [c.arg, ...others].map((a, i) => `${a.name}: $v${i}`).join(', ');
  const variables: Record<string, unknown> = { v0: c.leaf.make(text) };
  others.forEach((a, i) => (variables[`v${i + 1}`] = sample(a.type)));
  const doc = parse(`${c.operation} (${decl}) { ${c.field}(${call}) { __typename } }`);
  return inputError(schema, doc, variables, undefined);
}

describe('every string input is capped before any work', () => {
  // Built lazily: the schema exists only after beforeAll.
  const table = () => cases();

  it('finds the string inputs of the schema', () => {
    expect(table().length).toBeGreaterThan(60);
  });

  it('passes each at its cap and refuses it one over, naming the path and the rule', () => {
    const wrong: string[] = [];
    for (const [label, c] of table()) {
      const cap = stringCap(c.leaf.name);
      const at = verdict(c, 'a'.repeat(cap));
      const over = verdict(c, 'a'.repeat(cap + 1));
      if (at) wrong.push(`${label} at its cap ${cap}: ${at.message}`);
      const expected = `${c.leaf.path} must be at most ${cap} characters, got ${cap + 1}`;
      if (
        over?.message !== expected ||
        over.extensions.code !== 'BAD_USER_INPUT' ||
        over.extensions.field !== c.leaf.path
      ) {
        wrong.push(`${label} one over: ${over?.message ?? 'accepted'}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    ['a NUL byte', 'ab\u0000c', 'must not contain NUL characters'],
    ['a lone high surrogate', 'ab\uD800c', 'must be well-formed Unicode (it holds a lone surrogate)'],
    ['a lone low surrogate', 'ab\uDC00', 'must be well-formed Unicode (it holds a lone surrogate)'],
  ])('refuses %s in every string input', (_what, text, message) => {
    const wrong = table()
      .map(([label, c]) => [label, c, verdict(c, text)] as const)
      .filter(([, c, e]) => e?.message !== `${c.leaf.path} ${message}`)
      .map(([label, , e]) => `${label}: ${e?.message ?? 'accepted'}`);
    expect(wrong).toEqual([]);
  });

  it('accepts well-formed text outside the Basic Multilingual Plane', () => {
    expect(textFault('Ψ water 💧 ')).toBeUndefined();
  });

  it('caps every list input', () => {
    const search = schema.getMutationType()!.getFields().addHubMembers;
    const doc = parse('mutation ($ids: [ID!]!) { addHubMembers(hubId: "x", stakeholderIds: $ids) { id } }');
    const cap = LIST_CAPS.stakeholderIds;
    expect(search).toBeDefined();
    expect(inputError(schema, doc, { ids: Array(cap).fill(UUID) }, undefined)).toBeUndefined();
    expect(inputError(schema, doc, { ids: Array(cap + 1).fill(UUID) }, undefined)?.message).toBe(
      `stakeholderIds must have at most ${cap} items, got ${cap + 1}`,
    );
    const tags = parse(
      'query ($e: [String!]) { suggestPartners(challengeId: "x", filter: { expertise: $e }) { totalCount } }',
    );
    expect(inputError(schema, tags, { e: Array(DEFAULT_LIST_CAP + 1).fill('x') }, undefined)?.message).toBe(
      `filter.expertise must have at most ${DEFAULT_LIST_CAP} items, got ${DEFAULT_LIST_CAP + 1}`,
    );
  });

  it('checks literals in the document as well as variables', () => {
    const doc = parse(`{ expertise(search: "${'w'.repeat(101)}") { id } }`);
    expect(inputError(schema, doc, undefined, undefined)?.message).toBe(
      'search must be at most 100 characters, got 101',
    );
  });
});
