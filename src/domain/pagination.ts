import { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { packCursor, unpackCursor } from './cursor';
import { badInput } from './errors';

/** A page request in Relay's forward style. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** One page of rows plus what Relay's `pageInfo` needs. */
export interface Page<T> {
  rows: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  cursorOf(row: T): string;
  /** Counts every row that matches the filter; runs only when asked for. */
  totalCount(): Promise<number>;
}

/** Largest `first` a client may ask for. */
export const MAX_PAGE_SIZE = 100;
/** Page size when `first` is absent. */
export const DEFAULT_PAGE_SIZE = 20;

interface Keyed {
  id: string;
  createdAt: Date;
}

export function encodeCursor(row: Keyed): string {
  return packCursor('k', [row.createdAt.toISOString(), row.id]);
}

export function decodeCursor(cursor: string, field = 'after'): { createdAt: Date; id: string } {
  const parts = unpackCursor(field, cursor, 'k', 2, 'a cursor returned by this API');
  return { createdAt: parts.time(0), id: parts.uuid(1) };
}

export function pageSize(first: number | null | undefined, field = 'first'): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(field, `must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`);
  }
  return first;
}

/**
 * Keyset pagination over (created_at, id), the order of the `*_created_idx` indexes:
 * stable under inserts, and one indexed range scan per page.
 */
export async function keysetPage<T extends ObjectLiteral & Keyed>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  args: PageArgs,
): Promise<Page<T>> {
  const limit = pageSize(args.first);
  const countQb = qb.clone();
  if (args.after) {
    const { createdAt, id } = decodeCursor(args.after);
    qb.andWhere(`(${alias}.createdAt, ${alias}.id) > (:afterAt, :afterId)`, { afterAt: createdAt, afterId: id });
  }
  const rows = await qb
    .orderBy(`${alias}.createdAt`, 'ASC')
    .addOrderBy(`${alias}.id`, 'ASC')
    .take(undefined)
    .limit(limit + 1)
    .getMany();
  return {
    rows: rows.slice(0, limit),
    hasNextPage: rows.length > limit,
    hasPreviousPage: Boolean(args.after),
    cursorOf: encodeCursor,
    totalCount: () => countQb.getCount(),
  };
}
