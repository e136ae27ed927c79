import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { binariesFor, canTraverse, dataDirFor, reachable, type RunAs } from '../../src/db/postgres-access';

const pgUser: RunAs = { uid: 70, gid: 70 };
const dir = (mode: number, uid = 0, gid = 0) => ({ mode: 0o040000 | mode, uid, gid });

describe('canTraverse: may the postgres user enter every folder on the way', () => {
  it.each([
    ['a world-enterable path', [dir(0o755), dir(0o755), dir(0o711)], true],
    ['a mode-700 folder of root on the way (a root home, a mktemp -d folder)', [dir(0o755), dir(0o700)], false],
    ['a folder only its group may enter, and the user is in that group', [dir(0o755), dir(0o750, 0, 70)], true],
    ['a folder only its group may enter, and the user is not in it', [dir(0o755), dir(0o750, 0, 5)], false],
    ['a folder only its owner may enter, and the user owns it', [dir(0o755), dir(0o700, 70, 5)], true],
    ['owner bits rule for the owner, even when others may enter', [dir(0o755), dir(0o071, 70, 70)], false],
    ['group bits rule for the group, even when others may enter', [dir(0o755), dir(0o701, 0, 70)], false],
    ['readable but not enterable', [dir(0o755), dir(0o744)], false],
    ['no folders at all', [], true],
  ])('%s', (_name, folders, expected) => {
    expect(canTraverse(folders, pgUser)).toBe(expected);
  });

  it('lets root through anything', () => {
    expect(canTraverse([dir(0o700, 5, 5), dir(0o000)], { uid: 0, gid: 0 })).toBe(true);
  });
});

describe('placing binaries and data where the postgres user can reach them', () => {
  let work: string;
  let shared: string;
  const nobody: RunAs = { uid: 65534, gid: 65534 };

  beforeEach(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'pg-access-'));
    chmodSync(work, 0o755);
    shared = path.join(work, 'shared');
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  /** A fake binaries package inside a private (mode 700) clone. */
  const privateNative = () => {
    const clone = path.join(work, 'clone');
    const native = path.join(clone, 'node_modules', 'pkg', 'native');
    mkdirSync(path.join(native, 'bin'), { recursive: true });
    mkdirSync(path.join(native, 'lib'), { recursive: true });
    writeFileSync(path.join(native, 'bin', 'postgres'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(path.join(native, 'lib', 'libpq.so.5.18'), 'lib');
    symlinkSync('libpq.so.5.18', path.join(native, 'lib', 'libpq.so.5'));
    chmodSync(clone, 0o700);
    return native;
  };

  it('runs binaries in place when the user can reach them', () => {
    const native = privateNative();
    chmodSync(path.join(work, 'clone'), 0o755);
    expect(binariesFor(native, '18.4.0', nobody, shared)).toBe(native);
    expect(existsSync(shared)).toBe(false);
  });

  it('copies unreachable binaries once per version, keeping modes and links, and reuses the copy', () => {
    const native = privateNative();
    expect(reachable(path.join(native, 'bin'), nobody)).toBe(false);
    const copy = binariesFor(native, '18.4.0', nobody, shared);
    expect(copy).toBe(path.join(shared, 'postgres-18.4.0'));
    expect(reachable(path.join(copy, 'bin'), nobody)).toBe(true);
    expect(statSync(path.join(copy, 'bin', 'postgres')).mode & 0o777).toBe(0o755);
    expect(readlinkSync(path.join(copy, 'lib', 'libpq.so.5'))).toBe('libpq.so.5.18');
    const madeAt = statSync(copy).mtimeMs;
    expect(binariesFor(native, '18.4.0', nobody, shared)).toBe(copy);
    expect(statSync(copy).mtimeMs).toBe(madeAt);
    expect(binariesFor(native, '19.0.0', nobody, shared)).toBe(path.join(shared, 'postgres-19.0.0'));
  });

  it('replaces a copy that others could have written to, and refuses a shared folder others can write', () => {
    const native = privateNative();
    const copy = binariesFor(native, '18.4.0', nobody, shared);
    chmodSync(copy, 0o777);
    writeFileSync(path.join(copy, 'planted'), 'x');
    expect(binariesFor(native, '18.4.0', nobody, shared)).toBe(copy);
    expect(existsSync(path.join(copy, 'planted'))).toBe(false);
    chmodSync(shared, 0o777);
    expect(() => binariesFor(native, '18.4.0', nobody, shared)).toThrow(/writable by users other than root/);
  });

  it('keeps a reachable data folder where it is, and links an unreachable one to a shared folder', () => {
    expect(dataDirFor(path.join(work, 'data'), nobody, shared)).toEqual({ dir: path.join(work, 'data'), moved: false });
    const privateHome = path.join(work, 'home');
    mkdirSync(privateHome, { mode: 0o700 });
    chmodSync(privateHome, 0o700);
    const wanted = path.join(privateHome, 'clone', '.data');
    const placed = dataDirFor(wanted, nobody, shared);
    expect(placed.moved).toBe(true);
    expect(path.dirname(placed.dir)).toBe(shared);
    expect(lstatSync(wanted).isSymbolicLink()).toBe(true);
    expect(readlinkSync(wanted)).toBe(placed.dir);
    // The next start follows the link to the same data.
    mkdirSync(placed.dir);
    expect(dataDirFor(wanted, nobody, shared)).toEqual(placed);
    // Another clone's data never lands in the same folder.
    expect(dataDirFor(path.join(privateHome, 'other', '.data'), nobody, shared).dir).not.toBe(placed.dir);
  });
});
