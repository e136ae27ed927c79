import { sideBySide } from '../../src/domain/import/side-by-side';

/** A task that resolves after a turn or two of the event loop, recording how many ran at once. */
function tracked() {
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const task = async (n: number) => {
    started.push(n);
    running += 1;
    most = Math.max(most, running);
    for (let turn = 0; turn < 1 + (n % 3); turn++) await new Promise((r) => setImmediate(r));
    running -= 1;
    if (n === fail) {
      startedWhenFailed = started.length;
      throw new Error(`task ${n} failed`);
    }
    return n * 10;
  };
  let fail = -1;
  let startedWhenFailed = -1;
  return {
    task,
    most: () => most,
    started,
    failAt: (n: number) => (fail = n),
    startedWhenFailed: () => startedWhenFailed,
  };
}

describe('sideBySide', () => {
  it.each([
    [0, 2],
    [1, 2],
    [7, 1],
    [7, 2],
    [7, 3],
    [20, 2],
    [3, 8],
  ])('runs %i tasks at most %i at a time, in order, and answers by number', async (count, width) => {
    const t = tracked();
    const results = await sideBySide(count, width, t.task);
    expect(results).toEqual(Array.from({ length: count }, (_, n) => n * 10));
    expect(t.most()).toBeLessThanOrEqual(width);
    if (count >= width) expect(t.most()).toBe(width);
    expect(t.started).toEqual(Array.from({ length: count }, (_, n) => n));
  });

  it.each([
    [10, 2, 3],
    [10, 1, 0],
    [10, 3, 5],
  ])('of %i tasks %i at a time, stops taking tasks after task %i fails, and throws it', async (count, width, at) => {
    const t = tracked();
    t.failAt(at);
    await expect(sideBySide(count, width, t.task)).rejects.toThrow(`task ${at} failed`);
    // Those already started when it failed may finish; none starts after.
    expect(t.startedWhenFailed()).toBeGreaterThan(at);
    expect(t.started.length).toBe(t.startedWhenFailed());
    expect(t.started.length).toBeLessThan(count);
  });
});
