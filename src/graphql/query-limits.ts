import {
  ASTVisitor,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLSchema,
  Kind,
  SelectionSetNode,
  validate,
  ValidationContext,
} from 'graphql';
import { ErrorCode } from './error-codes';

/** Limits on the shape of a document, checked before anything runs (HTTP and WebSocket alike). */
export interface QueryLimits {
  /**
   * Deepest field nesting.
   * @default 12
   */
  maxDepth: number;
  /**
   * Aliases in one document.
   * @default 30
   */
  maxAliases: number;
  /**
   * Top-level fields in one operation, counted after inline and named fragments are expanded.
   * @default 10
   */
  maxRootFields: number;
  /**
   * Times one response name may be selected in one selection set, fragments included. graphql-js
   * compares such fields pairwise (OverlappingFieldsCanBeMerged), so hundreds of repeats of one
   * field would make validation itself the attack.
   * @default 10
   */
  maxRepeats: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxAliases: 30, maxRootFields: 10, maxRepeats: 10 };

// Reported, like every validation error, as GRAPHQL_VALIDATION_FAILED, 400 (see shapeErrors).
function refuse(message: string): GraphQLError {
  return new GraphQLError(message);
}

/**
 * Checks only the shape of a document (the limits above), cheaply, before the full validation
 * runs: a refused document never reaches the rules whose cost grows with its size.
 */
export function shapeErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  limits: QueryLimits = DEFAULT_QUERY_LIMITS,
): readonly GraphQLError[] {
  return validate(schema, document, [queryLimitsRule(limits)]).map(
    (e) =>
      new GraphQLError(e.message, {
        nodes: e.nodes,
        extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, http: { status: 400 } },
      }),
  );
}

/**
 * A validation rule that refuses documents deeper, wider or more aliased than the limits, so one
 * crafted query cannot make the server do unbounded work. Fragments are followed (once each).
 */
export function queryLimitsRule(limits: QueryLimits = DEFAULT_QUERY_LIMITS) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions)
      if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

    const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      if (!set) return 0;
      let deepest = 0;
      for (const s of set.selections) {
        // Introspection is deep by nature (ofType chains) but bounded by the schema itself.
        if (s.kind === Kind.FIELD)
          deepest = s.name.value.startsWith('__') ? deepest : Math.max(deepest, 1 + depthOf(s.selectionSet, seen));
        else if (s.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(s.selectionSet, seen));
        else if (!seen.has(s.name.value)) {
          const f = fragments.get(s.name.value);
          deepest = Math.max(deepest, depthOf(f?.selectionSet, new Set(seen).add(s.name.value)));
        }
        if (deepest > limits.maxDepth) return deepest; // no need to walk further
      }
      return deepest;
    };

    // Response names selected in one set, counting through fragments spread into it (once each).
    const countNames = (set: SelectionSetNode, counts: Map<string, number>, seen: Set<string>): Map<string, number> => {
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          const name = sel.alias?.value ?? sel.name.value;
          counts.set(name, (counts.get(name) ?? 0) + 1);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) countNames(sel.selectionSet, counts, seen);
        else if (!seen.has(sel.name.value)) {
          seen.add(sel.name.value);
          const f = fragments.get(sel.name.value);
          if (f) countNames(f.selectionSet, counts, seen);
        }
      }
      return counts;
    };

    let aliases = 0;
    let repeatsReported = false;
    return {
      SelectionSet(node: SelectionSetNode) {
        if (repeatsReported) return;
        for (const [name, count] of countNames(node, new Map(), new Set())) {
          if (count > limits.maxRepeats) {
            repeatsReported = true;
            context.reportError(
              refuse(
                `The field "${name}" is selected ${count} times in one selection set; at most ${limits.maxRepeats}`,
              ),
            );
            return;
          }
        }
      },
      Field(node: FieldNode) {
        if (node.alias && ++aliases === limits.maxAliases + 1) {
          context.reportError(refuse(`The document uses more than ${limits.maxAliases} aliases`));
        }
      },
      OperationDefinition(node) {
        // Fields spread in through fragments (`... on Query { }`, or named ones) are root fields too.
        let roots = 0;
        for (const count of countNames(node.selectionSet, new Map(), new Set()).values()) roots += count;
        if (roots > limits.maxRootFields) {
          context.reportError(
            refuse(`An operation may select at most ${limits.maxRootFields} top-level fields, got ${roots}`),
          );
        }
        const depth = depthOf(node.selectionSet, new Set());
        if (depth > limits.maxDepth)
          context.reportError(refuse(`The query is nested deeper than ${limits.maxDepth} levels`));
      },
    };
  };
}
