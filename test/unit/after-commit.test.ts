/**
 * What fails after a write committed does not undo the write, and is not silent: the domain's
 * unit of work collects it while the mutation runs, and the client gets its result with a
 * warning in `extensions.warnings`, one per failure.
 */
import { DataSource } from 'typeorm';
import { collectWarnings, createContext, withWarnings } from '../../src/graphql/context';
import { createWorkLimiter } from '../../src/graphql/work-limiter';
import { relayCommitsWith, relayCommitted } from '../../src/domain/unit-of-work';
import { silentLogger } from '../../src/log/logger';
import type { ChangeFeed } from '../../src/subscriptions/change-feed';
import type { Loaders } from '../../src/graphql/loaders';

const dataSource = new DataSource({ type: 'postgres' });
const context = () =>
  createContext(dataSource, silentLogger, {
    live: {} as ChangeFeed<Loaders>,
    work: createWorkLimiter({ concurrency: 1 }),
  });

describe('after commit', () => {
  it.each([
    [[], 0],
    [['reading the change into the match index'], 1],
    [['reading the change into the match index', 'matching the import'], 2],
  ])('after %j failed, the result carries %i warnings and its data', async (failing, count) => {
    const ctx = context();
    let fail = false;
    const stop = relayCommitsWith(dataSource, async () => {
      if (fail) throw new Error('Connection terminated unexpectedly');
    });
    await collectWarnings(ctx, async () => {
      await relayCommitted(dataSource.manager, 'settled');
      fail = true;
      for (const what of failing) await relayCommitted(dataSource.manager, what);
    });
    stop();
    // Outside a mutation's run nothing is collected, and nothing throws.
    await relayCommitted(dataSource.manager, 'elsewhere');
    const result = withWarnings(ctx, { data: { ok: true }, extensions: { other: 1 } as Record<string, unknown> });
    expect(result.data).toEqual({ ok: true });
    expect(result.extensions.other).toBe(1);
    const warnings = (result.extensions.warnings ?? []) as { code: string; what: string }[];
    expect(warnings).toHaveLength(count);
    expect(warnings.map((w) => w.what)).toEqual(failing);
    for (const w of warnings) expect(w.code).toBe('AFTER_COMMIT_FAILED');
  });
});
