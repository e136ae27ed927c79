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
 *
 * Every operation is observed here, once for both transports (operation-telemetry.ts): a refusal
 * when a step returns one, and from `context` on an operation trace on the context, which the
 * transport finishes with the result's errors ({@link finishOperationPlugin}, websocket.ts).
 *
 * Steps 1–2 are admission.ts, 3 and 11 request-budget.ts, 6–8 document-judge.ts; the words
 * transports and steps share (facts, operations, refusals) are pipeline-types.ts.
 */
import type { DocumentStore } from '@apollo/server';
import { DocumentNode, getOperationAST, GraphQLError, GraphQLSchema, OperationTypeNode } from 'graphql';
import { DataSource } from 'typeorm';
import type Redis from 'ioredis';
import { ServiceLimits } from '../config';
import { isKeyLive } from '../domain/access/api-key.service';
import { BOOTSTRAP_ADMIN_ID, Viewer } from '../domain/access/role';
import { DomainErrorCode } from '../domain/errors';
import { Logger } from '../log/logger';
import { ChangeFeed } from '../subscriptions/change-feed';
import { createAdmission } from './admission';
import { Context, createContext } from './context';
import { createDocumentJudge } from './document-judge';
import type { Loaders } from './loaders';
import { ErrorCode } from './error-codes';
import { checkOperation } from './operation-checks';
import {
  isRefusal,
  OperationParams,
  PreparedOperation,
  Refusal,
  refusalOf,
  refuse,
  requestError,
  TransportFacts,
} from './pipeline-types';
import { createRequestBudget } from './request-budget';
import { createWorkLimiter, WorkLimiter } from './work-limiter';
import { createOperationTelemetry, OperationTelemetry } from './operation-telemetry';

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

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
  /**
   * Where operations are counted and traced.
   * @default nothing recorded
   */
  telemetry?: OperationTelemetry;
}

/** The steps, bound to one server's schema, database and limits. */
export interface Pipeline {
  readonly limits: ServiceLimits;
  admit(facts: TransportFacts): Promise<{ viewer: Viewer } | { refusal: Refusal }>;
  meter(viewer: Viewer, facts: TransportFacts): Promise<Refusal | undefined>;
  prepare(viewer: Viewer, params: OperationParams, facts: TransportFacts): PreparedOperation | Refusal;
  /** For connections that outlive a request: a key revoked since it was admitted is refused. */
  stillValid(viewer: Viewer, facts?: TransportFacts): Promise<Refusal | undefined>;
  /** The context resolvers get, for an admitted viewer. */
  context(viewer: Viewer, facts: TransportFacts, operation?: OperationParams): Context;
  /** Apollo's document store: documents this pipeline validated, so Apollo neither parses nor validates again. */
  documentStore: DocumentStore;
  /** Each caller's share of expensive work (see `expensiveConcurrency`). */
  work: WorkLimiter;
}

/** The request pipeline for one server: its schema, database, limits and budgets. */
export function createPipeline(options: PipelineOptions): Pipeline {
  const { schema, dataSource, log, live, limits } = options;
  const budget = createRequestBudget({ limits, redis: options.redis });
  const work = createWorkLimiter({ concurrency: limits.expensiveConcurrency });
  // What prepare learnt of the request that context needs: its cost, and whether it is a query.
  // Only queries have an execution deadline: a mutation stopped after its commit would answer an
  // error for a write that happened, and a subscription lives on. Keyed by the transport's facts,
  // which are one object per HTTP request, and per WebSocket whose prepare and context calls for
  // one operation follow each other synchronously.
  const prepared = new WeakMap<
    TransportFacts,
    { cost: number; query: boolean; startedAt?: number } & Partial<PreparedOperation> & { document: DocumentNode }
  >();
  // When each operation arrived (performance.now()): at admit for HTTP, at meter for each of a
  // socket's operations. Only requests that began here are counted (not preflights, link pages).
  // Operations of one socket metered at the same moment may take each other's start; a race
  // of microseconds in what is measured in milliseconds.
  const started = new WeakMap<TransportFacts, number>();
  const telemetry = options.telemetry ?? createOperationTelemetry({});
  const refused = <R extends Refusal>(facts: TransportFacts, refusal: R, known?: PreparedOperation): R => {
    if (started.has(facts) && facts.transport !== 'webhook') {
      telemetry.refused(facts.transport, refusal.errors, started.get(facts), known);
      started.delete(facts);
    }
    return refusal;
  };
  const admit = createAdmission({ dataSource, limits, adminApiKey: options.adminApiKey, redis: options.redis });
  const documents = createDocumentJudge({
    schema,
    limits,
    introspection: options.introspection,
    cacheSize: options.documentCacheSize,
  });

  return {
    limits,
    work,
    async admit(facts) {
      started.set(facts, performance.now());
      const admitted = await admit(facts);
      if ('refusal' in admitted) refused(facts, admitted.refusal);
      return admitted;
    },

    async meter(viewer, facts) {
      if (facts.transport === 'websocket') started.set(facts, performance.now());
      const refusal = await budget.meter(viewer, facts);
      return refusal && refused(facts, refusal);
    },

    prepare(viewer, params, facts) {
      const result = prepare(viewer, params, facts);
      if (isRefusal(result)) {
        const verdict = typeof params.query === 'string' ? documents.remembered(params.query) : undefined;
        const known = verdict && 'document' in verdict ? verdict : undefined;
        return refused(
          facts,
          result,
          known && {
            ...known,
            variables: undefined,
            operationName: typeof params.operationName === 'string' ? params.operationName : undefined,
          },
        );
      }
      const entry = prepared.get(facts);
      if (entry) Object.assign(entry, { startedAt: started.get(facts), ...result });
      started.delete(facts);
      return result;
    },

    async stillValid(viewer, facts) {
      if (!viewer.keyId || viewer.keyId === BOOTSTRAP_ADMIN_ID) return undefined;
      if (await isKeyLive(dataSource.manager, viewer.keyId)) return undefined;
      const refusal = refuse(DomainErrorCode.Unauthenticated, 'The API key was revoked');
      return facts ? refused(facts, refusal) : refusal;
    },

    context(viewer, facts, operation) {
      const known = prepared.get(facts);
      prepared.delete(facts);
      const ctx = createContext(dataSource, log, {
        admission: known && budget.charge(viewer, facts, known.cost),
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
      if (known && facts.transport !== 'webhook')
        ctx.trace = telemetry.begin({
          transport: facts.transport,
          document: known.document,
          operationName: known.operationName,
          variables: known.variables,
          startedAt: known.startedAt ?? performance.now(),
        });
      return ctx;
    },

    documentStore: documents.documentStore,
  };

  function prepare(_viewer: Viewer, params: OperationParams, facts: TransportFacts): PreparedOperation | Refusal {
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
    const verdict = documents.judge(query);
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
    prepared.set(facts, { cost: checked.cost, query: kind === OperationTypeNode.QUERY, document });
    return { document, variables: vars, operationName: name };
  }
}
