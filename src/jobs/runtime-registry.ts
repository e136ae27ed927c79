import { DataSource } from 'typeorm';
import { DomainError, DomainErrorCode } from '../domain/errors';

/**
 * What a running part (webhooks, mail) lends to mutations of the service on one database: set when
 * it starts, gone when it stops, and a SERVICE_UNAVAILABLE refusal in between, never a silent no-op.
 */
export function runtimeRegistry<T extends object>(what: string) {
  const runtimes = new WeakMap<DataSource, T>();
  return {
    set: (dataSource: DataSource, runtime: T) => void runtimes.set(dataSource, runtime),
    delete: (dataSource: DataSource) => void runtimes.delete(dataSource),
    of(dataSource: DataSource): T {
      const runtime = runtimes.get(dataSource);
      if (!runtime) throw new DomainError(DomainErrorCode.ServiceUnavailable, `${what} is not running yet: retry`);
      return runtime;
    },
  };
}
