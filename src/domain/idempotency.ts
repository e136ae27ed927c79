import { EntityManager } from 'typeorm';
import * as v from './validate';

/** Identifies one intended call: the same caller, operation and key mean "the same request again". */
export interface IdempotencyScope {
  /** The API key's id: keys of different callers never collide. */
  caller: string;
  operation: string;
  key: string;
}

/** Checks a client's idempotency key: 1 to 200 characters, as sent in the `idempotencyKey` argument. */
export function idempotencyKey(field: string, key: string | null | undefined): string | undefined {
  return key == null ? undefined : v.requireText(field, key, 200);
}

/**
 * Runs `work` in one transaction, at most once per scope: a retry after a lost response gets the
 * first call's result (read back with `load`) instead of doing the work again. Retries of one
 * key queue on a transaction-scoped advisory lock, so concurrent retries do not race each other
 * into a conflict; the key is stored in the same transaction as the work, so both land or neither.
 */
export async function once<T extends { id: string }>(
  db: EntityManager,
  scope: IdempotencyScope | undefined,
  load: (db: EntityManager, id: string) => Promise<T>,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (!scope) return db.transaction(work);
  const key = [scope.caller, scope.operation, scope.key];
  return db.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify(key)]);
    const [earlier]: { result_id: string }[] = await manager.query(
      'SELECT result_id FROM idempotency_key WHERE caller = $1 AND operation = $2 AND key = $3',
      key,
    );
    if (earlier) return load(manager, earlier.result_id);
    const result = await work(manager);
    await manager.query('INSERT INTO idempotency_key (caller, operation, key, result_id) VALUES ($1, $2, $3, $4)', [...key, result.id]);
    return result;
  });
}
