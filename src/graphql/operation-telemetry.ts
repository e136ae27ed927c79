/**
 * What the pipeline records of each operation, for HTTP and WebSocket alike: a count and a latency
 * by operation name and outcome (metrics), and a span per operation with a child per root field
 * (tracing). Operation names are bounded (the first `maxOperationNames` seen in valid documents,
 * then `other`); argument values go on spans only when asked for, since they can be personal data.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { context, Span, SpanKind, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import { DocumentNode, getOperationAST, GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainError } from '../domain/errors';
import type { ServiceMetrics, Transport } from '../observability/metrics';
import type { Context } from './context';
import { ErrorCode } from './error-codes';
import { isDatabaseUnavailable } from './to-graphql-error';

/** One operation under way. */
export interface OperationTrace {
  /** Runs a root field's resolver (`Query.x`, `Mutation.y`) under a span of its own, when tracing. */
  field<T>(key: string, args: Record<string, unknown>, run: () => T): T;
  /** Records how the operation ended; only the first call counts. */
  finish(errors?: readonly (GraphQLError | GraphQLFormattedError)[]): void;
}

/** Records operations; see {@link createOperationTelemetry}. */
export interface OperationTelemetry {
  /** An operation that passed every check starts executing. */
  begin(op: {
    transport: Transport;
    document: DocumentNode;
    operationName?: string;
    variables?: Record<string, unknown>;
    /** `performance.now()` when it arrived. */
    startedAt: number;
  }): OperationTrace;
  /** An operation refused before it ran (its document, when it got as far as a valid one). */
  refused(
    transport: Transport,
    errors: readonly GraphQLError[],
    startedAt: number | undefined,
    document?: { document: DocumentNode; operationName?: string },
  ): void;
}

/** Options for {@link createOperationTelemetry}. */
export interface OperationTelemetryOptions {
  metrics?: ServiceMetrics;
  tracer?: Tracer;
  /**
   * Put variables and root fields' arguments on spans.
   * @default false
   */
  recordArguments?: boolean;
  /**
   * Operation names told apart; later ones count as `other`.
   * @default 100
   */
  maxOperationNames?: number;
}

/** Operation label of a request refused before its document was read. */
export const UNREAD_OPERATION = 'unknown';
/** Operation label of a document without a name. */
export const ANONYMOUS_OPERATION = 'anonymous';
/** Operation label of the names beyond the cap. */
export const OTHER_OPERATION = 'other';
/** Longest JSON of arguments put on a span (when they are recorded at all). */
const MAX_ARGUMENTS_CHARS = 2000;

const codes = new Set<string>(Object.values(ErrorCode));

/** The outcome label of an error: its code as the client reads it (one of {@link ErrorCode}). */
export function outcomeOf(error: GraphQLError | GraphQLFormattedError): string {
  const given = error.extensions?.code;
  if (typeof given === 'string' && codes.has(given)) return given;
  const original = error instanceof GraphQLError ? unwrapResolverError(error) : undefined;
  if (original instanceof DomainError) return original.code;
  if (original instanceof GraphQLError && original !== error) return outcomeOf(original);
  if (isDatabaseUnavailable(original)) return ErrorCode.SERVICE_UNAVAILABLE;
  return ErrorCode.INTERNAL_SERVER_ERROR;
}

const argumentsText = (value: unknown) => {
  const text = JSON.stringify(value) ?? '';
  return text.length > MAX_ARGUMENTS_CHARS ? `${text.slice(0, MAX_ARGUMENTS_CHARS)}…` : text;
};

/** Records operations to the given metrics and tracer (either may be absent). */
export function createOperationTelemetry(options: OperationTelemetryOptions): OperationTelemetry {
  const { metrics, tracer } = options;
  const max = options.maxOperationNames ?? 100;
  const names = new Set<string>();
  const label = (name: string) => {
    if (names.has(name)) return name;
    if (names.size >= max) return OTHER_OPERATION;
    names.add(name);
    return name;
  };
  const operationOf = (document: DocumentNode, operationName?: string) => {
    const operation = getOperationAST(document, operationName);
    return { kind: operation?.operation ?? 'query', name: operation?.name?.value };
  };
  const seconds = (startedAt: number | undefined) =>
    startedAt === undefined ? 0 : Math.max(0, (performance.now() - startedAt) / 1000);

  return {
    refused(transport, errors, startedAt, known) {
      const name = known ? (operationOf(known.document, known.operationName).name ?? ANONYMOUS_OPERATION) : undefined;
      // A refused request's name is the client's word: it takes no slot of its own.
      const operation = name === undefined ? UNREAD_OPERATION : names.has(name) ? name : OTHER_OPERATION;
      metrics?.operation(transport, operation, errors[0] ? outcomeOf(errors[0]) : 'ok', seconds(startedAt));
    },

    begin({ transport, document, operationName, variables, startedAt }) {
      const { kind, name } = operationOf(document, operationName);
      const operation = label(name ?? ANONYMOUS_OPERATION);
      // Named after the operation, as OpenTelemetry's GraphQL conventions say: "query SuggestPartners".
      const span: Span | undefined = tracer?.startSpan(name ? `${kind} ${name}` : kind, {
        kind: SpanKind.SERVER,
        attributes: {
          'graphql.operation.type': kind,
          ...(name ? { 'graphql.operation.name': name } : {}),
          'matchmaker.transport': transport,
          ...(options.recordArguments && variables ? { 'graphql.variables': argumentsText(variables) } : {}),
        },
      });
      const parent = span && trace.setSpan(context.active(), span);
      let finished = false;
      return {
        field<T>(key: string, args: Record<string, unknown>, run: () => T): T {
          if (!tracer || !parent) return run();
          const child = tracer.startSpan(
            key,
            {
              attributes: {
                'graphql.field.path': key,
                ...(options.recordArguments ? { 'graphql.field.arguments': argumentsText(args) } : {}),
              },
            },
            parent,
          );
          const end = (error?: unknown) => {
            if (error !== undefined) child.setStatus({ code: SpanStatusCode.ERROR });
            child.end();
          };
          let result: T;
          try {
            result = context.with(trace.setSpan(parent, child), run);
          } catch (error) {
            end(error);
            throw error;
          }
          if (result instanceof Promise)
            result.then(
              () => end(),
              (error: unknown) => end(error ?? 'rejected'),
            );
          else end();
          return result;
        },
        finish(errors) {
          if (finished) return;
          finished = true;
          const outcome = errors?.length ? outcomeOf(errors[0]) : 'ok';
          metrics?.operation(transport, operation, outcome, seconds(startedAt));
          if (span) {
            span.setAttribute('matchmaker.outcome', outcome);
            if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
            span.end();
          }
        },
      };
    },
  };
}

/** Ends each HTTP operation's trace with the errors of its answer (the WebSocket side: websocket.ts). */
export const finishOperationPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        contextValue.trace?.finish(response.body.kind === 'single' ? response.body.singleResult.errors : undefined);
      },
    };
  },
};
