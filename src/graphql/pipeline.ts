/**
 * The one request pipeline: every check a GraphQL operation passes, in one order, with one set
 * of error codes, for HTTP and WebSocket alike. Transports only adapt: they gather the facts,
 * call the steps, and render a refusal their way (HTTP status and headers; a WebSocket close
 * code or an error message).
 *
 *   admit    1 API key → viewer (unknown keys metered per address before the lookup)
 *            2 browser Origin (a publishable key: one of its origins, always)
 *   meter    3 one point of the caller's budget (per key; per address without one or with a publishable key)
 *   prepare  4 request shape   5 length   6 parse   7 document shape (depth, aliases, repeats)
 *            8 validation   9 operation kind for the transport   10 input caps, then cost
 *   context  11 the rest of the cost's points, charged while execution starts: every root field
 *            waits for the charge and answers its refusal (RATE_LIMITED, with retry-after)
 *
 * HTTP calls admit and meter per request; WebSocket calls admit once per connection and meter
 * and prepare per operation (with {@link Pipeline.stillValid} for keys revoked meanwhile).
 * Both call `context` right after `prepare` for the same request.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { DocumentStore } from '@apollo/server';
import {
  DocumentNode,
  getOperationAST,
  GraphQLError,
  GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { DataSource } from 'typeorm';
import type Redis from 'ioredis';
import { ServiceLimits } from '../config';
import { isKeyLive } from '../domain/access/api-key.service';
import { BOOTSTRAP_ADMIN_ID, budgetOf, KEY_RULES, Role, Viewer } from '../domain/access/role';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { Logger } from '../log/logger';
import { ChangeFeed } from '../subscriptions/change-feed';
import { Context, createContext } from './context';
import type { Loaders } from './loaders';
import { ErrorCode } from './error-codes';
import { checkOperation } from './operation-checks';
import { budgetPoints } from './query-cost';
import { HeaderMap } from '@apollo/server';
import { isOwnOrigin } from './origin';
import { shapeErrors } from './query-limits';
import { createRateLimiter } from './rate-limit';
import { isDatabaseUnavailable, toGraphQLError, UNAVAILABLE, withoutSuggestions } from './to-graphql-error';
import { createViewerResolver } from './viewer';
import { createWorkLimiter, WorkLimiter } from './work-limiter';

/** What a transport knows of a request, besides the operation itself. */
export interface TransportFacts {
  transport: 'http' | 'websocket';
  /** `Authorization` header, or the graphql-ws `connection_init` payload's. */
  authorization?: unknown;
  origin?: string;
  host?: string;
  /** The client's address (the proxy's `X-Forwarded-For` only with `TRUST_PROXY`). */
  address?: string;
  acceptLanguage?: string;
  /** HTTP method, where there is one: GET may only read. */
  method?: string;
}

