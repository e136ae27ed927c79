/**
 * The pipeline's steps that depend on the query text alone (pipeline.ts): 6 parse, 7 document
 * shape (depth, aliases, repeats), 8 validation. Each text is judged once, then remembered; the
 * documents that passed are Apollo's document store, so Apollo neither parses nor validates again.
 */
import { createHash } from 'node:crypto';
import type { DocumentStore } from '@apollo/server';
import {
  DocumentNode,
  GraphQLError,
  GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { ServiceLimits } from '../config';
import { ErrorCode } from './error-codes';
import { Refusal, refusalOf, requestError } from './pipeline-types';
import { shapeErrors } from './query-limits';
import { withoutSuggestions } from './to-graphql-error';

/** The verdict on a query text, which does not depend on the caller or the variables. */
export type Verdict = { document: DocumentNode } | Refusal;

/** Options for {@link createDocumentJudge}. */
export interface DocumentJudgeOptions {
  schema: GraphQLSchema;
  /** Its `maxTokens`: tokens a query may have. */
  limits: ServiceLimits;
  /** Answer introspection; when off, error messages do not spell the schema out either. */
  introspection: boolean;
  /**
   * Verdicts remembered, by query text (portals send the same few again and again).
   * @default 500
   */
  cacheSize?: number;
}

/** Judges query texts, remembering its verdicts. */
export interface DocumentJudge {
  /** Steps 6–8 for a text, or the verdict remembered for it. */
  judge(query: string): Verdict;
  /** The verdict remembered for a text, if any (it counts as a use of it). */
  remembered(query: string): Verdict | undefined;
  /** Apollo's document store: the documents that passed, by the hash of their text. */
  documentStore: DocumentStore;
}

const hashOf = (query: string) => createHash('sha256').update(query).digest('hex');

/** Steps 6–8 of the pipeline, bound to one server's schema. */
export function createDocumentJudge(options: DocumentJudgeOptions): DocumentJudge {
  const { schema } = options;
  const rules = [...specifiedRules, ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
  const cacheSize = options.cacheSize ?? 500;
  const byHash = new Map<string, DocumentNode>();
  // Least recently used goes first: a burst of one-off queries never pushes out the documents
  // portals send again and again.
  const verdicts = new LRUCache<string, Verdict>({
    max: cacheSize,
    dispose: (old, query) => {
      if ('document' in old) byHash.delete(hashOf(query));
    },
  });

  const remember = (query: string, verdict: Verdict) => {
    verdicts.set(query, verdict);
    if ('document' in verdict) byHash.set(hashOf(query), verdict.document);
    return verdict;
  };

  const judge = (query: string): Verdict => {
    const known = verdicts.get(query);
    if (known) return known;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: options.limits.maxTokens });
    } catch (error) {
      return remember(
        query,
        error instanceof GraphQLError
          ? requestError(ErrorCode.GRAPHQL_PARSE_FAILED, error.message, error)
          : requestError(ErrorCode.GRAPHQL_PARSE_FAILED, 'The query could not be parsed'),
      );
    }
    // The shape limits run alone first; a document that fails them never meets the full rules,
    // some of which grow quadratically with its size.
    const shape = shapeErrors(schema, document);
    if (shape.length) return remember(query, refusalOf(shape));
    const invalid = validate(schema, document, rules);
    if (invalid.length) {
      // Where introspection is off, no "Did you mean …" spells the schema out.
      const message = (m: string) => (options.introspection ? m : withoutSuggestions(m));
      return remember(
        query,
        refusalOf(
          invalid.map(
            (e) =>
              new GraphQLError(message(e.message), {
                nodes: e.nodes,
                extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, http: { status: 400 } },
              }),
          ),
        ),
      );
    }
    return remember(query, { document });
  };

  return {
    judge,
    remembered: (query) => verdicts.get(query),
    documentStore: {
      // Apollo asks by `<schema hash>:<query hash>`.
      get: async (key) => byHash.get(key.slice(key.lastIndexOf(':') + 1)),
      // Apollo stores only what it validated itself: a document this pipeline did not see.
      set: async () => undefined,
      delete: async (key) => {
        byHash.delete(key.slice(key.lastIndexOf(':') + 1));
      },
    },
  };
}
