import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Starts a CPU profile of this thread when the command line asks for one (`--cpu-prof`); the
 * returned stop writes it as `name` in the temporary directory and says where (nothing to do
 * when none was asked for).
 */
export async function cpuProfileIfAsked(name: string, what: string): Promise<() => Promise<void>> {
  if (!process.argv.includes('--cpu-prof')) return () => Promise.resolve();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    const saved = path.join(os.tmpdir(), name);
    writeFileSync(saved, JSON.stringify(profile));
    session.disconnect();
    process.stdout.write(`CPU profile of ${what}: ${saved}\n`);
  };
}
