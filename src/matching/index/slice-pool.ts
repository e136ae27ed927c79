/**
 * A row's tags and languages live as a slice of one shared pool; a rewritten row appends a fresh
 * slice and leaves its old one behind. Once the slices left behind outweigh the live ones, the
 * pool is rebuilt with only the live slices, in row order, so a long-running instance's pools stay
 * the size of what they hold (a full reload builds them compact anyway).
 */
import { sharedArray } from './shared-columns';

/**
 * Entries left behind that are tolerated before a rebuild, beyond as many as are live.
 * @default 65536
 */
export const POOL_SLACK = 65_536;

/** Whether a pool holding `used` entries, `live` of them in some row's slice, is worth rebuilding. */
export function wasteful(used: number, live: number): boolean {
  return used > 2 * live + POOL_SLACK;
}

/** A fresh pool with every row's slice, in row order; `start` and `end` are rewritten to point into it. */
export function compactSlices<T extends Int32Array | Uint8Array>(
  pool: T,
  start: Uint32Array,
  end: Uint32Array,
  rows: number,
  live: number,
): { pool: T; used: number } {
  const Class = pool.constructor as { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
  const next = sharedArray(Class, Math.ceil(live * 1.5) + 1024);
  let used = 0;
  // Entry by entry: a slice is a few entries, and a view per row (a million at a load) cost more than the copy.
  for (let row = 0; row < rows; row++) {
    const [from, to] = [start[row], end[row]];
    start[row] = used;
    for (let i = from; i < to; i++) next[used++] = pool[i];
    end[row] = used;
  }
  return { pool: next, used };
}
