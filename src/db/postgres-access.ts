import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';

/** A user and group the server runs as. */
export interface RunAs {
  uid: number;
  gid: number;
}

/** What {@link canTraverse} needs of one folder on the way. */
export interface FolderMode {
  mode: number;
  uid: number;
  gid: number;
}

/**
 * Whether `who` may enter every folder of a path, from its mode bits: owner bits for the owner,
 * group bits for the group, other bits for everyone else (ACLs aside, as PostgreSQL's own
 * checks do). Root's clones in `/root` or a `mktemp -d` folder (mode 700) fail here.
 */
export function canTraverse(folders: readonly FolderMode[], who: RunAs): boolean {
  return folders.every(({ mode, uid, gid }) => {
    if (who.uid === 0) return true;
    if (uid === who.uid) return (mode & 0o100) !== 0;
    if (gid === who.gid) return (mode & 0o010) !== 0;
    return (mode & 0o001) !== 0;
  });
}

/** The folders from `/` down to `target` that exist, with their modes. */
function foldersOf(target: string): FolderMode[] {
  const folders: FolderMode[] = [];
  let current = path.resolve(target);
  for (;;) {
    if (existsSync(current)) {
      const { mode, uid, gid } = statSync(current);
      if ((mode & 0o170000) === 0o040000) folders.unshift({ mode, uid, gid });
    }
    const parent = path.dirname(current);
    if (parent === current) return folders;
    current = parent;
  }
}

/** Whether `who` can reach `target` (every existing folder on its path may be entered). */
export function reachable(target: string, who: RunAs): boolean {
  return canTraverse(foldersOf(target), who);
}

/**
 * `mkdir -p` that fails where it cannot make a folder: Node's recursive `mkdirSync` loops
 * forever on some file systems (`/proc`) instead of failing.
 */
export function makeFolders(folder: string): void {
  const target = path.resolve(folder);
  if (existsSync(target)) return;
  const parent = path.dirname(target);
  if (parent !== target) makeFolders(parent);
  try {
    mkdirSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** The `postgres` system user, created when missing (PostgreSQL refuses to run as root). */
export function postgresUser(): RunAs {
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim()),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'pipe' });
      execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres'], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`running as root, and the system user "postgres" could not be created (${String(error)})`);
    }
    return ids();
  }
}

/**
 * Where root keeps what the `postgres` user must reach when the clone itself is private: a
 * copy of the server binaries per version and, if `DATA_DIR` is unreachable too, the data.
 * @default "/var/lib/open-schooling-matchmaker"
 */
export const SHARED_ROOT = '/var/lib/open-schooling-matchmaker';

/** A folder this process's user (root) owns that nobody else may write to: safe to run binaries from. */
function trustworthy(folder: string): boolean {
  const { uid, mode } = statSync(folder);
  return uid === process.getuid?.() && (mode & 0o022) === 0;
}

/** Makes `shared` (enterable by all, whatever the umask) and checks that only root writes to it. */
function sharedFolder(shared: string): void {
  makeFolders(shared);
  if (!trustworthy(shared)) throw new Error(`${shared} is writable by users other than root`);
  chmodSync(shared, 0o755);
}

/**
 * The binaries folder to run from: the package's own when `who` can reach it, otherwise a copy
 * under {@link SHARED_ROOT} keyed by version, made once (staged, then renamed into place, so
 * an interrupted copy is never used) and only reused while root alone can write to it.
 */
export function binariesFor(nativeDir: string, version: string, who: RunAs, shared = SHARED_ROOT): string {
  if (reachable(path.join(nativeDir, 'bin'), who)) return nativeDir;
  sharedFolder(shared);
  const target = path.join(shared, `postgres-${version.replace(/[^\w.-]/g, '_')}`);
  if (existsSync(target) && !trustworthy(target)) rmSync(target, { recursive: true, force: true });
  if (!existsSync(target)) {
    const staging = mkdtempSync(`${target}.partial-`);
    cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    try {
      renameSync(staging, target);
    } catch (error) {
      // Another start made the same copy first: use it.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(target)) throw error;
    }
  }
  return target;
}

/**
 * The data folder to use: `dataDir` itself when `who` can reach its parent; otherwise a folder
 * under {@link SHARED_ROOT} named after `dataDir`, linked from `dataDir` so that the path the
 * user chose still leads to the data (and the next start follows the link).
 */
export function dataDirFor(dataDir: string, who: RunAs, shared = SHARED_ROOT): { dir: string; moved: boolean } {
  const wanted = path.resolve(dataDir);
  // A link left by an earlier start (below) leads to the data: follow it.
  const real = existsSync(wanted) ? realpathSync(wanted) : wanted;
  if (reachable(path.dirname(real), who)) return { dir: real, moved: real !== wanted };
  const digest = createHash('sha256').update(wanted).digest('hex').slice(0, 12);
  const dir = path.join(shared, `data-${path.basename(wanted).replace(/[^\w.-]/g, '_')}-${digest}`);
  sharedFolder(shared);
  makeFolders(path.dirname(wanted));
  if (existsSync(wanted)) throw new Error(`${wanted} exists but the postgres user cannot reach it`);
  symlinkSync(dir, wanted);
  return { dir, moved: true };
}
