import { getNamedType, getNullableType, GraphQLSchema, isLeafType, isListType, isObjectType } from 'graphql';
import { buildSchema } from '../../src/graphql/build-schema';
import { LIST_BOUNDS, ListBound, listBound, pageSize } from '../../src/graphql/list-bounds';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchema();
});

/** Every field of the schema that returns a list of objects, as `Type.field`. */
function objectLists(s: GraphQLSchema) {
  const out: { name: string; takesFirst: boolean }[] = [];
  for (const type of Object.values(s.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const t = getNullableType(field.type);
      const connection = getNamedType(t).name.endsWith('Connection');
      const list = isListType(t) && !isLeafType(getNamedType(t)) && field.name !== 'edges';
      if (list || connection)
        out.push({ name: `${type.name}.${field.name}`, takesFirst: field.args.some((a) => a.name === 'first') });
    }
  }
  return out;
}

describe('every list is bounded by construction', () => {
  it('has a bound for every list or connection field of the schema', () => {
    const missing = objectLists(schema).filter((f) => !listBound(...(f.name.split('.') as [string, string])));
    expect(missing).toEqual([]);
  });

  it('pages exactly the fields that take `first`, and names no field that does not exist', () => {
    const lists = new Map(objectLists(schema).map((f) => [f.name, f.takesFirst]));
    for (const [name, bound] of Object.entries(LIST_BOUNDS) as [string, ListBound][]) {
      expect({ name, exists: lists.has(name) }).toEqual({ name, exists: true });
      expect({ name, paged: lists.get(name) }).toEqual({ name, paged: bound.page !== undefined });
      if (bound.page !== undefined) expect(bound.page).toBeLessThanOrEqual(bound.max);
    }
  });

  it.each(Object.keys(LIST_BOUNDS).filter((k) => (LIST_BOUNDS as Record<string, ListBound>)[k].page !== undefined))(
    '%s: omitted and null give the default page; the maximum is accepted and one more refused',
    (name) => {
      const field = name as keyof typeof LIST_BOUNDS;
      const bound: ListBound = LIST_BOUNDS[field];
      expect(pageSize(field, undefined)).toBe(bound.page);
      expect(pageSize(field, null)).toBe(bound.page);
      expect(pageSize(field, bound.max)).toBe(bound.max);
      expect(() => pageSize(field, bound.max + 1)).toThrow(
        `first must be between 0 and ${bound.max}, got ${bound.max + 1}`,
      );
    },
  );
});
