import { DataSource } from 'typeorm';
import { Logger } from '../log/logger';
import { ChangeFeed } from '../subscriptions/change-feed';
import type { WorkLimiter } from './work-limiter';
import { Language, languageOf } from '../domain/language';
import { createLoaders, Loaders } from './loaders';
import { budgetOf, PUBLIC_VIEWER, Viewer } from '../domain/access/role';
import { viewKey } from '../subscriptions/shared-execution';

/** What every resolver gets: the database, this request's loaders, and a logger. */
export interface Context {
  dataSource: DataSource;
  loaders: Loaders;
  log: Logger;
  /** Live matching: hooks for writers, streams for subscribers. */
  live: ChangeFeed<Loaders>;
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
  const caller = budgetOf(viewer, facts.address);
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
    viewKey: facts.operation ? viewKey(facts.operation, viewer, lang) : undefined,
  };
}

/**
 * Runs a hook after a mutation's transaction committed. Its failure does not undo the
 * committed write; it is logged, and stored events stay available to catch up from.
 */
export async function afterCommit(ctx: Context, what: string, hook: () => Promise<void>): Promise<void> {
  try {
    await hook();
  } catch (error) {
    ctx.log.error('after-commit hook failed', { what, error: String(error) });
  }
}
