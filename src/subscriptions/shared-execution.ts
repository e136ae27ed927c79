/**
 * One execution per event and view, shared by every subscriber who would get the same bytes.
 * graphql-js runs a subscription's selection once per event per subscriber; with thousands of
 * subscribers (or an attacker's hundreds within every limit) that is the cost of a write. Here
 * the result of executing a selection for an event is kept on the event itself (a `Delivery`,
 * one object per event for all subscribers, see change-feed.ts), under a key naming everything
 * the result depends on: the operation text, its variables, and the view — the role and hubs
 * that decide private fields, and the language. Subscribers with equal keys share the result;
 * it goes when the event does (a WeakMap).
 */
import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Viewer } from '../domain/access/role';
import type { Language } from '../domain/language';

/** Everything a subscription's result depends on besides the event. */
export function viewKey(
  operation: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
  viewer: Pick<Viewer, 'role' | 'hubIds'>,
  lang: Language,
): string {
  return JSON.stringify([
    operation.query,
    operation.variables ?? {},
    operation.operationName ?? null,
    viewer.role,
    [...viewer.hubIds].sort(),
    lang,
  ]);
}

/** What the context must carry for sharing: its {@link viewKey}. */
export interface Shareable {
  viewKey?: string;
}

const results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
let executions = 0;

/** How many selections were executed for events so far (for tests and benchmarks). */
export function sharedExecutions(): number {
  return executions;
}

function isAsyncIterable<T>(x: unknown): x is AsyncIterable<T> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

/** `subscribe` for graphql-ws: graphql-js's, with each event's execution shared per view key. */
export async function sharedSubscribe(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!isAsyncIterable<unknown>(stream)) return stream;
  const key = (args.contextValue as Shareable | undefined)?.viewKey;
  const run = (event: unknown): Promise<ExecutionResult> => {
    executions += 1;
    return Promise.resolve(execute({ ...args, rootValue: event }));
  };
  const source = stream[Symbol.asyncIterator]();
  const mapped: AsyncGenerator<ExecutionResult> = {
    async next() {
      const step = await source.next();
      if (step.done) return { done: true, value: undefined };
      const event = step.value;
      if (key === undefined || typeof event !== 'object' || event === null)
        return { done: false, value: await run(event) };
      let byKey = results.get(event);
      if (!byKey) results.set(event, (byKey = new Map()));
      let result = byKey.get(key);
      if (!result) byKey.set(key, (result = run(event)));
      return { done: false, value: await result };
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return mapped;
}
