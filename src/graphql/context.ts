import { DataSource } from 'typeorm';
import { Logger } from '../server/logger';
import { createLoaders, Loaders } from './loaders';

/** What every resolver gets: the database, this request's loaders, and a logger. */
export interface Context {
  dataSource: DataSource;
  loaders: Loaders;
  log: Logger;
}

/** Builds a fresh context; call it once per HTTP request. */
export function createContext(dataSource: DataSource, log: Logger): Context {
  return { dataSource, loaders: createLoaders(dataSource), log };
}
