import type { ApolloServerPlugin } from '@apollo/server';
import { DataSource } from 'typeorm';
import { Logger } from '../log/logger';
import { ChangeFeed } from '../subscriptions/change-feed';
import type { WorkLimiter } from './work-limiter';
import { Language, languageOf } from '../domain/language';
import { createLoaders, Loaders } from './loaders';
import { PUBLIC_VIEWER, Viewer } from '../domain/access/role';
import { viewKey } from '../subscriptions/shared-execution';
import type { QueueBound } from '../subscriptions/async-queue';

/** What every resolver gets: the database, this request's loaders, and a logger. */
export interface Context {
  dataSource: DataSource;
  loaders: Loaders;
  log: Logger;
  /** Live matching: hooks for writers, streams for subscribers. */
  live: ChangeFeed<Loaders>;
  /** Who is asking; decides what private fields show. */
  viewer: Viewer;
  /** Whose share of expensive work this is: the API key's id, or `ip:<address>` without a key. */
  caller: string;
  /** This server's per-caller limiter of expensive work. */
  work: WorkLimiter;
  /** The language reasons and labels default to: the request's `Accept-Language`, else English. */
  lang: Language;
  /** A subscription's view key: subscribers with the same one share each event's execution. */
  viewKey?: string;
  /** A subscription's bound on events waiting for its client (set by the WebSocket transport). */
  stream?: QueueBound;
  /** What went wrong after this request's write committed; sent beside the result (see {@link afterCommit}). */
  warnings: Warning[];
}

/** A failure after commit: the write stands, but something it should have caused did not happen yet. */
export interface Warning {
  code: 'AFTER_COMMIT_FAILED';
  /** The hook that failed, e.g. "index partnership". */
  what: string;
  message: string;
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
}

/** Builds a fresh context; call it once per HTTP request (or WebSocket operation). */
export function createContext(dataSource: DataSource, log: Logger, facts: RequestFacts): Context {
  const viewer = facts.viewer ?? PUBLIC_VIEWER;
  const caller = viewer.keyId ?? `ip:${facts.address ?? 'unknown'}`;
  const lang = languageOf(facts.acceptLanguage);
  // Loaders are made on first use: a subscription's context never uses its own (each event brings
  // loaders shared by all its subscribers), and a full set is ~10 kB per subscription.
  let loaders: Loaders | undefined;
  return {
    dataSource,
    get loaders(): Loaders {
      return (loaders ??= createLoaders(dataSource));
    },
    set loaders(value: Loaders) {
      loaders = value;
    },
    log,
    live: facts.live,
    viewer,
    caller,
    work: facts.work,
    lang,
    viewKey: facts.operation ? viewKey(viewer, lang) : undefined,
    warnings: [],
  };
}

/**
 * Runs a hook after a mutation's transaction committed. Its failure does not undo the committed
 * write, so the mutation still answers its result; the failure is logged and told to the client
 * as a warning in the response's `extensions.warnings` (code AFTER_COMMIT_FAILED): the write
 * happened, but what it causes (the match index, live events) may arrive late. Stored events
 * stay in the outbox, which the relay's next poll (or any later write) delivers.
 */
export async function afterCommit(ctx: Context, what: string, hook: () => Promise<void>): Promise<void> {
  try {
    await hook();
  } catch (error) {
    ctx.log.error('after-commit hook failed', { what, error: String(error) });
    ctx.warnings.push({
      code: 'AFTER_COMMIT_FAILED',
      what,
      message: `The write was committed, but "${what}" failed after it; its effects may arrive late`,
    });
  }
}

/** A result with the request's warnings, if any, in its `extensions.warnings`. */
export function withWarnings<R extends { extensions?: Record<string, unknown> }>(ctx: Context, result: R): R {
  if (!ctx.warnings?.length) return result;
  return { ...result, extensions: { ...result.extensions, warnings: [...ctx.warnings] } };
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