/** An operation as a client sent it: nothing about it is trusted yet. */
export interface OperationParams {
  query: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** A refused request: what to tell the client, and how (for HTTP). */
export interface Refusal {
  errors: readonly GraphQLError[];
  /** The HTTP status the first error asks for. */
  status: number;
  headers: Record<string, string>;
}

/** An operation that passed every check. */
export interface PreparedOperation {
  document: DocumentNode;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}

/** Options for {@link createPipeline}. */
export interface PipelineOptions {
  schema: GraphQLSchema;
  dataSource: DataSource;
  log: Logger;
  live: ChangeFeed<Loaders>;
  limits: ServiceLimits;
  /** The bootstrap administrator key; see Config.adminApiKey. */
  adminApiKey?: string;
  /** Answer introspection; when off, error messages do not spell the schema out either. */
  introspection: boolean;
  /**
   * Request budgets shared by all instances.
   * @default undefined (each instance counts alone, in memory)
   */
  redis?: Redis;
  /**
   * Validated documents remembered, by query text (portals send the same few again and again).
   * @default 500
   */
  documentCacheSize?: number;
}

/** The steps, bound to one server's schema, database and limits. */
export interface Pipeline {
  readonly limits: ServiceLimits;
  admit(facts: TransportFacts): Promise<{ viewer: Viewer } | { refusal: Refusal }>;
  meter(viewer: Viewer, facts: TransportFacts): Promise<Refusal | undefined>;
  prepare(viewer: Viewer, params: OperationParams, facts: TransportFacts): PreparedOperation | Refusal;
  /** For connections that outlive a request: a key revoked since it was admitted is refused. */
  stillValid(viewer: Viewer): Promise<Refusal | undefined>;
  /** The context resolvers get, for an admitted viewer. */
  context(viewer: Viewer, facts: TransportFacts, operation?: OperationParams): Context;
  /** Apollo's document store: documents this pipeline validated, so Apollo neither parses nor validates again. */
  documentStore: DocumentStore;
  /** Each caller's share of expensive work (see `expensiveConcurrency`). */
  work: WorkLimiter;
}

/** A refusal for the given errors, with the first one's HTTP status. */
export function refusalOf(errors: readonly GraphQLError[], headers: Record<string, string> = {}): Refusal {
  const status = (errors[0]?.extensions.http as { status?: number } | undefined)?.status ?? 400;
  return { errors, status, headers };
}

export const isRefusal = (x: object): x is Refusal => 'errors' in x && 'status' in x;

const refuse = (code: DomainErrorCode, message: string, headers: Record<string, string> = {}) =>
  refusalOf([toGraphQLError(new DomainError(code, message))], headers);

const requestError = (code: ErrorCode, message: string, extra: Partial<GraphQLError> = {}) =>
  refusalOf([
    new GraphQLError(message, {
      nodes: extra.nodes,
      source: extra.source,
      positions: extra.positions,
      extensions: { code, http: { status: 400 } },
    }),
  ]);

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

const hashOf = (query: string) => createHash('sha256').update(query).digest('hex');

/** The verdict on a query text, which does not depend on the caller or the variables. */
type Verdict = { document: DocumentNode } | Refusal;

export function createPipeline(options: PipelineOptions): Pipeline {
  const { schema, dataSource, log, live, limits } = options;
  const keyed = createRateLimiter({ perMinute: limits.keyRequestsPerMinute, name: 'key', redis: options.redis });
  const anonymous = createRateLimiter({ perMinute: limits.publicRequestsPerMinute, name: 'ip', redis: options.redis });
  const work = createWorkLimiter({ concurrency: limits.expensiveConcurrency });
  // What prepare learnt of the request that context needs: its cost, and whether it is a query.
  // Only queries have an execution deadline: a mutation stopped after its commit would answer an
  // error for a write that happened, and a subscription lives on. Keyed by the transport's facts,
  // which are one object per HTTP request, and per WebSocket whose prepare and context calls for
  // one operation follow each other synchronously.
  const prepared = new WeakMap<TransportFacts, { cost: number; query: boolean }>();
  // A publishable key draws on its address's budget, as a keyless caller does (role.ts budgetOf).
  const byKey = (viewer: Viewer, facts: TransportFacts) => budgetOf(viewer, facts.address) === viewer.keyId;
  const budgetText = (viewer: Viewer, facts: TransportFacts) =>
    byKey(viewer, facts)
      ? `${limits.keyRequestsPerMinute} points per minute per API key`
      : `${limits.publicRequestsPerMinute} points per minute per address ` +
        (viewer.role === Role.PUBLISHABLE ? 'for a publishable key, as without a key' : 'without a key');
  const take = (viewer: Viewer, facts: TransportFacts, points?: number) =>
    byKey(viewer, facts) ? keyed.take(viewer.keyId!, points) : anonymous.take(facts.address ?? 'unknown', points);
  const budgetRule = `an operation takes one point per ${limits.costPerPoint} of its estimated cost, at least one`;

  // Step 11: the points beyond meter's one. Settles with the refusal instead of rejecting, so
  // that an operation whose root fields never run (introspection alone) leaves nothing unhandled.
  const charge = (viewer: Viewer, facts: TransportFacts, cost: number): Promise<Error | undefined> | undefined => {
    const points = budgetPoints(cost, limits.costPerPoint);
    if (points <= 1) return undefined;
    const taking = take(viewer, facts, points - 1);
    return taking.then(
      (result) => {
        if (result.ok) return undefined;
        const retry = String(result.retryAfterSeconds);
        return new GraphQLError(
          `Too many requests: this operation costs ${cost} (${points} points) and the budget is ` +
            `${budgetText(viewer, facts)} (${budgetRule}); retry in ${retry} s`,
          {
            extensions: {
              code: ErrorCode.RATE_LIMITED,
              http: { status: 429, headers: new HeaderMap([['retry-after', retry]]) },
            },
          },
        );
      },
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
  };
  const resolveViewer = createViewerResolver({
    dataSource,
    adminApiKey: options.adminApiKey,
    unknownKeysPerMinute: limits.unknownKeysPerMinute,
    redis: options.redis,
  });
  const rules = [...specifiedRules, ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
  const cacheSize = options.documentCacheSize ?? 500;
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

  // Steps 6–8 depend on the text alone: judged once per text, then remembered.
  const judge = (query: string): Verdict => {
    const known = verdicts.get(query);
    if (known) return known;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
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
    limits,
    work,
    async admit(facts) {
      let viewer: Viewer;
      try {
        viewer = await resolveViewer(facts.authorization, facts.address);
      } catch (error) {
        if (error instanceof GraphQLError) {
          const retry = error.extensions.retryAfterSeconds;
          const headers: Record<string, string> =
            typeof retry === 'number' ? { 'retry-after': String(retry) } : { 'www-authenticate': 'Bearer' };
          return { refusal: refusalOf([error], headers) };
        }
        if (isDatabaseUnavailable(error))
          return { refusal: refuse(DomainErrorCode.ServiceUnavailable, UNAVAILABLE.message) };
        throw error;
      }
      const { origin } = facts;
      const browserOnly = viewer.role !== 'PUBLIC' && KEY_RULES[viewer.role].browserOnly;
      if (browserOnly && !origin) {
        // A browser always names the page's origin here (on every WebSocket, every cross-origin
        // request, every POST); only a non-browser leaves it out, and such a caller has a secret key.
        return {
          refusal: refusalOf([
            new GraphQLError(
              `A ${viewer.role} key (pk_…) is for browsers on its allowedOrigins only: this request carries ` +
                'no Origin header. Servers and scripts use a secret key (osm_…), or none for public reads',
              { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } },
            ),
          ]),
        };
      }
      // Bound to its own origins: not even this service's pages may use it unless it lists them.
      if (browserOnly && origin && !viewer.allowedOrigins.includes(origin)) {
        return {
          refusal: refuse(
            DomainErrorCode.Forbidden,
            `Origin ${origin} may not use this ${viewer.role} key: it is not among the key's allowedOrigins`,
          ),
        };
      }
      if (origin && !isOwnOrigin(origin, facts.host, limits) && !viewer.allowedOrigins.includes(origin)) {
        const who = viewer.role === 'PUBLIC' ? 'without an API key' : 'with this API key (see its allowedOrigins)';
        return { refusal: refuse(DomainErrorCode.Forbidden, `Origin ${origin} may not call this service ${who}`) };
      }
      return { viewer };
    },

    async meter(viewer, facts) {
      const result = await take(viewer, facts);
      if (result.ok) return undefined;
      return refuse(
        DomainErrorCode.RateLimited,
        `Too many requests: the budget is ${budgetText(viewer, facts)} (${budgetRule}); ` +
          `retry in ${result.retryAfterSeconds} s`,
        { 'retry-after': String(result.retryAfterSeconds) },
      );
    },

    prepare(_viewer, params, facts) {
      const { query, variables, operationName } = params;
      if (typeof query !== 'string' || query.trim() === '')
        return requestError(ErrorCode.BAD_REQUEST, 'The request must carry a non-empty `query` string');
      if (variables !== undefined && variables !== null && !isRecord(variables))
        return requestError(ErrorCode.BAD_REQUEST, '`variables` must be a JSON object');
      if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
        return requestError(ErrorCode.BAD_REQUEST, '`operationName` must be a string');
      if (query.length > limits.maxQueryLength)
        return refuse(
          DomainErrorCode.QueryTooLong,
          `The query is ${query.length} characters long; the limit is ${limits.maxQueryLength}`,
        );
      const verdict = judge(query);
      if (isRefusal(verdict)) return verdict;
      const { document } = verdict;
      const vars = variables ?? undefined;
      const name = operationName ?? undefined;
      const kind = getOperationAST(document, name)?.operation;
      if (facts.transport === 'http' && kind === OperationTypeNode.SUBSCRIPTION)
        return requestError(
          ErrorCode.BAD_REQUEST,
          'Subscriptions run over WebSocket (graphql-ws) at this same URL, not over HTTP',
        );
      // GET must be safe: a link or an image tag may not write (Apollo's wording and status).
      if (facts.method === 'GET' && kind && kind !== OperationTypeNode.QUERY)
        return refusalOf(
          [
            new GraphQLError(`GET requests only support query operations, not ${kind} operations`, {
              extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 405 } },
            }),
          ],
          { allow: 'POST' },
        );
      const checked = checkOperation(schema, document, vars, name, limits.maxCost);
      if ('error' in checked) return refusalOf([checked.error]);
      prepared.set(facts, { cost: checked.cost, query: kind === OperationTypeNode.QUERY });
      return { document, variables: vars, operationName: name };
    },

    async stillValid(viewer) {
      if (!viewer.keyId || viewer.keyId === BOOTSTRAP_ADMIN_ID) return undefined;
      if (await isKeyLive(dataSource.manager, viewer.keyId)) return undefined;
      return refuse(DomainErrorCode.Unauthenticated, 'The API key was revoked');
    },

    context(viewer, facts, operation) {
      const known = prepared.get(facts);
      prepared.delete(facts);
      return createContext(dataSource, log, {
        admission: known && charge(viewer, facts, known.cost),
        deadlineMs: known?.query ? limits.executionDeadlineMs : undefined,
        live,
        viewer,
        address: facts.address,
        work,
        acceptLanguage: facts.acceptLanguage,
        operation: operation && {
          query: String(operation.query),
          variables: isRecord(operation.variables) ? operation.variables : undefined,
          operationName: typeof operation.operationName === 'string' ? operation.operationName : undefined,
        },
      });
    },

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
