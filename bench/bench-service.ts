/** The service in its own process for a benchmark, and the small helpers benchmarks share. */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A numeric `--name value` argument of the benchmark, or its fallback. */
export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Resident memory of a process, in kB. */
export function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, ''));
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The key a benchmark writes its scene with (the service's bootstrap administrator). */
export const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789abcdef';

/** A list as the API pages it: one edge per item, the item its node. */
export interface Connection<T> {
  edges: { node: T }[];
}

/** A GraphQL response body: its data, and the errors that came with it or instead of it. */
export interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: unknown } }[];
}

/** Whether a parsed JSON value is an object, whose fields are then read as unknown. */
export const isObject = (x: unknown): x is { [key: string]: unknown } => typeof x === 'object' && x !== null;

/**
 * A response's body as a GraphQL one. Only the envelope is checked: `data` has the shape of the
 * selection the caller sent, which the caller names as T.
 */
export async function readGraphQLBody<T>(res: Response): Promise<GraphQLBody<T>> {
  const body: unknown = await res.json();
  if (!isObject(body) || (body.errors !== undefined && !Array.isArray(body.errors)))
    throw new Error(`not a GraphQL response (${res.status}): ${JSON.stringify(body)}`);
  return body as GraphQLBody<T>;
}

/** A GraphQL request as the administrator: its data, of the shape T the query selects; throws on errors. */
export async function post<T = unknown>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADMIN_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const json = await readGraphQLBody<T>(res);
  if (json.errors) throw new Error(JSON.stringify(json.errors));
  // Without errors a response carries its data (GraphQL over HTTP).
  if (json.data === undefined || json.data === null) throw new Error(`no data for ${query.slice(0, 60)}…`);
  return json.data;
}

/**
 * Starts `npm start`'s entry point in production mode on `databaseUrl`; `env` adds to or
 * overrides its environment (by default every socket of the benchmark comes from one address,
 * so the per-address socket and request limits are lifted).
 */
export function startService(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'src', 'index.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: '0',
      LOG_LEVEL: 'info',
      ADMIN_API_KEY: BENCH_ADMIN_KEY,
      WS_MAX_SOCKETS_PER_KEY: '1000000',
      PUBLIC_RATE_LIMIT_PER_MINUTE: '10000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n').slice(0, -1)) {
        const entry: unknown = JSON.parse(line);
        if (isObject(entry) && entry.msg === 'listening' && typeof entry.url === 'string')
          resolve({ child, url: `http://127.0.0.1:${new URL(entry.url).port}/graphql` });
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    });
    child.once('exit', (code) => reject(new Error(`service exited with ${code}`)));
  });
}

/** Resolves once the service answers /readyz with 200 (its index loaded). */
export async function ready(url: string): Promise<void> {
  const readyz = url.replace(/\/graphql$/, '/readyz');
  for (;;) {
    if ((await fetch(readyz).catch(() => undefined))?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops a service started by {@link startService} and waits for it to exit. */
export async function stopService(service: { child: ChildProcess }): Promise<void> {
  service.child.kill('SIGTERM');
  await new Promise((r) => service.child.once('exit', r));
}

/** Runs a benchmark's main, ending the process with its error when it fails. */
export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
