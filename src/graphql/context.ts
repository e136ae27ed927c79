import type { ApolloServerPlugin } from '@apollo/server';
import { DataSource } from 'typeorm';
import { Logger } from '../log/logger';
import { ChangeFeed } from '../subscriptions/change-feed';
import type { MatchIndex } from '../matching/index/match-index';
import type { WorkLimiter } from './work-limiter';
import type { OperationTrace } from './operation-telemetry';
import { Language, languageOf } from '../domain/language';
import { createLoaders, Loaders } from './loaders';
import { budgetOf, PUBLIC_VIEWER, Viewer } from '../domain/access/role';
import { viewKey } from '../subscriptions/shared-execution';
import type { QueueBound } from '../subscriptions/async-queue';
import { AfterCommitFailure, collectAfterCommitFailures } from '../domain/unit-of-work';
import { DomainError, DomainErrorCode } from '../domain/errors';

/** What every resolver gets: the database, this request's loaders, and a logger. */
export interface Context {
  dataSource: DataSource;
  loaders: Loaders;
  log: Logger;
  /** Live matching: the streams subscribers read. */
  live: ChangeFeed<Loaders>;
  /** The read model suggestions come from: this instance's match index, kept current by the outbox. */
  index: MatchIndex;
  /** Who is asking; decides what private fields show. */
  viewer: Viewer;
  /** Whose share of expensive work this is: see `budgetOf` (a key's id, or `ip:<address>`). */
  caller: string;
  /** This server's per-caller limiter of expensive work. */
  work: WorkLimiter;
  /** The language reasons and labels default to: the request's `Accept-Language`, else English. */
  lang: Language;
  /** A subscription's view key: subscribers with the same one share each event's execution. */
  viewKey?: string;
  /** A subscription's bound on events waiting for its client (set by the WebSocket transport). */
  stream?: QueueBound;
  /**
   * What failed after this request's writes committed (the domain's unit of work collects it
   * while a mutation runs; see {@link collectWarnings}); sent beside the result.
   */
  warnings: AfterCommitFailure[];
  /** Privacy decisions made in this request, per object (see privacy.middleware.ts). */
  privacy: WeakMap<object, boolean | Promise<boolean>>;
  /**
   * When the operation must stop: wrapped fields and loader batches check it ({@link checkDeadline}).
   * @default undefined (no deadline: a subscription's events, scripts, tests)
   */
  deadline?: Deadline;
  /**
   * The charge of the operation's cost to its caller's budget, under way; root fields await it
   * before any work, and throw the refusal it settles with.
   * @default undefined (nothing more to charge)
   */
  admission?: Promise<Error | undefined>;
  /**
   * The operation's metrics and span, ended by the transport with the result (see pipeline.ts).
   * @default undefined (not observed: webhook bodies, scripts, tests)
   */
  trace?: OperationTrace;
}

/** An execution deadline: the moment (Date.now() scale), and the allowance it came from. */
export interface Deadline {
  at: number;
  ms: number;
}

/**
 * A checkpoint: throws DEADLINE_EXCEEDED once the operation's deadline has passed. graphql-js
 * cannot abort an execution, so the work stops at the next wrapped field or loader batch.
 */
export function checkDeadline(ctx: { deadline?: Deadline }): void {
  const deadline = ctx.deadline;
  if (deadline && Date.now() >= deadline.at) throw deadlineExceeded(deadline);
}

/** The error an operation past its deadline answers. */
export function deadlineExceeded(deadline: Deadline): DomainError {
  return new DomainError(
    DomainErrorCode.DeadlineExceeded,
    `The operation ran past its execution deadline of ${deadline.ms} ms (EXECUTION_DEADLINE_MS) and was stopped: ` +
      'ask for fewer items (first) or fewer nested lists',
  );
}

/** What a transport knows of a request besides the database and the viewer. */
export interface RequestFacts {
  live: ChangeFeed<Loaders>;
  viewer?: Viewer;
  /** The client's address, for callers without a key. */
  address?: string;
  work: WorkLimiter;
  /** The request's `Accept-Language` header. */
  acceptLanguage?: string;
  /** A subscription's operation, to share its executions between subscribers with one view. */
  operation?: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null };
  /**
   * Milliseconds the operation may execute, from now.
   * @default undefined (no deadline)
   */
  deadlineMs?: number;
  /**
   * The charge of the operation's cost to the caller's budget, under way.
   * @default undefined (nothing more to charge)
   */
  admission?: Promise<Error | undefined>;
}

/** Builds a fresh context; call it once per HTTP request (or WebSocket operation). */
export function createContext(dataSource: DataSource, log: Logger, facts: RequestFacts): Context {
  const viewer = facts.viewer ?? PUBLIC_VIEWER;
  const caller = budgetOf(viewer, facts.address);
  const lang = languageOf(facts.acceptLanguage);
  // Loaders are made on first use: a subscription's context never uses its own (each event brings
  // loaders shared by all its subscribers), and a full set is ~10 kB per subscription.
  let loaders: Loaders | undefined;
  const deadline =
    facts.deadlineMs === undefined ? undefined : { at: Date.now() + facts.deadlineMs, ms: facts.deadlineMs };
  return {
    dataSource,
    get loaders(): Loaders {
      return (loaders ??= createLoaders(dataSource, deadline && (() => checkDeadline({ deadline }))));
    },
    set loaders(value: Loaders) {
      loaders = value;
    },
    log,
    live: facts.live,
    index: facts.live.index,
    viewer,
    caller,
    work: facts.work,
    lang,
    viewKey: facts.operation ? viewKey(viewer, lang) : undefined,
    warnings: [],
    privacy: new WeakMap(),
    deadline,
    admission: facts.admission,
  };
}

/**
 * Runs a mutation's resolver so that what fails after its commits (reading its change into this
 * instance's match index, an import's relay) lands in the request's warnings: the write stands, so
 * the mutation still answers its result, and the client is told in `extensions.warnings` (code
 * AFTER_COMMIT_FAILED) that its effects (the match index, live events) may arrive late. The outbox
 * keeps the change for the relay's next poll.
 */
export function collectWarnings<T>(ctx: Context, resolve: () => T): T {
  return collectAfterCommitFailures(ctx.warnings, resolve);
}

/** A result with the request's warnings, if any, in its `extensions.warnings`. */
export function withWarnings<R extends { extensions?: Record<string, unknown> }>(ctx: Context, result: R): R {
  if (!ctx.warnings?.length) return result;
  const warnings = ctx.warnings.map((w) => ({ code: 'AFTER_COMMIT_FAILED', ...w }));
  return { ...result, extensions: { ...result.extensions, warnings } };
}

/** Apollo plugin: puts the request's warnings into the response (WebSocket results: websocket.ts). */
export const warningsPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        if (response.body.kind === 'single')
          response.body.singleResult = withWarnings(contextValue, response.body.singleResult);
      },
    };
  },
};
