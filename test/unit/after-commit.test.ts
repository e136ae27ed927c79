/**
 * A hook that fails after a write committed does not undo the write, and is not silent: the
 * client gets its result with a warning in `extensions.warnings`, one per failed hook.
 */
import { DataSource } from 'typeorm';
import { afterCommit, createContext, withWarnings } from '../../src/graphql/context';
import { createWorkLimiter } from '../../src/graphql/work-limiter';
import { silentLogger } from '../../src/log/logger';
import type { ChangeFeed } from '../../src/subscriptions/change-feed';
import type { Loaders } from '../../src/graphql/loaders';

const context = () =>
  createContext(new DataSource({ type: 'postgres' }), silentLogger, {
    live: {} as ChangeFeed<Loaders>,
    work: createWorkLimiter({ concurrency: 1 }),
  });

describe('afterCommit', () => {
  it.each([
    [[], 0],
    [['index partnership'], 1],
    [['index dismissal', 'match import'], 2],
  ])('after hooks %j failed, the result carries %i warnings and its data', async (failing, count) => {
    const ctx = context();
    await afterCommit(ctx, 'settled', async () => undefined);
    for (const what of failing)
      await afterCommit(ctx, what, async () => {
        throw new Error('Connection terminated unexpectedly');
      });
    const result = withWarnings(ctx, { data: { ok: true }, extensions: { other: 1 } as Record<string, unknown> });
    expect(result.data).toEqual({ ok: true });
    expect(result.extensions.other).toBe(1);
    const warnings = (result.extensions.warnings ?? []) as { code: string; what: string }[];
    expect(warnings).toHaveLength(count);
    expect(warnings.map((w) => w.what)).toEqual(failing);
    for (const w of warnings) expect(w.code).toBe('AFTER_COMMIT_FAILED');
  });
});
