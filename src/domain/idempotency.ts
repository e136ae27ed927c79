import { EntityManager, QueryFailedError } from 'typeorm';
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

const isDuplicate = (error: unknown) =>
  error instanceof QueryFailedError && (error.driverError as { constraint?: string })?.constraint === 'idempotency_key_pkey';

/**
 * Runs `work` in one transaction, at most once per scope: a retry after a lost response gets the
 * first call's result (read back with `load`) instead of doing the work again. The key is
 * written in the same transaction as the work, so both land or neither does; of two concurrent
 * retries one commits and the other rolls back on the key's primary key and replays.
 */
export async function once<T extends { id: string }>(
  db: EntityManager,
  scope: IdempotencyScope | undefined,
  load: (db: EntityManager, id: string) => Promise<T>,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (!scope) return db.transaction(work);
  const replay = async (): Promise<T | undefined> => {
    const [row]: { result_id: string }[] = await db.query(
      'SELECT result_id FROM idempotency_key WHERE caller = $1 AND operation = $2 AND key = $3',
      [scope.caller, scope.operation, scope.key],
    );
    return row ? load(db, row.result_id) : undefined;
  };
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await db.transaction(async (manager) => {
      const result = await work(manager);
      await manager.query('INSERT INTO idempotency_key (caller, operation, key, result_id) VALUES ($1, $2, $3, $4)', [
        scope.caller, scope.operation, scope.key, result.id,
      ]);
      return result;
    });
  } catch (error) {
    if (isDuplicate(error)) {
      const winner = await replay();
      if (winner) return winner;
    }
    throw error;
  }
}
