/**
 * Jobs one at a time, in the order asked. A job asked for while one is queued and not started yet
 * joins it (the two merged into one): a job that has not started will see everything that happened
 * before it starts, so polls and messages during a long job do not pile up.
 */
export class JobChain<J> {
  private chain: Promise<void> = Promise.resolve();
  /** The job queued and not started yet: later callers share it. */
  private waiting: { job: J; done: Promise<void> } | undefined;

  /**
   * @param handle runs one job
   * @param merge the job that runs when `next` is asked for while `queued` waits
   * @param onError hears a job's failure (the chain goes on; the job's caller gets the failure too)
   */
  constructor(
    private readonly handle: (job: J) => Promise<void>,
    private readonly merge: (queued: J, next: J) => J,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Queues `job` (or joins the one waiting); resolves or rejects when it has run. */
  run(job: J): Promise<void> {
    if (this.waiting) {
      this.waiting.job = this.merge(this.waiting.job, job);
      return this.waiting.done;
    }
    const waiting = { job } as { job: J; done: Promise<void> };
    waiting.done = this.chain.then(() => {
      this.waiting = undefined;
      return this.handle(waiting.job);
    });
    this.waiting = waiting;
    this.chain = waiting.done.catch(this.onError);
    return waiting.done;
  }

  /** Resolves once every job asked for so far has run (a failed one, heard by `onError`, too). */
  get settled(): Promise<void> {
    return this.chain;
  }
}
