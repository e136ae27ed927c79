/**
 * A subscription's selection in canonical form: the same data asked in other words gives one
 * canonical document. Operation names, aliases, whitespace, field order, fragments, variables
 * against literals and defaults spelled out or left out change nothing in it, so it is executed
 * once per event for all of them; each subscriber's own response shape is then restored from the
 * canonical result by {@link reshape} (response names, order, merged repeats).
 *
 * In the canonical document a field with arguments is aliased `<name>_<hash of its arguments>`
 * and a field without arguments keeps its name; fields are sorted by that key and merged where
 * the key is equal, as GraphQL itself merges fields with one response name.
 */
import { createHash } from 'node:crypto';
import {
  ArgumentNode,
  astFromValue,
  DocumentNode,
  ExecutionResult,
  FieldNode,
  FragmentDefinitionNode,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLSkipDirective,
  isLeafType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  print,
  SelectionNode,
  SelectionSetNode,
} from 'graphql';

/** A subscriber's response shape: per response name, the canonical key it reads and its own shape below. */
export type Shape = readonly ShapeEntry[];
type ShapeEntry = readonly [responseName: string, key: string, child: Shape | undefined];

/** A selection in canonical form, and how one subscriber reads it. */
export interface CanonicalView {
  /** The canonical document's text: equal for selections that ask for the same data. */
  text: string;
  document: DocumentNode;
  /** This subscriber's response names over the canonical keys. */
  shape: Shape;
  /** Whether {@link shape} is the canonical result's own (nothing to rename). */
  identity: boolean;
}

interface CanonField {
  name: string;
  key: string;
  args: readonly ArgumentNode[];
  children: Map<string, CanonField> | undefined;
}

interface ShapeNode {
  key: string;
  children: Map<string, ShapeNode> | undefined;
}

/** A selection this module does not put in canonical form (abstract types, unknown directives). */
class NotCanonical extends Error {}

const keyOf = (name: string, args: readonly ArgumentNode[]) =>
  args.length === 0
    ? name
    : `${name}_${createHash('sha256')
        .update(args.map((a) => print(a)).join(','))
        .digest('hex')
        .slice(0, 16)}`;

/**
 * The canonical view of an operation, or undefined where it cannot be put in canonical form
 * (bad variables, which execution reports precisely; an abstract type; a directive other than
 * `@skip` and `@include`): such a subscriber is then executed on its own, as its text says.
 */
export function canonicalView(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): CanonicalView | undefined {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return undefined;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const canon = new Map<string, CanonField>();
  const shape = new Map<string, ShapeNode>();
  try {
    collect(root, operation.selectionSet, canon, shape, { vars: coerced.coerced, fragments });
  } catch (error) {
    if (error instanceof NotCanonical || error instanceof GraphQLError) return undefined;
    throw error;
  }
  const canonical: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: operation.operation,
        selectionSet: selectionSetOf(canon),
      } satisfies OperationDefinitionNode,
    ],
  };
  const frozen = freeze(shape);
  return { text: print(canonical), document: canonical, shape: frozen, identity: isIdentity(frozen) };
}

interface Walk {
  vars: Record<string, unknown>;
  fragments: Map<string, FragmentDefinitionNode>;
}

function included(node: SelectionNode, walk: Walk): boolean {
  for (const d of node.directives ?? []) {
    const name = d.name.value;
    if (name !== GraphQLSkipDirective.name && name !== GraphQLIncludeDirective.name) throw new NotCanonical(name);
  }
  if (getDirectiveValues(GraphQLSkipDirective, node, walk.vars)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, walk.vars)?.if !== false;
}

function collect(
  type: GraphQLObjectType,
  set: SelectionSetNode,
  canon: Map<string, CanonField>,
  shape: Map<string, ShapeNode>,
  walk: Walk,
): void {
  for (const selection of set.selections) {
    if (!included(selection, walk)) continue;
    if (selection.kind === Kind.FIELD) {
      collectField(type, selection, canon, shape, walk);
      continue;
    }
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : walk.fragments.get(selection.name.value);
    if (!fragment) throw new NotCanonical('unknown fragment');
    // Object types only: a fragment on another type never applies here (validation saw to it).
    const on = fragment.typeCondition?.name.value;
    if (on !== undefined && on !== type.name) throw new NotCanonical(on);
    collect(type, fragment.selectionSet, canon, shape, walk);
  }
}

