/** How many values a queue may hold for a consumer that does not pull, and what happens past that. */
export interface QueueBound {
  /** Values waiting at most; one more closes the queue and calls {@link onOverflow}. */
  maxQueued: number;
  /** The consumer fell this far behind (its client does not read): tell it, e.g. close its connection. */
  onOverflow(): void;
}

/**
 * A push-to-pull bridge: producers `push`, a `for await` consumer pulls. `return()` (a client
 * unsubscribing or disconnecting) runs `onClose` once, so the subscription releases its topic.
 * With a `bound`, a consumer that falls more than `maxQueued` values behind is closed and its
 * values dropped: a client that stops reading never makes the server buffer without end.
 */
export function asyncQueue<T>(
  onClose: () => void,
  bound?: QueueBound,
): AsyncIterableIterator<T> & { push(value: T): void; fail(error: Error): void } {
  const buffer: T[] = [];
  const waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: Error) => void }[] = [];
  let done = false;
  let failure: Error | undefined;
  const close = () => {
    if (done) return;
    done = true;
    onClose();
    for (const w of waiting.splice(0)) w.resolve({ value: undefined, done: true });
  };
  return {
    push(value: T) {
      if (done) return;
      const w = waiting.shift();
      if (w) w.resolve({ value, done: false });
      else if (bound && buffer.length >= bound.maxQueued) {
        buffer.length = 0;
        close();
        bound.onOverflow();
      } else buffer.push(value);
    },
    fail(error: Error) {
      failure = error;
      const w = waiting.shift();
      if (w) w.reject(error);
    },
    next() {
      if (buffer.length) return Promise.resolve({ value: buffer.shift()!, done: false });
      if (failure) return Promise.reject(failure);
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return() {
      close();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error?: unknown) {
      close();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
