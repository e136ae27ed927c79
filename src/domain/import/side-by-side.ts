/**
 * An import's slices written (and checked for duplicates) side by side, each on its own
 * connection (a write in its own transaction): PostgreSQL works on one while this thread prepares
 * the next statement, and on two cores at once.
 * @default 2
 */
export const IMPORT_WRITERS = 2;

/**
 * Runs `count` numbered tasks, at most `width` at a time, taking them in order; resolves with
 * their results by number. When one fails, no further task starts; those running finish, then
 * the first failure is thrown.
 */
export async function sideBySide<T>(count: number, width: number, task: (n: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  let stopped = false;
  const lane = async () => {
    while (!stopped && next < count) {
      const n = next++;
      try {
        results[n] = await task(n);
      } catch (error) {
        stopped = true;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.max(1, width) }, lane));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results;
}
