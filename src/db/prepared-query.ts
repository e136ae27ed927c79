/**
 * Named prepared statements for the statements on the write path that PostgreSQL takes longer to
 * plan than to run (a stakeholder's track record, read when it is written, is a chain of CTEs).
 * Each connection of the pool prepares a statement once; later runs skip parsing and planning.
 */
import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

const names = new Map<string, string>();

/** A statement's name, from its text: one text, one name, on every connection. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `q_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs `text` with `values` as a named prepared statement on `db`'s connection: its transaction's
 * when it is in one, else a connection of the pool for this statement. The data source's logger
 * sees it as it sees TypeORM's own statements (tests and benchmarks count statements there).
 */
export async function preparedQuery<T>(db: EntityManager | DataSource, text: string, values: unknown[]): Promise<T[]> {
  const manager = db instanceof DataSource ? db.manager : db;
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    manager.connection.logger.logQuery(text, values, runner);
    const result = await client.query<T & object>({ name: nameOf(text), text, values });
    return result.rows;
  } finally {
    if (runner !== manager.queryRunner) await runner.release();
  }
}
