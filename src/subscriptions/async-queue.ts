/**
 * A push-to-pull bridge: producers `push`, a `for await` consumer pulls. `return()` (a client
 * unsubscribing or disconnecting) runs `onClose` once, so the subscription releases its topic.
 */
export function asyncQueue<T>(
  onClose: () => void,
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
      else buffer.push(value);
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
