import { AbstractLogger, DataSource, LogLevel, LogMessage, QueryRunner } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** Options for {@link createDataSource}. */
export interface DataSourceOptions {
  url: string;
  /**
   * Connections in the pool.
   * @default 10
   */
  poolSize?: number;
  /**
   * Abort statements running longer than this (ms).
   * @default 10000
   */
  statementTimeoutMs?: number;
  /** Sees every SQL statement; used by tests and benchmarks to count queries. */
  onQuery?: (sql: string) => void;
}

class HookLogger extends AbstractLogger {
  constructor(private readonly onQuery: (sql: string) => void) {
    super(['query']);
  }

  protected writeLog(level: LogLevel, message: LogMessage | LogMessage[], _qr?: QueryRunner): void {
    if (level !== 'query') return;
    for (const m of Array.isArray(message) ? message : [message]) this.onQuery(String(m.message));
  }
}

/**
 * A TypeORM data source over PostgreSQL. The schema is only ever changed by migrations;
 * pool timeouts keep a stalled database from hanging requests forever.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  const statementTimeout = options.statementTimeoutMs ?? 10000;
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    logging: options.onQuery ? ['query'] : false,
    logger: options.onQuery ? new HookLogger(options.onQuery) : undefined,
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
      statement_timeout: statementTimeout,
      // The server-side timeout cannot fire when the server itself is unreachable: the client gives
      // up a little later on its own, and TCP keep-alive notices a dead peer.
      query_timeout: statementTimeout + 5000,
      keepAlive: true,
      idle_in_transaction_session_timeout: statementTimeout * 2,
      application_name: 'open-schooling-matchmaker',
    },
  });
}
