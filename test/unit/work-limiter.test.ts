import { DomainError } from '../../src/domain/errors';
import { createWorkLimiter } from '../../src/graphql/work-limiter';

/** A piece of work that ends when told to. */
function gate() {
  let open!: () => void;
  const done = new Promise<void>((resolve) => (open = resolve));
  return { open, done };
}

describe('per-caller limit on expensive work', () => {
  it('runs `concurrency` at once, queues `queue` more, refuses the rest, and lets waiters in as work ends', async () => {
    const limiter = createWorkLimiter({ concurrency: 2, queue: 2 });
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const calls = gates.map((g, i) =>
      limiter
        .run('key-1', 'suggestPartners', async () => {
          started.push(i);
          await g.done;
          return i;
        })
        .catch((e: DomainError) => e),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    const refused = await calls[4];
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('RATE_LIMITED');
    expect((refused as DomainError).message).toMatch(/^suggestPartners: at most 2 expensive operations run at once/);
    gates[0].open();
    await calls[0];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    gates.slice(1, 4).forEach((g) => g.open());
    expect(await Promise.all(calls.slice(0, 4))).toEqual([0, 1, 2, 3]);
  });

  it('gives every caller a share of its own', async () => {
    const limiter = createWorkLimiter({ concurrency: 1, queue: 0 });
    const g = gate();
    const first = limiter.run('key-1', 'x', () => g.done);
    await expect(limiter.run('key-1', 'x', async () => 1)).rejects.toThrow(/at most 1 expensive/);
    await expect(limiter.run('ip:10.0.0.2', 'x', async () => 2)).resolves.toBe(2);
    g.open();
    await first;
    await expect(limiter.run('key-1', 'x', async () => 3)).resolves.toBe(3);
  });

  it('frees the slot when the work fails', async () => {
    const limiter = createWorkLimiter({ concurrency: 1, queue: 0 });
    await expect(limiter.run('k', 'x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run('k', 'x', async () => 'ok')).resolves.toBe('ok');
  });
});

describe('turns for streaming work (a subscription replay)', () => {
  const settled = async (p: Promise<void>) => {
    let done = false;
    void p.then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    return done;
  };

  it('gives `concurrency` turns at once per caller; the rest wait, in order, and are never refused', async () => {
    const limiter = createWorkLimiter({ concurrency: 2, queue: 0 });
    const turns = Array.from({ length: 6 }, () => limiter.hold('key-1'));
    expect(await Promise.all(turns.map((t) => settled(t.ready)))).toEqual([true, true, false, false, false, false]);
    turns[0].release();
    expect(await Promise.all(turns.map((t) => settled(t.ready)))).toEqual([true, true, true, false, false, false]);
    // Giving up a wait (the client left) passes nothing on and lets no one skip the line.
    turns[3].release();
    turns[1].release();
    expect(await settled(turns[4].ready)).toBe(true);
    expect(await settled(turns[3].ready)).toBe(false);
    expect(await settled(turns[5].ready)).toBe(false);
    // Releasing twice gives back one turn only.
    turns[2].release();
    turns[2].release();
    expect(await settled(turns[5].ready)).toBe(true);
    const extra = limiter.hold('key-1');
    expect(await settled(extra.ready)).toBe(false);
  });

  it('keeps streams apart from queries and callers apart from each other', async () => {
    const limiter = createWorkLimiter({ concurrency: 1, queue: 0 });
    const held = limiter.hold('key-1');
    await held.ready;
    await expect(limiter.run('key-1', 'x', async () => 'query runs')).resolves.toBe('query runs');
    expect(await settled(limiter.hold('key-2').ready)).toBe(true);
    const waiting = limiter.hold('key-1');
    expect(await settled(waiting.ready)).toBe(false);
    held.release();
    expect(await settled(waiting.ready)).toBe(true);
  });
});