function collectField(
  type: GraphQLObjectType,
  node: FieldNode,
  canon: Map<string, CanonField>,
  shape: Map<string, ShapeNode>,
  walk: Walk,
): void {
  const name = node.name.value;
  const responseName = node.alias?.value ?? name;
  let args: ArgumentNode[] = [];
  let objectType: GraphQLObjectType | undefined;
  if (name !== '__typename') {
    const def = type.getFields()[name];
    if (!def) throw new NotCanonical(name);
    const values = getArgumentValues(def, node, walk.vars);
    args = def.args.flatMap((a) => {
      const value = a.name in values ? astFromValue(values[a.name], a.type) : null;
      return value ? [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: a.name }, value } as ArgumentNode] : [];
    });
    const named = getNamedType(def.type);
    if (isObjectType(named)) objectType = named;
    else if (!isLeafType(named)) throw new NotCanonical(named.name);
  }
  const key = keyOf(name, args);
  let field = canon.get(key);
  if (!field) canon.set(key, (field = { name, key, args, children: objectType ? new Map() : undefined }));
  let mine = shape.get(responseName);
  if (!mine) shape.set(responseName, (mine = { key, children: objectType ? new Map() : undefined }));
  // One response name for two different fields fails validation; never merge them here.
  if (mine.key !== key) throw new NotCanonical(responseName);
  if (objectType && node.selectionSet) collect(objectType, node.selectionSet, field.children!, mine.children!, walk);
}

function selectionSetOf(fields: Map<string, CanonField>): SelectionSetNode {
  const sorted = [...fields.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    kind: Kind.SELECTION_SET,
    selections: sorted.map((f): FieldNode => ({
      kind: Kind.FIELD,
      alias: f.key === f.name ? undefined : { kind: Kind.NAME, value: f.key },
      name: { kind: Kind.NAME, value: f.name },
      arguments: f.args,
      selectionSet: f.children ? selectionSetOf(f.children) : undefined,
    })),
  };
}

function freeze(shape: Map<string, ShapeNode>): Shape {
  return [...shape].map(([name, node]) => [name, node.key, node.children && freeze(node.children)] as const);
}

function isIdentity(shape: Shape): boolean {
  let previous = '';
  for (const [name, key, child] of shape) {
    if (name !== key || key < previous) return false;
    if (child && !isIdentity(child)) return false;
    previous = key;
  }
  return true;
}

/** A canonical value read in a subscriber's shape: its response names, in its order. */
export function reshapeValue(shape: Shape, value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => reshapeValue(shape, v));
  const from = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, key, child] of shape)
    if (key in from) out[name] = child ? reshapeValue(child, from[key]) : from[key];
  return out;
}

function reshapePath(shape: Shape | undefined, path: readonly (string | number)[]): (string | number)[] {
  const out: (string | number)[] = [];
  let level = shape;
  for (const segment of path) {
    if (typeof segment === 'number' || !level) {
      out.push(segment);
      continue;
    }
    const entry = level.find(([, key]) => key === segment);
    out.push(entry ? entry[0] : segment);
    level = entry?.[2];
  }
  return out;
}

/** A canonical execution result in a subscriber's shape: data renamed, error paths too. */
export function reshape(view: Pick<CanonicalView, 'shape' | 'identity'>, result: ExecutionResult): ExecutionResult {
  if (view.identity) return result;
  const errors = result.errors?.map(
    (e) =>
      new GraphQLError(e.message, {
        nodes: e.nodes,
        path: e.path && reshapePath(view.shape, e.path),
        originalError: e.originalError,
        extensions: e.extensions,
      }),
  );
  const data = result.data && (reshapeValue(view.shape, result.data) as Record<string, unknown>);
  return { ...result, ...(data !== undefined ? { data } : {}), ...(errors ? { errors } : {}) };
}
