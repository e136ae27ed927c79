/**
 * Every string and list a client sends, checked before any resolver runs: lengths capped, NUL
 * bytes and lone surrogates refused. Runs on the operation's argument values (literals and
 * variables alike), so no expensive work (a trigram search, a spelling suggester, a geocoder)
 * ever sees an oversized or malformed value.
 */
import {
  DocumentNode,
  FieldNode,
  getArgumentValues,
  GraphQLField,
  getNullableType,
  getVariableValues,
  GraphQLError,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isListType,
  isScalarType,
  Kind,
  OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { DomainError, badInput } from '../domain/errors';
import { textFault } from '../domain/text';
import { toGraphQLError } from './to-graphql-error';

/** Longest string any input may hold when its name is not in {@link STRING_CAPS}. */
export const DEFAULT_STRING_CAP = 200;
/** Most items any input list may hold when its name is not in {@link LIST_CAPS}. */
export const DEFAULT_LIST_CAP = 100;

/**
 * Caps by input name (the last segment of its path): the same caps the domain's own checks
 * apply after trimming, so a value at its cap passes both and one over is refused here.
 */
export const STRING_CAPS: Record<string, number> = {
  description: 5000,
  message: 2000,
  note: 2000,
  website: 500,
  contactEmail: 254,
  email: 254,
  contactPhone: 50,
  expertise: 100,
  expertiseNeeded: 100,
  search: 100,
  city: 100,
  countryCode: 10,
  regionCode: 20,
  code: 20,
  languages: 10,
  allowedOrigins: 300,
  url: 2048,
  // An import file is capped by the request body limit (MAX_BODY_BYTES) before it is parsed.
  content: 100_000_000,
};

/** List caps by input name; the domain refuses some lists sooner (e.g. 17 SDGs, 50 tags). */
export const LIST_CAPS: Record<string, number> = {
  stakeholderIds: 100,
  memberIds: 500,
};

/** The cap of a string input called `name`. */
export function stringCap(name: string): number {
  return STRING_CAPS[name] ?? DEFAULT_STRING_CAP;
}

function check(value: unknown, type: GraphQLInputType, path: string, name: string): DomainError | undefined {
  if (value === null || value === undefined) return undefined;
  const t = getNullableType(type);
  if (isListType(t)) {
    if (!Array.isArray(value)) return check(value, t.ofType, path, name);
    const cap = LIST_CAPS[name] ?? DEFAULT_LIST_CAP;
    if (value.length > cap) return badInput(path, `must have at most ${cap} items, got ${value.length}`);
    for (let i = 0; i < value.length; i++) {
      const fault = check(value[i], t.ofType, `${path}[${i}]`, name);
      if (fault) return fault;
    }
    return undefined;
  }
  if (isInputObjectType(t)) {
    for (const field of Object.values(t.getFields())) {
      const fault = check(
        (value as Record<string, unknown>)[field.name],
        field.type,
        `${path}.${field.name}`,
        field.name,
      );
      if (fault) return fault;
    }
    return undefined;
  }
  if (isScalarType(t) && typeof value === 'string') {
    const cap = stringCap(name);
    if (value.length > cap) return badInput(path, `must be at most ${cap} characters, got ${value.length}`);
    const fault = textFault(value);
    if (fault) return badInput(path, fault);
  }
  return undefined;
}

/** Each document's fields that take arguments, with their definitions, in document order: found once. */
const FIELDS_WITH_ARGUMENTS = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, FieldWithArguments[]>>();

interface FieldWithArguments {
  def: GraphQLField<unknown, unknown>;
  node: FieldNode;
}

/**
 * The fields of a document that take arguments: a walk with the schema's type information, made
 * once per document (the pipeline's document cache hands the same document to every request).
 */
function fieldsWithArguments(schema: GraphQLSchema, document: DocumentNode): FieldWithArguments[] {
  const bySchema = FIELDS_WITH_ARGUMENTS.get(schema) ?? new WeakMap<DocumentNode, FieldWithArguments[]>();
  FIELDS_WITH_ARGUMENTS.set(schema, bySchema);
  let fields = bySchema.get(document);
  if (fields) return fields;
  const found: FieldWithArguments[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const def = typeInfo.getFieldDef();
        if (def && def.args.length > 0) found.push({ def, node });
      },
    }),
  );
  fields = found;
  bySchema.set(document, fields);
  return fields;
}

/**
 * The first input of an operation that breaks a cap or holds malformed text, as a GraphQL error
 * naming its path (`input.name`, `filter.expertise[3]`). Undefined when all is well, or when the
 * variables do not even coerce (execution reports that in the standard way).
 */
export function inputError(
  schema: GraphQLSchema,
  document: DocumentNode,
  rawVariables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): GraphQLError | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return undefined;
  // Variable values are checked where they are used (below), under the argument's name.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {}, { maxErrors: 1 });
  if (coerced.errors) return undefined;
  let found: DomainError | undefined;
  for (const { def, node } of fieldsWithArguments(schema, document)) {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(def, node, coerced.coerced);
    } catch {
      continue; // reported by validation or execution
    }
    for (const arg of def.args) {
      found = check(args[arg.name], arg.type, arg.name, arg.name);
      if (found) break;
    }
    if (found) break;
  }
  return found && toGraphQLError(found);
}
