import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { DomainError, DomainErrorCode } from './errors';
import * as v from './validate';
import { inTransaction } from './unit-of-work';

/** Identifies one intended call: the same caller, operation and key mean "the same request again". */
export interface IdempotencyScope {
  /** The API key's id: keys of different callers never collide. */
  caller: string;
  operation: string;
  key: string;
  /** The call's arguments: a replay of the key with other arguments is a CONFLICT. */
  args: Record<string, unknown>;
}

/** A stable hash of a call's arguments (keys sorted, so their order does not matter). */
export function argumentsHash(args: Record<string, unknown>): string {
  const sorted = Object.keys(args)
    .sort()
    .map((k) => [k, args[k] ?? null]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
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
  if (!scope) return inTransaction(db, work);
  const key = [scope.caller, scope.operation, scope.key];
  return inTransaction(db, async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify(key)]);
    const hash = argumentsHash(scope.args);
    const [earlier]: { result_id: string; arguments_hash: string | null }[] = await manager.query(
      'SELECT result_id, arguments_hash FROM idempotency_key WHERE caller = $1 AND operation = $2 AND key = $3',
      key,
    );
    if (earlier && earlier.arguments_hash !== null && earlier.arguments_hash !== hash) {
      throw new DomainError(
        DomainErrorCode.Conflict,
        `idempotencyKey was already used for an earlier ${scope.operation} call with other arguments; ` +
          'use a new key for a new call',
        'idempotencyKey',
      );
    }
    if (earlier) return load(manager, earlier.result_id);
    const result = await work(manager);
    await manager.query(
      'INSERT INTO idempotency_key (caller, operation, key, result_id, arguments_hash) VALUES ($1, $2, $3, $4, $5)',
      [...key, result.id, hash],
    );
    return result;
  });
}
