/**
 * A real nginx in front of test services: deploy/nginx/matchmaker.conf as shipped, its upstream
 * ports and listen address replaced, inside a main configuration whose pid, logs and temporary
 * files live in a folder of the test's own; `daemon off`, so the child is nginx itself.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { until } from './until';

/** Debian's nginx. */
export const NGINX = '/usr/sbin/nginx';
/** The shipped site configuration. */
export const SITE_CONF = path.join(__dirname, '..', '..', 'deploy', 'nginx', 'matchmaker.conf');

/** A running nginx and the way to stop it. */
export interface RunningNginx {
  /** `http://127.0.0.1:<port>/graphql` through the proxy. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (free a moment ago: nginx binds it next). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The shipped site, pointed at `upstreams` and listening on 127.0.0.1:`port`. */
export function siteFor(upstreams: readonly number[], port: number): string {
  const site = readFileSync(SITE_CONF, 'utf8');
  const servers = site.match(/^ {4}server 127\.0\.0\.1:\d+;$/gm) ?? [];
  if (servers.length !== upstreams.length)
    throw new Error(`${SITE_CONF} lists ${servers.length} upstream servers, the test runs ${upstreams.length}`);
  let i = 0;
  const pointed = site.replace(/^ {4}server 127\.0\.0\.1:\d+;$/gm, () => `    server 127.0.0.1:${upstreams[i++]};`);
  if (!/^ {4}listen 80;$/m.test(pointed)) throw new Error(`${SITE_CONF} no longer listens on port 80`);
  return pointed.replace(/^ {4}listen 80;$/m, `    listen 127.0.0.1:${port};`);
}

/** Starts nginx in front of the services on `upstreams`; resolves once it answers /healthz. */
export async function startNginx(upstreams: readonly number[]): Promise<RunningNginx> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'matchmaker-nginx-'));
  const port = await freePort();
  writeFileSync(path.join(dir, 'site.conf'), siteFor(upstreams, port));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `${t}_temp_path ${path.join(dir, `${t}-temp`)};`)
    .join('\n  ');
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'daemon off;',
      // As root, nginx's workers would otherwise drop to `nobody`, who cannot use this folder.
      ...(process.getuid?.() === 0 ? ['user root;'] : []),
      'worker_processes 1;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'error.log')} warn;`,
      'events { worker_connections 512; }',
      'http {',
      `  access_log ${path.join(dir, 'access.log')};`,
      `  ${temp}`,
      `  include ${path.join(dir, 'site.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    NGINX,
    ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until(
      async () => {
        if (child.exitCode !== null) throw new Error(`nginx exited: ${output}`);
        return (await getStatus(`http://127.0.0.1:${port}/healthz`)) === 200;
      },
      { timeoutMs: 15_000, what: () => `nginx answers /healthz (${output})` },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}/graphql`, port, stop };
}

function getStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    http
      .get(url, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', () => resolve(0));
  });
}

/**
 * POSTs a GraphQL request from a given loopback address (any of 127.0.0.0/8 on Linux), as
 * a distinct client machine would: the proxy sees it as that client's address.
 */
export function postFrom(
  localAddress: string,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers }, agent: false },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
