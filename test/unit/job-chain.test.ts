/** The change feed's jobs: one at a time, in order; one asked for while another waits joins it. */
import { JobChain } from '../../src/subscriptions/job-chain';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

it('runs one job at a time, in order, and merges those asked for while one waits', async () => {
  const ran: string[] = [];
  const gate = deferred();
  let running = 0;
  let most = 0;
  const chain = new JobChain<string>(
    async (job) => {
      running += 1;
      most = Math.max(most, running);
      if (job.startsWith('first')) await gate.promise;
      ran.push(job);
      running -= 1;
    },
    (queued, next) => `${queued}+${next}`,
    (error) => {
      throw error;
    },
  );
  const first = chain.run('first');
  // `first` has not started yet: the next caller joins it.
  const joined = chain.run('a');
  expect(joined).toBe(first);
  await Promise.resolve();
  const second = chain.run('b');
  const third = chain.run('c');
  expect(third).toBe(second);
  gate.resolve();
  await Promise.all([first, second, third]);
  await chain.settled;
  expect(ran).toEqual(['first+a', 'b+c']);
  expect(most).toBe(1);
});

it('a failed job rejects its callers, is heard, and the chain goes on', async () => {
  const heard: unknown[] = [];
  const chain = new JobChain<number>(
    async (job) => {
      if (job === 1) throw new Error('job 1 failed');
    },
    (_queued, next) => next,
    (error) => heard.push(error),
  );
  const failing = chain.run(1);
  await expect(failing).rejects.toThrow('job 1 failed');
  await expect(chain.run(2)).resolves.toBeUndefined();
  await chain.settled;
  expect(heard).toEqual([new Error('job 1 failed')]);
});
