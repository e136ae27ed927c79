/**
 * One execution per event and view, shared by every subscriber who asks for the same data.
 * graphql-js runs a subscription's selection once per event per subscriber; with thousands of
 * subscribers (or an attacker's hundreds within every limit) that is the cost of a write. Here
 * the result of executing a selection for an event is kept on the event itself (a `Delivery`,
 * one object per event for all subscribers, see change-feed.ts), under a key naming everything
 * the result depends on: the selection in canonical form (canonical-view.ts: operation names,
 * aliases, whitespace, field order and variables do not make a new view) and the view — the role
 * and hubs that decide private fields, and the language. Each subscriber then reads the shared
 * result in its own response shape. Results go when the event does (a WeakMap).
 *
 * Executions for events are bounded: at most `concurrency` at once on an instance, each started
 * in a turn of its own, so a write that reaches many views never holds the event loop.
 */
import { createSourceEventStream, type DocumentNode, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Viewer } from '../domain/access/role';
import type { Language } from '../domain/language';
import { CanonicalView, canonicalView, reshape } from './canonical-view';

/** What a subscription's result depends on besides the event and its selection. */
export function viewKey(viewer: Pick<Viewer, 'role' | 'hubIds'>, lang: Language): string {
  return JSON.stringify([viewer.role, [...viewer.hubIds].sort(), lang]);
}

/** What the context must carry for sharing: its {@link viewKey}. */
export interface Shareable {
  viewKey?: string;
}

let executions = 0;
let inFlight = 0;
let mostInFlight = 0;

/** How many selections were executed for events so far (for tests and benchmarks). */
export function sharedExecutions(): number {
  return executions;
}

/** The most event executions that ran at once since the last call (for tests); resets it. */
export function takeMostInFlight(): number {
  const most = mostInFlight;
  mostInFlight = inFlight;
  return most;
}

function isAsyncIterable<T>(x: unknown): x is AsyncIterable<T> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

/** Options for {@link createSharedSubscribe}. */
export interface SharedSubscribeOptions {
  /**
   * Event executions at once on this instance; the rest wait their turn.
   * @default 4
   */
  concurrency?: number;
}

/** A counting gate: `enter` resolves when fewer than `size` holders are inside. */
function gate(size: number) {
  let inside = 0;
  const waiting: (() => void)[] = [];
  return {
    async enter(): Promise<void> {
      if (inside >= size) await new Promise<void>((resolve) => waiting.push(resolve));
      else inside++;
    },
    leave(): void {
      const next = waiting.shift();
      if (next) next();
      else inside--;
    },
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

// Thousands of subscribers send the same few documents: each one's canonical view and keys are
// made once and shared (a subscriber holds references, not copies). Bounded per document.
const VIEWS_PER_DOCUMENT = 1000;
const views = new WeakMap<DocumentNode, Map<string, CanonicalView | undefined>>();
/** A view's shared keys for one viewer: of its execution, and of its reshaping (none where it is the identity). */
interface ViewKeys {
  key: string;
  spelling: string | undefined;
}
const keys = new WeakMap<CanonicalView, Map<string, ViewKeys>>();

function viewOf(args: ExecutionArgs): CanonicalView | undefined {
  let byInput = views.get(args.document);
  if (!byInput) views.set(args.document, (byInput = new Map<string, CanonicalView | undefined>()));
  const input = JSON.stringify([args.operationName ?? null, args.variableValues ?? {}]);
  if (byInput.has(input)) return byInput.get(input);
  if (byInput.size >= VIEWS_PER_DOCUMENT) byInput.delete(byInput.keys().next().value!);
  const view = canonicalView(args.schema, args.document, args.operationName, args.variableValues);
  byInput.set(input, view);
  return view;
}

function keysOf(view: CanonicalView, viewer: string): ViewKeys {
  let byViewer = keys.get(view);
  if (!byViewer) keys.set(view, (byViewer = new Map<string, ViewKeys>()));
  let found = byViewer.get(viewer);
  if (!found) {
    found = {
      key: JSON.stringify([view.text, viewer]),
      // Subscribers who spell the selection alike also share its reshaping.
      spelling: view.identity ? undefined : JSON.stringify([view.text, viewer, view.shape]),
    };
    byViewer.set(viewer, found);
  }
  return found;
}

const canonicalArgs = (args: ExecutionArgs, view: CanonicalView): ExecutionArgs => ({
  ...args,
  document: view.document,
  operationName: undefined,
  variableValues: {},
});

/** `subscribe` for graphql-ws: graphql-js's, with each event's execution shared per view. */
export function createSharedSubscribe(options: SharedSubscribeOptions = {}) {
  const { concurrency = 4 } = options;
  const slots = gate(concurrency);
  const results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

  const executeInTurn = async (args: ExecutionArgs, event: unknown): Promise<ExecutionResult> => {
    await slots.enter();
    try {
      // A turn of its own: what else the event loop has to do (requests, other sockets) goes first.
      await turn();
      executions += 1;
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      return await execute({ ...args, rootValue: event });
    } finally {
      inFlight--;
      slots.leave();
    }
  };

  return async function sharedSubscribe(
    args: ExecutionArgs,
  ): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable<unknown>(stream)) return stream;
    const viewer = (args.contextValue as Shareable | undefined)?.viewKey;
    const view = viewer === undefined ? undefined : viewOf(args);
    const shared = view && viewer !== undefined && { ...keysOf(view, viewer), args: canonicalArgs(args, view) };
    const source = stream[Symbol.asyncIterator]();
    const mapped: AsyncGenerator<ExecutionResult> = {
      async next() {
        const step = await source.next();
        if (step.done) return { done: true, value: undefined };
        const event = step.value;
        if (!shared || typeof event !== 'object' || event === null)
          return { done: false, value: await executeInTurn(args, event) };
        let byKey = results.get(event);
        if (!byKey) results.set(event, (byKey = new Map<string, Promise<ExecutionResult>>()));
        let result = byKey.get(shared.key);
        if (!result) byKey.set(shared.key, (result = executeInTurn(shared.args, event)));
        if (shared.spelling === undefined) return { done: false, value: await result };
        let mine = byKey.get(shared.spelling);
        if (!mine) byKey.set(shared.spelling, (mine = result.then((r) => reshape(view!, r))));
        return { done: false, value: await mine };
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
  };
}
