import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { asResult, bearer, GraphQLResult, TEST_ADMIN_KEY } from './server';
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { parseRecord } from './json';
import { until } from './until';

const root = path.join(__dirname, '..', '..');

/** One line of the service's JSON log (`msg`, `level`, `time` and whatever the line carries). */
export type LogLine = Record<string, unknown>;

/** The compiled service running in its own process, as `npm start` runs it. */
export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  url: string;
  logs: LogLine[];
  /** The lines that are not JSON: what a development start says in words. */
  text: string[];
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts dist/src/index.js (built by the jest global setup) and waits for its "listening" log line,
 * then for /readyz to answer 200 (index loaded, changes left by earlier runs relayed).
 */
export function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['dist/src/index.js'], {
    cwd: root,
    // NODE_ENV=production as in a real deployment (jest sets "test", which changes library defaults).
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      LOG_LEVEL: 'info',
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      ...env,
    },
  });
  const logs: LogLine[] = [];
  const text: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith('{')) {
          text.push(line);
          continue;
        }
        const entry = parseRecord(line);
        logs.push(entry);
        if (entry.msg === 'listening') {
          const port = Number(new URL(String(entry.url)).port);
          void untilReady(port, exited).then(
            () =>
              resolve({
                child,
                port,
                url: `http://127.0.0.1:${port}/graphql`,
                logs,
                text,
                exited,
                stop: async (signal = 'SIGTERM') => {
                  if (child.exitCode === null) child.kill(signal);
                  return exited;
                },
              }),
            reject,
          );
        }
      }
    });
    void exited.then((code) => reject(new Error(`service exited with ${code}: ${stderr}`)));
  });
}

async function untilReady(port: number, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const ready = async () =>
    (await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status,
      () => 0,
    )) === 200;
  await until(async () => gone || (await ready()), { timeoutMs: 120_000, what: '/readyz answers 200' });
  if (gone) throw new Error('service exited before it was ready');
}

/**
 * POSTs a GraphQL request to a running service: a typed document (the answer typed by it), or a
 * query written by hand, whose data's shape the caller gives as `T`.
 */
export async function post<T, V>(url: string, doc: TypedDocumentNode<T, V>, variables: V): Promise<GraphQLResult<T>>;
export async function post<T = unknown>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResult<T>>;
export async function post<T>(
  url: string,
  query: string | TypedDocumentNode<T, unknown>,
  variables?: unknown,
): Promise<GraphQLResult<T>> {
  // The scenarios write their scene, so they speak as the administrator.
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(TEST_ADMIN_KEY) },
    body: JSON.stringify({ query: typeof query === 'string' ? query : print(query), variables }),
  });
  return asResult<T>(await res.json());
}
