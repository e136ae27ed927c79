/**
 * The root-field limit counts the fields an operation runs at its root, however they are
 * wrapped: in `... on Query { }` inline fragments, in named fragments on Query, nested in one
 * another. Fields below a root field never count.
 */
import fc from 'fast-check';
import { parse } from 'graphql';
import { buildSchema } from '../../src/graphql/build-schema';
import { DEFAULT_QUERY_LIMITS, shapeErrors } from '../../src/graphql/query-limits';

/** Where a root field sits: directly, or inside fragments nested in one another. */
type Wrapper = { kind: 'field'; nested: boolean } | { kind: 'inline' | 'named'; children: Wrapper[] };

const tree = fc.letrec<{ node: Wrapper }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('field' as const), nested: fc.boolean() }),
    fc.record({
      kind: fc.constantFrom('inline' as const, 'named' as const),
      children: fc.array(tie('node'), { minLength: 1, maxLength: 5 }),
    }),
  ),
})).node;

/** The document for a list of top-level wrappers, and how many root fields it selects. */
function documentOf(top: Wrapper[]): { text: string; roots: number } {
  let roots = 0;
  const fragments: string[] = [];
  const render = (w: Wrapper): string => {
    if (w.kind === 'field') {
      const name = `f${roots++}`;
      // A root field's own selection, with fragments of its own: none of it is a root field.
      return w.nested ? `${name} { id ... on Stakeholder { name } }` : name;
    }
    const body = w.children.map(render).join(' ');
    if (w.kind === 'inline') return `... on Query { ${body} }`;
    const name = `F${fragments.length}`;
    fragments.push(`fragment ${name} on Query { ${body} }`);
    return `...${name}`;
  };
  const body = top.map(render).join(' ');
  return { text: [`query { ${body} }`, ...fragments].join('\n'), roots };
}

describe('root-field limit through fragments', () => {
  let schema: Awaited<ReturnType<typeof buildSchema>>;
  beforeAll(async () => {
    schema = await buildSchema();
  });

  const refusesRoots = (text: string) =>
    shapeErrors(schema, parse(text)).some((e) => /top-level fields/.test(e.message));

  it('refuses exactly the operations that select more root fields than the limit, however wrapped', () => {
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 6 }), (top) => {
        const { text, roots } = documentOf(top);
        expect(refusesRoots(text)).toBe(roots > DEFAULT_QUERY_LIMITS.maxRootFields);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['eleven fields in one inline fragment', '{ ... on Query { a b c d e f g h i j k } }', true],
    ['six plain and five in a named fragment', '{ a b c d e f ...R } fragment R on Query { g h i j k }', true],
    [
      'fragments nested three deep',
      '{ a ... on Query { b ... on Query { c ...R } } } fragment R on Query { d }',
      false,
    ],
    ['ten fields, one in a fragment', '{ a b c d e f g h i ... on Query { j } }', false],
  ])('%s', (_what, text, refused) => {
    expect(refusesRoots(text)).toBe(refused);
  });
});
