import { DataSource } from 'typeorm';
import { Logger } from '../server/logger';
import { LiveMatches } from '../subscriptions/live-matches';
import { createLoaders, Loaders } from './loaders';
import { PUBLIC_VIEWER, Viewer } from '../domain/access/role';

/** What every resolver gets: the database, this request's loaders, and a logger. */
export interface Context {
  dataSource: DataSource;
  loaders: Loaders;
  log: Logger;
  /** Live matching: hooks for writers, streams for subscribers. */
  live: LiveMatches;
  /** Who is asking; decides what private fields show. */
  viewer: Viewer;
}

/** Builds a fresh context; call it once per HTTP request. */
export function createContext(dataSource: DataSource, log: Logger, live: LiveMatches, viewer: Viewer = PUBLIC_VIEWER): Context {
  return { dataSource, loaders: createLoaders(dataSource), log, live, viewer };
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
