import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { Client, createClient, ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { parseRecord } from './json';
import { until } from './until';

/** A subscription as a test sees it: everything received so far, and a way to wait for more. */
export interface Subscription<T> {
  results: ExecutionResult<T>[];
  /** Resolves when `count` results have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ExecutionResult<T>[]>;
  /** Resolves with the first result that passes `test` once it has arrived; rejects after `timeoutMs`. */
  find(test: (result: ExecutionResult<T>) => boolean, timeoutMs?: number): Promise<ExecutionResult<T>>;
  completed: Promise<void>;
  stop(): void;
}

/** A real graphql-ws client over a real WebSocket. */
export function wsClient(httpUrl: string, options: { connectionParams?: Record<string, unknown> } = {}): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: options.connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
}

export function subscribe<T, V>(client: Client, doc: TypedDocumentNode<T, V>, variables: V): Subscription<T> {
  const results: ExecutionResult<T>[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let finish!: () => void;
  const completed = new Promise<void>((resolve) => (finish = resolve));
  const stop = client.subscribe<T>(
    { query: print(doc), variables: variables as Record<string, unknown> },
    {
      next: (r) => {
        results.push(r as ExecutionResult<T>);
        for (const w of waiters.filter((w) => results.length >= w.count)) w.resolve();
      },
      error: (e) => {
        // graphql-ws hands over the server's errors as an array, a failed socket as an event or Error.
        const errors = Array.isArray(e) ? e : [{ message: String((e as Error)?.message ?? e) }];
        results.push({ errors });
        finish();
      },
      complete: () => finish(),
    },
  );
  return {
    results,
    completed,
    stop,
    waitFor(count, timeoutMs = 10000) {
      if (results.length >= count) return Promise.resolve(results);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `waited ${timeoutMs} ms for ${count} results, got ${results.length}: ${JSON.stringify(results)}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(results)) });
      });
    },
    async find(test, timeoutMs = 10000) {
      await until(() => results.some(test), {
        timeoutMs,
        what: () => `a result passes ${test.toString()} (got ${JSON.stringify(results)})`,
      });
      return results.find(test)!;
    },
  };
}

// Where the tests have always found it.
export { until };

/**
 * Makes a warm-up write again and again until every subscription has heard an event: the server
 * registers a subscription a while after it is sent, and a service in a process of its own cannot
 * be asked whether it has. Hearing is the proof; a round nobody heard in time is written again,
 * given its number (a write of the round before may have landed unheard: a name made of the number
 * is not refused as its duplicate).
 * What a test checks afterwards it finds by id among the results (warm-up events come first).
 */
export async function untilListening(
  subscriptions: { results: unknown[] }[],
  warmUp: (round: number) => Promise<unknown>,
  rounds = 30,
): Promise<void> {
  const heard = () => subscriptions.every((s) => s.results.length > 0);
  for (let round = 1; !heard(); round++) {
    await warmUp(round);
    await until(heard, { timeoutMs: 500, what: 'every subscription heard a warm-up write' }).catch((error) => {
      if (round >= rounds) throw error;
    });
  }
}

/** A bare graphql-transport-ws handshake: acknowledged, or closed with a code and reason. */
export function handshake(
  url: string,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ socket: WebSocket; acked: boolean; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      socket.on('close', (code, reason) => r({ code, reason: reason.toString() })),
    );
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.on('message', (m) => {
      if (parseRecord(m.toString()).type === 'connection_ack') resolve({ socket, acked: true, closed });
    });
    socket.on('close', () => resolve({ socket, acked: false, closed }));
    socket.on('error', reject);
  });
}
