import { performance } from 'node:perf_hooks';
import { Client } from 'pg';

/** Each statement's total time and count, by its first words. */
export type StatementTimes = Map<string, { n: number; ms: number }>;

/**
 * The time of each statement run while `fn` runs, summed by its first 70 characters: every
 * statement of the process, through the driver (TypeORM's, prepared ones, the bus's, the job
 * queue's). `seen` hears each one as it ends (its start and duration, in ms).
 */
export async function timeStatements(
  fn: () => Promise<void>,
  seen?: (key: string, start: number, ms: number) => void,
): Promise<StatementTimes> {
  const spent: StatementTimes = new Map();
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: Client, ...args: unknown[]): unknown {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    const t = performance.now();
    const done = () => {
      const ms = performance.now() - t;
      seen?.(key, t, ms);
      const entry = spent.get(key) ?? { n: 0, ms: 0 };
      entry.n += 1;
      entry.ms += ms;
      spent.set(key, entry);
    };
    const result = query.apply(this, args);
    if (result instanceof Promise) void result.then(done, done);
    return result;
  };
  try {
    await fn();
  } finally {
    proto.query = query;
  }
  return spent;
}
