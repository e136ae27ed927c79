/**
 * Which fields run code of ours around their resolver, as a table derived from the schema: the
 * private fields (PRIVATE_FIELDS) in their privacy guard, the root fields as the operation's entry
 * (every field priced as work in WORK_COST among them), and nothing else. Every other field with
 * no resolver of its own is a plain property read: synchronous, no promise.
 */
import { GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema, isObjectType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { buildSchema } from '../../src/graphql/build-schema';
import { PRIVATE_FIELDS } from '../../src/graphql/privacy.middleware';
import { WORK_COST } from '../../src/graphql/query-cost';
import { wrappedFields } from '../../src/graphql/wrapped-fields';
import { isRecord } from '../helpers/json';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchema();
});

const rootFields = (s: GraphQLSchema) =>
  [s.getQueryType(), s.getMutationType(), s.getSubscriptionType()].flatMap((t) =>
    Object.keys(t?.getFields() ?? {}).map((f) => `${t!.name}.${f}`),
  );

/** Fields resolved by type-graphql's basic resolver (`root[name]`): no @FieldResolver, no roles. */
function basicFields(s: GraphQLSchema): string[] {
  const storage = getMetadataStorage();
  const out: string[] = [];
  for (const meta of storage.objectTypes) {
    const type = s.getType(meta.name);
    if (!isObjectType(type) || ['Query', 'Mutation', 'Subscription'].includes(type.name)) continue;
    for (const field of meta.fields ?? []) {
      const resolved = storage.fieldResolvers.some(
        (r) => r.schemaName === field.schemaName && r.getObjectType?.() === meta.target,
      );
      if (!resolved && !field.roles && type.getFields()[field.schemaName]) out.push(`${type.name}.${field.schemaName}`);
    }
  }
  return out;
}

describe('wrapped fields', () => {
  it('are exactly the private fields and the root fields', () => {
    const expected = new Map<string, string>([
      ...rootFields(schema).map((f) => [f, 'entry'] as const),
      ...Object.entries(PRIVATE_FIELDS).flatMap(([type, fields]) =>
        fields.map((f) => [`${type}.${f}`, 'privacy'] as const),
      ),
    ]);
    expect(Object.fromEntries([...wrappedFields(schema)].sort())).toEqual(Object.fromEntries([...expected].sort()));
  });

  it('include every field priced as work', () => {
    const wrapped = wrappedFields(schema);
    for (const key of Object.keys(WORK_COST)) expect([key, wrapped.get(key)]).toEqual([key, 'entry']);
  });

  it('leave every other plain field a synchronous property read that never touches the context', () => {
    const wrapped = wrappedFields(schema);
    const plain = basicFields(schema).filter((f) => !wrapped.has(f));
    // The table is not empty by accident: most of the schema is plain fields.
    expect(plain.length).toBeGreaterThan(50);
    const untouchable = new Proxy(
      {},
      {
        get: (_t, p) => {
          throw new Error(`the context was read (${String(p)})`);
        },
      },
    );
    const offenders = plain.filter((key) => {
      const [typeName, fieldName] = key.split('.');
      const field = (schema.getType(typeName) as GraphQLObjectType).getFields()[fieldName];
      const sentinel = { value: key };
      // A plain field reads one property of its object, whatever its name (Activity.id reads publicId).
      const root = new Proxy({}, { get: () => sentinel });
      const info = { fieldName, parentType: schema.getType(typeName), path: { key: fieldName } } as GraphQLResolveInfo;
      const value: unknown = field.resolve
        ? field.resolve(root, {}, untouchable, info)
        : { [fieldName]: sentinel }[fieldName];
      // A promise here is a wrapper: swallow its outcome (the context it read throws), count it.
      if (isRecord(value) && typeof value.then === 'function') Promise.resolve(value).catch(() => undefined);
      return value !== sentinel;
    });
    expect(offenders).toEqual([]);
  });
});
