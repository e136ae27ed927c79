/**
 * The unit of work: a domain write runs in one transaction, and a transaction that appended to
 * the outbox has it relayed after it committed — by itself, so that no resolver, command-line
 * tool or test has to remember to. The write is in this instance's read model before its caller
 * answers; its relay (match events, every instance told) follows right after; if no relay is
 * registered (a command-line process without a change feed), every instance's poll finds the
 * change instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import type { OutboxChange } from './outbox';

/** Something a committed write should have caused and did not (yet): the write stands. */
export interface AfterCommitFailure {
  /** What failed, e.g. "relay the outbox". */
  what: string;
  message: string;
}

/** A change a transaction appended to the outbox, and its place there. */
export interface AppendedChange {
  change: OutboxChange;
  seq: number;
}

/**
 * Relays committed outbox changes; `written`: the changes the caller's transaction appended (in
 * this instance's read model when it resolves, relayed right after), or `undefined` for whatever
 * is pending (relayed when it resolves).
 */
type Relay = (written: readonly AppendedChange[] | undefined) => Promise<void>;

const relays = new WeakMap<DataSource, Relay>();
const failures = new AsyncLocalStorage<AfterCommitFailure[]>();
const OUTBOX = 'outboxAppended';

/**
 * Registers how committed outbox changes of `dataSource` are relayed (this instance's change
 * feed); returns the way to stop.
 */
export function relayCommitsWith(dataSource: DataSource, relay: Relay): () => void {
  relays.set(dataSource, relay);
  return () => {
    if (relays.get(dataSource) === relay) relays.delete(dataSource);
  };
}

/** Notes that the transaction of `manager` appended a change to the outbox (see appendOutbox). */
export function markOutboxAppended(manager: EntityManager, appended: AppendedChange): void {
  const runner = manager.queryRunner;
  if (runner) runner.data = { ...runner.data, [OUTBOX]: [...appendedBy(manager), appended] };
}

/** The changes the transaction of `manager` appended to the outbox so far. */
function appendedBy(manager: EntityManager): AppendedChange[] {
  const appended: unknown = manager.queryRunner?.data?.[OUTBOX];
  return Array.isArray(appended) ? (appended as AppendedChange[]) : [];
}

/**
 * Runs `fn` collecting into `into` what failed after the commits it makes (the GraphQL layer
 * runs each mutation so, and tells the client beside the result).
 */
export function collectAfterCommitFailures<T>(into: AfterCommitFailure[], fn: () => T): T {
  return failures.run(into, fn);
}

/**
 * Relays what committed transactions of `db` appended to the outbox; never throws (the write
 * stands). `written`: what the caller appended, when it knows (else all that is pending).
 */
export async function relayCommitted(
  db: EntityManager,
  what: string,
  written?: readonly AppendedChange[],
): Promise<void> {
  const relay = relays.get(db.dataSource);
  if (!relay) return;
  try {
    await relay(written);
  } catch (error) {
    // The change is in the outbox: the next poll or the next write relays it.
    failures.getStore()?.push({
      what,
      message: `The write was committed, but ${what} failed after it (${String(error)}); its effects may arrive late`,
    });
  }
}

/** Options for {@link inTransaction}. */
export interface UnitOfWorkOptions {
  /**
   * Relay the outbox after commit. An import of many slices relays once at its end instead.
   * @default true
   */
  relay?: boolean;
}

/**
 * Runs `work` in a transaction of `db` and, when it appended to the outbox, relays it after the
 * commit. Called with a manager that is already in a transaction, it joins it: the outermost
 * unit of work relays.
 */
export async function inTransaction<T>(
  db: EntityManager,
  work: (manager: EntityManager) => Promise<T>,
  options: UnitOfWorkOptions = {},
): Promise<T> {
  if (db.queryRunner?.isTransactionActive) return work(db);
  let appended: AppendedChange[] = [];
  const result = await db.transaction(async (manager) => {
    const value = await work(manager);
    appended = appendedBy(manager);
    return value;
  });
  if (appended.length && options.relay !== false)
    await relayCommitted(db, 'reading the change into the match index', appended);
  return result;
}
