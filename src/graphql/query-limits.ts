import { ASTVisitor, FieldNode, FragmentDefinitionNode, GraphQLError, Kind, SelectionSetNode, ValidationContext } from 'graphql';

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
   * Top-level fields in one operation.
   * @default 10
   */
  maxRootFields: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxAliases: 30, maxRootFields: 10 };

// Apollo (and our WebSocket path) report validation errors as GRAPHQL_VALIDATION_FAILED, 400.
function refuse(message: string): GraphQLError {
  return new GraphQLError(message);
}

/**
 * A validation rule that refuses documents deeper, wider or more aliased than the limits, so one
 * crafted query cannot make the server do unbounded work. Fragments are followed (once each).
 */
export function queryLimitsRule(limits: QueryLimits = DEFAULT_QUERY_LIMITS) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

    const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      if (!set) return 0;
      let deepest = 0;
      for (const s of set.selections) {
        // Introspection is deep by nature (ofType chains) but bounded by the schema itself.
        if (s.kind === Kind.FIELD) deepest = s.name.value.startsWith('__') ? deepest : Math.max(deepest, 1 + depthOf(s.selectionSet, seen));
        else if (s.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(s.selectionSet, seen));
        else if (!seen.has(s.name.value)) {
          const f = fragments.get(s.name.value);
          deepest = Math.max(deepest, depthOf(f?.selectionSet, new Set(seen).add(s.name.value)));
        }
        if (deepest > limits.maxDepth) return deepest; // no need to walk further
      }
      return deepest;
    };

    let aliases = 0;
    return {
      Field(node: FieldNode) {
        if (node.alias && ++aliases === limits.maxAliases + 1) {
          context.reportError(refuse(`The document uses more than ${limits.maxAliases} aliases`));
        }
      },
      OperationDefinition(node) {
        const roots = node.selectionSet.selections.length;
        if (roots > limits.maxRootFields) {
          context.reportError(refuse(`An operation may select at most ${limits.maxRootFields} top-level fields, got ${roots}`));
        }
        const depth = depthOf(node.selectionSet, new Set());
        if (depth > limits.maxDepth) context.reportError(refuse(`The query is nested deeper than ${limits.maxDepth} levels`));
      },
    };
  };
}
