/** Calls of any root field built from the schema alone, for tests that walk every operation. */
import {
  getNamedType,
  GraphQLField,
  GraphQLInputType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';

export const NIL = '00000000-0000-4000-8000-000000000000';

/** A syntactically valid value for an input type: required fields only, ids that exist nowhere. */
export function dummy(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return dummy(type.ofType);
  if (isListType(type)) return [dummy(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => [f.name, dummy(f.type)]),
    );
  }
  if (isScalarType(type)) {
    return (
      (
        { ID: NIL, String: 'x', Int: 1, Float: 1, Boolean: true, DateTimeISO: '2026-01-01T00:00:00.000Z' } as Record<
          string,
          unknown
        >
      )[type.name] ?? 'x'
    );
  }
  throw new Error(`no dummy for ${String(type)}`);
}

/** `field(arg: $v0 …) { __typename }` with variables, for one root field. */
export function callOf(
  root: string,
  field: GraphQLField<unknown, unknown>,
  values: (name: string, type: GraphQLInputType) => unknown = (_n, ty) => dummy(ty),
) {
  const required = field.args.filter((a) => isNonNullType(a.type));
  const defs = required.map((a, i) => `$v${i}: ${String(a.type)}`).join(', ');
  const args = required.map((a, i) => `${a.name}: $v${i}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return {
    query: `${root}${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`,
    variables: Object.fromEntries(required.map((a, i) => [`v${i}`, values(a.name, a.type)])),
  };
}
